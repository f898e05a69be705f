"""The LKE's arithmetic, pure: answers → nilai per sub-komponen, komponen and total, the
predikat, and the logic-check findings (PermenPANRB 88/2021; every weight, scale value, band
and rule is the instrument's data, passed in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

ZERO = Decimal(0)


@dataclass(frozen=True)
class Criterion:
    kode: str  # "1.b.5"
    sub: str  # "1.b"
    skala: str  # "Y/T", "A-E"
    uraian: str = ""


@dataclass(frozen=True)
class Sub:
    kode: str  # "1.b"
    komponen: str  # "1"
    bobot: Decimal
    nama: str = ""


@dataclass(frozen=True)
class Component:
    kode: str  # "1"
    bobot: Decimal
    nama: str = ""


@dataclass(frozen=True)
class Band:
    predikat: str  # "BB"
    label: str  # "Sangat Baik"
    above: Decimal  # the nilai must be greater than this (the lowest band: at least)


@dataclass(frozen=True)
class Rule:
    """A logic check: when ``condition`` scores 0, each criterion of ``bound`` (a kode, or a
    prefix ending in "*") must score 0 too; otherwise ``message`` is a finding."""

    condition: str
    bound: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Instrument:
    components: tuple[Component, ...]
    subs: tuple[Sub, ...]
    criteria: tuple[Criterion, ...]
    # Scale → answer → value (Y/T: Y = 1, T = 0; A-E: A = 1 … E = 0).
    scales: Mapping[str, Mapping[str, Decimal]]
    bands: tuple[Band, ...]
    rules: tuple[Rule, ...] = ()
    # Minimum share (%) per answer A–D for the proposals Kinerja makes from its data.
    thresholds: Mapping[str, Decimal] = field(default_factory=dict)

    def criterion(self, kode: str) -> Criterion | None:
        return self._by_kode.get(kode)

    @cached_property
    def _by_kode(self) -> dict[str, Criterion]:
        # Scoring looks every criterion up by kode: a scan each time made a score 80 × 80
        # comparisons, most of the kabupaten view's time for 40 OPDs.
        return {c.kode: c for c in self.criteria}


@dataclass(frozen=True)
class Finding:
    rule: Rule
    criteria: tuple[str, ...]  # the bound criteria that score above 0

    @property
    def text(self) -> str:
        bound = ", ".join(self.criteria)
        return f"{self.rule.message} ({self.rule.condition} = 0, tetapi {bound} > 0)"


@dataclass(frozen=True)
class Score:
    total: Decimal
    predikat: Band
    components: dict[str, Decimal]
    subs: dict[str, Decimal]
    values: dict[str, Decimal | None]  # per criterion; None: not answered
    findings: tuple[Finding, ...] = ()
    unanswered: tuple[str, ...] = field(default=())


class InvalidAnswer(ValueError):
    """An answer outside its criterion's scale, or a criterion the instrument lacks."""


def value_of(instrument: Instrument, kode: str, answer: str | None) -> Decimal | None:
    """The value of one answer on its criterion's scale (case and spaces ignored)."""
    criterion = instrument.criterion(kode)
    if criterion is None:
        raise InvalidAnswer(f"Kriteria {kode} tidak ada pada instrumen ini.")
    if answer is None or not answer.strip():
        return None
    scale = instrument.scales[criterion.skala]
    key = answer.strip().upper()
    if key not in scale:
        allowed = "/".join(scale)
        raise InvalidAnswer(
            f"Jawaban «{answer}» untuk {kode} di luar skala {criterion.skala} ({allowed})."
        )
    return scale[key]


def predikat(instrument: Instrument, nilai: Decimal) -> Band:
    """The band whose lower bound the nilai exceeds (AA > 90 … D from 0)."""
    ordered = sorted(instrument.bands, key=lambda b: b.above, reverse=True)
    for band in ordered[:-1]:
        if nilai > band.above:
            return band
    return ordered[-1]


def _matches(kode: str, pattern: str) -> bool:
    return kode.startswith(pattern[:-1]) if pattern.endswith("*") else kode == pattern


def check_logic(
    instrument: Instrument, values: Mapping[str, Decimal | None]
) -> tuple[Finding, ...]:
    findings = []
    for rule in instrument.rules:
        if values.get(rule.condition) != ZERO:
            continue
        bound = tuple(
            c.kode
            for c in instrument.criteria
            if c.kode != rule.condition
            and any(_matches(c.kode, p) for p in rule.bound)
            and (values.get(c.kode) or ZERO) > ZERO
        )
        if bound:
            findings.append(Finding(rule, bound))
    return tuple(findings)


