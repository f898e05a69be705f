"""The perencana opens Dokumen from the menu and downloads the Perjanjian Kinerja of a Kabid,
in Debian's Chromium."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_perencana_opens_dokumen_from_the_menu_and_downloads_a_kabids_pk(page, artifacts):
    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Dokumen", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/dokumen/\d{4}/"))
    if "/dokumen/2024/" not in page.url:
        page.locator("nav.years").get_by_role("link", name="2024").click()
        page.wait_for_url(re.compile(r"/dokumen/2024/"))
    assert page.get_by_role("heading", name=re.compile("Perjanjian Kinerja 2024")).is_visible()
    assert "Siti Aminah, S.E." in page.locator("#pk-h + p + .table-wrap").inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "dokumen.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="PK Siti Aminah, S.E. (PDF)").click()
    download = info.value
    assert download.suggested_filename == (
        "perjanjian-kinerja-2024-dp3appkbpmd-190001011900012002.pdf"
    )
    content = download.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    assert "PERJANJIAN KINERJA TAHUN 2024" in text
    assert "Rp 3.421.943.800" in text
