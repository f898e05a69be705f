"""Reads an instrument's rows into the pure :class:`scoring.Instrument` (a fixed number of
queries) and an evaluation's answers into its scores."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import Evaluasi, Instrumen, Jawaban, Kriteria, Logika, Predikat, Skala, SubKomponen
from .scoring import Band, Component, Criterion, Instrument, Rule, Score, Sub, score


def instrument_of(instrumen: Instrumen) -> Instrument:
    """Queries: 6 (components, subs, criteria, scales with their values, bands, rules)."""
    components = tuple(
        Component(k.kode, k.bobot, k.nama) for k in instrumen.komponen_set.order_by("kode")
    )
    subs = tuple(
        Sub(s.kode, s.komponen.kode, s.bobot, s.nama)
        for s in SubKomponen.objects.filter(komponen__instrumen=instrumen)
        .select_related("komponen")
        .order_by("komponen__kode", "kode")
    )
    criteria = tuple(
        Criterion(c.kode, c.sub.kode, c.skala.kode, c.uraian)
        for c in Kriteria.objects.filter(sub__komponen__instrumen=instrumen)
        .select_related("sub", "skala")
        .order_by("urutan")
    )
    scales = {
        s.kode: {v.jawaban: v.nilai for v in s.nilai_set.all()}
        for s in Skala.objects.filter(instrumen=instrumen).prefetch_related("nilai_set")
    }
    bands = tuple(
        Band(p.predikat, p.label, p.di_atas) for p in Predikat.objects.filter(instrumen=instrumen)
    )
    rules = tuple(
        Rule(r.syarat, tuple(t.strip() for t in r.terikat.split(",") if t.strip()), r.pesan)
        for r in Logika.objects.filter(instrumen=instrumen)
    )
    thresholds = {str(k): Decimal(str(v)) for k, v in (instrumen.ambang or {}).items()}
    return Instrument(components, subs, criteria, scales, bands, rules, thresholds)


@dataclass(frozen=True)
class Scores:
    instrument: Instrument
    usulan: Score  # the OPD's self-assessment
    penetapan: Score  # the Inspektorat's answers (an unset one counts 0)
    answers: dict[str, Jawaban]


def scores_of(evaluasi: Evaluasi) -> Scores:
    """Queries: those of :func:`instrument_of` and the answers (1)."""
    instrument = instrument_of(evaluasi.instrumen)
    answers = {j.kriteria.kode: j for j in evaluasi.jawaban_set.select_related("kriteria").all()}
    return Scores(
        instrument=instrument,
        usulan=score(instrument, {k: j.usulan or None for k, j in answers.items()}),
        penetapan=score(instrument, {k: j.penetapan or None for k, j in answers.items()}),
        answers=answers,
    )


@dataclass(frozen=True)
class YearScore:
    tahun: int
    score: Score
    by: str  # "Inspektorat" (any penetapan set) or "mandiri"


def years_of(
    opd_id: int, tahun: int, known: dict[int, Instrument], back: int = 4
) -> list[YearScore]:
    """The OPD's evaluations of ``tahun`` and up to ``back`` years before, oldest first, each
    scored with its own instrument: the Inspektorat's answers once it has set any, else the
    OPD's. Queries: 2 (evaluations, answers), plus :func:`instrument_of` for a version not in
    ``known`` (instrument id → instrument, filled as it goes)."""
    evaluations = list(
        Evaluasi.objects.filter(opd_id=opd_id, tahun__gte=tahun - back, tahun__lte=tahun)
        .select_related("instrumen")
        .order_by("tahun")
    )
    answers: dict[int, list[Jawaban]] = {}
    for j in Jawaban.objects.filter(evaluasi__in=evaluations).select_related("kriteria"):
        answers.setdefault(j.evaluasi_id, []).append(j)
    out = []
    for ev in evaluations:
        if ev.instrumen_id not in known:
            known[ev.instrumen_id] = instrument_of(ev.instrumen)
        own = answers.get(ev.pk, [])
        by_insp = any(j.penetapan for j in own)
        field = "penetapan" if by_insp else "usulan"
        result = score(
            known[ev.instrumen_id], {j.kriteria.kode: getattr(j, field) or None for j in own}
        )
        out.append(YearScore(ev.tahun, result, "Inspektorat" if by_insp else "mandiri"))
    return out
