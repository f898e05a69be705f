"""The capaian engine: achievement, kategori, efficiency and aggregates, as pure functions.

No Django here — this module is the single place where the rules of computation live
(see DOMAIN.md, "Rules of computation"), so it can be tested exhaustively and reused by the
pages, the importer, the LAKIP and the CLI through ``indicators.selectors``.

All values are :class:`decimal.Decimal`. Results are unrounded; rounding happens only for
display (``common.numbers``) and in the discrepancy check (documented there).

Documented decisions (each has a test in ``indicators/tests/test_engine.py``):

* positif: ``R / T × 100``; negatif: ``(2T − R) / T × 100`` by default, ``T / R × 100`` when
  the indicator says so. R = T always gives exactly 100.
* Nothing is ever silently 0 and nothing raises for Decimal inputs: when capaian cannot be
  computed the result carries ``capaian=None`` and an Indonesian ``reason``:
  - no realisasi (and no quarters) → "belum ada realisasi";
  - no target → "belum ada target" (both missing → "belum ada target dan realisasi");
  - T = 0 → "target 0: capaian tidak dapat dihitung" (any ratio against 0 is undefined);
  - R = 0 with T/R → "realisasi 0: T/R tidak terdefinisi";
  - NaN/Infinity inputs → "… bukan angka yang terhingga".
* Negative values are computed as the formula says (T 5,5, R −70, positif → −1.272,73 %,
  Sangat Rendah). A negative *target* is computed as the formula says as well, but the
  result carries a ``note`` warning that the ratio's direction is inverted.
* Range targets: inside [low, high] → 100; above → against ``high``; below → against ``low``,
  with the indicator's polarity formula. A reversed range ("2,35–2,30") is normalised.
* Ordinal qualitative targets (opini BPK, predikat SAKIP): ``rank(R) / rank(T) × 100`` with
  1-based ranks from the worst level — the same "realisasi over target" reading as the
  numeric formula, so meeting the target is exactly 100 and one level above/below moves the
  figure proportionally. Polarity does not apply (the levels are ordered best-last).
* Binary qualitative targets ("Tersedia", "Ada", "Tercapai"): realisasi equal to the target
  (case- and space-insensitive) or "tercapai"/"terpenuhi" → 100, anything else → 0; the
  formula text says so, so a 0 here is explicit, not silent.
* Quarterly realisasi is used only when the annual one is missing: ``jumlah`` = sum of the
  present quarters, ``akhir`` = the last present quarter, ``rata`` = mean of the present ones.
* Arithmetic runs in a local context of 50 significant digits with unbounded exponents and
  no traps, so stored values (≤ 20 digits) multiply exactly and nothing overflows or raises.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    localcontext,
)
from typing import TypeAlias

from common.numbers import NumberParseError, format_number, parse_decimal, round2

# The formula as data (components → realisasi) lives in a sibling pure module; the engine is
# its one entrance, as for capaian.
from ..formula import (  # noqa: F401  (re-exported)
    Component,
    ComponentRole,
    Formula,
    FormulaResult,
    Operator,
    definition_text,
    evaluate,
    formula_text,
    stored_value,
)

ENGINE_VERSION = "1.1"

PRECISION = 50
HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE = Decimal(1)


@contextmanager
def _arith() -> Iterator[Context]:
    # No traps: an impossible operation yields NaN/Infinity, which we turn into a reason,
    # instead of an exception escaping into a page or a report build.
    ctx = Context(prec=PRECISION, rounding=ROUND_HALF_EVEN, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])
    with localcontext(ctx) as local:
        yield local


# --- enums ------------------------------------------------------------------------------------


class Polarity(enum.StrEnum):
    POSITIF = "positif"
    NEGATIF = "negatif"


class NegativeMethod(enum.StrEnum):
    TWO_T_MINUS_R = "2T-R"
    T_OVER_R = "T/R"


class Accumulation(enum.StrEnum):
    JUMLAH = "jumlah"
    AKHIR = "akhir"
    RATA = "rata"


class EfficiencyMethod(enum.StrEnum):
    RASIO = "rasio"
    SELISIH = "selisih"
    SISA_ANGGARAN = "sisa_anggaran"
    PMK249 = "pmk249"


# The product's words for each choice: the models use these as their field choices, so a
# choice exists once, here.
LABELS: dict[enum.StrEnum, str] = {
    Polarity.POSITIF: "Positif (makin tinggi makin baik)",
    Polarity.NEGATIF: "Negatif (makin rendah makin baik)",
    NegativeMethod.TWO_T_MINUS_R: "(2T − R) / T × 100",
    NegativeMethod.T_OVER_R: "T / R × 100",
    Accumulation.JUMLAH: "Jumlah triwulan",
    Accumulation.AKHIR: "Nilai triwulan terakhir",
    Accumulation.RATA: "Rata-rata triwulan",
    EfficiencyMethod.RASIO: "Capaian ÷ penyerapan × 100 (Tabel 3.41)",
    EfficiencyMethod.SELISIH: "Capaian − penyerapan (±5 poin cukup efisien)",
    EfficiencyMethod.SISA_ANGGARAN: "Sisa anggaran ÷ pagu, bila target tercapai",
    EfficiencyMethod.PMK249: "PMK 249/2011",
}


def choices(kind: type[enum.StrEnum]) -> list[tuple[str, str]]:
    """(value, label) pairs of an enum, for a model field's ``choices``."""
    return [(member.value, LABELS[member]) for member in kind]


