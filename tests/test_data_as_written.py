"""Data as agencies write it, as people see it: the kabid's form takes a rate with its
denominator and "tidak tersedia" with its reason; the perencana records the years before the
Renstra period; the list, the dashboard, the kabupaten and the LAKIP show "tidak tersedia"
(with the reason) as reported-but-no-data and the earlier years in the comparison."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from indicators.models import JenisTarget, Periode, Realisasi
from indicators.services.realisasi import PeriodValue, realisasi_record
from kabupaten.reader import kabupaten_data
from renstra.models import Role
from reporting.builder import build_lakip
from reporting.chapters import document_of
from reporting.document import Section, Table
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    RealisasiFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)
from tests.kabupaten_world import kabupaten
from tests.test_realisasi_entry import post_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def s() -> SimpleNamespace:
    """A Dinas Kesehatan: maternal mortality (AKI, per 100.000 KH, negative) and IDG."""
    opd = OpdFactory(kode="DINKES")
    periode = PeriodeFactory(opd=opd)
    bidang = BidangFactory(opd=opd, kode="KESMAS")
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=periode), bidang=bidang)
    aki = IndikatorFactory(
        sasaran=sasaran,
        nama="Angka Kematian Ibu",
        satuan="per 100.000 KH",
        polaritas="negatif",
        jenis="IKU",
        urutan=1,
    )
    TargetFactory(indikator=aki, tahun=2024, jenis=JenisTarget.PK, nilai=Decimal(75))
    idg = IndikatorFactory(sasaran=sasaran, nama="IDG", satuan="indeks", jenis="IKU", urutan=2)
    TargetFactory(indikator=idg, tahun=2024, jenis=JenisTarget.PK, nilai=Decimal("74.04"))
    TargetFactory(indikator=idg, tahun=2021, nilai=Decimal("71"))
    RealisasiFactory(indikator=idg, tahun=2021, nilai=Decimal("70.5"))
    return SimpleNamespace(
        opd=opd,
        aki=aki,
        idg=idg,
        kabid=make_user("kabid_kesmas", Role.KABID, opd=opd, bidang=bidang),
        perencana=make_user("perencana_dinkes", Role.PERENCANA, opd=opd),
    )


def annual(ind, tahun: int = 2024) -> Realisasi | None:
    return Realisasi.objects.filter(indikator=ind, tahun=tahun, periode=Periode.TAHUNAN).first()


def edit_url(ind, tahun: int = 2024) -> str:
    return reverse("indicators:realisasi_edit", args=[tahun, ind.pk])


# --- the kabid's form ---------------------------------------------------------------------------


def test_the_kabid_types_a_rate_with_its_denominator(client, s):
    client.force_login(s.kabid)
    response = post_values(client, s.aki, tahunan="104,7/100.000 KH")
    assert response.status_code == 302
    assert annual(s.aki).nilai == Decimal("104.7")
    page = client.get(edit_url(s.aki)).content.decode()
    # 75 against 104,7, negative (2T − R)/T: 60,40 %, Rendah.
    assert "60,40 %" in page
    assert "Nilai realisasi (per 100.000 KH)" in page


def test_a_rate_of_another_denominator_is_refused_on_the_form(client, s):
    s.aki.satuan = "per 1.000 KH"
    s.aki.save()
    client.force_login(s.kabid)
    response = post_values(client, s.aki, tahunan="75/100.000 KH")
    assert response.status_code == 400
    assert "Penyebut yang diketik (per 100.000 KH) berbeda dengan satuan indikator" in (
        response.content.decode()
    )
    assert annual(s.aki) is None


def test_the_kabid_states_not_available_with_a_reason(client, s):
    client.force_login(s.kabid)
    response = post_values(
        client, s.aki, tidak_tersedia="on", alasan_tidak_tersedia="data BPS belum rilis"
    )
    assert response.status_code == 302
    row = annual(s.aki)
    assert (row.nilai, row.tidak_tersedia, row.alasan_tidak_tersedia) == (
        None,
        True,
        "data BPS belum rilis",
    )
    page = client.get(edit_url(s.aki)).content.decode()
    assert "realisasi tidak tersedia: data BPS belum rilis" in page
    assert 'id="id_tidak_tersedia" checked' in page
    listing = client.get(reverse("indicators:realisasi_list", args=[2024])).content.decode()
    # Reported (counted as filled), shown as not available, never as 0.
    assert "1 dari 2 indikator sudah memiliki realisasi" in listing
    assert ">tidak tersedia<" in listing


def test_not_available_without_a_reason_is_refused_on_the_form(client, s):
    client.force_login(s.kabid)
    response = post_values(client, s.aki, tidak_tersedia="on", alasan_tidak_tersedia=" ")
    assert response.status_code == 400
    assert "wajib disertai alasannya (mis. data BPS belum rilis)" in response.content.decode()
    assert annual(s.aki) is None


def test_not_available_with_a_value_is_refused_on_the_form(client, s):
    client.force_login(s.kabid)
    response = post_values(
        client, s.aki, tahunan="80", tidak_tersedia="on", alasan_tidak_tersedia="belum rilis"
    )
    assert response.status_code == 400
    assert "bukan keduanya" in response.content.decode()
    assert annual(s.aki) is None


# --- the years before the period ----------------------------------------------------------------


def test_the_perencana_records_a_year_before_the_period_on_its_page(client, s):
    client.force_login(s.perencana)
    listing = client.get(reverse("indicators:realisasi_list", args=[2020])).content.decode()
    assert reverse("indicators:realisasi_list", args=[2016]) in listing  # the year picker
    assert f'href="{edit_url(s.aki, 2020)}">Isi' in listing
    page = client.get(edit_url(s.aki, 2020)).content.decode()
    assert "Simpan realisasi" in page
    response = post_values(client, s.aki, 2020, tahunan="110,2/100.000 KH")
    assert response.status_code == 302
    assert annual(s.aki, 2020).nilai == Decimal("110.2")


def test_the_kabid_reads_a_year_before_the_period_but_cannot_write_it(client, s):
    realisasi_record(
        user=s.perencana,
        indikator=s.aki,
        tahun=2020,
        values=[PeriodValue(Periode.TAHUNAN, Decimal("110.2"))],
    )
    client.force_login(s.kabid)
    page = client.get(edit_url(s.aki, 2020)).content.decode()
    assert "Hanya baca" in page
    assert "Simpan realisasi" not in page
    response = post_values(client, s.aki, 2020, tahunan="1", versi_tahunan=1)
    assert response.status_code == 403
    assert annual(s.aki, 2020).nilai == Decimal("110.2")
    listing = client.get(reverse("indicators:realisasi_list", args=[2024])).content.decode()
    assert reverse("indicators:realisasi_list", args=[2016]) not in listing


def test_a_year_too_early_is_not_found(client, s):
    client.force_login(s.perencana)
    assert client.get(edit_url(s.aki, 2015)).status_code == 404
    assert post_values(client, s.aki, 2015, tahunan="1").status_code == 404


# --- the readers ----------------------------------------------------------------------------------


def test_the_dashboard_shows_not_available_as_reported(client, s):
    realisasi_record(
        user=s.kabid,
        indikator=s.aki,
        tahun=2024,
        values=[PeriodValue(Periode.TAHUNAN, None, tidak_tersedia="data BPS belum rilis")],
    )
    pimpinan = make_user("kadis", Role.PIMPINAN, opd=s.opd)
    client.force_login(pimpinan)
    page = client.get(reverse("dashboard", args=[2024])).content.decode()
    assert "realisasi tidak tersedia: data BPS belum rilis" in page
    assert "0 dari 2 indikator memiliki data (1 tidak tersedia)" in page


def test_the_dashboard_chart_reaches_back_before_the_period(client, s, monkeypatch):
    from reporting import dashboard

    realisasi_record(
        user=s.perencana,
        indikator=s.idg,
        tahun=2020,
        values=[PeriodValue(Periode.TAHUNAN, Decimal("69.1"))],
    )
    drawn = []
    monkeypatch.setattr(
        dashboard.charts,
        "history_chart",
        lambda years, targets, realisasi, *a, **k: drawn.append((years, realisasi)) or "",
    )
    dashboard.dashboard_data(s.opd, 2024)
    # IDG: 2020 (before the period, no target), 2021 (target and realisasi), 2024 (target).
    assert ([2020, 2021, 2024], [Decimal("69.1"), Decimal("70.5"), None]) in drawn


def test_the_kabupaten_counts_not_available_as_reported_but_not_as_data():
    k = kabupaten()
    row = annual(k.x.indikator)
    row.nilai, row.tidak_tersedia, row.alasan_tidak_tersedia = None, True, "survei ditunda"
    row.save()
    data = kabupaten_data(k.pemda, 2024, today=datetime.date(2025, 1, 15))
    x = data.opds[0]
    assert (x.n_indikator, x.n_realisasi, x.completeness) == (1, 1, 100)
    assert (x.summary.mean, x.summary.n_with_data, x.summary.n_unavailable) == (None, 0, 1)


def _tables(blocks, prefix: str) -> list[Table]:
    found = []
    for block in blocks:
        if isinstance(block, Section):
            found += _tables(block.blocks, prefix)
        elif isinstance(block, Table) and block.caption.startswith(prefix):
            found.append(block)
    return found


def test_the_lakip_compares_with_years_before_the_period_and_names_not_available(s):
    s.idg.baseline_nilai, s.idg.baseline_tahun = Decimal("68"), 2019
    s.idg.save()
    realisasi_record(
        user=s.perencana,
        indikator=s.idg,
        tahun=2020,
        values=[PeriodValue(Periode.TAHUNAN, Decimal("69.1"))],
    )
    realisasi_record(
        user=s.kabid,
        indikator=s.idg,
        tahun=2024,
        values=[PeriodValue(Periode.TAHUNAN, None, tidak_tersedia="data BPS belum rilis")],
    )
    data = build_lakip(s.opd, 2024)
    history = _idg_history(document_of(data))
    rows = [[getattr(c, "value", c) for c in r.cells] for r in history.rows]
    # The kondisi awal (2019), the perencana's 2020, the period's 2021, then the report year.
    assert [r[0] for r in rows] == [2019, 2020, 2021, 2024]
    assert rows[0][1:] == ["–", Decimal(68), None, "–"]  # no target before the period
    assert rows[1][1:] == ["–", Decimal("69.1"), None, "–"]
    assert rows[2][1:3] == [Decimal(71), Decimal("70.5")]
    assert rows[3][2:] == ["tidak tersedia", None, "realisasi tidak tersedia: data BPS belum rilis"]
    (tabel_3_1,) = _tables(document_of(data).blocks, "Tabel 3.1 ")
    (idg_row,) = [
        [getattr(c, "value", c) for c in r.cells]
        for r in tabel_3_1.rows
        if "IDG" in [getattr(c, "value", c) for c in r.cells]
    ]
    # Indikator, polaritas, target, realisasi, capaian, kategori (the reason why none).
    assert idg_row[1:7] == [
        "IDG",
        "positif",
        Decimal("74.04"),
        "tidak tersedia",
        None,
        "realisasi tidak tersedia: data BPS belum rilis",
    ]
    assert data.iku_summary.n_unavailable == 1
    assert data.iku_summary.n_with_data == 0


def _idg_history(document) -> Table:
    """The IDG's "perbandingan antartahun" table: the one reaching back to 2019."""
    (table,) = [
        t
        for t in _tables(document.blocks, "Tabel 3.")
        if "Perbandingan antartahun" in t.caption
        and any(getattr(r.cells[0], "value", r.cells[0]) == 2019 for r in t.rows)
    ]
    return table
