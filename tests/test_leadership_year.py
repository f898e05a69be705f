"""What leadership reads is true (issue #20, item 6): the year they land on is a finished one,
a headline kategori waits until enough IKU have data, and an IKU counts in a year only if it
has a target for that year — on the seed, through the pages."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indikator, Jenis, PengaturanOpd, Realisasi, Target
from indicators.selectors import opd_settings
from renstra.models import JenisOpd, Opd, Role
from reporting.services import lakip_generate
from tests.factories import make_user

pytestmark = pytest.mark.django_db

IDG = "IDG (Indeks Pemberdayaan Gender)"


@pytest.fixture(autouse=True)
def _early_2026(monkeypatch):
    """Early 2026: 2025 has just ended and its realisasi are being typed in."""
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 3, 1))


@pytest.fixture
def seed(db):
    call_command("load_seed", stdout=io.StringIO())
    return Opd.objects.get(kode="DP3APPKBPMD")


def iku_2025(opd):
    return list(
        Indikator.objects.filter(periode__opd=opd, jenis=Jenis.IKU, sasaran__isnull=False)
        .filter(target_set__tahun=2025)
        .distinct()
        .order_by("pk")
    )


def type_2025(indikator):
    """A 2025 realisasi exactly on the 2025 target: every capaian 100 %."""
    target = Target.objects.filter(indikator=indikator, tahun=2025).order_by("-pk").first()
    Realisasi.objects.create(indikator=indikator, tahun=2025, nilai=target.nilai)


def headline(client: Client, user, tahun: int) -> str:
    client.force_login(user)
    response = client.get(reverse("dashboard", args=[tahun]))
    assert response.status_code == 200
    return response.content.decode().split("<h2>Capaian IKU</h2>")[1].split("</div>")[0]


def test_the_pimpinan_lands_on_the_last_complete_year_not_on_one_early_value(client, seed):
    pimpinan = make_user("kadis", Role.PIMPINAN, opd=seed)
    client.force_login(pimpinan)
    type_2025(Indikator.objects.get(periode__opd=seed, nama=IDG))

    # One kabid's 2025 value is not 2025's verdict: 2024 has every IKU reported.
    assert client.get(reverse("home"))["Location"] == reverse("dashboard", args=[2024])
    assert client.get(reverse("dashboard_now"))["Location"] == reverse("dashboard", args=[2024])
    assert client.get(reverse("lakip_now"))["Location"] == reverse("lakip", args=[2024])
    # The kabid still lands where the typing is.
    kabid = make_user("kabid_x", Role.KABID, opd=seed, bidang=seed.bidang_set.first())
    client.force_login(kabid)
    assert client.get(reverse("home"))["Location"] == reverse(
        "indicators:realisasi_list", args=[2025]
    )


def test_the_pimpinan_lands_on_2025_once_every_iku_with_a_target_has_its_realisasi(client, seed):
    pimpinan = make_user("kadis", Role.PIMPINAN, opd=seed)
    client.force_login(pimpinan)
    for ind in iku_2025(seed):
        type_2025(ind)

    assert client.get(reverse("home"))["Location"] == reverse("dashboard", args=[2025])


def test_a_headline_from_one_iku_of_four_reads_belum_lengkap_not_a_kategori(client, seed):
    pimpinan = make_user("kadis", Role.PIMPINAN, opd=seed)
    assert len(iku_2025(seed)) == 4
    type_2025(Indikator.objects.get(periode__opd=seed, nama=IDG))

    stat = headline(client, pimpinan, 2025)

    assert '<p class="big">100,00 %</p>' in stat
    assert "belum lengkap — 1 dari 4 IKU" in stat
    assert "Sangat Tinggi</span>" not in stat
    # The seed's own 2024 headline is complete and keeps its kategori.
    stat_2024 = headline(client, pimpinan, 2024)
    assert '<p class="big">79,95 %</p>' in stat_2024
    assert ">Tinggi</span>" in stat_2024
    assert "4 dari 4 indikator memiliki data" in stat_2024
    assert "belum lengkap" not in stat_2024


def test_the_opd_setting_lowers_how_many_iku_the_kategori_waits_for(client, seed):
    pimpinan = make_user("kadis", Role.PIMPINAN, opd=seed)
    type_2025(Indikator.objects.get(periode__opd=seed, nama=IDG))
    settings = opd_settings(seed.pk)
    PengaturanOpd.objects.create(opd=seed, skala=settings.skala, agregat_minimal_iku=1)

    stat = headline(client, pimpinan, 2025)

    assert "belum lengkap" not in stat
    assert '<span class="kategori kategori-sangat-tinggi">Sangat Tinggi</span>' in stat


def test_the_kabupaten_dashboard_says_belum_lengkap_for_the_opd(client, seed):
    unit = Opd.objects.get(pemda=seed.pemda, jenis=JenisOpd.PEMDA)
    bupati = make_user("bupati_x", Role.KEPALA_DAERAH, opd=unit)
    type_2025(Indikator.objects.get(periode__opd=seed, nama=IDG))
    client.force_login(bupati)

    row_2025 = client.get(reverse("pemda_dashboard", args=[2025])).content.decode()
    row_2025 = row_2025.split('data-opd="DP3APPKBPMD"')[1].split("</tr>")[0]
    row_2024 = client.get(reverse("pemda_dashboard", args=[2024])).content.decode()
    row_2024 = row_2024.split('data-opd="DP3APPKBPMD"')[1].split("</tr>")[0]

    assert '100,00 % <span class="belum-lengkap">belum lengkap — 1 dari 4 IKU</span>' in row_2025
    assert '79,95 % <span class="kategori kategori-tinggi">Tinggi</span>' in row_2024


def test_an_iku_without_a_target_that_year_is_not_counted_in_it(client, seed):
    pimpinan = make_user("kadis", Role.PIMPINAN, opd=seed)
    idg = Indikator.objects.get(periode__opd=seed, nama=IDG)
    added = Indikator.objects.create(
        periode=idg.periode,
        sasaran=idg.sasaran,
        jenis=Jenis.IKU,
        nama="Indeks Ketimpangan Gender",
        satuan="indeks",
        urutan=99,
    )
    Target.objects.create(indikator=added, tahun=2025, nilai=Decimal("0.4"))

    stat = headline(client, pimpinan, 2024)
    data = json.loads(lakip_generate(seed, 2024, "json"))

    # The 2024 PK never held it: still the seed's 79,95 % from 4 of 4, no row of "–".
    assert '<p class="big">79,95 %</p>' in stat and "4 dari 4 indikator memiliki data" in stat
    assert [i["indikator"] for i in data["iku"]].count("Indeks Ketimpangan Gender") == 0
    assert len(data["iku"]) == 4
    assert (data["ringkasan"]["indikator_dengan_data"], data["ringkasan"]["jumlah_indikator"]) == (
        4,
        4,
    )
    # In 2025, where it has a target, it counts.
    assert "dari 5 IKU" in headline(client, pimpinan, 2025)
