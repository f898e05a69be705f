"""A small kabupaten for the tests of the roles across OPDs: a Pemda with its plan unit and
RPJMD (one tujuan, one sasaran, one IKU Pemda with a 2024 target and realisasi), two OPDs, and
a second Pemda with one OPD; a user of every role."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from renstra.door import SystemActor
from renstra.models import Pemda, Role
from renstra.pemda import plan_unit_ensure
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    ProgramFactory,
    RealisasiFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

SYSTEM = SystemActor("uji")


def _rpjmd(pemda: Pemda) -> SimpleNamespace:
    unit = plan_unit_ensure(user=SYSTEM, pemda=pemda)
    periode = PeriodeFactory(opd=unit, visi="Balangan maju", misi="Misi IV")
    tujuan = TujuanFactory(periode=periode, nama=f"Tujuan RPJMD {pemda.kode}")
    sasaran = SasaranFactory(tujuan=tujuan, nama=f"Sasaran RPJMD {pemda.kode}")
    iku = IndikatorFactory(sasaran=sasaran, nama=f"IKU Pemda {pemda.kode}", satuan="%")
    TargetFactory(indikator=iku, tahun=2024, nilai=Decimal(80))
    RealisasiFactory(indikator=iku, tahun=2024, nilai=Decimal(72))
    return SimpleNamespace(unit=unit, periode=periode, tujuan=tujuan, sasaran=sasaran, iku=iku)


def _opd(kode: str, pemda: Pemda) -> SimpleNamespace:
    # A name of its own: the kabupaten lists OPDs by name, and the factory's sequence ("Dinas
    # Contoh 9", "…10") would order them by how many OPDs the test session made before.
    opd = OpdFactory(kode=kode, nama=f"Dinas {kode}", pemda=pemda)
    periode = PeriodeFactory(opd=opd)
    bidang = BidangFactory(opd=opd, kode=f"{kode}A")
    tujuan = TujuanFactory(periode=periode)
    sasaran = SasaranFactory(tujuan=tujuan, bidang=bidang)
    program = ProgramFactory(sasaran=sasaran, bidang=bidang)
    indikator = IndikatorFactory(sasaran=sasaran, nama=f"IKU {kode}", satuan="%")
    TargetFactory(indikator=indikator, tahun=2024, nilai=Decimal(50))
    RealisasiFactory(indikator=indikator, tahun=2024, nilai=Decimal(45))
    return SimpleNamespace(**locals())


def kabupaten() -> SimpleNamespace:
    pemda = Pemda.objects.create(
        kode="KAB", nama="Contoh", provinsi="Kalimantan Selatan", kepala_daerah_nama="H. Bupati"
    )
    lain = Pemda.objects.create(kode="LAIN", nama="Lain")
    rpjmd, rpjmd_lain = _rpjmd(pemda), _rpjmd(lain)
    x, y, z = _opd("X", pemda), _opd("Y", pemda), _opd("Z", lain)
    u = SimpleNamespace(
        admin=make_user("admin", Role.ADMIN),
        bappeda=make_user("bappeda", Role.BAPPEDA, opd=rpjmd.unit),
        inspektorat=make_user("inspektorat", Role.INSPEKTORAT, opd=rpjmd.unit),
        kepala_daerah=make_user("bupati", Role.KEPALA_DAERAH, opd=rpjmd.unit),
        bappeda_lain=make_user("bappeda_lain", Role.BAPPEDA, opd=rpjmd_lain.unit),
        perencana=make_user("perencana", Role.PERENCANA, opd=x.opd),
        perencana_y=make_user("perencana_y", Role.PERENCANA, opd=y.opd),
        perencana_z=make_user("perencana_z", Role.PERENCANA, opd=z.opd),
        kabid=make_user("kabid", Role.KABID, opd=x.opd, bidang=x.bidang),
        pimpinan=make_user("pimpinan", Role.PIMPINAN, opd=x.opd),
    )
    return SimpleNamespace(
        pemda=pemda, lain=lain, rpjmd=rpjmd, rpjmd_lain=rpjmd_lain, x=x, y=y, z=z, u=u
    )