class RealisasiSource(enum.StrEnum):
    TAHUNAN = "tahunan"
    TRIWULAN = "triwulan"


# --- scales -----------------------------------------------------------------------------------


class ScaleError(ValueError):
    """A scale that is not a gapless, non-overlapping cover of −∞..+∞ (Indonesian message)."""


@dataclass(frozen=True)
class Band:
    """One kategori: an interval of capaian. ``None`` bounds are unbounded."""

    label: str
    lower: Decimal | None
    upper: Decimal | None
    lower_inclusive: bool
    upper_inclusive: bool
    color: str

    def contains(self, value: Decimal) -> bool:
        if value.is_nan():
            return False
        if self.lower is not None and (
            value < self.lower or (value == self.lower and not self.lower_inclusive)
        ):
            return False
        return not (
            self.upper is not None
            and (value > self.upper or (value == self.upper and not self.upper_inclusive))
        )


def _bound(value: Decimal) -> str:
    return format_number(value, places=max(0, -_exponent(value)))


def _exponent(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class Scale:
    """An ordinal scale: bands sorted ascending, gapless, covering −∞..+∞."""

    code: str
    name: str
    version: str
    bands: tuple[Band, ...]

    def validate(self) -> None:
        """Raise :class:`ScaleError` unless the bands cover every number exactly once."""
        who = f"Skala «{self.name or self.code}»"
        if not self.bands:
            raise ScaleError(f"{who} belum memiliki rentang kategori.")
        labels = [b.label.strip() for b in self.bands]
        if any(not label for label in labels):
            raise ScaleError(f"{who}: setiap rentang harus memiliki label kategori.")
        if len(set(labels)) != len(labels):
            raise ScaleError(f"{who}: label kategori tidak boleh sama.")
        for band in self.bands:
            for bound in (band.lower, band.upper):
                if bound is not None and not bound.is_finite():
                    raise ScaleError(f"{who}: batas rentang «{band.label}» harus angka.")
            if band.lower is not None and band.upper is not None:
                point = band.lower == band.upper and band.lower_inclusive and band.upper_inclusive
                if band.lower > band.upper or (band.lower == band.upper and not point):
                    raise ScaleError(
                        f"{who}: batas bawah «{band.label}» harus lebih kecil dari batas atasnya."
                    )
        first, last = self.bands[0], self.bands[-1]
        if first.lower is not None:
            raise ScaleError(
                f"{who} tidak mencakup capaian di bawah {_bound(first.lower)}; "
                f"rentang terendah «{first.label}» harus tanpa batas bawah."
            )
        if last.upper is not None:
            raise ScaleError(
                f"{who} tidak mencakup capaian di atas {_bound(last.upper)}; "
                f"rentang tertinggi «{last.label}» harus tanpa batas atas."
            )
        for below, above in zip(self.bands, self.bands[1:], strict=False):
            pair = f"«{below.label}» dan «{above.label}»"
            if below.upper is None or above.lower is None:
                raise ScaleError(
                    f"{who}: hanya rentang terendah dan tertinggi yang boleh tanpa batas; "
                    f"periksa {pair} (urutkan rentang dari capaian terendah)."
                )
            if below.upper < above.lower:
                raise ScaleError(
                    f"{who}: ada celah antara {pair} "
                    f"({_bound(below.upper)} sampai {_bound(above.lower)} tidak termasuk "
                    "kategori mana pun)."
                )
            if below.upper > above.lower:
                raise ScaleError(f"{who}: rentang {pair} tumpang tindih.")
            if not below.upper_inclusive and not above.lower_inclusive:
                raise ScaleError(
                    f"{who}: ada celah antara {pair}: nilai {_bound(below.upper)} tidak "
                    "termasuk kategori mana pun (salah satu batas harus inklusif)."
                )
            if below.upper_inclusive and above.lower_inclusive:
                raise ScaleError(
                    f"{who}: rentang {pair} tumpang tindih pada nilai {_bound(below.upper)} "
                    "(hanya satu batas yang boleh inklusif)."
                )

    def classify(self, capaian: Decimal) -> Band:
        """The band containing ``capaian``. ±Infinity fall in the end bands; NaN has no band."""
        if capaian.is_nan():
            raise ScaleError("Capaian bukan angka; kategori tidak dapat ditentukan.")
        for band in self.bands:
            if band.contains(capaian):
                return band
        raise ScaleError(
            f"Skala «{self.name or self.code}» tidak memiliki kategori untuk capaian "
            f"{format_number(capaian)}."
        )

    @property
    def labels_descending(self) -> tuple[str, ...]:
        """Band labels from the best kategori to the worst (the order reports list them)."""
        return tuple(b.label for b in reversed(self.bands))


# The seed's Tabel 3.2 prints "0 s/d 50, 50,1 s/d 65 …", which leaves 50,05 without a
# kategori; half-open bands (lower, upper] meet exactly. Negative capaian (possible with
# negative realisasi) is Sangat Rendah because the lowest band is unbounded. The colours equal
# the ones seeded by migration 0002 so the preset and the stored scale look the same.
_FIVE_BANDS: tuple[Band, ...] = (
    Band("Sangat Rendah", None, Decimal(50), False, True, "#b3261e"),
    Band("Rendah", Decimal(50), Decimal(65), False, True, "#e8710a"),
    Band("Sedang", Decimal(65), Decimal(75), False, True, "#c99a06"),
    Band("Tinggi", Decimal(75), Decimal(90), False, True, "#3c8d40"),
    Band("Sangat Tinggi", Decimal(90), None, False, True, "#1e5b2a"),
)

SCALE_SEED_3_2 = Scale(
    code="lakip-3.2",
    name="Skala ordinal LAKIP (Tabel 3.2)",
    version="1",
    bands=_FIVE_BANDS,
)

# Permendagri 86/2017 prints ≤50 / 51–65 / 66–75 / 76–90 / 91–100 with integer gaps and
# nothing above 100; read top-down (> 90, > 75, > 65, > 50, else) it is the same five
# half-open bands, with anything above 100 in the top band.
SCALE_PERMENDAGRI_86 = Scale(
    code="permendagri-86-2017",
    name="Skala Permendagri 86/2017",
    version="1",
    bands=_FIVE_BANDS,
)

PRESET_SCALES: dict[str, Scale] = {s.code: s for s in (SCALE_SEED_3_2, SCALE_PERMENDAGRI_86)}
DEFAULT_SCALE_CODE = SCALE_SEED_3_2.code

for _preset in PRESET_SCALES.values():
    _preset.validate()  # a broken preset must fail at import, not in a report


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
) -> CapaianResult:
    """Capaian of one indicator and year. Never raises for any Decimal inputs."""
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


