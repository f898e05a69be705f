from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import (
    Frekuensi,
    Indikator,
    JenisTarget,
    Periode,
    Realisasi,
    Target,
)
from tests.factories import (
    IndikatorFactory,
    KegiatanFactory,
    ProgramFactory,
    RealisasiFactory,
    SasaranFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def test_an_indicator_on_two_nodes_is_refused_by_the_database():
    sasaran = SasaranFactory()
    program = ProgramFactory(sasaran=sasaran)
    with pytest.raises(IntegrityError), transaction.atomic():
        Indikator.objects.create(
            sasaran=sasaran, program=program, nama="x", periode=sasaran.periode
        )
    assert not Indikator.objects.exists()


def test_an_indicator_on_no_node_is_refused_with_a_readable_message():
    indikator = Indikator(nama="Tanpa simpul")
    with pytest.raises(ValidationError, match="tepat satu tujuan, sasaran, program"):
        indikator.full_clean()


def test_an_iku_belongs_to_a_tujuan_or_sasaran():
    indikator = Indikator(kegiatan=KegiatanFactory(), nama="x", jenis="IKU")
    with pytest.raises(ValidationError, match="IKU hanya untuk indikator tujuan atau sasaran"):
        indikator.full_clean()


def test_an_indicator_takes_the_period_and_level_of_its_node():
    kegiatan = KegiatanFactory()
    indikator = IndikatorFactory(sasaran=None, kegiatan=kegiatan, jenis="IK")
    assert indikator.periode == kegiatan.periode
    assert indikator.level == "kegiatan"
    assert indikator.node == kegiatan


def test_the_responsible_bidang_falls_back_to_the_nearest_node():
    kegiatan = KegiatanFactory()
    program = kegiatan.program
    from tests.factories import BidangFactory

    program.bidang = BidangFactory(opd=program.periode.opd)
    program.save()
    indikator = IndikatorFactory(sasaran=None, kegiatan=kegiatan, jenis="IK")
    assert indikator.effective_bidang == program.bidang


def test_one_target_per_indicator_year_and_kind():
    target = TargetFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetFactory(indikator=target.indikator)
    assert Target.objects.count() == 1


def test_a_target_needs_a_number_or_a_text():
    indikator = IndikatorFactory()
    target = Target(indikator=indikator, tahun=2024)
    with pytest.raises(ValidationError, match="Isi nilai target"):
        target.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        target.save()
    assert not Target.objects.exists()


def test_a_target_outside_the_renstra_period_is_refused():
    from indicators.services.target import target_save
    from renstra.door import SystemActor

    target = Target(indikator=IndikatorFactory(), tahun=2027, nilai=Decimal(1))
    with pytest.raises(ValidationError, match="Tahun 2027 di luar periode Renstra 2021–2026"):
        target_save(user=SystemActor("test"), obj=target)
    assert not Target.objects.exists()


def test_the_effective_target_is_the_latest_pk_revision_else_renstra():
    indikator = IndikatorFactory()
    TargetFactory(
        indikator=indikator, tahun=2024, jenis=JenisTarget.RENSTRA, nilai=Decimal("33.77")
    )
    TargetFactory(indikator=indikator, tahun=2024, jenis=JenisTarget.PK, nilai=Decimal("45"))
    TargetFactory(
        indikator=indikator, tahun=2023, jenis=JenisTarget.RENSTRA, nilai=Decimal("28.57")
    )
    chosen = Target.objects.filter(indikator=indikator).effective()
    assert chosen[(indikator.pk, 2024)].nilai == Decimal("45")
    assert chosen[(indikator.pk, 2023)].nilai == Decimal("28.57")
    TargetFactory(
        indikator=indikator, tahun=2024, jenis=JenisTarget.PK_PERUBAHAN, nilai=Decimal("50")
    )
    chosen = Target.objects.filter(indikator=indikator).effective()
    assert chosen[(indikator.pk, 2024)].nilai == Decimal("50")
    # Every kind is kept: the original Renstra value is still there.
    assert Target.objects.filter(indikator=indikator, tahun=2024).count() == 3


def test_one_realisasi_per_indicator_year_and_period():
    realisasi = RealisasiFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RealisasiFactory(indikator=realisasi.indikator)
    RealisasiFactory(indikator=realisasi.indikator, periode=Periode.TW1)
    assert Realisasi.objects.count() == 2


def test_a_quarterly_value_on_an_annual_only_indicator_is_refused():
    from indicators.services.realisasi import realisasi_save
    from renstra.door import SystemActor

    indikator = IndikatorFactory(frekuensi=Frekuensi.TAHUNAN)
    realisasi = Realisasi(indikator=indikator, tahun=2024, periode=Periode.TW2, nilai=Decimal(1))
    with pytest.raises(ValidationError, match="hanya dilaporkan tahunan"):
        realisasi_save(user=SystemActor("test"), obj=realisasi)
    assert not Realisasi.objects.exists()


def test_a_realisasi_outside_the_renstra_period_is_refused():
    from indicators.services.realisasi import realisasi_save
    from renstra.door import SystemActor

    # After the period (years before it hold history: tests/services/test_realisasi_data_service).
    realisasi = Realisasi(indikator=IndikatorFactory(), tahun=2027, nilai=Decimal(1))
    with pytest.raises(ValidationError, match="Tahun 2027 di luar periode Renstra"):
        realisasi_save(user=SystemActor("test"), obj=realisasi)
    assert not Realisasi.objects.exists()


def test_values_are_kept_as_exact_decimals():
    realisasi = RealisasiFactory(nilai=Decimal("-70"), capaian_dilaporkan=Decimal("-127.2"))
    realisasi.refresh_from_db()
    assert realisasi.nilai == Decimal("-70")
    assert realisasi.capaian_dilaporkan == Decimal("-127.2")
