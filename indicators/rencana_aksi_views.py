"""The "Rencana Aksi dan Realisasi Triwulan" page and its workbook: per indicator, the target,
realisasi and capaian of each triwulan (from the engine); the planner sets the quarterly
targets here, through ``rencana_aksi.target_triwulan_set_many``, on the page or by uploading
the edited workbook (a preview first, then "Terapkan"); the kabid reads their own
indicators' (and records the quarters' realisasi on the realisasi form)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from openpyxl.styles import Font

from common.numbers import NumberParseError, format_exact, parse_decimal
from common.params import MAX_ID, ascii_int
from common.sheets import COL_ID_INDIKATOR, COL_VERSI, SafeWorkbook, workbook_bytes
from renstra.door import StaleEdit
from renstra.models import Bidang, Role
from renstra.permissions import acting_user, can_manage_plan, user_opd_id, user_role
from renstra.services import lock_for
from renstra.years import renstra_years

from .models import QUARTERS, Frekuensi, Indikator, Periode, Target
from .rencana_aksi import (
    QuarterRow,
    QuarterTarget,
    quarter_rows,
    target_triwulan_set_many,
)
from .selectors import (
    engine_scale,
    indicator_order,
    indicators_for,
    of_bidang,
    quarter_absorption,
    settings_for_opd,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# A page holds this many indicators: each has four targets and their four versions, so a page
# posts at most 8 × 25 + a few fields, far below Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1.000),
# whatever the size of the OPD (a 300-indicator OPD has 12 pages; the seed's 126, 6).
PAGE_SIZE = 25


class RencanaAksiFilter(forms.Form):
    """The page's query: which bidang and which page. A value that is not one of them is a
    bad request (400), never a crash."""

    bidang = forms.ModelChoiceField(
        queryset=Bidang.objects.none(), required=False, empty_label="Semua bidang", label="Bidang"
    )
    halaman = forms.IntegerField(min_value=1, max_value=10_000, required=False)
    format = forms.ChoiceField(choices=[("", "halaman"), ("xlsx", "Excel")], required=False)

    def __init__(self, data: Any, *, opd_id: int) -> None:
        super().__init__(data)
        field = self.fields["bidang"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Bidang.objects.filter(opd_id=opd_id).order_by("kode")


def quarterly_indicators(
    request: HttpRequest, opd_id: int, tahun: int, bidang: Bidang | None
) -> list:
    """The reader's indicators with quarterly targets in the year (the page, its workbook and
    the workbook's upload read the same list)."""
    qs = Indikator.objects.with_tree().filter(
        pk__in=indicators_for(request.user).values("pk"),
        periode__tahun_awal__lte=tahun,
        periode__tahun_akhir__gte=tahun,
        frekuensi=Frekuensi.TRIWULANAN,  # only these have quarterly targets
    )
    if bidang is not None:
        qs = qs.filter(of_bidang(int(bidang.pk)))
    return sorted(qs, key=indicator_order)


def _field(row: QuarterRow, q: str) -> str:
    return f"t{row.indikator.pk}_{q}"


def _query(bidang: Bidang | None, halaman: int | None) -> str:
    params = {}
    if bidang is not None:
        params["bidang"] = bidang.pk
    if halaman and halaman > 1:
        params["halaman"] = halaman
    return "?" + urlencode(params) if params else ""


