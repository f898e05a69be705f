"""Reads an instrument's rows into the pure :class:`scoring.Instrument` (a fixed number of
queries), an evaluation's answers into its scores, and a Pemda's OPDs with theirs (the
kabupaten view and its workbook)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F

from renstra.models import JenisOpd, Opd

from .models import (
    Evaluasi,
    Instrumen,
    Jawaban,
    Kriteria,
    Logika,
    Predikat,
    Rekomendasi,
    Skala,
    SubKomponen,
    Verifikasi,
)
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


@dataclass(frozen=True)
class OpdLine:
    """One row of the Pemda's evaluation list: an OPD (or the Pemda's plan unit) with its
    evaluation of the year, when opened, and its recommendations still open."""

    opd: Opd
    evaluasi: Evaluasi | None
    scores: Scores | None
    open_recommendations: int = 0

    @property
    def is_pemda(self) -> bool:
        return self.opd.jenis == JenisOpd.PEMDA

    @property
    def self_assessed(self) -> int:
        """Criteria the OPD has answered (its self-assessment)."""
        return sum(1 for j in self.scores.answers.values() if j.usulan) if self.scores else 0

    @property
    def evaluated(self) -> int:
        """Criteria the Inspektorat has answered."""
        return sum(1 for j in self.scores.answers.values() if j.penetapan) if self.scores else 0

    @property
    def n_criteria(self) -> int:
        return len(self.scores.instrument.criteria) if self.scores else 0


def pemda_lines(pemda_id: int | None, tahun: int) -> list[OpdLine]:
    """Every OPD of the Pemda with its evaluation of ``tahun``, the plan unit first, then by
    kode. Queries: the OPDs, the evaluations, their answers, the open recommendations (4) and
    :func:`instrument_of` once per instrument version in use (7 each: its scales and their
    values are two) — constant in the number of OPDs."""
    # "pemda" sorts after "opd": the plan unit comes first.
    opds = list(Opd.objects.filter(pemda_id=pemda_id or 0).order_by("-jenis", "kode"))
    evaluations = {
        e.opd_id: e
        for e in Evaluasi.objects.filter(opd__in=opds, tahun=tahun).select_related("instrumen")
    }
    answers: dict[int, dict[str, Jawaban]] = {}
    # The criterion's kode joined in, not its row: 80 answers per OPD, and building a Kriteria
    # object for each doubled the time of the list for 40 OPDs.
    for j in (
        Jawaban.objects.filter(evaluasi__in=list(evaluations.values()))
        .annotate(kode=F("kriteria__kode"))
        .order_by("kriteria__urutan")
    ):
        answers.setdefault(j.evaluasi_id, {})[j.kode] = j
    open_recs = dict(
        Rekomendasi.objects.filter(evaluasi__in=list(evaluations.values()))
        .exclude(verifikasi=Verifikasi.DITERIMA)
        .values("evaluasi_id")
        .annotate(n=Count("pk"))
        .values_list("evaluasi_id", "n")
    )
    instruments: dict[int, Instrument] = {}
    for e in evaluations.values():
        if e.instrumen_id not in instruments:
            instruments[e.instrumen_id] = instrument_of(e.instrumen)
    lines = []
    for opd in opds:
        ev = evaluations.get(opd.pk)
        if ev is None:
            lines.append(OpdLine(opd, None, None))
            continue
        own = answers.get(ev.pk, {})
        lke = instruments[ev.instrumen_id]
        scores = Scores(
            instrument=lke,
            usulan=score(lke, {k: j.usulan or None for k, j in own.items()}),
            penetapan=score(lke, {k: j.penetapan or None for k, j in own.items()}),
            answers=own,
        )
        lines.append(OpdLine(opd, ev, scores, open_recs.get(ev.pk, 0)))
    return lines
