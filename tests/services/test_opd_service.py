"""opd_save / opd_delete: only an admin creates or deletes an OPD; its perencana edits it."""

import pytest

from renstra.models import Opd
from renstra.services import opd_delete, opd_save
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


def test_only_an_admin_creates_an_opd(w):
    refused(
        lambda: opd_save(user=w.u.perencana, obj=Opd(kode="BARU", nama="Dinas Baru")),
        "Hanya admin yang dapat membuat perangkat daerah baru",
    )
    assert not Opd.objects.filter(kode="BARU").exists()
    opd_save(user=w.u.admin, obj=Opd(kode="BARU", nama="Dinas Baru"))
    assert Opd.objects.filter(kode="BARU").exists()


def test_a_perencana_edits_only_their_own_opd(w):
    w.y.opd.nama = "Diubah"
    refused(lambda: opd_save(user=w.u.perencana, obj=w.y.opd), "Hanya perencana OPD ini")
    w.x.opd.nama = "Dinas X yang baru"
    opd_save(user=w.u.perencana, obj=w.x.opd)
    assert Opd.objects.get(pk=w.y.opd.pk).nama != "Diubah"
    assert Opd.objects.get(pk=w.x.opd.pk).nama == "Dinas X yang baru"


def test_an_opd_without_a_name_is_refused(w):
    invalid(lambda: opd_save(user=w.u.admin, obj=Opd(kode="KOSONG", nama="")), "nama")
    assert not Opd.objects.filter(kode="KOSONG").exists()


def test_only_an_admin_deletes_an_opd_and_never_with_a_locked_year(w):
    from tests.services.conftest import lock

    refused(lambda: opd_delete(user=w.u.perencana, obj=w.x.opd), "Hanya admin")
    lock(w, side="y")
    invalid(lambda: opd_delete(user=w.u.admin, obj=w.y.opd), "Tahun 2024 dikunci")
    assert Opd.objects.filter(pk__in=[w.x.opd.pk, w.y.opd.pk]).count() == 2


def test_a_perencana_never_changes_who_owns_its_opd_or_its_kode(w):
    """Issue #19: the object check let a perencana move its own OPD into another Pemda."""
    from renstra.models import Pemda

    lain = Pemda.objects.create(kode="LAIN", nama="Lain")
    w.x.opd.pemda = lain
    refused(lambda: opd_save(user=w.u.perencana, obj=w.x.opd), "tidak berhak mengubah")
    w.x.opd.refresh_from_db()
    w.x.opd.kode = "X2"
    refused(lambda: opd_save(user=w.u.perencana, obj=w.x.opd), "tidak berhak mengubah kode")
    assert Opd.objects.get(pk=w.x.opd.pk).kode == "X"
    assert Opd.objects.get(pk=w.x.opd.pk).pemda_id != lain.pk
