"""A small world for the service tests: two agencies, every role, one row of each kind.

Each test module exercises one service and asserts each of its guards (permission, year lock,
Renstra period, stale version, bounds, type): deleting any one guard line makes a test fail
(``scripts/mutate_guards.py`` checks this)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.models import Target
from renstra.door import SystemActor
from renstra.models import AnggaranPk, Role
from renstra.services import year_lock
from reporting.models import Bagian, Narasi
from tests.factories import (
    AnggaranFactory,
    BidangFactory,
    IndikatorFactory,
    KegiatanFactory,
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


def agency(kode: str) -> SimpleNamespace:
    opd = OpdFactory(kode=kode)
    periode = PeriodeFactory(opd=opd)
    a = BidangFactory(opd=opd, kode=f"{kode}A")
    b = BidangFactory(opd=opd, kode=f"{kode}B")
    tujuan = TujuanFactory(periode=periode)
    sasaran = SasaranFactory(tujuan=tujuan, bidang=a)
    indikator = IndikatorFactory(sasaran=sasaran, nama=f"IDG {kode}", satuan="indeks")
    other_bidang = IndikatorFactory(
        sasaran=SasaranFactory(tujuan=tujuan, bidang=b), nama=f"TFR {kode}"
    )
    target = TargetFactory(indikator=indikator, tahun=2024, nilai=Decimal("74.04"))
    TargetFactory(indikator=indikator, tahun=2023, nilai=Decimal("73.00"))
    realisasi = RealisasiFactory(indikator=indikator, tahun=2024, nilai=Decimal("73.27"))
    RealisasiFactory(indikator=indikator, tahun=2023, nilai=Decimal("72.50"))
    program = ProgramFactory(sasaran=sasaran, bidang=a)
    kegiatan = KegiatanFactory(program=program)
    anggaran = AnggaranFactory(program=program, tahun=2024)
    anggaran_pk = AnggaranPk.objects.create(sasaran=sasaran, tahun=2024, jumlah=Decimal(500))
    narasi = Narasi.objects.create(opd=opd, tahun=2024, bagian=Bagian.PENUTUP, teks="Penutup.")
    return SimpleNamespace(**locals())


@pytest.fixture
def w(db):
    x, y = agency("X"), agency("Y")
    users = SimpleNamespace(
        admin=make_user("admin", Role.ADMIN),
        perencana=make_user("perencana", Role.PERENCANA, opd=x.opd),
        perencana_y=make_user("perencana_y", Role.PERENCANA, opd=y.opd),
        kabid=make_user("kabid", Role.KABID, opd=x.opd, bidang=x.a),
        kabid_b=make_user("kabid_b", Role.KABID, opd=x.opd, bidang=x.b),
        pimpinan=make_user("pimpinan", Role.PIMPINAN, opd=x.opd),
    )
    return SimpleNamespace(x=x, y=y, u=users)


def lock(w, tahun: int = 2024, side: str = "x") -> None:
    agency_ = getattr(w, side)
    year_lock(user=SYSTEM, opd=agency_.opd, tahun=tahun, alasan="LAKIP final")


def refused(call, match: str, kind=PermissionDenied):
    """The call is refused with ``kind`` and a message matching ``match``."""
    with pytest.raises(kind, match=match):
        call()


def invalid(call, match: str):
    refused(call, match, ValidationError)


def stored_target(target: Target) -> Target:
    return Target.objects.get(pk=target.pk)
