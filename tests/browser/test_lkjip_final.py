"""Bappeda cannot finalise an LKjIP Pemda that would carry placeholders (issue #20, item 6):
the seed's RPJMD has no IKU Pemda and Balangan no Bupati's name yet, so the attempt ends with
what to complete, and nothing is stored or locked."""

import re

import pytest

from renstra.models import KunciTahun
from reporting.models import LakipVersi
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_bappeda_is_told_what_the_lkjip_lacks_before_it_can_be_final(page, artifacts):
    login(page, "bappeda")
    page.wait_for_url(re.compile(r"/pemda/\d{4}/"))
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="LKjIP Pemda", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/lakip/\d{4}/"))
    page.get_by_label(re.compile("Saya memahami bahwa LKjIP")).check()
    page.get_by_role("button", name=re.compile(r"Tetapkan LKjIP \d{4} final")).click()
    page.wait_for_url(re.compile(r"/proses/"))
    page.locator("text=Gagal:").wait_for(timeout=240_000)
    failure = page.locator("p.error").inner_text()
    page.screenshot(path=str(artifacts / "lkjip-final-ditolak.png"), full_page=True)
    assert "LKjIP belum dapat ditetapkan final; lengkapi dahulu:" in failure
    assert "indikator kinerja utama (IKU)" in failure
    assert "nama penandatangan (Bupati Balangan)" in failure
    assert not LakipVersi.objects.exists()
    assert not KunciTahun.objects.exists()


IKU_PEMDA = "Indeks Pembangunan Manusia"


def _admin(page, model: str) -> None:
    """The product's menu item Admin (or, inside the admin, its breadcrumbs' first link), then
    the model's row on the admin index."""
    if "/admin/" in page.url:
        page.locator(".breadcrumbs a").first.click()
    else:
        page.get_by_role("navigation", name="Navigasi utama").get_by_role(
            "link", name="Admin", exact=True
        ).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.locator("#content-main th[scope=row]").get_by_role("link", name=model, exact=True).click()


def test_bappeda_completes_what_the_lkjip_lacks_and_it_becomes_final(page, artifacts):
    """The other side of the refusal: Bappeda completes the IKU Pemda with its target and the
    Bupati's name in the admin (reached by the menu), and the LKjIP Pemda 2024 is final."""
    from playwright.sync_api import expect

    login(page, "bappeda")
    page.wait_for_url(re.compile(r"/pemda/\d{4}/"))

    # The Bupati's name on the Pemda.
    _admin(page, "Pemerintah daerah")
    page.locator("#result_list tbody th a").first.click()
    page.get_by_label(re.compile("Nama kepala daerah")).fill("H. Abdul Hadi")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("berhasil")

    # An IKU Pemda on the RPJMD's first sasaran, and its 2024 target.
    _admin(page, "Sasaran")
    page.locator("#result_list tbody th a").first.click()
    page.get_by_text(re.compile("Tambahkan .*Indikator")).click()
    row = page.locator("tr.form-row", has=page.locator('[name$="-nama"]:visible')).last
    row.locator('input[name$="-urutan"]').fill("1")
    row.locator('[name$="-nama"]').fill(IKU_PEMDA)
    row.locator('[name$="-satuan"]').fill("poin")
    row.locator('select[name$="-jenis"]').select_option("IKU")
    row.locator('select[name$="-polaritas"]').select_option("positif")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("berhasil")
    _admin(page, "Target")
    page.get_by_role("link", name=re.compile("Tambah")).last.click()
    page.locator(".field-indikator .select2-selection").click()
    page.locator(".select2-search__field").fill("Pembangunan Manusia")
    page.locator(".select2-results__option", has_text=IKU_PEMDA).click()
    page.get_by_label("Tahun").fill("2024")
    page.get_by_label("Jenis").select_option("pk")
    page.get_by_label(re.compile("^Nilai")).first.fill("68,5")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("berhasil")

    # Back to the product by its own link; the LKjIP Pemda's page, then final.
    page.get_by_role("link", name="Lihat situs").click()
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="LKjIP Pemda", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/lakip/\d{4}/"))
    if "/lakip/2024/" not in page.url:
        page.get_by_role("navigation", name="Pilih tahun").get_by_role("link", name="2024").click()
        page.wait_for_url(re.compile(r"/lakip/2024/"))
    page.get_by_label(re.compile("Saya memahami bahwa LKjIP")).check()
    page.get_by_role("button", name=re.compile(r"Tetapkan LKjIP 2024 final")).click()
    page.wait_for_url(re.compile(r"/proses/"))
    page.locator("text=Selesai").first.wait_for(timeout=240_000)
    page.screenshot(path=str(artifacts / "lkjip-final-diterima.png"), full_page=True)
    versi = LakipVersi.objects.get()
    assert (versi.opd.kode, versi.tahun, versi.nomor) == ("BALANGAN", 2024, 1)
    assert bytes(versi.pdf).startswith(b"%PDF-")  # a memoryview on PostgreSQL
    assert KunciTahun.objects.filter(opd=versi.opd, tahun=2024).exists()
