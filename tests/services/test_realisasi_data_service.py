"""Data as agencies write it, at the services: a rate typed with its denominator (kept as the
indicator's satuan, never rescaled), a realisasi "tidak tersedia" with its mandatory reason,
and realisasi of the years before the Renstra period (perencana only, never a target)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.numbers import parse_measure
from indicators.models import Indikator, Periode, Realisasi, Target
from indicators.services.realisasi import (
    PeriodValue,
    realisasi_delete,
    realisasi_record,
    realisasi_save,
)
from indicators.services.target import target_set
from tests.factories import IndikatorFactory, TargetFactory
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


def aki(w, satuan: str = "per 100.000 KH") -> Indikator:
    """Angka Kematian Ibu: negative, a rate per 100.000 kelahiran hidup."""
    ind = IndikatorFactory(
        sasaran=w.x.sasaran, nama="Angka Kematian Ibu", satuan=satuan, polaritas="negatif"
    )
    TargetFactory(indikator=ind, tahun=2024, nilai=Decimal(75))
    return ind


def annual(ind, tahun: int = 2024) -> Realisasi | None:
    return Realisasi.objects.filter(indikator=ind, tahun=tahun, periode=Periode.TAHUNAN).first()


def typed(w, user, ind, text: str, *, tahun: int = 2024, versi: int = 0):
    return realisasi_record(
        user=user,
        indikator=ind,
        tahun=tahun,
        values=[PeriodValue.of(Periode.TAHUNAN, parse_measure(text), versi)],
    )


def not_available(w, user, ind, reason: str, *, periode=Periode.TAHUNAN, versi: int = 0, **kw):
    return realisasi_record(
        user=user,
        indikator=ind,
        tahun=kw.pop("tahun", 2024),
        values=[PeriodValue.of(periode, kw.pop("nilai", None), versi, tidak_tersedia=reason)],
    )


# --- rates --------------------------------------------------------------------------------------


def test_a_rate_of_the_indicators_satuan_stores_its_value(w):
    ind = aki(w)
    typed(w, w.u.kabid, ind, "104,7/100.000 KH")
    assert annual(ind).nilai == Decimal("104.7")
    ind.refresh_from_db()
    assert (ind.satuan, ind.periksa) == ("per 100.000 KH", "")


def test_a_rate_gives_an_indicator_without_satuan_its_satuan_to_confirm(w):
    ind = aki(w, satuan="")
    typed(w, w.u.kabid, ind, "104,7/100.000 KH")
    ind.refresh_from_db()
    assert annual(ind).nilai == Decimal("104.7")
    assert ind.satuan == "per 100.000 KH"
    assert ind.periksa == (
        "periksa: satuan «per 100.000 KH» diambil dari nilai yang diketik «104,7/100.000 KH»."
    )
    assert ind.versi == 2


def test_a_rate_of_another_denominator_is_refused_and_nothing_saved(w):
    ind = aki(w, satuan="per 1.000")
    invalid(
        lambda: typed(w, w.u.kabid, ind, "75/100.000"),
        "Penyebut yang diketik \\(per 100.000\\) berbeda dengan satuan indikator «per 1.000»",
    )
    assert annual(ind) is None
    ind.refresh_from_db()
    assert ind.satuan == "per 1.000"


def test_a_rate_against_an_index_is_refused(w):
    invalid(
        lambda: typed(w, w.u.kabid, w.x.indikator, "75/100.000", versi=1),
        "tetapi satuan indikator ini «indeks»",
    )
    assert annual(w.x.indikator).nilai == Decimal("73.27")


def test_a_target_typed_as_a_rate_is_checked_against_the_satuan(w):
    ind = aki(w, satuan="per 1.000")
    rate = parse_measure("75/100.000 KH")
    invalid(
        lambda: target_set(
            user=w.u.perencana, indikator=ind, tahun=2025, nilai=rate.value, rate=rate, versi=0
        ),
        "berbeda dengan satuan indikator «per 1.000»",
    )
    assert not Target.objects.filter(indikator=ind, tahun=2025).exists()
    empty = aki(w, satuan="")
    target_set(
        user=w.u.perencana, indikator=empty, tahun=2025, nilai=rate.value, rate=rate, versi=0
    )
    empty.refresh_from_db()
    assert Target.objects.get(indikator=empty, tahun=2025).nilai == Decimal(75)
    assert empty.satuan == "per 100.000 KH"


# --- not available ----------------------------------------------------------------------------


def test_not_available_with_a_reason_is_stored_without_a_value(w):
    not_available(w, w.u.kabid, w.x.indikator, "data BPS belum rilis", versi=1)
    row = annual(w.x.indikator)
    assert (row.nilai, row.nilai_teks, row.tidak_tersedia, row.alasan_tidak_tersedia) == (
        None,
        "",
        True,
        "data BPS belum rilis",
    )
    assert row.display_value == "tidak tersedia"


def test_not_available_without_a_reason_is_refused_and_nothing_saved(w):
    for reason in ("", "   "):
        invalid(
            lambda reason=reason: not_available(w, w.u.kabid, w.x.indikator, reason, versi=1),
            "wajib disertai alasannya",
        )
    row = annual(w.x.indikator)
    assert (row.nilai, row.tidak_tersedia) == (Decimal("73.27"), False)


def test_not_available_with_a_value_is_refused(w):
    invalid(
        lambda: not_available(
            w, w.u.kabid, w.x.indikator, "belum rilis", nilai=Decimal(1), versi=1
        ),
        "Isi nilai realisasi atau nyatakan tidak tersedia, bukan keduanya",
    )
    assert annual(w.x.indikator).tidak_tersedia is False


def test_a_quarter_cannot_be_stated_not_available(w):
    invalid(
        lambda: not_available(w, w.u.kabid, w.x.indikator, "belum rilis", periode=Periode.TW1),
        "Hanya realisasi tahunan yang dapat dinyatakan tidak tersedia",
    )
    assert not Realisasi.objects.filter(indikator=w.x.indikator, periode=Periode.TW1).exists()


def test_a_value_replaces_a_not_available_statement(w):
    not_available(w, w.u.kabid, w.x.indikator, "belum rilis", versi=1)
    typed(w, w.u.kabid, w.x.indikator, "74,1", versi=2)
    row = annual(w.x.indikator)
    assert (row.nilai, row.tidak_tersedia, row.alasan_tidak_tersedia) == (
        Decimal("74.1"),
        False,
        "",
    )


def test_the_admin_form_refuses_not_available_without_a_reason(w):
    row = annual(w.x.indikator)
    row.nilai = None
    row.tidak_tersedia = True
    row.alasan_tidak_tersedia = ""
    invalid(lambda: realisasi_save(user=w.u.kabid, obj=row, versi=1), "wajib disertai alasannya")
    assert annual(w.x.indikator).nilai == Decimal("73.27")


# --- before the Renstra period -----------------------------------------------------------------


def test_the_perencana_records_realisasi_of_years_before_the_period(w):
    for tahun, text in ((2016, "60,1"), (2019, "68,5"), (2020, "70,2")):
        typed(w, w.u.perencana, w.x.indikator, text, tahun=tahun)
    assert [
        (r.tahun, r.nilai)
        for r in Realisasi.objects.filter(indikator=w.x.indikator, tahun__lt=2021).order_by("tahun")
    ] == [(2016, Decimal("60.1")), (2019, Decimal("68.5")), (2020, Decimal("70.2"))]


def test_the_admin_records_realisasi_before_the_period(w):
    typed(w, w.u.admin, w.x.indikator, "70,2", tahun=2020)
    assert annual(w.x.indikator, 2020).nilai == Decimal("70.2")


def test_a_kabid_cannot_record_a_year_before_the_period(w):
    refused(
        lambda: typed(w, w.u.kabid, w.x.indikator, "70,2", tahun=2020),
        "hanya dapat diisi oleh perencana",
    )
    assert annual(w.x.indikator, 2020) is None


def test_the_perencana_still_cannot_record_a_year_of_the_period(w):
    refused(
        lambda: typed(w, w.u.perencana, w.x.indikator, "74", tahun=2024, versi=1),
        "Anda hanya dapat mengisi realisasi indikator bidang Anda sendiri",
    )
    assert annual(w.x.indikator).nilai == Decimal("73.27")


def test_a_year_too_early_or_after_the_period_is_refused(w):
    invalid(
        lambda: typed(w, w.u.perencana, w.x.indikator, "50", tahun=2015),
        "Tahun 2015 terlalu jauh sebelum periode Renstra 2021–2026; realisasi historis paling "
        "awal tahun 2016",
    )
    invalid(
        lambda: typed(w, w.u.admin, w.x.indikator, "50", tahun=2027),
        "Tahun 2027 di luar periode Renstra 2021–2026",
    )
    assert not Realisasi.objects.filter(indikator=w.x.indikator, tahun__in=[2015, 2027]).exists()


def test_a_target_before_the_period_is_still_refused(w):
    invalid(
        lambda: target_set(
            user=w.u.perencana, indikator=w.x.indikator, tahun=2020, nilai=Decimal(70), versi=0
        ),
        "Tahun 2020 di luar periode Renstra 2021–2026",
    )
    assert not Target.objects.filter(indikator=w.x.indikator, tahun=2020).exists()


def test_a_year_before_the_period_is_emptied_by_the_perencana_not_the_kabid(w):
    typed(w, w.u.perencana, w.x.indikator, "70,2", tahun=2020)
    row = annual(w.x.indikator, 2020)
    refused(lambda: realisasi_delete(user=w.u.kabid, obj=row), "hanya dapat diisi oleh perencana")
    assert annual(w.x.indikator, 2020) is not None
    # The perencana empties the value as the form does (deleting realisasi rows outright stays
    # the bidang's and admin's: removal_guard).
    realisasi_record(
        user=w.u.perencana,
        indikator=w.x.indikator,
        tahun=2020,
        values=[PeriodValue(Periode.TAHUNAN, None, "", row.versi)],
    )
    assert annual(w.x.indikator, 2020) is None


def test_a_locked_year_before_the_period_is_refused(w):
    from tests.services.conftest import lock

    lock(w, tahun=2020)
    invalid(
        lambda: typed(w, w.u.perencana, w.x.indikator, "70,2", tahun=2020),
        "Tahun 2020 dikunci",
    )
    assert annual(w.x.indikator, 2020) is None


def test_a_year_before_the_period_has_no_capaian(w):
    from indicators.selectors import indicator_rows

    typed(w, w.u.perencana, w.x.indikator, "70,2", tahun=2020)
    (row,) = [r for r in indicator_rows(w.x.opd.pk, 2020) if r.indikator == w.x.indikator]
    assert (row.result.capaian, row.result.realisasi_used, row.result.reason) == (
        None,
        Decimal("70.2"),
        "belum ada target",
    )


def test_validation_errors_name_the_field(w):
    with pytest.raises(ValidationError) as caught:
        not_available(w, w.u.kabid, w.x.indikator, "", versi=1)
    assert set(caught.value.message_dict) == {"alasan_tidak_tersedia"}
