"""Entry pages for bidang staff: "Realisasi <tahun>" and the form per indicator."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from renstra.door import NeedsConfirmation, StaleEdit
from renstra.models import KunciTahun, Role
from renstra.permissions import (
    acting_user,
    can_manage_plan,
    can_read_opd,
    can_record_for_bidang,
    user_bidang_id,
    user_opd_id,
    user_role,
)
from renstra.services import lock_for
from renstra.versions import cached_page, for_indikator, for_opd, kept
from renstra.years import renstra_years

from .context import indicator_context
from .evidence import evidence_response
from .forms import PERIOD_FIELDS, RealisasiForm
from .komponen_entry import component_panel
from .models import PRE_PERIOD_YEARS, Indikator, NilaiKomponen, Periode, Realisasi
from .selectors import IndicatorRow, indicator_rows, indicators_for, rows_for
from .services.realisasi import (
    PeriodValue,
    before_period,
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
def rencana_aksi_now(request: HttpRequest) -> HttpResponse:
    """The menu's "Rencana aksi" on a page without a year: the same year as "Realisasi"."""
    return redirect("indicators:rencana_aksi", tahun=default_year(user_opd_id(request.user)))


@login_required
def realisasi_list(request: HttpRequest, tahun: int) -> HttpResponse:
    """Rendered once per data version and kind of reader (renstra.versions): what differs
    between readers of one OPD is their role, their bidang and the "Semua bidang" tab."""
    opd_id = user_opd_id(request.user)
    if opd_id is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    role = user_role(request.user)
    # A kabid reads every bidang of their OPD ("Semua bidang") but lands on their own.
    show_all = role != Role.KABID or request.GET.get("tampil") == "semua"
    bidang = user_bidang_id(request.user) if role == Role.KABID else None

    def figures() -> str:
        shown = (
            Indikator.objects.filter(periode__opd_id=opd_id)
            if show_all
            else indicators_for(request.user)
        )
        rows = indicator_rows(opd_id, tahun, indikator_qs=shown)
        years = renstra_years(opd_id, tahun)
        plans = can_manage_plan(request.user, opd_id)
        # The years before the period hold history the perencana records (PRE_PERIOD_YEARS):
        # offered to them, and writable by them only.
        if plans:
            years = [*range(years[0] - PRE_PERIOD_YEARS, years[0]), *years]
        writable = {
            r.indikator.pk
            for r in rows
            if (
                plans
                if before_period(r.indikator, tahun)
                else can_record_for_bidang(request.user, opd_id, r.indikator.effective_bidang_id)
            )
        }
        return render_to_string(
            "indicators/_realisasi_list_body.html",
            {
                "tahun": tahun,
                "groups": group_rows(rows),
                "n_total": len(rows),
                "n_filled": sum(1 for r in rows if r.reported),
                "lock": lock_for(opd_id, tahun),
                "years": years,
                "can_edit": role in (Role.KABID, Role.ADMIN),
                "is_kabid": role == Role.KABID,
                "show_all": show_all,
                "writable": writable,
            },
        )

    body = cached_page(
        ("realisasi", opd_id, tahun, role, bidang, show_all), figures, for_opd(opd_id)
    )
    return render(
        request,
        "indicators/realisasi_list.html",
        {"tahun": tahun, "body": mark_safe(body)},  # noqa: S308 (our own rendered template)
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


@dataclass(frozen=True)
class Lock:
    tahun: int
    alasan: str


# Put in place of the reader's CSRF token in a kept page (renstra.versions).
CSRF_MARK = "kinerja-csrf-placeholder"


@dataclass(frozen=True)
class EditFacts:
    """What the permission checks of the edit page need, kept per data version."""

    opd_id: int
    bidang_id: int | None
    tahun_awal: int
    tahun_akhir: int
    nama: str


def _edit_facts(pk: int) -> EditFacts | None:
    indikator = Indikator.objects.with_tree().filter(pk=pk).first()
    if indikator is None:
        return None
    return EditFacts(
        opd_id=indikator.periode.opd_id,
        bidang_id=indikator.effective_bidang_id,
        tahun_awal=indikator.periode.tahun_awal,
        tahun_akhir=indikator.periode.tahun_akhir,
        nama=indikator.nama,
    )


def _edit_subject(tahun: int, pk: int) -> Indikator:
    """The indicator with its tree and the year's lock (as ``lock_reason``), in one query."""
    return get_object_or_404(
        # The formula comes joined: an indicator entered directly costs no query for it.
        Indikator.objects.with_tree()
        .select_related("rumus")
        .annotate(
            lock_reason=Subquery(
                KunciTahun.objects.filter(opd_id=OuterRef("periode__opd_id"), tahun=tahun).values(
                    "alasan"
                )[:1]
            )
        ),
        pk=pk,
    )


@dataclass
class EditPage:
    indikator: Indikator
    row: IndicatorRow
    existing: dict[str, Realisasi]
    qualitative: bool
    lock: Lock | None


def _edit_page(indikator: Indikator, tahun: int) -> EditPage:
    # One computed row gives the page its figures and the form its stored values.
    (row,) = rows_for(indikator.periode.opd_id, tahun, [indikator])
    stored = (row.realisasi, *row.quarters)
    existing: dict[str, Realisasi] = {
        str(periode): r for periode, r in zip(PERIOD_FIELDS, stored, strict=True) if r is not None
    }
    reason = indikator.lock_reason  # type: ignore[attr-defined]
    return EditPage(
        indikator=indikator,
        row=row,
        existing=existing,
        qualitative=realisasi_takes_text(row.target),
        lock=Lock(tahun, reason) if reason is not None else None,
    )


def _edit_context(
    page: EditPage,
    tahun: int,
    form: RealisasiForm,
    panel: Any,
    read_only: bool,
    needs_confirmation: bool,
) -> dict[str, Any]:
    return {
        "tahun": tahun,
        "nama": page.indikator.nama,
        "indikator": page.indikator,
        "row": page.row,
        "form": form,
        "lock": page.lock,
        "read_only": read_only,
        "bidang": page.indikator.effective_bidang,
        "history": _history(page.indikator, tahun),
        "panel": panel,
        "konteks": indicator_context(page.indikator, tahun),
        "needs_confirmation": needs_confirmation,
    }


@login_required
def realisasi_edit(request: HttpRequest, tahun: int, pk: int) -> HttpResponse:
    """Everyone of the OPD reads an indicator's realisasi, evidence and history; only its
    bidang (and the admin) writes; another OPD's is neither read nor written.

    A GET is rendered once per data version and kind of reader (writer or reader): a request
    that finds it costs the sign-in queries, the data version and the reader's OPD and
    bidang. Computing it (the view's own queries): the indicator with its tree (1), the
    indicator with its tree and the year's lock (1), the scale (3), the targets and realisasi
    of the year and the year before (2), the history (1)."""
    if request.method == "POST":
        return _realisasi_save(request, tahun, pk)
    # The indicator's OPD and its version in one query; the facts are kept under it.
    version, _opd_id = for_indikator(pk)
    facts: EditFacts | None = kept(("realisasi-fakta", pk), lambda: _edit_facts(pk), version)
    if facts is None:
        raise Http404
    if not can_read_opd(request.user, facts.opd_id):
        raise PermissionDenied("Anda tidak berhak melihat realisasi perangkat daerah lain.")
    if not facts.tahun_awal - PRE_PERIOD_YEARS <= tahun <= facts.tahun_akhir:
        raise Http404("Tahun di luar periode Renstra.")
    # A year before the period holds history the perencana records; the period's, the bidang.
    if tahun < facts.tahun_awal:
        read_only = not can_manage_plan(request.user, facts.opd_id)
    else:
        read_only = not can_record_for_bidang(request.user, facts.opd_id, facts.bidang_id)

    def render_body() -> str:
        page = _edit_page(_edit_subject(tahun, pk), tahun)
        # An indicator with a formula takes its components; the engine computes its realisasi.
        panel = component_panel(page.indikator, tahun, None, None)
        form = RealisasiForm(
            None,
            None,
            indikator=page.indikator,
            existing=page.existing,
            qualitative=page.qualitative,
            computed=panel is not None,
        )
        context = _edit_context(page, tahun, form, panel, read_only, needs_confirmation=False)
        # The token is the reader's: a placeholder here, the real one on every request.
        context["csrf_token"] = CSRF_MARK
        return render_to_string("indicators/_realisasi_edit_body.html", context)

    body = kept(("realisasi-edit", pk, tahun, read_only), render_body, version)
    return render(
        request,
        "indicators/realisasi_edit.html",
        {
            "tahun": tahun,
            "nama": facts.nama,
            "body": mark_safe(body.replace(CSRF_MARK, get_token(request))),  # noqa: S308
        },
    )


def _period_value(data: dict[str, Any], periode: str, name: str) -> PeriodValue:
    """A period's field as the service takes it: a number, a rate ("75/100.000 KH"), the
    annual qualitative text, or "not available" with its reason (annual only)."""
    versi = data.get(f"versi_{name}") or 0
    if periode != Periode.TAHUNAN:
        return PeriodValue.of(periode, data.get(name), versi)
    unavailable = (data.get("alasan_tidak_tersedia") or "") if data.get("tidak_tersedia") else None
    text = data.get("tahunan_teks") or ""
    value = PeriodValue.of(periode, data.get(name), versi, tidak_tersedia=unavailable)
    return replace(value, nilai_teks=text) if text else value


def _realisasi_save(request: HttpRequest, tahun: int, pk: int) -> HttpResponse:
    indikator = _edit_subject(tahun, pk)
    opd_id = indikator.periode.opd_id
    if not can_read_opd(request.user, opd_id):
        raise PermissionDenied("Anda tidak berhak melihat realisasi perangkat daerah lain.")
    if (
        not indikator.periode.tahun_awal - PRE_PERIOD_YEARS
        <= tahun
        <= indikator.periode.tahun_akhir
    ):
        raise Http404("Tahun di luar periode Renstra.")
    check_can_record(acting_user(request), indikator, tahun)
    read_only = False  # the check above refused anyone who may not write this year
    page = _edit_page(indikator, tahun)
    existing, qualitative = page.existing, page.qualitative
    needs_confirmation = False
    panel = component_panel(indikator, tahun, request.POST, request.FILES or None)
    form = RealisasiForm(
        request.POST,
        request.FILES or None,
        indikator=indikator,
        existing=existing,
        qualitative=qualitative,
        computed=panel is not None,
    )
    # The service refuses a locked year (and says why); the page only shows the lock.
    if form.is_valid() and (panel is None or panel.form.is_valid()):
        data = form.cleaned_data
        values = [
            _period_value(data, periode, name)
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
    return render(
        request,
        "indicators/realisasi_edit.html",
        _edit_context(page, tahun, form, panel, read_only, needs_confirmation),
        status=400,
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    realisasi = get_object_or_404(Realisasi.objects.select_related("indikator__periode"), pk=pk)
    if not can_read_opd(request.user, realisasi.indikator.periode.opd_id):
        raise PermissionDenied("Anda tidak berhak melihat bukti ini.")
    if not realisasi.bukti:
        raise Http404("Tidak ada bukti.")
    return evidence_response(realisasi.bukti, realisasi.bukti_nama)


@login_required
def komponen_evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """A component value's evidence, to whoever reads its indicator's OPD (as a realisasi's)."""
    value = get_object_or_404(
        NilaiKomponen.objects.select_related("komponen__rumus__indikator__periode"), pk=pk
    )
    if not can_read_opd(request.user, value.komponen.rumus.indikator.periode.opd_id):
        raise PermissionDenied("Anda tidak berhak melihat bukti ini.")
    if not value.bukti:
        raise Http404("Tidak ada bukti.")
    return evidence_response(value.bukti, value.bukti_nama)