def score(instrument: Instrument, answers: Mapping[str, str | None]) -> Score:
    """nilai sub-komponen = mean of its criteria's values × bobot (an unanswered criterion
    counts 0 and is listed); komponen = sum of its subs; total = sum of komponen. Exact
    decimals: round only for display."""
    unknown = sorted(set(answers) - {c.kode for c in instrument.criteria})
    if unknown:
        raise InvalidAnswer(f"Kriteria {unknown[0]} tidak ada pada instrumen ini.")
    values = {
        c.kode: value_of(instrument, c.kode, answers.get(c.kode)) for c in instrument.criteria
    }
    subs: dict[str, Decimal] = {}
    for sub in instrument.subs:
        own = [values[c.kode] or ZERO for c in instrument.criteria if c.sub == sub.kode]
        subs[sub.kode] = sum(own, ZERO) / len(own) * sub.bobot if own else ZERO
    components = {
        comp.kode: sum((subs[s.kode] for s in instrument.subs if s.komponen == comp.kode), ZERO)
        for comp in instrument.components
    }
    total = sum(components.values(), ZERO)
    return Score(
        total=total,
        predikat=predikat(instrument, total),
        components=components,
        subs=subs,
        values=values,
        findings=check_logic(instrument, values),
        unanswered=tuple(k for k, v in values.items() if v is None),
    )


def parse_tsv(
    text: str,
    scales: Mapping[str, Mapping[str, Decimal]],
    bands: Sequence[Band],
    rules: Sequence[Rule] = (),
    thresholds: Mapping[str, Decimal] | None = None,
) -> Instrument:
    """The instrument of the regulation's TSV (kode, komponen, bobot_komponen, sub_komponen,
    bobot_sub, kriteria, skala), with the given scales, bands and rules."""
    lines = [ln.split("\t") for ln in text.splitlines() if ln.strip()]
    header, rows = lines[0], lines[1:]
    col = {name: i for i, name in enumerate(header)}
    components: dict[str, Component] = {}
    subs: dict[str, Sub] = {}
    criteria = []
    for row in rows:
        kode = row[col["kode"]].strip()
        comp_kode, sub_letter, _ = kode.split(".")
        sub_kode = f"{comp_kode}.{sub_letter}"
        components.setdefault(
            comp_kode,
            Component(comp_kode, Decimal(row[col["bobot_komponen"]]), row[col["komponen"]].strip()),
        )
        subs.setdefault(
            sub_kode,
            Sub(
                sub_kode,
                comp_kode,
                Decimal(row[col["bobot_sub"]]),
                row[col["sub_komponen"]].strip(),
            ),
        )
        criteria.append(
            Criterion(kode, sub_kode, row[col["skala"]].strip(), row[col["kriteria"]].strip())
        )
    return Instrument(
        components=tuple(components.values()),
        subs=tuple(subs.values()),
        criteria=tuple(criteria),
        scales=scales,
        bands=tuple(bands),
        rules=tuple(rules),
        thresholds=dict(thresholds or {}),
    )


def grade(thresholds: Mapping[str, Decimal], share: Decimal) -> str:
    """A share (0–100 %) as an A–E answer: the best grade whose minimum it reaches (the
    instrument's thresholds, e.g. A ≥ 90, B ≥ 75, C ≥ 50, D ≥ 25); E below them all."""
    for answer, minimum in sorted(thresholds.items(), key=lambda kv: kv[1], reverse=True):
        if share >= minimum:
            return answer
    return "E"


@dataclass(frozen=True)
class Gain:
    """One criterion raised to its full answer: what it adds, and the nilai and predikat once
    it and every criterion ranked above it are raised too (the gains add up: a sub-komponen's
    nilai is the mean of its criteria)."""

    kode: str
    current: str | None  # the answer counted now (None: unanswered)
    best: str  # the answer that scores full
    gain: Decimal
    nilai_after: Decimal
    predikat_after: Band


def gains(instrument: Instrument, answers: Mapping[str, str | None]) -> tuple[Gain, ...]:
    """The criteria below full marks ranked by weight × room to improve (bobot of the
    sub-komponen ÷ its number of criteria × (1 − value)), ties in the instrument's order."""
    base = score(instrument, answers)
    per_sub = {
        s.kode: sum(1 for c in instrument.criteria if c.sub == s.kode) for s in instrument.subs
    }
    bobot = {s.kode: s.bobot for s in instrument.subs}
    ranked = []
    for order, c in enumerate(instrument.criteria):
        scale = instrument.scales[c.skala]
        best = max(scale, key=lambda a: scale[a])
        room = scale[best] - (base.values[c.kode] or ZERO)
        if room > ZERO:
            ranked.append((room * bobot[c.sub] / per_sub[c.sub], order, c.kode, best))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    out = []
    nilai = base.total
    for gain, _order, kode, best in ranked:
        nilai += gain
        answer = answers.get(kode)
        out.append(
            Gain(
                kode,
                answer.strip().upper() if answer and answer.strip() else None,
                best,
                gain,
                nilai,
                predikat(instrument, nilai),
            )
        )
    return tuple(out)
