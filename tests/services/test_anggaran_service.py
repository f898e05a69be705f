"""anggaran_save / anggaran_delete: perencana of the node's OPD, period, locks (new and stored
year), stale version, bounds."""

from decimal import Decimal

import pytest

from renstra.models import Anggaran
from renstra.services import anggaran_delete, anggaran_save
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def fresh(budget: Anggaran) -> Anggaran:
    return Anggaran.objects.get(pk=budget.pk)


def test_only_the_opds_perencana_writes_a_budget(w):
    for user in (w.u.kabid, w.u.pimpinan, w.u.perencana_y):
        budget = fresh(w.x.anggaran)
        budget.pagu = Decimal(1)
        refused(
            lambda user=user, budget=budget: anggaran_save(user=user, obj=budget, versi=1),
            "Hanya perencana OPD ini yang dapat mengubah anggaran",
        )
    assert fresh(w.x.anggaran).pagu == Decimal(1000000)


def test_a_budget_is_written_with_history_and_a_new_version(w):
    budget = fresh(w.x.anggaran)
    budget.pagu = Decimal("1200000")
    anggaran_save(user=w.u.perencana, obj=budget, versi=1)
    stored = fresh(w.x.anggaran)
    assert (stored.pagu, stored.versi) == (Decimal("1200000"), 2)
    assert stored.history.latest("history_date").history_user == w.u.perencana


def test_a_budget_outside_the_period_is_refused(w):
    budget = Anggaran(program=w.x.program, tahun=2030, pagu=Decimal(1))
    invalid(lambda: anggaran_save(user=w.u.perencana, obj=budget), "di luar periode Renstra")


def test_a_budget_of_a_locked_year_is_refused_and_cannot_leave_it(w):
    lock(w)
    budget = fresh(w.x.anggaran)
    budget.pagu = Decimal(5)
    invalid(lambda: anggaran_save(user=w.u.perencana, obj=budget, versi=1), "Tahun 2024 dikunci")
    moved = fresh(w.x.anggaran)
    moved.tahun = 2025
    invalid(lambda: anggaran_save(user=w.u.perencana, obj=moved, versi=1), "Tahun 2024 dikunci")
    assert (fresh(w.x.anggaran).tahun, fresh(w.x.anggaran).pagu) == (2024, Decimal(1000000))


def test_a_stale_budget_form_is_refused_with_the_newer_value(w):
    budget = fresh(w.x.anggaran)
    budget.pagu = Decimal(7)
    anggaran_save(user=w.u.perencana, obj=budget, versi=1)
    stale = fresh(w.x.anggaran)
    stale.pagu = Decimal(9)
    invalid(
        lambda: anggaran_save(user=w.u.perencana, obj=stale, versi=1),
        "sudah diubah oleh perencana menjadi pagu Rp 7",
    )
    assert fresh(w.x.anggaran).pagu == Decimal(7)


def test_a_negative_or_too_large_pagu_is_refused(w):
    for value, message in (
        (Decimal(-1), "Pagu tidak boleh negatif"),
        (Decimal("1E+17"), "terlalu"),
    ):
        budget = fresh(w.x.anggaran)
        budget.pagu = value
        invalid(
            lambda budget=budget: anggaran_save(user=w.u.perencana, obj=budget, versi=1), message
        )
    assert fresh(w.x.anggaran).pagu == Decimal(1000000)


def test_a_budget_of_a_locked_year_is_not_deleted(w):
    lock(w)
    invalid(lambda: anggaran_delete(user=w.u.admin, obj=w.x.anggaran), "Tahun 2024 dikunci")
    refused(lambda: anggaran_delete(user=w.u.perencana, obj=w.y.anggaran), "Hanya perencana")
    assert Anggaran.objects.count() == 2
