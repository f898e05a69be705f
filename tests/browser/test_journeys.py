"""The four user journeys of issue 7, in Debian's Chromium."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indikator, Realisasi
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_pimpinan_sees_the_iku_with_their_kategori_and_downloads_the_pdf(page, artifacts):
    login(page, "pimpinan")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    if "/dasbor/2024/" not in page.url:
        page.get_by_label("Tahun").select_option("2024")
        page.wait_for_url(re.compile(r"/dasbor/2024/"))
    cards = page.locator("article.iku")
    assert cards.count() == 4
    text = page.locator(".iku-grid").inner_text()
    assert "IDG" in text
    assert "98,96 %" in text  # the engine's figure, not the printed 98,62
    assert "Sangat Tinggi" in text
    assert "Sangat Rendah" in text  # kekerasan: −70 % against 5,5 %
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "dashboard-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    # Tests run tasks with the immediate backend, so this POST builds the whole PDF (~20 s
    # alone, a minute or more when the other test worker shares the two cores) before it
    # answers; a worker does this in the background in production.
    page.get_by_role("button", name="Unduh PDF").first.click(timeout=240_000)
    page.wait_for_url(re.compile(r"/proses/"), timeout=240_000)
    with page.expect_download() as info:
        page.locator("#unduh").click()
    path = info.value.path()
    content = path.read_bytes()
    assert content.startswith(b"%PDF-")
    assert len(content) > 10_000


def test_kabid_records_a_realisasi_sees_the_capaian_and_cannot_open_another_bidang(page):
    login(page, "kabid_pppa")
    page.wait_for_url(re.compile(r"/realisasi/\d{4}/"))
    page.goto(page.base + reverse("indicators:realisasi_list", args=[2024]))
    page.get_by_role("link", name=re.compile(r"Isi realisasi IDG")).click()
    page.get_by_label("Realisasi tahunan").fill("74,04")
    page.get_by_role("button", name="Simpan realisasi").click()
    page.get_by_text("Realisasi tersimpan.").wait_for()
    assert page.locator("#capaian").inner_text().strip() == "100,00 %"
    assert "Sangat Tinggi" in page.locator("#kategori").inner_text()
    idg = Indikator.objects.get(
        periode__opd__kode="DP3APPKBPMD", nama__startswith="IDG", jenis="IKU"
    )
    assert Realisasi.objects.get(indikator=idg, tahun=2024, periode="tahunan").nilai == Decimal(
        "74.04"
    )
    tfr = Indikator.objects.get(
        periode__opd__kode="DP3APPKBPMD", nama__icontains="Kelahiran Total", jenis="IKU"
    )
    # Another bidang's indicator opens read-only (same OPD); a forged POST is refused with the
    # service's reason on the product's own error page.
    response = page.goto(page.base + reverse("indicators:realisasi_edit", args=[2024, tfr.pk]))
    assert response.status == 200
    assert "Hanya baca" in page.locator(".lock").inner_text()
    assert page.get_by_role("button", name="Simpan realisasi").count() == 0
    assert page.get_by_label("Realisasi tahunan").is_disabled()
    status, html = page.evaluate(
        """async (url) => {
            const form = new FormData(document.querySelector('form.card'));
            form.set('tahunan', '1');
            const r = await fetch(url, {method: 'POST', body: form});
            return [r.status, await r.text()];
        }""",
        page.url,
    )
    assert status == 403
    assert "Anda hanya dapat mengisi realisasi indikator bidang Anda sendiri." in html
    assert "Navigasi utama" in html
    assert not Realisasi.objects.filter(indikator=tfr, tahun=2024, nilai=1).exists()


def test_a_locked_year_shows_its_reason_and_refuses_the_edit(page):
    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    # By the menu: Admin, then "Kunci tahun"'s add link on the admin index.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Admin", exact=True
    ).click()
    page.locator("#content-main tr", has_text="Kunci tahun").locator("a.addlink").click()
    # The perencana's only OPD is chosen already.
    assert page.locator("#id_opd option:checked").inner_text() == "DP3APPKBPMD"
    page.locator("#id_tahun").fill("2024")
    page.locator("#id_alasan").fill("LAKIP 2024 sedang direviu Inspektorat")
    page.locator("input[name=_save]").click()
    page.get_by_text("berhasil").first.wait_for()
    page.context.clear_cookies()
    login(page, "kabid_pppa")
    page.wait_for_url(re.compile(r"/realisasi/\d{4}/"))
    if "/realisasi/2024/" not in page.url:
        page.get_by_role("navigation", name="Pilih tahun").get_by_role("link", name="2024").click()
        page.wait_for_url(re.compile(r"/realisasi/2024/"))
    page.get_by_role("link", name=re.compile(r"realisasi IDG")).first.click()
    idg = Indikator.objects.get(
        periode__opd__kode="DP3APPKBPMD", nama__startswith="IDG", jenis="IKU"
    )
    assert "LAKIP 2024 sedang direviu Inspektorat" in page.locator(".lock").inner_text()
    # Read-only: inputs disabled and no "Simpan" to press.
    assert page.get_by_role("button", name="Simpan realisasi").count() == 0
    assert page.get_by_label("Realisasi tahunan").is_disabled()
    before = Realisasi.objects.get(indikator=idg, tahun=2024, periode="tahunan").nilai
    # Even a hand-made POST (the disabled button bypassed) is refused on the server.
    result = page.evaluate(
        """async (url) => {
            const form = new FormData(document.querySelector('form.card'));
            form.set('tahunan', '1');
            const r = await fetch(url, {method: 'POST', body: form});
            return [r.status, await r.text()];
        }""",
        page.url,
    )
    assert result[0] == 400
    assert "dikunci" in result[1]
    assert Realisasi.objects.get(indikator=idg, tahun=2024, periode="tahunan").nilai == before


def test_perencana_imports_a_targets_workbook_through_the_preview(page, tmp_path):
    import io

    from openpyxl import load_workbook

    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    page.goto(page.base + reverse("admin:indicators_target_changelist"))
    with page.expect_download() as info:
        # The seed's 2024 targets are a PK Perubahan (Tabel 2.4, SOURCES.md item 9).
        page.get_by_role("link", name="Templat PK Perubahan").click()
    workbook = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    col_2024 = headers.index("2024") + 1
    col_nama = next(
        i for i, h in enumerate(headers, start=1) if h and "Indikator" in h and "ID" not in h
    )
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if str(sheet.cell(r, col_nama).value or "").startswith("IDG")
    )
    sheet.cell(row, col_2024).value = 75.5  # the PK Perubahan target of IDG for 2024 was 74,04
    upload = tmp_path / "target-pk.xlsx"
    workbook.save(upload)

    page.goto(page.base + reverse("admin:indicators_target_import"))
    page.locator("#id_import_file").set_input_files(str(upload))
    page.locator("form[enctype='multipart/form-data'] input[type=submit]").click()
    # The dry run: a preview of the change, nothing written yet.
    page.locator("input[name=import_file_name]").wait_for(state="attached")
    idg = Indikator.objects.get(
        periode__opd__kode="DP3APPKBPMD", nama__startswith="IDG", jenis="IKU"
    )
    assert idg.target_set.get(tahun=2024, jenis="pk_perubahan").nilai == Decimal("74.04")
    page.locator("form:has(input[name=import_file_name]) input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/indicators/target/"))
    assert idg.target_set.get(tahun=2024, jenis="pk_perubahan").nilai == Decimal("75.5")
    page.goto(page.base + reverse("dashboard", args=[2024]))
    card = page.locator("article.iku", has_text="IDG")
    assert "75,50" in card.inner_text()


def test_perencana_edits_the_rencana_aksi_workbook_and_uploads_it_back(page, tmp_path):
    import io

    from openpyxl import load_workbook

    from indicators.models import TargetTriwulan

    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    page.get_by_role("link", name="Rencana aksi").first.click()
    page.wait_for_url(re.compile(r"/\d{4}/triwulan/"))
    tahun = int(re.search(r"/(\d{4})/triwulan/", page.url)[1])
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Unduh Excel")).click()
    workbook = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    # The first row: the first indicator of the page, Triwulan I.
    row = sheet[2]
    assert row[headers.index("Triwulan")].value == "Triwulan I"
    pk = int(row[headers.index("ID Indikator")].value)
    old = row[headers.index("Target")].value
    new = 42.5 if old != 42.5 else 43.5
    row[headers.index("Target")].value = new
    upload = tmp_path / f"rencana-aksi-{tahun}.xlsx"
    workbook.save(upload)

    page.locator("#id_berkas").set_input_files(str(upload))
    page.get_by_role("button", name="Periksa (pratinjau)").click()
    changes = page.locator("#perubahan tbody tr")
    changes.first.wait_for()
    # Exactly the edited cell, old → new in Indonesian notation; nothing written yet.
    assert changes.count() == 1
    shown = changes.first.inner_text()
    assert "Triwulan I" in shown
    assert str(new).replace(".", ",") in shown
    assert not TargetTriwulan.objects.filter(
        indikator_id=pk, tahun=tahun, periode="tw1", nilai=Decimal(str(new))
    ).exists()
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url(re.compile(rf"/{tahun}/triwulan/$"))
    assert "Target triwulan dari berkas tersimpan: 1 nilai" in page.content()
    assert page.locator(f"#t{pk}_tw1").input_value() == str(new).replace(".", ",")
    assert TargetTriwulan.objects.get(indikator_id=pk, tahun=tahun, periode="tw1").nilai == Decimal(
        str(new)
    )
