"""The seed tree's nomenclature codes (fixtures/SOURCES.md, program §16): what the matcher
proposes over the seed's names, what was confirmed and stored, and what stays without a code."""

import pytest

from intake.nomenklatur_match import proposals
from nomenklatur.models import Nomenklatur
from renstra.models import Kegiatan, PeriodeRenstra, Program, SubKegiatan

pytestmark = pytest.mark.django_db

# The fuzzy proposals read by eye and confirmed (stored in program.yaml); the other fuzzy
# proposals name a different item and are not stored.
CONFIRMED = {
    "Penyusunan Dukomen Perangkat Daerah": "2.08.01.2.01.0001",
    "ADMINISTRASI KEUANGAN DAN PERANGKAT DAERAH": "2.08.01.2.02",
    "Sosialisasi Peningkatan Partisipasi Perempuan di Bidang Politik, Hukum, Sosial dan Ekonomi": (
        "2.08.02.2.02.0008"
    ),
}


@pytest.fixture
def periode(seed_module):
    return PeriodeRenstra.objects.get(opd__kode="DP3APPKBPMD")


def coded(model, periode) -> tuple[int, int]:
    qs = model.objects.filter(periode=periode)
    return qs.exclude(kode="").count(), qs.filter(kode="").count()


def test_the_seed_carries_the_confirmed_codes(periode):
    assert Nomenklatur.objects.count() == 1566  # load_seed loads the nomenclature first
    assert coded(Program, periode) == (13, 0)
    assert coded(Kegiatan, periode) == (23, 5)
    assert coded(SubKegiatan, periode) == (21, 48)
    codes = dict(SubKegiatan.objects.filter(periode=periode).values_list("nama", "kode")) | dict(
        Kegiatan.objects.filter(periode=periode).values_list("nama", "kode")
    )
    assert codes["Penyediaan Gaju dan Tunjangan ASN"] == "2.08.01.2.02.0001"
    assert codes["Fasilitasi Pembangunan Kawasan Perdesaan"] == "2.13.03.2.01.0003"
    assert codes["ADMINISTRASI KEPEGAWAIAN PERANGKAT DAERAH"] == ""  # rejected: Keuangan
    assert Program.objects.get(periode=periode, urutan=1).kode == "2.08.01"
    assert Program.objects.get(periode=periode, urutan=12).kode == "2.14.03"
    for nama, kode in CONFIRMED.items():
        assert codes.get(nama) == kode


def test_the_matcher_alone_gives_53_exact_and_11_fuzzy_of_which_4_are_stored(periode):
    rows = proposals(periode, ignore_codes=True)
    assert len(rows) == 110
    exact = [r for r in rows if r.proposal.cara == "sama"]
    fuzzy = [r for r in rows if r.proposal.cara == "mirip"]
    assert (len(exact), len(fuzzy)) == (53, 11)
    # Every exact proposal is stored as proposed.
    assert all(r.node.kode == r.proposal.kode for r in exact)
    stored = [r for r in fuzzy if r.node.kode]
    assert len(stored) == 4 and all(r.node.kode == r.proposal.kode for r in stored)
    # 53 exact + 4 confirmed fuzzy carry a code; the 53 others none.
    assert sum(1 for r in rows if r.node.kode) == 57
    # On the stored tree only the 53 nodes without a code are proposed for.
    left = proposals(periode)
    assert len(left) == 53 and not any(r.node.kode for r in left)
