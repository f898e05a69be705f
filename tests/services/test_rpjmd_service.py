"""The RPJMD is the Pemda plan unit's Renstra period: its tree, IKU Pemda, targets and
realisasi go through the very services of an OPD's (node_save, indikator_save, target_set,
realisasi_record), with the same guards. Bappeda writes them; nobody else of the Pemda does."""

from decimal import Decimal

import pytest

from indicators.models import Indikator, Periode, Realisasi, Target
from indicators.services.indikator import indikator_save
from indicators.services.realisasi import PeriodValue, realisasi_record
from indicators.services.target import target_set
from renstra.models import Sasaran
from renstra.services import node_save, year_lock
from tests.kabupaten_world import SYSTEM, kabupaten
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    return kabupaten()


def test_bappeda_adds_an_rpjmd_sasaran_and_its_iku_pemda(k):
    sasaran = node_save(
        user=k.u.bappeda, obj=Sasaran(tujuan=k.rpjmd.tujuan, nama="Meningkatnya desa mandiri")
    )
    assert Sasaran.objects.get(pk=sasaran.pk).periode == k.rpjmd.periode
    ind = indikator_save(
        user=k.u.bappeda,
        obj=Indikator(sasaran=sasaran, nama="Persentase desa mandiri", satuan="%", jenis="IKU"),
    )
    assert Indikator.objects.get(pk=ind.pk).periode == k.rpjmd.periode


def test_no_other_role_writes_the_rpjmd(k):
    for user in (k.u.perencana, k.u.inspektorat, k.u.kepala_daerah, k.u.bappeda_lain):
        refused(
            lambda user=user: node_save(
                user=user, obj=Sasaran(tujuan=k.rpjmd.tujuan, nama="Tidak boleh")
            ),
            "Hanya perencana OPD ini",
        )
    assert not Sasaran.objects.filter(nama="Tidak boleh").exists()


def test_bappeda_writes_no_opds_renstra(k):
    refused(
        lambda: node_save(user=k.u.bappeda, obj=Sasaran(tujuan=k.x.tujuan, nama="Campur")),
        "Hanya perencana OPD ini",
    )
    assert not Sasaran.objects.filter(nama="Campur").exists()


def test_bappeda_sets_an_iku_pemda_target_and_records_its_realisasi(k):
    target_set(user=k.u.bappeda, indikator=k.rpjmd.iku, tahun=2025, nilai=Decimal(85))
    assert Target.objects.get(indikator=k.rpjmd.iku, tahun=2025).nilai == 85
    realisasi_record(
        user=k.u.bappeda,
        indikator=k.rpjmd.iku,
        tahun=2025,
        values=[PeriodValue(Periode.TAHUNAN, Decimal(81), "", 0)],
    )
    assert Realisasi.objects.get(indikator=k.rpjmd.iku, tahun=2025).nilai == 81


def test_inspektorat_records_no_realisasi_anywhere(k):
    for ind in (k.rpjmd.iku, k.x.indikator):
        refused(
            lambda ind=ind: realisasi_record(
                user=k.u.inspektorat,
                indikator=ind,
                tahun=2025,
                values=[PeriodValue(Periode.TAHUNAN, Decimal(1), "", 0)],
            ),
            "hanya dapat mengisi realisasi indikator bidang Anda sendiri",
        )
    assert not Realisasi.objects.filter(tahun=2025).exists()


def test_a_locked_rpjmd_year_refuses_bappedas_target(k):
    year_lock(user=SYSTEM, opd=k.rpjmd.unit, tahun=2024, alasan="LKjIP Pemda final")
    invalid(
        lambda: target_set(user=k.u.bappeda, indikator=k.rpjmd.iku, tahun=2024, nilai=Decimal(1)),
        "Tahun 2024 dikunci: LKjIP Pemda final",
    )
    assert Target.objects.get(indikator=k.rpjmd.iku, tahun=2024).nilai == 80


def test_a_target_outside_the_rpjmd_period_is_refused(k):
    invalid(
        lambda: target_set(user=k.u.bappeda, indikator=k.rpjmd.iku, tahun=2030, nilai=Decimal(1)),
        "di luar periode Renstra 2021–2026",
    )
    assert not Target.objects.filter(tahun=2030).exists()
