"""The Laporan Hasil Evaluasi (LHE) of an evaluation: its PDF and DOCX state the nilai and
predikat, the table of components, the criteria below full marks with the Inspektorat's notes,
the logic-check findings, the recommendations and last year's follow-up; a draft is marked
DRAFT; a final LHE is stored once and served byte for byte; only readers of the OPD's
evaluation get it, at pinned queries."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from evaluasi.lhe import inspektorat_kop, lhe_data, lhe_document, terbilang
from evaluasi.models import Evaluasi, LheVersi, Rekomendasi, StatusEvaluasi
from evaluasi.services import (
    SheetRow,
    evaluasi_finalize,
    evaluasi_open,
    jawaban_import,
    jawaban_usul,
    lhe_surat_atur,
)
from reporting.document import walk
from tests.factories import OpdFactory
from tests.kabupaten_world import kabupaten
from tests.services.test_evaluasi_service import all_answers
from tests.test_dokumen import docx_text
from tests.test_lakip_document import pdf_text

pytestmark = pytest.mark.django_db

# All Y and B (78,2774) but 3.a.1 = T (3.a: 4,75 of 6 × 3 = 2,375, −0,5) and 4.c.1 = C
# (4.c: 3,5 of 5 × 12,5 = 8,75, −0,625): 77,1524.
NILAI = "77,15"
KOMPONEN = (
    ("1. Perencanaan Kinerja", "30,00", "24,24"),
    ("2. Pengukuran Kinerja", "30,00", "23,00"),
    ("3. Pelaporan Kinerja", "15,00", "11,38"),
    ("4. Evaluasi Akuntabilitas Kinerja Internal", "25,00", "18,54"),
)
REKOMENDASI = (
    ("3", "Agar Laporan Kinerja tahun 2024 segera disusun dan direviu Inspektorat."),
    ("4", "Agar tindak lanjut rekomendasi tahun 2023 diselesaikan dan buktinya diunggah."),
)
CATATAN_3A1 = "Laporan kinerja tahun 2024 belum disusun saat evaluasi."


@pytest.fixture
def k(db) -> SimpleNamespace:
    world = kabupaten()
    # Last year: final with its LHE stored (nilai 56,55, CC) and two recommendations, one
    # followed up and accepted, one in progress.
    prior = evaluasi_open(user=world.u.perencana, opd=world.x.opd, tahun=2023)
    Evaluasi.objects.filter(pk=prior.pk).update(status=StatusEvaluasi.FINAL)
    LheVersi.objects.create(
        evaluasi=prior,
        nomor=1,
        pdf=b"%PDF",
        docx=b"PK",
        sha256_pdf="0" * 64,
        sha256_docx="0" * 64,
        nilai=Decimal("56.55"),
        predikat="CC",
    )
    Rekomendasi.objects.create(
        evaluasi=prior,
        komponen="1",
        uraian="Agar definisi operasional IKU dilengkapi.",
        tindak_lanjut="Definisi IKU dilengkapi dalam Renstra perubahan.",
        status="selesai",
        verifikasi="diterima",
    )
    Rekomendasi.objects.create(
        evaluasi=prior,
        komponen="3",
        uraian="Agar LKjIP memuat analisis efisiensi.",
        tindak_lanjut="Sedang disusun.",
        status="proses",
    )
    ev = evaluasi_open(user=world.u.perencana, opd=world.x.opd, tahun=2024)
    rows = [
        SheetRow(
            r.line, r.kode, "T" if r.kode == "3.a.1" else "C" if r.kode == "4.c.1" else r.jawaban
        )
        for r in all_answers(ev.instrumen, "Y", "B")
    ]
    rows = [
        SheetRow(r.line, r.kode, r.jawaban, CATATAN_3A1 if r.kode == "3.a.1" else "") for r in rows
    ]
    jawaban_import(user=world.u.inspektorat, evaluasi=ev, rows=rows)
    for i, (komponen, uraian) in enumerate(REKOMENDASI):
        Rekomendasi.objects.create(evaluasi=ev, komponen=komponen, uraian=uraian, urutan=i)
    world.ev = Evaluasi.objects.get(pk=ev.pk)
    return world


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def file_url(k, fmt: str, tahun: int = 2024) -> str:
    return reverse("evaluasi:lhe_file", args=[tahun, k.x.opd.kode, fmt])


def page_url(k, tahun: int = 2024) -> str:
    return reverse("evaluasi:lhe", args=[tahun, k.x.opd.kode])


def assert_states_the_evaluation(text: str) -> None:
    assert (
        "Laporan Hasil Evaluasi Akuntabilitas Kinerja Instansi Pemerintah Dinas X Tahun 2024"
    ).upper() in text
    assert "INSPEKTORAT" in text and "PEMERINTAH KABUPATEN CONTOH" in text
    assert f"{NILAI} (tujuh puluh tujuh koma satu lima)" in text
    assert "“BB” (Sangat Baik)" in text
    for nama, bobot, nilai in KOMPONEN:
        assert nama.split(". ", 1)[1] in text and f"{bobot} {nilai}" in text
    assert "Nilai Akuntabilitas Kinerja" in text and f"100,00 {NILAI}" in text
    assert CATATAN_3A1 in text
    assert "SALAH, Laporan Kinerja tidak ada (3.a.1 = 0, tetapi 3.a.2" in text
    for _komponen, uraian in REKOMENDASI:
        assert uraian in text
    assert "Nilai tahun 2023 (LHE final): 56,55 (predikat CC); tahun ini naik 20,60 poin." in text
    assert (
        "Dari 2 rekomendasi LHE tahun 2023, 1 telah selesai ditindaklanjuti dan 1 diterima "
        "Inspektorat (50,00 %)."
    ) in text
    assert "Agar LKjIP memuat analisis efisiensi." in text and "Dalam proses" in text
    assert "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 88" in (
        text
    )
    for heading in ("I. PENDAHULUAN", "II. HASIL EVALUASI", "III. REKOMENDASI", "IV. PENUTUP"):
        assert heading in text


def test_the_draft_pdf_and_docx_state_nilai_components_findings_and_recommendations(k):
    client = client_for(k.u.inspektorat)
    pdf = client.get(file_url(k, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="lhe-akip-2024-x-draf.pdf"'
    text = pdf_text(pdf.content)
    assert_states_the_evaluation(text)
    assert text.count("DRAFT") >= 3  # across the pages, in the header and the note
    assert "DRAFT — evaluasi belum final" in text
    docx = client.get(file_url(k, "docx"))
    assert docx["Content-Disposition"].endswith('lhe-akip-2024-x-draf.docx"')
    text = docx_text(docx.content)
    assert_states_the_evaluation(text)
    assert text.startswith("DRAFT") and "DRAFT — evaluasi belum final" in text
    # Nothing is stored for a draft.
    assert not LheVersi.objects.filter(evaluasi=k.ev).exists()


def test_finalising_stores_the_lhe_once_and_downloads_serve_its_bytes(k):
    lhe_surat_atur(
        user=k.u.inspektorat,
        evaluasi=k.ev,
        nomor="700/012/LHE-AKIP/ITDA/2025",
        tanggal=None,
        tempat="Paringin",
        nama="Drs. H. Inspektur Contoh, M.AP",
        nip="19680101 199003 1 010",
        jabatan="Inspektur Kabupaten Contoh",
        versi=k.ev.versi,
    )
    client = client_for(k.u.inspektorat)
    client.post(reverse("evaluasi:opd", args=[2024, k.x.opd.kode]), {"aksi": "final"})
    final = Evaluasi.objects.get(pk=k.ev.pk)
    assert final.status == StatusEvaluasi.FINAL and final.lhe_tanggal is not None
    versi = LheVersi.objects.get(evaluasi=final)
    assert (versi.nomor, versi.nilai, versi.predikat) == (1, Decimal("77.15"), "BB")
    assert versi.dibuat_oleh == k.u.inspektorat
    stored_pdf, stored_docx = bytes(versi.pdf), bytes(versi.docx)
    assert hashlib.sha256(stored_pdf).hexdigest() == versi.sha256_pdf
    assert hashlib.sha256(stored_docx).hexdigest() == versi.sha256_docx
    text = pdf_text(stored_pdf)
    assert_states_the_evaluation(text)
    assert "DRAFT" not in text and "DRAFT" not in docx_text(stored_docx)
    assert "Nomor: 700/012/LHE-AKIP/ITDA/2025" in text
    assert "Drs. H. Inspektur Contoh, M.AP NIP. 19680101 199003 1 010" in text
    # A later change of the data the LHE reads does not change what is served.
    k.x.opd.nama = "Dinas Berganti Nama"
    k.x.opd.save()
    Rekomendasi.objects.filter(evaluasi=final).delete()
    for reader in (k.u.perencana, k.u.kepala_daerah):
        for fmt, stored, sha in (
            ("pdf", stored_pdf, versi.sha256_pdf),
            ("docx", stored_docx, versi.sha256_docx),
        ):
            response = client_for(reader).get(file_url(k, fmt))
            assert response.content == stored
            assert hashlib.sha256(response.content).hexdigest() == sha
            assert response["Content-Disposition"].endswith(f'lhe-akip-2024-x-final.{fmt}"')
    page = client_for(k.u.perencana).get(page_url(k)).content.decode()
    assert versi.sha256_pdf in page and versi.sha256_docx in page and "77,15" in page


def test_a_draft_scores_the_opds_answer_where_the_inspektorat_set_none(k):
    ev = evaluasi_open(user=k.u.perencana_y, opd=k.y.opd, tahun=2024)
    jawaban_usul(user=k.u.perencana_y, evaluasi=ev, kode="1.a.1", jawaban="Y")
    data = lhe_data(ev, k.y.opd)
    assert data.from_usulan == ("1.a.1",)
    assert data.score.total.quantize(Decimal("0.0001")) == Decimal("0.8571")  # 1 of 7 × 6
    blocks = list(walk(lhe_document(data, draft=True).blocks))
    texts = " ".join(getattr(b, "text", "") for b in blocks)
    assert "1 kriteria belum ditetapkan Inspektorat dan dinilai dari jawaban OPD" in texts
    cells = [c for b in blocks if hasattr(b, "rows") for r in b.rows for c in r.cells]
    assert "Y (usulan OPD)" not in cells  # full marks: not a finding
    assert "belum dijawab" in cells
    assert "Tidak ada rekomendasi LHE tahun 2023" in texts
    assert terbilang(Decimal("100")) == "seratus koma nol nol"
    assert terbilang(Decimal("0.005")) == "nol koma nol satu"
    assert terbilang(Decimal("61.119")) == "enam puluh satu koma satu dua"


def test_the_plan_unit_lhe_is_the_pemdas(k):
    ev = evaluasi_open(user=k.u.bappeda, opd=k.rpjmd.unit, tahun=2024)
    document = lhe_document(lhe_data(ev, k.rpjmd.unit), draft=True)
    assert document.title == (
        "Laporan Hasil Evaluasi Akuntabilitas Kinerja Instansi Pemerintah Pemerintah "
        "Kabupaten Contoh Tahun 2024"
    )


def test_only_readers_of_the_opd_get_the_lhe(k):
    url = file_url(k, "pdf")
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/masuk/")
    for outsider in (k.u.bappeda_lain, k.u.perencana_z):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).get(page_url(k)).status_code == 404
    client = client_for(k.u.kabid)
    assert client.get(file_url(k, "xlsx")).status_code == 404
    assert client.get(file_url(k, "pdf", tahun=2025)).status_code == 404  # not opened
    assert client.post(url).status_code == 405
    page = client.get(page_url(k)).content.decode()
    assert "lhe-nomor" not in page and "Diisi oleh Inspektorat" in page
    page = client_for(k.u.inspektorat).get(page_url(k)).content.decode()
    assert 'id="lhe-nomor"' in page and 'value="Inspektur"' in page
    lke = client_for(k.u.perencana).get(reverse("evaluasi:opd", args=[2024, "X"])).content
    assert file_url(k, "docx").encode() in lke and page_url(k).encode() in lke


def test_the_inspektorat_sets_the_letter_on_its_page(k):
    client = client_for(k.u.inspektorat)
    form = {
        "nomor": "700/1/ITDA",
        "tanggal": "2025-03-10",
        "tempat": "Paringin",
        "nama": "Inspektur Contoh",
        "nip": "19680101 199003 1 010",
        "jabatan": "Inspektur",
        "versi": k.ev.versi,
    }
    assert client.post(page_url(k), form).status_code == 302
    ev = Evaluasi.objects.get(pk=k.ev.pk)
    assert (ev.lhe_nomor, str(ev.lhe_tanggal), ev.penandatangan_nip) == (
        "700/1/ITDA",
        "2025-03-10",
        "19680101 199003 1 010",
    )
    # A stale form, a date inside the evaluated year: refused with the reason, nothing saved.
    page = client.post(page_url(k), {**form, "nomor": "lain"}, follow=True).content.decode()
    assert "telah diubah sejak formulir" in page
    form["versi"] = ev.versi
    page = client.post(page_url(k), {**form, "tanggal": "2024-12-31"}, follow=True)
    assert "harus sesudah tahun yang dievaluasi (2024)" in page.content.decode()
    assert client.post(page_url(k), {**form, "tanggal": "2025-02-30"}).status_code == 400
    assert client_for(k.u.perencana).post(page_url(k), form).status_code == 403
    assert Evaluasi.objects.get(pk=k.ev.pk).lhe_nomor == "700/1/ITDA"


def test_the_downloads_read_at_pinned_queries(k, django_assert_num_queries):
    client = client_for(k.u.inspektorat)
    client.get(file_url(k, "docx"))
    # User and versions (2, who is asking kept in the session), the OPD, the evaluation
    # with its instrument (2); the instrument's rows and the answers (8), the recommendations,
    # last year's final nilai and recommendations, the Inspektorat's letterhead (4): the same
    # for 80 answered criteria as for none.
    with django_assert_num_queries(2 + 2 + 8 + 4):
        client.get(file_url(k, "docx"))
    evaluasi_finalize(user=k.u.inspektorat, evaluasi=k.ev)
    # A final LHE: signing in (2), the OPD, the evaluation and the stored file (3).
    with django_assert_num_queries(2 + 3):
        response = client.get(file_url(k, "pdf"))
    assert response.content == bytes(LheVersi.objects.get(evaluasi=k.ev).pdf)


@pytest.mark.parametrize("value", ["abc", "²", "-1", "99999999999999999999", "\x00", "x" * 10_000])
def test_hostile_letter_forms_answer_400_and_save_nothing(k, value):
    fields = ("nomor", "tanggal", "tempat", "nama", "nip", "jabatan", "versi")
    response = client_for(k.u.inspektorat).post(page_url(k), dict.fromkeys(fields, value))
    assert response.status_code in (302, 400)
    assert Evaluasi.objects.get(pk=k.ev.pk).lhe_nomor == ""


def test_the_letterhead_is_the_inspektorats_own_when_the_pemda_registers_it(k):
    kop = inspektorat_kop(k.x.opd)
    assert (kop.baris, kop.kontak) == (["PEMERINTAH KABUPATEN CONTOH", "INSPEKTORAT"], "")
    OpdFactory(
        kode="ITDA",
        nama="Inspektorat Kabupaten Contoh",
        pemda=k.x.opd.pemda,
        kop_kontak="Jl. Contoh No. 1, Paringin",
    )
    kop = inspektorat_kop(k.x.opd)
    assert kop.baris == ["PEMERINTAH KABUPATEN CONTOH", "INSPEKTORAT KABUPATEN CONTOH"]
    assert kop.kontak == "Jl. Contoh No. 1, Paringin"
