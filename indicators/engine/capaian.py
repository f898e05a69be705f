"""Capaian: target parsing (numbers, ranges, qualitative) and achievement of one indicator."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import (
    Decimal,
)
from typing import TypeAlias

from common.numbers import NumberParseError, format_number, parse_decimal

from .kategori import SCALE_SEED_3_2, Band, Scale, ScaleError
from .kinds import HUNDRED, ZERO, Accumulation, NegativeMethod, Polarity, RealisasiSource, _arith

# --- targets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRange:
    """A target given as a range, e.g. "2,30–2,35"."""

    low: Decimal
    high: Decimal

    def text(self) -> str:
        return f"{format_number(self.low)}–{format_number(self.high)}"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class OrdinalMapping:
    """A qualitative ordinal scale as data: levels worst → best, plus spelled-out aliases."""

    code: str
    name: str
    levels: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()

    def rank(self, text: str) -> int | None:
        """1-based rank of ``text`` (code or alias, case-insensitive), or None if unknown."""
        key = _qualitative_key(text)
        for alias, level in self.aliases:
            if key == _norm(alias):
                key = _norm(level)
                break
        for i, level in enumerate(self.levels, start=1):
            if key == _norm(level):
                return i
        return None

    def ranks_text(self) -> str:
        return ", ".join(f"{level}={i}" for i, level in enumerate(self.levels, start=1))


_PREFIX = re.compile(r"^(?:predikat|opini|nilai)\s+(?:sakip\s+|bpk\s+)?", re.IGNORECASE)
_PAREN = re.compile(r"\s*\(.*\)\s*$")


def _qualitative_key(text: str) -> str:
    # "Predikat BB (Sangat Baik)" and "opini WTP" name the same level as "BB" and "WTP".
    stripped = _PAREN.sub("", _PREFIX.sub("", text.strip()))
    return _norm(stripped)


OPINI_BPK = OrdinalMapping(
    code="opini-bpk",
    name="Opini BPK",
    levels=("TMP", "TW", "WDP", "WTP"),
    aliases=(
        ("tidak memberikan pendapat", "TMP"),
        ("tidak menyatakan pendapat", "TMP"),
        ("disclaimer", "TMP"),
        ("tidak wajar", "TW"),
        ("wajar dengan pengecualian", "WDP"),
        ("wajar tanpa pengecualian", "WTP"),
    ),
)

PREDIKAT_SAKIP = OrdinalMapping(
    code="predikat-sakip",
    name="Predikat SAKIP",
    levels=("D", "C", "CC", "B", "BB", "A", "AA"),
)

ORDINAL_MAPPINGS: tuple[OrdinalMapping, ...] = (OPINI_BPK, PREDIKAT_SAKIP)

# Realisasi words that mean "the binary target was met" whatever the target's own wording.
ACHIEVED_WORDS: frozenset[str] = frozenset({"tercapai", "terpenuhi"})


@dataclass(frozen=True)
class QualitativeTarget:
    """A text target: ordinal when ``mapping`` is set, otherwise binary (tercapai / tidak)."""

    text: str
    mapping: OrdinalMapping | None = None


Target: TypeAlias = Decimal | TargetRange | QualitativeTarget
TargetInput: TypeAlias = Decimal | TargetRange | QualitativeTarget | str | None

_RANGE_SEPARATOR = re.compile(r"\s*(?:–|—|s/d|s\.d\.?|sampai|-)\s*", re.IGNORECASE)


def parse_target(text: str) -> Target | None:
    """A target cell: a number, a range ("2,30–2,35", "2,30 - 2,35") or qualitative text.

    Blank text is "no target" (None). A reversed range is normalised to (low, high).
    """
    stripped = text.strip()
    if not stripped:
        return None
    try:
        return parse_decimal(stripped)
    except NumberParseError:
        pass
    # Try every separator position: "-5 - -2" must split at the middle "-", not the first.
    for match in _RANGE_SEPARATOR.finditer(stripped):
        low_text, high_text = stripped[: match.start()], stripped[match.end() :]
        if not low_text or not high_text:
            continue
        try:
            low, high = parse_decimal(low_text), parse_decimal(high_text)
        except NumberParseError:
            continue
        return TargetRange(min(low, high), max(low, high))
    return QualitativeTarget(stripped, _ordinal_mapping_for(stripped))


def _ordinal_mapping_for(text: str) -> OrdinalMapping | None:
    for mapping in ORDINAL_MAPPINGS:
        if mapping.rank(text) is not None:
            return mapping
    return None


# --- capaian ----------------------------------------------------------------------------------

REASON_NO_REALISASI = "belum ada realisasi"
# A realisasi stated as not available (with its reason): no data, never 0.
REASON_NOT_AVAILABLE = "realisasi tidak tersedia"
REASON_NO_TARGET = "belum ada target"
REASON_NO_BOTH = "belum ada target dan realisasi"
REASON_TARGET_ZERO = "target 0: capaian tidak dapat dihitung"
REASON_REALISASI_ZERO_T_OVER_R = "realisasi 0: T/R tidak terdefinisi"
REASON_TARGET_NOT_FINITE = "target bukan angka yang terhingga"
REASON_REALISASI_NOT_FINITE = "realisasi bukan angka yang terhingga"
REASON_RESULT_NOT_FINITE = "hasil perhitungan tidak terhingga"
NOTE_NEGATIVE_TARGET = (
    "target negatif: arah rasio terbalik (realisasi lebih tinggi memberi capaian lebih rendah); "
    "tafsirkan dengan hati-hati"
)

FORMULA_POSITIF = "R / T × 100"
FORMULA_2T_MINUS_R = "(2T − R) / T × 100"
FORMULA_T_OVER_R = "T / R × 100"
FORMULA_BINARY = "tercapai (realisasi sesuai target) = 100; tidak tercapai = 0"


@dataclass(frozen=True)
class CapaianResult:
    capaian: Decimal | None
    kategori: str | None
    band: Band | None
    scale_code: str
    scale_version: str
    reason: str | None
    formula: str
    realisasi_used: Decimal | None
    realisasi_source: RealisasiSource = RealisasiSource.TAHUNAN
    target_used: Decimal | None = None
    note: str | None = None
    # The realisasi was stated as not available (no data by a reason, not missing or late).
    unavailable: bool = False

    @property
    def computable(self) -> bool:
        return self.capaian is not None


def numeric_formula(polarity: Polarity, method: NegativeMethod) -> str:
    if polarity == Polarity.POSITIF:
        return FORMULA_POSITIF
    return FORMULA_T_OVER_R if method == NegativeMethod.T_OVER_R else FORMULA_2T_MINUS_R


def describe_method(
    polarity: Polarity, method: NegativeMethod = NegativeMethod.TWO_T_MINUS_R
) -> str:
    """The Indonesian sentence for the report's method note."""
    if Polarity(polarity) == Polarity.POSITIF:
        return (
            "Capaian indikator berpolaritas positif (makin tinggi makin baik) dihitung dengan "
            "rumus realisasi dibagi target dikali 100: R / T × 100."
        )
    if NegativeMethod(method) == NegativeMethod.T_OVER_R:
        return (
            "Capaian indikator berpolaritas negatif (makin rendah makin baik) dihitung dengan "
            "rumus target dibagi realisasi dikali 100: T / R × 100; bila realisasi 0, capaian "
            "tidak dapat dihitung."
        )
    return (
        "Capaian indikator berpolaritas negatif (makin rendah makin baik) dihitung dengan "
        "rumus (2T − R) / T × 100, yaitu (target − (realisasi − target)) / target × 100, "
        "sehingga realisasi sama dengan target memberi capaian 100 %."
    )


