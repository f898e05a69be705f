"""The pages of what follows an evaluation's answers: evidence files on the LKE page (upload,
checked download as an attachment, removal), the "Rekomendasi dan tindak lanjut" page (the
Inspektorat writes and verifies, the perencana follows up, the others read), the OPD
dashboard's panel; bad parameters answer 400/404, never 500; constant queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evaluasi.followup import rekomendasi_tambah, tindak_lanjut_simpan
from evaluasi.models import BuktiJawaban, Evaluasi, Rekomendasi, StatusEvaluasi
from evaluasi.services import evaluasi_open
from tests import evidence_files
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    world = kabupaten()
    world.ev = evaluasi_open(user=world.u.perencana, opd=world.x.opd, tahun=2024)
    return world


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lke_url(k) -> str:
    return reverse("evaluasi:opd", args=[2024, k.x.opd.kode])


def rek_url(k, tahun: int = 2024, kode: str | None = None) -> str:
    return reverse("evaluasi:rekomendasi", args=[tahun, kode or k.x.opd.kode])


def pdf(name: str = "SK Tim SAKIP.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, evidence_files.pdf())


def add(k, komponen: str = "1", uraian: str = "Agar menyusun pedoman cascading.") -> Rekomendasi:
    return rekomendasi_tambah(user=k.u.inspektorat, evaluasi=k.ev, komponen=komponen, uraian=uraian)


# --- evidence on the LKE page -----------------------------------------------------------------


def test_the_perencana_uploads_evidence_that_only_readers_of_the_opd_download(k):
    client = client_for(k.u.perencana)
    url = reverse("evaluasi:bukti_unggah", args=[2024, "X"])
    response = client.post(url, {"kode": "1.a.1", "berkas": pdf()})
    assert response.status_code == 302 and response["Location"].endswith("/opd/X/#k-1.a.1")
    bukti = BuktiJawaban.objects.get()
    page = client.get(lke_url(k)).content.decode()
    assert f'href="/evaluasi/bukti/{bukti.pk}/">SK Tim SAKIP.pdf</a>' in page
    assert page.count('class="lke-bukti-form"') == 80  # one form per criterion, multipart
    assert page.count('enctype="multipart/form-data" class="lke-bukti-form"') == 80
    download = client_for(k.u.inspektorat).get(reverse("evaluasi:bukti", args=[bukti.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="SK Tim SAKIP.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == evidence_files.pdf()
    for reader in (k.u.pimpinan, k.u.kabid, k.u.bappeda, k.u.kepala_daerah):
        assert client_for(reader).get(reverse("evaluasi:bukti", args=[bukti.pk])).status_code == 200
    for stranger in (k.u.perencana_y, k.u.perencana_z, k.u.bappeda_lain):
        assert (
            client_for(stranger).get(reverse("evaluasi:bukti", args=[bukti.pk])).status_code == 403
        )
    # Readers see the file but no form.
    pimpinan_page = client_for(k.u.pimpinan).get(lke_url(k)).content.decode()
    assert "SK Tim SAKIP.pdf" in pimpinan_page and "lke-bukti-form" not in pimpinan_page


def test_evidence_refusals_are_messages_and_bad_forms_400(k):
    client = client_for(k.u.perencana)
    url = reverse("evaluasi:bukti_unggah", args=[2024, "X"])
    bad = SimpleUploadedFile("x.html", evidence_files.HTML)
    response = client.post(url, {"kode": "1.a.1", "berkas": bad}, follow=True)
    assert "Bukti 1.a.1 tidak disimpan: Jenis berkas tidak diizinkan" in response.content.decode()
    assert client.post(url, {"kode": "x", "berkas": pdf()}).status_code == 400
    assert client.post(url, {"kode": "1.a.1"}).status_code == 400
    assert client.get(url).status_code == 405
    assert client.post(reverse("evaluasi:bukti_unggah", args=[2023, "X"]), {}).status_code == 404
    assert client.post(reverse("evaluasi:bukti_unggah", args=[2024, "NONE"]), {}).status_code == 404
    assert client_for(k.u.pimpinan).post(url, {"kode": "1.a.1", "berkas": pdf()}).status_code == 403
    assert client_for(k.u.perencana_z).post(url, {"kode": "1.a.1"}).status_code == 403
    assert client.get(reverse("evaluasi:bukti", args=[999999])).status_code == 404
    assert not BuktiJawaban.objects.exists()


def test_evidence_is_removed_from_the_lke_page(k):
    client = client_for(k.u.perencana)
    client.post(
        reverse("evaluasi:bukti_unggah", args=[2024, "X"]), {"kode": "1.a.1", "berkas": pdf()}
    )
    bukti = BuktiJawaban.objects.get()
    url = reverse("evaluasi:bukti_hapus", args=[bukti.pk])
    assert client_for(k.u.pimpinan).post(url).status_code == 403
    response = client_for(k.u.inspektorat).post(url, follow=True)
    assert "diunggah pihak lain" in response.content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Bukti 1.a.1 dihapus." in response.content.decode()
    assert not BuktiJawaban.objects.exists()
    assert client.post(url).status_code == 404


def test_the_lke_page_reads_evidence_in_one_query_more(k, django_assert_num_queries):
    client = client_for(k.u.perencana)
    for kode in ("1.a.1", "1.a.2", "2.a.1"):
        client.post(
            reverse("evaluasi:bukti_unggah", args=[2024, "X"]), {"kode": kode, "berkas": pdf()}
        )
    client.get(lke_url(k))
    # User and versions (2, who is asking kept in the session), the OPD, the evaluation,
    # the instrument (7), answers (1), the proposals (16), the years before (2) and the
    # evidence files (1, with their answers' criteria joined): the same for three files as for
    # none.
    with django_assert_num_queries(2 + 2 + 8 + 16 + 2 + 1):
        page = client.get(lke_url(k)).content.decode()
    assert page.count(">SK Tim SAKIP.pdf</a>") == 3
    assert f'href="{rek_url(k)}" id="link-rekomendasi"' in page


# --- recommendations and follow-up ------------------------------------------------------------


def test_the_inspektorat_writes_the_perencana_follows_up_the_inspektorat_verifies(k):
    insp = client_for(k.u.inspektorat)
    page = insp.get(rek_url(k)).content.decode()
    assert "Belum ada rekomendasi." in page and "Tambah rekomendasi" in page
    response = insp.post(
        rek_url(k), {"aksi": "tambah", "komponen": "1", "uraian": "Agar IKU direviu."}, follow=True
    )
    assert "Rekomendasi ditambahkan." in response.content.decode()
    row = Rekomendasi.objects.get()
    assert (row.komponen, row.uraian) == ("1", "Agar IKU direviu.")

    plan = client_for(k.u.perencana)
    page = plan.get(rek_url(k)).content.decode()
    assert "Agar IKU direviu." in page and "Simpan tindak lanjut" in page
    assert "Tambah rekomendasi" not in page and "Simpan verifikasi" not in page
    response = plan.post(
        rek_url(k),
        {
            "aksi": "tindak_lanjut",
            "rekomendasi": row.pk,
            "versi": 1,
            "tindak_lanjut": "IKU direviu dengan Perkada 12/2025.",
            "status": "selesai",
            "tautan_bukti": "",
            "berkas": pdf("Perkada 12-2025.pdf"),
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#r-{row.pk}")
    row.refresh_from_db()
    assert (row.status, row.berkas_nama, row.versi) == ("selesai", "Perkada 12-2025.pdf", 2)
    download = plan.get(reverse("evaluasi:rekomendasi_bukti", args=[row.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="Perkada 12-2025.pdf"'
    assert (
        client_for(k.u.perencana_z)
        .get(reverse("evaluasi:rekomendasi_bukti", args=[row.pk]))
        .status_code
        == 403
    )

    page = insp.get(rek_url(k)).content.decode()
    assert "IKU direviu dengan Perkada 12/2025." in page and "Simpan verifikasi" in page
    response = insp.post(
        rek_url(k),
        {"aksi": "verifikasi", "rekomendasi": row.pk, "versi": 2, "verifikasi": "diterima"},
        follow=True,
    )
    assert "Verifikasi disimpan." in response.content.decode()
    row.refresh_from_db()
    assert (row.verifikasi, row.diverifikasi_oleh) == ("diterima", k.u.inspektorat)
    page = plan.get(rek_url(k)).content.decode()
    assert "0</strong> dari 1 rekomendasi belum selesai" in page
    assert "Simpan tindak lanjut" not in page  # accepted: nothing more to do


def test_who_reads_and_who_writes_the_recommendation_page(k):
    row = add(k)
    for reader in (k.u.pimpinan, k.u.kabid, k.u.bappeda, k.u.kepala_daerah, k.u.admin):
        page = client_for(reader).get(rek_url(k))
        assert page.status_code == 200, reader
        assert "Agar menyusun pedoman cascading." in page.content.decode()
    for reader in (k.u.pimpinan, k.u.bappeda, k.u.kepala_daerah):
        html = client_for(reader).get(rek_url(k)).content.decode()
        assert '<form method="post"' not in html.split("<main")[-1].split("</main>")[0]
    for stranger in (k.u.perencana_y, k.u.perencana_z, k.u.bappeda_lain):
        assert client_for(stranger).get(rek_url(k)).status_code == 403
    # A reader's post is refused (403) and saves nothing.
    data = {"aksi": "tambah", "komponen": "2", "uraian": "Agar …"}
    for writer_not in (k.u.pimpinan, k.u.perencana, k.u.bappeda):
        assert client_for(writer_not).post(rek_url(k), data).status_code == 403
    verify = {"aksi": "verifikasi", "rekomendasi": row.pk, "versi": 1, "verifikasi": "diterima"}
    assert client_for(k.u.perencana).post(rek_url(k), verify).status_code == 403
    assert list(Rekomendasi.objects.values_list("uraian", "verifikasi")) == [
        ("Agar menyusun pedoman cascading.", "belum")
    ]


def test_bad_parameters_answer_400_or_404_and_save_nothing(k):
    row = add(k)
    insp = client_for(k.u.inspektorat)
    for data in (
        {},
        {"aksi": "lain"},
        {"aksi": "tambah", "komponen": "abc", "uraian": "x"},
        {"aksi": "ubah", "rekomendasi": "abc", "versi": 1, "komponen": "1"},
        {"aksi": "ubah", "rekomendasi": row.pk, "komponen": "1", "uraian": "x"},
        {"aksi": "hapus", "rekomendasi": "99999999999999999999", "versi": 1},
        {"aksi": "verifikasi", "rekomendasi": row.pk, "versi": 1, "verifikasi": "belum"},
        {"aksi": "tambah", "komponen": "1", "uraian": "\x00"},
    ):
        assert insp.post(rek_url(k), data).status_code == 400, data
    # An id of no recommendation of this evaluation: 404.
    other = Evaluasi.objects.create(opd=k.y.opd, tahun=2024, instrumen=k.ev.instrumen)
    elsewhere = Rekomendasi.objects.create(evaluasi=other, komponen="1", uraian="Agar Y.")
    for pk in (elsewhere.pk, 999999):
        response = insp.post(rek_url(k), {"aksi": "hapus", "rekomendasi": pk, "versi": 1})
        assert response.status_code == 404
    # An evaluation not opened, an unknown OPD: 404 on a post, a plain page on a read.
    assert insp.post(rek_url(k, tahun=2023), {"aksi": "tambah"}).status_code == 404
    assert "belum dibuka" in insp.get(rek_url(k, tahun=2023)).content.decode()
    assert insp.get(rek_url(k, kode="TIDAKADA")).status_code == 404
    assert (
        client_for(k.u.perencana)
        .post(
            rek_url(k),
            {"aksi": "tindak_lanjut", "rekomendasi": row.pk, "versi": 1, "status": "beres"},
        )
        .status_code
        == 400
    )
    assert list(Rekomendasi.objects.values_list("uraian", "versi", "status")) == [
        ("Agar menyusun pedoman cascading.", 1, "belum"),
        ("Agar Y.", 1, "belum"),
    ]


def test_refusals_of_the_services_are_messages(k):
    row = add(k)
    insp = client_for(k.u.inspektorat)
    response = insp.post(
        rek_url(k), {"aksi": "tambah", "komponen": "1", "uraian": "  "}, follow=True
    )
    assert "Tidak disimpan: Rekomendasi tidak boleh kosong." in response.content.decode()
    tindak_lanjut_simpan(
        user=k.u.perencana, rekomendasi=row, uraian="Disusun.", status="proses", versi=1
    )
    response = insp.post(
        rek_url(k),
        {"aksi": "verifikasi", "rekomendasi": row.pk, "versi": 2, "verifikasi": "diterima"},
        follow=True,
    )
    assert "hanya dapat diterima setelah OPD menyatakannya selesai" in response.content.decode()
    response = insp.post(
        rek_url(k), {"aksi": "hapus", "rekomendasi": row.pk, "versi": 1}, follow=True
    )
    assert "telah diubah sejak formulir" in response.content.decode()
    assert Rekomendasi.objects.get().verifikasi == "belum"


def test_after_final_only_follow_up_and_verification_are_offered(k):
    row = add(k)
    Evaluasi.objects.filter(pk=k.ev.pk).update(status=StatusEvaluasi.FINAL)
    page = client_for(k.u.inspektorat).get(rek_url(k)).content.decode()
    assert "Tambah rekomendasi" not in page and "Ubah atau hapus" not in page
    assert "Simpan tindak lanjut" in client_for(k.u.perencana).get(rek_url(k)).content.decode()
    assert row.pk


def test_the_recommendation_page_reads_at_constant_queries(k, django_assert_num_queries):
    client = client_for(k.u.inspektorat)
    add(k)
    client.get(rek_url(k))
    # User and versions (2; who is asking and the Pemda's OPDs, kept in the session), the
    # OPD, the evaluation with its instrument, the instrument's komponen, the recommendations with
    # their verifier: the same for one recommendation as for twelve.
    with django_assert_num_queries(6):
        client.get(rek_url(k))
    for n in range(11):
        add(k, komponen=str(n % 4 + 1), uraian=f"Agar {n}.")
    with django_assert_num_queries(6):
        page = client.get(rek_url(k)).content.decode()
    assert "12</strong> dari 12 rekomendasi belum selesai" in page


# --- the dashboard ----------------------------------------------------------------------------


def test_the_dashboard_lists_the_open_recommendations(k):
    add(k)
    add(k, komponen="3", uraian="Agar LKjIP ditandatangani tepat waktu.")
    page = client_for(k.u.perencana).get(reverse("dashboard", args=[2024])).content.decode()
    panel = page.split('id="rekomendasi-evaluasi"')[1].split("</section>")[0]
    assert "Rekomendasi evaluasi yang belum selesai: 2" in panel
    assert "2024 · Komponen 1: Agar menyusun pedoman cascading." in panel
    assert f'href="{rek_url(k)}"' in panel and "Lihat dan tindak lanjuti rekomendasi" in panel
    other = client_for(k.u.perencana_y).get(reverse("dashboard", args=[2024])).content.decode()
    assert "rekomendasi-evaluasi" not in other
