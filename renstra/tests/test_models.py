from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from renstra.models import Anggaran, Bidang, PeriodeRenstra, Program
from tests.factories import (
    AnggaranFactory,
    BidangFactory,
    KegiatanFactory,
    OpdFactory,
    PeriodeFactory,
    ProgramFactory,
    SasaranFactory,
    SubKegiatanFactory,
    TujuanFactory,
)

pytestmark = pytest.mark.django_db


def test_it_copies_the_period_down_the_tree():
    sub = SubKegiatanFactory()
    periode = sub.kegiatan.program.sasaran.tujuan.periode
    assert sub.periode == periode
    assert sub.kegiatan.periode == periode
    assert sub.kegiatan.program.periode == periode


def test_it_keeps_a_program_without_sasaran():
    periode = PeriodeFactory()
    program = ProgramFactory(sasaran=None, periode=periode)
    program.full_clean()
    assert Program.objects.filter(sasaran__isnull=True).get() == program


def test_a_program_added_under_a_sasaran_takes_its_period():
    sasaran = SasaranFactory()
    program = Program.objects.create(sasaran=sasaran, nama="Program baru")
    assert program.periode == sasaran.periode


def test_it_refuses_a_program_linked_to_a_sasaran_of_another_period():
    sasaran = SasaranFactory()
    other = PeriodeFactory(opd=sasaran.periode.opd, tahun_awal=2027, tahun_akhir=2031)
    program = Program(sasaran=sasaran, periode=other, nama="X")
    with pytest.raises(ValidationError, match="periode Renstra yang sama"):
        program.full_clean()


def test_it_refuses_a_bidang_of_another_opd_on_a_node():
    tujuan = TujuanFactory()
    tujuan.bidang = BidangFactory()  # a different OPD
    with pytest.raises(ValidationError, match="OPD yang sama"):
        tujuan.full_clean()


def test_it_refuses_a_period_ending_before_it_starts_in_clean_and_database():
    opd = OpdFactory()
    periode = PeriodeRenstra(opd=opd, tahun_awal=2026, tahun_akhir=2021)
    with pytest.raises(ValidationError, match="Tahun akhir tidak boleh sebelum tahun awal"):
        periode.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        periode.save()
    assert not PeriodeRenstra.objects.exists()


def test_it_refuses_two_bidang_with_the_same_code_in_one_opd():
    bidang = BidangFactory(kode="PPPA")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bidang.objects.create(opd=bidang.opd, kode="PPPA", nama="lagi")
    assert Bidang.objects.count() == 1


def test_budget_must_hang_on_exactly_one_node_in_the_database():
    program = ProgramFactory()
    kegiatan = KegiatanFactory(program=program)
    with pytest.raises(IntegrityError), transaction.atomic():
        Anggaran.objects.create(
            program=program, kegiatan=kegiatan, tahun=2024, pagu=Decimal(1), periode=program.periode
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Anggaran.objects.create(tahun=2024, pagu=Decimal(1), periode=program.periode)
    assert not Anggaran.objects.exists()


def test_budget_clean_explains_the_one_node_rule():
    anggaran = Anggaran(tahun=2024, pagu=Decimal(1))
    with pytest.raises(ValidationError, match="tepat satu program, kegiatan, atau sub kegiatan"):
        anggaran.full_clean()


def test_budget_refuses_a_year_outside_the_renstra_period():
    from renstra.door import SystemActor
    from renstra.services import anggaran_save

    program = ProgramFactory()
    anggaran = Anggaran(program=program, tahun=2030, pagu=Decimal(1))
    with pytest.raises(ValidationError, match="Tahun 2030 di luar periode Renstra 2021–2026"):
        anggaran_save(user=SystemActor("test"), obj=anggaran)
    assert not Anggaran.objects.exists()


def test_budget_refuses_negative_pagu_in_clean_and_database():
    program = ProgramFactory()
    anggaran = Anggaran(program=program, tahun=2024, pagu=Decimal(-5))
    with pytest.raises(ValidationError, match="Pagu tidak boleh negatif"):
        anggaran.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        anggaran.save()
    assert not Anggaran.objects.exists()


def test_budget_is_unique_per_node_and_year():
    anggaran = AnggaranFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AnggaranFactory(program=anggaran.program)
    assert Anggaran.objects.count() == 1


def test_budget_keeps_rupiah_exactly():
    anggaran = AnggaranFactory(pagu=Decimal("97000169679"), realisasi=Decimal("90961032708"))
    anggaran.refresh_from_db()
    assert anggaran.pagu == Decimal("97000169679")
    assert anggaran.realisasi == Decimal("90961032708")
