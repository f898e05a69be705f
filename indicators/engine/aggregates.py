"""Aggregates of many capaian (bounded means, headline) and the trajectory to the Renstra's end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import (
    Decimal,
)
from typing import TypeAlias

from common.numbers import format_number

from .capaian import CapaianResult
from .kategori import SCALE_SEED_3_2, Band, Scale, ScaleError, _bound
from .kinds import ZERO, Polarity, _arith, _finite

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
    # Indicators whose realisasi was stated as not available: among the n_total, never among
    # the n_with_data.
    n_unavailable: int = 0


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
    n_unavailable = sum(1 for r in results if r.unavailable)
    label = (
        f"{len(values)} dari {len(results)} indikator memiliki data"
        if results
        # "0 dari 0" reads as an empty page: with nothing to count, say so.
        else "belum ada indikator bertarget"
    )
    if n_unavailable:
        label += f" ({n_unavailable} tidak tersedia)"
    return AggregateResult(
        mean=mean,
        n_with_data=len(values),
        n_total=len(results),
        counts=counts,
        kategori=band.label if band is not None else None,
        band=band,
        label=label,
        bounds=bounds,
        n_bounded=n_bounded,
        unbounded_mean=_mean(values),
        n_unavailable=n_unavailable,
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
