"""Workbooks as agencies fill them: "n/a: alasan" in the annual column, rates typed with their
denominator ("75/100.000 KH"), and realisasi of the years before the Renstra period."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.models import Periode, Realisasi, Target
from intake.excel import read_xlsx, template_realisasi, template_targets
from intake.resources.realisasi import RealisasiResource
from intake.tests.test_excel import edit, import_targets, messages, target_values
from tests.factories import IndikatorFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aki(w):
    """Angka Kematian Ibu of bidang PPPA, a rate per 100.000 kelahiran hidup."""
    ind = IndikatorFactory(
        sasaran=w.idg.sasaran, nama="AKI", satuan="per 100.000 KH", polaritas="negatif"
    )
    TargetFactory(indikator=ind, tahun=2024, nilai=Decimal(75))
    return ind


def annual(ind, tahun: int = 2024) -> Realisasi | None:
    return Realisasi.objects.filter(indikator=ind, tahun=tahun, periode=Periode.TAHUNAN).first()


def import_realisasi(user, changes, tahun: int = 2024):
    data = edit(template_realisasi(user, tahun), changes)
    return RealisasiResource(user=user).import_data(read_xlsx(data))


def test_n_a_with_its_reason_is_imported_as_not_available(w, aki):
    result = import_realisasi(
        w.kabid_pppa,
        {("IDG", "Tahunan"): "N/A: data BPS belum rilis", ("AKI", "Tahunan"): "104,7/100.000 KH"},
    )
    assert not result.has_validation_errors(), messages(result)
    row = annual(w.idg)
    assert (row.nilai, row.tidak_tersedia, row.alasan_tidak_tersedia) == (
        None,
        True,
        "data BPS belum rilis",
    )
    assert annual(aki).nilai == Decimal("104.7")
    # A second export writes it back the way it is read.
    exported = RealisasiResource(user=w.kabid_pppa, tahun=2024).export()
    assert {r["Indikator"]: r["Tahunan"] for r in exported.dict}["IDG"] == (
        "n/a: data BPS belum rilis"
    )


def test_n_a_without_a_reason_is_refused_with_its_row_and_nothing_saved(w, aki):
    result = import_realisasi(
        w.kabid_pppa, {("IDG", "Tahunan"): "n/a", ("AKI", "Tahunan"): "104,7/100.000 KH"}
    )
    assert messages(result) == [
        "Baris 2, kolom Tahunan: Realisasi yang tidak tersedia wajib disertai alasannya (mis. "
        "data BPS belum rilis)."
    ]
    assert not Realisasi.objects.exists()


def test_a_dash_stays_an_empty_cell(w):
    result = import_realisasi(w.kabid_pppa, {("IDG", "Tahunan"): "-"})
    assert not result.has_validation_errors(), messages(result)
    assert not Realisasi.objects.exists()


def test_a_rate_against_another_satuan_is_refused_with_its_row(w, aki):
    result = import_realisasi(w.kabid_pppa, {("IDG", "Tahunan"): "75/100.000"})
    assert messages(result) == [
        "Baris 2, kolom Tahunan: «75/100.000» ditulis sebagai rasio per 100.000, tetapi satuan "
        "indikator ini «indeks». Isi angkanya saja, atau minta perencana mengubah satuan "
        "indikator menjadi «per 100.000»."
    ]
    assert not Realisasi.objects.exists()


def test_targets_typed_as_rates_are_imported_or_refused_by_their_denominator(w, aki):
    per_mil = IndikatorFactory(sasaran=w.idg.sasaran, nama="AKB", satuan="per 1.000 KH")
    data = template_targets(w.perencana, w.opd, w.periode)
    result = import_targets(
        w.perencana,
        edit(data, {("AKI", "2025"): "70/100.000 KH", ("AKB", "2025"): "70/100.000 KH"}),
    )
    assert messages(result) == [
        "Baris 4, kolom 2025: Penyebut yang diketik (per 100.000 KH) berbeda dengan satuan "
        "indikator «per 1.000 KH». Kinerja tidak mengubah skala angka; ketik nilainya per "
        "1.000 KH, atau minta perencana membetulkan satuan indikator."
    ]
    assert target_values(aki) == {2024: Decimal(75)}
    result = import_targets(w.perencana, edit(data, {("AKI", "2025"): "70/100.000 KH"}))
    assert not result.has_validation_errors(), messages(result)
    assert target_values(aki) == {2024: Decimal(75), 2025: Decimal(70)}
    assert not Target.objects.filter(indikator=per_mil).exists()


def test_the_perencana_imports_the_years_before_the_period(w):
    data = template_realisasi(w.perencana, 2020)
    result = RealisasiResource(user=w.perencana).import_data(
        read_xlsx(edit(data, {("IDG", "Tahunan"): "70,2", ("TFR", "Tahunan"): "2,6"}))
    )
    assert not result.has_validation_errors(), messages(result)
    assert (annual(w.idg, 2020).nilai, annual(w.tfr, 2020).nilai) == (
        Decimal("70.2"),
        Decimal("2.6"),
    )


def test_a_kabid_cannot_import_a_year_before_the_period(w):
    data = template_realisasi(w.perencana, 2020)
    result = RealisasiResource(user=w.kabid_pppa).import_data(
        read_xlsx(edit(data, {("IDG", "Tahunan"): "70,2"}))
    )
    assert messages(result) == [
        "Baris 2: Realisasi tahun sebelum periode Renstra (data historis) hanya dapat diisi "
        "oleh perencana OPD ini."
    ]
    assert not Realisasi.objects.exists()
    # Their own template of that year offers nothing to fill.
    assert (
        RealisasiResource(user=w.kabid_pppa, tahun=2020, recordable_only=True).export().dict == []
    )
