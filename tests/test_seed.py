"""The Balangan seed dataset: every number exactly as the source documents print it.

Values below are copied from shared/seeds/002_9491378c05c0b5cd.txt (line numbers in the
comments); fixtures/SOURCES.md records each decision where the source contradicts itself.
"""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db.models import Sum

from indicators.models import DataPendukung, Indikator, JenisTarget, Pembanding, Realisasi, Target
from renstra.models import (
    Anggaran,
    AnggaranPk,
    Bidang,
    Kegiatan,
    Opd,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
)

pytestmark = pytest.mark.django_db
OPD = "DP3APPKBPMD"


@pytest.fixture
def seeded(seed_module):
    return Opd.objects.get(kode=OPD)


def renstra_targets(nama_prefix: str, level: str = "sasaran") -> list[D]:
    indikator = Indikator.objects.get(
        periode__opd__kode=OPD, **{f"{level}__isnull": False}, nama__startswith=nama_prefix
    )
    return [
        t.nilai
        for t in Target.objects.filter(indikator=indikator, jenis=JenisTarget.RENSTRA).order_by(
            "tahun"
        )
    ]


def iku(nama_prefix: str) -> Indikator:
    return Indikator.objects.get(
        periode__opd__kode=OPD, sasaran__isnull=False, nama__startswith=nama_prefix
    )


def test_identity_of_the_opd_and_its_kepala(seeded):
    assert seeded.nama.startswith("Dinas Pemberdayaan Perempuan dan Perlindungan Anak")
    assert seeded.kabupaten == "Balangan"
    assert seeded.kepala_nama == "H. AKHMAD NASA’I, S.Kep,MM"  # 002:19
    assert seeded.kepala_pangkat == "Pembina Utama Muda / IV c"
    assert seeded.kepala_nip == "19650328 198603 1 008"
    assert Bidang.objects.filter(opd=seeded, kode="PPPA").exists()
    assert Bidang.objects.filter(opd=seeded).count() == 7


def test_renstra_period_with_visi_and_misi(seeded):
    periode = seeded.periode_set.get()
    assert (periode.tahun_awal, periode.tahun_akhir) == (2021, 2026)
    assert periode.visi == (
        "Membangun Desa, Menata Kota, Menuju Balangan yang lebih Maju dan Sejahtera"
    )


def test_tabel_2_1_tujuan_targets(seeded):
    # 002:344-384
    assert renstra_targets("IPG", "tujuan") == [
        D("92.71"),
        D("92.74"),
        D("92.77"),
        D("92.80"),
        D("92.83"),
        D("92.86"),
    ]
    assert renstra_targets("Indeks Desa Membangun", "tujuan") == [
        D("0.6674"),
        D("0.7293"),
        D("0.7527"),
        D("0.7997"),
        D("0.80"),
        D("0.81"),
    ]
    assert renstra_targets("Laju Pertumbuhan Penduduk", "tujuan") == [
        D("1.12"),
        D("1.09"),
        D("1.08"),
        D("1.07"),
        D("1.06"),
        D("1.05"),
    ]
    assert Tujuan.objects.filter(periode__opd=seeded).count() == 3


def test_tabel_2_2_sasaran_targets(seeded):
    # 002:400-440
    assert renstra_targets("IDG") == [D("70.77"), D("72"), D("73.02"), D("74.04"), D("75"), D("76")]
    assert renstra_targets("Persentase Desa dengan Klasifikasi") == [
        D("16.88"),
        D("23.38"),
        D("28.57"),
        D("33.77"),
        D("38.96"),
        D("44.16"),
    ]
    assert renstra_targets("Angka Kelahiran Total") == [
        D("2.34"),
        D("2.34"),
        D("2.33"),
        D("2.33"),
        D("2.32"),
        D("2.32"),
    ]
    # "-" for 2021 and 2022: no target, not zero.
    assert renstra_targets("Persentase Penurunan Kasus") == [D("5.2"), D("5.5"), D("5.5"), D("5.5")]
    assert Sasaran.objects.filter(periode__opd=seeded).count() == 4


