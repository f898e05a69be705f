"""The pure decree parser (``intake.decree``): the real 2021 DSPPPAPMD decree, each kind of
mess it contains rebuilt as a small table, the same table as .csv and .xlsx, and bad files.

Runs without Django: ``.venv/bin/pytest indicators/tests/test_decree.py -q -p no:django``.

How the seed's counts were established (line numbers of fixtures/decree/dspppapmd_iku_2021.txt,
read by hand, then cross-checked with awk over the tab-separated cells):

* tujuan 3: lines 74, 76, 82 ("Tujuan 1 :", "Tujuan 2 :", "Tujuan 3 :").
* sasaran 4: lines 75, 77, 80, 83 ("Sasaran 1 :", "Sasaran 1:", "Sasaran 2 :", "Sasaran 3 :").
* program 14: the program section, lines 89, 91–95, 98, 99, 101–106. The kegiatan section's 14
  program headers (114, 126, 142, 149, 159, 163, 173, 180, 190, 196, 211, 225, 233, 250) are
  the same 14 programs, however spelled, so they add none.
* kegiatan 20 + sub-kegiatan 81 = the 101 named rows of the kegiatan section (lines 115–262
  whose name cell, or whose No cell for the shifted lines 187/188/191/192, holds text; awk:
  ``$1=="" && $2!=""`` or No-cell text with a non-empty second cell, line 189 excluded as the
  shifted continuation it is). Kegiatan: the 17 rows whose penanggung jawab is a kepala bidang
  (115 143 150 160 168 174 178 181 187 191 197 204 212 216 221 229 251; 204 also says
  "Kegiatan :"), plus the first row of the three blocks whose first row names no kabid (130: no
  penanggung jawab, 164: empty, 234: "Kepala Dinas").
* indikator 141: every row from line 74 on with an indicator cell (column 3; column 2 for the
  shifted rows 187–189, 191, 192): 7 in section A (74, 76, 77, 78, 80, 81, 82), 16 in the
  program section (14 programs plus continuation rows 96 and 97), 118 in the kegiatan section.
"""

from __future__ import annotations

import csv
import difflib
import string
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from intake.decree import (
    COLUMNS,
    FUZZY_RATIO,
    DecreeNode,
    DecreeResult,
    Problem,
    RawRow,
    normalise_name,
    parse_decree,
    parse_file,
    read_rows,
    rows_from_cells,
)

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "decree" / "dspppapmd_iku_2021.txt"
HEADER = [
    "No.",
    "Tujuan / Sasaran",
    "Indikator Kinerja",
    "Makna Indikator",
    "Alasan Memilih Indikator",
    "Formulasi Perhitungan/Rumus",
    "Sumber/Referensi Indikator",
    "Sumber Data",
    "Penanggung Jawab",
]
PROGRAM_HEADER = ["No.", "Program", *HEADER[2:]]


@pytest.fixture(autouse=True)
def _media_root() -> None:
    """Shadows the project conftest's autouse fixture, which needs pytest-django's
    ``settings``: this module is pure and must run with ``-p no:django``."""


@pytest.fixture(scope="module")
def seed() -> DecreeResult:
    return parse_file(SEED)


def table(*lines: Sequence[str]) -> list[RawRow]:
    return [RawRow(n, tuple(cells)) for n, cells in enumerate(lines, start=1)]


def row(name: str = "", indicator: str = "", *rest: str, no: str = "") -> list[str]:
    cells = [no, name, indicator, *rest]
    return cells + [""] * (COLUMNS - len(cells))


def by_row(result: DecreeResult, number: int) -> DecreeNode:
    return next(node for node in result.walk() if node.row == number)


def programs(result: DecreeResult) -> list[DecreeNode]:
    return [node for node in result.nodes if node.level == "program"]


def all_texts(result: DecreeResult) -> Iterator[str]:
    for node in result.walk():
        yield node.nama
        for ind in node.indicators:
            yield from (ind.nama, ind.makna, ind.alasan, ind.formulasi, ind.referensi)
            yield from (ind.sumber_data, ind.penanggung_jawab)


# --------------------------------------------------------------------------------------------
# The seed decree


def test_the_seed_yields_the_hand_counted_tree(seed: DecreeResult) -> None:
    assert seed.counts() == {
        "tujuan": 3,
        "sasaran": 4,
        "program": 14,
        "kegiatan": 20,
        "sub_kegiatan": 81,
        "indikator": 141,
    }
    assert seed.problems == []


