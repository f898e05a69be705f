"""What follows the evaluation's answers, through its services (evaluasi.followup): evidence
files per criterion, the Inspektorat's recommendations, the OPD's follow-up and the
Inspektorat's verification. Each guard refuses with its reason and saves nothing."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluasi.followup import (
    MAX_FILES_PER_CRITERION,
    bukti_hapus,
    bukti_unggah,
    dashboard_panel,
    evidence_by_criterion,
    open_recommendations,
    rekomendasi_hapus,
    rekomendasi_tambah,
    rekomendasi_ubah,
    rekomendasi_verifikasi,
    tindak_lanjut_simpan,
)
from evaluasi.models import (
    BuktiJawaban,
    Evaluasi,
    Jawaban,
    Rekomendasi,
    StatusEvaluasi,
)
from evaluasi.services import evaluasi_open, jawaban_usul
from renstra.door import StaleEdit
from renstra.models import Role
from tests import evidence_files
from tests.factories import make_user
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    world = kabupaten()
    world.u.inspektorat_lain = make_user("insp_lain", Role.INSPEKTORAT, opd=world.rpjmd_lain.unit)
    world.ev = evaluasi_open(user=world.u.perencana, opd=world.x.opd, tahun=2024)
    return world


def upload(name: str = "sk.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else evidence_files.pdf())


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("SK Tim SAKIP")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def final(k) -> None:
    Evaluasi.objects.filter(pk=k.ev.pk).update(status=StatusEvaluasi.FINAL)
    k.ev.refresh_from_db()


# --- evidence ---------------------------------------------------------------------------------


def test_the_perencana_and_the_inspektorat_upload_evidence_with_its_hash(k):
    content = evidence_files.pdf()
    bukti = bukti_unggah(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", berkas=upload())
    assert bukti.nama == "sk.pdf" and bukti.sha256 == hashlib.sha256(content).hexdigest()
    assert bukti.berkas.name.startswith("evaluasi/") and bukti.berkas.name.endswith(".pdf")
    assert bukti.berkas.read() == content
    # The row carrying it has no answer yet and version 0: an answer form opened before
    # (version 0) still saves.
    row = Jawaban.objects.get(evaluasi=k.ev)
    assert (row.usulan, row.penetapan, row.versi) == ("", "", 0)
    jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", jawaban="Y", versi=0)
    docx = bukti_unggah(
        user=k.u.inspektorat,
        evaluasi=k.ev,
        kode="1.a.1",
        berkas=upload("Notulen.docx", docx_bytes()),
    )
    assert docx.berkas.name.endswith(".docx") and docx.diunggah_oleh == k.u.inspektorat
    assert [b.nama for b in evidence_by_criterion(k.ev)["1.a.1"]] == ["sk.pdf", "Notulen.docx"]
    assert bukti.history.count() == 1 and bukti.history.first().history_user == k.u.perencana


@pytest.mark.parametrize("who", ["kabid", "pimpinan", "perencana_y", "perencana_z"])
def test_others_cannot_upload_evidence(k, who):
    with pytest.raises(PermissionDenied, match="Hanya perencana OPD ini atau Inspektorat"):
        bukti_unggah(user=getattr(k.u, who), evaluasi=k.ev, kode="1.a.1", berkas=upload())
    assert not BuktiJawaban.objects.exists() and not Jawaban.objects.exists()


def test_another_pemdas_inspektorat_cannot_upload_evidence(k):
    with pytest.raises(PermissionDenied):
        bukti_unggah(user=k.u.inspektorat_lain, evaluasi=k.ev, kode="1.a.1", berkas=upload())
    assert not BuktiJawaban.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("catatan.html", evidence_files.HTML, "Jenis berkas tidak diizinkan"),
        ("gambar.svg", evidence_files.SVG, "Jenis berkas tidak diizinkan"),
        ("sk.html", evidence_files.pdf(), "berakhiran .html"),
        ("kosong.pdf", b"", "kosong"),
        ("rusak.docx", b"PK\x03\x04word/document.xml" + b"\x00" * 40, "DOCX"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_saved(k, name, content, message):
    with pytest.raises(ValidationError, match=message):
        bukti_unggah(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", berkas=upload(name, content))
    assert not BuktiJawaban.objects.exists() and not Jawaban.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(k):
    with pytest.raises(ValidationError, match="maksimal 10 MB"):
        bukti_unggah(
            user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", berkas=upload(), size=11 * 2**20
        )
    assert not BuktiJawaban.objects.exists()


def test_evidence_of_an_unknown_criterion_is_refused(k):
    with pytest.raises(ValidationError, match=r"Kriteria 9\.z\.9 tidak ada"):
        bukti_unggah(user=k.u.perencana, evaluasi=k.ev, kode="9.z.9", berkas=upload())
    assert not BuktiJawaban.objects.exists()


def test_no_evidence_is_added_or_removed_once_final(k):
    bukti = bukti_unggah(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", berkas=upload())
    final(k)
    with pytest.raises(ValidationError, match="sudah final"):
        bukti_unggah(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", berkas=upload())
    with pytest.raises(ValidationError, match="sudah final"):
        bukti_hapus(user=k.u.perencana, bukti=bukti)
    assert BuktiJawaban.objects.count() == 1


def test_a_criterion_keeps_at_most_ten_files(k):
    for _ in range(MAX_FILES_PER_CRITERION):
        bukti_unggah(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", berkas=upload())
    with pytest.raises(ValidationError, match="sudah memiliki 10 berkas"):
        bukti_unggah(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", berkas=upload())
    assert BuktiJawaban.objects.count() == MAX_FILES_PER_CRITERION


def test_evidence_is_removed_by_its_side_only_and_its_file_goes(
    k, django_capture_on_commit_callbacks
):
    opd_file = bukti_unggah(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", berkas=upload())
    insp_file = bukti_unggah(user=k.u.inspektorat, evaluasi=k.ev, kode="1.a.1", berkas=upload())
    with pytest.raises(PermissionDenied, match="diunggah pihak lain"):
        bukti_hapus(user=k.u.perencana, bukti=insp_file)
    with pytest.raises(PermissionDenied, match="diunggah pihak lain"):
        bukti_hapus(user=k.u.inspektorat, bukti=opd_file)
    # Who may not write the OPD's evidence is refused as such, whoever uploaded the file.
    for who in (k.u.pimpinan, k.u.perencana_y, k.u.inspektorat_lain):
        with pytest.raises(PermissionDenied, match="Hanya perencana OPD ini atau Inspektorat"):
            bukti_hapus(user=who, bukti=opd_file)
    assert BuktiJawaban.objects.count() == 2
    # Another perencana of the OPD (a successor) removes the OPD's file.
    successor = make_user("perencana_baru", Role.PERENCANA, opd=k.x.opd)
    name, storage = opd_file.berkas.name, opd_file.berkas.storage
    with django_capture_on_commit_callbacks(execute=True):
        bukti_hapus(user=successor, bukti=opd_file)
    assert list(BuktiJawaban.objects.all()) == [insp_file]
    assert not storage.exists(name)
    with pytest.raises(ValidationError, match="sudah dihapus"):
        bukti_hapus(user=k.u.perencana, bukti=opd_file)


# --- recommendations --------------------------------------------------------------------------


def add(k, komponen: str = "1", uraian: str = "Agar menyusun pedoman cascading.") -> Rekomendasi:
    return rekomendasi_tambah(user=k.u.inspektorat, evaluasi=k.ev, komponen=komponen, uraian=uraian)


def test_the_inspektorat_writes_edits_and_deletes_recommendations(k):
    first = add(k)
    second = add(k, uraian="  Agar IKU direviu.  ")
    assert (first.urutan, second.urutan, second.uraian) == (1, 2, "Agar IKU direviu.")
    changed = rekomendasi_ubah(
        user=k.u.inspektorat,
        rekomendasi=second,
        komponen="3",
        uraian="Agar LKjIP tepat waktu.",
        versi=1,
    )
    assert (changed.komponen, changed.uraian, changed.versi) == ("3", "Agar LKjIP tepat waktu.", 2)
    rekomendasi_hapus(user=k.u.inspektorat, rekomendasi=first, versi=1)
    assert list(Rekomendasi.objects.values_list("uraian", flat=True)) == ["Agar LKjIP tepat waktu."]


@pytest.mark.parametrize(
    "who", ["perencana", "pimpinan", "bappeda", "kepala_daerah", "inspektorat_lain"]
)
def test_only_the_pemdas_inspektorat_writes_recommendations(k, who):
    row = add(k)
    user = getattr(k.u, who)
    with pytest.raises(PermissionDenied, match="Hanya Inspektorat"):
        rekomendasi_tambah(user=user, evaluasi=k.ev, komponen="1", uraian="Agar …")
    with pytest.raises(PermissionDenied, match="Hanya Inspektorat"):
        rekomendasi_ubah(user=user, rekomendasi=row, komponen="1", uraian="Agar lain.", versi=1)
    with pytest.raises(PermissionDenied, match="Hanya Inspektorat"):
        rekomendasi_hapus(user=user, rekomendasi=row, versi=1)
    assert list(Rekomendasi.objects.values_list("uraian", "versi")) == [
        ("Agar menyusun pedoman cascading.", 1)
    ]


@pytest.mark.parametrize(
    ("komponen", "uraian", "message"),
    [
        ("5", "Agar …", "Komponen 5 tidak ada"),
        ("1", "   ", "tidak boleh kosong"),
        ("1", "x" * 4001, "terlalu panjang"),
    ],
)
def test_a_bad_recommendation_is_refused(k, komponen, uraian, message):
    with pytest.raises(ValidationError, match=message):
        rekomendasi_tambah(user=k.u.inspektorat, evaluasi=k.ev, komponen=komponen, uraian=uraian)
    row = Rekomendasi.objects.create(evaluasi=k.ev, komponen="1", uraian="Agar A.")
    with pytest.raises(ValidationError, match=message):
        rekomendasi_ubah(
            user=k.u.inspektorat, rekomendasi=row, komponen=komponen, uraian=uraian, versi=1
        )
    assert list(Rekomendasi.objects.values_list("komponen", "uraian")) == [("1", "Agar A.")]


def test_recommendations_stay_as_they_are_once_final(k):
    row = add(k)
    final(k)
    with pytest.raises(ValidationError, match="sudah final"):
        add(k)
    with pytest.raises(ValidationError, match="sudah final"):
        rekomendasi_ubah(user=k.u.inspektorat, rekomendasi=row, komponen="1", uraian="B", versi=1)
    with pytest.raises(ValidationError, match="sudah final"):
        rekomendasi_hapus(user=k.u.inspektorat, rekomendasi=row, versi=1)
    assert list(Rekomendasi.objects.values_list("uraian", flat=True)) == [row.uraian]
    # The follow-up and its verification go on.
    follow(k, row, status="selesai", versi=1)
    rekomendasi_verifikasi(user=k.u.inspektorat, rekomendasi=row, verifikasi="diterima", versi=2)
    assert Rekomendasi.objects.get().verifikasi == "diterima"


def test_a_stale_form_is_refused(k):
    row = add(k)
    rekomendasi_ubah(user=k.u.inspektorat, rekomendasi=row, komponen="1", uraian="Agar B.", versi=1)
    with pytest.raises(StaleEdit, match="telah diubah"):
        rekomendasi_ubah(
            user=k.u.inspektorat, rekomendasi=row, komponen="1", uraian="Agar C.", versi=1
        )
    with pytest.raises(StaleEdit):
        rekomendasi_hapus(user=k.u.inspektorat, rekomendasi=row, versi=1)
    with pytest.raises(StaleEdit):
        follow(k, row, versi=1)
    follow(k, row, status="selesai", versi=2)
    with pytest.raises(StaleEdit):
        rekomendasi_verifikasi(
            user=k.u.inspektorat, rekomendasi=row, verifikasi="diterima", versi=2
        )
    stored = Rekomendasi.objects.get()
    assert (stored.uraian, stored.versi, stored.verifikasi) == ("Agar B.", 3, "belum")


def test_a_deleted_recommendation_answers_gone(k):
    row = add(k)
    rekomendasi_hapus(user=k.u.inspektorat, rekomendasi=row, versi=1)
    with pytest.raises(ValidationError, match="sudah dihapus"):
        follow(k, row, versi=1)


def test_a_followed_up_recommendation_is_neither_edited_nor_deleted(k):
    row = add(k)
    follow(k, row, status="proses", versi=1)
    with pytest.raises(ValidationError, match="sudah ditindaklanjuti"):
        rekomendasi_ubah(user=k.u.inspektorat, rekomendasi=row, komponen="1", uraian="B", versi=2)
    with pytest.raises(ValidationError, match="sudah ditindaklanjuti"):
        rekomendasi_hapus(user=k.u.inspektorat, rekomendasi=row, versi=2)
    assert Rekomendasi.objects.get().uraian == row.uraian


# --- follow-up and verification ---------------------------------------------------------------


def follow(k, row, *, status="proses", uraian="Pedoman disusun.", versi=None, **kw):
    return tindak_lanjut_simpan(
        user=k.u.perencana,
        rekomendasi=row,
        uraian=uraian,
        status=status,
        tautan_bukti=kw.pop("tautan_bukti", "/lakip/2024/"),
        versi=versi,
        **kw,
    )


def test_the_perencana_follows_up_with_a_file_and_a_link(k):
    row = add(k)
    done = follow(
        k, row, status="selesai", versi=1, berkas=upload("Perbup Cascading.pdf"), tautan_bukti=""
    )
    assert (done.status, done.tindak_lanjut, done.berkas_nama) == (
        "selesai",
        "Pedoman disusun.",
        "Perbup Cascading.pdf",
    )
    assert done.berkas_bukti.name.endswith(".pdf") and done.versi == 2
    assert done.history.first().history_user == k.u.perencana


@pytest.mark.parametrize("who", ["kabid", "pimpinan", "inspektorat", "perencana_y", "perencana_z"])
def test_only_the_opds_perencana_follows_up(k, who):
    row = add(k)
    with pytest.raises(PermissionDenied, match="Hanya perencana OPD ini"):
        tindak_lanjut_simpan(
            user=getattr(k.u, who), rekomendasi=row, uraian="x", status="proses", versi=1
        )
    assert Rekomendasi.objects.get().status == "belum"


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"status": "beres"}, "tidak dikenal"),
        ({"uraian": " "}, "tidak boleh kosong"),
        ({"tautan_bukti": "https://contoh.id/"}, "diawali"),
        ({"tautan_bukti": "javascript:alert(1)"}, "diawali"),
        ({"tautan_bukti": "//contoh.id/"}, "diawali"),
        ({"tautan_bukti": "/" + "a" * 300}, "terlalu panjang"),
        ({"status": "selesai", "tautan_bukti": ""}, "perlu bukti"),
        ({"berkas": upload("x.html", evidence_files.HTML)}, "Jenis berkas tidak diizinkan"),
    ],
)
def test_a_bad_follow_up_is_refused(k, kw, message):
    row = add(k)
    with pytest.raises(ValidationError, match=message):
        follow(k, row, versi=1, **kw)
    stored = Rekomendasi.objects.get()
    assert (stored.status, stored.tindak_lanjut, stored.berkas_bukti.name) == ("belum", "", "")


def test_the_inspektorat_verifies_after_selesai_only(k):
    row = add(k)
    with pytest.raises(ValidationError, match="belum menindaklanjuti"):
        rekomendasi_verifikasi(
            user=k.u.inspektorat, rekomendasi=row, verifikasi="ditolak", catatan="x", versi=1
        )
    follow(k, row, status="proses", versi=1)
    with pytest.raises(ValidationError, match="setelah OPD menyatakannya selesai"):
        rekomendasi_verifikasi(
            user=k.u.inspektorat, rekomendasi=row, verifikasi="diterima", versi=2
        )
    with pytest.raises(ValidationError, match="Tuliskan catatan"):
        rekomendasi_verifikasi(user=k.u.inspektorat, rekomendasi=row, verifikasi="ditolak", versi=2)
    with pytest.raises(ValidationError, match="Pilih"):
        rekomendasi_verifikasi(user=k.u.inspektorat, rekomendasi=row, verifikasi="belum", versi=2)
    with pytest.raises(ValidationError, match="terlalu panjang"):
        rekomendasi_verifikasi(
            user=k.u.inspektorat,
            rekomendasi=row,
            verifikasi="ditolak",
            catatan="x" * 4001,
            versi=2,
        )
    assert Rekomendasi.objects.get().verifikasi == "belum"
    rejected = rekomendasi_verifikasi(
        user=k.u.inspektorat,
        rekomendasi=row,
        verifikasi="ditolak",
        catatan="Pedoman belum ditetapkan.",
        versi=2,
    )
    assert (rejected.verifikasi, rejected.diverifikasi_oleh) == ("ditolak", k.u.inspektorat)
    # A new follow-up is verified anew; the note stays.
    again = follow(k, row, status="selesai", versi=3)
    assert (again.verifikasi, again.catatan_verifikasi) == ("belum", "Pedoman belum ditetapkan.")
    accepted = rekomendasi_verifikasi(
        user=k.u.inspektorat, rekomendasi=row, verifikasi="diterima", versi=4
    )
    assert accepted.verifikasi == "diterima" and not accepted.terbuka
    # Accepted: the OPD's follow-up stays as it is.
    with pytest.raises(ValidationError, match="sudah diterima Inspektorat"):
        follow(k, row, status="selesai", versi=5)


@pytest.mark.parametrize("who", ["perencana", "pimpinan", "bappeda", "inspektorat_lain"])
def test_only_the_pemdas_inspektorat_verifies(k, who):
    row = add(k)
    follow(k, row, status="selesai", versi=1)
    with pytest.raises(PermissionDenied, match="Hanya Inspektorat"):
        rekomendasi_verifikasi(
            user=getattr(k.u, who), rekomendasi=row, verifikasi="diterima", versi=2
        )
    assert Rekomendasi.objects.get().verifikasi == "belum"


def test_open_recommendations_and_the_dashboard_panel(k, django_assert_num_queries):
    accepted, open_one = add(k), add(k, komponen="2", uraian="Agar target IKU menantang.")
    follow(k, accepted, status="selesai", versi=1)
    rekomendasi_verifikasi(
        user=k.u.inspektorat, rekomendasi=accepted, verifikasi="diterima", versi=2
    )
    with django_assert_num_queries(1):
        found = open_recommendations(k.x.opd.pk)
    assert [(r.tahun, r.komponen, r.uraian) for r in found] == [
        (2024, "2", "Agar target IKU menantang.")
    ]
    assert found[0].href == f"/evaluasi/2024/opd/X/rekomendasi/#r-{open_one.pk}"
    panel = dashboard_panel(k.u.perencana, k.x.opd.pk)
    assert panel is not None and panel.count == 1
    assert panel.link_text == "Lihat dan tindak lanjuti rekomendasi"
    assert dashboard_panel(k.u.pimpinan, k.x.opd.pk).link_text.startswith("Lihat rekomendasi")
    assert dashboard_panel(k.u.perencana_y, k.x.opd.pk) is None  # another OPD's
    assert dashboard_panel(k.u.perencana_y, k.y.opd.pk) is None  # nothing open
