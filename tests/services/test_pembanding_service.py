"""pembanding_save / pembanding_delete: comparison values are the perencana's."""

from decimal import Decimal

import pytest

from indicators.models import Pembanding
from indicators.services.pendukung import pembanding_delete, pembanding_save
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def value(ind, tahun=2024, nilai="70") -> Pembanding:
    return Pembanding(indikator=ind, tahun=tahun, wilayah="Provinsi", nilai=Decimal(nilai))


def test_only_the_opds_perencana_records_comparisons(w):
    refused(lambda: pembanding_save(user=w.u.perencana, obj=value(w.y.indikator)), "Hanya")
    refused(lambda: pembanding_save(user=w.u.kabid, obj=value(w.x.indikator)), "Hanya")
    pembanding_save(user=w.u.perencana, obj=value(w.x.indikator))
    assert Pembanding.objects.get().indikator == w.x.indikator


def test_a_comparison_cannot_be_moved_from_another_opd(w):
    row = Pembanding.objects.create(indikator=w.y.indikator, tahun=2024, wilayah="P", nilai=1)
    row.indikator = w.x.indikator
    refused(lambda: pembanding_save(user=w.u.perencana, obj=row), "Hanya perencana")
    assert Pembanding.objects.get(pk=row.pk).indikator == w.y.indikator


def test_a_locked_year_and_bounds_are_refused(w):
    invalid(
        lambda: pembanding_save(user=w.u.perencana, obj=value(w.x.indikator, nilai="1E+20")),
        "terlalu besar",
    )
    lock(w)
    invalid(lambda: pembanding_save(user=w.u.perencana, obj=value(w.x.indikator)), "dikunci")
    assert not Pembanding.objects.exists()


def test_a_comparison_is_deleted_only_by_its_perencana_in_an_open_year(w):
    row = Pembanding.objects.create(indikator=w.x.indikator, tahun=2024, wilayah="P", nilai=1)
    refused(lambda: pembanding_delete(user=w.u.perencana_y, obj=row), "Hanya perencana")
    lock(w)
    invalid(lambda: pembanding_delete(user=w.u.perencana, obj=row), "Tahun 2024 dikunci")
    assert Pembanding.objects.filter(pk=row.pk).exists()
