"""Plausibility flags, ×10 jumps and the reported-vs-computed discrepancy check."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import (
    Decimal,
)

from common.numbers import equal_as_printed, format_number

from .kategori import _bound
from .kinds import HUNDRED, ZERO, _arith, _finite

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


def is_discrepant(reported: Decimal | None, computed: Decimal | None) -> bool:
    """Does the printed figure (capaian, efisiensi) disagree with ours at the precision it was
    printed with?

    The computed value is rounded half-up to the decimals the printed one carries
    (common.numbers.equal_as_printed): a source printing whole numbers (Tabel 3.41's "102") is
    not contradicted by the decimals it left out (102,32), and one printing two decimals is by
    any other second decimal (98,62 against 98,96; 88,02 against 88,0296, shown 88,03). Only two
    numbers can differ: with no printed figure, or no computable one (no target or realisasi
    recorded), there is nothing to compare — that second case is :func:`is_unverifiable`,
    reported apart so a real difference is never lost among them.
    """
    if reported is None or computed is None:
        return False
    with _arith():
        return not equal_as_printed(reported, computed)


def is_unverifiable(reported: Decimal | None, computed: Decimal | None) -> bool:
    """A printed capaian the recorded data cannot reproduce (no target/realisasi behind it)."""
    return reported is not None and computed is None


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
