"""Kinerja in Chromium against gunicorn with the production settings (DEBUG off, two-factor
required for the perencana) on a fresh database — PostgreSQL in CI's PostgreSQL run — at
1366 px and at 390 px; any 5xx answer fails a test.

- Two-factor sign-in (issue #19, finding 2: every code answered 500 on PostgreSQL, while the
  suite, each test inside a transaction, stayed green).
- Each role signs in and opens every item of its menu by clicking it (no typed URL): each
  page answers, in Indonesian, with its own work.
- Each role's own write, as production runs it: the perencana's quarterly targets, the
  kabid's realisasi, the Inspektorat's review note."""

import re
import time
from base64 import b32decode
from collections.abc import Iterator

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.conftest import menu, no_sideways_scroll
from tests.production_server import PASSWORD, ProductionServer, start_production_server

pytestmark = pytest.mark.browser

# A second perencana for the walk at 390 px (each sets up two-factor once).
USERS = f"""
from django.contrib.auth.models import Group, User
from renstra.models import Opd, Penugasan, Role
from renstra.permissions import GROUP_NAMES

user = User.objects.create_user("perencana_hp", password={PASSWORD!r})
user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.PERENCANA]))
Penugasan.objects.create(user=user, opd=Opd.objects.get(kode="DP3APPKBPMD"))
"""
WIDTHS = {1366: 900, 390: 844}


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Iterator[ProductionServer]:
    yield from start_production_server(tmp_path_factory.mktemp("produksi"), USERS)


def code(secret: str, offset_steps: int = 0) -> str:
    totp = TOTP(b32decode(secret), 30, 0, 6, 0)
    totp.time = time.time() + offset_steps * 30
    return f"{totp.token():06d}"


