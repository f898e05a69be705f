"""Reading SIPD's exports (pure: no database).

SIPD (Kemendagri's regional planning and budgeting system) gives its tables as XLSX downloads
or JSON, one row per sub-kegiatan for the DPA and one row per document line for the realisasi,
with its own column names (``kode_sub_giat``, ``pagumurni``, ``nilai_realisasi`` …) and
Indonesian numbers ("5.135.000,00"). Each sheet of a workbook (each list of a JSON file) is
recognised by its columns, not by its name: users rename sheets and tools that scrape SIPD
name them as they like. A sheet that is neither is listed as ignored.

Every bad cell is reported with its sheet, row and column and the reason; the caller saves
nothing while any is reported.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from common.numbers import NumberParseError, parse_decimal

DPA = "dpa"
REALISASI = "realisasi"

# The columns that make a sheet a DPA or a realisasi export (SIPD's names, lower case).
DPA_COLUMNS = (
    "kode_program",
    "nama_program",
    "kode_giat",
    "nama_giat",
    "kode_sub_giat",
    "nama_sub_giat",
    "pagu",
)
REALISASI_COLUMNS = ("kode_sub_giat", "nilai_realisasi", "tanggal_sp2d")
KIND_LABEL = {DPA: "DPA (pagu)", REALISASI: "realisasi per dokumen"}
# A title above the header row is tolerated: the header is looked for in the first rows.
HEADER_SEARCH_ROWS = 10
MAX_PROBLEMS = 200

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d")
_CODE = re.compile(r"^[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*$")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int  # the row number the user sees (1-based, header included); 0 = the whole sheet
    column: str
    reason: str

    def __str__(self) -> str:
        # A problem of summed rows (a month's total) has no one sheet or row to name.
        parts = [f"Lembar «{self.sheet}»"] if self.sheet else []
        if self.row:
            parts.append(f"baris {self.row}")
        if self.column:
            parts.append(f"kolom {self.column}")
        return f"{', '.join(parts)}: {self.reason}" if parts else self.reason


@dataclass(frozen=True)
class DpaRow:
    sheet: str
    row: int
    kode_skpd: str
    kode_sub_skpd: str
    kode_program: str
    nama_program: str
    kode_giat: str
    nama_giat: str
    kode_sub_giat: str
    nama_sub_giat: str
    pagu: Decimal
    pagu_murni: Decimal | None


@dataclass(frozen=True)
class RealisasiRow:
    sheet: str
    row: int
    kode_skpd: str
    kode_sub_giat: str
    kode_rekening: str
    nilai: Decimal
    tanggal: dt.date


@dataclass(frozen=True)
class Sheet:
    name: str
    kind: str | None  # DPA, REALISASI or None (ignored)
    rows: int
    note: str = ""


@dataclass
class SipdFile:
    dpa: list[DpaRow] = field(default_factory=list)
    realisasi: list[RealisasiRow] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    # The rows grouped by SKPD, made once: a whole Pemda's file is imported OPD by OPD.
    _by_skpd: dict[str, tuple[list[DpaRow], list[RealisasiRow]]] | None = field(
        default=None, repr=False, compare=False
    )

    def problem(self, sheet: str, row: int, column: str, reason: str) -> None:
        self.problems.append(Problem(sheet, row, column, reason))

    def rows_of(self, kode_skpd: str) -> tuple[list[DpaRow], list[RealisasiRow]]:
        """The DPA and realisasi rows of one SKPD; every row when the file is one SKPD's
        (or names none): an OPD's code in Kinerja need not be SIPD's."""
        if self._by_skpd is None:
            groups: dict[str, tuple[list[DpaRow], list[RealisasiRow]]] = {}
            for dpa in self.dpa:
                groups.setdefault(dpa.kode_skpd, ([], []))[0].append(dpa)
            for doc in self.realisasi:
                groups.setdefault(doc.kode_skpd, ([], []))[1].append(doc)
            self._by_skpd = groups
        named = {k for k in self._by_skpd if k}
        if len(named) <= 1:
            return self.dpa, self.realisasi
        return self._by_skpd.get(kode_skpd, ([], []))


class SipdFileError(ValueError):
    """A file that cannot be read at all (not a workbook, not JSON)."""


# --- cells ------------------------------------------------------------------------------------


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def amount_of(value: Any) -> Decimal | None:
    """A rupiah amount from a cell: a number, or text written the Indonesian way or plainly
    ("5.135.000,00", "5135000.00"); None when blank. Raises NumberParseError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise NumberParseError(str(value), "bukan angka")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        # repr of a float is its shortest exact decimal: 5135000.1 stays 5135000.1.
        number = Decimal(repr(value))
    else:
        number = parse_decimal(str(value))
    if not number.is_finite():
        raise NumberParseError(str(value), "bukan angka")
    try:
        return number.quantize(CENT)
    except InvalidOperation as exc:
        raise NumberParseError(str(value), "terlalu besar") from exc


