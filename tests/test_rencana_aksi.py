"""The "Rencana Aksi dan Realisasi Triwulan" page: the planner sets quarterly targets, the
engine computes each triwulan's capaian, the workbook holds the same table."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Periode, Realisasi, TargetTriwulan
from renstra.door import SystemActor
from renstra.models import Anggaran, AnggaranBulanan, Role
from renstra.services import year_lock
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    KegiatanFactory,
    OpdFactory,
    PeriodeFactory,
    ProgramFactory,
    RealisasiFactory,
    SasaranFactory,
    SubKegiatanFactory,
    TujuanFactory,
    make_user,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    opd = OpdFactory(kode="DP3")
    periode = PeriodeFactory(opd=opd)
    kb = BidangFactory(opd=opd, kode="PPKB")
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=periode), bidang=kb)
    peserta = IndikatorFactory(
        sasaran=sasaran, nama="Jumlah peserta KB baru", satuan="orang", akumulasi="jumlah"
    )
    RealisasiFactory(indikator=peserta, tahun=2024, periode=Periode.TW1, nilai=Decimal(90))
    return {
        "opd": opd,
        "ind": peserta,
        "perencana": make_user("perencana", Role.PERENCANA, opd=opd),
        "kabid": make_user("kabid_kb", Role.KABID, opd=opd, bidang=kb),
    }


def url(fmt: str = "") -> str:
    return reverse("indicators:rencana_aksi", args=[2024]) + (f"?format={fmt}" if fmt else "")


def test_the_planner_sets_quarterly_targets_and_sees_the_quarters_capaian(client, world):
    client.force_login(world["perencana"])
    data = form_data(client.get(url()).content.decode())
    name = f"t{world['ind'].pk}_tw1"
    data[name] = "120"
    data[f"t{world['ind'].pk}_tw2"] = "1.234,5"
    response = client.post(url(), data)
    assert response.status_code == 302
    assert dict(TargetTriwulan.objects.values_list("periode", "nilai")) == {
        "tw1": Decimal(120),
        "tw2": Decimal("1234.5"),
    }
    page = client.get(url()).content.decode()
    # TW I: 90 / 120 × 100 = 75,00 % (Sedang); TW II has no realisasi yet.
    assert "75,00 %" in page
    assert "Sedang" in page
    assert "belum ada realisasi" in page


def test_a_kabid_reads_but_cannot_set_targets(client, world):
    client.force_login(world["kabid"])
    page = client.get(url()).content.decode()
    assert "Jumlah peserta KB baru" in page
    assert f"t{world['ind'].pk}_tw1" not in page
    response = client.post(url(), {f"t{world['ind'].pk}_tw1": "5"})
    assert response.status_code == 403
    assert not TargetTriwulan.objects.exists()


def test_a_mistyped_target_and_a_locked_year_save_nothing(client, world):
    client.force_login(world["perencana"])
    data = form_data(client.get(url()).content.decode())
    data[f"t{world['ind'].pk}_tw1"] = "12x"
    response = client.post(url(), data)
    assert response.status_code == 400
    assert not TargetTriwulan.objects.exists()
    year_lock(user=SystemActor("uji"), opd=world["opd"], tahun=2024, alasan="LAKIP final")
    data[f"t{world['ind'].pk}_tw1"] = "12"
    response = client.post(url(), data)
    assert response.status_code == 400
    assert "Tahun 2024 dikunci" in response.content.decode()
    assert not TargetTriwulan.objects.exists()


def test_the_workbook_holds_the_same_table(client, world):
    client.force_login(world["perencana"])
    data = form_data(client.get(url()).content.decode())
    data[f"t{world['ind'].pk}_tw1"] = "120"
    client.post(url(), data)
    response = client.get(url("xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][:7] == (
        "Jumlah peserta KB baru",
        "orang",
        "Jumlah triwulan",
        "Triwulan I",
        120,
        90,
        75,
    )
    assert len(rows) == 4
    assert Realisasi.objects.count() == 1


def test_the_page_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world["perencana"])
    client.get(url())
    # user and versions (2; who is asking, kept in the session); settings,
    # default scale, bands (3); the indicators with their tree (1); quarterly targets (1);
    # quarterly realisasi (1); the annual targets of the page's rows (1); the OPD's bidang for
    # the filter (1); lock (1); Renstra years (1); the year's monthly budget realisasi and
    # pagu for the penyerapan (2). The planner check reads the role already read; the session
    # is renewed at most every ten minutes, not here.
    with django_assert_num_queries(14):
        client.get(url())


def test_the_dashboard_names_the_triwulan_a_bidang_has_not_reported(client, world):
    client.force_login(make_user("pimpinan", Role.PIMPINAN, opd=world["opd"]))
    html = client.get(reverse("dashboard", args=[2024])).content.decode()
    table = html.split('id="pemantauan-triwulan"')[1].split("</section>")[0]
    bidang = world["ind"].effective_bidang.nama
    rows = [
        re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)
    ]
    assert [
        bidang,
        "1 dari 1",
        "0 dari 1",
        "0 dari 1",
        "0 dari 1",
        "Triwulan II, Triwulan III, Triwulan IV",
    ] in rows


def test_the_penyerapan_of_each_triwulan_stands_beside_its_capaian(client, world):
    """A program's indicator: pagu 1.000, SIPD months January 100, April 200, July 320 →
    penyerapan TW I 10 %, TW II 30 %, TW III and IV 62 %, cumulative as the DPA is spent."""
    periode = world["ind"].periode
    program = ProgramFactory(periode=periode, sasaran=world["ind"].sasaran)
    sub = SubKegiatanFactory(kegiatan=KegiatanFactory(program=program))
    indikator = IndikatorFactory(
        program=program,
        sasaran=None,
        jenis="IK",
        nama="Cakupan layanan KB",
        satuan="%",
        akumulasi="akhir",
    )
    Anggaran.objects.create(program=program, tahun=2024, pagu=Decimal(1000))
    for bulan, nilai in ((1, 100), (4, 200), (7, 320)):
        AnggaranBulanan.objects.create(
            sub_kegiatan=sub, tahun=2024, bulan=bulan, realisasi=Decimal(nilai)
        )
    client.force_login(world["perencana"])
    page = client.get(url()).content.decode()
    assert "Cakupan layanan KB" in page, page[-3000:]
    row = next(tr for tr in page.split("<tr>") if "Cakupan layanan KB <small" in tr)
    assert re.findall(r"penyerapan ([0-9,]+ %)", row) == [
        "10,00 %",
        "30,00 %",
        "62,00 %",
        "62,00 %",
    ]
    assert "Penyerapan anggaran OPD" in page
    # The sasaran's own indicator reads the programs serving it: the same money.
    peserta = next(tr for tr in page.split("<tr>") if "Jumlah peserta KB baru <small" in tr)
    assert "penyerapan 62,00 %" in peserta
    assert indikator.pk
    # A tujuan's indicator: the programs of its sasaran.
    IndikatorFactory(
        tujuan=world["ind"].sasaran.tujuan, sasaran=None, nama="Indeks tujuan", satuan="indeks"
    )
    page = client.get(url()).content.decode()
    tujuan = next(tr for tr in page.split("<tr>") if "Indeks tujuan <small" in tr)
    assert "penyerapan 10,00 %" in tujuan


def test_without_monthly_realisasi_no_penyerapan_is_shown(client, world):
    client.force_login(world["perencana"])
    page = client.get(url()).content.decode()
    assert "penyerapan" not in page.lower()
