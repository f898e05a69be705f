"""Parse the annex table of an IKU/IK decree (Keputusan Kepala Dinas) into a Renstra tree.

Pure module, no Django: rows in, a tree of nodes with indicators and a list of problems out,
so it runs in plain pytest and serves the importer (``intake.decree_import``), the admin
upload and the seed loader alike.

The annex is a 9-column table (``COLUMNS``): No, Tujuan/Sasaran or Program (the node name),
Indikator Kinerja, Makna, Alasan, Formulasi, Sumber/Referensi, Sumber Data, Penanggung Jawab,
in three sections: tujuan and sasaran ("A. TUJUAN DAN SASARAN …"), programs ("A. PROGRAM" or
"PROGRAM") and kegiatan with sub-kegiatan ("B. KEGIATAN DAN SUB KEGIATAN"), where each block of
kegiatan opens with a header row naming its program.

Real decrees are messy; every rule below exists because of a case in the 2021 DSPPPAPMD decree
(``fixtures/decree/dspppapmd_iku_2021.txt``, line numbers in the tests):

* Cells are cleaned: HTML tags (``<b>…</b>``), markdown bold (``**``), ``$…$`` math wrappers
  and HTML entities go, whitespace is collapsed, a leading ``=`` (a spreadsheet artefact that
  would turn into a formula on export) is dropped, and a cell of dashes only means "nothing".
* A definition cell repeating its column label (``<b>Makna Indikator</b> : …``) loses it.
* Section title rows switch the section; header rows (repeated ones too), the column-number row
  ``1 2 … 9`` and markdown separator rows (``-----``) are skipped silently, as are empty rows.
* "Tujuan 1 :" / "Sasaran 2 :" prefixes decide the level in section A; they are removed from
  the name and their number becomes ``urutan``.
* A row with an empty name cell is a continuation: one more indicator of the node above.
* Rows shifted one column left (the No cell lost, a blank or duplicated filler cell inserted
  further right to keep nine cells) are recognised by content and re-aligned (``_realign``).
* Program header rows of the kegiatan section are matched to the programs of the program
  section by normalised name (``normalise_name``: no markup, code, "PROGRAM" word, case or
  punctuation), else by ``difflib`` ratio >= ``FUZZY_RATIO`` on those normalised names — typos
  such as "LEMVAGA"/"LEMBAGA" or "PENGARUSTAMAAN"/"PENGARUSUTAMAAN". A header that matches no
  program creates one and is reported as a problem, since the program then has no indicator.
* Kegiatan versus sub-kegiatan, first rule that applies: an explicit "Kegiatan :" /
  "Sub Kegiatan :" prefix; a Permendagri 90/2019 code (4–5 segments kegiatan, 6 sub-kegiatan); the
  penanggung jawab — a kepala bidang ("Kabid …", "Kepala Bidang …") answers for a kegiatan, a
  kepala seksi ("Kasi …", "Kepala Seksi …", "Seksi …") for a sub-kegiatan, which is how the
  seed marks its levels; otherwise the first row after a program header is its kegiatan and
  later rows are sub-kegiatan of the current kegiatan. An unmarked later kegiatan thus reads as
  a sub-kegiatan; two siblings of one name (a sign of it) are listed in ``warnings``.

Nothing is silently dropped: every non-empty row that cannot be placed becomes a ``Problem``
with its row number (line number for .txt, row for .csv and .xlsx) and an Indonesian message.
Rows that were placed but deserve a human look go to ``DecreeResult.warnings``, which importers
may show without counting them as failures.
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Literal

import openpyxl

Level = Literal["tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"]
Jenis = Literal["IKU", "IK"]
Section = Literal["tujuan", "program", "kegiatan"]

LEVELS: tuple[Level, ...] = ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")
COLUMNS = 9
# 0.9 on normalised names absorbs one or two wrong letters in a 20+ character program name
# ("lemvaga", "pengarustamaan" score 0.99) while different programs, which differ by whole
# words, stay below it ("perlindungan perempuan" vs "perlindungan khusus anak": 0.59).
FUZZY_RATIO = 0.9
TEXT_SUFFIXES = {".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
COLUMN_NAMES = (
    "No, Tujuan/Sasaran atau Program, Indikator, Makna, Alasan, Formulasi, Sumber/Referensi, "
    "Sumber Data, Penanggung Jawab"
)
NO_TABLE = f"Tidak ditemukan tabel keputusan IKU/IK ({COLUMNS} kolom: {COLUMN_NAMES})."
LEVEL_LABELS: dict[str, str] = {
    "tujuan": "tujuan",
    "sasaran": "sasaran",
    "program": "program",
    "kegiatan": "kegiatan",
    "sub_kegiatan": "sub kegiatan",
}


@dataclass(frozen=True)
class RawRow:
    """One table row as read; ``number`` is the 1-based line (.txt) or row (.csv/.xlsx)."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """A row, by its number, and what is wrong with it (Indonesian, shown to planners)."""

    number: int
    message: str


class RawRows(list[RawRow]):
    """The rows of a file plus what went wrong while reading it.

    A list, so ``read_rows`` keeps its simple contract, that also carries an unreadable file's
    reason through ``parse_decree`` to the user as a ``Problem`` instead of an exception.
    """

    def __init__(
        self,
        rows: Iterable[RawRow] = (),
        problems: Iterable[Problem] = (),
        warnings: Iterable[Problem] = (),
    ) -> None:
        super().__init__(rows)
        self.problems: list[Problem] = list(problems)
        self.warnings: list[Problem] = list(warnings)


@dataclass
class DecreeIndicator:
    nama: str
    makna: str
    alasan: str
    formulasi: str
    referensi: str
    sumber_data: str
    penanggung_jawab: str
    jenis: Jenis  # IKU for tujuan/sasaran, IK below
    row: int


@dataclass
class DecreeNode:
    level: Level
    nama: str
    urutan: int
    kode: str | None  # Permendagri 90/2019 code ("2.08.02") when the name started with one
    row: int
    indicators: list[DecreeIndicator] = field(default_factory=list)
    children: list[DecreeNode] = field(default_factory=list)

    def walk(self) -> Iterator[DecreeNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class DecreeResult:
    # Tujuan (with their sasaran) first, then programs (with kegiatan and sub-kegiatan).
    nodes: list[DecreeNode] = field(default_factory=list)
    # Rows that could not be placed, and programs met only in the kegiatan section (placed on a
    # guess); importers report these, the seed loader refuses a file having any.
    problems: list[Problem] = field(default_factory=list)
    # Rows placed but worth a look: a node without indicator whose other cells were not used,
    # two siblings of one name, text above the table.
    warnings: list[Problem] = field(default_factory=list)
    # Rows recognised as shifted one column left and re-aligned.
    realigned: list[int] = field(default_factory=list)

    def walk(self) -> Iterator[DecreeNode]:
        for node in self.nodes:
            yield from node.walk()

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys((*LEVELS, "indikator"), 0)
        for node in self.walk():
            counts[node.level] += 1
            counts["indikator"] += len(node.indicators)
        return counts


# --------------------------------------------------------------------------------------------
# Reading files


def read_rows(path: Path) -> RawRows:
    """Read a decree table from .txt (tab-separated), .csv or .xlsx into numbered rows.

    From .txt the decree's own text before the annex table is left out. A file that cannot be
    read gives no rows and a ``Problem`` (see ``RawRows``), never an exception.
    """
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path)
    if suffix not in TEXT_SUFFIXES and suffix != ".csv":
        return RawRows(
            problems=[
                Problem(
                    1,
                    f"Format berkas «{suffix or path.name}» tidak didukung; gunakan .xlsx, .csv, "
                    "atau .txt (kolom dipisah tab).",
                )
            ]
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        return RawRows(problems=[Problem(1, f"Berkas tidak dapat dibaca: {exc.strerror}.")])
    if b"\x00" in data:
        return RawRows(problems=[Problem(1, "Berkas berisi data biner, bukan teks.")])
    text, warnings = _decode(data)
    rows = _read_text(text) if suffix in TEXT_SUFFIXES else _read_csv(text)
    rows.warnings[:0] = warnings
    return rows


def parse_file(path: Path) -> DecreeResult:
    """``parse_decree(read_rows(path))``."""
    return parse_decree(read_rows(path))


def rows_from_cells(rows: Iterable[Sequence[object]], start: int = 1) -> RawRows:
    """Number rows of cell values (e.g. an uploaded workbook's), the first being ``start``."""
    return RawRows(
        RawRow(number, tuple(_cell_text(value) for value in row))
        for number, row in enumerate(rows, start)
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store the No column as floats; "1.0" would not read as a row number.
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _decode(data: bytes) -> tuple[str, list[Problem]]:
    try:
        # utf-8-sig drops the BOM Excel writes in front of "CSV UTF-8" files.
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Indonesian Windows is cp1252: read it rather than refuse it.
        warning = Problem(1, "Berkas bukan UTF-8; dibaca sebagai Windows-1252. Periksa huruf.")
        return data.decode("cp1252", errors="replace"), [warning]


def _lines(text: str) -> list[str]:
    # Not str.splitlines(): it also splits on form feeds and U+2028, which would move the line
    # numbers quoted in problems away from what an editor shows.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _read_text(text: str) -> RawRows:
    lines = _lines(text)
    first = next((i for i, line in enumerate(lines) if "\t" in line), None)
    if first is None:
        return RawRows()
    # The table starts at the first tab-separated line; a section title ("A. TUJUAN DAN
    # SASARAN …") just above it belongs to the table, the decree's text above that does not.
    start = first
    for i in range(first - 1, -1, -1):
        line = _clean(lines[i])
        if not line:
            continue
        if _section_title(line) is None:
            break
        start = i
    return RawRows(
        RawRow(number, tuple(line.split("\t")))
        for number, line in enumerate(lines[start:], start + 1)
    )


def _read_csv(text: str) -> RawRows:
    best: list[list[str]] = []
    best_score = (-1, -1)
    for delimiter in (",", ";", "\t"):
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        # csv.Sniffer is misled by the decree's prose, full of commas: the delimiter giving the
        # most 9-column records wins; failing any (a wrong table), the one splitting the most.
        score = (
            sum(1 for r in records if len(_trim(r)) == COLUMNS),
            sum(1 for r in records if len(_trim(r)) > 1),
        )
        if score > best_score:
            best, best_score = records, score
    # Numbered by record, the row a spreadsheet shows; it is the line number unless a quoted
    # cell spans lines.
    return rows_from_cells(best)


def _read_xlsx(path: Path) -> RawRows:
    values = _sheet_values(path, data_only=True)
    if isinstance(values, Problem):
        return RawRows(problems=[values])
    # A formula cell gives its cached result, which files written by scripts lack; a decree
    # cell typed as "=Jumlah desa …" is text, so fall back to the formula's own text.
    if any(value is None for row in values for value in row):
        formulas = _sheet_values(path, data_only=False)
        if not isinstance(formulas, Problem):
            values = [
                [
                    value if value is not None or j >= len(frow) else frow[j]
                    for j, value in enumerate(row)
                ]
                for row, frow in zip(values, formulas, strict=False)
            ]
    return rows_from_cells(values)


def _sheet_values(path: Path, *, data_only: bool) -> list[list[object]] | Problem:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises a zoo of types on a malformed archive
        return Problem(1, f"Berkas .xlsx tidak dapat dibuka ({type(exc).__name__}).")
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        # Generated workbooks often carry a wrong <dimension>; without one, read-only mode reads
        # every stored row and yields empty ones for gaps, so numbering starts at row 1.
        sheet.reset_dimensions()
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


# --------------------------------------------------------------------------------------------
# Cleaning and recognising rows

TAG = re.compile(r"<[^<>]{1,40}>")
SPACE = re.compile(r"[\s\u00a0\u200b\ufeff]+")
DASHES = re.compile(r"[-–—]+")
SEPARATOR = re.compile(r"[-–—=:_ ]+")
# What the No column holds: 1, 2., 3), a, IV, 1.2 — anything else there is a shifted name.
ROW_NUMBER = re.compile(r"(?:\d{1,4}|[a-z]|[ivx]{1,5})(?:\.\d{1,3})*[.)]?", re.IGNORECASE)
ENUMERATED = re.compile(r"^\d{1,2}[.)]\s+")
CODE = re.compile(
    r"^(?P<kode>(?:\d{1,2}|X)\.(?:\d{1,2}|XX)(?:\.\d{1,4}){1,4})\.?(?:\s*[-–:]\s*|\s+)"
    r"(?P<rest>\S.*)$",
    re.IGNORECASE,
)
PREFIX = re.compile(
    r"^(?P<kind>tujuan|sasaran(?:\s+strategis)?|sub[\s-]*kegiatan|kegiatan|program)"
    r"\s*(?P<num>\d{1,3})?\s*[:.\-–]\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
PROGRAM_WORD = re.compile(r"^program\b\s*:?\s*", re.IGNORECASE)
KABID = re.compile(r"^(?:kabid|kepala\s+bidang)\b", re.IGNORECASE)
KASI = re.compile(r"^(?:kasi|kepala\s+seksi|seksi|kasubb?ag|kepala\s+sub)\b", re.IGNORECASE)
_ENUM = r"(?:(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s*)?"
_OPD = r"(?:\s+perangkat\s+daerah)?"
TITLES: tuple[tuple[Section, re.Pattern[str]], ...] = (
    (
        "tujuan",
        re.compile(
            _ENUM + r"(?:tujuan\s*(?:dan|/|&)\s*)?sasaran(?:\s+strategis)?" + _OPD, re.IGNORECASE
        ),
    ),
    ("tujuan", re.compile(_ENUM + r"tujuan" + _OPD, re.IGNORECASE)),
    ("program", re.compile(_ENUM + r"program" + _OPD, re.IGNORECASE)),
    (
        "kegiatan",
        re.compile(
            _ENUM + r"kegiatan(?:\s*(?:dan|/|&)\s*sub[\s-]*kegiatan)?" + _OPD, re.IGNORECASE
        ),
    ),
)
# A header cell is one of the column labels, whole ("No.", "Tujuan / Sasaran", "Makna
# Indikator", "Formulasi Perhitungan/Rumus", "Penanggung Jawab", …), possibly with a colon.
HEADER_LABEL = re.compile(
    r"no\.?|nomor(?: urut)?"
    r"|(?:(?:sub ?)?kegiatan|program|tujuan|sasaran(?: strategis)?)"
    r"(?: ?(?:/|dan|&) ?(?:(?:sub ?)?kegiatan|program|tujuan|sasaran(?: strategis)?))*"
    r"|indikator(?: kinerja)?(?: utama)?|makna(?: indikator)?"
    r"|alasan(?: memilih)?(?: indikator)?|(?:formulasi(?: perhitungan)?|rumus)(?: ?/ ?rumus)?"
    r"|(?:sumber ?/ ?)?referensi(?: indikator)?|sumber data|penanggung ?jawab",
)
# Column labels an author may repeat inside a definition cell, by logical column.
LABELS: dict[int, re.Pattern[str]] = {
    index: re.compile(rf"^(?:{pattern})\s*:\s*(?=\S)", re.IGNORECASE)
    for index, pattern in {
        2: r"indikator(?:\s+kinerja)?",
        3: r"makna(?:\s+indikator)?",
        4: r"alasan(?:\s+memilih)?(?:\s+indikator)?",
        5: r"(?:formulasi(?:\s+perhitungan)?|rumus)(?:\s*/\s*rumus)?",
        6: r"(?:sumber\s*/\s*)?referensi(?:\s+indikator)?",
        7: r"sumber\s+data",
        8: r"penanggung\s*jawab",
    }.items()
}
DEFINITION_NAMES = {
    3: "Makna",
    4: "Alasan",
    5: "Formulasi",
    6: "Sumber/Referensi",
    7: "Sumber Data",
    8: "Penanggung Jawab",
}


def _clean(value: str) -> str:
    text = html.unescape(value)
    text = TAG.sub(" ", text).replace("**", "")
    text = SPACE.sub(" ", text).strip()
    if len(text) > 1 and text.startswith("$") and text.endswith("$"):
        text = text[1:-1].strip()  # "$IPG : 1/3[…]$": the extraction's math markers
    text = re.sub(r"^=+\s*", "", text)
    return "" if DASHES.fullmatch(text) else text


def _trim(cells: Sequence[str]) -> list[str]:
    trimmed = list(cells)
    while trimmed and not trimmed[-1].strip():
        trimmed.pop()
    return trimmed


def _section_title(text: str) -> Section | None:
    for section, pattern in TITLES:
        if pattern.fullmatch(text):
            return section
    return None


def _is_header(cells: Sequence[str]) -> bool:
    # Four cells that are whole column labels make a header; data cells, even short made-up
    # ones, are not labels ("Makna Indikator : arti …" is a labelled value, not a label).
    hits = sum(
        1
        for cell in cells
        if HEADER_LABEL.fullmatch(" ".join(cell.casefold().split()).rstrip(" :"))
    )
    return hits >= 4


def _is_column_numbers(cells: Sequence[str]) -> bool:
    return len(cells) >= 3 and list(cells) == [str(n) for n in range(1, len(cells) + 1)]


def _is_separator(cells: Sequence[str]) -> bool:
    return all(not cell or SEPARATOR.fullmatch(cell) for cell in cells)


def normalise_name(text: str) -> str:
    """The comparable form of a node name: no markup, code, "PROGRAM" word, case or
    punctuation ("<b>Program Pemenuhan Hak Anak</b>" → "pemenuhan hak anak")."""
    text = _clean(text)
    match = CODE.match(text)
    if match:
        text = match["rest"]
    text = PROGRAM_WORD.sub("", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def _split_code(name: str) -> tuple[str | None, str]:
    match = CODE.match(name)
    if match:
        return match["kode"].upper(), match["rest"].strip()
    return None, name


def _code_level(kode: str | None) -> Level | None:
    """Permendagri 90/2019: program 2.08.02, kegiatan 2.08.02.2.01, sub 2.08.02.2.01.0001."""
    if kode is None:
        return None
    segments = kode.count(".") + 1
    if segments == 3:
        return "program"
    return "kegiatan" if segments in (4, 5) else "sub_kegiatan"


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class _Name:
    """A node name with its level marker ("Tujuan 1 :", "Kegiatan :") and code taken off."""

    nama: str
    kind: str | None
    number: int | None
    kode: str | None


def _parse_name(raw: str) -> _Name:
    kode, text = _split_code(raw)
    kind: str | None = None
    number: int | None = None
    match = PREFIX.match(text)
    if match:
        kind = re.sub(r"[\s-]+", "_", match["kind"].casefold())
        if kind.startswith("sasaran"):
            kind = "sasaran"
        number = int(match["num"]) if match["num"] else None
        text = match["rest"].strip()
        if kode is None:
            kode, text = _split_code(text)
    return _Name(text, kind, number, kode)


def _realign(cells: list[str], width: int) -> list[str] | None:
    """Undo a left shift (the No cell lost): remove the filler cell that kept the row at nine
    cells — a copy of the indicator (seed line 187) or a blank in the makna…formulasi range
    (lines 188, 189, 191, 192); cells after it were never shifted. ``None`` when a full row
    has no filler to remove, so one cell would have to be guessed away."""
    filler: int | None
    if cells[1] and " ".join(cells[2].casefold().split()) == " ".join(cells[1].casefold().split()):
        filler = 2
    elif width == COLUMNS or (not cells[5] and cells[4] and any(cells[6:])):
        filler = next((i for i in range(5, 1, -1) if not cells[i]), None)
    else:
        return ["", *cells[: COLUMNS - 1]]  # a short row: nothing was inserted
    if filler is None:
        return None
    return ["", *cells[:filler], *cells[filler + 1 :]]


# --------------------------------------------------------------------------------------------
# Parsing


def parse_decree(rows: Sequence[RawRow]) -> DecreeResult:
    """Build the tree of a decree's annex table; the rules are in the module docstring."""
    return _Parser(rows).run()


class _Parser:
    def __init__(self, rows: Sequence[RawRow]) -> None:
        self.rows = rows
        self.result = DecreeResult(
            problems=list(getattr(rows, "problems", ())),
            warnings=list(getattr(rows, "warnings", ())),
        )
        self.section: Section | None = None
        self.default_level: Level | None = None  # from a header naming only tujuan or sasaran
        self.tujuan: DecreeNode | None = None
        self.program: DecreeNode | None = None  # the program whose kegiatan block is open
        self.kegiatan: DecreeNode | None = None
        self.current: DecreeNode | None = None  # the node a continuation row extends
        self.programs: list[DecreeNode] = []
        self.tujuans: list[DecreeNode] = []
        self.prev_shifted = False

    def problem(self, number: int, message: str) -> None:
        self.result.problems.append(Problem(number, message))

    def warn(self, number: int, message: str) -> None:
        self.result.warnings.append(Problem(number, message))

    # -- driver ------------------------------------------------------------------------------

    def run(self) -> DecreeResult:
        cleaned = [(raw.number, _trim([_clean(c) for c in raw.cells])) for raw in self.rows]
        rows = [(n, cells) for n, cells in cleaned if cells and not _is_separator(cells)]
        if not rows:
            if not self.result.problems:
                self.problem(self.rows[0].number if self.rows else 1, NO_TABLE)
            return self.finish()
        start = next(
            (
                i
                for i, (_, cells) in enumerate(rows)
                if _is_header(cells) or _section_title(" ".join(c for c in cells if c))
            ),
            None,
        )
        header = next(((n, cells) for n, cells in rows if _is_header(cells)), None)
        if header is None:
            width = max(len(cells) for _, cells in rows)
            if width != COLUMNS:
                self.problem(rows[0][0], NO_TABLE)
                return self.finish()
        elif len(header[1]) != COLUMNS:
            self.problem(
                header[0],
                f"Judul kolom berisi {len(header[1])} kolom; tabel keputusan IKU/IK harus "
                f"{COLUMNS} kolom ({COLUMN_NAMES}). Tidak ada baris yang diimpor.",
            )
            for number, cells in rows:
                if number != header[0]:
                    self.problem(
                        number, f"Baris tidak dibaca: {len(cells)} kolom, bukan {COLUMNS}."
                    )
            return self.finish()
        for number, cells in rows[: start or 0]:
            # Titles above the table ("RUMUSAN INDIKATOR KINERJA …") are not table rows.
            if len(cells) > 1:
                self.warn(number, "Baris di atas tabel (sebelum judul kolom) tidak dibaca.")
        for number, cells in rows[start or 0 :]:
            self.row(number, cells)
        if not self.result.nodes and not self.result.problems:
            self.problem(rows[0][0], NO_TABLE)
        return self.finish()

    def finish(self) -> DecreeResult:
        rank = {"tujuan": 0}
        self.result.nodes.sort(key=lambda node: rank.get(node.level, 1))
        self.result.problems.sort(key=lambda p: p.number)
        self.result.warnings.sort(key=lambda p: p.number)
        return self.result

    # -- one row -----------------------------------------------------------------------------

    def row(self, number: int, cells: list[str]) -> None:
        if len(cells) > COLUMNS:
            self.problem(
                number,
                f"Baris berisi {len(cells)} kolom, lebih dari {COLUMNS}; tidak dapat ditempatkan.",
            )
            return
        if _is_header(cells):
            self.header(cells)
            return
        if _is_column_numbers(cells):
            return
        filled = [i for i, cell in enumerate(cells) if cell]
        if len(filled) == 1 and filled[0] <= 1:
            text = cells[filled[0]]
            section = _section_title(text)
            if section is not None:
                self.enter(section)
                return
            if filled[0] == 0 and not ROW_NUMBER.fullmatch(text):
                self.lone(number, text)
                return
        logical = cells + [""] * (COLUMNS - len(cells))
        shifted = self.is_shifted(logical)
        if shifted:
            realigned = _realign(logical, len(cells))
            if realigned is None:
                self.problem(
                    number,
                    "Baris bergeser satu kolom ke kiri (kolom No berisi teks) tetapi tidak dapat "
                    "diselaraskan: tidak ada sel pengisi yang dapat dibuang. Perbaiki kolomnya.",
                )
                self.prev_shifted = False
                return
            logical = realigned
            self.result.realigned.append(number)
        self.prev_shifted = shifted
        logical = [LABELS[i].sub("", c) if i in LABELS else c for i, c in enumerate(logical)]
        self.data(number, logical)

    def header(self, cells: Sequence[str]) -> None:
        # The name column's label tells the section only when no title did: the kegiatan
        # section's header says "Program" too (seed line 110).
        label = cells[1].casefold() if len(cells) > 1 else ""
        if self.section is None:
            if "kegiatan" in label:
                self.enter("kegiatan")
            elif "program" in label:
                self.enter("program")
            elif "tujuan" in label or "sasaran" in label:
                self.enter("tujuan")
        if self.section == "tujuan":
            tujuan, sasaran = "tujuan" in label, "sasaran" in label
            self.default_level = (
                "tujuan"
                if tujuan and not sasaran
                else "sasaran"
                if sasaran and not tujuan
                else None
            )

    def enter(self, section: Section) -> None:
        self.section = section
        self.current = None
        self.kegiatan = None
        self.program = None
        self.default_level = None

    def is_shifted(self, cells: list[str]) -> bool:
        first = cells[0]
        if first and not ROW_NUMBER.fullmatch(first) and any(cells[1:]):
            return True  # text in the No column: the No cell was lost (seed 187, 188, 191)
        # A continuation row shifted left has its indicator in the name column and the filler
        # gap of its shifted neighbours (alasan filled, formulasi empty, the last columns
        # filled), and follows a shifted row or numbers its indicator ("2. Jumlah …", 189).
        return bool(
            not first
            and cells[1]
            and not cells[5]
            and cells[4]
            and any(cells[6:])
            and (self.prev_shifted or ENUMERATED.match(cells[1]))
        )

    # -- rows with text in the first cell only -----------------------------------------------

    def lone(self, number: int, text: str) -> None:
        """In the kegiatan section, text alone in the first cell is a program header."""
        name = _parse_name(text)
        if self.section == "kegiatan" and name.kind not in ("kegiatan", "sub_kegiatan"):
            self.program_header(number, text)
            return
        if self.section == "program" and name.kind is None and self.match_program(text):
            # A known program's header with no section title before it: kegiatan have begun.
            self.warn(
                number,
                "Judul bagian «KEGIATAN DAN SUB KEGIATAN» tidak ada; bagian kegiatan dianggap "
                "mulai di baris ini.",
            )
            self.enter("kegiatan")
            self.program_header(number, text)
            return
        self.data(number, ["", text] + [""] * (COLUMNS - 2))

    def match_program(self, text: str) -> DecreeNode | None:
        kode, _ = _split_code(_clean(text))
        wanted = normalise_name(text)
        best: DecreeNode | None = None
        best_ratio = 0.0
        for program in self.programs:
            if kode and program.kode:
                if kode == program.kode:
                    return program
                continue  # two codes that differ are two programs, however alike the names
            have = normalise_name(program.nama)
            ratio = 1.0 if have == wanted else difflib.SequenceMatcher(None, wanted, have).ratio()
            if ratio > best_ratio:
                best, best_ratio = program, ratio
        return best if best_ratio >= FUZZY_RATIO else None

    def program_header(self, number: int, text: str) -> DecreeNode:
        program = self.match_program(text)
        if program is None:
            program = self.new_program(number, _parse_name(text))
            self.problem(
                number,
                f"Program «{_shorten(program.nama)}» hanya ada di bagian kegiatan, tidak cocok "
                "dengan program mana pun di bagian program; dibuat tanpa indikator program.",
            )
        self.program = program
        self.kegiatan = None
        self.current = program
        return program

    def new_program(self, number: int, name: _Name) -> DecreeNode:
        program = DecreeNode("program", name.nama, len(self.programs) + 1, name.kode, number)
        self.programs.append(program)
        self.result.nodes.append(program)
        return program

    # -- data rows ---------------------------------------------------------------------------

    def data(self, number: int, cells: list[str]) -> None:
        if not cells[1]:
            self.continuation(number, cells)
            return
        if self.section is None and not self.infer_section(cells[1]):
            self.problem(
                number,
                f"Baris «{_shorten(cells[1])}» berada di luar bagian tabel yang dikenal "
                "(tujuan/sasaran, program, kegiatan); tidak dapat ditempatkan.",
            )
            return
        if self.section == "tujuan":
            node = self.tujuan_row(number, cells)
        elif self.section == "program":
            node = self.program_row(number, cells)
        else:
            node = self.kegiatan_row(number, cells)
        self.current = node
        if node is None:
            return
        if cells[2]:
            self.add_indicator(node, number, cells)
            return
        unused = [DEFINITION_NAMES[i] for i in DEFINITION_NAMES if cells[i]]
        if unused and node.row == number:
            self.warn(
                number,
                f"{LEVEL_LABELS[node.level].capitalize()} «{_shorten(node.nama)}» tanpa nama "
                f"indikator; isian kolom {', '.join(unused)} tidak dipakai.",
            )

    def infer_section(self, name_text: str) -> bool:
        """No title and no header said where we are: the row's own marker may."""
        name = _parse_name(name_text)
        if name.kind in ("tujuan", "sasaran"):
            self.enter("tujuan")
        elif name.kind == "program" or PROGRAM_WORD.match(name.nama):
            self.enter("program")
        elif name.kind in ("kegiatan", "sub_kegiatan"):
            self.enter("kegiatan")
        return self.section is not None

    def continuation(self, number: int, cells: list[str]) -> None:
        if not cells[2]:
            self.problem(
                number,
                "Baris tanpa nama dan tanpa indikator; isinya tidak dapat ditempatkan."
                if any(cells[3:])
                else "Baris hanya berisi nomor; tidak dapat ditempatkan.",
            )
            return
        if self.current is None:
            self.problem(
                number,
                f"Indikator «{_shorten(cells[2])}» tanpa tujuan/sasaran/program di atasnya; "
                "tidak dapat ditempatkan.",
            )
            return
        self.add_indicator(self.current, number, cells)

    def add_indicator(self, node: DecreeNode, number: int, cells: list[str]) -> None:
        node.indicators.append(
            DecreeIndicator(
                # "1. jumlah sekolah …" (seed 199–202): the list number is the order, kept by
                # the list itself.
                nama=ENUMERATED.sub("", cells[2]),
                makna=cells[3],
                alasan=cells[4],
                formulasi=cells[5],
                referensi=cells[6],
                sumber_data=cells[7],
                penanggung_jawab=cells[8],
                jenis="IKU" if node.level in ("tujuan", "sasaran") else "IK",
                row=number,
            )
        )

    def tujuan_row(self, number: int, cells: list[str]) -> DecreeNode | None:
        name = _parse_name(cells[1])
        if name.kind is None and PROGRAM_WORD.match(name.nama):
            self.warn(
                number,
                "Judul bagian «PROGRAM» tidak ada; bagian program dianggap mulai di baris ini.",
            )
            self.enter("program")
            return self.program_row(number, cells)
        level: Level | None
        if name.kind in ("tujuan", "sasaran"):
            level = "tujuan" if name.kind == "tujuan" else "sasaran"
        elif name.kind is None:
            level = self.default_level
        else:
            level = None
        if level is None:
            self.problem(
                number,
                f"Tidak jelas apakah «{_shorten(cells[1])}» tujuan atau sasaran; awali namanya "
                "dengan «Tujuan n :» atau «Sasaran n :».",
            )
            return None
        if level == "tujuan":
            urutan = name.number or len(self.tujuans) + 1
            node = DecreeNode("tujuan", name.nama, urutan, name.kode, number)
            self.tujuans.append(node)
            self.result.nodes.append(node)
            self.tujuan = node
            return node
        if self.tujuan is None:
            self.problem(
                number,
                f"Sasaran «{_shorten(name.nama)}» muncul sebelum tujuan mana pun; tidak dapat "
                "ditempatkan.",
            )
            return None
        # "Sasaran n": the decree's own number (the seed numbers 1, 1, 2, 3 across tujuan).
        urutan = name.number or len(self.tujuan.children) + 1
        node = DecreeNode("sasaran", name.nama, urutan, name.kode, number)
        self.tujuan.children.append(node)
        return node

    def program_row(self, number: int, cells: list[str]) -> DecreeNode | None:
        name = _parse_name(cells[1])
        if name.kind not in (None, "program"):
            self.problem(
                number,
                f"Baris «{_shorten(cells[1])}» bertanda {LEVEL_LABELS.get(name.kind or '')} "
                "di bagian program; tidak dapat ditempatkan.",
            )
            return None
        existing = self.match_program(cells[1])
        if existing is not None:
            self.warn(
                number,
                f"Program «{_shorten(name.nama)}» sudah tercantum di baris {existing.row}; "
                "indikator baris ini ditambahkan ke program itu.",
            )
            return existing
        return self.new_program(number, name)

    def kegiatan_row(self, number: int, cells: list[str]) -> DecreeNode | None:
        name = _parse_name(cells[1])
        level = _code_level(name.kode)
        if (
            name.kind == "program"
            or level == "program"
            or (name.kind is None and PROGRAM_WORD.match(name.nama))
        ):
            # A program header carrying cells: the indicator is the program's, once.
            program = self.program_header(number, cells[1])
            if any(i.nama == ENUMERATED.sub("", cells[2]) for i in program.indicators):
                cells[2] = ""  # the program section gave it already; do not add it twice
            return program
        if name.kind in ("tujuan", "sasaran"):
            self.problem(
                number,
                f"Baris «{_shorten(cells[1])}» bertanda {name.kind} di bagian kegiatan; tidak "
                "dapat ditempatkan.",
            )
            return None
        if self.program is None:
            self.problem(
                number,
                f"«{_shorten(name.nama)}» muncul sebelum judul program mana pun di bagian "
                "kegiatan; tidak dapat ditempatkan.",
            )
            return None
        if name.kind == "kegiatan":
            level = "kegiatan"
        elif name.kind == "sub_kegiatan":
            level = "sub_kegiatan"
        elif level is None and KABID.match(cells[8]):
            level = "kegiatan"
        elif level is None and KASI.match(cells[8]):
            level = "sub_kegiatan"
        elif level is None:
            level = "kegiatan" if self.kegiatan is None else "sub_kegiatan"
        if level == "kegiatan":
            parent = self.program
        elif self.kegiatan is None:
            self.problem(
                number,
                f"Sub kegiatan «{_shorten(name.nama)}» tanpa kegiatan di atasnya; tidak dapat "
                "ditempatkan.",
            )
            return None
        else:
            parent = self.kegiatan
        key = normalise_name(name.nama)
        twin = next((c for c in parent.children if normalise_name(c.nama) == key), None)
        if twin is not None:
            self.warn(
                number,
                f"{LEVEL_LABELS[level].capitalize()} «{_shorten(name.nama)}» sudah ada di baris "
                f"{twin.row} di bawah induk yang sama; bila baris ini milik kegiatan lain, tandai "
                "kegiatan itu dengan «Kegiatan :».",
            )
        node = DecreeNode(level, name.nama, len(parent.children) + 1, name.kode, number)
        parent.children.append(node)
        if level == "kegiatan":
            self.kegiatan = node
        return node
