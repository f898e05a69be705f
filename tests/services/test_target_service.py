"""target_save / target_set / target_set_many / target_delete: permission, period, locks of
the new and the stored year, stale version, text, bounds, and the ×10 confirmation."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import JenisTarget, Target
from indicators.services.target import (
    TargetChange,
    target_delete,
    target_save,
    target_set,
    target_set_many,
)
from renstra.door import NeedsConfirmation
from tests.factories import IndikatorFactory
from tests.services.conftest import SYSTEM, invalid, lock, refused, stored_target

pytestmark = pytest.mark.django_db


def edit(target: Target, **values) -> Target:
    row = stored_target(target)
    for key, value in values.items():
        setattr(row, key, value)
    return row


def test_only_the_opds_perencana_sets_targets(w):
    for user in (w.u.kabid, w.u.pimpinan, w.u.perencana_y):
        row = edit(w.x.target, nilai=Decimal(75))
        refused(lambda user=user, row=row: target_save(user=user, obj=row, versi=1), "Hanya")
    refused(
        lambda: target_set(
            user=w.u.perencana, indikator=w.y.indikator, tahun=2025, nilai=Decimal(1)
        ),
        "Hanya perencana OPD ini",
    )
    assert stored_target(w.x.target).nilai == Decimal("74.04")
    assert not Target.objects.filter(indikator=w.y.indikator, tahun=2025).exists()


def test_a_target_cannot_be_moved_from_another_opd(w):
    row = edit(w.y.target, indikator=w.x.indikator, tahun=2025)
    refused(lambda: target_save(user=w.u.perencana, obj=row, versi=1), "Hanya perencana")
    assert stored_target(w.y.target).indikator == w.y.indikator


def test_a_target_outside_the_period_is_refused(w):
    invalid(
        lambda: target_set(
            user=w.u.perencana, indikator=w.x.indikator, tahun=2027, nilai=Decimal(1), versi=0
        ),
        "Tahun 2027 di luar periode Renstra 2021–2026",
    )
    assert not Target.objects.filter(tahun=2027).exists()


def test_a_locked_year_is_refused_in_and_out(w):
    lock(w)
    invalid(
        lambda: target_save(user=w.u.perencana, obj=edit(w.x.target, nilai=Decimal(75)), versi=1),
        "Tahun 2024 dikunci: LAKIP final",
    )
    invalid(
        lambda: target_save(user=w.u.perencana, obj=edit(w.x.target, tahun=2025), versi=1),
        "Tahun 2024 dikunci",
    )
    invalid(
        lambda: target_set_many(
            user=w.u.perencana,
            changes=[TargetChange(w.x.indikator, 2024, Decimal(80), versi=1)],
        ),
        "Tahun 2024 dikunci",
    )
    assert (stored_target(w.x.target).tahun, stored_target(w.x.target).nilai) == (
        2024,
        Decimal("74.04"),
    )


def test_a_stale_target_is_refused_with_the_newer_value_and_who(w):
    target_save(user=w.u.perencana, obj=edit(w.x.target, nilai=Decimal(75)), versi=1)
    invalid(
        lambda: target_set(
            user=w.u.perencana, indikator=w.x.indikator, tahun=2024, nilai=Decimal(76), versi=1
        ),
        "sudah diubah oleh perencana menjadi 75",
    )
    assert (stored_target(w.x.target).nilai, stored_target(w.x.target).versi) == (75, 2)


def test_a_stale_delete_is_refused_too(w):
    target_save(user=w.u.perencana, obj=edit(w.x.target, nilai=Decimal(75)), versi=1)
    invalid(
        lambda: target_set(
            user=w.u.perencana, indikator=w.x.indikator, tahun=2024, nilai=None, versi=1
        ),
        "sudah diubah",
    )
    assert Target.objects.filter(pk=w.x.target.pk).exists()


def test_text_that_starts_like_a_number_must_be_a_number_or_a_range(w):
    for text, message in (("7x,4", "bukan angka yang valid"), ("74,5", "Angka diisi pada kolom")):
        invalid(
            lambda text=text: target_set(
                user=w.u.perencana,
                indikator=w.x.indikator,
                tahun=2025,
                nilai=None,
                nilai_teks=text,
                versi=0,
            ),
            message,
        )
    target_set(
        user=w.u.perencana,
        indikator=w.x.indikator,
        tahun=2025,
        nilai=None,
        nilai_teks="2,30–2,35",
        versi=0,
    )
    assert Target.objects.get(indikator=w.x.indikator, tahun=2025).nilai_teks == "2,30–2,35"


def test_a_value_the_column_cannot_hold_is_refused(w):
    invalid(
        lambda: target_save(
            user=w.u.perencana,
            obj=edit(w.x.target, nilai=Decimal("99999999999999.999999")),
            versi=1,
        ),
        "paling banyak 15 angka bermakna",
    )
    assert stored_target(w.x.target).nilai == Decimal("74.04")


def test_a_tenfold_jump_waits_for_confirmation(w):
    with pytest.raises(NeedsConfirmation, match="740,4 adalah ×10,00 dari 74,04"):
        target_save(user=w.u.perencana, obj=edit(w.x.target, nilai=Decimal("740.4")), versi=1)
    assert stored_target(w.x.target).nilai == Decimal("74.04")
    with pytest.raises(NeedsConfirmation, match=r"\(target 2023\)"):
        target_set(
            user=w.u.perencana,
            indikator=w.x.indikator,
            tahun=2024,
            jenis=JenisTarget.PK,
            nilai=Decimal("7.3"),
            versi=0,
        )
    target_save(
        user=w.u.perencana, obj=edit(w.x.target, nilai=Decimal("740.4")), versi=1, confirm=True
    )
    assert stored_target(w.x.target).nilai == Decimal("740.4")


def test_many_targets_cost_a_fixed_number_of_queries(w):
    indicators = [IndikatorFactory(sasaran=w.x.sasaran) for _ in range(3)]
    more = [IndikatorFactory(sasaran=w.x.sasaran) for _ in range(9)]

    def run(group):
        changes = [
            TargetChange(ind, year, Decimal(year - 2000), versi=0)
            for ind in group
            for year in (2025, 2026)
        ]
        with CaptureQueriesContext(connection) as queries:
            # A fresh user each run: the role is read once per user object.
            target_set_many(user=User.objects.get(pk=w.u.perencana.pk), changes=changes)
        return len(queries)

    assert run(indicators) == run(more)
    assert Target.objects.filter(indikator__in=more).count() == 18


def test_an_unchanged_cell_is_not_written(w):
    result = target_set_many(
        user=SYSTEM, changes=[TargetChange(w.x.indikator, 2024, Decimal("74.04"), versi=1)]
    )
    assert (result.unchanged, len(result.updated)) == (1, 0)
    assert stored_target(w.x.target).history.count() == 1


def test_a_target_of_a_locked_year_is_not_deleted(w):
    refused(lambda: target_delete(user=w.u.kabid, obj=w.x.target), "Hanya perencana")
    lock(w)
    invalid(lambda: target_delete(user=w.u.perencana, obj=w.x.target), "Tahun 2024 dikunci")
    assert Target.objects.filter(pk=w.x.target.pk).exists()


# --- a numeric indicator's target stays a number (finding 8) ----------------------------------

NOT_A_NUMBER = "bukan angka. Indikator ini berisi angka"


@pytest.mark.parametrize("text", ["abc", "NaN"])
def test_text_is_refused_as_a_numeric_indicators_target(w, text):
    invalid(
        lambda: target_set(
            user=w.u.perencana, indikator=w.x.indikator, tahun=2026, nilai=None, nilai_teks=text
        ),
        f"«{text}» {NOT_A_NUMBER}",
    )
    invalid(
        lambda: target_save(
            user=w.u.perencana, obj=edit(w.x.target, nilai=None, nilai_teks=text), versi=1
        ),
        NOT_A_NUMBER,
    )
    invalid(
        lambda: target_set_many(
            user=w.u.perencana,
            changes=[TargetChange(w.x.indikator, 2025, None, text, versi=0)],
        ),
        NOT_A_NUMBER,
    )
    assert stored_target(w.x.target).nilai == Decimal("74.04")
    assert not Target.objects.filter(indikator=w.x.indikator, tahun__in=[2025, 2026]).exists()


def test_an_indicator_with_only_realisasi_numbers_is_numeric(w):
    Target.objects.filter(indikator=w.x.indikator).delete()
    invalid(
        lambda: target_set(
            user=w.u.perencana, indikator=w.x.indikator, tahun=2026, nilai=None, nilai_teks="abc"
        ),
        NOT_A_NUMBER,
    )
    assert not Target.objects.filter(indikator=w.x.indikator).exists()


def test_numbers_in_the_same_batch_make_an_indicator_numeric(w):
    fresh = IndikatorFactory(sasaran=w.x.sasaran, nama="Baru")
    invalid(
        lambda: target_set_many(
            user=w.u.perencana,
            changes=[
                TargetChange(fresh, 2025, Decimal(80), versi=0),
                TargetChange(fresh, 2026, None, "abc", versi=0),
            ],
        ),
        NOT_A_NUMBER,
    )
    assert not Target.objects.filter(indikator=fresh).exists()


@pytest.mark.parametrize("text", ["2,30–2,35", "WTP", "Predikat BB"])
def test_a_numeric_indicator_takes_a_range_or_a_declared_qualitative_value(w, text):
    target_set(user=w.u.perencana, indikator=w.x.indikator, tahun=2026, nilai=None, nilai_teks=text)
    assert Target.objects.get(indikator=w.x.indikator, tahun=2026).nilai_teks == text


def test_an_indicator_without_numbers_keeps_its_qualitative_text(w):
    target_set(
        user=w.u.perencana,
        indikator=w.x.other_bidang,
        tahun=2026,
        nilai=None,
        nilai_teks="Tersedia",
    )
    assert Target.objects.get(indikator=w.x.other_bidang, tahun=2026).nilai_teks == "Tersedia"
