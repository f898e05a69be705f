"""The small two-OPD world the workbook and command tests share."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from renstra.models import Role
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)


@pytest.fixture
def w() -> SimpleNamespace:
    """DP3 (2021–2026) with IDG (bidang PPPA) and TFR (bidang PPKB); another OPD beside it."""
    opd = OpdFactory(kode="DP3")
    periode = PeriodeFactory(opd=opd)
    pppa = BidangFactory(opd=opd, kode="PPPA", nama="Bidang PPPA")
    ppkb = BidangFactory(opd=opd, kode="PPKB", nama="Bidang PPKB")
    tujuan = TujuanFactory(periode=periode)
    idg = IndikatorFactory(
        sasaran=SasaranFactory(tujuan=tujuan, bidang=pppa), nama="IDG", satuan="indeks"
    )
    tfr = IndikatorFactory(
        sasaran=SasaranFactory(tujuan=tujuan, bidang=ppkb), nama="TFR", polaritas="negatif"
    )
    TargetFactory(indikator=idg, tahun=2024, nilai=Decimal("74.04"))
    TargetFactory(indikator=tfr, tahun=2024, nilai=Decimal("2.33"))
    other_opd = OpdFactory(kode="LAIN")
    other_periode = PeriodeFactory(opd=other_opd)
    foreign = IndikatorFactory(
        sasaran=SasaranFactory(tujuan=TujuanFactory(periode=other_periode)), nama="Asing"
    )
    TargetFactory(indikator=foreign, tahun=2024, nilai=Decimal("10"))
    return SimpleNamespace(
        opd=opd,
        periode=periode,
        pppa=pppa,
        ppkb=ppkb,
        tujuan=tujuan,
        idg=idg,
        tfr=tfr,
        foreign=foreign,
        other_periode=other_periode,
        perencana=make_user("perencana", Role.PERENCANA, opd=opd),
        perencana_lain=make_user("perencana_lain", Role.PERENCANA, opd=other_opd),
        kabid_pppa=make_user("kabid_pppa", Role.KABID, opd=opd, bidang=pppa),
        kabid_ppkb=make_user("kabid_ppkb", Role.KABID, opd=opd, bidang=ppkb),
    )