def test_the_seed_warnings_and_realigned_rows_are_exactly_the_known_ones(
    seed: DecreeResult,
) -> None:
    # 75, 83: sasaran rows with only "Kepala Dinas" in the last column; 140, 141: sub-kegiatan
    # named like 133 and 135 under the same kegiatan (they belong to kegiatan 139, unmarked).
    assert [w.number for w in seed.warnings] == [75, 83, 140, 141]
    assert "Penanggung Jawab tidak dipakai" in seed.warnings[0].message
    assert "sudah ada di baris 133" in seed.warnings[2].message
    assert seed.realigned == [187, 188, 189, 191, 192]


def test_the_text_reader_skips_the_decree_text_before_the_annex() -> None:
    rows = read_rows(SEED)
    assert rows[0] == RawRow(70, ("**A. TUJUAN DAN SASARAN PERANGKAT DAERAH**",))
    assert rows[2].number == 72 and rows[2].cells[:2] == ("No.", "Tujuan / Sasaran")
    assert rows[-1].number == 262


def test_tujuan_and_sasaran_lose_their_prefix_and_keep_its_number(seed: DecreeResult) -> None:
    tujuan = [n for n in seed.nodes if n.level == "tujuan"]
    assert [(t.row, t.urutan) for t in tujuan] == [(74, 1), (76, 2), (82, 3)]
    assert (
        tujuan[0].nama == "Meningkatnya kemandirian pemerlu pelayanan kesejahteraan sosial (PPKS)"
    )
    # "Sasaran 1:" (no space, line 77), numbered 1, 1, 2, 3 across tujuan as printed.
    assert [(s.row, s.urutan, s.nama) for s in tujuan[1].children] == [
        (77, 1, "Meningkatnya Kesetaraan Gender"),
        (80, 2, "Menurunnya angka kekerasan terhadap perempuan dan anak"),
    ]
    assert [(s.row, s.urutan) for s in tujuan[2].children] == [(83, 3)]
    assert seed.nodes[:3] == tujuan  # tujuan first, then programs


def test_a_sasaran_indicator_keeps_its_decree_fields(seed: DecreeResult) -> None:
    kekerasan = by_row(seed, 80).indicators[0]
    assert kekerasan.nama == (
        "Rasio kekerasan terhadap perempuan termasuk TPPO (per 100.000 penduduk perempuan)"
    )
    assert kekerasan.formulasi == (
        "(Jumlah Korban Perempuan) / (jumlah perempuan 18 Th ke atas) x (100.000)"
    )
    assert (kekerasan.referensi, kekerasan.sumber_data, kekerasan.penanggung_jawab) == (
        "PMDN 18 / 2020",
        "Bidang PPPA",
        "Kepala Dinas",
    )
    assert kekerasan.jenis == "IKU"
    # "$IDG : 1/3 (…)$" (line 77): the math markers go.
    assert by_row(seed, 77).indicators[0].formulasi == "IDG : 1/3 (Ipar + IDM + lin - Dist)"


def test_iku_above_and_ik_below(seed: DecreeResult) -> None:
    for node in seed.walk():
        expected = "IKU" if node.level in ("tujuan", "sasaran") else "IK"
        assert {i.jenis for i in node.indicators} <= {expected}


def test_continuation_rows_add_indicators_to_the_node_above(seed: DecreeResult) -> None:
    assert [i.row for i in by_row(seed, 77).indicators] == [77, 78]
    assert by_row(seed, 77).indicators[1].nama == (
        "Persentase ARG (Anggaran Responsive Gender) pada belanja langsung APBD)"
    )
    assert [i.row for i in by_row(seed, 95).indicators] == [95, 96, 97]
    assert [i.row for i in by_row(seed, 123).indicators] == [123, 124]
    # After a blank line (193) too.
    assert [i.row for i in by_row(seed, 192).indicators] == [192, 194]


