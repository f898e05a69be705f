"""anggaran_pk_save / anggaran_pk_delete: the PK budget of a sasaran."""

from decimal import Decimal

import pytest

from renstra.models import AnggaranPk
from renstra.services import anggaran_pk_delete, anggaran_pk_save
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def fresh(row: AnggaranPk) -> AnggaranPk:
    return AnggaranPk.objects.get(pk=row.pk)


def test_only_the_opds_perencana_writes_a_pk_budget(w):
    row = fresh(w.y.anggaran_pk)
    row.jumlah = Decimal(1)
    refused(lambda: anggaran_pk_save(user=w.u.perencana, obj=row, versi=1), "mengubah anggaran")
    mine = fresh(w.x.anggaran_pk)
    mine.jumlah = Decimal(600)
    anggaran_pk_save(user=w.u.perencana, obj=mine, versi=1)
    assert (fresh(w.x.anggaran_pk).jumlah, fresh(w.y.anggaran_pk).jumlah) == (600, 500)


def test_a_pk_budget_respects_period_lock_version_and_bounds(w):
    outside = AnggaranPk(sasaran=w.x.sasaran, tahun=2019, jumlah=Decimal(1))
    invalid(lambda: anggaran_pk_save(user=w.u.perencana, obj=outside), "di luar periode")
    stale = fresh(w.x.anggaran_pk)
    stale.jumlah = Decimal(2)
    invalid(lambda: anggaran_pk_save(user=w.u.perencana, obj=stale, versi=0), "sudah diubah")
    negative = fresh(w.x.anggaran_pk)
    negative.jumlah = Decimal("123456789012345678")
    invalid(lambda: anggaran_pk_save(user=w.u.perencana, obj=negative, versi=1), "terlalu")
    lock(w)
    locked = fresh(w.x.anggaran_pk)
    locked.jumlah = Decimal(3)
    invalid(lambda: anggaran_pk_save(user=w.u.perencana, obj=locked, versi=1), "dikunci")
    assert fresh(w.x.anggaran_pk).jumlah == Decimal(500)


def test_a_pk_budget_is_deleted_only_when_open_and_own(w):
    refused(
        lambda: anggaran_pk_delete(user=w.u.perencana, obj=w.y.anggaran_pk),
        "Hanya perencana OPD ini yang dapat mengubah anggaran",
    )
    lock(w)
    invalid(lambda: anggaran_pk_delete(user=w.u.perencana, obj=w.x.anggaran_pk), "dikunci")
    assert AnggaranPk.objects.count() == 2
