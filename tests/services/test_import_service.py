"""intake.services.import_request: a workbook is queued only for whom the inline import
would accept it, and only a real workbook within the size limit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from intake.models import ImporBerkas, JenisImpor
from intake.services import import_request
from renstra.models import Role
from tests.factories import BidangFactory, OpdFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    opd = OpdFactory(kode="DP3")
    bidang = BidangFactory(opd=opd)
    return {
        "opd": opd,
        "perencana": make_user("perencana", Role.PERENCANA, opd=opd),
        "kabid": make_user("kabid", Role.KABID, opd=opd, bidang=bidang),
        "perencana_lain": make_user("perencana_lain", Role.PERENCANA, opd=OpdFactory()),
    }


def test_a_planner_queues_a_target_workbook_and_a_kabid_a_realisasi_one(world):
    target = import_request(
        user=world["perencana"],
        jenis=JenisImpor.TARGET,
        opd=world["opd"],
        data=b"PK\x03\x04",
        rows=9,
    )
    realisasi = import_request(
        user=world["kabid"],
        jenis=JenisImpor.REALISASI,
        opd=world["opd"],
        data=b"PK\x03\x04",
        rows=9,
        tahun=2024,
    )
    assert list(ImporBerkas.objects.order_by("jenis").values_list("jenis", "diminta_oleh")) == [
        (JenisImpor.REALISASI, world["kabid"].pk),
        (JenisImpor.TARGET, world["perencana"].pk),
    ]
    assert target.baris == realisasi.baris == 9


@pytest.mark.parametrize(
    ("who", "jenis", "data", "message"),
    [
        ("kabid", JenisImpor.TARGET, b"PK\x03\x04", "tidak berhak mengimpor"),
        ("perencana", JenisImpor.REALISASI, b"PK\x03\x04", "tidak berhak mengimpor"),
        ("perencana_lain", JenisImpor.TARGET, b"PK\x03\x04", "tidak berhak mengimpor"),
        ("perencana", "anggaran", b"PK\x03\x04", "Jenis impor tidak dikenal"),
        ("perencana", JenisImpor.TARGET, b"ID;2024", "bukan lembar kerja Excel"),
        ("perencana", JenisImpor.TARGET, b"PK\x03\x04" + b"0" * 5 * 1024 * 1024, "terlalu besar"),
    ],
)
def test_the_queue_refuses_what_the_inline_import_would(world, who, jenis, data, message):
    with pytest.raises((PermissionDenied, ValidationError), match=message):
        import_request(user=world[who], jenis=jenis, opd=world["opd"], data=data, rows=10)
    assert not ImporBerkas.objects.exists()