@login_required
def rencana_aksi(request: HttpRequest, tahun: int) -> HttpResponse:
    opd_id = user_opd_id(request.user)
    if opd_id is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    query = RencanaAksiFilter(request.GET, opd_id=opd_id)
    if not query.is_valid():
        raise BadRequest("Parameter halaman rencana aksi tidak sah.")
    bidang = query.cleaned_data["bidang"]
    skala, _method = settings_for_opd(opd_id)
    scale = engine_scale(skala)
    indicators = quarterly_indicators(request, opd_id, tahun, bidang)
    if query.cleaned_data["format"] == "xlsx":
        return _workbook(quarter_rows(indicators, tahun, scale), tahun)
    page = Paginator(indicators, PAGE_SIZE).get_page(query.cleaned_data["halaman"] or 1)
    rows = quarter_rows(list(page.object_list), tahun, scale)
    can_plan = can_plan_quarters(request, opd_id)
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
                versi = _version(request.POST.get(f"{name}_versi"))
                if versi is None:
                    errors.append(
                        f"{row.indikator.nama} {Periode(q).label}: versi data tidak terkirim; "
                        "muat ulang halaman lalu ulangi."
                    )
                    continue
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
                messages.success(
                    request,
                    f"Target triwulan tersimpan ({len(items)} indikator)."
                    if items
                    else "Tidak ada perubahan.",
                )
                return redirect(
                    reverse("indicators:rencana_aksi", args=[tahun]) + _query(bidang, page.number)
                )
    annual = Target.objects.filter(
        indikator_id__in=[row.indikator.pk for row in rows], tahun=tahun
    ).effective()
    # The budget beside the results: penyerapan at each triwulan's end, from SIPD's months.
    absorption = quarter_absorption(opd_id, tahun)
    return render(
        request,
        "indicators/rencana_aksi.html",
        {
            "tahun": tahun,
            "rows": [
                {
                    "indikator": row.indikator,
                    "annual": annual.get((int(row.indikator.pk), tahun)),
                    "cells": [
                        {
                            **c,
                            "name": _field(row, c["periode"]),
                            "value": format_exact(c["target"].nilai) if c["target"] else "",
                            "versi": c["target"].versi if c["target"] else 0,
                            "penyerapan": penyerapan,
                        }
                        for c, penyerapan in zip(
                            row.cells, absorption.for_indicator(row.indikator), strict=True
                        )
                    ],
                }
                for row in rows
            ],
            "filter": query,
            "bidang": bidang,
            "page": page,
            "query_prefix": _query(bidang, None) or "?",
            "can_plan": can_plan,
            "errors": errors,
            "lock": lock_for(opd_id, tahun),
            "years": renstra_years(opd_id, tahun),
            "quarters": [Periode(q).label for q in QUARTERS],
            "absorption": absorption,
            "absorption_opd": [
                (Periode(q).label, v) for q, v in zip(QUARTERS, absorption.opd, strict=True)
            ],
        },
        status=400 if errors else 200,
    )


def can_plan_quarters(request: HttpRequest, opd_id: int) -> bool:
    """Whether the page offers the planner's inputs (the service decides again on each write)."""
    return can_manage_plan(request.user, opd_id) and user_role(request.user) != Role.KABID


def _version(text: str | None) -> int | None:
    """A hidden version field as the page wrote it (digits only), else None."""
    value = ascii_int((text or "").strip())
    return value if value is not None and 0 <= value <= MAX_ID else None


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


WORKBOOK_NOTES = (
    "Petunjuk",
    "• Ubah kolom Target saja (angka Excel atau teks Indonesia: 12,5 · 1.234,5); sel kosong "
    "menghapus target triwulan itu.",
    "• Kolom lain (nama indikator, realisasi, capaian) tidak dibaca saat berkas diunggah.",
    "• Jangan mengubah kolom ID Indikator dan Versi (tersembunyi) dan judul kolom. Versi "
    "menandai data saat berkas diunduh: target yang sejak itu diubah orang lain tidak ditimpa.",
    "• Unggah berkas di halaman Rencana Aksi: perubahan ditampilkan dulu sebagai pratinjau, "
    "lalu disimpan dengan tombol Terapkan; bila satu baris ditolak, tidak ada yang disimpan.",
)


def _workbook(rows: list[QuarterRow], tahun: int) -> HttpResponse:
    """The same table as the page: one row per indicator and triwulan, numbers as numbers;
    indicator names and the rest are text, never formulas (the safe writer). The hidden ID
    and version columns let the edited workbook be uploaded back (``rencana_aksi_upload``)."""
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
        COL_ID_INDIKATOR,
        COL_VERSI,
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
                    row.indikator.pk,
                    c["target"].versi if c["target"] is not None else 0,
                ]
            )
    sheet.column_dimensions["A"].width = 60
    # Bookkeeping for the upload, not for reading: hidden, as in the intake templates.
    sheet.column_dimensions["I"].hidden = True
    sheet.column_dimensions["J"].hidden = True
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("Petunjuk")
    for line in WORKBOOK_NOTES:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    workbook.active = 0
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="rencana-aksi-{tahun}.xlsx"'
    return response