# --- aggregates -------------------------------------------------------------------------------

# Many LKjIPs state that an indicator's capaian enters the average only within 0–120 %: one
# outlier (the seed's −1.272,73 %) must not decide the year, and an indicator far above its
# target must not hide the ones below it. The range is a per-OPD setting.
DEFAULT_AGGREGATE_BOUNDS: tuple[Decimal, Decimal] = (Decimal(0), Decimal(120))

Bounds: TypeAlias = tuple[Decimal, Decimal]


class BoundsError(ValueError):
    """An aggregate range that is not low < high with finite ends (Indonesian message)."""


def validate_bounds(bounds: Bounds) -> Bounds:
    """``bounds`` as (low, high) Decimals, or :class:`BoundsError`."""
    low, high = bounds
    if not (_finite(low) and _finite(high)):
        raise BoundsError("Batas rentang rata-rata capaian harus angka terhingga.")
    if low >= high:
        raise BoundsError(
            f"Batas bawah rata-rata capaian ({format_number(low)}) harus lebih kecil dari "
            f"batas atasnya ({format_number(high)})."
        )
    return low, high


def describe_aggregate_rule(bounds: Bounds | None) -> str:
    """The Indonesian sentence naming the aggregate rule (method note, final version)."""
    if bounds is None:
        return (
            "Capaian sasaran, program dan perangkat daerah adalah rata-rata capaian "
            "indikatornya yang dapat dihitung, tanpa batas."
        )
    low, high = bounds
    return (
        "Capaian sasaran, program dan perangkat daerah adalah rata-rata capaian indikatornya "
        f"yang dapat dihitung, masing-masing dibatasi {_bound(low)}–{_bound(high)} % sebelum "
        f"dirata-ratakan (capaian di bawah {_bound(low)} % dihitung {_bound(low)} %, di atas "
        f"{_bound(high)} % dihitung {_bound(high)} %); capaian tiap indikator tetap ditampilkan "
        "apa adanya, disertai jumlah indikator yang memiliki data dan jumlah per kategori."
    )