def _ratio(
    target: Decimal, realisasi: Decimal, polarity: Polarity, method: NegativeMethod
) -> tuple[Decimal | None, str | None]:
    """The polarity formula against a numeric target; (None, reason) when undefined."""
    if target == 0:
        return None, REASON_TARGET_ZERO
    with _arith():
        if polarity == Polarity.POSITIF:
            value = realisasi / target * HUNDRED
        elif method == NegativeMethod.T_OVER_R:
            if realisasi == 0:
                return None, REASON_REALISASI_ZERO_T_OVER_R
            value = target / realisasi * HUNDRED
        else:
            # (2T − R)/T written as 2 − R/T: algebraically equal, and R = T gives exactly
            # 1 → 100 whatever the number of digits (2T could round; R/T = 1 cannot).
            value = (2 - realisasi / target) * HUNDRED
    if not value.is_finite():
        return None, REASON_RESULT_NOT_FINITE
    return value, None


def _derive_realisasi(
    quarterly: Sequence[Decimal | None] | None, accumulation: Accumulation
) -> Decimal | None:
    present = [q for q in (quarterly or ()) if q is not None]
    if not present:
        return None
    with _arith():
        if accumulation == Accumulation.JUMLAH:
            return sum(present, ZERO)
        if accumulation == Accumulation.RATA:
            return sum(present, ZERO) / len(present)
        return present[-1]


