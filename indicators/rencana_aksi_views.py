"""The "Rencana Aksi dan Realisasi Triwulan" page and its workbook: per indicator, the target,
realisasi and capaian of each triwulan (from the engine); the planner sets the quarterly
targets here, through ``rencana_aksi.target_triwulan_set_many``; the kabid reads their own
indicators' (and records the quarters' realisasi on the realisasi form)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from openpyxl.styles import Font

from common.numbers import NumberParseError, format_exact, parse_decimal
from common.sheets import SafeWorkbook, workbook_bytes
from renstra.models import Role
from renstra.permissions import acting_user, can_manage_plan, user_opd_id, user_role
from renstra.services import lock_for
from renstra.years import renstra_years

from .models import QUARTERS, Indikator, Periode
from .rencana_aksi import QuarterRow, QuarterTarget, quarter_rows, target_triwulan_set_many
from .selectors import engine_scale, indicator_order, indicators_for, settings_for_opd
from .services import StaleEdit

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(request: HttpRequest, tahun: int) -> tuple[int, list[QuarterRow]]:
    opd_id = user_opd_id(request.user)
    if opd_id is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    skala, _method = settings_for_opd(opd_id)
    indicators = sorted(
        Indikator.objects.with_tree().filter(
            pk__in=indicators_for(request.user).values("pk"),
            periode__tahun_awal__lte=tahun,
            periode__tahun_akhir__gte=tahun,
        ),
        key=indicator_order,
    )
    return opd_id, quarter_rows(indicators, tahun, engine_scale(skala))


def _field(row: QuarterRow, q: str) -> str:
    return f"t{row.indikator.pk}_{q}"


@login_required
def rencana_aksi(request: HttpRequest, tahun: int) -> HttpResponse:
    opd_id, rows = _rows(request, tahun)
    can_plan = can_manage_plan(request.user, opd_id) and user_role(request.user) != Role.KABID
    errors: list[str] = []
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied("Hanya perencana OPD ini yang dapat mengubah target triwulan.")
        items = []
        for row in rows:
            values = []
            for q, current in zip(QUARTERS, row.targets, strict=True):
                name = _field(row, q)
                if name not in request.POST:
                    continue
                text = request.POST.get(name, "").strip()
                try:
                    nilai = parse_decimal(text) if text else None
                except NumberParseError as exc:
                    errors.append(f"{row.indikator.nama} {Periode(q).label}: {exc}")
                    continue
                if (current.nilai if current is not None else None) == nilai:
                    continue
                versi = int(request.POST.get(f"{name}_versi") or 0)
                values.append(QuarterTarget(q, nilai, versi))
            if values:
                items.append((row.indikator, tahun, values))
        if not errors:
            try:
                target_triwulan_set_many(user=acting_user(request), items=items)
            except StaleEdit as exc:
                errors.extend(exc.messages)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, "Target triwulan tersimpan.")
                return redirect("indicators:rencana_aksi", tahun=tahun)
    if request.GET.get("format") == "xlsx":
        return _workbook(rows, tahun)
    return render(
        request,
        "indicators/rencana_aksi.html",
        {
            "tahun": tahun,
            "rows": [
                {
                    "indikator": row.indikator,
                    "cells": [
                        {
                            **c,
                            "name": _field(row, c["periode"]),
                            "value": format_exact(c["target"].nilai) if c["target"] else "",
                            "versi": c["target"].versi if c["target"] else 0,
                        }
                        for c in row.cells
                    ],
                }
                for row in rows
            ],
            "can_plan": can_plan,
            "errors": errors,
            "lock": lock_for(opd_id, tahun),
            "years": renstra_years(opd_id, tahun),
            "quarters": [Periode(q).label for q in QUARTERS],
        },
        status=400 if errors else 200,
    )


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _workbook(rows: list[QuarterRow], tahun: int) -> HttpResponse:
    """The same table as the page: one row per indicator and triwulan, numbers as numbers;
    indicator names and the rest are text, never formulas (the safe writer)."""
    workbook = SafeWorkbook()
    sheet = workbook.first_sheet
    sheet.title = f"Rencana Aksi {tahun}"
    headers = [
        "Indikator",
        "Satuan",
        "Akumulasi",
        "Triwulan",
        "Target",
        "Realisasi",
        "Capaian (%)",
        "Kategori / keterangan",
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        for c in row.cells:
            result = c["result"]
            sheet.append(
                [
                    row.indikator.nama,
                    row.indikator.satuan,
                    row.indikator.get_akumulasi_display(),
                    c["label"],
                    _number(c["target"].nilai) if c["target"] is not None else None,
                    _number(c["realisasi"].engine_value) if c["realisasi"] is not None else None,
                    _number(result.capaian),
                    result.kategori or result.reason,
                ]
            )
    sheet.column_dimensions["A"].width = 60
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="rencana-aksi-{tahun}.xlsx"'
    return response
