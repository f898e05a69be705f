"""The admin as the planner and the admin read it at 1366 px: the index in the order of the
work, and no changelist or form wider than the window (a changelist's table scrolls inside
its own box). Issue #20 found admin pages 2.717 px wide at 1366."""

import re

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

WIDTH = 1366


def _admin_pages(page) -> list[str]:
    """Every changelist and add page linked from the admin index, by the index's links."""
    links = page.locator("#content-main a.addlink, #content-main th[scope=row] a")
    return sorted(set(links.evaluate_all("els => els.map(e => e.getAttribute('href'))")))


@pytest.mark.parametrize("username", ["perencana", "admin"])
def test_every_admin_page_fits_1366_px(page, artifacts, username):
    login(page, username)
    page.wait_for_url(re.compile(r"/(dasbor|realisasi)/"))
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.get_by_role("link", name="Admin").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    wide: list[tuple[str, int]] = []
    pages = _admin_pages(page)
    assert len(pages) > 10, pages
    for href in pages:
        response = page.goto(page.base + href)
        assert response is not None and response.status == 200, href
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide.append((href, width))
            page.screenshot(path=str(artifacts / f"admin-wide-{username}-{len(wide)}.png"))
    assert wide == []


def test_the_admin_index_follows_the_work_not_the_alphabet(page):
    login(page, "perencana")
    page.wait_for_url(re.compile(r"/(dasbor|realisasi)/"))
    page.get_by_role("link", name="Admin").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    renstra = page.locator("#content-main .app-renstra th[scope=row]").all_inner_texts()
    names = [n.strip().lower() for n in renstra]
    # The tree top-down, as the planner fills it.
    tree = ["periode renstra", "tujuan", "sasaran", "program", "kegiatan", "sub kegiatan"]
    assert [n for n in names if n in tree] == tree, names
    apps = page.locator("#content-main .module caption a").all_inner_texts()
    # The plan, its indicators, the reports; the nomenclature last, as reference to read.
    assert [a.strip().casefold() for a in apps] == [
        "renstra",
        "indikator kinerja",
        "pelaporan",
        "nomenklatur kemendagri",
    ], apps
