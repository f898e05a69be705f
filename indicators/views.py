"""Entry pages for bidang staff: "Realisasi <tahun>" and the form per indicator."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from renstra.models import Role
from renstra.permissions import (
    acting_user,
    can_read_opd,
    can_record_for_bidang,
    user_opd_id,
    user_role,
)
from renstra.services import lock_for
from renstra.years import renstra_years

from .context import indicator_context
from .forms import PERIOD_FIELDS, RealisasiForm
from .komponen_entry import component_panel
from .models import Indikator, Periode, Realisasi, Target
from .selectors import IndicatorRow, indicator_rows, indicators_for
from .services import (
    NeedsConfirmation,
    PeriodValue,
    StaleEdit,
    check_can_record,
    realisasi_record,
    realisasi_takes_text,
)


@dataclass
class Group:
    title: str
    rows: list[IndicatorRow] = field(default_factory=list)


def group_rows(rows: list[IndicatorRow]) -> list[Group]:
    """Group by sasaran (IKU/tujuan/sasaran indicators) or by program (everything below)."""
    groups: dict[str, Group] = {}
    for row in rows:
        ind = row.indikator
        if ind.tujuan_id:
            title = f"Tujuan: {ind.tujuan.nama}"
        elif ind.sasaran_id:
            title = f"Sasaran: {ind.sasaran.nama}"
        else:
            program = (
                ind.program
                or (ind.kegiatan.program if ind.kegiatan_id else None)
                or ind.sub_kegiatan.kegiatan.program
            )
            title = f"Program: {program.nama}"
        groups.setdefault(title, Group(title)).rows.append(row)
    return list(groups.values())


def default_year(opd_id: int | None = None) -> int:
    """The year to open: the latest year up to the one just ended that already has realisasi
    for the OPD (where the work is), else the year just ended — realisasi is recorded for it
    until the LAKIP is out early the next year."""
    just_ended = timezone.localdate().year - 1
    if opd_id is not None:
        latest = (
            Realisasi.objects.filter(indikator__periode__opd_id=opd_id, tahun__lte=just_ended)
            .order_by("-tahun")
            .values_list("tahun", flat=True)
            .first()
        )
        if latest is not None:
            return int(latest)
    return just_ended


@login_required
def realisasi_now(request: HttpRequest) -> HttpResponse:
    return redirect("indicators:realisasi_list", tahun=default_year(user_opd_id(request.user)))


@login_required
def realisasi_list(request: HttpRequest, tahun: int) -> HttpResponse:
    opd_id = user_opd_id(request.user)
    if opd_id is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    role = user_role(request.user)
    # A kabid reads every bidang of their OPD ("Semua bidang") but lands on their own.
    show_all = role != Role.KABID or request.GET.get("tampil") == "semua"
    shown = (
        Indikator.objects.filter(periode__opd_id=opd_id)
        if show_all
        else indicators_for(request.user)
    )
    rows = indicator_rows(opd_id, tahun, indikator_qs=shown)
    writable = {
        r.indikator.pk
        for r in rows
        if can_record_for_bidang(request.user, opd_id, r.indikator.effective_bidang_id)
    }
    lock = lock_for(opd_id, tahun)
    return render(
        request,
        "indicators/realisasi_list.html",
        {
            "tahun": tahun,
            "groups": group_rows(rows),
            "n_total": len(rows),
            "n_filled": sum(1 for r in rows if r.result.realisasi_used is not None),
            "lock": lock,
            "years": renstra_years(opd_id, tahun),
            "can_edit": role in (Role.KABID, Role.ADMIN),
            "is_kabid": role == Role.KABID,
            "show_all": show_all,
            "writable": writable,
        },
    )


def _history(indikator: Indikator, tahun: int) -> list[dict[str, Any]]:
    """Every change to this indicator-year's realisasi, newest first, with old → new."""
    records = list(
        Realisasi.history.filter(indikator_id=indikator.pk, tahun=tahun)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    last: dict[str, Any] = {}
    entries = []
    for rec in records:
        previous = last.get(rec.periode)
        new = "(dihapus)" if rec.history_type == "-" else rec.instance.display_value
        entries.append(
            {
                "when": rec.history_date,
                "who": rec.history_user,
                "periode": Periode(rec.periode).label,
                "old": previous.instance.display_value if previous is not None else "–",
                "new": new,
                "kind": {"+": "dibuat", "~": "diubah", "-": "dihapus"}[rec.history_type],
            }
        )
        last[rec.periode] = rec if rec.history_type != "-" else None
    entries.reverse()
    return entries


@login_required
def realisasi_edit(request: HttpRequest, tahun: int, pk: int) -> HttpResponse:
    # The formula comes joined: an indicator entered directly costs no query for it.
    indikator = get_object_or_404(Indikator.objects.with_tree().select_related("rumus"), pk=pk)
    opd_id = indikator.periode.opd_id
    # Everyone of the OPD reads an indicator's realisasi, evidence and history; only its
    # bidang (and the admin) writes. Another OPD's is neither read nor written.
    if not can_read_opd(request.user, opd_id):
        raise PermissionDenied("Anda tidak berhak melihat realisasi perangkat daerah lain.")
    bidang = indikator.effective_bidang
    read_only = not can_record_for_bidang(request.user, opd_id, indikator.effective_bidang_id)
    if request.method == "POST":
        check_can_record(acting_user(request), indikator)
    if not indikator.periode.contains_year(tahun):
        raise Http404("Tahun di luar periode Renstra.")
    existing = {r.periode: r for r in Realisasi.objects.filter(indikator=indikator, tahun=tahun)}
    target = Target.objects.filter(indikator=indikator, tahun=tahun).effective().get((pk, tahun))
    qualitative = realisasi_takes_text(target)
    lock = lock_for(opd_id, tahun)
    needs_confirmation = False
    # An indicator with a formula takes its components; the engine computes its realisasi.
    panel = component_panel(indikator, tahun, request.POST or None, request.FILES or None)
    form = RealisasiForm(
        request.POST or None,
        request.FILES or None,
        indikator=indikator,
        existing=existing,
        qualitative=qualitative,
        computed=panel is not None,
    )
    # The service refuses a locked year (and says why); the page only shows the lock.
    if request.method == "POST" and form.is_valid() and (panel is None or panel.form.is_valid()):
        data = form.cleaned_data
        values = [
            PeriodValue(
                periode=periode,
                nilai=data.get(name),
                nilai_teks=(data.get("tahunan_teks") or "") if periode == Periode.TAHUNAN else "",
                versi=data.get(f"versi_{name}") or 0,
            )
            for periode, name in PERIOD_FIELDS.items()
            if name in form.fields
        ]
        try:
            if panel is not None:
                panel.record(
                    acting_user(request),
                    {
                        "analisis": data["analisis"],
                        "hambatan": data["hambatan"],
                        "tindak_lanjut": data["tindak_lanjut"],
                        "bukti": data.get("bukti") or None,
                    },
                    confirm=bool(data.get("konfirmasi_lonjakan")),
                )
            else:
                realisasi_record(
                    user=acting_user(request),
                    indikator=indikator,
                    tahun=tahun,
                    values=values,
                    analisis=data["analisis"],
                    hambatan=data["hambatan"],
                    tindak_lanjut=data["tindak_lanjut"],
                    bukti=data.get("bukti") or None,
                    confirm=bool(data.get("konfirmasi_lonjakan")),
                )
        except StaleEdit as exc:
            messages.error(request, " ".join(exc.messages))
        except NeedsConfirmation as exc:
            needs_confirmation = True
            for message in exc.messages:
                form.add_error(None, message)
        except ValidationError as exc:
            for name, texts in exc.update_error_dict({}).items():
                form.add_error(name if name in form.fields else None, texts)
        else:
            messages.success(request, "Realisasi tersimpan.")
            return redirect("indicators:realisasi_edit", tahun=tahun, pk=pk)
    row = indicator_rows(opd_id, tahun, indikator_qs=Indikator.objects.filter(pk=pk))[0]
    return render(
        request,
        "indicators/realisasi_edit.html",
        {
            "tahun": tahun,
            "indikator": indikator,
            "row": row,
            "form": form,
            "lock": lock,
            "read_only": read_only,
            "bidang": bidang,
            "history": _history(indikator, tahun),
            "panel": panel,
            "konteks": indicator_context(indikator, tahun),
            "needs_confirmation": needs_confirmation,
            "status": 400 if request.method == "POST" else 200,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    realisasi = get_object_or_404(Realisasi.objects.select_related("indikator__periode"), pk=pk)
    if not can_read_opd(request.user, realisasi.indikator.periode.opd_id):
        raise PermissionDenied("Anda tidak berhak melihat bukti ini.")
    if not realisasi.bukti:
        raise Http404("Tidak ada bukti.")
    # Named after the kind it was checked to be (the random stored name's suffix), whatever
    # the uploader called it: a "laporan.html" never reaches a browser as .html.
    stored = PurePath(realisasi.bukti.name)
    stem = PurePath(realisasi.bukti_nama).stem if realisasi.bukti_nama else stored.stem
    return FileResponse(
        realisasi.bukti.open("rb"),
        as_attachment=True,
        filename=f"{stem or 'bukti'}{stored.suffix.lower()}",
    )
