"""The decree parser on the real 2021 DSPPPAPMD decree and on small made-up tables."""

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from intake.decree import RawRow, parse_decree, read_rows

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "decree" / "dspppapmd_iku_2021.txt"
HEADER = [
    "No.",
    "Program",
    "Indikator Kinerja",
    "Makna Indikator",
    "Alasan Memilih Indikator",
    "Formulasi Perhitungan/Rumus",
    "Sumber/Referensi Indikator",
    "Sumber Data",
    "Penanggung Jawab",
]


@pytest.fixture(scope="module")
def seed():
    return parse_decree(read_rows(SEED))


def rows(*lines: list[str]) -> list[RawRow]:
    return [RawRow(n, tuple(cells)) for n, cells in enumerate(lines, start=1)]


def program_table(*body: list[str]) -> list[RawRow]:
    return rows(["A. PROGRAM"], HEADER, *body)


def test_the_seed_decree_yields_the_counted_tree(seed):
    # Counted by hand in 000_…txt: tujuan on lines 74/76/82, sasaran on 75/77/80/83, programs
    # 89–106 (14), 141 indicator cells in column 3 of lines 74–262 (awk count in the note).
    assert seed.counts() == {
        "tujuan": 3,
        "sasaran": 4,
        "program": 14,
        "kegiatan": 20,
        "sub_kegiatan": 81,
        "indikator": 141,
    }
    assert seed.problems == []


def test_prefixes_are_stripped_and_sasaran_numbered_within_their_tujuan(seed):
    tujuan = seed.nodes[1]
    assert tujuan.nama == (
        "Meningkatnya kesetaraan gender, pemberdayaan dan perlindungan perempuan dan anak"
    )
    assert [(s.urutan, s.nama) for s in tujuan.children] == [
        (1, "Meningkatnya Kesetaraan Gender"),
        (2, "Menurunnya angka kekerasan terhadap perempuan dan anak"),
    ]


def test_a_continuation_row_adds_a_second_indicator_to_the_sasaran(seed):
    gender = seed.nodes[1].children[0]
    assert [i.nama for i in gender.indicators] == [
        "IDG (indeks Pemberdayaan Gender)",
        "Persentase ARG (Anggaran Responsive Gender) pada belanja langsung APBD)",
    ]
    assert gender.indicators[1].row == 78
    assert all(i.jenis == "IKU" for i in gender.indicators)


def test_decree_fields_are_kept_with_markup_removed(seed):
    program = next(n for n in seed.nodes if n.nama == "PROGRAM PEMBERDAYAAN SOSIAL")
    indikator = program.indicators[0]
    assert indikator.makna.startswith("Mengindikasikan jumlah PSKS")  # "<b>Makna Indikator</b> :"
    assert indikator.referensi == "Analisis mandiri"
    assert indikator.jenis == "IK"


def test_program_headers_in_the_kegiatan_section_are_matched_not_duplicated(seed):
    programs = [n for n in seed.nodes if n.level == "program"]
    assert len(programs) == 14
    lembaga = next(p for p in programs if "LEMVAGA" in p.nama)  # typo kept as printed
    assert [k.nama[:40] for k in lembaga.children] == ["Pemberdayaan Lembaga Kemasyarakatan yang"]
    data_gender = next(p for p in programs if "SISTEM DATA GENDER" in p.nama)
    assert data_gender.children  # header "<b>Pengelolaan Sistem Data Gender dan Anak</b>"


def test_a_shifted_row_is_realigned(seed):
    keluarga = next(n for n in seed.nodes if n.nama == "PROGRAM PENINGKATAN KUALITAS KELUARGA")
    layanan = keluarga.children[1]
    assert layanan.nama.startswith("Penyedia Layanan Bagi Keluarga")  # line 187, name in "No"
    assert layanan.indicators[0].nama == "Indeks Kepuasan Masyarakat Terhadap Pelayanan PUSPAGA"
    assert layanan.indicators[0].penanggung_jawab == "Kabid PPPA"
    komprehensif = layanan.children[0]  # line 188 shifted, 189 a shifted continuation row
    assert [i.nama for i in komprehensif.indicators] == [
        "Jumlah peserta yang mengikuti penyuluhan",
        "Jumlah klien pada PUSPAGA yang terlayani",
    ]
    assert komprehensif.indicators[1].referensi.startswith("UU No 35/2014")


def test_kabid_marks_a_kegiatan_and_kasi_a_sub_kegiatan():
    result = parse_decree(
        rows(
            ["B. KEGIATAN DAN SUB KEGIATAN"],
            HEADER,
            ["<b>PROGRAM X</b>"],
            ["", "Kegiatan A", "Ind A", "", "", "", "", "", "Kabid Satu"],
            ["", "Sub A1", "Ind A1", "", "", "", "", "", "Kasi Dua"],
            ["", "Sub A2", "Ind A2", "", "", "", "", "", ""],
            ["", "Kegiatan B", "Ind B", "", "", "", "", "", "Kepala Bidang Tiga"],
        )
    )
    program = result.nodes[0]
    assert [(k.nama, [s.nama for s in k.children]) for k in program.children] == [
        ("Kegiatan A", ["Sub A1", "Sub A2"]),
        ("Kegiatan B", []),
    ]
    # A program met only in the kegiatan section is created and reported.
    assert [p.number for p in result.problems] == [3]


def test_an_indicator_before_any_node_is_a_problem_with_its_row_number():
    result = parse_decree(program_table(["", "", "Indikator yatim", "m", "", "", "", "", ""]))
    first = result.problems[0]
    assert first.number == 3
    assert "Indikator «Indikator yatim» tanpa tujuan/sasaran/program" in first.message


def test_a_file_without_a_decree_table_is_a_clear_problem_not_an_exception(tmp_path):
    empty = tmp_path / "kosong.txt"
    empty.write_text("")
    result = parse_decree(read_rows(empty))
    assert result.nodes == []
    assert "Tidak ditemukan tabel keputusan" in result.problems[0].message
    prose = tmp_path / "surat.txt"
    prose.write_text("Surat biasa\ntanpa tabel\n")
    assert "Tidak ditemukan tabel" in parse_decree(read_rows(prose)).problems[0].message


def test_csv_and_xlsx_give_the_same_tree_as_the_text(tmp_path, seed):
    lines = [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]
    csv_path = tmp_path / "keputusan.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows(lines)
    xlsx_path = tmp_path / "keputusan.xlsx"
    workbook = Workbook()
    for line in lines:
        workbook.active.append(line)
    workbook.save(xlsx_path)
    for path in (csv_path, xlsx_path):
        other = parse_decree(read_rows(path))
        assert other.counts() == seed.counts(), path.suffix
        assert [n.nama for n in other.walk()] == [n.nama for n in seed.walk()]