def test_program_headers_of_the_kegiatan_section_match_the_program_section(
    seed: DecreeResult,
) -> None:
    assert [p.row for p in programs(seed)] == [
        89,
        91,
        92,
        93,
        94,
        95,
        98,
        99,
        101,
        102,
        103,
        104,
        105,
        106,
    ]
    # "LEMVAGA" in the program section, "Lembaga" in the header of line 250.
    lembaga = by_row(seed, 106)
    assert lembaga.nama == (
        "PROGRAM PEMBERDAYAAN LEMBAGA KEMASYARAKATAN, LEMVAGA ADAT DAN MASYARAKAT HUKUM ADAT"
    )
    assert [k.row for k in lembaga.children] == [251]
    # "PENGARUSTAMAAN" vs "<b>Program Pengarusutamaan …</b>" (163).
    assert [k.row for k in by_row(seed, 95).children] == [164, 168]
    # No "PROGRAM" word: "<b>Pengelolaan Sistem Data Gender dan Anak</b>" (190), "<b>Pemenuhan
    # Hak Anak</b>" (196); no markup, title case: "Program Peningkatan Kerjasama Desa" (225).
    assert [k.row for k in by_row(seed, 101).children] == [191]
    assert [k.row for k in by_row(seed, 102).children] == [197, 204]
    assert [k.row for k in by_row(seed, 104).children] == [229]
    assert all(p.children for p in programs(seed))


def test_the_fuzzy_match_is_what_absorbs_the_typos() -> None:
    assert normalise_name("<b>Pengelolaan Sistem Data Gender dan Anak</b>") == normalise_name(
        "PROGRAM PENGELOLAAN SISTEM DATA GENDER DAN ANAK"
    )

    def ratio(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, normalise_name(a), normalise_name(b)).ratio()

    assert (
        ratio(
            "PROGRAM PEMBERDAYAAN LEMBAGA KEMASYARAKATAN, LEMVAGA ADAT",
            "Program Pemberdayaan Lembaga Kemasyarakatan, Lembaga Adat",
        )
        >= FUZZY_RATIO
    )
    assert ratio("PROGRAM PENGARUSTAMAAN GENDER", "Program Pengarusutamaan Gender") >= FUZZY_RATIO
    assert ratio("PROGRAM PERLINDUNGAN PEREMPUAN", "PROGRAM PERLINDUNGAN KHUSUS ANAK") < FUZZY_RATIO


def test_kegiatan_and_sub_kegiatan_as_the_seed_marks_them(seed: DecreeResult) -> None:
    # 204 "Kegiatan : Penguatan …": the prefix decides and is removed.
    penguatan = by_row(seed, 204)
    assert penguatan.level == "kegiatan"
    assert penguatan.nama == (
        "Penguatan dan Pengembangan lembaga penyedia layanan peningkatan kualitas hidup anak "
        "kewenangan kabupaten/kota"
    )
    assert [s.row for s in penguatan.children] == [205, 206, 207, 209]
    # A kabid answers for a kegiatan (168 "Kabid PPPA"), a kepala seksi for a sub-kegiatan.
    assert by_row(seed, 168).level == "kegiatan"
    assert by_row(seed, 166).level == "sub_kegiatan"
    # No penanggung jawab: the first row of a block is its kegiatan (130), later rows subs (132).
    assert by_row(seed, 130).level == "kegiatan"
    assert by_row(seed, 132).level == "sub_kegiatan"
    assert [k.urutan for k in by_row(seed, 103).children] == [1, 2, 3]


def test_shifted_rows_are_realigned(seed: DecreeResult) -> None:
    # 187: name in the No column, the indicator repeated as filler.
    layanan = by_row(seed, 187)
    assert (layanan.level, layanan.nama) == (
        "kegiatan",
        "Penyedia Layanan Bagi Keluarga dalam Mewujudkan KG dan Hak Anak yang wilayah kerjanya "
        "dalam Daerah Kabupaten/Kota",
    )
    ikm = layanan.indicators[0]
    assert ikm.nama == "Indeks Kepuasan Masyarakat Terhadap Pelayanan PUSPAGA"
    assert ikm.makna.startswith("Indeks kepuasan masyarakat diperoleh dengan pengisian survey")
    assert (ikm.referensi, ikm.sumber_data, ikm.penanggung_jawab) == (
        "analisis statistik",
        "Bidang PPPA",
        "Kabid PPPA",
    )
    # 188: name in the No column, a blank filler after the formula; 189: a shifted
    # continuation ("2. Jumlah klien …" in the name column).
    komprehensif = by_row(seed, 188)
    assert komprehensif.level == "sub_kegiatan"
    assert [(i.row, i.nama) for i in komprehensif.indicators] == [
        (188, "Jumlah peserta yang mengikuti penyuluhan"),
        (189, "Jumlah klien pada PUSPAGA yang terlayani"),
    ]
    second = komprehensif.indicators[1]
    assert second.formulasi == "Jumlah klien yang berkunjung dan mendapatkan pelayanan di PUSPAGA"
    assert second.referensi.startswith("UU No 35/2014 tentang perlindungan anak")
    assert second.penanggung_jawab.startswith("Kepala Seksi Peningkatan Kualitas Keluarga")
    assert by_row(seed, 191).indicators[0].penanggung_jawab == "Kepala Bidang PPPA"


