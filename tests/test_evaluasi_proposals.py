"""What Kinerja answers of the LKE from the seed's data (DP3APPKBPMD 2024): each proposal
with the figures behind it, recomputed when the data changes, at a fixed number of queries."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from dokumen.models import DokumenRegister, JenisDokumen
from evaluasi.models import (
    Jawaban,
    Kriteria,
    Rekomendasi,
    StatusTindakLanjut,
    Verifikasi,
)
from evaluasi.proposals import propose, quarter_due
from evaluasi.reader import instrument_of
from evaluasi.scoring import score
from evaluasi.services import evaluasi_open, instrument_for
from indicators.models import Indikator, Periode, Realisasi, TargetTriwulan
from renstra.door import SystemActor
from renstra.models import Eselon, Kegiatan, Opd, Pejabat
from reporting.models import CatatanReviu

pytestmark = pytest.mark.django_db

SEED_2024 = {
    "1.a.3": ("Y", "Renstra 2021–2026 mencakup tahun 2024"),
    "1.a.4": ("Y", "Target Perjanjian Kinerja 2024 untuk 4 dari 4 (100,00 %) IKU"),
    "1.a.5": ("T", "Rencana aksi (target triwulan) 2024 untuk 0 dari 4 (0,00 %) IKU ber-PK"),
    "1.a.6": ("Y", "Anggaran program 2024: Rp 97.000.169.679"),
    # Every sub kegiatan budgeted in Tabel 3.31 has an indicator of its own or above it.
    "1.c.1": (
        "A",
        "Anggaran 2024 yang membiayai program/kegiatan/sub kegiatan berindikator: "
        "Rp 97.000.169.679 dari Rp 97.000.169.679 (100,00 %)",
    ),
    "1.b.5": (
        "E",
        "IKU dengan satuan, formula, sumber data, penanggung jawab, baseline dan target: "
        "0 dari 4 (0,00 %)",
    ),
    # As the LAKIP's Tabel 3.41 counts them (tests/test_budget_link.py).
    "2.c.8": ("C", "Program yang efisien (2024, Tabel 3.41): 8 dari 11 (72,73 %)"),
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
    "1.a.7": (
        "A",
        "Pejabat eselon III/IV dengan kinerja program/kegiatan yang ditetapkan: "
        "10 dari 10 (100,00 %)",
    ),
    "1.b.1": (
        "T",
        "Dokumen perencanaan 2024 ditetapkan (nomor, tanggal, pindaian): 0 dari 4; "
        "belum: Renstra, IKU, Perjanjian Kinerja, Rencana Aksi",
    ),
    "1.b.2": (
        "T",
        "Dokumen perencanaan 2024 dipublikasikan tepat waktu: 0 dari 4; "
        "belum: Renstra, IKU, Perjanjian Kinerja, Rencana Aksi",
    ),
    "1.b.6": (
        "A",
        "IKU yang tidak diganti (nama dan jenis tetap) dalam periode 2021–2026: "
        "4 dari 4 (100,00 %)",
    ),
    "1.b.7": ("C", "IKU dengan capaian 2023–2024 dalam rentang 80–120 %: 2 dari 4 (50,00 %)"),
    "1.c.3": ("C", "IKU dengan capaian 2024 mencapai 100 % atau lebih: 2 dari 4 (50,00 %)"),
    "1.c.5": (
        "E",
        "IKU dengan analisis capaian 2023 sebagai dasar perbaikan rencana 2024: 0 dari 4 (0,00 %)",
    ),
    "2.b.5": (
        "A",
        "Indikator dengan realisasi 2024 di setiap level (sasaran 4/4, program 17/17, "
        "kegiatan 28/28, subkegiatan 73/73): 122 dari 122 (100,00 %)",
    ),
    "3.a.2": ("E", "Triwulan 2024 dengan realisasi tercatat: 0 dari 4 (0,00 %)"),
    "3.a.5": ("T", "LKjIP 2024 belum dipublikasikan di Register Dokumen"),
    "4.a.2": ("E", "Perangkat daerah dengan evaluasi AKIP 2024: 0 dari 2 (0,00 %)"),
    "4.b.4": ("E", "Perangkat daerah dengan evaluasi AKIP 2024: 0 dari 2 (0,00 %)"),
    "4.b.5": ("E", "Belum ada evaluasi 2024 di Kinerja"),
    "4.c.5": ("D", "IKU dengan capaian 2024 lebih tinggi dari 2023: 1 dari 4 (25,00 %)"),
}


@pytest.fixture
def opd(seed_module):
    return Opd.objects.get(kode="DP3APPKBPMD")


def lke():
    # instrument_for: stored again when an earlier live-server test flushed this worker's
    # database (the migration's instrument gone with it).
    return instrument_of(instrument_for(2024))


def thresholds():
    return lke().thresholds


def now(opd, *kodes):
    """The proposals for the seed OPD 2024 of these criteria, read afresh (None: none)."""
    proposals = propose(opd, 2024, thresholds(), lke())
    return {
        k: (proposals[k].jawaban, proposals[k].alasan) if k in proposals else None for k in kodes
    }


def iku(opd, nama):
    return Indikator.objects.get(
        periode__opd=opd, jenis="IKU", sasaran__isnull=False, nama__startswith=nama
    )


def test_the_seed_opd_2024_proposals_with_their_figures(opd, django_assert_num_queries):
    instrument = lke()
    # Period, indicators, targets, realisasi, quarterly targets, budgets, comparisons, final
    # LAKIP, review note, officials with their programs/activities, register entries,
    # indicator history, the Pemda's OPDs with their evaluation, the OPD's evaluations with
    # their answers, last year's recommendations, the quarters' first entries: 16 whatever the
    # number of indicators, OPDs or answers (the Pemda comes with the OPD).
    with django_assert_num_queries(16):
        proposals = propose(opd, 2024, instrument.thresholds, instrument)
    assert {k: (p.jawaban, p.alasan) for k, p in proposals.items()} == SEED_2024
    assert len(SEED_2024) == 35
    # 4.c.1 (no evaluation 2023, so no recommendation to follow up) and 4.c.2 (no nilai 2023)
    # are not proposed on the seed: nothing to compare.
    assert "4.c.1" not in proposals and "4.c.2" not in proposals
    # The register's documents link to the OPD's register page; the rest carry no link.
    assert {k for k, p in proposals.items() if p.tautan} == {"1.b.1", "1.b.2", "3.a.5"}
    assert proposals["1.b.1"].tautan == "/register/2024/opd/DP3APPKBPMD/"


def test_the_seed_proposals_alone_score_15_20_d(opd):
    instrument = lke()
    proposals = propose(opd, 2024, instrument.thresholds, instrument)
    result = score(instrument, {k: p.jawaban for k, p in proposals.items()})
    # 12,57 before the budget's criteria were proposed: 1.c.1 A (all the pagu serves an
    # indicator) made it 14,45, 2.c.8 C (8 of 11 programs efficient) 15,20.
    assert round(result.total, 2) == Decimal("15.20") and result.predikat.predikat == "D"


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


def test_units_without_a_program_or_activity_lower_1a7(opd):
    for nip, nama in enumerate(("Kepala Seksi Baru", "Kepala Seksi Lain")):
        Pejabat.objects.create(opd=opd, eselon=Eselon.IV, jabatan=nama, nama=nama, nip=str(nip))
    assert now(opd, "1.a.7") == {
        "1.a.7": (
            "B",
            "Pejabat eselon III/IV dengan kinerja program/kegiatan yang ditetapkan: "
            "10 dari 12 (83,33 %)",
        )
    }
    # Given an activity, one of them plans too; an inactive official is not a unit.
    Kegiatan.objects.filter(periode__opd=opd, penanggung_jawab__isnull=True).update(
        penanggung_jawab=Pejabat.objects.get(opd=opd, jabatan="Kepala Seksi Baru")
    )
    Pejabat.objects.filter(opd=opd, jabatan="Kepala Seksi Lain").update(aktif=False)
    assert now(opd, "1.a.7")["1.a.7"][0] == "A"


def register(opd, jenis, published, tahun=2024):
    return DokumenRegister.objects.create(
        opd=opd,
        tahun=tahun,
        jenis=jenis,
        nomor=f"100/{jenis}/2024",
        tanggal_penetapan=datetime.date(2024, 1, 15),
        tanggal_publikasi=published,
        berkas="dokumen/uji.pdf",
    )


def test_formal_and_published_documents_answer_1b1_1b2_3a5(opd):
    for jenis in (JenisDokumen.RENSTRA, JenisDokumen.IKU, JenisDokumen.PERJANJIAN_KINERJA):
        register(opd, jenis, datetime.date(2024, 2, 10))
    # The Rencana Aksi formal but published after its due date (end of February).
    register(opd, JenisDokumen.RENCANA_AKSI, datetime.date(2024, 3, 5))
    assert now(opd, "1.b.1", "1.b.2", "3.a.5") == {
        "1.b.1": ("Y", "Dokumen perencanaan 2024 ditetapkan (nomor, tanggal, pindaian): 4 dari 4"),
        "1.b.2": (
            "T",
            "Dokumen perencanaan 2024 dipublikasikan tepat waktu: 3 dari 4; belum: Rencana Aksi",
        ),
        "3.a.5": ("T", "LKjIP 2024 belum dipublikasikan di Register Dokumen"),
    }
    DokumenRegister.objects.filter(opd=opd, jenis=JenisDokumen.RENCANA_AKSI).update(
        tanggal_publikasi=datetime.date(2024, 2, 29)
    )
    register(opd, JenisDokumen.LAPORAN_KINERJA, datetime.date(2025, 2, 20))
    assert now(opd, "1.b.2", "3.a.5") == {
        "1.b.2": ("Y", "Dokumen perencanaan 2024 dipublikasikan tepat waktu: 4 dari 4"),
        "3.a.5": ("Y", "LKjIP 2024 dipublikasikan 20-02-2025"),
    }


def test_a_renamed_iku_lowers_1b6(opd):
    changed = iku(opd, "IDG")
    changed.nama = "Indeks Pemberdayaan Gender (baru)"
    changed.save()  # recorded in the indicator's history
    assert now(opd, "1.b.6") == {
        "1.b.6": (
            "B",
            "IKU yang tidak diganti (nama dan jenis tetap) dalam periode 2021–2026: "
            "3 dari 4 (75,00 %)",
        )
    }


def test_capaian_answers_1b7_1c3_4c5(opd):
    # Kasus kekerasan: realisasi 5,5 against the target 5,5 — capaian 100 %, inside the band.
    Realisasi.objects.filter(
        indikator=iku(opd, "Persentase Penurunan Kasus"), tahun=2024, periode=Periode.TAHUNAN
    ).update(nilai=Decimal("5.5"))
    # IDG 2024 down to 60 (capaian 81,04 %): below its 2023 capaian (95,91 %).
    Realisasi.objects.filter(indikator=iku(opd, "IDG"), tahun=2024, periode=Periode.TAHUNAN).update(
        nilai=Decimal(60)
    )
    assert now(opd, "1.b.7", "1.c.3", "4.c.5") == {
        "1.b.7": ("B", "IKU dengan capaian 2023–2024 dalam rentang 80–120 %: 3 dari 4 (75,00 %)"),
        "1.c.3": ("B", "IKU dengan capaian 2024 mencapai 100 % atau lebih: 3 dari 4 (75,00 %)"),
        "4.c.5": ("E", "IKU dengan capaian 2024 lebih tinggi dari 2023: 0 dari 4 (0,00 %)"),
    }


def test_last_years_analysis_answers_1c5(opd):
    Realisasi.objects.filter(indikator=iku(opd, "IDG"), tahun=2023).update(
        analisis="IDG 2023 turun: rencana 2024 menambah pelatihan"
    )
    assert now(opd, "1.c.5")["1.c.5"] == (
        "D",
        "IKU dengan analisis capaian 2023 sebagai dasar perbaikan rencana 2024: 1 dari 4 (25,00 %)",
    )


def test_levels_without_realisasi_lower_2b5(opd):
    Realisasi.objects.filter(
        indikator__periode__opd=opd, indikator__sub_kegiatan__isnull=False, tahun=2024
    ).delete()
    assert now(opd, "2.b.5")["2.b.5"] == (
        "D",
        "Indikator dengan realisasi 2024 di setiap level (sasaran 4/4, program 17/17, "
        "kegiatan 28/28, subkegiatan 0/73): 49 dari 122 (40,16 %)",
    )


def test_a_quarter_recorded_answers_3a2(opd):
    Realisasi.objects.create(
        indikator=iku(opd, "IDG"), tahun=2024, periode=Periode.TW1, nilai=Decimal(72)
    )
    assert now(opd, "3.a.2")["3.a.2"] == (
        "D",
        "Triwulan 2024 dengan realisasi tercatat: 1 dari 4 (25,00 %)",
    )


def answer_all(evaluasi, yt, ae):
    Jawaban.objects.bulk_create(
        Jawaban(
            evaluasi=evaluasi,
            kriteria=k,
            penetapan=yt if k.skala.kode == "Y/T" else ae,
        )
        for k in Kriteria.objects.filter(
            sub__komponen__instrumen=evaluasi.instrumen
        ).select_related("skala")
    )


def test_evaluations_in_kinerja_answer_4a2_4b4_4b5(opd):
    evaluasi = evaluasi_open(user=SystemActor("uji"), opd=opd, tahun=2024)
    assert now(opd, "4.a.2", "4.b.5") == {
        "4.a.2": ("C", "Perangkat daerah dengan evaluasi AKIP 2024: 1 dari 2 (50,00 %)"),
        "4.b.5": ("E", "Kriteria LKE 2024 dijawab di Kinerja: 0 dari 80 (0,00 %)"),
    }
    answer_all(evaluasi, "Y", "B")
    assert now(opd, "4.b.4", "4.b.5") == {
        "4.b.4": ("C", "Perangkat daerah dengan evaluasi AKIP 2024: 1 dari 2 (50,00 %)"),
        "4.b.5": ("A", "Kriteria LKE 2024 dijawab di Kinerja: 80 dari 80 (100,00 %)"),
    }
    evaluasi_open(user=SystemActor("uji"), opd=Opd.objects.get(kode="DSPPPAPMD"), tahun=2024)
    assert now(opd, "4.a.2")["4.a.2"][0] == "A"


def test_last_years_recommendations_answer_4c1(opd):
    last = evaluasi_open(user=SystemActor("uji"), opd=opd, tahun=2023)
    # An evaluation without recommendations: nothing was to be followed up, nothing proposed.
    assert now(opd, "4.c.1") == {"4.c.1": None}
    for i, verifikasi in enumerate((Verifikasi.DITERIMA, Verifikasi.DITOLAK, Verifikasi.BELUM)):
        Rekomendasi.objects.create(
            evaluasi=last,
            komponen="1",
            uraian=f"Rekomendasi {i}",
            urutan=i,
            status=StatusTindakLanjut.SELESAI,
            verifikasi=verifikasi,
        )
    assert now(opd, "4.c.1") == {
        "4.c.1": (
            "D",
            "Rekomendasi evaluasi 2023 ditindaklanjuti dan diterima Inspektorat: "
            "1 dari 3 (33,33 %)",
        )
    }
    Rekomendasi.objects.filter(evaluasi=last).update(
        status=StatusTindakLanjut.SELESAI, verifikasi=Verifikasi.DITERIMA
    )
    assert now(opd, "4.c.1")["4.c.1"][0] == "A"


def test_this_years_nilai_against_last_years_answers_4c2(opd):
    last = evaluasi_open(user=SystemActor("uji"), opd=opd, tahun=2023)
    current = evaluasi_open(user=SystemActor("uji"), opd=opd, tahun=2024)
    answer_all(last, "Y", "B")
    answer_all(current, "Y", "C")
    assert now(opd, "4.c.2")["4.c.2"] == (
        "E",
        "Nilai AKIP 2024 dibanding 2023: 78,28 → 56,55 (turun)",
    )
    Jawaban.objects.filter(evaluasi=current).exclude(penetapan="Y").update(penetapan="A")
    assert now(opd, "4.c.2")["4.c.2"][0] == "A"
    # Without the instrument there is no scale to compare on: not proposed.
    assert "4.c.2" not in propose(opd, 2024, thresholds())


def test_quarters_recorded_on_time_answer_1c4(opd):
    """The seed has no rencana aksi: nothing to monitor, no proposal. With IDG's four quarterly
    targets, TW1 first recorded 10 April (due 15 April) is on time, TW2 first recorded in
    August is late even though corrected since, TW3 and TW4 are missing: 1 of 4, D."""
    assert now(opd, "1.c.4") == {"1.c.4": None}
    idg = iku(opd, "IDG")
    for q in (Periode.TW1, Periode.TW2, Periode.TW3, Periode.TW4):
        TargetTriwulan.objects.create(indikator=idg, tahun=2024, periode=q, nilai=Decimal(70))
    entered = {
        Periode.TW1: datetime.datetime(2024, 4, 10, 9),
        Periode.TW2: datetime.datetime(2024, 8, 1, 9),
    }
    for q, when in entered.items():
        row = Realisasi.objects.create(indikator=idg, tahun=2024, periode=q, nilai=Decimal(71))
        row.history.update(history_date=when.replace(tzinfo=datetime.UTC))
    # A correction of TW2 later does not change when it was first recorded.
    tw2 = Realisasi.objects.get(indikator=idg, tahun=2024, periode=Periode.TW2)
    tw2.nilai = Decimal(72)
    tw2.save()
    assert quarter_due(2024, Periode.TW1) == datetime.date(2024, 4, 15)
    reason = (
        "Realisasi triwulan 2024 rencana aksi tercatat tepat waktu (≤ 15 hari setelah triwulan "
        "berakhir): {}"
    )
    assert now(opd, "1.c.4")["1.c.4"] == ("D", reason.format("1 dari 4 (25,00 %)"))
    # In July 2024 only TW1 was due: on time, A.
    early = propose(opd, 2024, thresholds(), lke(), today=datetime.date(2024, 7, 10))
    assert (early["1.c.4"].jawaban, early["1.c.4"].alasan) == (
        "A",
        reason.format("1 dari 1 (100,00 %)"),
    )
