"""The one rule for the year picker on every page: the years of the OPD's Renstra period."""

from __future__ import annotations

from .models import PeriodeRenstra


def renstra_years(opd_id: int | None, tahun: int) -> list[int]:
    """The years of the OPD's Renstra period that contains ``tahun`` (else of its latest
    period); just ``tahun`` for an OPD without a period."""
    periods = list(
        PeriodeRenstra.objects.filter(opd_id=opd_id or 0)
        .order_by("-tahun_awal")
        .values_list("tahun_awal", "tahun_akhir")
    )
    chosen = next(((a, b) for a, b in periods if a <= tahun <= b), periods[0] if periods else None)
    if chosen is None:
        return [tahun]
    return list(range(chosen[0], chosen[1] + 1))
