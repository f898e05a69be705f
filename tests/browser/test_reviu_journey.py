"""The review note's whole journey in Chromium, by the menu (issue #20, item 4): the
Inspektorat writes a note on an OPD's page; the OPD's perencana finds it on the dashboard,
answers it on the LAKIP page with evidence; the Inspektorat reads the answer and closes it;
the perencana sees it closed."""

import re

import pytest

from reporting.models import CatatanReviu, StatusReviu
from tests.browser.conftest import login, menu
from tests.evidence_files import pdf

pytestmark = pytest.mark.browser


def test_a_review_note_is_answered_by_the_opd_and_closed_by_the_inspektorat(page, artifacts):
    login(page, "inspektorat")
    page.wait_for_url(re.compile(r"/pemda/\d{4}/"))
    menu(page, "Kabupaten")
    page.get_by_role("link", name="DP3APPKBPMD", exact=True).click()
    page.wait_for_url(re.compile(r"/pemda/\d{4}/opd/DP3APPKBPMD/"))
    opd_page = page.url
    page.get_by_label("Catatan reviu baru").fill("Target IKU desa maju belum selaras dengan PK.")
    page.get_by_role("button", name="Simpan catatan").click()
    page.get_by_text("Catatan reviu disimpan.").wait_for()
    note = CatatanReviu.objects.get()

    perencana = page.context.browser.new_context(
        locale="id-ID", viewport={"width": 1366, "height": 900}
    ).new_page()
    perencana.base = page.base
    login(perencana, "perencana")
    perencana.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    notice = perencana.locator("#reviu-ringkas")
    assert "1 belum ditanggapi" in notice.inner_text()
    notice.get_by_role("link", name="Lihat dan tanggapi di halaman LAKIP").click()
    perencana.wait_for_url(re.compile(r"/lakip/\d{4}/"))
    assert "Target IKU desa maju belum selaras" in perencana.locator("#catatan-reviu").inner_text()
    perencana.get_by_label("Tanggapan OPD").fill("PK 2024 direvisi; target diselaraskan.")
    perencana.get_by_label("Bukti tindak lanjut").set_input_files(
        {"name": "berita-acara.pdf", "mimeType": "application/pdf", "buffer": pdf()}
    )
    perencana.get_by_role("button", name="Simpan tanggapan, tandai ditindaklanjuti").click()
    perencana.get_by_text("Tanggapan tersimpan; catatan ditandai ditindaklanjuti.").wait_for()
    perencana.screenshot(path=str(artifacts / "reviu-tanggapan-opd.png"), full_page=True)
    note.refresh_from_db()
    assert note.status == StatusReviu.DITINDAKLANJUTI and note.bukti

    page.goto(opd_page)
    answer = page.locator("#catatan-reviu")
    assert "PK 2024 direvisi" in answer.inner_text()
    assert answer.get_by_role("link", name="bukti tindak lanjut").count() == 1
    page.get_by_role("button", name="Tutup catatan (selesai)").click()
    page.get_by_text("Catatan reviu ditutup (selesai).").wait_for()
    page.screenshot(path=str(artifacts / "reviu-ditutup.png"), full_page=True)
    note.refresh_from_db()
    assert note.status == StatusReviu.SELESAI

    perencana.reload()
    assert "Selesai" in perencana.locator("#catatan-reviu").inner_text()
    assert perencana.get_by_role("button", name=re.compile("Simpan tanggapan")).count() == 0
    perencana.context.close()
