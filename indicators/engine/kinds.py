"""The engine's shared ground: exact arithmetic, the finite check, the enums and their labels."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    localcontext,
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


def _finite(value: Decimal | None) -> bool:
    return value is not None and value.is_finite()
