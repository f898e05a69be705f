"""What Kinerja answers of the LKE from the seed's data (DP3APPKBPMD 2024): each proposal
with the figures behind it, recomputed when the data changes, at a fixed number of queries."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from evaluasi.models import Instrumen
from evaluasi.proposals import propose
from evaluasi.reader import instrument_of
from evaluasi.services import evaluasi_open
from renstra.door import SystemActor
from renstra.models import Opd
from reporting.models import CatatanReviu

pytestmark = pytest.mark.django_db

SEED_2024 = {
    "1.a.3": ("Y", "Renstra 2021–2026 mencakup tahun 2024"),
    "1.a.4": ("Y", "Target Perjanjian Kinerja 2024 untuk 4 dari 4 (100,00 %) IKU"),
    "1.a.5": ("T", "Rencana aksi (target triwulan) 2024 untuk 0 dari 4 (0,00 %) IKU ber-PK"),
    "1.a.6": ("Y", "Anggaran program 2024: Rp 97.000.169.679"),
    "1.b.5": (
        "E",
        "IKU dengan satuan, formula, sumber data, penanggung jawab, baseline dan target: "
        "0 dari 4 (0,00 %)",
    ),
    "2.a.2": (
        "E",
        "Indikator dengan definisi operasional (makna dan formula): 0 dari 126 (0,00 %)",
    ),
    "2.a.3": ("E", "Indikator dengan sumber data dan penanggung jawab: 4 dari 126 (3,17 %)"),
    "2.b.4": (
        "E",
        "Indikator triwulanan dengan realisasi keempat triwulan 2024: 0 dari 0 (0,00 %)",
    ),
    "2.b.6": ("A", "IKU dengan realisasi 2024 tercatat di Kinerja: 4 dari 4 (100,00 %)"),
    "2.b.7": (
        "A",
        "IKU yang capaiannya dihitung Kinerja (target dan realisasi 2024): 4 dari 4 (100,00 %)",
    ),
    "3.a.1": ("Y", "LKjIP 2024 disusun dari data Kinerja (4 IKU berrealisasi)"),
    "3.a.3": ("T", "LKjIP 2024 belum final"),
    "3.a.4": ("T", "Belum ada catatan reviu Inspektorat"),
    "3.a.6": ("T", "Tenggat 28-02-2025; belum final"),
    "3.b.3": ("A", "IKU dengan target dan realisasi 2024 dibandingkan: 4 dari 4 (100,00 %)"),
    "3.b.4": ("A", "IKU dibandingkan dengan target akhir Renstra 2026: 4 dari 4 (100,00 %)"),
    "3.b.5": ("C", "IKU dibandingkan dengan realisasi 2023: 2 dari 4 (50,00 %)"),
    "3.b.6": ("D", "IKU dengan nilai pembanding wilayah lain: 1 dari 4 (25,00 %)"),
    "3.b.8": ("A", "Analisis efisiensi dari anggaran dan realisasi program"),
}


@pytest.fixture
def opd(seed_module):
    return Opd.objects.get(kode="DP3APPKBPMD")


def thresholds():
    return instrument_of(Instrumen.objects.get()).thresholds


def test_the_seed_opd_2024_proposals_with_their_figures(opd, django_assert_num_queries):
    limits = thresholds()
    # Period, indicators, targets, realisasi, quarterly targets, budgets, comparisons, final
    # LAKIP, review note: 9 whatever the number of indicators (the Pemda comes with the OPD).
    with django_assert_num_queries(9):
        proposals = propose(opd, 2024, limits)
    assert {k: (p.jawaban, p.alasan) for k, p in proposals.items()} == SEED_2024


def test_a_share_becomes_an_answer_by_the_instruments_thresholds(opd):
    limits = thresholds()
    assert limits == {"A": 90, "B": 75, "C": 50, "D": 25}
    # 3.b.6 has 1 of 4 (25 %): D at the default (D from 25 %), E when D starts above it, C
    # when C starts at 25 %.
    assert propose(opd, 2024, limits)["3.b.6"].jawaban == "D"
    assert propose(opd, 2024, {**limits, "D": 30})["3.b.6"].jawaban == "E"
    assert propose(opd, 2024, {**limits, "C": 25})["3.b.6"].jawaban == "C"


def test_the_proposals_follow_the_data(opd):
    CatatanReviu.objects.create(opd=opd, tahun=2024, teks="Reviu LKjIP 2024")
    proposal = propose(opd, 2024, thresholds())["3.a.4"]
    assert proposal.jawaban == "Y"
    assert proposal.alasan.startswith("Direviu Inspektorat ")


def test_a_year_outside_the_renstra_proposes_only_that(opd):
    proposals = propose(opd, 2030, thresholds())
    assert {k: (p.jawaban, p.alasan) for k, p in proposals.items()} == {
        "1.a.3": ("T", "Tidak ada Renstra yang mencakup tahun 2030")
    }


def test_lke_nilai_prints_the_systems_proposals(opd):
    evaluasi_open(user=SystemActor("uji"), opd=opd, tahun=2024)
    out = io.StringIO()
    call_command("lke_nilai", "DP3APPKBPMD", "2024", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["nilai"] == 0 and data["predikat"] == "D"
    assert data["usulan_sistem"][:2] == [
        {"kode": "1.a.3", "jawaban": "Y", "alasan": "Renstra 2021–2026 mencakup tahun 2024"},
        {
            "kode": "1.a.4",
            "jawaban": "Y",
            "alasan": "Target Perjanjian Kinerja 2024 untuk 4 dari 4 (100,00 %) IKU",
        },
    ]
    assert len(data["usulan_sistem"]) == len(SEED_2024)
