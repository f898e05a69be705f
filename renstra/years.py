"""The one rule for the year picker on every page (the years of the OPD's Renstra period) and
for the period a year's work belongs to."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .models import Opd, PeriodeRenstra


def period_for(opd: Opd, tahun: int) -> PeriodeRenstra:
    """The OPD's Renstra period containing ``tahun``, else its latest one (the caller checks
    the year against it: a refusal then names the period)."""
    periode = (
        PeriodeRenstra.objects.filter(opd=opd, tahun_awal__lte=tahun, tahun_akhir__gte=tahun)
        .order_by("-tahun_awal")
        .first()
    ) or PeriodeRenstra.objects.filter(opd=opd).order_by("-tahun_awal").first()
    if periode is None:
        raise ValidationError(f"{opd} belum memiliki periode Renstra.")
    return periode


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
