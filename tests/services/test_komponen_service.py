"""rumus_set / rumus_save / komponen_* and komponen_record(_many): the formula is the
planner's; its values are the bidang's, recorded with the realisasi the engine computes from
them in one transaction (the realisasi rules apply there). Each guard has a test."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.formula_services import (
    KomponenSpec,
    KomponenValue,
    komponen_delete,
    komponen_record,
    komponen_save,
    nilai_komponen_delete,
    nilai_komponen_save,
    rumus_delete,
    rumus_save,
    rumus_set,
)
from indicators.models import Komponen, NilaiKomponen, Periode, Realisasi, Rumus
from renstra.door import StaleEdit
from tests.services.conftest import SYSTEM, invalid, lock, refused

pytestmark = pytest.mark.django_db

DESA = [
    KomponenSpec("jumlah desa maju", "pembilang", "desa", "Status IDM Kemendes"),
    KomponenSpec("jumlah desa", "penyebut", "desa", "Permendagri kode wilayah"),
]


def define(w, user=SYSTEM, **kwargs):
    return rumus_set(
        user=user,
        indikator=kwargs.pop("ind", w.x.indikator),
        operator="rasio",
        komponen=kwargs.pop("komponen", DESA),
        dikonfirmasi=kwargs.pop("dikonfirmasi", True),
        **kwargs,
    )


def parts(rumus: Rumus) -> tuple[Komponen, Komponen]:
    a, b = rumus.komponen_set.order_by("urutan")
    return a, b


def record(w, user, a, b, *, versi=(0, 0), tahun=2024, periode=Periode.TAHUNAN, **kwargs):
    rumus = Rumus.objects.get(indikator=w.x.indikator)
    ka, kb = parts(rumus)
    return komponen_record(
        user=user,
        indikator=w.x.indikator,
        tahun=tahun,
        periode=periode,
        values=[
            KomponenValue(ka, None if a is None else Decimal(a), "IDM 2024", versi[0]),
            KomponenValue(kb, None if b is None else Decimal(b), "Kode wilayah", versi[1]),
        ],
        **kwargs,
    )


def annual(w) -> Realisasi:
    return Realisasi.objects.get(indikator=w.x.indikator, tahun=2024, periode=Periode.TAHUNAN)


def values(w) -> list[Decimal]:
    return list(
        NilaiKomponen.objects.filter(komponen__rumus__indikator=w.x.indikator, tahun=2024)
        .order_by("komponen__urutan")
        .values_list("nilai", flat=True)
    )


# --- the formula ---------------------------------------------------------------------------


def test_only_the_opds_planner_defines_a_formula(w):
    for user in (w.u.kabid, w.u.pimpinan, w.u.perencana_y):
        refused(lambda user=user: define(w, user), "Hanya perencana OPD ini")
    assert not Rumus.objects.exists()
    rumus = define(w, w.u.perencana)
    assert [k.nama for k in parts(rumus)] == ["jumlah desa maju", "jumlah desa"]


def test_a_formula_without_a_penyebut_is_refused(w):
    invalid(
        lambda: define(w, komponen=DESA[:1]),
        "Rumus rasio memerlukan sedikitnya satu penyebut",
    )
    assert not Rumus.objects.exists()


def test_repeated_component_names_are_refused(w):
    invalid(lambda: define(w, komponen=[DESA[0], DESA[0], DESA[1]]), "tidak boleh berulang")
    assert not Rumus.objects.exists()


def test_a_stale_formula_version_is_refused(w):
    define(w)
    refused(lambda: define(w, versi=5), "telah diubah sejak formulir", StaleEdit)
    define(w, versi=1, catatan="ok")
    assert Rumus.objects.get().versi == 2


def test_a_bad_factor_and_a_bad_component_field_are_refused(w):
    invalid(lambda: define(w, faktor=Decimal(0)), "[Ff]aktor rumus harus angka lebih dari 0")
    long = [KomponenSpec("x" * 201, "pembilang"), DESA[1]]
    invalid(lambda: define(w, komponen=long), "paling banyak 200 karakter|at most 200")
    assert not Komponen.objects.exists()


def test_the_formula_of_a_locked_year_with_values_stays(w):
    define(w)
    record(w, w.u.kabid, "84", "153")
    lock(w)
    invalid(
        lambda: define(w, komponen=[DESA[0], KomponenSpec("jumlah desa baru", "penyebut")]),
        "Rumus tidak dapat diubah: nilai komponen tahun 2024 sudah dikunci",
    )
    rumus = Rumus.objects.get()
    rumus.faktor = Decimal(1)
    invalid(lambda: rumus_save(user=w.u.perencana, obj=rumus), "sudah dikunci")
    assert Rumus.objects.get().faktor == 100
    ka, _kb = parts(rumus)
    ka.peran = "penyebut"
    invalid(lambda: komponen_save(user=w.u.perencana, obj=ka), "sudah dikunci")


def test_rumus_save_and_komponen_save_are_the_planners(w):
    rumus = define(w)
    rumus.catatan = "dikonfirmasi"
    refused(lambda: rumus_save(user=w.u.kabid, obj=rumus), "Hanya perencana")
    rumus_save(user=w.u.perencana, obj=rumus, versi=1)
    refused(lambda: rumus_save(user=w.u.perencana, obj=rumus, versi=1), "telah diubah", StaleEdit)
    invalid(
        lambda: rumus_save(user=w.u.perencana, obj=Rumus(indikator=w.x.indikator)),
        "telah ada",
    )
    rumus.faktor = Decimal(-1)
    invalid(lambda: rumus_save(user=w.u.perencana, obj=rumus, versi=2), "[Ff]aktor rumus")
    ka, _ = parts(rumus)
    ka.nama = ""
    invalid(
        lambda: komponen_save(user=w.u.perencana, obj=ka),
        "tidak boleh kosong|tidak boleh dikosongkan|blank",
    )
    ka.nama = "desa maju"
    refused(lambda: komponen_save(user=w.u.kabid, obj=ka), "Hanya perencana")
    komponen_save(user=w.u.perencana, obj=ka)
    assert Komponen.objects.filter(nama="desa maju").exists()


def test_deletes_are_the_planners_and_respect_locks(w):
    rumus = define(w)
    ka, _kb = parts(rumus)
    refused(lambda: komponen_delete(user=w.u.kabid, obj=ka), "Hanya perencana")
    refused(lambda: rumus_delete(user=w.u.kabid, obj=rumus), "Hanya perencana")
    record(w, w.u.kabid, "84", "153")
    lock(w)
    invalid(lambda: komponen_delete(user=w.u.admin, obj=ka), "Penghapusan ditolak")
    invalid(lambda: rumus_delete(user=w.u.admin, obj=rumus), "Penghapusan ditolak")
    assert Komponen.objects.count() == 2


# --- the values ----------------------------------------------------------------------------


def test_84_of_153_records_54_90_with_history(w):
    define(w)
    record(w, w.u.kabid, "84", "153")
    assert annual(w).nilai == Decimal("54.901961")
    assert values(w) == [Decimal(84), Decimal(153)]
    ka, _kb = parts(Rumus.objects.get())
    record(w, w.u.kabid, "85", "153", versi=(1, 1))
    assert annual(w).nilai == Decimal("55.555556")
    history = list(
        NilaiKomponen.history.filter(komponen=ka)
        .order_by("history_date")
        .values_list("nilai", flat=True)
    )
    assert history == [Decimal(84), Decimal(85)]


def test_only_the_indicators_bidang_records_components(w):
    define(w)
    for user in (w.u.kabid_b, w.u.perencana, w.u.pimpinan):
        refused(lambda user=user: record(w, user, "84", "153"), "bidang Anda sendiri")
    assert values(w) == []
    assert annual(w).nilai == Decimal("73.27")


def test_a_locked_year_and_a_year_outside_the_period_are_refused(w):
    define(w)
    invalid(lambda: record(w, w.u.kabid, "84", "153", tahun=2030), "di luar periode Renstra")
    lock(w)
    invalid(lambda: record(w, w.u.kabid, "84", "153"), "Tahun 2024 dikunci")
    assert values(w) == []


def test_an_indicator_without_a_formula_keeps_direct_entry(w):
    define(w)
    ka, _kb = parts(Rumus.objects.get())
    invalid(
        lambda: komponen_record(
            user=w.u.kabid,
            indikator=w.x.other_bidang,
            tahun=2024,
            values=[KomponenValue(ka, Decimal(1))],
        ),
        "belum memiliki rumus",
    )


def test_a_component_of_another_formula_is_refused(w):
    define(w)
    other = define(w, ind=w.y.indikator)
    foreign, _ = parts(other)
    invalid(
        lambda: komponen_record(
            user=w.u.kabid,
            indikator=w.x.indikator,
            tahun=2024,
            values=[KomponenValue(foreign, Decimal(1))],
        ),
        "bukan bagian rumus indikator ini",
    )
    assert values(w) == []


def test_a_stale_component_is_refused(w):
    define(w)
    record(w, w.u.kabid, "84", "153")
    refused(lambda: record(w, w.u.kabid, "90", "153", versi=(0, 1)), "telah diubah", StaleEdit)
    assert values(w) == [Decimal(84), Decimal(153)]


def test_negative_and_unstorable_values_are_refused(w):
    define(w)
    invalid(lambda: record(w, w.u.kabid, "-1", "153"), "tidak boleh negatif")
    invalid(lambda: record(w, w.u.kabid, "1.1234567", "153"), "6 decimal|6 angka desimal|6 digit")
    assert values(w) == []
    assert annual(w).nilai == Decimal("73.27")


def test_a_penyebut_of_0_saves_nothing_and_says_why(w):
    define(w)
    invalid(
        lambda: record(w, w.u.kabid, "3", "0"),
        "penyebut «jumlah desa» bernilai 0: realisasi tidak dapat dihitung",
    )
    invalid(lambda: record(w, w.u.kabid, "3", None), "komponen «jumlah desa» belum diisi")
    assert values(w) == []
    assert annual(w).nilai == Decimal("73.27")


def test_evidence_is_checked_by_content(w):
    define(w)
    ka, kb = parts(Rumus.objects.get())
    fake = SimpleUploadedFile("bukti.pdf", b"<html>not a pdf</html>", "application/pdf")
    invalid(
        lambda: komponen_record(
            user=w.u.kabid,
            indikator=w.x.indikator,
            tahun=2024,
            values=[KomponenValue(ka, Decimal(84), bukti=fake), KomponenValue(kb, Decimal(153))],
        ),
        "PDF|berkas",
    )
    assert values(w) == []


def test_a_tenfold_jump_of_the_computed_realisasi_needs_confirmation(w):
    define(w)
    from renstra.door import NeedsConfirmation

    # 73,27 stored → 5 / 153 × 100 = 3,27 is more than ×10 away.
    refused(lambda: record(w, w.u.kabid, "5", "153"), "Periksa nilainya", NeedsConfirmation)
    assert values(w) == []
    record(w, w.u.kabid, "5", "153", confirm=True)
    assert annual(w).nilai == Decimal("3.267974")


def test_emptying_every_component_removes_the_realisasi(w):
    define(w)
    record(w, w.u.kabid, "84", "153")
    record(w, w.u.kabid, None, None, versi=(1, 1))
    assert values(w) == []
    assert not Realisasi.objects.filter(
        indikator=w.x.indikator, tahun=2024, periode="tahunan"
    ).exists()


def test_quarterly_components_give_the_quarters_realisasi(w):
    define(w)
    record(w, w.u.kabid, "40", "153", periode=Periode.TW2)
    tw2 = Realisasi.objects.get(indikator=w.x.indikator, tahun=2024, periode=Periode.TW2)
    assert tw2.nilai == Decimal("26.143791")


def test_the_single_row_adapters_go_through_the_record_service(w):
    define(w)
    record(w, w.u.kabid, "84", "153")
    row = NilaiKomponen.objects.get(komponen__peran="pembilang")
    row.nilai = Decimal(85)
    refused(lambda: nilai_komponen_save(user=w.u.kabid_b, obj=row), "bidang Anda sendiri")
    nilai_komponen_save(user=w.u.kabid, obj=row, versi=1)
    assert annual(w).nilai == Decimal("55.555556")
    row = NilaiKomponen.objects.get(komponen__peran="pembilang")
    row.tahun = 2023
    lock(w)
    invalid(lambda: nilai_komponen_save(user=w.u.kabid, obj=row), "Tahun 2024 dikunci")
    fresh = NilaiKomponen.objects.get(pk=row.pk)
    # Removing one of two components leaves the ratio incomputable: refused, with why.
    invalid(lambda: nilai_komponen_delete(user=w.u.kabid, obj=fresh), "«jumlah desa maju» belum")
    assert values(w) == [Decimal(85), Decimal(153)]


def test_a_suggested_formula_is_not_used_until_the_planner_confirms_it(w):
    define(w, dikonfirmasi=False)
    invalid(lambda: record(w, w.u.kabid, "84", "153"), "belum dikonfirmasi perencana")
    assert values(w) == []
    define(w, dikonfirmasi=True, versi=1)
    record(w, w.u.kabid, "84", "153")
    assert values(w) == [Decimal(84), Decimal(153)]