def test_tabel_2_4_is_kept_as_the_pk_perubahan_beside_the_renstra(seeded):
    # Tabel 2.4 is titled "Perjanjian Kinerja Perubahan Tahun 2024" (002:599), its annex signed
    # 18 September 2024 (SOURCES.md item 9): a PK Perubahan, with no original PK printed.
    of_2024 = Target.objects.filter(indikator__periode__opd=seeded, tahun=2024)
    assert of_2024.filter(jenis=JenisTarget.PK_PERUBAHAN).count() == 4  # the 4 IKU
    assert of_2024.filter(jenis=JenisTarget.PK).count() == 0
    desa = iku("Persentase Desa dengan Klasifikasi")
    assert desa.target_set.get(tahun=2024, jenis=JenisTarget.PK_PERUBAHAN).nilai == D("45")
    assert desa.target_set.get(tahun=2024, jenis=JenisTarget.RENSTRA).nilai == D("33.77")
    effective = Target.objects.filter(indikator=desa, tahun=2024).effective()
    assert effective[(desa.pk, 2024)].nilai == D("45")
    assert effective[(desa.pk, 2024)].jenis == JenisTarget.PK_PERUBAHAN


def test_tabel_2_3_iku_definitions(seeded):
    idg = iku("IDG")
    assert idg.jenis == "IKU"
    assert "1/3" in idg.formulasi
    assert idg.alasan.startswith("Indikator ini menggambarkan peran perempuan")


def test_realisasi_2024_of_the_iku_with_the_printed_capaian(seeded):
    expected = {
        "IDG": (D("73.27"), D("98.62")),
        "Persentase Penurunan Kasus": (D("-70"), D("-127.2")),
        "Angka Kelahiran Total": (D("2.31"), D("99.14")),
        # Computed from its components: 84 / 153 × 100 (printed 54,9).
        "Persentase Desa dengan Klasifikasi": (D("54.901961"), D("122")),
    }
    for prefix, (nilai, printed) in expected.items():
        realisasi = Realisasi.objects.get(indikator=iku(prefix), tahun=2024, periode="tahunan")
        assert (realisasi.nilai, realisasi.capaian_dilaporkan) == (nilai, printed), prefix


def test_tabel_3_11_idg_history_and_comparisons(seeded):
    idg = iku("IDG")
    history = dict(
        Realisasi.objects.filter(indikator=idg, periode="tahunan").values_list("tahun", "nilai")
    )
    assert history == {2021: D("70.14"), 2022: D("70.57"), 2023: D("70.03"), 2024: D("73.27")}
    regions = dict(Pembanding.objects.filter(indikator=idg).values_list("wilayah", "nilai"))
    assert regions == {
        "Kabupaten Hulu Sungai Tengah": D("77.73"),
        "Kabupaten Tabalong": D("72.54"),
    }


def test_polarities_follow_the_meaning_of_each_indicator(seeded):
    assert iku("Angka Kelahiran Total").polaritas == "negatif"
    assert iku("Persentase Penurunan Kasus").polaritas == "positif"
    assert iku("IDG").polaritas == "positif"


def test_tabel_3_31_budget_totals(seeded):
    program_budgets = Anggaran.objects.filter(
        periode__opd=seeded, tahun=2024, program__isnull=False
    )
    totals = program_budgets.aggregate(pagu=Sum("pagu"), realisasi=Sum("realisasi"))
    assert totals["pagu"] == D("97000169679")
    # Tabel 3.31 (002:3785) — the ikhtisar's 90.961.032.708 is a typo (SOURCES.md).
    assert totals["realisasi"] == D("90960332708")


def test_every_kegiatan_budget_adds_up_to_its_sub_kegiatan(seeded):
    for kegiatan in Kegiatan.objects.filter(periode__opd=seeded):
        own = Anggaran.objects.filter(kegiatan=kegiatan, tahun=2024).first()
        children = Anggaran.objects.filter(sub_kegiatan__kegiatan=kegiatan, tahun=2024).aggregate(
            s=Sum("pagu")
        )["s"]
        if own is not None and children is not None:
            assert own.pagu == children, kegiatan.nama


def test_tree_counts_per_level(seeded):
    assert Program.objects.filter(periode__opd=seeded).count() == 13
    assert Kegiatan.objects.filter(periode__opd=seeded).count() == 28
    assert SubKegiatan.objects.filter(periode__opd=seeded).count() == 69
    assert Indikator.objects.filter(periode__opd=seeded).count() == 126
    # Programs are linked to the sasaran they serve; the secretariat's supports none.
    assert Program.objects.filter(periode__opd=seeded, sasaran__isnull=True).count() == 1


