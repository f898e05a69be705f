"""The pohon kinerja in Chromium (issue #20, item 5): short by default, each box opens its
level, the phone never scrolls sideways (a wide tree scrolls inside its own box), and the
SVG downloaded from the page draws the same tree. Screenshots in test-artifacts/."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def height(page) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


def width(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_bappeda_reads_the_pohon_as_a_tree_and_prints_it(page, artifacts):
    login(page, "bappeda")
    page.wait_for_url(re.compile(r"/pemda/"))
    page.set_viewport_size(DESKTOP)
    page.goto(page.base + reverse("pemda_pohon", args=[2024]))
    page.screenshot(path=str(artifacts / "pohon-desktop.png"), full_page=True)
    # Two levels: the RPJMD sasaran and the four DP3APPKBPMD sasaran; the page was 9.670 px
    # tall with all 89 nodes open.
    assert height(page) < 2200, height(page)
    assert page.locator(".pohon-sasaran").count() == 4
    assert not page.locator(".pohon-program").first.is_visible()
    assert page.get_by_text("Dasar tautan:").first.is_visible()
    # A box opens the level under it.
    page.locator(".pohon-sasaran > details > summary").first.click()
    assert page.locator(".pohon-program").first.is_visible()
    page.screenshot(path=str(artifacts / "pohon-desktop-open.png"), full_page=True)

    # The picker: one OPD.
    page.get_by_label("OPD", exact=True).select_option("DP3APPKBPMD")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(re.compile(r"opd=DP3APPKBPMD"))
    assert page.locator(".pohon-sasaran").count() == 4

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh SVG").click()
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "SUB-KEGIATAN" in svg and "002:317–323" in svg
    path = artifacts / "pohon.svg"
    path.write_text(svg, encoding="utf-8")
    # The top of the sheet only: the whole drawing is taller than a screenshot should be.
    page.set_viewport_size({"width": 1760, "height": 1400})
    page.goto(path.as_uri())
    page.screenshot(path=str(artifacts / "pohon-svg.png"))


def test_the_pohon_fits_a_phone_and_a_wide_tree_scrolls_in_its_box(page, artifacts):
    login(page, "bappeda")
    page.wait_for_url(re.compile(r"/pemda/"))
    page.set_viewport_size(PHONE)
    page.goto(page.base + reverse("pemda_pohon", args=[2024]))
    page.screenshot(path=str(artifacts / "pohon-phone.png"), full_page=True)
    assert width(page) <= 390
    page.goto(page.base + reverse("pemda_pohon", args=[2024]) + "?buka=1")
    page.screenshot(path=str(artifacts / "pohon-phone-open.png"), full_page=True)
    assert page.locator(".pohon-sub_kegiatan").first.is_visible()
    assert width(page) <= 390
    box = page.locator(".pohon-wrap").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
