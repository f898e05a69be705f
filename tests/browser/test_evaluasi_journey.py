"""The evaluation (LKE) in Chromium, by the menu (issue #23): the perencana opens DP3APPKBPMD's
evaluation of 2024 and answers a criterion of its self-assessment; the Inspektorat finds the
OPD in its list, keeps the system's proposal for one criterion, overrides another with a note,
and sees the nilai move — at 1366 px and at 390 px without sideways scrolling."""

import re

import pytest
from playwright.sync_api import expect

from evaluasi.models import Jawaban
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

# The machine may be busy (other workers, a rendering LAKIP): give an answer time to arrive.
expect.set_options(timeout=30_000)


def _menu(page, label: str) -> None:
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name=label, exact=True
    ).click()


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_opd_answers_and_the_inspektorat_evaluates(page, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    _menu(page, "Evaluasi AKIP")
    page.wait_for_url(re.compile(r"/evaluasi/2024/opd/DP3APPKBPMD/"))
    page.get_by_role("button", name="Buka evaluasi 2024").click()
    expect(page.get_by_text("Evaluasi dibuka.")).to_be_visible()
    page.get_by_label("Jawaban 1.a.1").select_option("Y")
    page.get_by_label("Catatan 1.a.1").fill("Perbup pedoman perencanaan 2023")
    page.get_by_role("button", name="Simpan 1.a.1").click()
    expect(page.get_by_text("Jawaban 1.a.1 disimpan.")).to_be_visible()
    expect(page.locator("#nilai-usulan")).to_have_text("0,86")
    if width == 390:
        _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"evaluasi-perencana-{width}.png"), full_page=False)
    page.get_by_role("button", name=re.compile(r"^Keluar")).click()

    login(page, "inspektorat")
    page.wait_for_url(re.compile(r"/pemda/\d{4}/"))
    _menu(page, "Evaluasi AKIP")
    page.wait_for_url(re.compile(r"/evaluasi/2024/"))
    page.get_by_role("link", name="DP3APPKBPMD", exact=True).click()
    page.wait_for_url(re.compile(r"/evaluasi/2024/opd/DP3APPKBPMD/"))
    # The system proposes Y for 1.a.3 (the Renstra covers 2024): kept as it is offered.
    expect(page.locator("#k-1\\.a\\.3")).to_contain_text("Renstra 2021–2026 mencakup tahun 2024")
    page.get_by_role("button", name="Simpan 1.a.3").click()
    expect(page.get_by_text("Jawaban 1.a.3 disimpan.")).to_be_visible()
    # 3.a.1 overridden with a note: the page says it differs from the proposal.
    page.get_by_label("Jawaban 3.a.1").select_option("T")
    page.get_by_label("Catatan 3.a.1").fill("LKjIP belum ditandatangani")
    page.get_by_role("button", name="Simpan 3.a.1").click()
    expect(page.get_by_text("Jawaban 3.a.1 disimpan.")).to_be_visible()
    expect(page.locator("#nilai")).to_contain_text("1 jawaban berbeda dari usulan Kinerja")
    expect(page.locator("#nilai-penetapan")).to_have_text("0,86")
    if width == 390:
        _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"evaluasi-inspektorat-{width}.png"), full_page=False)
    answers = {j.kriteria.kode: (j.usulan, j.penetapan) for j in Jawaban.objects.all()}
    assert answers == {"1.a.1": ("Y", ""), "1.a.3": ("", "Y"), "3.a.1": ("", "T")}
