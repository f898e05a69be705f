"""The evaluation's pages: the perencana's self-assessment and the Inspektorat's answers,
one criterion per form (no page posts more fields than Django's limit), the live nilai, the
system's proposal beside each answer, the Pemda's list; refusals are answers, never 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from evaluasi.models import Evaluasi, Jawaban, StatusEvaluasi
from evaluasi.services import evaluasi_open, jawaban_import
from tests.kabupaten_world import kabupaten
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
    # Session, user, two-factor device (2), role and assignment (2), the OPDs, evaluations,
    # answers, the instrument in use (7): constant in the number of OPDs.
    with django_assert_num_queries(16):
        page = client.get(url).content.decode()
    assert "78,28" in page and ">BB<" in page and "80 dari 80" in page
    assert page.count("belum dibuka") == 2  # Y and the plan unit
    assert client_for(k.u.perencana).get(url).status_code == 403
    assert client_for(k.u.bappeda_lain).get(url).content.decode().count("78,28") == 0


def test_the_opd_page_reads_at_constant_queries(k, django_assert_num_queries):
    evaluasi = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    jawaban_import(
        user=k.u.inspektorat, evaluasi=evaluasi, rows=all_answers(evaluasi.instrumen, "Y", "B")
    )
    client = client_for(k.u.inspektorat)
    client.get(page_url(k))
    # Session, user, two-factor device (2), role and assignment (2), the OPD, the evaluation,
    # the instrument (7) and answers (1), the proposals (9), the evidence files (1): the same
    # for 80 answered criteria as for none.
    with django_assert_num_queries(6 + 2 + 8 + 9 + 1):
        client.get(page_url(k))
