"""The evaluation's pages: the perencana's self-assessment and the Inspektorat's answers,
one criterion per form (no page posts more fields than Django's limit), the live nilai, the
system's proposal beside each answer, the Pemda's list; refusals are answers, never 500."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from evaluasi.models import Evaluasi, Jawaban, Rekomendasi, StatusEvaluasi
from evaluasi.services import evaluasi_open, jawaban_import, jawaban_tetapkan, jawaban_usul
from evaluasi.views import XLSX_TYPE
from tests.kabupaten_world import SYSTEM, _opd, kabupaten
from tests.services.test_evaluasi_service import all_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    return kabupaten()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(k, tahun: int = 2024) -> str:
    return reverse("evaluasi:opd", args=[tahun, k.x.opd.kode])


def test_the_perencana_opens_its_evaluation_and_answers(k):
    client = client_for(k.u.perencana)
    page = client.get(page_url(k)).content.decode()
    assert "Evaluasi AKIP tahun 2024 belum dibuka." in page
    client.post(page_url(k), {"aksi": "buka"})
    evaluasi = Evaluasi.objects.get(opd=k.x.opd, tahun=2024)
    page = client.get(page_url(k)).content.decode()
    assert 'name="kode" value="1.b.5"' in page
    assert "Renstra" in page and "mencakup tahun 2024" in page  # the proposal for 1.a.3
    # 1.b.1, 1.b.2 and 3.a.5 link to the OPD's register, where the documents are.
    register = reverse("register:register_opd", args=[2024, k.x.opd.kode])
    assert page.count(f'<a href="{register}">lihat bukti</a>') == 3
    response = client.post(
        page_url(k), {"kode": "1.a.1", "jawaban": "Y", "catatan": "Pedoman 2023", "versi": 0}
    )
    assert response.status_code == 302
    row = Jawaban.objects.get(evaluasi=evaluasi)
    assert (row.usulan, row.catatan_usulan, row.penetapan) == ("Y", "Pedoman 2023", "")
    page = client.get(page_url(k)).content.decode()
    assert 'id="nilai-usulan">0,86<' in page  # 1 of 7 criteria of 1.a × 6
    # Every form on the page posts its own few fields.
    assert page.count('<form method="post" class="lke-answer">') == 80


def test_the_inspektorat_answers_accepts_and_finalises(k):
    evaluasi = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    client = client_for(k.u.inspektorat)
    client.post(page_url(k), {"kode": "3.a.1", "jawaban": "T", "catatan": "Tidak ada", "versi": 0})
    row = Jawaban.objects.get(evaluasi=evaluasi)
    assert (row.penetapan, row.catatan_penetapan, row.usulan) == ("T", "Tidak ada", "")
    page = client.get(page_url(k)).content.decode()
    assert "jawaban berbeda dari usulan Kinerja" in page  # the system proposes Y for 3.a.1
    response = client.post(page_url(k), {"aksi": "final"}, follow=True)
    assert "79 kriteria belum ditetapkan" in response.content.decode()
    rows = all_answers(evaluasi.instrumen, "Y", "A")
    jawaban_import(user=k.u.inspektorat, evaluasi=evaluasi, rows=rows)
    client.post(page_url(k), {"aksi": "final"})
    assert Evaluasi.objects.get(pk=evaluasi.pk).status == StatusEvaluasi.FINAL
    page = client.get(page_url(k)).content.decode()
    assert 'id="nilai-penetapan">100,00<' in page and "predikat <strong>AA</strong>" in page
    assert "lke-answer" not in page and "Finalkan evaluasi" not in page


def test_refusals_are_messages_and_bad_forms_400(k):
    evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    client = client_for(k.u.perencana)
    response = client.post(page_url(k), {"kode": "1.a.1", "jawaban": "Q", "versi": 0}, follow=True)
    assert "di luar skala Y/T" in response.content.decode()
    assert client.post(page_url(k), {"kode": "x", "jawaban": "Y", "versi": 0}).status_code == 400
    assert client.post(page_url(k), {"aksi": "hapus"}).status_code == 400
    assert client.post(page_url(k), {"kode": "1.a.1", "jawaban": "Y"}).status_code == 400
    assert not Jawaban.objects.exists()
    # The kabid and another OPD's perencana read or write nothing of it.
    assert client_for(k.u.perencana_z).get(page_url(k)).status_code == 403
    kabid = client_for(k.u.kabid)
    assert kabid.get(page_url(k)).status_code == 200
    kabid.post(page_url(k), {"kode": "1.a.1", "jawaban": "Y", "versi": 0})
    assert not Jawaban.objects.exists()


def test_the_pemda_list_shows_every_opd_with_its_nilai(k, django_assert_num_queries):
    evaluasi = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    jawaban_import(
        user=k.u.inspektorat, evaluasi=evaluasi, rows=all_answers(evaluasi.instrumen, "Y", "B")
    )
    client = client_for(k.u.inspektorat)
    url = reverse("evaluasi:index", args=[2024])
    client.get(url)
    # User and versions (who is asking, kept in the session), the OPDs, evaluations,
    # answers, open recommendations, the instrument in use (7): constant in the number of OPDs.
    with django_assert_num_queries(13):
        page = client.get(url).content.decode()
    assert "78,28" in page and ">BB<" in page and page.count("80 dari 80") == 1
    assert page.count("belum dibuka") == 2  # Y and the plan unit
    assert client_for(k.u.perencana).get(url).status_code == 403
    assert client_for(k.u.bappeda_lain).get(url).content.decode().count("78,28") == 0
    # Five more OPDs, each evaluated with 80 answers: the same queries.
    for kode in ("V1", "V2", "V3", "V4", "V5"):
        more = evaluasi_open(user=SYSTEM, opd=_opd(kode, k.pemda).opd, tahun=2024)
        jawaban_import(user=SYSTEM, evaluasi=more, rows=all_answers(more.instrumen, "Y", "A"))
    with django_assert_num_queries(13):
        page = client.get(url).content.decode()
    assert page.count("100,00") == 5 and page.count("80 dari 80") == 6


def order_on(page: str, *names: str) -> list[str]:
    """``names`` in the order the page shows them."""
    return sorted(names, key=page.index)


@pytest.fixture
def scored(k):
    """X: all Y/B (78,28, BB) answered by the Inspektorat, 2 open recommendations (a third
    accepted); Y: 10 criteria self-assessed, none evaluated; the plan unit not opened."""
    x = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    jawaban_import(user=k.u.inspektorat, evaluasi=x, rows=all_answers(x.instrumen, "Y", "B"))
    y = evaluasi_open(user=k.u.perencana_y, opd=k.y.opd, tahun=2024)
    for row in all_answers(y.instrumen, "Y", "A")[:10]:
        jawaban_usul(user=k.u.perencana_y, evaluasi=y, kode=row.kode, jawaban=row.jawaban)
    # Recommendations are written by another page's service; here they are only counted.
    for n, (status, verifikasi) in enumerate(
        [("belum", "belum"), ("selesai", "ditolak"), ("selesai", "diterima")]
    ):
        Rekomendasi.objects.create(
            evaluasi=x, komponen="1", uraian=f"Agar {n}", status=status, verifikasi=verifikasi
        )
    return SimpleNamespace(x=x, y=y)


def row_of(page: str, kode: str) -> str:
    start = page.index(f"/opd/{kode}/")
    return page[start : page.index("</tr>", start)]


def test_the_list_shows_both_progresses_and_the_open_recommendations(k, scored):
    page = client_for(k.u.bappeda).get(reverse("evaluasi:index", args=[2024])).content.decode()
    x, y = row_of(page, "X"), row_of(page, "Y")
    assert 'data-label="Penilaian mandiri" class="num">0 dari 80<' in x
    assert 'data-label="Evaluasi" class="num">80 dari 80<' in x
    assert 'data-label="Rekomendasi terbuka" class="num">2<' in x
    assert 'data-label="Penilaian mandiri" class="num">10 dari 80<' in y
    assert 'data-label="Evaluasi" class="num">0 dari 80<' in y
    assert 'data-label="Rekomendasi terbuka" class="num">0<' in y
    assert 'data-label="Nilai mandiri" class="num">8,70<' in y  # 1.a: 6; 1.b: 3 of 10 × 9
    assert "Unduh XLSX" in page


@pytest.mark.parametrize(
    ("urut", "order"),
    [
        ("", ["/opd/KAB/", "/opd/X/", "/opd/Y/"]),
        ("nilai", ["/opd/KAB/", "/opd/Y/", "/opd/X/"]),
        ("-nilai", ["/opd/KAB/", "/opd/X/", "/opd/Y/"]),
        ("mandiri", ["/opd/KAB/", "/opd/X/", "/opd/Y/"]),
        ("-mandiri", ["/opd/KAB/", "/opd/Y/", "/opd/X/"]),
        ("-isi_mandiri", ["/opd/KAB/", "/opd/Y/", "/opd/X/"]),
        ("rekomendasi", ["/opd/KAB/", "/opd/Y/", "/opd/X/"]),
        ("-rekomendasi", ["/opd/KAB/", "/opd/X/", "/opd/Y/"]),
        ("-opd", ["/opd/KAB/", "/opd/Y/", "/opd/X/"]),
        ("-status", ["/opd/KAB/", "/opd/X/", "/opd/Y/"]),
        ("predikat", ["/opd/KAB/", "/opd/Y/", "/opd/X/"]),
    ],
)
def test_the_list_sorts_by_each_column_with_the_pemda_first(k, scored, urut, order):
    url = reverse("evaluasi:index", args=[2024])
    page = client_for(k.u.inspektorat).get(url, {"urut": urut}).content.decode()
    assert order_on(page, "/opd/KAB/", "/opd/X/", "/opd/Y/") == order
    if urut:
        assert f'aria-sort="{"descending" if urut[0] == "-" else "ascending"}"' in page


def test_an_opd_not_opened_is_listed_last_either_way(k, scored):
    evaluasi_open(user=SYSTEM, opd=_opd("W", k.pemda).opd, tahun=2024)
    w_none = _opd("A0", k.pemda).opd  # sorts first by kode, never opened
    client = client_for(k.u.inspektorat)
    url = reverse("evaluasi:index", args=[2024])
    for urut in ("nilai", "-nilai"):
        page = client.get(url, {"urut": urut}).content.decode()
        assert order_on(page, "/opd/X/", f"/opd/{w_none.kode}/")[-1] == f"/opd/{w_none.kode}/"


@pytest.mark.parametrize("urut", ["harga", "nilai;drop", "--nilai", "-", "0" * 300])
def test_a_bad_sort_answers_400(k, urut):
    url = reverse("evaluasi:index", args=[2024])
    assert client_for(k.u.kepala_daerah).get(url, {"urut": urut}).status_code == 400


def test_the_pemda_itself_is_self_assessed_by_bappeda_and_evaluated_by_the_inspektorat(k):
    unit = k.rpjmd.unit
    url = reverse("evaluasi:opd", args=[2024, unit.kode])
    bappeda = client_for(k.u.bappeda)
    bappeda.post(url, {"aksi": "buka"})
    evaluasi = Evaluasi.objects.get(opd=unit, tahun=2024)
    assert bappeda.post(url, {"kode": "1.a.1", "jawaban": "Y", "versi": 0}).status_code == 302
    inspektorat = client_for(k.u.inspektorat)
    inspektorat.post(url, {"kode": "1.a.1", "jawaban": "T", "catatan": "Belum ada", "versi": 1})
    inspektorat.post(url, {"kode": "1.a.2", "jawaban": "Y", "versi": 0})
    rows = {j.kriteria.kode: (j.usulan, j.penetapan) for j in evaluasi.jawaban_set.all()}
    assert rows == {"1.a.1": ("Y", "T"), "1.a.2": ("", "Y")}
    assert Evaluasi.objects.get(pk=evaluasi.pk).status == StatusEvaluasi.EVALUASI
    # Neither answers in the other's place: Bappeda's post is a self-assessment again, the
    # Inspektorat's a penetapan; the bupati and an OPD's perencana write nothing.
    client_for(k.u.kepala_daerah).post(url, {"kode": "1.a.3", "jawaban": "Y", "versi": 0})
    client_for(k.u.perencana).post(url, {"kode": "1.a.3", "jawaban": "Y", "versi": 0})
    assert not evaluasi.jawaban_set.filter(kriteria__kode="1.a.3").exists()
    page = bappeda.get(reverse("evaluasi:index", args=[2024])).content.decode()
    first = page.index("<tbody>")
    assert page.index(f"/opd/{unit.kode}/", first) < page.index("/opd/X/", first)
    assert "<strong>Pemda</strong>" in row_of(page, unit.kode) or (
        "<strong>Pemda</strong>" in page[first : page.index(f"/opd/{unit.kode}/", first)]
    )
    pemda_row = page[first : page.index("</tr>", first)]
    assert 'data-label="Nilai mandiri" class="num">0,86<' in pemda_row  # 1 of 7 × 6
    assert 'data-label="Nilai Inspektorat" class="num">0,86<' in pemda_row


def xlsx_of(client: Client, tahun: int = 2024):
    response = client.get(reverse("evaluasi:xlsx", args=[tahun]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    return load_workbook(io.BytesIO(response.content), read_only=False)


def test_the_workbook_holds_the_summary_and_each_lke(k, scored, django_assert_num_queries):
    jawaban_tetapkan(
        user=k.u.inspektorat,
        evaluasi=scored.x,
        kode="1.a.1",
        jawaban="T",
        catatan='=HYPERLINK("http://x","y")',
        versi=1,
    )
    client = client_for(k.u.kepala_daerah)
    book = xlsx_of(client)
    assert book.sheetnames == ["Rekapitulasi", "X", "Y"]
    summary = [tuple(row) for row in book["Rekapitulasi"].iter_rows(values_only=True)]
    header = summary[4]
    assert header[:3] == ("No", "Perangkat daerah", "Status")
    assert header[3:] == (
        "Komponen 1 (30)",
        "Komponen 2 (30)",
        "Komponen 3 (15)",
        "Komponen 4 (25)",
        "Nilai",
        "Predikat",
        "Nilai mandiri OPD",
    )
    pemda, x, y = summary[5], summary[6], summary[7]
    assert pemda[1].endswith("(Pemda)") and pemda[2] == "belum dibuka"
    # X: 1.a.1 = T (1.a: 6 of 7 × 6 = 5,142857…), the rest Y/B.
    assert x[1] == "Dinas X" and x[2] == "Dievaluasi Inspektorat"
    # By hand: 1 = (5 + 0,75)/7 × 6 + (2 + 8 × 0,75)/10 × 9 + 0,75 × 15 = 23,3786; 2 = 2,5/3 × 6
    # + 0,75 × 24 = 23; 3 = 5,75/6 × 3 + 0,75 × 12 = 11,875; 4 = 2,5/3 × 5 + 0,75 × 20 = 19,1667.
    assert [round(v, 4) for v in x[3:8]] == [23.3786, 23.0, 11.875, 19.1667, 77.4202]
    assert x[8] == "BB" and x[9] == 0
    assert [round(v, 2) for v in y[3:8]] == [0, 0, 0, 0, 0] and y[8] == "D" and y[9] == 8.7
    lke = list(book["X"].iter_rows(values_only=True))
    assert lke[4] == (
        "Kode",
        "Komponen / Sub-komponen / Kriteria",
        "Bobot",
        "Jawaban OPD",
        "Nilai OPD",
        "Jawaban evaluator",
        "Nilai evaluator",
        "Catatan evaluator",
    )
    by_kode = {row[0]: row for row in lke if row[0]}
    assert by_kode["1"][2] == 30 and round(by_kode["1"][6], 4) == 23.3786
    assert round(by_kode["1.a"][6], 4) == 4.9286 and by_kode["1.a"][2] == 6
    assert by_kode["1.a.1"][3:8] == (None, None, "T", 0, '\'=HYPERLINK("http://x","y")')
    assert by_kode["1.b.1"][5:7] == ("Y", 1) and by_kode["1.c.1"][5:7] == ("B", 0.75)
    assert lke[-2][1:] == ("Nilai total", 100, None, 0, None, lke[-2][6], None)
    assert round(lke[-2][6], 4) == 77.4202 and lke[-1][1] == "Predikat" and lke[-1][6] == "BB"
    assert all(
        not (isinstance(v, str) and v.startswith("="))
        for ws in book
        for row in ws.values
        for v in row
    )
    assert book["X"]["G6"].number_format == "#,##0.00"
    # The page's 13 (user and versions (who is asking, kept in the session), the OPDs,
    # evaluations, answers, open recommendations, the instrument (7)), the same for five more
    # evaluated OPDs.
    client.get(reverse("evaluasi:xlsx", args=[2024]))
    with django_assert_num_queries(13):
        client.get(reverse("evaluasi:xlsx", args=[2024]))
    for kode in ("V1", "V2", "V3", "V4", "V5"):
        more = evaluasi_open(user=SYSTEM, opd=_opd(kode, k.pemda).opd, tahun=2024)
        jawaban_import(user=SYSTEM, evaluasi=more, rows=all_answers(more.instrumen, "Y", "A"))
    with django_assert_num_queries(13):
        assert len(xlsx_of(client).sheetnames) == 8
    assert client_for(k.u.perencana).get(reverse("evaluasi:xlsx", args=[2024])).status_code == 403


def test_the_opd_page_reads_at_constant_queries(k, django_assert_num_queries):
    evaluasi = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    jawaban_import(
        user=k.u.inspektorat, evaluasi=evaluasi, rows=all_answers(evaluasi.instrumen, "Y", "B")
    )
    client = client_for(k.u.inspektorat)
    client.get(page_url(k))
    # User and versions (2, who is asking kept in the session), the OPD, the evaluation,
    # the instrument (7) and answers (1), the proposals (16, evaluasi.proposals.propose), the
    # years before (2: evaluations and their answers, the instrument already read), the
    # evidence files (1): the same for 80 answered criteria as for none.
    with django_assert_num_queries(2 + 2 + 8 + 16 + 2 + 1):
        client.get(page_url(k))


def test_what_raises_the_nilai_most_and_the_years_before(k):
    """Every A–E at B (78,28 BB): the ten steps that add most are 4.c's five (0,625 each),
    2.a.2–2.a.3 (0,5) and 1.c.1–1.c.3 (0,46875): 78,2774 + 3,125 + 1 + 1,40625 = 83,81 (A)."""
    before = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2023)
    jawaban_import(
        user=k.u.inspektorat, evaluasi=before, rows=all_answers(before.instrumen, "Y", "A")
    )
    evaluasi = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    jawaban_import(
        user=k.u.inspektorat, evaluasi=evaluasi, rows=all_answers(evaluasi.instrumen, "Y", "B")
    )
    page = client_for(k.u.perencana).get(page_url(k)).content.decode()
    steps = page.split('id="naikkan"')[1].split("</section>")[0]
    assert steps.count('<th scope="row">') == 10
    order = [f">{kode} " for kode in ("4.c.1", "4.c.5", "2.a.2", "2.a.3", "1.c.1", "1.c.3")]
    assert [steps.index(o) for o in order] == sorted(steps.index(o) for o in order)
    assert "1.c.4 " not in steps
    assert "+0,63" in steps and "(B → A)" in steps
    assert "nilai menjadi <strong>83,81</strong> — predikat <strong>A</strong>" in steps
    # The perencana's steps link to where it takes them: last year's recommendations for 4.c,
    # the indicators for 2.a.2 and 1.c.1 (the budget without indicator), its own criterion
    # (evidence) where no page decides it (1.c.2).
    assert reverse("evaluasi:rekomendasi", args=[2023, k.x.opd.kode]) in steps
    assert reverse("admin:indicators_indikator_changelist") in steps
    assert 'href="#k-1.c.2"' in steps and 'href="#k-1.c.1"' not in steps
    history = page.split('id="riwayat"')[1].split("</section>")[0]
    assert history.index("2023") < history.index("2024")
    assert ">100,00<" in history and ">AA<" in history and ">78,28<" in history
    assert history.count("(Inspektorat)") == 2
    # The Inspektorat sees the same ranking, without the OPD's links.
    page = client_for(k.u.inspektorat).get(page_url(k)).content.decode()
    steps = page.split('id="naikkan"')[1].split("</section>")[0]
    assert "83,81" in steps and "<a " not in steps


def test_the_inspektorat_sets_the_rest_in_one_step(k):
    evaluasi = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    client_for(k.u.perencana).post(page_url(k), {"kode": "1.a.1", "jawaban": "Y", "versi": 0})
    # The OPD's perencana has no such step.
    client_for(k.u.perencana).post(page_url(k), {"aksi": "terima"})
    assert not Jawaban.objects.exclude(penetapan="").exists()
    response = client_for(k.u.inspektorat).post(page_url(k), {"aksi": "terima"}, follow=True)
    set_now = Jawaban.objects.filter(evaluasi=evaluasi).exclude(penetapan="").count()
    assert set_now > 1
    assert (
        f"{set_now} jawaban ditetapkan dari jawaban OPD atau usulan Kinerja; "
        f"{80 - set_now} kriteria masih perlu dinilai." in response.content.decode()
    )
    assert Jawaban.objects.get(evaluasi=evaluasi, kriteria__kode="1.a.1").penetapan == "Y"


def test_the_perencana_links_evidence_from_its_answer_form(k):
    evaluasi = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    client = client_for(k.u.perencana)
    form = {"kode": "3.a.1", "jawaban": "Y", "catatan": "", "versi": 0}
    response = client.post(page_url(k), form | {"tautan_bukti": "https://contoh.id"}, follow=True)
    assert "Tautan bukti harus alamat halaman Kinerja" in response.content.decode()
    assert not Jawaban.objects.exists()
    client.post(page_url(k), form | {"tautan_bukti": "/lakip/2024/"})
    assert Jawaban.objects.get(evaluasi=evaluasi).tautan_bukti == "/lakip/2024/"
    page = client.get(page_url(k)).content.decode()
    assert '<a href="/lakip/2024/">tautan bukti</a>' in page
    assert 'name="tautan_bukti"' in page and 'value="/lakip/2024/"' in page
    # The Inspektorat's form has no link of the OPD to overwrite.
    assert (
        'name="tautan_bukti"' not in client_for(k.u.inspektorat).get(page_url(k)).content.decode()
    )