def test_markup_labels_and_whitespace_are_cleaned(seed: DecreeResult) -> None:
    pemberdayaan = by_row(seed, 89).indicators[0]
    # "<b>Makna Indikator</b> : Mengindikasikan … <b>Kriteria Berkualifikasi Terampil</b> : (1)."
    assert pemberdayaan.makna.startswith("Mengindikasikan jumlah PSKS yang berkualifikasi")
    assert "terampil dalam membantu penyelenggaraan kesejahteraan sosial Kriteria" in (
        pemberdayaan.makna
    )
    # "=Jumlah Desa …" (105): the spreadsheet's "=" goes.
    assert by_row(seed, 105).indicators[0].formulasi == (
        "Jumlah Desa yang menyampaikan LPPD tepat waktu/Jumlah Desa x 100%"
    )
    # "100 %  Ket" (82): whitespace collapsed.
    assert "100 % Ket : x : Jumlah desa" in by_row(seed, 82).indicators[0].formulasi
    # "1. jumlah sekolah …" (199–202): the list number is dropped from the indicator name.
    assert [i.nama for i in by_row(seed, 199).indicators][:2] == [
        "jumlah sekolah yang ramah anak",
        "jumlah ponpes yang memenuhi kriteria ramah anak",
    ]
    for text in all_texts(seed):
        assert text == text.strip()
        assert "  " not in text and "<" not in text and "**" not in text
        assert not text.startswith(("$", "="))


# --------------------------------------------------------------------------------------------
# Each mess case, small


def test_section_rows_switch_sections_and_headers_are_skipped_wherever_they_repeat() -> None:
    result = parse_decree(
        table(
            ["**A. TUJUAN DAN SASARAN PERANGKAT DAERAH**"],
            HEADER,
            [str(n) for n in range(1, 10)],
            row("Tujuan 1 : T", "IT", no="1"),
            HEADER,  # repeated on a new page
            row("Sasaran 1 : S", "IS", no="2"),
            ["PROGRAM"],
            ["<b>No.</b>", "<b>Program</b>", *(f"<b>{h}</b>" for h in HEADER[2:])],
            ["-----"] * COLUMNS,
            row("PROGRAM P", "IP"),
            ["B. KEGIATAN DAN SUB KEGIATAN"],
            PROGRAM_HEADER,  # says "Program" but the section stays kegiatan
            ["<b>PROGRAM P</b>"],
            row("K", "IK1"),
            [""] * COLUMNS,
            [],
        )
    )
    assert result.problems == [] and result.warnings == []
    assert [(n.level, n.nama, n.row) for n in result.walk()] == [
        ("tujuan", "T", 4),
        ("sasaran", "S", 6),
        ("program", "PROGRAM P", 10),
        ("kegiatan", "K", 14),
    ]


def test_prefix_variants_and_unprefixed_rows_in_section_a() -> None:
    result = parse_decree(
        table(
            ["A. TUJUAN DAN SASARAN"],
            HEADER,
            row("Tujuan 2 : Dua", "I1"),
            row("Sasaran Strategis 4 - Empat", "I2"),
            row("Sasaran: Tanpa nomor", "I3"),
            row("Tanpa awalan", "I4"),
        )
    )
    tujuan = result.nodes[0]
    assert (tujuan.nama, tujuan.urutan) == ("Dua", 2)
    assert [(s.nama, s.urutan) for s in tujuan.children] == [("Empat", 4), ("Tanpa nomor", 2)]
    assert [p.number for p in result.problems] == [6]
    assert "tujuan atau sasaran" in result.problems[0].message


