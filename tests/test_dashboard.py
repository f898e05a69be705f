"""The leadership dashboard on the Balangan seed: IKU cards, warnings, downloads, who may see
what, where each role lands, and a constant number of queries."""

import io
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.synthetic import build_synthetic_opd
from indicators.views import default_year
from renstra.models import Bidang, Opd, Role
from tests.factories import BidangFactory, OpdFactory, make_user

pytestmark = pytest.mark.django_db

CARD = '<article class="card iku">'
IKU_NAMES = [
    "IDG (Indeks Pemberdayaan Gender)",
    "Persentase Penurunan Kasus Kekerasan terhadap Perempuan dan Anak",
    "Persentase Desa dengan Klasifikasi Desa Maju",
    "Angka Kelahiran Total (TFR)",
]


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker) -> dict[str, str]:
    """The 2024 dashboard of the seed as its pimpinan and as the PPPA kabid see it, drawn once;
    the seed and the users are rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed", stdout=io.StringIO())
        opd = Opd.objects.get(kode="DP3APPKBPMD")
        pppa = Bidang.objects.get(opd=opd, kode="PPPA")
        users = {
            "pimpinan": make_user("kadis", Role.PIMPINAN, opd=opd),
            "kabid": make_user("kabid_pppa", Role.KABID, opd=opd, bidang=pppa),
        }
        drawn = {who: dashboard_html(Client(), user) for who, user in users.items()}
        transaction.set_rollback(True)
    return drawn


def dashboard_html(client, user, tahun: int = 2024) -> str:
    client.force_login(user)
    response = client.get(reverse("dashboard", args=[tahun]))
    assert response.status_code == 200
    return response.content.decode()


def cards(html: str) -> list[str]:
    """The text of each IKU card, in page order."""
    return [part.split("</article>")[0] for part in html.split(CARD)[1:]]


def card_titles(html: str) -> list[str]:
    return [re.search(r"<h3>(.*?)</h3>", c).group(1) for c in cards(html)]


def test_it_shows_a_card_for_each_of_the_four_iku(pages):
    html = pages["pimpinan"]

    assert html.count(CARD) == 4
    assert card_titles(html) == IKU_NAMES


def test_it_shows_the_computed_capaian_and_kategori_on_the_cards(pages):
    idg, kekerasan, desa, tfr = cards(pages["pimpinan"])

    assert "<dd>74,04</dd>" in idg
    assert "<dd>73,27</dd>" in idg
    assert "<dd>98,96 %</dd>" in idg
    assert ">Sangat Tinggi</span>" in idg
    # Its own capaian stays unbounded, flagged "periksa" (below 0), never changed.
    assert '<dd>-1.272,73 % <span class="periksa"' in kekerasan
    assert "di bawah 0: periksa tanda realisasi dan rumusnya" in kekerasan
    assert ">Sangat Rendah</span>" in kekerasan
    assert "<dd>122,00 %</dd>" in desa
    assert "<dd>100,86 %</dd>" in tfr
    assert 'title="Makin rendah makin baik">negatif</span>' in tfr


def test_a_card_computed_from_components_shows_where_its_realisasi_came_from(pages):
    idg, _kekerasan, desa, _tfr = cards(pages["pimpinan"])

    assert "<dd>54,90</dd>" in desa
    assert "Realisasi 54,90 % = 84 / 153 × 100 (sumber: LAKIP 2024 DP3APPKBPMD (153 desa))" in desa
    assert "Realisasi 73,27" not in idg


def test_it_warns_about_the_three_printed_figures_that_disagree(pages):
    html = pages["pimpinan"]

    warning = html.split('<section class="card warn"')[1].split("</section>")[0]
    assert (
        "<li>IDG (Indeks Pemberdayaan Gender): dilaporkan <strong>98,62 %</strong>, "
        "hasil hitung <strong>98,96 %</strong></li>"
    ) in warning
    assert (
        "<li>Persentase Penurunan Kasus Kekerasan terhadap Perempuan dan Anak: dilaporkan "
        "<strong>-127,20 %</strong>, hasil hitung <strong>-1.272,73 %</strong></li>"
    ) in warning
    assert (
        "<li>Angka Kelahiran Total (TFR): dilaporkan <strong>99,14 %</strong>, "
        "hasil hitung <strong>100,86 %</strong></li>"
    ) in warning
    # Desa maju's printed 122,00 % in Tabel 3.1 agrees with its data; its Tabel 3.14 figure
    # against the end-of-Renstra target (122 where the data give 124,33: 84 / 153 × 100
    # against 44,16) does not.
    assert "Klasifikasi Desa Maju: dilaporkan" not in warning
    assert (
        "<li>Persentase Desa dengan Klasifikasi Desa Maju (terhadap target akhir Renstra): "
        "dilaporkan <strong>122,00 %</strong>, hasil hitung <strong>124,33 %</strong></li>"
    ) in warning
    assert (
        "<li>IDG (Indeks Pemberdayaan Gender) (terhadap target akhir Renstra): dilaporkan "
        "<strong>98,62 %</strong>, hasil hitung <strong>96,41 %</strong></li>"
    ) in warning


def test_the_discrepancy_heading_counts_every_line_listed_under_it(pages):
    # It counted the yearly discrepancies only: "(11)" above a list of 13 on the full seed.
    warning = pages["pimpinan"].split('<section class="card warn"')[1].split("</section>")[0]
    listed = warning.split("<ul>")[1].split("</ul>")[0].count("<li>")
    assert listed > 3
    assert f"Selisih capaian dilaporkan ({listed})</h2>" in warning


def test_the_headline_is_the_bounded_mean_with_n_of_m_and_the_counts(pages):
    html = pages["pimpinan"]
    stat = html.split("<h2>Capaian IKU</h2>")[1].split("</div>")[0]

    assert '<p class="big">79,95 %</p>' in stat
    assert ">Tinggi</span>" in stat
    assert "4 dari 4 indikator memiliki data" in stat
    assert "dibatasi 0–120 % (2 indikator dibatasi)" in stat
    assert "237,73" not in html


def test_it_lists_the_printed_tabel_3_41_efficiencies_that_differ(pages):
    html = pages["pimpinan"]
    details = html.split("<details>")[1].split("</details>")[0]

    assert (
        "PROGRAM PENGARUSUTAMAAN GENDER DAN PEMBERDAYAAN PEREMPUAN: dilaporkan "
        "<strong>149,54 %</strong>, hasil hitung <strong>125,63 %</strong>"
    ) in details
    assert (
        "PROGRAM PERLINDUNGAN PEREMPUAN: dilaporkan <strong>0,06 %</strong>, hasil hitung "
        "<strong>144,58 %</strong>"
    ) in details
    assert (
        "dilaporkan <strong>1.011,00 %</strong>, hasil hitung <strong>104,28 %</strong>" in details
    )


def test_it_shows_the_plausibility_flags(pages):
    html = pages["pimpinan"]
    section = html.split('<h2 id="periksa-h">')[1].split("</section>")[0]

    assert section.startswith("Periksa: angka yang tidak wajar (9)")
    for figure in ("6.200,00 %", "4.250,00 %", "8.850,00 %", "-1.272,73 %"):
        assert f"<strong>{figure}</strong>" in section


def test_it_shows_capaian_per_bidang_and_per_program(pages):
    html = pages["pimpinan"]
    bidang = html.split("<h2>Capaian 2024 per bidang</h2>")[1].split("</section>")[0]
    program = html.split("<h2>Capaian 2024 per program</h2>")[1].split("</section>")[0]

    assert "Bidang Pemberdayaan Perempuan dan Perlindungan Khusus Anak" in bidang
    assert "indikator memiliki data" in bidang
    assert "PROGRAM PENGENDALIAN PENDUDUK" in program
    assert "dibatasi 0–120 %" in program


def test_it_compares_the_idg_with_other_regions(pages):
    idg = cards(pages["pimpinan"])[0]

    assert "<h4>Pembanding</h4>" in idg
    assert "Kabupaten Hulu Sungai Tengah (2024): <strong>77,73</strong>" in idg
    assert "Kabupaten Tabalong (2024): <strong>72,54</strong>" in idg


def test_it_offers_the_lakip_downloads(pages):
    html = pages["pimpinan"]

    # POST forms: building a draft writes a job, never on a GET.
    assert f'<form method="post" action="{reverse("lakip_file", args=[2024, "pdf"])}"' in html
    assert f'<form method="post" action="{reverse("lakip_file", args=[2024, "xlsx"])}"' in html
    assert f'<form method="post" action="{reverse("lakip_file", args=[2024, "docx"])}"' in html
    assert ">Unduh DOCX</button>" in html
    assert ">Unduh PDF</button>" in html
    assert ">Unduh XLSX</button>" in html


def test_it_offers_every_year_of_the_renstra_with_the_current_one_selected(pages):
    html = pages["pimpinan"]

    picker = html.split('<nav class="years" aria-label="Pilih tahun">')[1].split("</nav>")[0]
    years = re.findall(r">(\d{4})<", picker)
    assert years == [str(y) for y in range(2021, 2027)]
    assert '<strong aria-current="page">2024</strong>' in picker
    assert picker.count("aria-current") == 1


def test_it_shows_a_kabid_only_the_cards_of_their_bidang(pages):
    html = pages["kabid"]

    assert card_titles(html) == IKU_NAMES[:2]
    assert "Angka Kelahiran Total (TFR): dilaporkan" not in html


def test_it_refuses_a_user_without_an_opd(client):
    stray = make_user("tanpa_opd", Role.PIMPINAN)
    client.force_login(stray)

    response = client.get(reverse("dashboard", args=[2024]))

    assert response.status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    url = reverse("dashboard", args=[2024])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("role", "target"),
    [
        (Role.PIMPINAN, "dashboard"),
        (Role.PERENCANA, "dashboard"),
        (Role.KABID, "indicators:realisasi_list"),
    ],
)
def test_it_sends_each_role_home_to_its_work(client, role, target):
    opd = OpdFactory()
    bidang = BidangFactory(opd=opd) if role == Role.KABID else None
    user = make_user(f"u_{role}", role, opd=opd, bidang=bidang)
    client.force_login(user)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse(target, args=[default_year()])


def count_dashboard_queries(client, user, tahun: int) -> int:
    client.force_login(user)
    client.get(reverse("account"))  # who is asking, read once into the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard", args=[tahun]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.cache
def test_it_draws_the_dashboard_in_a_constant_number_of_queries(client):
    small = build_synthetic_opd("KECIL", sasaran=4, programs=8, indicators=60)
    large = build_synthetic_opd("BESAR", sasaran=8, programs=16, indicators=120)
    small_user = make_user("pimpinan_kecil", Role.PIMPINAN, opd=small)
    large_user = make_user("pimpinan_besar", Role.PIMPINAN, opd=large)
    count_dashboard_queries(client, small_user, 2025)  # warm per-process caches
    caches["pages"].clear()

    small_queries = count_dashboard_queries(client, small_user, 2025)
    large_queries = count_dashboard_queries(client, large_user, 2025)

    # 21 on SQLite and PostgreSQL when the figures are computed: the user and the versions
    # (who is asking, kept in the session), the OPD, the periode, the scale (settings with
    # the aggregate range, skala, bands), the indicators with their tree, the targets and
    # realisasi of the year and the year before, every year's targets and realisasi of the
    # IKU, the IKU's formula components and their values (provenance), the IKU's comparisons
    # (Pembanding), the year's budgets of every node (with the printed efficiency), the latest
    # final version, the Renstra years for the picker, the lock and the count of the
    # Inspektorat's review notes, and the evaluation's open recommendations (the panel
    # evaluasi registers through reporting.dashboard_panels, read on every request).
    assert large_queries == small_queries, (small_queries, large_queries)
    assert small_queries == 21
    # 3 once they are kept for the OPD's version: the user, the versions, and the open
    # recommendations (1, never kept: they raise no data version).
    assert count_dashboard_queries(client, large_user, 2025) == 3
    # 4 for the OPD's perencana once kept: the same 3 and the "Mulai" checklist's one query
    # (reporting.mulai, read on every request because accounts raise no data version).
    planner = make_user("perencana_besar", Role.PERENCANA, opd=large)
    count_dashboard_queries(client, planner, 2025)
    assert count_dashboard_queries(client, planner, 2025) == 4


def test_it_shows_which_bidang_has_not_reported_each_triwulan(pages):
    html = pages["pimpinan"]
    table = html.split('id="pemantauan-triwulan"')[1].split("</section>")[0]
    assert "Pemantauan realisasi triwulan 2024" in table
    # The seed records annual realisasi only: every bidang is missing every triwulan.
    rows = re.findall(r"<tr><td[^>]*>([^<]+)</td>.*?<td[^>]*>([^<]*)</td></tr>", table)
    assert rows
    assert all(
        missing == "Triwulan I, Triwulan II, Triwulan III, Triwulan IV" for _b, missing in rows
    )


def test_an_iku_without_a_target_for_the_year_is_explained_not_hidden(client):
    # A new OPD's perencana added its IKU (the "Mulai" step done) and read "Belum ada IKU.":
    # an IKU counts in a year once it has a target for it.
    from tests.factories import IndikatorFactory, PeriodeFactory, SasaranFactory, TujuanFactory

    opd = OpdFactory()
    periode = PeriodeFactory(opd=opd, tahun_awal=2021, tahun_akhir=2026)
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=periode))
    IndikatorFactory(sasaran=sasaran, jenis="IKU", nama="IKU tanpa target")
    html = dashboard_html(client, make_user("kadis_baru", Role.PIMPINAN, opd=opd))
    assert "Belum ada IKU dengan target tahun 2024." in html
    assert CARD not in html
