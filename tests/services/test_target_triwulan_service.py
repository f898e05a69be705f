"""target_triwulan_set / _save / _delete (rencana aksi): the OPD's planner, a year of the
period, an open year, the shown version, storable values, quarterly indicators only."""

from decimal import Decimal

import pytest

from indicators.models import Frekuensi, TargetTriwulan
from indicators.rencana_aksi import (
    QuarterTarget,
    target_triwulan_check_many,
    target_triwulan_delete,
    target_triwulan_save,
    target_triwulan_set,
    target_triwulan_set_many,
)
from renstra.door import StaleEdit
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def put(w, user, value, *, versi=0, tahun=2024, periode="tw1", ind=None):
    return target_triwulan_set(
        user=user,
        indikator=ind or w.x.indikator,
        tahun=tahun,
        values=[QuarterTarget(periode, None if value is None else Decimal(value), versi)],
    )


def stored(w) -> dict[str, Decimal]:
    return dict(
        TargetTriwulan.objects.filter(indikator=w.x.indikator).values_list("periode", "nilai")
    )


def test_only_the_opds_planner_sets_quarterly_targets(w):
    for user in (w.u.kabid, w.u.pimpinan, w.u.perencana_y):
        refused(lambda user=user: put(w, user, "18"), "Hanya perencana OPD ini")
    assert stored(w) == {}
    put(w, w.u.perencana, "18,5".replace(",", "."))
    assert stored(w) == {"tw1": Decimal("18.5")}


def test_a_year_outside_the_period_and_a_locked_year_are_refused(w):
    invalid(lambda: put(w, w.u.perencana, "1", tahun=2030), "di luar periode Renstra")
    lock(w)
    invalid(lambda: put(w, w.u.perencana, "1"), "Tahun 2024 dikunci")
    assert stored(w) == {}


def test_an_annual_only_indicator_takes_no_quarterly_target(w):
    w.x.indikator.frekuensi = Frekuensi.TAHUNAN
    w.x.indikator.save()
    invalid(lambda: put(w, w.u.perencana, "1"), "hanya dilaporkan tahunan")
    assert stored(w) == {}


def test_a_stale_version_is_refused(w):
    put(w, w.u.perencana, "18")
    refused(lambda: put(w, w.u.perencana, "19", versi=0), "telah diubah", StaleEdit)
    put(w, w.u.perencana, "19", versi=1)
    assert stored(w) == {"tw1": Decimal(19)}


def test_a_bad_period_and_an_unstorable_value_are_refused(w):
    invalid(lambda: put(w, w.u.perencana, "1", periode="tahunan"), "harus TW I–IV")
    invalid(lambda: put(w, w.u.perencana, "1.1234567"), "6 decimal|6 angka desimal|6 digit")
    assert stored(w) == {}


def test_none_removes_a_quarter_and_history_keeps_it(w):
    put(w, w.u.perencana, "18")
    put(w, w.u.perencana, None, versi=1)
    assert stored(w) == {}
    assert TargetTriwulan.history.count() == 2


def test_the_single_row_adapters_keep_the_rules(w):
    put(w, w.u.perencana, "18")
    row = TargetTriwulan.objects.get()
    row.nilai = Decimal(20)
    refused(lambda: target_triwulan_save(user=w.u.kabid, obj=row), "Hanya perencana")
    target_triwulan_save(user=w.u.perencana, obj=row, versi=1)
    assert stored(w) == {"tw1": Decimal(20)}
    row = TargetTriwulan.objects.get()
    row.tahun = 2023
    lock(w)
    invalid(lambda: target_triwulan_save(user=w.u.perencana, obj=row), "Tahun 2024 dikunci")
    row = TargetTriwulan.objects.get()
    row.indikator = w.y.indikator
    refused(lambda: target_triwulan_save(user=w.u.perencana_y, obj=row), "Hanya perencana")
    refused(lambda: target_triwulan_delete(user=w.u.kabid, obj=row), "Hanya perencana")
    invalid(lambda: target_triwulan_delete(user=w.u.admin, obj=row), "dikunci")
    assert stored(w) == {"tw1": Decimal(20)}


def test_the_dry_run_names_each_refusal_per_indicator_and_writes_nothing(w):
    """The workbook preview's check: the same guards as the write, nothing kept — not even
    the items that would be saved."""
    put(w, w.u.perencana, "18")
    items = [
        (w.x.indikator, 2024, [QuarterTarget("tw1", Decimal(19), 0)]),  # stale (now 1)
        (w.y.indikator, 2024, [QuarterTarget("tw2", Decimal(5), 0)]),  # another OPD's
    ]
    refusals = target_triwulan_check_many(user=w.u.perencana, items=items)
    assert list(refusals) == [w.x.indikator.pk, w.y.indikator.pk]
    assert "telah diubah" in refusals[w.x.indikator.pk][0]
    assert "Hanya perencana" in refusals[w.y.indikator.pk][0]
    unstorable = [(w.x.indikator, 2024, [QuarterTarget("tw2", Decimal("1.1234567"), 0)])]
    assert target_triwulan_check_many(user=w.u.perencana, items=unstorable)[w.x.indikator.pk][
        0
    ].startswith("Triwulan II: ")
    ok = [(w.x.indikator, 2024, [QuarterTarget("tw3", Decimal(7), 0)])]
    assert target_triwulan_check_many(user=w.u.perencana, items=ok) == {}
    assert stored(w) == {"tw1": Decimal(18)}
    assert TargetTriwulan.history.count() == 1


def test_set_many_writes_nothing_when_one_item_is_refused(w):
    items = [
        (w.x.indikator, 2024, [QuarterTarget("tw3", Decimal(7), 0)]),
        (w.y.indikator, 2024, [QuarterTarget("tw2", Decimal(5), 0)]),
    ]
    refused(lambda: target_triwulan_set_many(user=w.u.perencana, items=items), "Hanya perencana")
    assert not TargetTriwulan.objects.exists()
