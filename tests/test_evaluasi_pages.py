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
    # the instrument (7) and answers (1), the proposals (15, evaluasi.proposals.propose), the
    # years before (2: evaluations and their answers, the instrument already read): the same
    # for 80 answered criteria as for none.
    with django_assert_num_queries(6 + 2 + 8 + 15 + 2):
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
    # the indicators for 2.a.2, its own criterion (evidence) where no page decides it.
    assert reverse("evaluasi:opd", args=[2023, k.x.opd.kode]) in steps
    assert reverse("admin:indicators_indikator_changelist") in steps
    assert 'href="#k-1.c.1"' in steps
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
