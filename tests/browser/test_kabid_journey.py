"""The kabid's journey in Debian's Chromium at 1366 px, by the menu: components of a formula
indicator with their evidence (the engine computes the realisasi), and a quarterly value with
evidence on an ordinary indicator. No address typed but the sign-in page's, no 5xx."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import Indikator, NilaiKomponen, Realisasi
from tests import evidence_files
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _watch(page) -> list[str]:
    failures: list[str] = []
    page.on(
        "response",
        lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )
    return failures


def _realisasi_2024(page) -> None:
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Realisasi", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/realisasi/\d{4}/"))
    if "/realisasi/2024/" not in page.url:
        page.get_by_role("navigation", name="Pilih tahun").get_by_role("link", name="2024").click()
        page.wait_for_url(re.compile(r"/realisasi/2024/"))


def test_kabid_enters_components_with_evidence_and_the_engine_computes_the_realisasi(
    page, artifacts, tmp_path
):
    failures = _watch(page)
    bukti = tmp_path / "status-desa-2024.pdf"
    bukti.write_bytes(evidence_files.pdf())
    login(page, "kabid_appdpm")
    page.wait_for_url(re.compile(r"/realisasi/"))
    _realisasi_2024(page)
    page.get_by_role("link", name=re.compile(r"Klasifikasi Desa Maju")).first.click()
    expect(page.locator("legend", has_text="Komponen rumus")).to_be_visible()
    page.get_by_label("jumlah desa dengan klasifikasi maju (tahunan)").fill("85")
    page.get_by_label("Sumber «jumlah desa dengan klasifikasi maju»").fill("SK status desa 2024")
    page.get_by_label("Bukti «jumlah desa dengan klasifikasi maju»").set_input_files(str(bukti))
    page.get_by_role("button", name="Simpan realisasi").click()
    expect(page.get_by_text("Realisasi tersimpan.")).to_be_visible()
    # 85 / 153 × 100, computed by the engine from the components, not typed.
    expect(page.locator("#capaian")).not_to_have_text("–")
    expect(page.locator("#riwayat-komponen")).to_contain_text("84 → 85")
    page.screenshot(path=str(artifacts / "kabid-komponen.png"), full_page=True)
    # The component's evidence is read back from its row (once uploaded, nobody could).
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"status-desa-2024\.pdf")).click()
    assert info.value.path().read_bytes().startswith(b"%PDF-")
    desa = Indikator.objects.get(
        periode__opd__kode="DP3APPKBPMD", nama__icontains="Klasifikasi Desa Maju"
    )
    realisasi = Realisasi.objects.get(indikator=desa, tahun=2024, periode="tahunan")
    assert realisasi.nilai == Decimal("55.555556")
    value = NilaiKomponen.objects.get(
        komponen__rumus__indikator=desa,
        komponen__nama="jumlah desa dengan klasifikasi maju",
        tahun=2024,
        periode="tahunan",
    )
    assert (value.nilai, value.sumber) == (85, "SK status desa 2024")
    assert value.bukti.name.endswith(".pdf")
    assert failures == [], failures


def test_kabid_enters_a_quarter_with_evidence_and_downloads_it_back(page, artifacts, tmp_path):
    failures = _watch(page)
    bukti = tmp_path / "idg-tw1.pdf"
    bukti.write_bytes(evidence_files.pdf())
    login(page, "kabid_pppa")
    page.wait_for_url(re.compile(r"/realisasi/"))
    _realisasi_2024(page)
    page.get_by_role("link", name=re.compile(r"realisasi IDG")).first.click()
    page.get_by_label("Triwulan I", exact=True).fill("18,5")
    page.get_by_label("Bukti dukung").set_input_files(str(bukti))
    page.get_by_role("button", name="Simpan realisasi").click()
    expect(page.get_by_text("Realisasi tersimpan.")).to_be_visible()
    expect(page.get_by_label("Triwulan I", exact=True)).to_have_value("18,5")
    page.screenshot(path=str(artifacts / "kabid-triwulan.png"), full_page=True)
    with page.expect_download() as info:
        page.locator("p", has_text="Bukti tersimpan:").get_by_role("link").click()
    assert info.value.path().read_bytes().startswith(b"%PDF-")
    assert failures == [], failures
