"""Kategori scales: bands, their validation and the preset scales."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import (
    Decimal,
)

from common.numbers import format_number

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
