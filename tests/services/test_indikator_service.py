"""indikator_save / indikator_delete: definitions belong to the OPD's perencana; what decides
a locked year's capaian (polarity, formula, accumulation) is frozen with it."""

import pytest

from indicators.models import Indikator, Realisasi
from indicators.services.indikator import indikator_delete, indikator_save
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def fresh(ind: Indikator) -> Indikator:
    return Indikator.objects.get(pk=ind.pk)


def test_only_the_opds_perencana_defines_indicators(w):
    for user in (w.u.kabid, w.u.pimpinan, w.u.perencana_y):
        ind = fresh(w.x.indikator)
        ind.nama = "Diubah"
        refused(
            lambda user=user, ind=ind: indikator_save(user=user, obj=ind, versi=1),
            "Hanya perencana OPD ini",
        )
    assert fresh(w.x.indikator).nama == "IDG X"


def test_an_indicator_cannot_be_moved_into_another_opds_tree(w):
    ind = fresh(w.y.indikator)
    ind.sasaran = w.x.sasaran
    refused(lambda: indikator_save(user=w.u.perencana, obj=ind, versi=1), "Hanya perencana")
    assert fresh(w.y.indikator).periode == w.y.periode


def test_a_stale_definition_is_refused(w):
    first = fresh(w.x.indikator)
    first.satuan = "poin"
    indikator_save(user=w.u.perencana, obj=first, versi=1)
    second = fresh(w.x.indikator)
    second.satuan = "persen"
    invalid(lambda: indikator_save(user=w.u.perencana, obj=second, versi=1), "sudah diubah")
    assert (fresh(w.x.indikator).satuan, fresh(w.x.indikator).versi) == ("poin", 2)


def test_an_iku_below_a_sasaran_and_a_foreign_bidang_are_refused(w):
    ind = fresh(w.x.indikator)
    ind.bidang = w.y.a
    invalid(lambda: indikator_save(user=w.u.perencana, obj=ind, versi=1), "Bidang harus dari OPD")
    program_iku = Indikator(program=w.x.program, nama="IKU program", jenis="IKU")
    invalid(lambda: indikator_save(user=w.u.perencana, obj=program_iku), "IKU hanya untuk")


def test_polarity_is_frozen_while_a_year_with_its_realisasi_is_locked(w):
    lock(w)
    ind = fresh(w.x.indikator)
    ind.polaritas = "negatif"
    invalid(
        lambda: indikator_save(user=w.u.perencana, obj=ind, versi=1),
        "tidak dapat diubah: realisasi tahun 2024 sudah dikunci",
    )
    ind = fresh(w.x.indikator)
    ind.makna = "Makna baru"
    indikator_save(user=w.u.perencana, obj=ind, versi=1)
    assert (fresh(w.x.indikator).polaritas, fresh(w.x.indikator).makna) == ("positif", "Makna baru")


def test_an_indicator_with_a_locked_year_or_realisasi_is_not_deleted(w):
    refused(
        lambda: indikator_delete(user=w.u.perencana, obj=w.x.indikator),
        "tidak berhak menghapus realisasi",
    )
    refused(lambda: indikator_delete(user=w.u.perencana, obj=w.y.other_bidang), "Hanya perencana")
    lock(w)
    invalid(lambda: indikator_delete(user=w.u.admin, obj=w.x.indikator), "Tahun 2024 dikunci")
    assert Indikator.objects.filter(pk=w.x.indikator.pk).exists()
    assert Realisasi.objects.filter(indikator=w.x.indikator).count() == 2