@dataclass(frozen=True)
class AggregateResult:
    mean: Decimal | None
    n_with_data: int
    n_total: int
    counts: dict[str, int]
    kategori: str | None
    band: Band | None
    label: str
    # The range each capaian was bounded to before averaging (None: a plain mean), how many
    # values the bound changed, and the plain mean for reference.
    bounds: Bounds | None = None
    n_bounded: int = 0
    unbounded_mean: Decimal | None = None


def bound_value(value: Decimal, bounds: Bounds) -> Decimal:
    """``value`` clamped to [low, high]."""
    low, high = bounds
    return max(low, min(high, value))


def aggregate(
    results: Sequence[CapaianResult],
    scale: Scale = SCALE_SEED_3_2,
    bounds: Bounds | None = None,
) -> AggregateResult:
    """Mean capaian of the indicators that have one, with counts per kategori (best first).

    With ``bounds`` = (low, high) each capaian is clamped to that range before the mean (the
    LKjIP rule, see DEFAULT_AGGREGATE_BOUNDS); the counts always classify each indicator's own,
    unbounded capaian, because that is the figure its row shows. Every band label is present in
    ``counts`` (zeros included), classified with ``scale`` so the counts agree with the scale
    the aggregate is shown with.
    """
    if bounds is not None:
        bounds = validate_bounds(bounds)
    counts = dict.fromkeys(scale.labels_descending, 0)
    values = [r.capaian for r in results if r.capaian is not None and r.capaian.is_finite()]
    for value in values:
        try:
            label = scale.classify(value).label
        except ScaleError:
            continue
        counts[label] = counts.get(label, 0) + 1
    used = [bound_value(v, bounds) for v in values] if bounds is not None else values
    n_bounded = sum(1 for v, u in zip(values, used, strict=True) if v != u)
    mean = _mean(used)
    band: Band | None = None
    if mean is not None:
        try:
            band = scale.classify(mean)
        except ScaleError:
            band = None
    return AggregateResult(
        mean=mean,
        n_with_data=len(values),
        n_total=len(results),
        counts=counts,
        kategori=band.label if band is not None else None,
        band=band,
        # "0 dari 0" reads as an empty page: with nothing to count, say so.
        label=f"{len(values)} dari {len(results)} indikator memiliki data"
        if results
        else "belum ada indikator bertarget",
        bounds=bounds,
        n_bounded=n_bounded,
        unbounded_mean=_mean(values),
    )


def headline_complete(summary: AggregateResult, minimum: int | None = None) -> bool:
    """Whether enough indicators have data for the aggregate's kategori to be read as the
    year's verdict: ``minimum`` of them (capped at how many there are), all when None. Two
    IKU typed in early would otherwise read "Sangat Tinggi" for a year three others have not
    reported."""
    needed = summary.n_total if minimum is None else min(minimum, summary.n_total)
    return summary.n_total > 0 and summary.n_with_data >= needed


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    with _arith():
        mean = sum(values, ZERO) / len(values)
    return mean if mean.is_finite() else None


# --- plausibility -----------------------------------------------------------------------------

# Above 150 % or below 0 a capaian is almost always a typing or unit error (the seed has
# 6.200 % and 8.850 % for counts typed against a target of 1 or 2): flag it, never change it.
PLAUSIBLE_CAPAIAN_MAX = Decimal(150)
PLAUSIBLE_CAPAIAN_MIN = ZERO

FLAG_CAPAIAN_HIGH = "capaian-tinggi"
FLAG_CAPAIAN_NEGATIVE = "capaian-negatif"
FLAG_TARGET_JUMP = "lonjakan-target"
FLAG_REALISASI_JUMP = "lonjakan-realisasi"
FLAG_OUT_OF_RANGE = "di-luar-rentang"

_PERCENT_UNITS = frozenset({"%", "persen", "persentase"})


@dataclass(frozen=True)
class PlausibilityFlag:
    """A warning shown as "periksa" beside a figure; the figure itself is never changed."""

    code: str
    message: str


def is_percent_unit(satuan: str | None) -> bool:
    return (satuan or "").strip().casefold() in _PERCENT_UNITS


