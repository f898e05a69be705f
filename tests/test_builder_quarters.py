"""Years recorded only per triwulan count in the report's history and end-of-Renstra figures."""

from decimal import Decimal

import pytest

from indicators import engine
from indicators.models import Periode, Realisasi
from reporting.builder import build_lakip
from reporting.dashboard import dashboard_data
from tests.factories import (
    IndikatorFactory,
    PeriodeFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarterly():
    periode = PeriodeFactory()
    indikator = IndikatorFactory(
        sasaran=SasaranFactory(tujuan=TujuanFactory(periode=periode)),
        akumulasi=engine.Accumulation.JUMLAH,
    )
    for tahun in (2023, 2024, 2026):
        TargetFactory(indikator=indikator, tahun=tahun, nilai=Decimal(100))
    for tahun in (2023, 2024):
        for q in (Periode.TW1, Periode.TW2, Periode.TW3, Periode.TW4):
            Realisasi.objects.create(indikator=indikator, tahun=tahun, periode=q, nilai=Decimal(25))
    return periode.opd, indikator


def test_the_history_includes_a_year_recorded_only_in_quarters(quarterly):
    opd, indikator = quarterly
    section = build_lakip(opd, 2024).sections[0]
    points = {p.tahun: p.result.capaian for p in section.history[indikator.pk]}
    assert points == {2023: Decimal(100), 2024: Decimal(100)}
    assert section.end_result[indikator.pk].capaian == Decimal(100)


def test_the_dashboard_trajectory_uses_quarter_sums(quarterly):
    opd, _ = quarterly
    card = dashboard_data(opd, 2024)["cards"][0]
    assert card.trajectory is not None
    assert card.trajectory.projected == Decimal(100)
    assert card.trajectory.on_track