def _as_target(target: TargetInput) -> Target | None:
    if isinstance(target, str):
        return parse_target(target)
    if isinstance(target, QualitativeTarget) and target.mapping is None:
        # A hand-made QualitativeTarget("WTP") should behave like the parsed one.
        stripped = target.text.strip()
        if not stripped:
            return None
        return QualitativeTarget(stripped, _ordinal_mapping_for(stripped))
    if (
        isinstance(target, TargetRange)
        and target.low.is_finite()
        and target.high.is_finite()
        and target.low > target.high
    ):
        return TargetRange(target.high, target.low)
    return target


def compute_capaian(
    *,
    target: TargetInput,
    realisasi: Decimal | str | None,
    polarity: Polarity,
    method: NegativeMethod = NegativeMethod.TWO_T_MINUS_R,
    scale: Scale = SCALE_SEED_3_2,
    accumulation: Accumulation = Accumulation.AKHIR,
    quarterly: Sequence[Decimal | None] | None = None,
    unavailable: str | None = None,
) -> CapaianResult:
    """Capaian of one indicator and year. Never raises for any Decimal inputs.

    ``unavailable`` (the reason, possibly "") says the realisasi was stated as not available:
    whatever else is given, there is no capaian and no kategori, and the reason says why —
    counted as no data by :func:`aggregate`, never as 0."""
    if unavailable is not None:
        formula = numeric_formula(Polarity(polarity), NegativeMethod(method))
        reason = f"{REASON_NOT_AVAILABLE}: {unavailable}" if unavailable else REASON_NOT_AVAILABLE
        return replace(
            _finish(
                _Outcome(None, formula, reason),
                realisasi_used=None,
                source=RealisasiSource.TAHUNAN,
                scale=scale,
            ),
            unavailable=True,
        )
    return _compute(
        target=target,
        realisasi=realisasi,
        polarity=Polarity(polarity),
        method=NegativeMethod(method),
        scale=scale,
        accumulation=Accumulation(accumulation),
        quarterly=quarterly,
        source=RealisasiSource.TAHUNAN,
    )


def compute_quarterly(
    *,
    targets: Sequence[TargetInput],
    realisasi: Sequence[Decimal | str | None],
    polarity: Polarity,
    method: NegativeMethod = NegativeMethod.TWO_T_MINUS_R,
    scale: Scale = SCALE_SEED_3_2,
) -> list[CapaianResult]:
    """Capaian per triwulan: each quarter's realisasi against that quarter's target.

    Targets and realisasi are taken on the same basis as given (cumulative or not — that is
    the indicator's definition, not the engine's guess). The shorter sequence is padded with
    None, which yields "belum ada target" / "belum ada realisasi" for that quarter.
    """
    n = max(len(targets), len(realisasi))
    results = []
    for i in range(n):
        results.append(
            _compute(
                target=targets[i] if i < len(targets) else None,
                realisasi=realisasi[i] if i < len(realisasi) else None,
                polarity=Polarity(polarity),
                method=NegativeMethod(method),
                scale=scale,
                accumulation=Accumulation.AKHIR,
                quarterly=None,
                source=RealisasiSource.TRIWULAN,
            )
        )
    return results


@dataclass(frozen=True)
class _Outcome:
    """What a formula produced, before the kategori is looked up."""

    capaian: Decimal | None
    formula: str
    reason: str | None = None
    target_used: Decimal | None = None
    note: str | None = None


def _compute(
    *,
    target: TargetInput,
    realisasi: Decimal | str | None,
    polarity: Polarity,
    method: NegativeMethod,
    scale: Scale,
    accumulation: Accumulation,
    quarterly: Sequence[Decimal | None] | None,
    source: RealisasiSource,
) -> CapaianResult:
    real_text: str | None = None
    real_value: Decimal | None = None
    if isinstance(realisasi, str):
        real_text = realisasi.strip() or None
    elif realisasi is not None:
        real_value = realisasi
    if real_text is None and real_value is None:
        real_value = _derive_realisasi(quarterly, accumulation)
        if real_value is not None:
            source = RealisasiSource.TRIWULAN
    if real_text is not None:
        try:
            real_value = parse_decimal(real_text)
            real_text = None
        except NumberParseError:
            pass  # qualitative realisasi ("WTP", "Tersedia")
    outcome = _outcome(_as_target(target), real_text, real_value, polarity, method)
    return _finish(outcome, realisasi_used=real_value, source=source, scale=scale)


