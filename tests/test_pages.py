"""What every page shares (issue 11, point 8): one menu with the same names, one rule for the
year picker, budget years without data said so, the LAKIP's finalising asked for and its
hidden button explained, one status label per job."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from renstra.models import KunciTahun, Role
from reporting.models import PembuatanLaporan, StatusLaporan
from reporting.views import status_line
from tests.factories import (
    AnggaranFactory,
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    ProgramFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    opd = OpdFactory(kode="DP3")
    periode = PeriodeFactory(opd=opd, tahun_awal=2021, tahun_akhir=2026)
    bidang = BidangFactory(opd=opd)
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=periode), bidang=bidang)
    indikator = IndikatorFactory(sasaran=sasaran, nama="IDG")
    TargetFactory(indikator=indikator, tahun=2024, nilai=Decimal("74.04"))
    program = ProgramFactory(sasaran=sasaran, periode=periode)
    AnggaranFactory(program=program, tahun=2024, pagu=Decimal("1000000"))
    return {
        "opd": opd,
        "indikator": indikator,
        "kabid": make_user("kabid", Role.KABID, opd=opd, bidang=bidang),
        "perencana": make_user("perencana", Role.PERENCANA, opd=opd),
        "pimpinan": make_user("pimpinan", Role.PIMPINAN, opd=opd),
    }


def menu_of(html: str) -> list[str]:
    nav = html.split('<nav aria-label="Navigasi utama">')[1].split("</nav>")[0]
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<a [^>]*>([^<]+)</a>", nav)]


def years_of(html: str) -> list[str]:
    nav = html.split('<nav class="years" aria-label="Pilih tahun">')[1].split("</nav>")[0]
    return re.findall(r">(\d{4})<", nav)


@pytest.mark.parametrize("role", ["kabid", "pimpinan", "perencana"])
def test_every_page_has_the_same_menu_with_the_same_names(client, world, role):
    client.force_login(world[role])
    urls = [
        reverse("dashboard", args=[2024]),
        reverse("indicators:realisasi_list", args=[2024]),
        reverse("indicators:realisasi_edit", args=[2024, world["indikator"].pk]),
        reverse("lakip", args=[2024]),
        reverse("account"),
        reverse("password_change"),
        reverse("two_factor"),
        reverse("sign_out_everywhere"),
        "/tidak-ada/",
    ]
    menus = {url: menu_of(client.get(url).content.decode()) for url in urls}
    expected = {
        "kabid": ["Dasbor", "Realisasi", "Rencana aksi", "LAKIP", "Akun"],
        "pimpinan": [
            "Dasbor",
            "Realisasi",
            "Rencana aksi",
            "LAKIP",
            "Dokumen",
            "Register Dokumen",
            "Evaluasi AKIP",
            "Akun",
        ],
        "perencana": [
            "Dasbor",
            "Realisasi",
            "Rencana aksi",
            "LAKIP",
            "Dokumen",
            "Register Dokumen",
            "Evaluasi AKIP",
            "Tautan ke RPJMD",
            "Anggaran SIPD",
            "Kode nomenklatur",
            "Admin",
            "Akun",
        ],
    }[role]
    assert {url: m for url, m in menus.items() if m != expected} == {}


def test_the_menu_keeps_the_year_being_looked_at(client, world):
    client.force_login(world["pimpinan"])
    html = client.get(reverse("lakip", args=[2023])).content.decode()
    assert f'href="{reverse("dashboard", args=[2023])}">Dasbor' in html
    assert f'href="{reverse("indicators:realisasi_list", args=[2023])}">Realisasi' in html


def test_the_menus_dasbor_opens_the_latest_year_or_home_without_an_opd(client, world):
    client.force_login(world["kabid"])
    assert re.fullmatch(r"/dasbor/\d{4}/", client.get(reverse("dashboard_now"))["Location"])
    client.force_login(make_user("tanpa_opd", Role.ADMIN))
    assert client.get(reverse("dashboard_now"))["Location"] == reverse("home")


def test_the_year_picker_offers_the_renstra_years_on_every_page(client, world):
    client.force_login(world["perencana"])
    pages = {
        name: years_of(client.get(reverse(name, args=[2024])).content.decode())
        for name in ("dashboard", "indicators:realisasi_list", "lakip")
    }
    renstra = [str(y) for y in range(2021, 2027)]
    # The perencana's realisasi list also reaches five years back, for the history before
    # the period (issue #22, item 6); the other pages show the period.
    assert pages == {
        "dashboard": renstra,
        "indicators:realisasi_list": [str(y) for y in range(2016, 2021)] + renstra,
        "lakip": renstra,
    }


def test_a_year_outside_the_renstra_offers_the_latest_period(client, world):
    client.force_login(world["perencana"])
    html = client.get(reverse("lakip", args=[2030])).content.decode()
    assert years_of(html) == [str(y) for y in range(2021, 2027)]
    html = client.get(reverse("indicators:realisasi_list", args=[2030])).content.decode()
    assert years_of(html) == [str(y) for y in range(2016, 2027)]


def test_a_year_without_budget_data_says_so(client, world):
    client.force_login(world["pimpinan"])
    html = client.get(reverse("dashboard", args=[2023])).content.decode()
    assert "Belum ada data anggaran untuk tahun 2023." in html
    assert "Pagu <strong>" not in html
    with_budget = client.get(reverse("dashboard", args=[2024])).content.decode()
    assert "Pagu <strong>Rp 1.000.000</strong>" in with_budget
    assert "Belum ada data anggaran" not in with_budget


# --- finalising the LAKIP --------------------------------------------------------------------


def test_finalising_asks_for_confirmation(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["perencana"])
    page = client.get(reverse("lakip", args=[2024])).content.decode()
    assert 'name="konfirmasi" value="ya" required' in page

    refused = client.post(reverse("lakip_finalize", args=[2024]), {"perubahan": ""}, follow=True)

    assert "belum ditetapkan: centang konfirmasi" in refused.content.decode()
    assert not PembuatanLaporan.objects.exists()
    assert not KunciTahun.objects.exists()

    with django_capture_on_commit_callbacks(execute=False):
        confirmed = client.post(
            reverse("lakip_finalize", args=[2024]), {"perubahan": "", "konfirmasi": "ya"}
        )
    job = PembuatanLaporan.objects.get()
    assert job.final
    assert confirmed["Location"] == reverse("job_status", args=[job.pk])


def test_the_hidden_finalise_button_says_the_year_is_locked(client, world):
    KunciTahun.objects.create(opd=world["opd"], tahun=2024, alasan="LAKIP 2024 final (versi 1)")
    client.force_login(world["perencana"])
    html = client.get(reverse("lakip", args=[2024])).content.decode()
    assert "Tetapkan LAKIP 2024 final</button>" not in html
    assert (
        "Tombol penetapan final tidak ditampilkan karena tahun 2024 dikunci "
        "(LAKIP 2024 final (versi 1))." in html
    )
    assert "buka kunci tahun 2024 dengan alasan" in html


def test_the_hidden_finalise_button_says_only_a_perencana_may(client, world):
    client.force_login(world["pimpinan"])
    html = client.get(reverse("lakip", args=[2024])).content.decode()
    assert "Tetapkan LAKIP 2024 final</button>" not in html
    assert "hanya perencana OPD yang dapat menetapkan LAKIP final" in html


# --- the job page's status -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "langkah", "expected"),
    [
        (StatusLaporan.ANTRE, "", "Menunggu giliran"),
        (StatusLaporan.PROSES, "Menggambar grafik", "Sedang dibuat: Menggambar grafik"),
        (StatusLaporan.SELESAI, "Selesai", "Selesai"),
        (StatusLaporan.GAGAL, "Gagal", "Gagal"),
        (StatusLaporan.PROSES, "", "Sedang dibuat"),
    ],
)
def test_a_job_shows_one_status_label(world, status, langkah, expected):
    job = PembuatanLaporan(opd=world["opd"], tahun=2024, format="pdf", status=status)
    job.langkah = langkah
    assert status_line(job) == expected


def test_the_job_page_never_doubles_its_label(client, world):
    client.force_login(world["pimpinan"])
    job = PembuatanLaporan.objects.create(
        opd=world["opd"], tahun=2024, format="pdf", diminta_oleh=world["pimpinan"]
    )
    html = client.get(reverse("job_status", args=[job.pk])).content.decode()
    assert '<p id="status" role="status" aria-live="polite">Menunggu giliran</p>' in html
    assert "—" not in html.split('id="status"')[1].split("</p>")[0]
