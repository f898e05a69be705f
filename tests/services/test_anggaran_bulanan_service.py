"""anggaran_bulanan_save / _delete (monthly realisasi of a sub-kegiatan) and anggaran_batch_save
(a whole budget of one OPD and year, the SIPD import's door): perencana of the OPD, period,
year lock, stale version, bounds, rows of this period and year only."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from renstra.models import Anggaran, AnggaranBulanan, Kegiatan, Program, SubKegiatan
from renstra.services import (
    BudgetBatch,
    anggaran_batch_save,
    anggaran_bulanan_delete,
    anggaran_bulanan_save,
)
from tests.factories import SubKegiatanFactory
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def sub(w):
    return SubKegiatanFactory(kegiatan=w.x.kegiatan)


def month(sub, bulan=3, realisasi="1000", tahun=2024) -> AnggaranBulanan:
    return AnggaranBulanan(sub_kegiatan=sub, tahun=tahun, bulan=bulan, realisasi=Decimal(realisasi))


def test_a_month_is_written_by_the_opds_perencana_with_history(w, sub):
    for user in (w.u.kabid, w.u.pimpinan, w.u.perencana_y):
        refused(
            lambda user=user: anggaran_bulanan_save(user=user, obj=month(sub)),
            "Hanya perencana OPD ini yang dapat mengubah anggaran",
        )
    assert not AnggaranBulanan.objects.exists()
    saved = anggaran_bulanan_save(user=w.u.perencana, obj=month(sub))
    stored = AnggaranBulanan.objects.get(pk=saved.pk)
    assert (stored.realisasi, stored.versi, stored.periode_id) == (
        Decimal(1000),
        1,
        w.x.periode.pk,
    )
    assert stored.history.latest("history_date").history_user == w.u.perencana
    stored.realisasi = Decimal(5)
    anggaran_bulanan_save(user=w.u.perencana, obj=stored, versi=1)
    stale = AnggaranBulanan.objects.get(pk=saved.pk)
    stale.realisasi = Decimal(6)
    invalid(lambda: anggaran_bulanan_save(user=w.u.perencana, obj=stale, versi=1), "diubah")
    assert AnggaranBulanan.objects.get(pk=saved.pk).realisasi == Decimal(5)


def test_a_month_out_of_bounds_outside_the_period_or_locked_is_refused(w, sub):
    invalid(lambda: anggaran_bulanan_save(user=w.u.perencana, obj=month(sub, bulan=13)), "Bulan")
    invalid(
        lambda: anggaran_bulanan_save(user=w.u.perencana, obj=month(sub, realisasi="-1")),
        "negatif",
    )
    invalid(
        lambda: anggaran_bulanan_save(user=w.u.perencana, obj=month(sub, tahun=2030)),
        "di luar periode Renstra",
    )
    saved = anggaran_bulanan_save(user=w.u.perencana, obj=month(sub))
    lock(w)
    invalid(lambda: anggaran_bulanan_save(user=w.u.perencana, obj=month(sub, 4)), "dikunci")
    refused(
        lambda: anggaran_bulanan_delete(user=w.u.kabid, obj=saved),
        "Hanya perencana OPD ini",
    )
    invalid(lambda: anggaran_bulanan_delete(user=w.u.perencana, obj=saved), "dikunci")
    assert AnggaranBulanan.objects.count() == 1


def batch_of(w, **rows) -> BudgetBatch:
    return BudgetBatch(periode=w.x.periode, tahun=2024, **rows)


def new_tree(w):
    program = Program(periode=w.x.periode, nama="PROGRAM BARU", kode="9.99.01", urutan=9)
    kegiatan = Kegiatan(
        program=program, periode=w.x.periode, nama="Kegiatan Baru", kode="9.99.01.2.01"
    )
    sub = SubKegiatan(
        kegiatan=kegiatan, periode=w.x.periode, nama="Sub Baru", kode="9.99.01.2.01.0001"
    )
    budget = Anggaran(sub_kegiatan=sub, periode=w.x.periode, tahun=2024, pagu=Decimal(10))
    months = [
        AnggaranBulanan(sub_kegiatan=sub, periode=w.x.periode, tahun=2024, bulan=2, realisasi=1)
    ]
    return [program, kegiatan, sub], budget, months


def test_a_batch_creates_nodes_codes_budgets_and_months_in_one_go(w):
    nodes, budget, months = new_tree(w)
    w.x.kegiatan.kode = "1.01.01.2.01"
    stored = Anggaran.objects.get(pk=w.x.anggaran.pk)
    stored.pagu, stored.pagu_murni = Decimal(2), Decimal(1)
    anggaran_batch_save(
        user=w.u.perencana,
        batch=batch_of(
            w, nodes=nodes, coded=[w.x.kegiatan], anggaran=[budget, stored], bulanan=months
        ),
    )
    sub = SubKegiatan.objects.get(kode="9.99.01.2.01.0001")
    assert sub.kegiatan.program.nama == "PROGRAM BARU"
    assert Anggaran.objects.get(sub_kegiatan=sub).pagu == Decimal(10)
    assert AnggaranBulanan.objects.get(sub_kegiatan=sub).bulan == 2
    assert Kegiatan.objects.get(pk=w.x.kegiatan.pk).kode == "1.01.01.2.01"
    again = Anggaran.objects.get(pk=w.x.anggaran.pk)
    assert (again.pagu, again.pagu_murni, again.versi) == (Decimal(2), Decimal(1), 2)
    assert again.history.latest("history_date").history_user == w.u.perencana


def nothing_saved(w):
    assert not SubKegiatan.objects.filter(kode__startswith="9.99").exists()
    assert not Program.objects.filter(nama="PROGRAM BARU").exists()
    assert not AnggaranBulanan.objects.exists()
    assert Anggaran.objects.get(pk=w.x.anggaran.pk).pagu == Decimal(1000000)


def test_a_batch_by_another_opd_locked_outside_the_period_or_out_of_bounds_saves_nothing(w):
    nodes, budget, months = new_tree(w)
    for user in (w.u.kabid, w.u.perencana_y, w.u.pimpinan):
        refused(
            lambda user=user: anggaran_batch_save(
                user=user, batch=batch_of(w, nodes=nodes, anggaran=[budget])
            ),
            "Hanya perencana OPD ini yang dapat mengubah anggaran",
        )
    nothing_saved(w)
    invalid(
        lambda: anggaran_batch_save(
            user=w.u.perencana,
            batch=BudgetBatch(periode=w.x.periode, tahun=2030, nodes=nodes),
        ),
        "di luar periode Renstra",
    )
    foreign = Program(periode=w.y.periode, nama="Program Y")
    invalid(
        lambda: anggaran_batch_save(user=w.u.perencana, batch=batch_of(w, nodes=[foreign])),
        "bukan program/kegiatan/sub kegiatan periode ini",
    )
    unnamed = Program(periode=w.x.periode, nama=" ")
    invalid(
        lambda: anggaran_batch_save(user=w.u.perencana, batch=batch_of(w, coded=[unnamed])),
        "Nama atau kode tidak valid",
    )
    other_year = Anggaran(program=w.x.program, periode=w.x.periode, tahun=2025, pagu=Decimal(1))
    invalid(
        lambda: anggaran_batch_save(user=w.u.perencana, batch=batch_of(w, anggaran=[other_year])),
        "bukan anggaran",
    )
    negative = Anggaran.objects.get(pk=w.x.anggaran.pk)
    negative.pagu_murni = Decimal(-1)
    invalid(
        lambda: anggaran_batch_save(user=w.u.perencana, batch=batch_of(w, anggaran=[negative])),
        "tidak boleh negatif",
    )
    months[0].bulan = 0
    invalid(
        lambda: anggaran_batch_save(
            user=w.u.perencana, batch=batch_of(w, nodes=nodes, anggaran=[budget], bulanan=months)
        ),
        "bulan 1–12",
    )
    nothing_saved(w)
    lock(w)
    months[0].bulan = 1
    with pytest.raises(ValidationError, match="Tahun 2024 dikunci"):
        anggaran_batch_save(
            user=w.u.perencana, batch=batch_of(w, nodes=nodes, anggaran=[budget], bulanan=months)
        )
    nothing_saved(w)
