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
