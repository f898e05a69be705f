"""The budget from Kemendagri's systems, as the perencana meets it (issue 25), in Chromium at
1366 px and at 390 px without sideways scrolling, by the menu: "Kode nomenklatur" proposes
the code of a sub kegiatan that has lost its own (checked, as the names are the same) and
applies it; "Anggaran SIPD" reads SIPD's export of DP3APPKBPMD 2024 (DPA and realisasi per
SP2D, built from the seed's Tabel 3.31), previews it with the seed's totals, applies it, and
sends the same file again (nothing changes); the dashboard then shows the share of the pagu
that serves an indicator and each sasaran's budget."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from nomenklatur.matcher import fold
from nomenklatur.models import Nomenklatur
from renstra.models import Anggaran, AnggaranBulanan, Opd, SubKegiatan
from tests.browser.conftest import login, menu, no_sideways_scroll
from tests.test_sipd_import import sipd_codes, sipd_workbook

pytestmark = pytest.mark.browser

expect.set_options(timeout=30_000)


def _exactly_named_sub(opd: Opd) -> SubKegiatan:
    """A budgeted sub kegiatan whose code's nomenclature name is its own name."""
    for sub in SubKegiatan.objects.filter(periode__opd=opd, anggaran_set__tahun=2024).exclude(
        kode=""
    ):
        entry = Nomenklatur.objects.filter(kode=sub.kode).first()
        if entry is not None and fold(entry.nama) == fold(sub.nama):
            return sub
    raise AssertionError("no sub kegiatan of the seed has an exact nomenclature name")


@pytest.mark.parametrize("width", [1366, 390])
def test_codes_confirmed_then_the_sipd_export_imported(page, artifacts, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    opd = Opd.objects.get(kode="DP3APPKBPMD")
    sipd_codes(opd)
    sub = _exactly_named_sub(opd)
    kode = sub.kode
    export = tmp_path / "sipd-dp3appkbpmd-2024.xlsx"
    export.write_bytes(sipd_workbook(opd))
    SubKegiatan.objects.filter(pk=sub.pk).update(kode="")  # typed by hand, without its code

    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    menu(page, "Kode nomenklatur")
    box = page.get_by_label(f"Terapkan {kode} untuk {sub.nama}")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Terapkan kode yang dicentang").click()
    expect(
        page.get_by_text(re.compile(r"Kode nomenklatur tersimpan untuk \d+ simpul"))
    ).to_be_visible()
    assert SubKegiatan.objects.get(pk=sub.pk).kode == kode
    if width == 390:
        no_sideways_scroll(page)

    menu(page, "Anggaran SIPD")
    page.wait_for_url(re.compile(r"/\d{4}/anggaran/sipd/"))
    if "/2024/anggaran/sipd/" not in page.url:
        page.get_by_role("navigation", name="Pilih tahun").get_by_role("link", name="2024").click()
        page.wait_for_url(re.compile(r"/2024/anggaran/sipd/"))
    page.get_by_label("Ekspor SIPD (.xlsx atau .json)").set_input_files(str(export))
    page.get_by_role("button", name="Periksa (pratinjau)").click()
    totals = page.locator("#jumlah")
    expect(totals).to_contain_text("Rp 97.000.169.679")
    expect(totals).to_contain_text("Rp 90.960.332.708")
    if width == 390:
        no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"sipd-pratinjau-{width}.png"), full_page=False)
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_text(re.compile(r"Anggaran 2024 dari SIPD tersimpan"))).to_be_visible()
    months = AnggaranBulanan.objects.filter(periode__opd=opd, tahun=2024)
    assert sorted(set(months.values_list("bulan", flat=True))) == [3, 7, 11]
    programs = Anggaran.objects.filter(periode__opd=opd, tahun=2024, program__isnull=False)
    assert sum(a.pagu for a in programs) == Decimal("97000169679")
    assert sum(a.realisasi for a in programs) == Decimal("90960332708")

    # The same file again: nothing to change, and the page says so.
    page.get_by_label("Ekspor SIPD (.xlsx atau .json)").set_input_files(str(export))
    page.get_by_role("button", name="Periksa (pratinjau)").click()
    expect(page.locator("#tanpa-perubahan")).to_be_visible()

    menu(page, "Dasbor")
    if "/dasbor/2024/" not in page.url:
        page.get_by_role("navigation", name="Pilih tahun").get_by_role("link", name="2024").click()
        page.wait_for_url(re.compile(r"/dasbor/2024/"))
    expect(page.locator("#anggaran-indikator")).to_contain_text("100,00 %")
    expect(page.locator("#anggaran-sasaran")).to_contain_text("Rp 2.603.330.200")
    if width == 390:
        no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"sipd-dasbor-{width}.png"), full_page=True)