def test_a_header_naming_only_sasaran_makes_unprefixed_rows_sasaran() -> None:
    result = parse_decree(
        table(
            ["A. TUJUAN DAN SASARAN"],
            HEADER,
            row("Tujuan 1 : T", "I"),
            ["No", "Sasaran", *HEADER[2:]],
            row("Meningkatnya X", "IX"),
        )
    )
    assert [(n.level, n.nama) for n in result.walk()] == [
        ("tujuan", "T"),
        ("sasaran", "Meningkatnya X"),
    ]


def test_markup_entities_math_and_label_cells_are_cleaned() -> None:
    result = parse_decree(
        table(
            ["A. PROGRAM"],
            PROGRAM_HEADER,
            row(
                "<b>PROGRAM  A&amp;B</b>",
                "<i>Indikator Kinerja</i>: Persentase",
                "<b>Makna Indikator</b> : arti <b>Kriteria</b> : x",
                "Alasan Memilih Indikator: sebab",
                "$a / b$",
                "=c",
                "-",
                " PJ\u00a0 satu ",
            ),
        )
    )
    program = result.nodes[0]
    ind = program.indicators[0]
    assert program.nama == "PROGRAM A&B"
    assert (ind.nama, ind.makna, ind.alasan, ind.formulasi, ind.referensi) == (
        "Persentase",
        "arti Kriteria : x",
        "sebab",
        "a / b",
        "c",
    )
    assert (ind.sumber_data, ind.penanggung_jawab) == ("", "PJ satu")


def test_program_headers_match_by_case_typo_and_missing_prefix_or_are_created_and_reported() -> (
    None
):
    result = parse_decree(
        table(
            ["A. PROGRAM"],
            PROGRAM_HEADER,
            row("PROGRAM PEMBERDAYAAN LEMBAGA KEMASYARAKATAN, LEMVAGA ADAT", "I1"),
            row("PROGRAM PENGARUSTAMAAN GENDER DAN PEMBERDAYAAN PEREMPUAN", "I2"),
            row("PROGRAM PERLINDUNGAN PEREMPUAN", "I3"),
            ["B. KEGIATAN DAN SUB KEGIATAN"],
            ["Program Pemberdayaan Lembaga Kemasyarakatan, Lembaga Adat"],
            row("K1", "IK1"),
            ["<b>Program Pengarusutamaan Gender dan Pemberdayaan Perempuan</b>"],
            row("K2", "IK2"),
            ["<b>perlindungan perempuan</b>"],
            row("K3", "IK3"),
            ["<b>PROGRAM PERLINDUNGAN KHUSUS ANAK</b>"],
            row("K4", "IK4"),
        )
    )
    assert [(p.nama[:30], [k.nama for k in p.children]) for p in programs(result)] == [
        ("PROGRAM PEMBERDAYAAN LEMBAGA K", ["K1"]),
        ("PROGRAM PENGARUSTAMAAN GENDER ", ["K2"]),
        ("PROGRAM PERLINDUNGAN PEREMPUAN", ["K3"]),
        ("PROGRAM PERLINDUNGAN KHUSUS AN", ["K4"]),
    ]
    assert [p.number for p in result.problems] == [13]
    assert "hanya ada di bagian kegiatan" in result.problems[0].message
    assert programs(result)[3].indicators == []


def test_codes_are_split_off_and_decide_matches_and_levels() -> None:
    result = parse_decree(
        table(
            ["PROGRAM"],
            PROGRAM_HEADER,
            row("2.08.02 PROGRAM PERLINDUNGAN PEREMPUAN", "I"),
            ["KEGIATAN DAN SUB KEGIATAN"],
            ["<b>2.08.02 Program Perlindungan Perempuan</b>"],
            row("2.08.02.2.01 Kegiatan Satu", "IK"),
            row("2.08.02.2.01.0001 Sub Satu", "IS", "", "", "", "", "", "Kabid X"),
            ["2.08.03 PROGRAM PERLINDUNGAN PEREMPUAN"],  # same name, other code: other program
        )
    )
    first, other = programs(result)
    assert (first.kode, first.nama) == ("2.08.02", "PROGRAM PERLINDUNGAN PEREMPUAN")
    kegiatan = first.children[0]
    assert (kegiatan.level, kegiatan.kode, kegiatan.nama) == (
        "kegiatan",
        "2.08.02.2.01",
        "Kegiatan Satu",
    )
    # The code outranks the "Kabid" penanggung jawab.
    assert [(s.level, s.kode) for s in kegiatan.children] == [("sub_kegiatan", "2.08.02.2.01.0001")]
    assert other.kode == "2.08.03"
    assert [p.number for p in result.problems] == [8]