def _outcome(
    target: Target | None,
    real_text: str | None,
    real_value: Decimal | None,
    polarity: Polarity,
    method: NegativeMethod,
) -> _Outcome:
    formula = numeric_formula(polarity, method)
    has_real = real_text is not None or real_value is not None
    if target is None:
        return _Outcome(None, formula, REASON_NO_TARGET if has_real else REASON_NO_BOTH)
    if isinstance(target, QualitativeTarget):
        return _qualitative(target, real_text, real_value)
    if real_text is not None:
        return _Outcome(
            None, formula, f"realisasi «{real_text}» bukan angka, padahal target berupa angka"
        )
    if real_value is None:
        return _Outcome(None, formula, REASON_NO_REALISASI)
    if not real_value.is_finite():
        return _Outcome(None, formula, REASON_REALISASI_NOT_FINITE)
    if isinstance(target, TargetRange):
        return _range(target, real_value, polarity, method)
    if not target.is_finite():
        return _Outcome(None, formula, REASON_TARGET_NOT_FINITE)
    value, reason = _ratio(target, real_value, polarity, method)
    note = NOTE_NEGATIVE_TARGET if target < 0 else None
    return _Outcome(value, formula, reason, target_used=target, note=note)


def _range(
    target: TargetRange, realisasi: Decimal, polarity: Polarity, method: NegativeMethod
) -> _Outcome:
    base = numeric_formula(polarity, method)
    if not (target.low.is_finite() and target.high.is_finite()):
        return _Outcome(None, base, REASON_TARGET_NOT_FINITE)
    if target.low <= realisasi <= target.high:
        note = f"realisasi di dalam rentang target {target.text()}"
        return _Outcome(HUNDRED, "realisasi di dalam rentang target = 100", note=note)
    above = realisasi > target.high
    bound = target.high if above else target.low
    where = "atas" if above else "bawah"
    formula = f"{base}, T = batas {where} rentang (realisasi di {where} rentang)"
    value, reason = _ratio(bound, realisasi, polarity, method)
    note = f"dibandingkan dengan batas {where} rentang target {target.text()}"
    return _Outcome(value, formula, reason, target_used=bound, note=note)


def _qualitative(
    target: QualitativeTarget, real_text: str | None, real_value: Decimal | None
) -> _Outcome:
    mapping = target.mapping
    if mapping is not None:
        formula = f"peringkat(R) / peringkat(T) × 100 ({mapping.name}: {mapping.ranks_text()})"
    else:
        formula = FORMULA_BINARY
    if real_text is None:
        if real_value is None:
            return _Outcome(None, formula, REASON_NO_REALISASI)
        return _Outcome(
            None, formula, f"target kualitatif «{target.text}» memerlukan realisasi berupa teks"
        )
    if mapping is None:
        achieved = _norm(real_text) == _norm(target.text) or _norm(real_text) in ACHIEVED_WORDS
        return _Outcome(
            HUNDRED if achieved else ZERO,
            formula,
            note="tercapai" if achieved else "tidak tercapai",
        )
    rank_t = mapping.rank(target.text)
    rank_r = mapping.rank(real_text)
    if rank_t is None:
        # Only reachable with a hand-made QualitativeTarget whose mapping does not know it.
        return _Outcome(None, formula, f"target «{target.text}» tidak dikenal pada {mapping.name}")
    if rank_r is None:
        return _Outcome(None, formula, f"realisasi «{real_text}» tidak dikenal pada {mapping.name}")
    with _arith():
        value = Decimal(rank_r) / Decimal(rank_t) * HUNDRED
    return _Outcome(value, formula, target_used=Decimal(rank_t))


def _finish(
    outcome: _Outcome,
    *,
    realisasi_used: Decimal | None,
    source: RealisasiSource,
    scale: Scale,
) -> CapaianResult:
    band: Band | None = None
    reason = outcome.reason
    if outcome.capaian is not None:
        try:
            band = scale.classify(outcome.capaian)
        except ScaleError as exc:
            # An invalid stored scale must not take the page down: the number stands, the
            # kategori is unknown and the reason says why.
            reason = str(exc)
    return CapaianResult(
        capaian=outcome.capaian,
        kategori=band.label if band is not None else None,
        band=band,
        scale_code=scale.code,
        scale_version=scale.version,
        reason=reason,
        formula=outcome.formula,
        realisasi_used=realisasi_used,
        realisasi_source=source,
        target_used=outcome.target_used,
        note=outcome.note,
    )
