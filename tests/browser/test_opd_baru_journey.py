"""A new OPD from nothing to its first draft LAKIP, all by the menu, in Debian's Chromium at
1366 px: Bappeda creates the OPD and its perencana ("OPD baru"); the perencana signs in,
lands on the "Mulai" checklist and follows each step by its link (Renstra period, tujuan →
sasaran → IKU, targets, bidang and a kabid account, Perjanjian Kinerja); the kabid enters the
IKU's realisasi; the perencana generates the draft LAKIP and downloads it. No address is typed
but the sign-in page's, and no answer is a 5xx."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, menu

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-Dinkes-2025"
KABID_PASSWORD = "Mutu-Layanan-Sehat-7"
PDFTOTEXT = "/usr/bin/pdftotext"  # poppler-utils (scripts/system-deps.sh)
IKU = "Persentase puskesmas terakreditasi paripurna"


def _context(browser, base: str):
    context = browser.new_context(
        accept_downloads=True, locale="id-ID", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base = base
    failures: list[str] = []
    page.on(
        "response",
        lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )
    return context, page, failures


def _sign_out(page) -> None:
    page.get_by_role("button", name=re.compile(r"^Keluar")).click()
    page.wait_for_url(re.compile(r"/masuk/|/keluar/|/$"))


def _step(page, judul: str):
    return page.locator("#mulai li", has=page.locator("strong", has_text=judul))


def _add_target(page, tahun: str, jenis: str, nilai: str) -> None:
    """On the target admin (its list or its add form): one target of the IKU."""
    if "/add/" not in page.url:
        page.get_by_role("link", name=re.compile("Tambah")).last.click()
    page.locator(".field-indikator .select2-selection").click()
    page.locator(".select2-search__field").fill("puskesmas")
    page.locator(".select2-results__option", has_text=IKU).click()
    page.get_by_label("Tahun").fill(tahun)
    page.get_by_label("Jenis").select_option(jenis)
    page.get_by_label(re.compile("^Nilai")).first.fill(nilai)
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("berhasil")


def test_bappeda_creates_an_opd_whose_perencana_reaches_a_draft_lakip(
    browser, live_server, seeded, settings, artifacts
):
    settings.KINERJA_FORCE_PASSWORD_CHANGE = False
    context, page, failures = _context(browser, live_server.url)
    try:
        login(page, "bappeda")
        page.wait_for_url(re.compile(r"/pemda/\d{4}/"))
        menu(page, "OPD baru")
        page.get_by_label("Kode").fill("DINKES")
        page.get_by_label("Nama", exact=True).fill("Dinas Kesehatan")
        page.get_by_label("Nama pengguna").fill("perencana_dinkes")
        page.get_by_label("Kata sandi awal").fill(PASSWORD)
        page.get_by_role("button", name="Buat OPD dan perencananya").click()
        page.get_by_text("OPD DINKES dibuat dengan perencana perencana_dinkes.").wait_for()
        page.screenshot(path=str(artifacts / "opd-baru-dibuat.png"), full_page=True)
        _sign_out(page)

        login(page, "perencana_dinkes", PASSWORD)
        page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
        expect(page.locator("#mulai")).to_contain_text("0 dari 6 langkah selesai")
        page.screenshot(path=str(artifacts / "mulai-0.png"), full_page=True)

        # 1. The Renstra period, with its first tujuan on the same form.
        _step(page, "Periode Renstra").get_by_role("link", name="Tambah periode").click()
        expect(page.get_by_label("Opd")).to_have_value(re.compile(r"\d+"))
        page.get_by_label("Tahun awal").fill("2025")
        page.get_by_label("Tahun akhir").fill("2029")
        page.get_by_text(re.compile("Tambahkan .*Tujuan")).click()
        page.locator('input[name="tujuan_set-0-urutan"]').fill("1")
        page.locator('[name="tujuan_set-0-nama"]').fill("Meningkatnya derajat kesehatan masyarakat")
        page.screenshot(path=str(artifacts / "mulai-periode.png"), full_page=True)
        page.get_by_role("button", name="Simpan", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("berhasil")
        page.get_by_role("link", name="Lihat situs").click()
        page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
        expect(_step(page, "Periode Renstra")).to_contain_text("selesai")
        page.screenshot(path=str(artifacts / "mulai-1.png"), full_page=True)

        # 2. A sasaran under the tujuan, an IKU on the sasaran's page.
        _step(page, "Pohon kinerja dan IKU").get_by_role("link", name="Tujuan dan sasaran").click()
        page.get_by_role("link", name="Meningkatnya derajat kesehatan masyarakat").click()
        page.get_by_text(re.compile("Tambahkan .*Sasaran")).click()
        page.locator('input[name="sasaran_set-0-urutan"]').fill("1")
        page.locator('[name="sasaran_set-0-nama"]').fill("Meningkatnya mutu layanan kesehatan")
        page.get_by_role("button", name="Simpan dan terus mengedit").click()
        expect(page.locator(".messagelist")).to_contain_text("berhasil")
        page.screenshot(path=str(artifacts / "mulai-tujuan.png"), full_page=True)
        page.locator(".inline-related", has_text="SASARAN").get_by_role(
            "link", name="Ubah"
        ).first.click()
        page.get_by_text(re.compile("Tambahkan .*Indikator")).click()
        page.locator('input[name$="-0-urutan"]').last.fill("1")
        row = page.locator("tr.form-row", has=page.locator('[name$="-0-nama"]')).last
        row.locator('[name$="-0-nama"]').fill(IKU)
        row.locator('[name$="-0-satuan"]').fill("%")
        row.locator('select[name$="-0-jenis"]').select_option("IKU")
        row.locator('select[name$="-0-polaritas"]').select_option("positif")
        page.screenshot(path=str(artifacts / "mulai-sasaran.png"), full_page=True)
        # The indicator row fits the screen (it once ran to 2,060 px, "hapus" off screen).
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        page.get_by_role("button", name="Simpan", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("berhasil")
        page.get_by_role("link", name="Lihat situs").click()
        expect(_step(page, "Pohon kinerja dan IKU")).to_contain_text("selesai")
        page.screenshot(path=str(artifacts / "mulai-2.png"), full_page=True)

        # 3. The Renstra target of the IKU for the year.
        _step(page, "Target").get_by_role("link", name="Target").click()
        _add_target(page, "2025", "renstra", "90")
        page.get_by_role("link", name="Lihat situs").click()
        expect(_step(page, "Target")).to_contain_text("selesai")

        # 4. A bidang (the OPD already chosen), then its kabid's account.
        _step(page, "Bidang dan akun kabid").get_by_role("link", name="Tambah bidang").click()
        expect(page.get_by_label("Opd")).to_have_value(re.compile(r"\d+"))
        page.get_by_label("Kode").fill("YANKES")
        page.get_by_label("Nama:").fill("Bidang Pelayanan Kesehatan")
        page.get_by_role("button", name="Simpan", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("berhasil")
        page.get_by_role("link", name="Lihat situs").click()
        # The kabid of that bidang enters the tujuan's realisasi: the bidang is responsible.
        _step(page, "Bidang dan akun kabid").get_by_role("link", name="Tujuan dan sasaran").click()
        page.get_by_role("link", name="Meningkatnya derajat kesehatan masyarakat").click()
        page.get_by_label("Bidang penanggung jawab").first.select_option(
            label="Bidang Pelayanan Kesehatan"
        )
        page.get_by_role("button", name="Simpan", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("berhasil")
        page.get_by_role("link", name="Lihat situs").click()
        _step(page, "Bidang dan akun kabid").get_by_role("link", name="Akun kabid baru").click()
        page.get_by_label("Bidang").select_option(label="Bidang Pelayanan Kesehatan")
        page.get_by_label("Nama lengkap").fill("Siti Rahmah")
        page.get_by_label("Nama pengguna").fill("kabid_yankes")
        page.get_by_label("Kata sandi awal").fill(KABID_PASSWORD)
        page.screenshot(path=str(artifacts / "mulai-kabid.png"), full_page=True)
        page.get_by_role("button", name="Buat akun kabid").click()
        expect(page.locator(".messages")).to_contain_text("Akun kabid kabid_yankes dibuat")
        expect(_step(page, "Bidang dan akun kabid")).to_contain_text("selesai")

        # 5. The Perjanjian Kinerja target of the year.
        _step(page, "Perjanjian Kinerja").get_by_role("link", name="Target").click()
        _add_target(page, "2025", "pk", "90")
        page.get_by_role("link", name="Lihat situs").click()
        expect(_step(page, "Perjanjian Kinerja")).to_contain_text("selesai")
        page.screenshot(path=str(artifacts / "mulai-5.png"), full_page=True)

        _sign_out(page)

        # The kabid lands on the realisasi of the year and enters the IKU's.
        login(page, "kabid_yankes", KABID_PASSWORD)
        page.wait_for_url(re.compile(r"/realisasi/"))
        page.get_by_role("link", name=IKU).first.click()
        page.get_by_label("Realisasi tahunan").fill("85")
        page.get_by_label("Analisis").fill("Dua puskesmas belum lulus survei akreditasi.")
        page.get_by_role("button", name="Simpan realisasi").click()
        expect(page.locator(".messages")).to_contain_text("Realisasi tersimpan.")
        page.screenshot(path=str(artifacts / "mulai-realisasi.png"), full_page=True)
        _sign_out(page)
        login(page, "perencana_dinkes", PASSWORD)
        page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))

        # 6. The draft LAKIP: the checklist's link, the report job, the PDF.
        menu(page, "Dasbor")
        expect(page.locator("#mulai")).to_have_count(0)  # every step done: the list is gone
        menu(page, "LAKIP")
        page.wait_for_url(re.compile(r"/lakip/2025/"))
        page.screenshot(path=str(artifacts / "mulai-lakip.png"), full_page=True)
        # The report job page: the draft is built (inline in tests), then downloaded.
        page.get_by_role("button", name="Unduh PDF").first.click()
        page.wait_for_url(re.compile(r"/proses/"), timeout=120_000)
        with page.expect_download(timeout=120_000) as info:
            page.locator("#unduh").click()
        download = info.value
        page.screenshot(path=str(artifacts / "mulai-lakip-job.png"), full_page=True)
        assert download.suggested_filename == "LAKIP-DINKES-2025-draf.pdf"
        pdf = download.path()
        assert pdf.read_bytes().startswith(b"%PDF-")
        text = subprocess.run(  # noqa: S603 - a fixed program on the test's own download
            [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Dinas Kesehatan" in text
        assert "puskesmas terakreditasi" in " ".join(text.split())
    finally:
        context.close()
    assert failures == [], failures