def test_kegiatan_and_sub_kegiatan_prefixes_penanggung_jawab_and_position() -> None:
    result = parse_decree(
        table(
            ["B. KEGIATAN DAN SUB KEGIATAN"],
            PROGRAM_HEADER,
            ["<b>PROGRAM X</b>"],
            row("Pertama", "I1"),  # first row of the block: kegiatan
            row("Kedua", "I2"),  # then sub-kegiatan
            row("Kegiatan : Ketiga", "I3"),
            row("Sub Kegiatan: Keempat", "I4", "", "", "", "", "", "Kabid Y"),
            row("Kelima", "I5", "", "", "", "", "", "Kepala Bidang Z"),
            row("Keenam", "I6", "", "", "", "", "", "Kasi W"),
            row("Sub-Kegiatan : Ketujuh", "I7"),
            row("Kedua", "I8"),  # a name used under another kegiatan: fine
            row("Keenam", "I9"),  # a twin under the same kegiatan: placed, with a warning
        )
    )
    program = result.nodes[0]
    assert [(k.nama, [s.nama for s in k.children]) for k in program.children] == [
        ("Pertama", ["Kedua"]),
        ("Ketiga", ["Keempat"]),
        ("Kelima", ["Keenam", "Ketujuh", "Kedua", "Keenam"]),
    ]
    assert [p.number for p in result.problems] == [3]  # program X exists only here
    assert [w.number for w in result.warnings] == [12]
    assert "sudah ada di baris 9" in result.warnings[0].message


def test_rows_before_a_program_header_or_kegiatan_are_problems() -> None:
    result = parse_decree(
        table(
            ["B. KEGIATAN DAN SUB KEGIATAN"],
            PROGRAM_HEADER,
            row("Yatim", "I"),
            ["<b>PROGRAM X</b>"],
            row("Sub Kegiatan : Tanpa kegiatan", "I"),
        )
    )
    assert [p.number for p in result.problems] == [3, 4, 5]
    assert "sebelum judul program" in result.problems[0].message
    assert "tanpa kegiatan di atasnya" in result.problems[2].message


def test_continuation_rows_and_rows_that_cannot_be_placed() -> None:
    result = parse_decree(
        table(
            ["A. TUJUAN DAN SASARAN"],
            HEADER,
            row("", "Indikator yatim", "m"),
            row("Sasaran 1 : Terlalu awal", "I"),
            row("", "Indikator ikut yatim"),
            row("Tujuan 1 : T", "I1", no="1"),
            row("", "I2", "makna dua"),
            row("", "", "makna tanpa indikator"),
            row(no="7"),
            [*row("", "I3"), "", "kolom kesepuluh"],
            row("Sasaran 1 : S", "", "", "", "", "", "", "Kepala Dinas"),
        )
    )
    tujuan = result.nodes[0]
    assert [(i.nama, i.makna, i.row) for i in tujuan.indicators] == [
        ("I1", "", 6),
        ("I2", "makna dua", 7),
    ]
    assert [p.number for p in result.problems] == [3, 4, 5, 8, 9, 10]
    messages = [p.message for p in result.problems]
    assert "Indikator «Indikator yatim» tanpa tujuan/sasaran/program" in messages[0]
    assert "sebelum tujuan" in messages[1]
    assert "tanpa nama dan tanpa indikator" in messages[3]
    assert "hanya berisi nomor" in messages[4]
    assert "lebih dari 9" in messages[5]
    # Placed without an indicator, its lone "Kepala Dinas" reported as unused.
    assert [w.number for w in result.warnings] == [11]
    assert tujuan.children[0].indicators == []