def date_of(value: Any) -> dt.date:
    """A document date: a date cell, or ISO/Indonesian text with an optional time."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = text_of(value)
    if not text:
        raise ValueError("Tanggal SP2D belum diisi.")
    day = re.split(r"[ T]", text, maxsplit=1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(day, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"«{text[:40]}» bukan tanggal (contoh: 2024-03-15 atau 15-03-2024).")


# --- sheets -----------------------------------------------------------------------------------


def _kind(header: Sequence[str]) -> str | None:
    names = set(header)
    if all(c in names for c in DPA_COLUMNS):
        return DPA
    if all(c in names for c in REALISASI_COLUMNS):
        return REALISASI
    return None


def _header_at(rows: Sequence[Sequence[Any]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if "kode_sub_giat" in {text_of(c).lower() for c in row}:
            return index
    return None


def read_table(result: SipdFile, name: str, rows: Sequence[Sequence[Any]]) -> None:
    """One sheet (a header row, then data rows) added to ``result``."""
    at = _header_at(rows)
    if at is None:
        if any(any(text_of(c) for c in row) for row in rows):
            result.sheets.append(Sheet(name, None, 0, "tidak ada kolom kode_sub_giat"))
        return
    header = [text_of(c).lower() for c in rows[at]]
    kind = _kind(header)
    if kind is None:
        wanted = set(DPA_COLUMNS) if "pagu" in header else set(REALISASI_COLUMNS)
        missing = ", ".join(sorted(wanted - set(header)))
        result.sheets.append(Sheet(name, None, 0, f"kolom {missing} tidak ada"))
        return
    where = {column: header.index(column) for column in dict.fromkeys(header) if column}
    count = 0
    for offset, values in enumerate(rows[at + 1 :], start=at + 2):
        cells = {c: (values[i] if i < len(values) else None) for c, i in where.items()}
        if not any(text_of(v) for v in cells.values()):
            continue
        count += 1
        if kind == DPA:
            _dpa_row(result, name, offset, cells)
        else:
            _realisasi_row(result, name, offset, cells)
    result.sheets.append(Sheet(name, kind, count))


def _code(result: SipdFile, sheet: str, row: int, cells: Mapping[str, Any], column: str) -> str:
    code = text_of(cells.get(column))
    if not code:
        result.problem(sheet, row, column, "Kode belum diisi.")
    elif not _CODE.match(code):
        result.problem(sheet, row, column, f"«{code[:40]}» bukan kode nomenklatur.")
    return code


def _amount(
    result: SipdFile, sheet: str, row: int, cells: Mapping[str, Any], column: str
) -> Decimal | None:
    try:
        value = amount_of(cells.get(column))
    except NumberParseError as exc:
        result.problem(sheet, row, column, str(exc))
        return None
    if value is not None and value < 0 and column != "nilai_realisasi":
        result.problem(sheet, row, column, "Pagu tidak boleh negatif.")
        return None
    return value


def _dpa_row(result: SipdFile, sheet: str, row: int, cells: Mapping[str, Any]) -> None:
    before = len(result.problems)
    codes = {c: _code(result, sheet, row, cells, c) for c in ("kode_program", "kode_giat")}
    sub = _code(result, sheet, row, cells, "kode_sub_giat")
    names = {c: text_of(cells.get(c)) for c in ("nama_program", "nama_giat", "nama_sub_giat")}
    for column, value in names.items():
        if not value:
            result.problem(sheet, row, column, "Nama belum diisi.")
    pagu = _amount(result, sheet, row, cells, "pagu")
    if pagu is None and len(result.problems) == before:
        result.problem(sheet, row, "pagu", "Pagu belum diisi.")
    murni = _amount(result, sheet, row, cells, "pagumurni")
    if len(result.problems) > before or pagu is None:
        return
    result.dpa.append(
        DpaRow(
            sheet=sheet,
            row=row,
            kode_skpd=text_of(cells.get("kode_skpd")),
            kode_sub_skpd=text_of(cells.get("kode_sub_skpd")),
            kode_program=codes["kode_program"],
            nama_program=names["nama_program"],
            kode_giat=codes["kode_giat"],
            nama_giat=names["nama_giat"],
            kode_sub_giat=sub,
            nama_sub_giat=names["nama_sub_giat"],
            pagu=pagu,
            pagu_murni=murni,
        )
    )


def _realisasi_row(result: SipdFile, sheet: str, row: int, cells: Mapping[str, Any]) -> None:
    before = len(result.problems)
    sub = _code(result, sheet, row, cells, "kode_sub_giat")
    nilai = _amount(result, sheet, row, cells, "nilai_realisasi")
    if nilai is None and len(result.problems) == before:
        result.problem(sheet, row, "nilai_realisasi", "Nilai realisasi belum diisi.")
    try:
        tanggal: dt.date | None = date_of(cells.get("tanggal_sp2d"))
    except ValueError as exc:
        result.problem(sheet, row, "tanggal_sp2d", str(exc))
        tanggal = None
    if len(result.problems) > before or nilai is None or tanggal is None:
        return
    result.realisasi.append(
        RealisasiRow(
            sheet=sheet,
            row=row,
            kode_skpd=text_of(cells.get("kode_skpd")),
            kode_sub_giat=sub,
            kode_rekening=text_of(cells.get("kode_rekening")),
            nilai=nilai,
            tanggal=tanggal,
        )
    )


# --- files ------------------------------------------------------------------------------------


def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read_only streams the rows (a whole Pemda's realisasi is 100.000 rows); data_only
        # reads a formula's cached value, never the formula.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SipdFileError("Berkas bukan workbook Excel (.xlsx) yang dapat dibaca.") from exc
    try:
        for sheet in workbook.worksheets:
            yield sheet.title, list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _json_tables(data: bytes, name: str) -> Iterator[tuple[str, list[list[Any]]]]:
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SipdFileError("Berkas bukan JSON yang dapat dibaca.") from exc
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        document = document["data"]
    tables: Iterable[tuple[str, Any]]
    if isinstance(document, list):
        tables = [(name, document)]
    elif isinstance(document, dict):
        tables = document.items()
    else:
        raise SipdFileError("JSON SIPD berisi daftar baris (objek dengan kolom SIPD).")
    for title, records in tables:
        if not isinstance(records, list):
            continue
        objects = [r for r in records if isinstance(r, dict)]
        header = list(dict.fromkeys(str(k) for r in objects for k in r))
        rows: list[list[Any]] = [header]
        rows += [[r.get(k) for k in header] for r in objects]
        yield str(title), rows


def read_sipd(data: bytes, filename: str = "") -> SipdFile:
    """Every DPA and realisasi row of an XLSX or JSON file, with each bad cell named."""
    result = SipdFile()
    stripped = data.lstrip()
    is_json = filename.lower().endswith(".json") or stripped[:1] in (b"[", b"{")
    tables = _json_tables(data, filename or "JSON") if is_json else _xlsx_sheets(data)
    for name, rows in tables:
        read_table(result, name, rows)
    if not any(s.kind for s in result.sheets) and not result.problems:
        result.problem(
            filename or "berkas",
            0,
            "",
            "Tidak ada lembar DPA (kolom kode_sub_giat, nama_sub_giat, kode_giat, kode_program, "
            "pagu …) atau realisasi (kode_sub_giat, nilai_realisasi, tanggal_sp2d).",
        )
    _duplicates(result)
    return result


def _duplicates(result: SipdFile) -> None:
    """A sub-kegiatan listed twice in the DPA of one sub-unit would count its pagu twice."""
    seen: dict[tuple[str, str, str], DpaRow] = {}
    for row in result.dpa:
        key = (row.kode_skpd, row.kode_sub_skpd, row.kode_sub_giat)
        first = seen.setdefault(key, row)
        if first is not row:
            result.problem(
                row.sheet,
                row.row,
                "kode_sub_giat",
                f"Sub kegiatan {row.kode_sub_giat} sudah ada di baris {first.row} "
                f"(lembar «{first.sheet}»).",
            )
