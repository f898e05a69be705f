"""The evaluation (LKE) in Chromium, by the menu (issue #23): the perencana opens DP3APPKBPMD's
evaluation of 2024, answers a criterion of its self-assessment and sees what raises the nilai
most; the Inspektorat finds the OPD in its list, keeps the system's proposal for one
criterion, overrides another with a note, sees the nilai move, sets the rest from the OPD's
answers and the system's proposals, finalises and downloads the LHE as PDF and DOCX — at
1366 px and at 390 px without sideways scrolling."""

import hashlib
import io
import re

import pytest
from django.contrib.auth.models import User
from docx import Document
from playwright.sync_api import expect

from common.numbers import format_number
from evaluasi.models import Evaluasi, Jawaban, LheVersi
from evaluasi.proposals import propose
from evaluasi.reader import instrument_of
from evaluasi.services import jawaban_usul
from tests.browser.conftest import login, menu, no_sideways_scroll
from tests.test_lakip_document import pdf_text

pytestmark = pytest.mark.browser

# The machine may be busy (other workers, a rendering LAKIP): give an answer time to arrive.
expect.set_options(timeout=30_000)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_opd_answers_and_the_inspektorat_evaluates(page, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    menu(page, "Evaluasi AKIP")
    page.wait_for_url(re.compile(r"/evaluasi/2024/opd/DP3APPKBPMD/"))
    page.get_by_role("button", name="Buka evaluasi 2024").click()
    expect(page.get_by_text("Evaluasi dibuka.")).to_be_visible()
    page.get_by_label("Jawaban 1.a.1").select_option("Y")
    page.get_by_label("Catatan 1.a.1").fill("Perbup pedoman perencanaan 2023")
    page.get_by_role("button", name="Simpan 1.a.1").click()
    expect(page.get_by_text("Jawaban 1.a.1 disimpan.")).to_be_visible()
    expect(page.locator("#nilai-usulan")).to_have_text("0,86")
    # What raises the nilai most, with the forecast once the top steps are done.
    expect(page.locator("#naikkan")).to_contain_text("Yang paling menaikkan nilai")
    expect(page.locator("#prakiraan")).to_contain_text("jika 10 langkah ini dikerjakan")
    if width == 390:
        no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"evaluasi-perencana-{width}.png"), full_page=False)
    page.get_by_role("button", name=re.compile(r"^Keluar")).click()

    login(page, "inspektorat")
    page.wait_for_url(re.compile(r"/pemda/\d{4}/"))
    menu(page, "Evaluasi AKIP")
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
        no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"evaluasi-inspektorat-{width}.png"), full_page=False)
    answers = {j.kriteria.kode: (j.usulan, j.penetapan) for j in Jawaban.objects.all()}
    assert answers == {"1.a.1": ("Y", ""), "1.a.3": ("", "Y"), "3.a.1": ("", "T")}

    # The OPD had answered every criterion Kinerja cannot decide (typed before; the browser
    # part of the self-assessment is above): the Inspektorat sets the rest in one step.
    evaluasi = Evaluasi.objects.get(opd__kode="DP3APPKBPMD", tahun=2024)
    lke = instrument_of(evaluasi.instrumen)
    offered = propose(evaluasi.opd, 2024, lke.thresholds, lke)
    perencana = User.objects.get(username="perencana")
    for c in lke.criteria:
        if c.kode not in offered and c.kode not in answers:
            jawaban_usul(
                user=perencana,
                evaluasi=evaluasi,
                kode=c.kode,
                jawaban="Y" if c.skala == "Y/T" else "B",
            )
    page.get_by_role("button", name=re.compile(r"^Tetapkan yang belum dinilai")).click()
    expect(page.get_by_text(re.compile(r"\d+ jawaban ditetapkan dari jawaban OPD"))).to_be_visible()
    page.get_by_role("button", name="Finalkan evaluasi").click()
    expect(page.get_by_text("Evaluasi final.")).to_be_visible()
    final = LheVersi.objects.get(evaluasi=evaluasi)
    nilai = format_number(final.nilai)
    expect(page.locator("#nilai-penetapan")).to_have_text(nilai)
    if width == 390:
        no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"evaluasi-final-{width}.png"), full_page=False)
    # The LHE as the Inspektorat signed it: the stored bytes, with the nilai and predikat.
    with page.expect_download() as pdf_download:
        page.locator("#lhe-link").get_by_role("link", name="PDF", exact=True).click()
    pdf = pdf_download.value.path().read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == final.sha256_pdf
    text = pdf_text(pdf)
    assert nilai in text and f"“{final.predikat}”" in text and "DRAFT" not in text
    with page.expect_download() as docx_download:
        page.locator("#lhe-link").get_by_role("link", name="DOCX", exact=True).click()
    docx = docx_download.value.path().read_bytes()
    assert hashlib.sha256(docx).hexdigest() == final.sha256_docx
    words = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert nilai in words and f"“{final.predikat}”" in words
    rows = {j.kriteria.kode: j for j in Jawaban.objects.filter(evaluasi=evaluasi)}
    assert sum(1 for j in rows.values() if j.penetapan) == 80
    assert (rows["1.a.1"].penetapan, rows["1.a.1"].catatan_penetapan) == (
        "Y",
        "Diterima dari jawaban OPD.",
    )
    assert (rows["3.a.1"].penetapan, rows["3.a.1"].catatan_penetapan) == (
        "T",
        "LKjIP belum ditandatangani",
    )