def test_shifted_rows_of_each_shape_are_realigned() -> None:
    base = ["ind", "makna", "alasan", "rumus", "ref", "data", "pj"]
    result = parse_decree(
        table(
            ["B. KEGIATAN DAN SUB KEGIATAN"],
            PROGRAM_HEADER,
            ["<b>PROGRAM X</b>"],
            # 9 cells, a blank filler after the formula (seed 188)
            ["Kegiatan A", *base[:4], "", *base[4:]],
            # 9 cells, the indicator repeated as filler (seed 187)
            ["Sub B", "ind", "ind", *base[1:]],
            # 8 cells: the No cell lost and nothing inserted
            ["Sub C", *base],
            # a shifted continuation: "2. …" in the name column, filler blank (seed 189)
            ["", "2. ind dua", *base[1:4], "", *base[4:]],
            # a full 9-cell shifted row with no filler to drop: reported, not guessed
            ["Sub D", "i", "m", "a", "r", "x", "ref", "data", "pj"],
        )
    )
    kegiatan = result.nodes[0].children[0]
    nodes = [kegiatan, *kegiatan.children]
    assert [n.nama for n in nodes] == ["Kegiatan A", "Sub B", "Sub C"]
    for node in nodes:
        ind = node.indicators[0]
        assert (ind.nama, ind.makna, ind.alasan, ind.formulasi) == (
            "ind",
            "makna",
            "alasan",
            "rumus",
        )
        assert (ind.referensi, ind.sumber_data, ind.penanggung_jawab) == ("ref", "data", "pj")
    assert [i.nama for i in kegiatan.children[1].indicators] == ["ind", "ind dua"]
    assert result.realigned == [4, 5, 6, 7]
    assert [p.number for p in result.problems] == [3, 8]
    assert "bergeser" in result.problems[1].message


def test_an_ordinary_row_with_an_empty_formula_is_not_taken_for_a_shifted_one() -> None:
    result = parse_decree(
        table(
            ["A. PROGRAM"],
            PROGRAM_HEADER,
            row("PROGRAM A", "ind", "makna", "alasan", "", "ref", "data", "pj"),
            row("", "ind dua", "makna", "alasan", "", "ref", "data", "pj"),
        )
    )
    program = result.nodes[0]
    assert [(i.nama, i.formulasi, i.referensi) for i in program.indicators] == [
        ("ind", "", "ref"),
        ("ind dua", "", "ref"),
    ]
    assert result.realigned == []


def test_missing_section_titles_are_inferred_with_a_warning() -> None:
    result = parse_decree(
        table(
            HEADER,
            row("Tujuan 1 : T", "I"),
            row("PROGRAM A", "IP"),
            ["<b>PROGRAM A</b>"],
            row("K", "IK"),
        )
    )
    assert [(n.level, n.nama) for n in result.walk()] == [
        ("tujuan", "T"),
        ("program", "PROGRAM A"),
        ("kegiatan", "K"),
    ]
    assert result.problems == []
    assert [w.number for w in result.warnings] == [3, 4]


# --------------------------------------------------------------------------------------------
# The same table as .csv and .xlsx


def seed_lines() -> list[list[str]]:
    """The seed's table rows at their own line numbers (blank lines in between), so a .csv or
    .xlsx made of them cites the same numbers as the .txt."""
    rows = read_rows(SEED)
    lines: list[list[str]] = [[] for _ in range(rows[-1].number)]
    for raw in rows:
        lines[raw.number - 1] = list(raw.cells)
    return lines


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "utf-8-sig"), (",", "utf-8"), ("\t", "utf-8-sig")],
)
def test_the_table_as_csv_parses_to_the_same_result(
    tmp_path: Path, seed: DecreeResult, delimiter: str, encoding: str
) -> None:
    path = tmp_path / "keputusan.csv"
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh, delimiter=delimiter).writerows(seed_lines())
    assert parse_file(path) == seed


def test_the_table_as_xlsx_parses_to_the_same_result(tmp_path: Path, seed: DecreeResult) -> None:
    path = tmp_path / "keputusan.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for number, cells in enumerate(seed_lines(), start=1):
        for column, value in enumerate(cells, start=1):
            if value:
                # "=Jumlah Desa …" becomes a formula without a cached value, as in any
                # script-written workbook: the reader falls back to the formula's text.
                sheet.cell(row=number, column=column, value=value)
    workbook.create_sheet("Catatan").append(["not read: only the first sheet is"])
    workbook.save(path)
    assert parse_file(path) == seed


def test_rows_from_cells_turns_spreadsheet_values_into_text() -> None:
    rows = rows_from_cells([(1.0, "Tujuan 1 : T", None, 2.5)], start=5)
    assert rows == [RawRow(5, ("1", "Tujuan 1 : T", "", "2.5"))]


# --------------------------------------------------------------------------------------------
# Bad files: clear problems, never exceptions


