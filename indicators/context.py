"""What the kabid sees beside the input: the indicator's definition (makna, formulasi, sumber
data, penanggung jawab), its realisasi of earlier years, the end-of-Renstra target and the
trajectory note (engine.trajectory). Queries: the annual realisasi of every year (1) and the
targets of the final year (1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import engine
from .models import Indikator, Periode, Realisasi, Target


@dataclass(frozen=True)
class IndicatorContext:
    makna: str
    formulasi: str
    sumber_data: str
    penanggung_jawab: str
    previous: list[tuple[int, Decimal | str]] = field(default_factory=list)
    end_year: int = 0
    end_target: Target | None = None
    trajectory: engine.Trajectory | None = None


def indicator_context(indikator: Indikator, tahun: int) -> IndicatorContext:
    final_year = indikator.periode.tahun_akhir
    annual = {
        r.tahun: r.engine_value
        for r in Realisasi.objects.filter(
            indikator=indikator, periode=Periode.TAHUNAN, tahun__lte=tahun
        ).order_by("tahun")
        if r.engine_value is not None
    }
    end = Target.objects.filter(indikator=indikator, tahun=final_year).effective()
    end_target = end.get((indikator.pk, final_year))
    points = [(y, v) for y, v in annual.items() if isinstance(v, Decimal)]
    return IndicatorContext(
        makna=indikator.makna,
        formulasi=indikator.formulasi,
        sumber_data=indikator.sumber_data,
        penanggung_jawab=indikator.penanggung_jawab,
        previous=[(y, v) for y, v in annual.items() if y < tahun],
        end_year=final_year,
        end_target=end_target,
        trajectory=engine.trajectory(
            points=points,
            final_year=final_year,
            final_target=end_target.nilai if end_target is not None else None,
            polarity=engine.Polarity(indikator.polaritas),
        )
        if points
        else None,
    )
