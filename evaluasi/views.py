"""The evaluation's pages: the Pemda's list of OPDs with their nilai and predikat, and one
OPD's LKE — the 80 criteria with the system's proposal and its figures, the OPD's answer and
the Inspektorat's, the nilai live. Views read forms and call ``evaluasi.services``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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

from .followup import evidence_by_criterion
from .models import BuktiJawaban, Evaluasi, Jawaban, StatusEvaluasi
from .proposals import Proposal, propose
from .reader import instrument_of, scores_of
from .scoring import Criterion, score
from .services import evaluasi_finalize, evaluasi_open, jawaban_tetapkan, jawaban_usul


class JawabanForm(forms.Form):
    kode = forms.RegexField(regex=r"^\d{1,2}\.[a-z]\.\d{1,2}$", max_length=10)
    jawaban = forms.CharField(max_length=4)
    catatan = forms.CharField(max_length=2000, required=False)
    versi = forms.IntegerField(min_value=0, max_value=2**31 - 1)


class AksiForm(forms.Form):
    aksi = forms.ChoiceField(choices=[("buka", "buka"), ("final", "final")])


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


@dataclass
class Line:
    opd: Opd
    evaluasi: Evaluasi | None
    usulan: Decimal | None = None
    penetapan: Decimal | None = None
    predikat: str = ""
    answered: int = 0


@login_required
def index(request: HttpRequest, tahun: int) -> HttpResponse:
    """Every OPD of the Pemda (its plan unit first) with the progress and nilai."""
    pemda_id = user_pemda_id(request.user)
    if not can_read_pemda(request.user, pemda_id):
        raise PermissionDenied("Daftar evaluasi untuk Inspektorat, Bappeda dan Kepala Daerah.")
    opds = list(Opd.objects.filter(pemda_id=pemda_id or 0).order_by("-jenis", "kode"))
    evaluations = {
        e.opd_id: e
        for e in Evaluasi.objects.filter(opd__in=opds, tahun=tahun).select_related("instrumen")
    }
    answers: dict[int, dict[str, Jawaban]] = {}
    for j in Jawaban.objects.filter(evaluasi__in=evaluations.values()).select_related("kriteria"):
        answers.setdefault(j.evaluasi_id, {})[j.kriteria.kode] = j
    instruments = {
        e.instrumen_id: instrument_of(e.instrumen) for e in evaluations.values()
    }  # one per version in use
    lines = []
    for opd in opds:
        ev = evaluations.get(opd.pk)
        if ev is None:
            lines.append(Line(opd, None))
            continue
        own = answers.get(ev.pk, {})
        lke = instruments[ev.instrumen_id]
        by_opd = score(lke, {k: j.usulan or None for k, j in own.items()})
        by_insp = score(lke, {k: j.penetapan or None for k, j in own.items()})
        lines.append(
            Line(
                opd,
                ev,
                by_opd.total,
                by_insp.total,
                by_insp.predikat.predikat,
                sum(1 for j in own.values() if j.penetapan),
            )
        )
    return render(
        request,
        "evaluasi/index.html",
        {
            "tahun": tahun,
            "lines": lines,
            "n_criteria": 80,
            "years": _years(tahun),
        },
    )


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
                elif evaluasi is not None:
                    evaluasi_finalize(user=user, evaluasi=evaluasi)
                    messages.success(request, "Evaluasi final.")
            else:
                data = valid_or_400(JawabanForm(request.POST))
                if evaluasi is None:
                    raise ValidationError("Evaluasi tahun ini belum dibuka.")
                write = jawaban_tetapkan if can_review(user, opd.pk) else jawaban_usul
                write(
                    user=user,
                    evaluasi=evaluasi,
                    kode=data["kode"],
                    jawaban=data["jawaban"],
                    catatan=data["catatan"],
                    versi=data["versi"],
                )
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
        proposals = propose(opd, tahun, scores.instrument.thresholds)
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
        )
    return render(request, "evaluasi/opd.html", context)
