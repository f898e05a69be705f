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


def test_the_report_prints_the_rencana_aksi_with_the_quarters_capaian(quarterly):
    import io

    from openpyxl import load_workbook

    from indicators.models import TargetTriwulan
    from reporting.render import render_html, render_xlsx

    opd, indikator = quarterly
    for q, nilai in ((Periode.TW1, 20), (Periode.TW2, 25), (Periode.TW3, 25), (Periode.TW4, 30)):
        TargetTriwulan.objects.create(indikator=indikator, tahun=2024, periode=q, nilai=nilai)
    data = build_lakip(opd, 2024)
    [row] = data.rencana_aksi
    # 25 / 20 × 100 = 125; 25 / 30 × 100 = 83,33.
    assert [round(r.capaian, 2) for r in row.results] == [
        Decimal(125),
        Decimal(100),
        Decimal(100),
        Decimal("83.33"),
    ]
    html = " ".join(render_html(data).split())
    assert "Tabel 3.1a Rencana Aksi dan Realisasi Triwulan IKU" in html
    assert 'Triwulan IV</td><td class="num">30,00</td><td class="num">25,00</td>' in html
    sheet = load_workbook(io.BytesIO(render_xlsx(data)))["Rencana Aksi"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[1:4] for r in rows] == [
        ("Triwulan I", 20, 25),
        ("Triwulan II", 25, 25),
        ("Triwulan III", 25, 25),
        ("Triwulan IV", 30, 25),
    ]
    assert round(rows[3][4], 2) == 83.33
    import docx

    from reporting.render import render_docx

    document = docx.Document(io.BytesIO(render_docx(data)))
    texts = [p.text for p in document.paragraphs]
    assert "Tabel 3.1a Rencana Aksi dan Realisasi Triwulan IKU" in texts
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "83,33 %" in cells
