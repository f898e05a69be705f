"""reviu_add / reviu_edit / reviu_delete: the Inspektorat of the OPD's Pemda writes review
notes on a LAKIP, inside the Renstra period; only the author changes or deletes one; a stale
edit is refused; a locked (final) year still takes notes, since they change no figure."""

import pytest

from kabupaten.reviu import reviu_add, reviu_delete, reviu_edit
from renstra.services import year_lock
from reporting.models import CatatanReviu
from tests.kabupaten_world import SYSTEM, kabupaten
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    return kabupaten()


def add(k, user=None, **kwargs):
    values = {"opd": k.x.opd, "tahun": 2024, "teks": "Target IKU belum selaras dengan PK."}
    values.update(kwargs)
    return reviu_add(user=user or k.u.inspektorat, **values)


def test_the_inspektorat_writes_a_note_on_any_opd_of_its_pemda(k):
    note = add(k)
    add(k, opd=k.y.opd)
    stored = CatatanReviu.objects.get(pk=note.pk)
    assert (stored.opd, stored.tahun, stored.penulis) == (k.x.opd, 2024, k.u.inspektorat)
    assert CatatanReviu.objects.count() == 2


def test_nobody_else_writes_a_note(k):
    for user in (k.u.bappeda, k.u.kepala_daerah, k.u.perencana, k.u.pimpinan, k.u.kabid):
        refused(lambda user=user: add(k, user=user), "Hanya Inspektorat")
    refused(lambda: add(k, opd=k.z.opd), "Hanya Inspektorat")  # another Pemda's OPD
    assert not CatatanReviu.objects.exists()


def test_a_note_outside_the_renstra_period_is_refused(k):
    invalid(lambda: add(k, tahun=2030), "di luar periode Renstra 2021–2026")
    assert not CatatanReviu.objects.exists()


def test_an_empty_note_is_refused(k):
    invalid(lambda: add(k, teks="   "), "Catatan reviu tidak boleh kosong")
    note = add(k)
    invalid(lambda: reviu_edit(user=k.u.inspektorat, obj=note, teks=""), "tidak boleh kosong")
    assert CatatanReviu.objects.get(pk=note.pk).teks.startswith("Target IKU")


def test_a_final_locked_year_still_takes_notes(k):
    year_lock(user=SYSTEM, opd=k.x.opd, tahun=2024, alasan="LAKIP final")
    assert add(k).pk is not None


def test_only_the_author_edits_and_a_stale_edit_is_refused(k):
    from renstra.models import Role
    from tests.factories import make_user

    other = make_user("inspektorat2", Role.INSPEKTORAT, opd=k.rpjmd.unit)
    note = add(k)
    refused(lambda: reviu_edit(user=other, obj=note, teks="Diubah"), "Hanya penulis catatan reviu")
    reviu_edit(user=k.u.inspektorat, obj=note, teks="Diperbaiki", versi=1)
    invalid(
        lambda: reviu_edit(user=k.u.inspektorat, obj=note, teks="Lama", versi=1), "telah diubah"
    )
    assert CatatanReviu.objects.get(pk=note.pk).teks == "Diperbaiki"


def test_only_the_author_deletes_a_note(k):
    note = add(k)
    refused(lambda: reviu_delete(user=k.u.bappeda, obj=note), "Hanya penulis")
    assert CatatanReviu.objects.filter(pk=note.pk).exists()
    reviu_delete(user=k.u.inspektorat, obj=note)
    assert not CatatanReviu.objects.exists()


# --- the follow-up: the OPD answers, the Inspektorat closes -----------------------------------


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.evidence_files import pdf

    return SimpleUploadedFile("tindak-lanjut.pdf", pdf(), content_type="application/pdf")


def test_only_the_opds_perencana_answers_a_note(k):
    from kabupaten.reviu import reviu_respond
    from reporting.models import StatusReviu

    note = add(k)
    for user in (k.u.perencana_y, k.u.kabid, k.u.pimpinan, k.u.inspektorat):
        refused(
            lambda user=user: reviu_respond(user=user, obj=note, tanggapan="Sudah", versi=1),
            "Hanya perencana OPD ini",
        )
    invalid(lambda: reviu_respond(user=k.u.perencana, obj=note, tanggapan=" ", versi=1), "kosong")
    assert CatatanReviu.objects.get(pk=note.pk).status == StatusReviu.TERBUKA

    reviu_respond(user=k.u.perencana, obj=note, tanggapan="PK direvisi.", bukti=_pdf(), versi=1)

    stored = CatatanReviu.objects.get(pk=note.pk)
    assert (stored.status, stored.tanggapan, stored.tanggapan_oleh) == (
        StatusReviu.DITINDAKLANJUTI,
        "PK direvisi.",
        k.u.perencana,
    )
    assert stored.bukti.name.endswith(".pdf") and stored.bukti_nama == "tindak-lanjut.pdf"


def test_an_answer_with_a_stale_version_or_a_bad_file_is_refused(k):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kabupaten.reviu import reviu_respond

    note = add(k)
    reviu_edit(user=k.u.inspektorat, obj=note, teks="Diperjelas", versi=1)
    invalid(
        lambda: reviu_respond(user=k.u.perencana, obj=note, tanggapan="Sudah", versi=1),
        "telah diubah",
    )
    from tests.evidence_files import HTML

    html = SimpleUploadedFile("bukti.pdf", HTML)
    invalid(
        lambda: reviu_respond(user=k.u.perencana, obj=note, tanggapan="Sudah", bukti=html, versi=2),
        "Jenis berkas tidak diizinkan",
    )
    assert CatatanReviu.objects.get(pk=note.pk).tanggapan == ""


def test_the_inspektorat_closes_only_an_answered_note(k):
    from kabupaten.reviu import reviu_close, reviu_respond
    from reporting.models import StatusReviu

    note = add(k)
    invalid(lambda: reviu_close(user=k.u.inspektorat, obj=note, versi=1), "setelah OPD")
    reviu_respond(user=k.u.perencana, obj=note, tanggapan="PK direvisi.", versi=1)
    refused(lambda: reviu_close(user=k.u.perencana, obj=note, versi=2), "Hanya Inspektorat")
    invalid(lambda: reviu_close(user=k.u.inspektorat, obj=note, versi=1), "telah diubah")

    reviu_close(user=k.u.inspektorat, obj=note, versi=2)

    stored = CatatanReviu.objects.get(pk=note.pk)
    assert (stored.status, stored.ditutup_oleh) == (StatusReviu.SELESAI, k.u.inspektorat)
    invalid(
        lambda: reviu_respond(user=k.u.perencana, obj=note, tanggapan="Lagi", versi=3),
        "sudah ditutup",
    )


def test_an_answered_note_is_neither_edited_nor_deleted_by_its_author(k):
    from kabupaten.reviu import reviu_respond

    note = add(k)
    reviu_respond(user=k.u.perencana, obj=note, tanggapan="PK direvisi.", versi=1)
    invalid(lambda: reviu_edit(user=k.u.inspektorat, obj=note, teks="Lain", versi=2), "ditanggapi")
    invalid(lambda: reviu_delete(user=k.u.inspektorat, obj=note), "ditanggapi")
    assert CatatanReviu.objects.get(pk=note.pk).teks.startswith("Target IKU")
