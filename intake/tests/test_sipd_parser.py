"""intake.sipd: SIPD's exports read without a database; each bad cell named."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import Workbook

from intake.sipd import DPA, REALISASI, SipdFileError, amount_of, date_of, read_sipd

DPA_ROW = {
    "kode_skpd": "2.08.0.00",
    "kode_program": "2.08.01",
    "nama_program": "PROGRAM PENUNJANG",
    "kode_giat": "2.08.01.2.01",
    "nama_giat": "Perencanaan",
    "kode_sub_giat": "2.08.01.2.01.0001",
    "nama_sub_giat": "Penyusunan Dokumen",
    "pagu": "5.135.000,00",
    "pagumurni": "5.000.000",
}


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("5.135.000,00", Decimal("5135000.00")),
        ("5135000.00", Decimal("5135000.00")),
        ("5135000", Decimal("5135000")),
        (5135000, Decimal("5135000")),
        (5135000.5, Decimal("5135000.50")),
        (" ", None),
        (None, None),
    ],
)
def test_amounts_are_read_the_indonesian_way_or_plainly(cell, value):
    assert amount_of(cell) == value


@pytest.mark.parametrize(
    "cell",
    [
        "2024-03-15",
        "2024-03-15 10:11:12",
        "2024-03-15T10:11:12",
        "15-03-2024",
        "15/03/2024",
        dt.datetime(2024, 3, 15, 8),
        dt.date(2024, 3, 15),
    ],
)
def test_sp2d_dates_in_the_shapes_sipd_and_its_scrapers_write(cell):
    assert date_of(cell) == dt.date(2024, 3, 15)


def test_sheets_are_recognised_by_their_columns_and_a_title_above_the_header_is_skipped():
    dpa = [["DPA SKPD 2024"], list(DPA_ROW), list(DPA_ROW.values())]
    real = [
        ["kode_sub_giat", "kode_rekening", "nilai_realisasi", "tanggal_sp2d"],
        ["2.08.01.2.01.0001", "5.1.02", "1.250.000,50", "2024-04-02"],
    ]
    parsed = read_sipd(workbook(("Lembar1", real), ("apa", dpa), ("Catatan", [["bebas"]])))
    assert parsed.problems == []
    assert [(s.name, s.kind, s.rows) for s in parsed.sheets] == [
        ("Lembar1", REALISASI, 1),
        ("apa", DPA, 1),
        ("Catatan", None, 0),
    ]
    assert (parsed.dpa[0].pagu, parsed.dpa[0].pagu_murni, parsed.dpa[0].row) == (
        Decimal("5135000.00"),
        Decimal("5000000.00"),
        3,
    )
    assert (parsed.realisasi[0].nilai, parsed.realisasi[0].tanggal) == (
        Decimal("1250000.50"),
        dt.date(2024, 4, 2),
    )


def test_each_bad_cell_is_named_with_sheet_row_column_and_reason():
    rows = [
        list(DPA_ROW),
        list({**DPA_ROW, "pagu": "lima juta"}.values()),
        list({**DPA_ROW, "kode_sub_giat": "2.08.01.2.01.0002", "pagu": "-5"}.values()),
        list({**DPA_ROW, "kode_sub_giat": "", "nama_giat": ""}.values()),
        list({**DPA_ROW, "kode_sub_giat": "2.08.01.2.01.0003"}.values()),
        list({**DPA_ROW, "kode_sub_giat": "2.08.01.2.01.0003"}.values()),
    ]
    real = [["kode_sub_giat", "nilai_realisasi", "tanggal_sp2d"], ["2.08.01", "1", "kemarin"]]
    parsed = read_sipd(workbook(("DPA", rows), ("SP2D", real)))
    assert [str(p) for p in parsed.problems] == [
        "Lembar «DPA», baris 2, kolom pagu: «lima juta» bukan angka yang valid. "
        + str(parsed.problems[0]).split("valid. ")[1],
        "Lembar «DPA», baris 3, kolom pagu: Pagu tidak boleh negatif.",
        "Lembar «DPA», baris 4, kolom kode_sub_giat: Kode belum diisi.",
        "Lembar «DPA», baris 4, kolom nama_giat: Nama belum diisi.",
        "Lembar «SP2D», baris 2, kolom tanggal_sp2d: «kemarin» bukan tanggal "
        "(contoh: 2024-03-15 atau 15-03-2024).",
        "Lembar «DPA», baris 6, kolom kode_sub_giat: Sub kegiatan 2.08.01.2.01.0003 sudah ada "
        "di baris 5 (lembar «DPA»).",
    ]


def test_a_file_without_sipd_columns_or_not_a_workbook_is_refused():
    parsed = read_sipd(workbook(("x", [["nama", "nilai"], ["a", 1]])), "lain.xlsx")
    assert "Tidak ada lembar DPA" in str(parsed.problems[0])
    with pytest.raises(SipdFileError, match="bukan workbook"):
        read_sipd(b"PK\x03\x04 rusak", "rusak.xlsx")
    with pytest.raises(SipdFileError, match="bukan JSON"):
        read_sipd(b"{tidak json", "a.json")


def test_json_as_a_list_a_data_envelope_or_named_lists():
    for document in ([DPA_ROW], {"data": [DPA_ROW]}, {"dpa": [DPA_ROW], "catatan": "x"}):
        parsed = read_sipd(json.dumps(document).encode(), "sipd.json")
        assert parsed.problems == []
        assert parsed.dpa[0].pagu == Decimal("5135000.00")


def test_a_pemdas_file_is_split_by_skpd_and_one_skpds_file_is_taken_whole():
    other = {**DPA_ROW, "kode_skpd": "1.01.0.00", "kode_sub_giat": "1.01.01.2.01.0001"}
    parsed = read_sipd(json.dumps([DPA_ROW, other]).encode(), "pemda.json")
    assert [r.kode_sub_giat for r in parsed.rows_of("1.01.0.00")[0]] == ["1.01.01.2.01.0001"]
    assert parsed.rows_of("DINAS-X") == ([], [])
    single = read_sipd(json.dumps([DPA_ROW]).encode(), "opd.json")
    assert len(single.rows_of("DINAS-X")[0]) == 1
