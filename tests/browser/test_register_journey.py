"""The document register's journey in Chromium, by the menu (issue 22, items 3 and 4): the
perencana opens "Register Dokumen", uploads the signed PK, sets its nomor and date, publishes
it; a visitor who has not signed in finds it on Balangan's public page from the sign-in page."""

import datetime
import re

import pytest

from dokumen.esr import end_of_february
from dokumen.models import DokumenRegister
from tests.browser.conftest import login
from tests.evidence_files import pdf

pytestmark = pytest.mark.browser


def test_the_perencana_registers_and_publishes_the_signed_pk_and_the_public_sees_it(
    page, artifacts
):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Register Dokumen", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/register/\d{4}/"))
    tahun = re.search(r"/register/(\d{4})/", page.url).group(1)
    assert page.locator('tr[id^="jenis-"]').count() == 19

    row = page.locator("#jenis-6")
    row.get_by_text("Ubah", exact=True).click()
    row.get_by_label(re.compile("Pindaian bertanda tangan")).set_input_files(
        {"name": "pk-kepala-dinas.pdf", "mimeType": "application/pdf", "buffer": pdf()}
    )
    row.get_by_label("Nomor").fill(f"800/06/DP3APPKBPMD/{tahun}")
    row.get_by_label("Tanggal penetapan").fill(f"{tahun}-01-20")
    row.get_by_role("button", name="Simpan Perjanjian Kinerja").click()
    page.get_by_text("Perjanjian Kinerja disimpan.").wait_for()
    row = page.locator("#jenis-6")
    # Formalised; past the PK's due date (end of February) and unpublished it is late.
    late = datetime.date.today() > end_of_february(int(tahun))
    assert ("Terlambat" if late else "Ditetapkan") in row.inner_text()

    row.get_by_text("Ubah", exact=True).click()
    row.get_by_label("Tanggal publikasi").fill(f"{tahun}-02-10")
    row.get_by_role("button", name="Publikasikan Perjanjian Kinerja").click()
    page.get_by_text("Perjanjian Kinerja dipublikasikan.").wait_for()
    assert "Dipublikasikan" in page.locator("#jenis-6").inner_text()
    page.screenshot(path=str(artifacts / "register-1366.png"), full_page=True)
    entry = DokumenRegister.objects.get(opd__kode="DP3APPKBPMD", jenis=6)
    assert entry.tanggal_publikasi is not None and entry.berkas

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the register scrolls sideways at 390 px ({width} px)"
    page.screenshot(path=str(artifacts / "register-390.png"), full_page=True)

    visitor = page.context.browser.new_context(
        locale="id-ID", viewport={"width": 390, "height": 844}, accept_downloads=True
    ).new_page()
    visitor.goto(page.base + "/masuk/")
    visitor.get_by_role("link", name="Dokumen kinerja publik pemerintah daerah").click()
    visitor.get_by_role("link", name=re.compile("Balangan")).click()
    visitor.wait_for_url(re.compile(r"/publik/BALANGAN/"))
    body = visitor.locator("main").inner_text()
    assert f"800/06/DP3APPKBPMD/{tahun}" in body
    assert "Perjanjian Kinerja" in body
    width = visitor.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the public page scrolls sideways at 390 px ({width} px)"
    visitor.screenshot(path=str(artifacts / "publik-390.png"), full_page=True)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="PDF").first.click()
    assert download.value.suggested_filename == f"06_Perjanjian_Kinerja_DP3APPKBPMD_{tahun}.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == pdf()
    visitor.context.close()
