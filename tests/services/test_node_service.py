"""node_save / node_delete for every level of the tree."""

import pytest

from renstra.models import Kegiatan, Program, Sasaran, Tujuan
from renstra.services import node_delete, node_save
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def test_a_node_is_added_only_to_the_own_opds_tree(w):
    refused(
        lambda: node_save(user=w.u.perencana, obj=Tujuan(periode=w.y.periode, nama="T")),
        "Hanya perencana OPD ini yang dapat mengubah Renstra",
    )
    refused(
        lambda: node_save(user=w.u.perencana, obj=Kegiatan(program=w.y.program, nama="K")),
        "Hanya perencana OPD ini",
    )
    node_save(user=w.u.perencana, obj=Kegiatan(program=w.x.program, nama="Kegiatan baru"))
    assert Kegiatan.objects.filter(nama="Kegiatan baru", periode=w.x.periode).exists()
    assert not Tujuan.objects.filter(nama="T").exists()


def test_a_node_cannot_be_moved_in_from_another_opd(w):
    w.y.sasaran.tujuan = w.x.tujuan
    refused(lambda: node_save(user=w.u.perencana, obj=w.y.sasaran), "Hanya perencana OPD ini")
    assert Sasaran.objects.get(pk=w.y.sasaran.pk).periode == w.y.periode


def test_a_kabid_or_pimpinan_changes_no_node(w):
    for user in (w.u.kabid, w.u.pimpinan):
        w.x.tujuan.nama = "Diubah"
        refused(lambda user=user: node_save(user=user, obj=w.x.tujuan), "Hanya perencana")
    assert Tujuan.objects.get(pk=w.x.tujuan.pk).nama != "Diubah"


def test_a_bidang_of_another_opd_is_refused(w):
    w.x.program.bidang = w.y.a
    invalid(lambda: node_save(user=w.u.perencana, obj=w.x.program), "Bidang harus dari OPD")
    assert Program.objects.get(pk=w.x.program.pk).bidang == w.x.a


def test_a_node_carrying_a_locked_year_is_not_deleted(w):
    lock(w)
    invalid(lambda: node_delete(user=w.u.admin, obj=w.x.kegiatan.program), "Tahun 2024 dikunci")
    refused(lambda: node_delete(user=w.u.perencana, obj=w.y.kegiatan), "Hanya perencana")
    assert Program.objects.filter(pk=w.x.program.pk).exists()
    assert Kegiatan.objects.filter(pk=w.y.kegiatan.pk).exists()


def test_a_planner_deletes_a_leaf_node_of_their_own(w):
    node_delete(user=w.u.perencana, obj=w.x.kegiatan)
    assert not Kegiatan.objects.filter(pk=w.x.kegiatan.pk).exists()
