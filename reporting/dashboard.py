"""The leadership dashboard: where the agency stands in a year, in a constant number of
queries whatever the number of indicators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from indicators import engine
from indicators.models import Indikator, Jenis, Target
from indicators.selectors import (
    IndicatorRow,
    compute_for,
    engine_scale,
    indicator_rows,
    realisasi_by_year,
    settings_for_opd,
)
from renstra.models import Anggaran, Opd, PeriodeRenstra, Role
from renstra.permissions import user_bidang_id, user_opd_id, user_role
from renstra.services import lock_for
from renstra.years import renstra_years

from . import charts
from .models import LakipVersi


@dataclass
class IkuCard:
    row: IndicatorRow
    chart: str | None
    trajectory: engine.Trajectory | None
    final_target: Target | None


@dataclass
class BidangProgress:
    nama: str
    filled: int
    total: int

    @property
    def percent(self) -> int:
        return round(self.filled * 100 / self.total) if self.total else 0


def dashboard_data(opd: Opd, tahun: int, bidang_id: int | None = None) -> dict[str, object]:
    """Queries: periode, scale (2), indicator rows (3), targets and realisasi of every year for
    the IKU (2), the year's budgets (1), the latest final version (1)."""
    periode = (
        PeriodeRenstra.objects.filter(opd=opd, tahun_awal__lte=tahun, tahun_akhir__gte=tahun)
        .order_by("-tahun_awal")
        .first()
    )
    if periode is None:
        return {"periode": None}
    skala, _method = settings_for_opd(opd.pk)
    scale = engine_scale(skala)
    rows = indicator_rows(
        opd.pk, tahun, indikator_qs=Indikator.objects.filter(periode=periode), scale=scale
    )
    if bidang_id is not None:
        rows = [r for r in rows if (b := r.indikator.effective_bidang) and b.pk == bidang_id]

    # The IKU of the Perjanjian Kinerja are the sasaran's; tujuan indicators are shown in the
    # report's Renstra tables, not as the year's headline cards.
    iku = [r for r in rows if r.indikator.jenis == Jenis.IKU and r.indikator.sasaran_id]
    iku_ids = [r.indikator.pk for r in iku]
    targets = Target.objects.filter(indikator_id__in=iku_ids).effective()
    realisasi = realisasi_by_year(iku_ids)
    cards = []
    for r in iku:
        ind = r.indikator
        years, t_values, r_values, points = [], [], [], []
        for y in periode.years:
            t = targets.get((ind.pk, y))
            annual, quarters = realisasi.get((ind.pk, y), (None, (None,) * 4))
            result = r.result if y == tahun else compute_for(ind, t, annual, quarters, scale)
            if y <= tahun and (result.realisasi_used is not None or t is not None):
                years.append(y)
                t_values.append(t.nilai if t is not None else None)
                r_values.append(result.realisasi_used)
            if y <= tahun and result.realisasi_used is not None:
                points.append((y, result.realisasi_used))
        final = targets.get((ind.pk, periode.tahun_akhir))
        trajectory = engine.trajectory(
            points=points,
            final_year=periode.tahun_akhir,
            final_target=final.nilai if final is not None else None,
            polarity=engine.Polarity(ind.polaritas),
        )
        chart = charts.history_chart(years, t_values, r_values, ind.satuan) if years else None
        cards.append(IkuCard(r, chart, trajectory, final))

    progress: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        b = r.indikator.effective_bidang
        key = b.nama if b is not None else "Tanpa bidang"
        progress[key][1] += 1
        if r.result.realisasi_used is not None:
            progress[key][0] += 1

    budgets = list(Anggaran.objects.filter(periode=periode, tahun=tahun, program__isnull=False))
    pagu = sum((b.pagu for b in budgets), Decimal(0))
    real = sum((b.realisasi or Decimal(0) for b in budgets), Decimal(0))
    return {
        "periode": periode,
        "scale": scale,
        "cards": cards,
        "summary": engine.aggregate([r.result for r in iku], scale=scale),
        "all_summary": engine.aggregate([r.result for r in rows], scale=scale),
        "progress": [BidangProgress(k, v[0], v[1]) for k, v in sorted(progress.items())],
        "discrepancies": [r for r in rows if r.discrepant],
        # No budget rows is "no data yet", not a budget of Rp 0.
        "has_budget": bool(budgets),
        "pagu": pagu,
        "realisasi_anggaran": real,
        "penyerapan": engine.penyerapan(pagu, real),
        "penyerapan_bar": _bar(engine.penyerapan(pagu, real)),
        "final_version": LakipVersi.objects.filter(opd=opd, tahun=tahun)
        .defer("pdf", "xlsx")
        .order_by("-nomor")
        .first(),
    }


def _bar(percent: Decimal | None) -> int:
    """Width of a progress bar in whole percent (display only), clamped to 0–100."""
    if percent is None:
        return 0
    return int(max(Decimal(0), min(Decimal(100), percent)).to_integral_value())


@login_required
def dashboard(request: HttpRequest, tahun: int) -> HttpResponse:
    opd = Opd.objects.filter(pk=user_opd_id(request.user) or 0).first()
    if opd is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    role = user_role(request.user)
    bidang_id = user_bidang_id(request.user) if role == Role.KABID else None
    context = dashboard_data(opd, tahun, bidang_id=bidang_id)
    years = renstra_years(opd.pk, tahun)
    context.update(
        {
            "opd": opd,
            "tahun": tahun,
            "years": years,
            "role": role,
            "is_perencana": role in (Role.PERENCANA, Role.ADMIN),
            "lock": lock_for(opd.pk, tahun),
        }
    )
    return render(request, "reporting/dashboard.html", context)
