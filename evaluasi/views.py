"""The evaluation's pages: the Pemda's list of OPDs with their nilai and predikat, and one
OPD's LKE — the 80 criteria with the system's proposal and its figures, the OPD's answer and
the Inspektorat's, the nilai live. Views read forms and call ``evaluasi.services``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from common.params import valid_or_400
from indicators.views import default_year
from renstra.models import Opd
from renstra.permissions import (
    acting_user,
    can_manage_plan,
    can_read_opd,
    can_read_pemda,
    can_review,
    user_opd_id,
    user_pemda_id,
    user_role,
)

from . import advice
from .followup import evidence_by_criterion
from .instrumen_services import can_manage_instrument
from .models import BuktiJawaban, Evaluasi, Jawaban, StatusEvaluasi
from .proposals import Proposal, propose
from .reader import OpdLine, Scores, pemda_lines, scores_of, years_of
from .scoring import Criterion, Gain, gains
from .services import (
    evaluasi_finalize,
    evaluasi_open,
    jawaban_terima_semua,
    jawaban_tetapkan,
    jawaban_usul,
)
from .workbook_export import kabupaten_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class JawabanForm(forms.Form):
    kode = forms.RegexField(regex=r"^\d{1,2}\.[a-z]\.\d{1,2}$", max_length=10)
    jawaban = forms.CharField(max_length=4)
    catatan = forms.CharField(max_length=2000, required=False)
    # The OPD's link to a page of Kinerja as evidence (the Inspektorat's form has none).
    tautan_bukti = forms.CharField(max_length=300, required=False)
    versi = forms.IntegerField(min_value=0, max_value=2**31 - 1)


class AksiForm(forms.Form):
    aksi = forms.ChoiceField(choices=[("buka", "buka"), ("terima", "terima"), ("final", "final")])


def _year(request: HttpRequest) -> int:
    # An evaluation looks back: the latest year with realisasi up to the one just ended (the
    # year whose LAKIP is out), as the other pages open.
    return default_year(user_opd_id(request.user))


def _years(tahun: int) -> list[int]:
    this = timezone.localdate().year
    return sorted({*range(this - 4, this), tahun})


@login_required
def evaluasi_now(request: HttpRequest) -> HttpResponse:
    if user_role(request.user) in ("inspektorat", "bappeda", "kepala_daerah", "admin"):
        return redirect("evaluasi:index", tahun=_year(request))
    opd = Opd.objects.filter(pk=user_opd_id(request.user) or 0).first()
    if opd is None:
        raise PermissionDenied("Evaluasi AKIP dibuka dari OPD Anda.")
    return redirect("evaluasi:opd", tahun=_year(request), kode=opd.kode)


@dataclass(frozen=True)
class Column:
    key: str  # the ?urut= value
    label: str
    value: Callable[[OpdLine], Any]  # None: no evaluation yet, listed last either way


_STATUS_ORDER = {s.value: n for n, s in enumerate(StatusEvaluasi)}
COLUMNS = (
    Column("opd", "Perangkat daerah", lambda ln: (ln.opd.singkatan or ln.opd.kode).casefold()),
    Column(
        "status", "Status", lambda ln: _STATUS_ORDER[ln.evaluasi.status] if ln.evaluasi else None
    ),
    Column("mandiri", "Nilai mandiri", lambda ln: ln.scores.usulan.total if ln.scores else None),
    Column(
        "nilai", "Nilai Inspektorat", lambda ln: ln.scores.penetapan.total if ln.scores else None
    ),
    # The bands order the predikat (AA above A above BB …).
    Column(
        "predikat", "Predikat", lambda ln: ln.scores.penetapan.predikat.above if ln.scores else None
    ),
    Column("isi_mandiri", "Penilaian mandiri", lambda ln: ln.self_assessed if ln.scores else None),
    Column("isi_evaluasi", "Evaluasi", lambda ln: ln.evaluated if ln.scores else None),
    Column(
        "rekomendasi",
        "Rekomendasi terbuka",
        lambda ln: ln.open_recommendations if ln.scores else None,
    ),
)
_BY_KEY = {c.key: c for c in COLUMNS}


class UrutForm(forms.Form):
    urut = forms.ChoiceField(
        choices=[(f"{sign}{c.key}", c.label) for c in COLUMNS for sign in ("", "-")],
        required=False,
    )


def sorted_lines(lines: list[OpdLine], urut: str) -> list[OpdLine]:
    """The Pemda's own row first, then the OPDs by ``urut`` ("-" before it: descending; an
    OPD whose evaluation is not opened yet last either way; ties by kode)."""
    pemda = [ln for ln in lines if ln.is_pemda]
    rest = [ln for ln in lines if not ln.is_pemda]
    if not urut:
        return pemda + rest
    column = _BY_KEY[urut.lstrip("-")]
    known = [ln for ln in rest if column.value(ln) is not None]
    known.sort(key=lambda ln: ln.opd.kode)
    known.sort(key=column.value, reverse=urut.startswith("-"))
    return pemda + known + [ln for ln in rest if column.value(ln) is None]


def _pemda_lines(request: HttpRequest, tahun: int) -> list[OpdLine]:
    pemda_id = user_pemda_id(request.user)
    if not can_read_pemda(request.user, pemda_id):
        raise PermissionDenied("Daftar evaluasi untuk Inspektorat, Bappeda dan Kepala Daerah.")
    return pemda_lines(pemda_id, tahun)


@login_required
def index(request: HttpRequest, tahun: int) -> HttpResponse:
    """Every OPD of the Pemda (its plan unit first, labelled as the Pemda) with its nilai,
    predikat, the progress of the self-assessment and of the evaluation and its open
    recommendations; sortable by each column (``?urut=``)."""
    lines = _pemda_lines(request, tahun)
    urut = valid_or_400(UrutForm(request.GET))["urut"]
    lines = sorted_lines(lines, urut)
    headers = [
        {
            "label": c.label,
            "key": c.key,
            "numeric": c.key not in ("opd", "status", "predikat"),
            "next": f"-{c.key}" if urut == c.key else c.key,
            "sort": "ascending" if urut == c.key else "descending" if urut == f"-{c.key}" else "",
        }
        for c in COLUMNS
    ]
    return render(
        request,
        "evaluasi/index.html",
        {
            "tahun": tahun,
            "lines": lines,
            "headers": headers,
            "urut": urut,
            "years": _years(tahun),
            "can_manage_instrument": can_manage_instrument(request.user),
        },
    )


@login_required
def kabupaten_xlsx(request: HttpRequest, tahun: int) -> HttpResponse:
    """The list as a workbook: a summary sheet and every evaluation's LKE."""
    lines = _pemda_lines(request, tahun)
    unit = next((ln.opd for ln in lines if ln.is_pemda), None)
    content = kabupaten_workbook(
        lines, tahun=tahun, title=unit.nama if unit else "Perangkat daerah"
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="evaluasi-akip-{tahun}.xlsx"'
    return response


@dataclass
class Row:
    criterion: Criterion
    answer: Jawaban | None
    proposal: Proposal | None
    options: tuple[str, ...] = ()
    bukti: list[BuktiJawaban] = field(default_factory=list)  # the criterion's evidence files

    @property
    def differs(self) -> bool:
        """The human answer (the Inspektorat's, else the OPD's) is not the system's."""
        if self.proposal is None or self.answer is None:
            return False
        human = self.answer.penetapan or self.answer.usulan
        return bool(human) and human != self.proposal.jawaban


# How many of the steps that raise the nilai most the page lists (and forecasts with).
TOP_STEPS = 10


@dataclass
class Step:
    gain: Gain
    criterion: Criterion
    advice: advice.Advice
    proposal: Proposal | None
    link: str  # empty: the step is the evaluator's or the viewer cannot take it


def _place_link(place: str, tahun: int, opd: Opd, kode: str) -> str:
    """The page of Kinerja where the OPD takes a step (the OPD's own pages; the admin is
    scoped to its OPD)."""
    match place:
        case advice.INDIKATOR:
            return reverse("admin:indicators_indikator_changelist")
        case advice.RENSTRA:
            return reverse("admin:renstra_program_changelist")
        case advice.REALISASI:
            return reverse("indicators:realisasi_list", args=[tahun])
        case advice.RENCANA_AKSI:
            return reverse("indicators:rencana_aksi", args=[tahun])
        case advice.LAKIP:
            return reverse("lakip", args=[tahun])
        case advice.DOKUMEN:
            return reverse("dokumen:dokumen", args=[tahun])
        case advice.REGISTER:
            return reverse("register:register", args=[tahun])
        case advice.TAUTAN:
            return reverse("link_propose")
        case advice.REKOMENDASI:
            return reverse("evaluasi:rekomendasi", args=[tahun - 1, opd.kode])
    return f"#k-{kode}"


def _steps(
    scores: Scores, proposals: dict[str, Proposal], opd: Opd, tahun: int, own: bool
) -> list[Step]:
    """The criteria that raise the nilai most, counted from the best answer known now (the
    Inspektorat's, else the OPD's, else the system's proposal), each with its step in
    Kinerja; links only for the OPD's perencana, who takes them."""
    lke = scores.instrument
    known = {}
    for c in lke.criteria:
        j = scores.answers.get(c.kode)
        proposal = proposals.get(c.kode)
        human = (j.penetapan or j.usulan) if j else ""
        known[c.kode] = human or (proposal.jawaban if proposal else "") or None
    by_kode = {c.kode: c for c in lke.criteria}
    out = []
    for g in gains(lke, known)[:TOP_STEPS]:
        step = advice.advice_for(g.kode)
        link = _place_link(step.place, tahun, opd, g.kode) if own else ""
        out.append(Step(g, by_kode[g.kode], step, proposals.get(g.kode), link))
    return out


@login_required
def opd_page(request: HttpRequest, tahun: int, kode: str) -> HttpResponse:
    opd = get_object_or_404(Opd, kode=kode)
    if not can_read_opd(request.user, opd.pk):
        raise PermissionDenied("Anda tidak berhak membaca evaluasi OPD ini.")
    user = acting_user(request)
    evaluasi = Evaluasi.objects.filter(opd=opd, tahun=tahun).select_related("instrumen").first()
    if request.method == "POST":
        try:
            if "aksi" in request.POST:
                aksi = valid_or_400(AksiForm(request.POST))["aksi"]
                if aksi == "buka":
                    evaluasi_open(user=user, opd=opd, tahun=tahun)
                    messages.success(request, "Evaluasi dibuka.")
                elif evaluasi is None:
                    raise ValidationError("Evaluasi tahun ini belum dibuka.")
                elif aksi == "terima":
                    accepted, unset = jawaban_terima_semua(user=user, evaluasi=evaluasi)
                    messages.success(
                        request,
                        f"{accepted} jawaban ditetapkan dari jawaban OPD atau usulan Kinerja"
                        + (f"; {unset} kriteria masih perlu dinilai." if unset else "."),
                    )
                else:
                    evaluasi_finalize(user=user, evaluasi=evaluasi)
                    messages.success(request, "Evaluasi final.")
            else:
                data = valid_or_400(JawabanForm(request.POST))
                if evaluasi is None:
                    raise ValidationError("Evaluasi tahun ini belum dibuka.")
                common = {
                    "user": user,
                    "evaluasi": evaluasi,
                    "kode": data["kode"],
                    "jawaban": data["jawaban"],
                    "catatan": data["catatan"],
                    "versi": data["versi"],
                }
                if can_review(user, opd.pk):
                    jawaban_tetapkan(**common)
                else:
                    jawaban_usul(**common, tautan_bukti=data["tautan_bukti"])
                messages.success(request, f"Jawaban {data['kode']} disimpan.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(
            request.path + (f"#k-{request.POST.get('kode', '')}" if "kode" in request.POST else "")
        )
    context: dict[str, object] = {
        "opd": opd,
        "tahun": tahun,
        "evaluasi": evaluasi,
        "can_open": can_manage_plan(user, opd.pk) or can_review(user, opd.pk),
        "years": _years(tahun),
        "answers_as": "penetapan"
        if can_review(user, opd.pk)
        else "usulan"
        if can_manage_plan(user, opd.pk)
        else "",
    }
    if evaluasi is not None:
        scores = scores_of(evaluasi)
        proposals = propose(opd, tahun, scores.instrument.thresholds, scores.instrument)
        evidence = evidence_by_criterion(evaluasi)
        lke = scores.instrument
        groups: list[dict[str, Any]] = [
            {
                "sub": sub,
                "usulan": scores.usulan.subs[sub.kode],
                "penetapan": scores.penetapan.subs[sub.kode],
                "rows": [
                    Row(
                        c,
                        scores.answers.get(c.kode),
                        proposals.get(c.kode),
                        tuple(lke.scales[c.skala]),
                        evidence.get(c.kode, []),
                    )
                    for c in lke.criteria
                    if c.sub == sub.kode
                ],
            }
            for sub in lke.subs
        ]
        context.update(
            scores=scores,
            groups=groups,
            components=[
                (c, scores.usulan.components[c.kode], scores.penetapan.components[c.kode])
                for c in lke.components
            ],
            thresholds=sorted(scores.instrument.thresholds.items(), key=lambda kv: -kv[1]),
            final=evaluasi.status == StatusEvaluasi.FINAL,
            n_differs=sum(1 for g in groups for r in g["rows"] if r.differs),
            steps=_steps(scores, proposals, opd, tahun, own=can_manage_plan(user, opd.pk)),
            history=years_of(opd.pk, tahun, {evaluasi.instrumen_id: lke}),
        )
    return render(request, "evaluasi/opd.html", context)