def plausibility(
    *,
    capaian: Decimal | None,
    target: Decimal | None,
    realisasi: Decimal | None,
    previous_target: Decimal | None = None,
    previous_realisasi: Decimal | None = None,
    satuan: str = "",
    previous_year: int | None = None,
) -> tuple[PlausibilityFlag, ...]:
    """Warnings about one indicator-year: capaian above 150 % or below 0, a target or
    realisasi ×10 away from the previous year's (:func:`jump_factor`), a percentage realisasi
    above 100. Non-numeric or missing values raise no flag (nothing to judge)."""
    flags: list[PlausibilityFlag] = []
    if _finite(capaian):
        assert capaian is not None
        if capaian > PLAUSIBLE_CAPAIAN_MAX:
            flags.append(
                PlausibilityFlag(
                    FLAG_CAPAIAN_HIGH,
                    f"capaian {format_number(capaian)} % di atas "
                    f"{_bound(PLAUSIBLE_CAPAIAN_MAX)} %: periksa target, realisasi dan satuannya",
                )
            )
        elif capaian < PLAUSIBLE_CAPAIAN_MIN:
            flags.append(
                PlausibilityFlag(
                    FLAG_CAPAIAN_NEGATIVE,
                    f"capaian {format_number(capaian)} % di bawah 0: periksa tanda realisasi "
                    "dan rumusnya",
                )
            )
    before = f"tahun {previous_year}" if previous_year is not None else "tahun sebelumnya"
    for code, what, previous, new in (
        (FLAG_TARGET_JUMP, "target", previous_target, target),
        (FLAG_REALISASI_JUMP, "realisasi", previous_realisasi, realisasi),
    ):
        factor = jump_factor(previous, new)
        if factor is not None:
            flags.append(
                PlausibilityFlag(
                    code,
                    f"{what} {format_number(new)} berbeda ×{format_number(factor)} dari {before} "
                    f"({format_number(previous)}): periksa satuan atau salah ketik",
                )
            )
    if _finite(realisasi) and is_percent_unit(satuan):
        assert realisasi is not None
        if realisasi > HUNDRED:
            flags.append(
                PlausibilityFlag(
                    FLAG_OUT_OF_RANGE,
                    f"realisasi {format_number(realisasi)} % melebihi 100 % padahal satuannya "
                    "persen: periksa pembilang dan penyebutnya",
                )
            )
    return tuple(flags)


# --- discrepancy ------------------------------------------------------------------------------

DISCREPANCY_TOLERANCE = Decimal("0.05")


def is_discrepant(reported: Decimal | None, computed: Decimal | None) -> bool:
    """Does the printed capaian disagree with ours by more than 0,05 percentage points?

    The computed value is rounded half-up to 2 decimals first, because that is the figure
    the reader sees beside the printed one (98,96 vs 98,62). Exactly 0,05 is not a
    discrepancy. Only two numbers can differ: with no printed figure, or no computable one
    (no target or realisasi recorded), there is nothing to compare — that second case is
    :func:`is_unverifiable`, reported apart so a real difference is never lost among them.
    """
    if reported is None or computed is None:
        return False
    if not reported.is_finite() or not computed.is_finite():
        return True
    with _arith():
        return abs(reported - round2(computed)) > DISCREPANCY_TOLERANCE


def is_unverifiable(reported: Decimal | None, computed: Decimal | None) -> bool:
    """A printed capaian the recorded data cannot reproduce (no target/realisasi behind it)."""
    return reported is not None and computed is None


# --- budget: penyerapan and efisiensi ---------------------------------------------------------

EFISIEN = "Efisien"
CUKUP_EFISIEN = "Cukup Efisien"
TIDAK_EFISIEN = "Tidak Efisien"

# rasio: ≥ 100 Efisien (results at least proportional to the money spent), 95–<100 Cukup
# Efisien (within the same 5-point tolerance the "selisih" method uses), < 95 Tidak Efisien.
RASIO_CUKUP_FROM = Decimal(95)
# selisih: capaian − penyerapan > +5 Efisien, within ±5 Cukup Efisien, < −5 Tidak Efisien.
SELISIH_TOLERANCE = Decimal(5)
# PMK 249/2011: E is bounded to ±20 % so nilai = 50 + E/20 × 50 stays within 0..100.
PMK249_E_LIMIT = Decimal(20)

FORMULA_RASIO = "capaian kinerja (%) / penyerapan anggaran (%) × 100"
FORMULA_SELISIH = "capaian kinerja (%) − penyerapan anggaran (%)"
FORMULA_SISA = "(pagu − realisasi anggaran) / pagu × 100, dihitung bila capaian ≥ 100 %"
FORMULA_PMK249 = "E = Σ[1 − (RA/RV)/(PA/TV)] / n; nilai = 50 % + E/20 × 50 % (PMK 249/2011)"


@dataclass(frozen=True)
class EfficiencyResult:
    value: Decimal | None
    kategori: str | None
    reason: str | None
    formula: str
    method: EfficiencyMethod = EfficiencyMethod.RASIO
    note: str | None = None


# A value ten times (or a tenth of) the one before is almost always a typing or unit error:
# "2,30" read as 230, a percentage typed as a fraction, thousands typed twice.
JUMP_FACTOR = Decimal(10)


