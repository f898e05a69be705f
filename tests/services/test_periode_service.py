"""periode_save / periode_delete: own OPD only; a period cannot shrink past its data."""

import pytest

from renstra.models import PeriodeRenstra
from renstra.services import periode_delete, periode_save
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def test_a_period_is_added_only_to_the_own_opd(w):
    new = PeriodeRenstra(opd=w.y.opd, tahun_awal=2027, tahun_akhir=2031)
    refused(lambda: periode_save(user=w.u.perencana, obj=new), "Hanya perencana OPD ini")
    periode_save(
        user=w.u.perencana, obj=PeriodeRenstra(opd=w.x.opd, tahun_awal=2027, tahun_akhir=2031)
    )
    assert PeriodeRenstra.objects.filter(opd=w.x.opd, tahun_awal=2027).exists()
    assert not PeriodeRenstra.objects.filter(opd=w.y.opd, tahun_awal=2027).exists()


def test_an_end_before_the_start_is_refused(w):
    bad = PeriodeRenstra(opd=w.x.opd, tahun_awal=2030, tahun_akhir=2028)
    invalid(lambda: periode_save(user=w.u.perencana, obj=bad), "Tahun akhir tidak boleh")


def test_a_period_cannot_shrink_past_its_targets_realisasi_and_budgets(w):
    periode = w.x.periode
    periode.tahun_awal = 2024
    invalid(lambda: periode_save(user=w.u.perencana, obj=periode), "tahun 2023 di luar")
    assert PeriodeRenstra.objects.get(pk=periode.pk).tahun_awal == 2021
    periode.tahun_awal, periode.tahun_akhir = 2021, 2025
    periode_save(user=w.u.perencana, obj=periode)
    assert PeriodeRenstra.objects.get(pk=periode.pk).tahun_akhir == 2025


def test_deleting_a_period_with_a_locked_year_removes_nothing(w):
    lock(w)
    invalid(lambda: periode_delete(user=w.u.admin, obj=w.x.periode), "Tahun 2024 dikunci")
    refused(lambda: periode_delete(user=w.u.perencana, obj=w.y.periode), "Hanya perencana")
    assert PeriodeRenstra.objects.count() == 2
