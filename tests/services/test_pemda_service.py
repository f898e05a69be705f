"""pemda_save / pemda_delete / plan_unit_ensure / opd_create_with_perencana: an admin creates
a Pemda, its Bappeda edits it and sets up its OPDs with their perencana accounts."""

import pytest
from django.contrib.auth.models import User

from renstra.models import JenisOpd, Opd, Pemda, Penugasan, Role
from renstra.pemda import opd_create_with_perencana, pemda_delete, pemda_save, plan_unit_ensure
from renstra.permissions import user_role
from tests.kabupaten_world import kabupaten
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    return kabupaten()


def test_only_an_admin_creates_a_pemda(k):
    refused(
        lambda: pemda_save(user=k.u.bappeda, obj=Pemda(kode="BARU", nama="Baru")),
        "Hanya admin yang dapat membuat pemerintah daerah baru",
    )
    assert not Pemda.objects.filter(kode="BARU").exists()
    pemda_save(user=k.u.admin, obj=Pemda(kode="BARU", nama="Baru"))
    assert Pemda.objects.filter(kode="BARU").exists()


def test_only_the_pemdas_own_bappeda_edits_it(k):
    k.lain.kepala_daerah_nama = "Diubah"
    refused(lambda: pemda_save(user=k.u.bappeda, obj=k.lain), "Hanya Bappeda pemerintah daerah ini")
    refused(lambda: pemda_save(user=k.u.inspektorat, obj=k.pemda), "Hanya Bappeda")
    assert Pemda.objects.get(pk=k.lain.pk).kepala_daerah_nama == ""
    k.pemda.kepala_daerah_nama = "H. ABDUL HADI"
    pemda_save(user=k.u.bappeda, obj=k.pemda)
    assert Pemda.objects.get(pk=k.pemda.pk).kepala_daerah_nama == "H. ABDUL HADI"


def test_an_impossible_due_date_is_refused(k):
    k.pemda.tenggat_opd_bulan, k.pemda.tenggat_opd_hari = 2, 30
    invalid(lambda: pemda_save(user=k.u.bappeda, obj=k.pemda), "Tanggal tenggat LAKIP OPD")
    assert Pemda.objects.get(pk=k.pemda.pk).tenggat_opd_hari == 28


def test_a_stale_edit_of_the_pemda_is_refused(k):
    pemda_save(user=k.u.bappeda, obj=Pemda.objects.get(pk=k.pemda.pk), versi=1)
    stale = Pemda.objects.get(pk=k.pemda.pk)
    stale.provinsi = "Lama"
    invalid(lambda: pemda_save(user=k.u.bappeda, obj=stale, versi=1), "telah diubah")
    assert Pemda.objects.get(pk=k.pemda.pk).provinsi == "Kalimantan Selatan"


def test_only_an_admin_deletes_a_pemda_and_never_one_with_opds(k):
    empty = Pemda.objects.create(kode="KOSONG", nama="Kosong")
    refused(lambda: pemda_delete(user=k.u.bappeda, obj=empty), "Hanya admin")
    invalid(lambda: pemda_delete(user=k.u.admin, obj=k.pemda), "masih memiliki OPD")
    assert Pemda.objects.filter(pk=k.pemda.pk).exists()
    pemda_delete(user=k.u.admin, obj=empty)
    assert not Pemda.objects.filter(pk=empty.pk).exists()


def test_the_plan_unit_is_set_up_by_bappeda_once(k):
    baru = Pemda.objects.create(kode="BARU", nama="Baru")
    refused(lambda: plan_unit_ensure(user=k.u.bappeda, pemda=baru), "Hanya Bappeda")
    unit = plan_unit_ensure(user=k.u.admin, pemda=baru)
    assert (unit.kode, unit.jenis, unit.pemda) == ("BARU", JenisOpd.PEMDA, baru)
    assert plan_unit_ensure(user=k.u.admin, pemda=baru) == unit
    assert Opd.objects.filter(pemda=baru).count() == 1


def test_a_plan_unit_whose_kode_an_opd_holds_is_refused_with_a_message(k):
    baru = Pemda.objects.create(kode="X", nama="Baru")  # "X" is an OPD's kode already
    invalid(lambda: plan_unit_ensure(user=k.u.admin, pemda=baru), "kode")
    assert not Opd.objects.filter(pemda=baru).exists()


def create(k, user, **kwargs):
    values = {
        "pemda": k.pemda,
        "kode": "DINKES",
        "nama": "Dinas Kesehatan",
        "username": "perencana_dinkes",
        "password": "Rahasia-Dinkes-2025",
    }
    values.update(kwargs)
    return lambda: opd_create_with_perencana(user=user, **values)


def test_bappeda_creates_an_opd_of_its_pemda_with_its_perencana(k):
    made = create(k, k.u.bappeda)()
    opd = Opd.objects.get(kode="DINKES")
    assert (opd.pemda, opd.jenis) == (k.pemda, JenisOpd.OPD)
    account = User.objects.get(username="perencana_dinkes")
    assert made.perencana == account and account.check_password("Rahasia-Dinkes-2025")
    assert user_role(account) == Role.PERENCANA
    assert Penugasan.objects.get(user=account).opd == opd


def test_only_bappeda_of_that_pemda_creates_its_opds(k):
    for user in (k.u.bappeda_lain, k.u.inspektorat, k.u.perencana, k.u.kepala_daerah):
        refused(create(k, user), "Hanya Bappeda pemerintah daerah ini")
    assert not Opd.objects.filter(kode="DINKES").exists()
    assert not User.objects.filter(username="perencana_dinkes").exists()


def test_an_opd_without_a_name_or_with_a_taken_kode_is_refused(k):
    invalid(create(k, k.u.bappeda, nama=""), "nama")
    invalid(create(k, k.u.bappeda, kode="X"), "kode")
    assert not User.objects.filter(username="perencana_dinkes").exists()


def test_a_taken_or_invalid_username_leaves_no_opd(k):
    invalid(create(k, k.u.bappeda, username="kabid"), "sudah ada")
    invalid(create(k, k.u.bappeda, username="nama dengan spasi"), "username")
    assert not Opd.objects.filter(kode="DINKES").exists()


def test_a_weak_password_leaves_no_opd_and_no_account(k):
    invalid(create(k, k.u.bappeda, password="12345678"), "terlalu umum|seluruhnya angka")
    assert not Opd.objects.filter(kode="DINKES").exists()
    assert not User.objects.filter(username="perencana_dinkes").exists()


def test_bappeda_never_changes_its_pemdas_kode(k):
    k.pemda.kode = "BARU"
    refused(lambda: pemda_save(user=k.u.bappeda, obj=k.pemda), "tidak berhak mengubah kode")
    assert Pemda.objects.get(pk=k.pemda.pk).kode == "KAB"