def _page(browser, width: int):
    context = browser.new_context(
        locale="id-ID", viewport={"width": width, "height": WIDTHS[width]}
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    failures: list[str] = []
    page.on(
        "response",
        lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )
    return context, page, failures


def _walk(browser, production, artifacts, username: str, width: int, height: int) -> None:
    context, page, failures = _page(browser, width)
    try:
        page.goto(production.url + "/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()

        # The perencana must set up two-factor before any other page.
        page.wait_for_url(re.compile(r"/akun/dua-langkah/"))
        assert "wajib memakai verifikasi dua langkah" in page.content()
        secret = page.locator("#kunci").inner_text().strip()
        no_sideways_scroll(page)
        page.get_by_label("Kode verifikasi").fill(
            "000000" if code(secret) != "000000" else "111111"
        )
        page.get_by_role("button", name="Aktifkan").click()
        # The answer comes back at the same address: wait for it, not for a URL (count() and
        # content() read whatever page is there, the old one while the POST is on its way).
        expect(page.locator(".errorlist")).to_contain_text("Kode salah")
        page.get_by_label("Kode verifikasi").fill(code(secret))
        page.get_by_role("button", name="Aktifkan").click()
        expect(page.locator("#kode-pemulihan li")).to_have_count(10)
        page.screenshot(path=str(artifacts / f"produksi-kode-pemulihan-{width}.png"))
        page.get_by_role("link", name="Lanjutkan").click()
        page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))

        # Signed out and in again: the code is asked after the password.
        page.get_by_role("button", name=re.compile(r"^Keluar")).click()
        page.goto(production.url + "/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(re.compile(r"/masuk/kode/"))
        no_sideways_scroll(page)
        page.get_by_label("Kode verifikasi").fill("000000" if code(secret, 1) != "000000" else "1")
        page.get_by_role("button", name="Verifikasi").click()
        expect(page.locator(".errorlist")).to_contain_text("Kode salah atau sudah kedaluwarsa")
        page.screenshot(path=str(artifacts / f"produksi-kode-salah-{width}.png"))
        # django-otp makes the device wait 1 s after a wrong code (doubling after each).
        page.wait_for_timeout(1500)
        # A fresh code: the step used at set-up is spent, the next one is accepted.
        page.get_by_label("Kode verifikasi").fill(code(secret, 1))
        page.get_by_role("button", name="Verifikasi").click()
        page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
        assert "DP3APPKBPMD" in page.content() or "Dasbor" in page.content()
        page.screenshot(path=str(artifacts / f"produksi-dasbor-{width}.png"), full_page=True)

        # The rencana aksi page (over Django's field limit once, issue #19) saves a quarter's
        # target under gunicorn, no transaction around the request.
        menu(page, "Rencana aksi")
        cell = page.locator("#rencana-aksi input[type=text]").first
        value = "12,5" if width == 1366 else "13,5"
        cell.fill(value)
        page.get_by_role("button", name=re.compile(r"^Simpan target triwulan")).click()
        expect(
            page.get_by_text(re.compile(r"Target triwulan tersimpan \(1 indikator\)"))
        ).to_be_visible()
        expect(page.locator("#rencana-aksi input[type=text]").first).to_have_value(
            re.compile(rf"^{value}0?$")
        )
        no_sideways_scroll(page)
        page.screenshot(path=str(artifacts / f"produksi-rencana-aksi-{width}.png"), full_page=True)

        # The perencana's documents, register and evaluation, by the menu.
        for label, heading in (
            ("Dokumen", r"^Dokumen \d{4} — DP3APPKBPMD$"),
            ("Register Dokumen", r"^Register Dokumen \d{4} — DP3APPKBPMD$"),
            ("Evaluasi AKIP", r"^Evaluasi AKIP DP3APPKBPMD \d{4}$"),
        ):
            menu(page, label)
            expect(page.locator("h1")).to_have_text(re.compile(heading))
            no_sideways_scroll(page)
            slug = label.lower().replace(" ", "-")
            page.screenshot(path=str(artifacts / f"produksi-{slug}-{width}.png"), full_page=True)
    finally:
        context.close()
    assert failures == [], failures


def test_two_factor_sign_in_under_gunicorn_with_production_settings_at_1366(
    browser, production, artifacts
):
    _walk(browser, production, artifacts, "perencana", 1366, 900)


def test_two_factor_sign_in_under_gunicorn_with_production_settings_at_390(
    browser, production, artifacts
):
    _walk(browser, production, artifacts, "perencana_hp", 390, 844)


# What each role's menu holds, in order (reporting/menu.py), and where each lands.
MENUS = {
    "kabid_ppkb": (r"/realisasi/\d{4}/", ["Dasbor", "Realisasi", "Rencana aksi", "LAKIP", "Akun"]),
    "pimpinan": (
        r"/dasbor/\d{4}/",
        [
            "Dasbor",
            "Realisasi",
            "Rencana aksi",
            "LAKIP",
            "Dokumen",
            "Register Dokumen",
            "Evaluasi AKIP",
            "Akun",
        ],
    ),
    "bappeda": (
        r"/pemda/\d{4}/",
        [
            "Kabupaten",
            "Pohon kinerja",
            "Tautan RPJMD",
            "OPD baru",
            "LKjIP Pemda",
            "Register Dokumen",
            "Evaluasi AKIP",
            "Admin",
            "Akun",
        ],
    ),
    "inspektorat": (
        r"/pemda/\d{4}/",
        ["Kabupaten", "Pohon kinerja", "LKjIP Pemda", "Evaluasi AKIP", "Akun"],
    ),
    "bupati": (
        r"/pemda/\d{4}/",
        ["Kabupaten", "Pohon kinerja", "LKjIP Pemda", "Evaluasi AKIP", "Akun"],
    ),
}
REFUSED_OR_EMPTY = ("Akses ditolak", "Halaman tidak ditemukan", "0 dari 0", "Belum ada indikator")


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("username", sorted(MENUS))
def test_each_role_follows_its_menu_under_gunicorn(browser, production, artifacts, username, width):
    lands_on, expected = MENUS[username]
    context, page, failures = _page(browser, width)
    try:
        page.goto(production.url + "/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(re.compile(lands_on))
        nav = page.get_by_role("navigation", name="Navigasi utama")
        labels = [t.strip() for t in nav.get_by_role("link").all_inner_texts()]
        assert labels == expected
        for label in labels:
            page.get_by_role("navigation", name="Navigasi utama").get_by_role(
                "link", name=label, exact=True
            ).click()
            page.wait_for_load_state()
            body = page.content()
            assert not [w for w in REFUSED_OR_EMPTY if w in body], (username, label, page.url)
            assert page.locator("h1").count() >= 1, (username, label, page.url)
            if label != "Admin":  # Django's own admin is not laid out for phones
                no_sideways_scroll(page)
            slug = re.sub(r"[^a-z]+", "-", label.lower()).strip("-")
            page.screenshot(
                path=str(artifacts / f"produksi-{username}-{slug}-{width}.png"), full_page=True
            )
            if label == "Admin":
                # The admin has Django's own header; back to the product's pages.
                assert "Pengelolaan Renstra dan Indikator Kinerja" in body
                page.go_back()
    finally:
        context.close()
    assert failures == [], failures


def _sign_in(page, production, username: str, lands_on: str) -> None:
    page.goto(production.url + "/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(lands_on))


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_kabid_and_the_inspektorat_save_their_work_under_gunicorn(
    browser, production, artifacts, width
):
    """Saves as production runs them (no transaction around the request, two workers, DEBUG
    off): the kabid's realisasi and the Inspektorat's review note, each reached by the menu."""
    context, page, failures = _page(browser, width)
    try:
        _sign_in(page, production, "kabid_pppa", r"/realisasi/\d{4}/")
        menu(page, "Realisasi")
        if "/realisasi/2024/" not in page.url:
            page.get_by_role("navigation", name="Pilih tahun").get_by_role(
                "link", name="2024"
            ).click()
            page.wait_for_url(re.compile(r"/realisasi/2024/"))
        page.get_by_role("link", name=re.compile(r"realisasi IDG")).first.click()
        value = "74,04" if width == 1366 else "73,27"
        page.get_by_label("Realisasi tahunan").fill(value)
        page.get_by_role("button", name="Simpan realisasi").click()
        expect(page.get_by_text("Realisasi tersimpan.")).to_be_visible()
        expect(page.get_by_label("Realisasi tahunan")).to_have_value(value)
        page.screenshot(path=str(artifacts / f"produksi-kabid-simpan-{width}.png"), full_page=True)
        _api_from_the_akun_page(page, production)
        page.get_by_role("button", name=re.compile(r"^Keluar")).click()

        _sign_in(page, production, "inspektorat", r"/pemda/\d{4}/")
        menu(page, "Kabupaten")
        page.get_by_role("link", name="DP3APPKBPMD", exact=True).first.click()
        page.wait_for_url(re.compile(r"/pemda/\d{4}/opd/DP3APPKBPMD/"))
        note = f"Bukti dukung IDG belum lengkap ({width} px)."
        page.get_by_label("Catatan reviu baru").fill(note)
        page.get_by_role("button", name="Simpan catatan").click()
        expect(page.get_by_text("Catatan reviu disimpan.")).to_be_visible()
        expect(page.locator("#catatan-reviu")).to_contain_text(note)
        no_sideways_scroll(page)
        page.screenshot(path=str(artifacts / f"produksi-reviu-simpan-{width}.png"), full_page=True)
    finally:
        context.close()
    assert failures == [], failures


def _api_from_the_akun_page(page, production) -> None:
    """The kabid's token, made on the Akun page, used over HTTP against gunicorn: the capaian
    read and a dry-run set (nothing saved), and the API's docs served from its own files."""
    import requests

    menu(page, "Akun")
    page.get_by_label("Nama token").fill("e-Monev")
    page.get_by_label("Boleh menulis (kirim realisasi)").check()
    page.get_by_role("button", name="Buat token").click()
    secret = page.locator("#token-baru code").inner_text().strip()
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {secret}"
    base = production.url + "/api/v1"
    read = api.get(f"{base}/capaian/", params={"opd": "DP3APPKBPMD", "tahun": 2024, "jenis": "IKU"})
    assert read.status_code == 200, read.text[:300]
    (idg,) = [r for r in read.json()["results"] if r["nama"].startswith("IDG")]
    value = {"indikator": str(idg["indikator"]), "tahun": 2024, "periode": "tw2", "nilai": 40}
    dry = api.post(f"{base}/realisasi-sets/", json={"dry_run": True, "values": [value]})
    assert dry.status_code == 200 and dry.json()["importCount"]["imported"] == 1, dry.text[:300]
    stored = api.get(f"{base}/realisasi/", params={"indikator": idg["indikator"], "periode": "tw2"})
    assert stored.json()["count"] == 0  # a dry run saves nothing
    # The docs link, followed in a tab of its own (the Swagger UI has no menu to come back by).
    href = page.get_by_role("link", name="dokumentasi API").get_attribute("href")
    docs = page.context.new_page()
    docs.goto(production.url + href)
    expect(docs.locator(".swagger-ui")).to_contain_text("realisasi-sets")
    docs.close()
