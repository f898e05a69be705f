"""Charts are drawn once per data version: a request that shows the same data draws nothing,
a changed realisasi redraws only its own chart."""

from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse

from bench.synthetic import build_synthetic_opd
from indicators.models import Indikator, Jenis, Periode
from indicators.services.realisasi import PeriodValue, realisasi_record
from renstra.models import Role
from renstra.permissions import SystemActor
from reporting import charts
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


@pytest.fixture
def draws(monkeypatch):
    """How many times matplotlib is asked for a figure."""
    caches["charts"].clear()
    calls = []
    real = charts._history_figure

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "_history_figure", counted)
    return calls


def test_the_same_data_is_drawn_once(draws):
    years = [2023, 2024]
    first = charts.history_chart(years, [Decimal("74.04"), None], [Decimal("73.27"), None], "%")
    # The same numbers written differently (a stored 74.040000) are the same chart.
    again = charts.history_chart(years, [Decimal("74.040000"), None], [Decimal("73.27"), None], "%")
    assert again == first
    assert len(draws) == 1

    changed = charts.history_chart(years, [Decimal("74.04"), None], [Decimal("73.28"), None], "%")
    assert changed != first
    assert len(draws) == 2
    # The PNG (for Word) is its own drawing, also kept.
    charts.history_chart_png(years, [Decimal("74.04"), None], [Decimal("73.27"), None], "%")
    charts.history_chart_png(years, [Decimal("74.04"), None], [Decimal("73.27"), None], "%")
    assert len(draws) == 3


def test_the_dashboard_draws_only_what_changed(client, draws):
    opd = build_synthetic_opd("GRAFIK", sasaran=3, programs=3, indicators=12)
    client.force_login(make_user("pimpinan_grafik", Role.PIMPINAN, opd=opd))
    url = reverse("dashboard", args=[2024])
    iku = list(Indikator.objects.filter(periode__opd=opd, jenis=Jenis.IKU).order_by("pk"))
    assert len(iku) >= 2

    assert client.get(url).status_code == 200
    first = len(draws)
    assert first == len(iku)  # one chart per IKU

    assert client.get(url).status_code == 200
    assert len(draws) == first  # nothing redrawn

    realisasi_record(
        user=SystemActor("uji"),
        indikator=iku[0],
        tahun=2024,
        values=[PeriodValue(Periode.TAHUNAN, Decimal("12345.6"), "", None)],
        confirm=True,
    )
    assert client.get(url).status_code == 200
    assert len(draws) == first + 1  # only the changed indicator's chart