def jump_factor(
    previous: Decimal | None, new: Decimal | None, factor: Decimal = JUMP_FACTOR
) -> Decimal | None:
    """How many times ``new`` is away from ``previous`` when that is ``factor`` or more in
    either direction (×100 for 2,30 → 230 and for 230 → 2,30), else ``None``.

    Zero on either side has no ratio and is never a jump; a change of sign counts by
    magnitude (5,5 → −70 is ×12,73)."""
    if previous is None or new is None or not (_finite(previous) and _finite(new)):
        return None
    if previous == 0 or new == 0:
        return None
    with _arith():
        a, b = abs(previous), abs(new)
        ratio = max(a, b) / min(a, b)
    return ratio if ratio >= factor else None


def penyerapan(pagu: Decimal | None, realisasi: Decimal | None) -> Decimal | None:
    """Budget absorption realisasi / pagu × 100; None when pagu is 0 or either is missing."""
    if pagu is None or realisasi is None or not pagu.is_finite() or not realisasi.is_finite():
        return None
    if pagu == 0:
        return None
    with _arith():
        value = realisasi / pagu * HUNDRED
    return value if value.is_finite() else None


def describe_efficiency_method(method: EfficiencyMethod) -> str:
    """The Indonesian sentence for the report's efficiency note."""
    return {
        EfficiencyMethod.RASIO: (
            f"Efisiensi = {FORMULA_RASIO}; ≥ 100 efisien, 95 sampai kurang dari 100 cukup "
            "efisien, di bawah 95 tidak efisien."
        ),
        EfficiencyMethod.SELISIH: (
            f"Efisiensi = {FORMULA_SELISIH}; lebih dari +5 poin efisien, antara −5 dan +5 poin "
            "cukup efisien, kurang dari −5 poin tidak efisien."
        ),
        EfficiencyMethod.SISA_ANGGARAN: (
            f"Efisiensi = {FORMULA_SISA}; bila target belum tercapai efisiensi dinilai 0 "
            "(tidak efisien)."
        ),
        EfficiencyMethod.PMK249: (
            f"Efisiensi menurut PMK 249/2011: {FORMULA_PMK249}; E dibatasi −20 % sampai +20 %; "
            "E positif efisien, E = 0 cukup efisien, E negatif tidak efisien."
        ),
    }[EfficiencyMethod(method)]


def _finite(value: Decimal | None) -> bool:
    return value is not None and value.is_finite()


def efisiensi(
    *,
    capaian: Decimal | None,
    penyerapan: Decimal | None,
    method: EfficiencyMethod = EfficiencyMethod.RASIO,
    pagu: Decimal | None = None,
    realisasi_anggaran: Decimal | None = None,
) -> EfficiencyResult:
    """Efficiency of one program/kegiatan/sub-kegiatan by the OPD's chosen method."""
    method = EfficiencyMethod(method)
    if method == EfficiencyMethod.SISA_ANGGARAN:
        return _efisiensi_sisa(capaian, penyerapan, pagu, realisasi_anggaran)
    formula = {
        EfficiencyMethod.RASIO: FORMULA_RASIO,
        EfficiencyMethod.SELISIH: FORMULA_SELISIH,
        EfficiencyMethod.PMK249: FORMULA_PMK249,
    }[method]

    def missing(reason: str) -> EfficiencyResult:
        return EfficiencyResult(None, None, reason, formula, method)

    if capaian is None or not capaian.is_finite():
        return missing("capaian kinerja belum dapat dihitung")
    if penyerapan is None or not penyerapan.is_finite():
        return missing("penyerapan anggaran belum ada")
    if method == EfficiencyMethod.SELISIH:
        with _arith():
            diff = capaian - penyerapan
        if diff > SELISIH_TOLERANCE:
            kategori = EFISIEN
        elif diff < -SELISIH_TOLERANCE:
            kategori = TIDAK_EFISIEN
        else:
            kategori = CUKUP_EFISIEN
        return EfficiencyResult(diff, kategori, None, formula, method)
    if method == EfficiencyMethod.PMK249:
        # One item: (RA/RV)/(PA/TV) = (RA/PA)/(RV/TV) = penyerapan / capaian.
        return _pmk249_from_ratios([(capaian, penyerapan)])
    if penyerapan == 0:
        return missing("penyerapan anggaran 0: efisiensi tidak dapat dihitung")
    with _arith():
        value = capaian / penyerapan * HUNDRED
    if not value.is_finite():
        return missing(REASON_RESULT_NOT_FINITE)
    if value >= HUNDRED:
        kategori = EFISIEN
    elif value >= RASIO_CUKUP_FROM:
        kategori = CUKUP_EFISIEN
    else:
        kategori = TIDAK_EFISIEN
    return EfficiencyResult(value, kategori, None, formula, method)


