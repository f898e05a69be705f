"""Error pages in the product's layout and in Bahasa Indonesia, with the reason the service
gave, never a stack trace or English."""

from decimal import Decimal

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from config.errors import server_error
from indicators.models import Realisasi
from renstra.models import Role
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

ENGLISH = ("Forbidden", "Not Found", "Bad Request", "Server Error", "Traceback", "CSRF", "query")
MENU = 'aria-label="Navigasi utama"'


@pytest.fixture
def world():
    opd = OpdFactory(kode="DP3")
    periode = PeriodeFactory(opd=opd)
    mine, other = BidangFactory(opd=opd), BidangFactory(opd=opd)
    tujuan = TujuanFactory(periode=periode)
    foreign = IndikatorFactory(sasaran=SasaranFactory(tujuan=tujuan, bidang=other), nama="TFR")
    TargetFactory(indikator=foreign, tahun=2024, nilai=Decimal("2.33"))
    own = IndikatorFactory(sasaran=SasaranFactory(tujuan=tujuan, bidang=mine), nama="IDG")
    kabid = make_user("kabid_pppa", Role.KABID, opd=opd, bidang=mine)
    return {"kabid": kabid, "foreign": foreign, "own": own}


def assert_product_page(response, status):
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="id">' in html
    assert 'class="brand"' in html
    for word in ENGLISH:
        assert word not in html, word
    return html


def test_a_refused_write_shows_the_services_reason_with_the_menu(client, world):
    client.force_login(world["kabid"])
    response = client.post(
        reverse("indicators:realisasi_edit", args=[2024, world["foreign"].pk]),
        {"tahunan": "2,31", "versi_tahunan": 0},
    )
    html = assert_product_page(response, 403)
    assert "<h1>Akses ditolak</h1>" in html
    assert "Anda hanya dapat mengisi realisasi indikator bidang Anda sendiri." in html
    assert MENU in html
    assert not Realisasi.objects.exists()


def test_a_refusal_without_a_reason_says_so_in_indonesian(client, world):
    # The admin raises a bare PermissionDenied for a model the perencana may not see.
    client.force_login(make_user("perencana", Role.PERENCANA, opd=OpdFactory()))
    html = assert_product_page(client.get(reverse("admin:axes_accessattempt_changelist")), 403)
    assert "Anda tidak berhak membuka halaman ini atau melakukan tindakan ini." in html
    assert MENU in html


def test_an_unknown_page_is_indonesian_with_the_menu(client, world):
    client.force_login(world["kabid"])
    html = assert_product_page(client.get("/tidak-ada/"), 404)
    assert "Halaman yang Anda cari tidak ditemukan." in html
    assert "Resolver404" not in html
    assert MENU in html


def test_a_missing_object_hides_djangos_english_message(client, world):
    client.force_login(world["kabid"])
    html = assert_product_page(
        client.get(reverse("indicators:realisasi_edit", args=[2024, 999_999])), 404
    )
    assert "No Indikator matches" not in html
    assert "Halaman yang Anda cari tidak ditemukan." in html


def test_a_year_outside_the_renstra_gives_the_reason(client, world):
    client.force_login(world["kabid"])
    html = assert_product_page(
        client.get(reverse("indicators:realisasi_edit", args=[2030, world["own"].pk])), 404
    )
    assert "Tahun di luar periode Renstra." in html


def test_a_refused_form_token_is_explained_in_indonesian(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["kabid"])
    response = browser.post(reverse("sign_out_everywhere"), {"password": "x"})
    html = assert_product_page(response, 403)
    assert "Formulir ini sudah kedaluwarsa" in html
    assert MENU in html


def test_a_bad_host_gets_the_indonesian_400(client):
    response = client.get(reverse("login"), HTTP_HOST="penyerang.example")
    html = assert_product_page(response, 400)
    assert "Permintaan tidak dapat diproses" in html


def test_a_server_error_shows_no_detail_and_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    html = assert_product_page(response, 500)
    assert "Terjadi gangguan pada server" in html


def test_a_crashing_view_gets_the_500_page_without_its_detail(client, settings, world):
    settings.ROOT_URLCONF = "tests.urls_crash"
    client.raise_request_exception = False
    client.force_login(world["kabid"])
    html = assert_product_page(client.get("/crash/"), 500)
    assert "secret detail" not in html
    assert "RuntimeError" not in html
