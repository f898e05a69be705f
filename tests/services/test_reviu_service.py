"""reviu_add / reviu_edit / reviu_delete: the Inspektorat of the OPD's Pemda writes review
notes on a LAKIP, inside the Renstra period; only the author changes or deletes one; a stale
edit is refused; a locked (final) year still takes notes, since they change no figure."""

import pytest

from renstra.services import year_lock
from reporting.models import CatatanReviu
from reporting.reviu import reviu_add, reviu_delete, reviu_edit
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
