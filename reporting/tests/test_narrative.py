"""The narrative check and the PK budget reconciliation: pure functions, no database."""

from decimal import Decimal
from types import SimpleNamespace

from reporting.builder import reconcile_pk_budget
from reporting.narrative import Figures, contradictions, names_of

D = Decimal


def figures(nama: str, capaian: str, *others: str) -> Figures:
    return Figures(nama, D(capaian), names_of(nama), [D(capaian), *(D(o) for o in others)])


IDG = figures("IDG (Indeks Pemberdayaan Gender)", "98.96", "74.04", "73.27", "96.41", "76")
TFR = figures("Angka Kelahiran Total (TFR)", "100.86", "2.33", "2.31")


def test_it_finds_a_capaian_the_data_do_not_give() -> None:
    text = "Capaian IDG tahun 2024 sebesar 98,62% dari target 74,04."

    found = contradictions(text, bagian="Penutup", figures=[IDG, TFR])

    assert [(c.indikator, c.stated, c.computed) for c in found] == [
        ("IDG (Indeks Pemberdayaan Gender)", D("98.62"), D("98.96"))
    ]
    assert found[0].message == (
        "IDG (Indeks Pemberdayaan Gender): narasi menyebut 98,62 %, hasil hitung 98,96 %"
    )


def test_a_sentence_naming_no_indicator_is_about_its_sasarans_iku() -> None:
    text = "Dari capaian realisasi tahun ini sebesar 98,62% dibandingkan target akhir 76."

    assert contradictions(text, bagian="Analisis", figures=[IDG, TFR]) == []
    found = contradictions(text, bagian="Analisis", figures=[IDG, TFR], context=[IDG])
    assert [c.stated for c in found] == [D("98.62")]


def test_figures_the_data_give_are_no_contradiction() -> None:
    text = (
        "Capaian IDG 98,96 % (realisasi 73,27 dari target 74,04); terhadap target akhir "
        "capaiannya 96,41 %. TFR capaian 100,86%."
    )

    assert contradictions(text, bagian="Penutup", figures=[IDG, TFR]) == []


def test_a_figure_quoted_with_fewer_decimals_agrees_when_it_is_the_rounded_figure() -> None:
    desa = figures("Persentase Desa dengan Klasifikasi Desa Maju", "122.00", "45", "54.90")

    assert contradictions("Capaian desa maju 122 %.", bagian="x", figures=[], context=[desa]) == []
    assert contradictions("Capaian 54,9 %.", bagian="x", figures=[], context=[desa]) == []
    found = contradictions("Capaian 121 %.", bagian="x", figures=[], context=[desa])
    assert [c.stated for c in found] == [D("121")]


def test_sentences_not_about_capaian_are_not_checked() -> None:
    text = "Sebanyak 98,69 % desa berstatus maju atau mandiri."

    assert contradictions(text, bagian="x", figures=[IDG], context=[IDG]) == []


def test_it_reads_negative_and_grouped_percentages() -> None:
    kekerasan = figures("Persentase Penurunan Kasus Kekerasan", "-1272.7272", "5.5", "-70")
    text = "Target 5,50% dan realisasi -70% sehingga capaian -127,2%; bukan -1.272,73 %."

    found = contradictions(text, bagian="x", figures=[], context=[kekerasan])

    assert [c.stated for c in found] == [D("-127.2")]


def test_an_indicator_is_named_by_its_abbreviation_or_its_name() -> None:
    assert names_of("IDG (Indeks Pemberdayaan Gender)") == (
        "IDG (Indeks Pemberdayaan Gender)",
        "IDG",
        "Indeks Pemberdayaan Gender",
    )
    assert "TFR" in names_of("Angka Kelahiran Total (TFR)")


def sasaran(pk: int, nama: str) -> SimpleNamespace:
    return SimpleNamespace(pk=pk, nama=nama)


def test_the_pk_budget_of_the_seed_is_explained_by_its_programs() -> None:
    s1, s2, s3, s4 = (sasaran(i, f"Sasaran {i}") for i in (1, 2, 3, 4))
    result = reconcile_pk_budget(
        [
            (s1, D("3421943800"), [("PUG", D("1422986500")), ("KK", D("1180343700"))]),
            (s2, None, [("PP", D("168973200")), ("PHA", D("481163400")), ("PKA", D("168477000"))]),
            (
                s3,
                D("30141120200"),
                [("Kerja Sama Desa", D("36313953300")), ("Adm Desa", D("30141120200"))],
            ),
            (s4, D("13792692350"), [("KB", D("13792692350"))]),
        ],
        [("Penunjang", D("13330460029"))],
    )

    assert result.total_pk == D("47355756350")
    assert result.total_program == D("83669709650")
    assert result.outside_pk == [("Kerja Sama Desa", D("36313953300"))]
    notes = [ln.note for ln in result.lines]
    assert notes == [
        "mencakup juga pagu program sasaran tanpa anggaran PK sendiri: Sasaran 2",
        "termasuk dalam anggaran PK sasaran «Sasaran 1»",
        "tidak memuat pagu Kerja Sama Desa (Rp 36.313.953.300), program sasaran ini yang tidak "
        "tercantum dalam baris PK",
        "sama dengan pagu program sasaran ini",
    ]
    assert "Selisih Rp 36.313.953.300: Kerja Sama Desa" in result.summary
    assert "Penunjang (Rp 13.330.460.029)" in result.summary