def test_pk_budget_per_sasaran(seeded):
    amounts = sorted(
        AnggaranPk.objects.filter(sasaran__periode__opd=seeded, tahun=2024).values_list(
            "jumlah", flat=True
        )
    )
    assert amounts == [D("3421943800"), D("13792692350"), D("30141120200")]


def test_supporting_tables(seeded):
    status = DataPendukung.objects.get(opd=seeded, tahun=2024, kode="status_desa")
    assert status.kolom[-1] == "2024"
    rows = {r["label"]: r["nilai"] for r in status.baris}
    assert rows["Maju"][-1] == "84"
    assert rows["Jumlah"][-1] == "153"  # 154 desa until 2023, 153 in 2024 (SOURCES.md)
    assert status.indikator == iku("Persentase Desa dengan Klasifikasi")
    cpr = DataPendukung.objects.get(opd=seeded, kode="cpr_kecamatan_2024")
    assert {r["label"]: r["nilai"] for r in cpr.baris}["JUAI"] == ["3252", "2504", "77.00"]


def test_narrative_of_the_idg_sasaran_is_kept(seeded):
    realisasi = Realisasi.objects.get(indikator=iku("IDG"), tahun=2024, periode="tahunan")
    assert "Indeks Pemberdayaan Gender" in realisasi.analisis


def test_load_seed_twice_changes_nothing(seeded):
    models = [
        Opd,
        Bidang,
        Tujuan,
        Sasaran,
        Program,
        Kegiatan,
        SubKegiatan,
        Indikator,
        Target,
        Realisasi,
        Anggaran,
        AnggaranPk,
        Pembanding,
        DataPendukung,
    ]
    before = {m: m.objects.count() for m in models}
    history_before = Realisasi.history.count()
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {m: m.objects.count() for m in models} == before
    assert Realisasi.history.count() == history_before  # not even an audit record


def test_the_dspppapmd_decree_is_loaded_with_every_row(seeded):
    decree = Opd.objects.get(kode="DSPPPAPMD")
    assert decree.kepala_nama == "Drs. URAI NUR ISKANDAR, MM"
    assert decree.periode_set.get().nomor_dokumen == "188.45/143/SK/DSPPPAPMD/2021"
    assert Tujuan.objects.filter(periode__opd=decree).count() == 3
    assert Sasaran.objects.filter(periode__opd=decree).count() == 4
    assert Program.objects.filter(periode__opd=decree).count() == 14
    assert Kegiatan.objects.filter(periode__opd=decree).count() == 20
    assert SubKegiatan.objects.filter(periode__opd=decree).count() == 81
    assert Indikator.objects.filter(periode__opd=decree).count() == 141
    assert not Target.objects.filter(indikator__periode__opd=decree).exists()  # no targets


def test_desa_maju_has_its_components_2021_to_2024_from_the_desa_status_table(seeded):
    from indicators.models import NilaiKomponen

    ind = iku("Persentase Desa dengan Klasifikasi")
    values = {
        (v.tahun, v.komponen.peran): v.nilai
        for v in NilaiKomponen.objects.filter(komponen__rumus__indikator=ind).select_related(
            "komponen"
        )
    }
    assert values == {
        (2021, "pembilang"): 26,
        (2021, "penyebut"): 154,
        (2022, "pembilang"): 96,
        (2022, "penyebut"): 154,
        (2023, "pembilang"): 103,
        (2023, "penyebut"): 154,
        (2024, "pembilang"): 84,
        (2024, "penyebut"): 153,
    }
    realisasi = dict(
        Realisasi.objects.filter(indikator=ind, periode="tahunan").values_list("tahun", "nilai")
    )
    assert realisasi == {
        2021: D("16.883117"),
        2022: D("62.337662"),
        2023: D("66.883117"),
        2024: D("54.901961"),
    }


def test_a_components_source_reads_as_the_document_not_as_a_line_of_its_text():
    # The fixtures cite "002:L1-L2" (fixtures/SOURCES.md); leadership read the source beside
    # the figure, where "sumber: 002:1868-1874" meant nothing.
    from intake.seed import readable_source

    assert readable_source("002:1868-1874, 002:1800 (153 desa)") == (
        "LAKIP 2024 DP3APPKBPMD (153 desa)"
    )
    assert readable_source("000:120-131") == "SK IKU DSPPPAPMD 2021"
    assert readable_source("IDM Kemendes, BPS") == "IDM Kemendes, BPS"
    assert readable_source("") == ""
