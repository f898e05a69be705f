"""What follows the evaluation, in Chromium (issue 23): the Inspektorat writes a
recommendation on DP3APPKBPMD's 2024 evaluation; the perencana finds it on its dashboard,
follows it up with a PDF and adds evidence to a criterion of the LKE; the Inspektorat accepts
the follow-up — by the menu and the pages' own links, at 1366 px and at 390 px without
sideways scrolling."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from evaluasi.models import BuktiJawaban, Rekomendasi
from evaluasi.services import evaluasi_open
from renstra.models import Opd
from tests import evidence_files
from tests.browser.conftest import login, menu, no_sideways_scroll

pytestmark = pytest.mark.browser

expect.set_options(timeout=30_000)


def _logout(page) -> None:
    page.get_by_role("button", name=re.compile(r"^Keluar")).click()


def _to_recommendations(page) -> None:
    """The Inspektorat's way: its list of the Pemda's evaluations, the OPD, its page's link."""
    menu(page, "Evaluasi AKIP")
    page.wait_for_url(re.compile(r"/evaluasi/2024/$"))
    page.get_by_role("link", name="DP3APPKBPMD", exact=True).click()
    page.wait_for_url(re.compile(r"/evaluasi/2024/opd/DP3APPKBPMD/"))
    page.get_by_role("link", name="Rekomendasi dan tindak lanjut").click()
    page.wait_for_url(re.compile(r"/evaluasi/2024/opd/DP3APPKBPMD/rekomendasi/"))


@pytest.mark.parametrize("width", [1366, 390])
def test_a_recommendation_is_written_followed_up_and_accepted(page, artifacts, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    evaluasi_open(
        user=User.objects.get(username="perencana"),
        opd=Opd.objects.get(kode="DP3APPKBPMD"),
        tahun=2024,
    )
    sk = tmp_path / "Perbup Cascading 2025.pdf"
    sk.write_bytes(evidence_files.pdf())

    login(page, "inspektorat")
    page.wait_for_url(re.compile(r"/pemda/\d{4}/"))
    _to_recommendations(page)
    page.locator("#rb-komponen").select_option("1")
    page.get_by_label("Rekomendasi baru").fill(
        "Agar menyusun pedoman cascading kinerja sampai tingkat individu."
    )
    page.get_by_role("button", name="Tambah rekomendasi").click()
    expect(page.get_by_text("Rekomendasi ditambahkan.")).to_be_visible()
    expect(page.locator("#rekomendasi-ringkas")).to_contain_text("1 dari 1 rekomendasi")
    if width == 390:
        no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"rekomendasi-inspektorat-{width}.png"), full_page=True)
    _logout(page)

    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    panel = page.locator("#rekomendasi-evaluasi")
    expect(panel).to_contain_text("Rekomendasi evaluasi yang belum selesai: 1")
    expect(panel).to_contain_text("2024 · Komponen 1: Agar menyusun pedoman cascading")
    if width == 390:
        no_sideways_scroll(page)
    panel.screenshot(path=str(artifacts / f"rekomendasi-dasbor-{width}.png"))
    panel.get_by_role("link", name="Lihat dan tindak lanjuti rekomendasi").click()
    page.wait_for_url(re.compile(r"/evaluasi/2024/opd/DP3APPKBPMD/rekomendasi/"))
    page.get_by_label("Uraian tindak lanjut").fill(
        "Pedoman cascading ditetapkan dengan Perbup Nomor 12 Tahun 2025."
    )
    page.get_by_label("Status tindak lanjut").select_option("selesai")
    page.get_by_label("Berkas bukti").set_input_files(str(sk))
    page.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(page.get_by_text("Tindak lanjut disimpan.")).to_be_visible()
    expect(page.get_by_role("link", name="Perbup Cascading 2025.pdf")).to_be_visible()
    if width == 390:
        no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"rekomendasi-perencana-{width}.png"), full_page=True)
    # Evidence for a criterion of the self-assessment, on the LKE page.
    page.get_by_role("link", name=re.compile(r"Kembali ke LKE")).click()
    page.wait_for_url(re.compile(r"/evaluasi/2024/opd/DP3APPKBPMD/$"))
    page.get_by_label("Berkas bukti 1.a.1").set_input_files(str(sk))
    page.get_by_role("button", name="Unggah bukti 1.a.1").click()
    expect(page.get_by_text("Bukti 1.a.1 diunggah.")).to_be_visible()
    row = page.locator("#k-1\\.a\\.1")
    expect(row.get_by_role("link", name="Perbup Cascading 2025.pdf")).to_be_visible()
    if width == 390:
        no_sideways_scroll(page)
    row.screenshot(path=str(artifacts / f"lke-bukti-{width}.png"))
    _logout(page)

    login(page, "inspektorat")
    page.wait_for_url(re.compile(r"/pemda/\d{4}/"))
    _to_recommendations(page)
    expect(page.get_by_text("Pedoman cascading ditetapkan dengan Perbup")).to_be_visible()
    page.get_by_label("Hasil verifikasi").select_option("diterima")
    page.get_by_label("Catatan verifikasi").fill("Perbup sudah diundangkan.")
    page.get_by_role("button", name="Simpan verifikasi").click()
    expect(page.get_by_text("Verifikasi disimpan.")).to_be_visible()
    expect(page.locator("#rekomendasi-ringkas")).to_contain_text("0 dari 1 rekomendasi")
    if width == 390:
        no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"rekomendasi-verifikasi-{width}.png"), full_page=True)

    row = Rekomendasi.objects.get()
    assert (row.status, row.verifikasi, row.berkas_nama) == (
        "selesai",
        "diterima",
        "Perbup Cascading 2025.pdf",
    )
    assert BuktiJawaban.objects.get().jawaban.kriteria.kode == "1.a.1"
