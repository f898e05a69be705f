"""The kabupaten journeys of issue 15, in Debian's Chromium: Bappeda creates an OPD with its
perencana, a sasaran is linked to the RPJMD (proposed by the OPD's perencana, accepted by
Bappeda), the kabupaten dashboard lists both seed OPDs and the LKjIP Pemda PDF downloads;
the Inspektorat reads an OPD, writes a review note and is refused an edit; an OPD role is
refused /pemda/."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from indicators.models import Indikator
from renstra.models import Opd, Sasaran, StatusTautan, TautanRpjmd
from reporting.models import CatatanReviu
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_bappeda_creates_an_opd_links_a_sasaran_and_downloads_the_lkjip(page, artifacts):
    login(page, "bappeda")
    page.wait_for_url(re.compile(r"/pemda/2024/"))
    # A new OPD with its perencana.
    page.goto(page.base + reverse("pemda_opd_new"))
    page.get_by_label("Kode").fill("DINKES")
    page.get_by_label("Nama", exact=True).fill("Dinas Kesehatan")
    page.get_by_label("Nama pengguna").fill("perencana_dinkes")
    page.get_by_label("Kata sandi awal").fill("Rahasia-Dinkes-2025")
    page.get_by_role("button", name="Buat OPD dan perencananya").click()
    page.get_by_text("OPD DINKES dibuat dengan perencana perencana_dinkes.").wait_for()
    assert Opd.objects.get(kode="DINKES").pemda.kode == "BALANGAN"
    assert User.objects.filter(username="perencana_dinkes").exists()

    # The seed accepted every DP3APPKBPMD link; take one back so it is proposed anew.
    sasaran = Sasaran.objects.get(periode__opd__kode="DP3APPKBPMD", urutan=1)
    TautanRpjmd.objects.filter(sasaran=sasaran).delete()
    perencana = page.context.browser.new_context(locale="id-ID").new_page()
    perencana.base = page.base
    login(perencana, "perencana")
    perencana.wait_for_url(re.compile(r"/dasbor/"))
    perencana.goto(page.base + reverse("link_propose"))
    row = perencana.locator("#tabel-usul tr", has_text=sasaran.nama[:40])
    row.get_by_role("button", name="Ajukan").click()
    perencana.get_by_text("Tautan diajukan ke Bappeda.").wait_for()
    perencana.context.close()
    assert TautanRpjmd.objects.get(sasaran=sasaran).status == StatusTautan.DIAJUKAN

    page.goto(page.base + reverse("pemda_links"))
    page.locator('#tabel-tautan tr[data-status="diajukan"]').get_by_role(
        "button", name="Terima"
    ).click()
    page.get_by_text("Keputusan tautan disimpan.").wait_for()
    assert TautanRpjmd.objects.get(sasaran=sasaran).status == StatusTautan.DITERIMA

    # The kabupaten dashboard lists both seed OPDs (and the new one).
    page.goto(page.base + reverse("pemda_dashboard", args=[2024]))
    opds = page.locator("#tabel-opd tbody tr").evaluate_all("rows => rows.map(r => r.dataset.opd)")
    assert {"DP3APPKBPMD", "DSPPPAPMD", "DINKES"} <= set(opds)
    assert "79,95 %" in page.locator('#tabel-opd tr[data-opd="DP3APPKBPMD"]').inner_text()
    page.screenshot(path=str(artifacts / "pemda-dashboard.png"), full_page=True)
    # As from the LAKIP page: the draft is built as a job, its page offers the file.
    page.get_by_role("button", name="Unduh PDF").click(timeout=240_000)
    page.wait_for_url(re.compile(r"/proses/"), timeout=240_000)
    with page.expect_download() as info:
        page.locator("#unduh").click()
    download = info.value
    assert download.suggested_filename == "LKjIP-BALANGAN-2024-draf.pdf"
    content = download.path().read_bytes()
    assert content.startswith(b"%PDF-")


def test_inspektorat_reads_an_opd_writes_a_note_and_is_refused_an_edit(page):
    login(page, "inspektorat")
    page.wait_for_url(re.compile(r"/pemda/2024/"))
    page.get_by_role("link", name="DP3APPKBPMD", exact=True).click()
    page.wait_for_url(re.compile(r"/pemda/2024/opd/DP3APPKBPMD/"))
    assert "IDG" in page.locator("#tabel-indikator").inner_text()
    page.get_by_label("Catatan reviu baru").fill("Bukti dukung IKU desa maju belum lengkap.")
    page.get_by_role("button", name="Simpan catatan").click()
    page.get_by_text("Catatan reviu disimpan.").wait_for()
    assert "Bukti dukung IKU desa maju" in page.locator("#catatan-reviu").inner_text()
    assert CatatanReviu.objects.get().opd.kode == "DP3APPKBPMD"

    # The realisasi page of an indicator reads, without a save button; a save is refused.
    idg = Indikator.objects.get(
        periode__opd__kode="DP3APPKBPMD", nama__startswith="IDG", jenis="IKU"
    )
    url = page.base + reverse("indicators:realisasi_edit", args=[2024, idg.pk])
    page.goto(url)
    assert page.get_by_role("button", name="Simpan realisasi").count() == 0
    page.go_back()  # the OPD page's form carries a form token for the forged save
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    response = page.request.post(
        url,
        form={"tahunan": "1", "versi_tahunan": "1", "csrfmiddlewaretoken": token},
        headers={"Referer": url},
    )
    assert response.status == 403


def test_an_opd_role_is_refused_the_pemda_pages(page):
    login(page, "pimpinan")
    page.wait_for_url(re.compile(r"/dasbor/"))
    response = page.goto(page.base + reverse("pemda_dashboard", args=[2024]))
    assert response.status == 403
    assert "hanya untuk Bappeda, Inspektorat, dan Kepala Daerah" in page.content()