def only_problem(result: DecreeResult) -> Problem:
    assert result.nodes == []
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


@pytest.mark.parametrize("name", ["kosong.txt", "kosong.csv"])
def test_an_empty_text_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    problem = only_problem(parse_file(path))
    assert problem.number == 1
    assert "Tidak ditemukan tabel keputusan IKU/IK" in problem.message


def test_a_text_file_of_prose_only(tmp_path: Path) -> None:
    path = tmp_path / "surat.txt"
    path.write_text("KEPUTUSAN\n\nMenimbang : bahwa …\n", encoding="utf-8")
    assert "Tidak ditemukan tabel" in only_problem(parse_file(path)).message


def test_an_empty_workbook_and_one_without_a_table(tmp_path: Path) -> None:
    empty = tmp_path / "kosong.xlsx"
    Workbook().save(empty)
    assert "Tidak ditemukan tabel" in only_problem(parse_file(empty)).message
    notes = tmp_path / "catatan.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Rapat penyusunan IKU"])
    sheet.append(["Hadir", "12 orang"])
    workbook.save(notes)
    assert "Tidak ditemukan tabel" in only_problem(parse_file(notes)).message


def test_a_table_with_the_wrong_column_count_everywhere(tmp_path: Path) -> None:
    # An older 8-column layout (no "Alasan"): every row is refused, each with its number.
    path = tmp_path / "delapan.csv"
    header = [h for h in PROGRAM_HEADER if not h.startswith("Alasan")]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerow(["1", "PROGRAM A", "Persentase X", "m", "f", "r", "d", "pj"])
        writer.writerow(["", "", "Jumlah Y", "m", "f", "r", "d", "pj"])
    result = parse_file(path)
    assert result.nodes == []
    assert [p.number for p in result.problems] == [1, 2, 3]
    assert "Judul kolom berisi 8 kolom" in result.problems[0].message
    assert "harus 9 kolom" in result.problems[0].message
    assert "8 kolom, bukan 9" in result.problems[1].message


def test_a_headerless_table_of_too_few_columns_is_no_table(tmp_path: Path) -> None:
    path = tmp_path / "lima.csv"
    path.write_text("1,PROGRAM A,Persentase X,%,90\n2,PROGRAM B,Jumlah Y,orang,12\n")
    assert "Tidak ditemukan tabel" in only_problem(parse_file(path)).message


def test_a_corrupt_workbook_an_unknown_format_and_a_binary_csv(tmp_path: Path) -> None:
    corrupt = tmp_path / "rusak.xlsx"
    corrupt.write_bytes(b"bukan arsip zip")
    assert ".xlsx tidak dapat dibuka" in only_problem(parse_file(corrupt)).message
    pdf = tmp_path / "keputusan.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert "tidak didukung" in only_problem(parse_file(pdf)).message
    binary = tmp_path / "keputusan.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00")
    assert "data biner" in only_problem(parse_file(binary)).message


def test_a_windows_1252_csv_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "ansi.csv"
    lines = [["A. PROGRAM"], PROGRAM_HEADER, row("PROGRAM PEMBERDAYAAN", "Persentase – é")]
    path.write_bytes("\r\n".join(";".join(cells) for cells in lines).encode("cp1252"))
    result = parse_file(path)
    assert result.problems == []
    assert result.nodes[0].indicators[0].nama == "Persentase – é"
    assert [w.number for w in result.warnings] == [1]


_CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "",
            "",
            "1",
            "<b>PROGRAM A</b>",
            "Tujuan 1 : T",
            "Sasaran 2: S",
            "Kegiatan : K",
            "A. PROGRAM",
            "B. KEGIATAN DAN SUB KEGIATAN",
            "Kabid X",
            "Kasi Y",
            "2.08.02 P",
            "-----",
            "No.",
            "Indikator Kinerja",
            "Makna Indikator",
            "$x$",
            "=y",
        ]
    ),
    st.text(alphabet=string.ascii_letters + " .:<>/$=-\t", max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=11), max_size=25))
def test_any_table_gives_problems_with_row_numbers_never_an_exception(
    cells: list[list[str]],
) -> None:
    rows = table(*cells)
    result = parse_decree(rows)
    numbers = {r.number for r in rows} | {1}
    for problem in [*result.problems, *result.warnings]:
        assert problem.number in numbers and problem.message
    for node in result.walk():
        assert node.nama and node.row in numbers