def _efisiensi_sisa(
    capaian: Decimal | None,
    absorption: Decimal | None,
    pagu: Decimal | None,
    realisasi_anggaran: Decimal | None,
) -> EfficiencyResult:
    method = EfficiencyMethod.SISA_ANGGARAN

    def missing(reason: str) -> EfficiencyResult:
        return EfficiencyResult(None, None, reason, FORMULA_SISA, method)

    if capaian is None or not capaian.is_finite():
        return missing("capaian kinerja belum dapat dihitung")
    if _finite(pagu) and _finite(realisasi_anggaran):
        assert pagu is not None and realisasi_anggaran is not None  # narrowed by _finite
        if pagu == 0:
            return missing("pagu 0: efisiensi tidak dapat dihitung")
        with _arith():
            sisa = (pagu - realisasi_anggaran) / pagu * HUNDRED
    elif _finite(absorption):
        assert absorption is not None
        # Without the amounts, the same share follows from the absorption percentage.
        with _arith():
            sisa = HUNDRED - absorption
    else:
        return missing("pagu dan realisasi anggaran belum ada")
    if not sisa.is_finite():
        return missing(REASON_RESULT_NOT_FINITE)
    if capaian < HUNDRED:
        # Unspent money is not efficiency when the target was missed: valued 0, explicitly.
        return EfficiencyResult(
            ZERO,
            TIDAK_EFISIEN,
            None,
            FORMULA_SISA,
            method,
            note="target belum tercapai: sisa anggaran tidak dihitung sebagai efisiensi",
        )
    if sisa > 0:
        kategori = EFISIEN
    elif sisa == 0:
        kategori = CUKUP_EFISIEN
    else:
        kategori = TIDAK_EFISIEN  # spent more than the pagu
    return EfficiencyResult(sisa, kategori, None, FORMULA_SISA, method)


@dataclass(frozen=True)
class Pmk249Item:
    """One output of PMK 249/2011: pagu (PA), realisasi anggaran (RA), target and realisasi
    volume of the output (TV, RV)."""

    pagu: Decimal | None
    realisasi_anggaran: Decimal | None
    target_volume: Decimal | None
    realisasi_volume: Decimal | None


def efisiensi_mean(results: Sequence[EfficiencyResult]) -> Decimal | None:
    """The average row of Tabel 3.41: the plain mean of the lines that have a value."""
    values = [r.value for r in results if r.value is not None and r.value.is_finite()]
    if not values:
        return None
    with _arith():
        return sum(values, ZERO) / Decimal(len(values))


def efisiensi_pmk249(items: Sequence[Pmk249Item]) -> EfficiencyResult:
    """PMK 249/2011 over several outputs: E = Σ[1 − (RA/RV)/(PA/TV)] / n, nilai = 50 + E/20×50.

    An item whose terms are missing or zero (RV, PA or TV) cannot enter the sum and is left
    out of n; the note says how many were left out. ``value`` is the nilai (0..100).
    """
    ratios: list[tuple[Decimal, Decimal]] = []
    skipped = 0
    for item in items:
        terms = (item.pagu, item.realisasi_anggaran, item.target_volume, item.realisasi_volume)
        if not all(_finite(t) for t in terms):
            skipped += 1
            continue
        pa, ra, tv, rv = (t for t in terms if t is not None)
        if pa == 0 or tv == 0 or rv == 0:
            skipped += 1
            continue
        with _arith():
            ratios.append((rv / tv * HUNDRED, ra / pa * HUNDRED))
    result = _pmk249_from_ratios(ratios)
    if skipped:
        note = f"{skipped} keluaran tidak dihitung karena datanya belum lengkap atau bernilai 0"
        result = EfficiencyResult(
            result.value,
            result.kategori,
            result.reason,
            result.formula,
            result.method,
            note if result.note is None else f"{result.note}; {note}",
        )
    return result


def _pmk249_from_ratios(pairs: Sequence[tuple[Decimal, Decimal]]) -> EfficiencyResult:
    """pairs of (capaian %, penyerapan %) — (RA/RV)/(PA/TV) equals penyerapan / capaian."""
    method = EfficiencyMethod.PMK249
    terms: list[Decimal] = []
    for capaian, absorption in pairs:
        if capaian == 0:
            continue
        with _arith():
            terms.append((ONE - absorption / capaian) * HUNDRED)
    if not terms:
        reason = "capaian keluaran 0 atau data belum lengkap: efisiensi tidak dapat dihitung"
        return EfficiencyResult(None, None, reason, FORMULA_PMK249, method)
    with _arith():
        e = sum(terms, ZERO) / len(terms)
        if not e.is_finite():
            return EfficiencyResult(None, None, REASON_RESULT_NOT_FINITE, FORMULA_PMK249, method)
        bounded = max(-PMK249_E_LIMIT, min(PMK249_E_LIMIT, e))
        nilai = 50 + bounded / PMK249_E_LIMIT * 50
    if e > 0:
        kategori = EFISIEN
    elif e == 0:
        kategori = CUKUP_EFISIEN
    else:
        kategori = TIDAK_EFISIEN
    note = f"E = {format_number(e)} %" + (" (dibatasi ±20 %)" if bounded != e else "")
    return EfficiencyResult(nilai, kategori, None, FORMULA_PMK249, method, note)


# --- trajectory (dashboard) -------------------------------------------------------------------

TRAJECTORY_ON_TRACK = "di-jalur"
TRAJECTORY_OFF_TRACK = "tidak-di-jalur"


@dataclass(frozen=True)
class Trajectory:
    """Where the end-of-Renstra target is heading if the yearly trend continues."""

    status: str  # TRAJECTORY_ON_TRACK or TRAJECTORY_OFF_TRACK (also a CSS class)
    on_track: bool
    projected: Decimal
    final_year: int
    final_target: Decimal
    note: str
    points: tuple[tuple[int, Decimal], ...] = field(default=())


def trajectory(
    *,
    points: Sequence[tuple[int, Decimal]],
    final_year: int,
    final_target: Decimal | None,
    polarity: Polarity,
) -> Trajectory | None:
    """Least-squares linear trend of the yearly realisasi, projected to the final year.

    None when there is no final target or fewer than two distinct years before the final
    year (one point is not a trend). When the final year already has a value, that value is
    the projection. On track: projection ≥ target (positif) or ≤ target (negatif).
    """
    if final_target is None or not final_target.is_finite():
        return None
    clean = tuple(sorted((int(y), v) for y, v in points if v is not None and v.is_finite()))
    if not clean:
        return None
    final_points = [v for y, v in clean if y == final_year]
    years = {y for y, _v in clean}
    if final_points:
        projected = final_points[-1]
        basis = f"Realisasi {final_year}"
    elif len(years) >= 2:
        with _arith():
            n = Decimal(len(clean))
            mean_x = sum((Decimal(y) for y, _v in clean), ZERO) / n
            mean_y = sum((v for _y, v in clean), ZERO) / n
            sxx = sum(((Decimal(y) - mean_x) ** 2 for y, _v in clean), ZERO)
            sxy = sum(((Decimal(y) - mean_x) * (v - mean_y) for y, v in clean), ZERO)
            slope = sxy / sxx
            projected = mean_y + slope * (Decimal(final_year) - mean_x)
        if not projected.is_finite():
            return None
        first, last = clean[0][0], clean[-1][0]
        basis = f"Bila tren {first}–{last} berlanjut, realisasi {final_year} diproyeksikan"
    else:
        return None
    on_track = (
        projected >= final_target
        if Polarity(polarity) == Polarity.POSITIF
        else projected <= final_target
    )
    verdict = "di jalur" if on_track else "belum di jalur"
    note = (
        f"{basis} {format_number(projected)} terhadap target akhir Renstra "
        f"{format_number(final_target)}: {verdict}."
    )
    return Trajectory(
        status=TRAJECTORY_ON_TRACK if on_track else TRAJECTORY_OFF_TRACK,
        on_track=on_track,
        projected=projected,
        final_year=final_year,
        final_target=final_target,
        note=note,
        points=clean,
    )


__all__ = [
    "DEFAULT_AGGREGATE_BOUNDS",
    "DEFAULT_SCALE_CODE",
    "DISCREPANCY_TOLERANCE",
    "ENGINE_VERSION",
    "OPINI_BPK",
    "ORDINAL_MAPPINGS",
    "PREDIKAT_SAKIP",
    "PRESET_SCALES",
    "SCALE_PERMENDAGRI_86",
    "SCALE_SEED_3_2",
    "Accumulation",
    "AggregateResult",
    "Band",
    "Bounds",
    "BoundsError",
    "CapaianResult",
    "EfficiencyMethod",
    "EfficiencyResult",
    "NegativeMethod",
    "OrdinalMapping",
    "PlausibilityFlag",
    "Pmk249Item",
    "Polarity",
    "QualitativeTarget",
    "RealisasiSource",
    "Scale",
    "ScaleError",
    "Target",
    "TargetInput",
    "TargetRange",
    "Trajectory",
    "aggregate",
    "bound_value",
    "compute_capaian",
    "compute_quarterly",
    "describe_aggregate_rule",
    "describe_efficiency_method",
    "describe_method",
    "efisiensi",
    "efisiensi_mean",
    "efisiensi_pmk249",
    "is_discrepant",
    "is_unverifiable",
    "jump_factor",
    "parse_target",
    "penyerapan",
    "plausibility",
    "trajectory",
    "validate_bounds",
]
