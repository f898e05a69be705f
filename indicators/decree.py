"""Parse an IKU/IK decree table (Keputusan Kepala Dinas) into a tree of nodes with indicators.

Pure Python, no Django: rows in, a tree and a list of problems out. The layout is the one
agencies use: 9 columns (No, Tujuan/Sasaran or Program, Indikator, Makna, Alasan, Formulasi,
Sumber/Referensi, Sumber Data, Penanggung Jawab) in three sections — tujuan and sasaran,
programs, kegiatan and sub-kegiatan. Real files are messy; each case handled here is one seen
in the 2021 DSPPPAPMD decree (``fixtures/decree/dspppapmd_iku_2021.txt``):

- section rows ("A. TUJUAN DAN SASARAN …", "A. PROGRAM", "B. KEGIATAN DAN SUB KEGIATAN"),
  repeated header rows ("No. | Tujuan / Sasaran | …", "1 | 2 | … | 9", "-----");
- "Tujuan 1 :" / "Sasaran 2 :" prefixes on the names, HTML ``<b>`` and Markdown ``**`` markup;
- continuation rows with an empty name that add another indicator to the previous node;
- program header rows inside the kegiatan section whose names differ from the program section
  (case, typos such as "LEMVAGA", a missing "PROGRAM" prefix): matched, never duplicated;
- kegiatan vs sub-kegiatan: the file does not mark the level, except a rare "Kegiatan :"
  prefix. The penanggung jawab tells it: a kepala bidang ("Kabid …", "Kepala Bidang …") answers
  for a kegiatan, a kepala seksi ("Kasi …", "Kepala Seksi …") for a sub-kegiatan. A row with
  no penanggung jawab is a sub-kegiatan of the current kegiatan (sub-kegiatan are far more
  numerous), or a kegiatan when its program has none yet;
- rows shifted one column left (the name in the "No" column): re-aligned by dropping the one
  spurious cell (an empty formula cell, or an indicator repeated twice).
Every row that cannot be placed becomes a :class:`Problem` with its row number.
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Level = Literal["tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"]
LEVELS: tuple[Level, ...] = ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")
N_COLUMNS = 9

# Names that are this similar (after normalising) are the same program written twice.
PROGRAM_MATCH_RATIO = 0.85


@dataclass(frozen=True)
class RawRow:
    number: int  # 1-based line (txt/csv) or row (xlsx) in the source file
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    number: int
    message: str


@dataclass
class DecreeIndicator:
    nama: str
    makna: str
    alasan: str
    formulasi: str
    referensi: str
    sumber_data: str
    penanggung_jawab: str
    jenis: Literal["IKU", "IK"]
    row: int


@dataclass
class DecreeNode:
    level: Level
    nama: str
    urutan: int
    row: int
    kode: str | None = None
    indicators: list[DecreeIndicator] = field(default_factory=list)
    children: list[DecreeNode] = field(default_factory=list)


@dataclass
class DecreeResult:
    nodes: list[DecreeNode]
    problems: list[Problem]

    def walk(self) -> Iterable[DecreeNode]:
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((*LEVELS, "indikator"), 0)
        for node in self.walk():
            counts[node.level] += 1
            counts["indikator"] += len(node.indicators)
        return counts


# --- reading ---------------------------------------------------------------------------------

_MARKUP = re.compile(r"</?b>|\*\*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def clean(text: object) -> str:
    """Strip markup and collapse whitespace; a None/number cell becomes text."""
    if text is None:
        return ""
    value = html.unescape(str(text))
    value = _MARKUP.sub("", value)
    return _SPACES.sub(" ", value).strip()


def rows_from_cells(rows: Iterable[Sequence[object]], start: int = 1) -> list[RawRow]:
    return [
        RawRow(number=n, cells=tuple(clean(c) for c in cells))
        for n, cells in enumerate(rows, start=start)
    ]


def read_rows(path: Path) -> list[RawRow]:
    """The table rows of a .txt (tab-separated), .csv or .xlsx decree file."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return rows_from_cells(sheet.iter_rows(values_only=True))
        finally:
            workbook.close()
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    if suffix == ".csv":
        # The sniffer reads the decree's prose (full of commas) and guesses wrong: choose the
        # delimiter that splits the most rows into the table's nine columns.
        def nine_columns(delimiter: str) -> int:
            reader = csv.reader(io.StringIO(text), delimiter=delimiter)
            return sum(1 for cells in reader if len(cells) == N_COLUMNS)

        delimiter = max((",", ";", "\t"), key=nine_columns)
        return rows_from_cells(csv.reader(io.StringIO(text), delimiter=delimiter))
    return rows_from_cells(line.split("\t") for line in text.splitlines())


# --- classifying rows ------------------------------------------------------------------------

_SECTION = re.compile(
    r"^(?:[A-Z]\.\s*)?(TUJUAN DAN SASARAN|PROGRAM|KEGIATAN DAN SUB ?KEGIATAN)\b", re.IGNORECASE
)
_PREFIX = re.compile(r"^(tujuan|sasaran)\s*(\d+)?\s*:\s*", re.IGNORECASE)
_KEGIATAN_PREFIX = re.compile(r"^(sub\s*kegiatan|kegiatan)\s*:\s*", re.IGNORECASE)
_KODE = re.compile(r"^(\d+(?:\.\d+){1,5})\s+")
_HEADER_WORDS = {"no", "no.", "tujuan / sasaran", "program", "indikator kinerja"}
# "Kepala Dinas" answers for whole programs' rows in places, so it tells nothing about level.
_KABID = re.compile(r"^(kabid|kepala bidang)\b", re.IGNORECASE)
_KASI = re.compile(r"^(kasi|kepala seksi|seksi|kasubbag|kepala sub)\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d+\.\s+\S")


def _padded(cells: tuple[str, ...]) -> list[str]:
    values = list(cells[:N_COLUMNS]) + [""] * (N_COLUMNS - len(cells))
    extra = [c for c in cells[N_COLUMNS:] if c]
    if extra:
        values[-1] = " ".join([values[-1], *extra]).strip()
    return values


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\d+\.?", text))


def _is_header(cells: list[str]) -> bool:
    lowered = [c.lower() for c in cells]
    if lowered[0] in _HEADER_WORDS and lowered[2] == "indikator kinerja":
        return True
    if all(re.fullmatch(r"-*", c) for c in cells) and any(cells):
        return True
    return [c for c in cells if c] == [str(i) for i in range(1, N_COLUMNS + 1)]


def _section_of(cells: list[str]) -> str | None:
    """'tujuan', 'program' or 'kegiatan' for a section row, else None."""
    filled = [c for c in cells if c]
    if len(filled) != 1:
        return None
    match = _SECTION.match(filled[0])
    if not match or len(filled[0]) > 60:
        return None
    word = match.group(1).lower()
    if word.startswith("tujuan"):
        return "tujuan"
    if word.startswith("kegiatan"):
        return "kegiatan"
    # "A. PROGRAM" is a section; "PROGRAM PEMBERDAYAAN SOSIAL" alone is a program header.
    return "program" if re.fullmatch(r"(?:[A-Z]\.\s*)?PROGRAM", filled[0], re.IGNORECASE) else None


def _realign(cells: list[str]) -> list[str]:
    """A row shifted one column left (name in the "No" column): drop its one spurious cell."""
    if cells[5] == "":
        body = cells[:5] + cells[6:]
    elif cells[2] and cells[1] and _norm(cells[2]).startswith(_norm(cells[1])[:20]):
        body = cells[:2] + cells[3:]
    else:
        body = cells[:8]
    return ["", *body]


def _realign_continuation(cells: list[str]) -> list[str]:
    """A continuation row shifted left: its numbered indicator ("2. Jumlah …") sits in the
    name column, and an empty formula cell pads the row back to nine."""
    body = cells[1:5] + cells[6:] if cells[5] == "" else cells[1:8]
    return ["", "", *body]


def _norm(text: str) -> str:
    value = re.sub(r"[^a-z0-9 ]", " ", text.lower())
    value = re.sub(r"^\s*program\s+", "", value)
    return _SPACES.sub(" ", value).strip()


def _indicator(cells: list[str], jenis: Literal["IKU", "IK"], row: int) -> DecreeIndicator:
    return DecreeIndicator(
        nama=re.sub(r"^\d+\.\s*", "", cells[2]),
        makna=re.sub(r"^Makna Indikator\s*:\s*", "", cells[3], flags=re.IGNORECASE),
        alasan=cells[4],
        formulasi=cells[5].lstrip("$="),
        referensi=cells[6],
        sumber_data=cells[7],
        penanggung_jawab=cells[8],
        jenis=jenis,
        row=row,
    )


# --- parsing ---------------------------------------------------------------------------------


class _Parser:
    def __init__(self) -> None:
        self.nodes: list[DecreeNode] = []
        self.problems: list[Problem] = []
        self.section: str | None = None
        self.tujuan: DecreeNode | None = None
        self.current: DecreeNode | None = None  # the node a continuation row extends
        self.programs: list[DecreeNode] = []
        self.program: DecreeNode | None = None  # the program of the kegiatan section
        self.kegiatan: DecreeNode | None = None

    def problem(self, row: RawRow, message: str) -> None:
        self.problems.append(Problem(row.number, message))

    def feed(self, row: RawRow) -> None:
        cells = _padded(row.cells)
        if not any(cells):
            return
        section = _section_of(cells)
        if section is not None:
            self.section = section
            self.current = None
            return
        if _is_header(cells):
            return
        if self.section is None:
            return  # the decree's own text before the annex table
        if self.section == "tujuan":
            self.feed_tujuan(row, cells)
        elif self.section == "program":
            self.feed_program(row, cells)
        else:
            self.feed_kegiatan(row, cells)

    # section A: tujuan and sasaran
    def feed_tujuan(self, row: RawRow, cells: list[str]) -> None:
        name = cells[1]
        if not name:
            self.add_indicator(row, cells, "IKU")
            return
        match = _PREFIX.match(name)
        level = match.group(1).lower() if match else None
        nama = name[match.end() :].strip() if match else name
        if level == "tujuan" or (level is None and self.tujuan is None):
            node = DecreeNode("tujuan", nama, len(self.nodes) + 1, row.number)
            self.nodes.append(node)
            self.tujuan = node
        elif self.tujuan is not None:
            # Sasaran are numbered 1, 1, 2, 3 across tujuan in the seed: order within the tujuan.
            node = DecreeNode("sasaran", nama, len(self.tujuan.children) + 1, row.number)
            self.tujuan.children.append(node)
        else:
            self.problem(row, f"Sasaran «{nama}» muncul sebelum tujuan mana pun.")
            return
        self.current = node
        if cells[2]:
            node.indicators.append(_indicator(cells, "IKU", row.number))

    # section "PROGRAM"
    def feed_program(self, row: RawRow, cells: list[str]) -> None:
        if cells[0] and not _is_number(cells[0]):
            cells = _realign(cells)
        elif not cells[0] and _NUMBERED.match(cells[1]) and cells[2]:
            cells = _realign_continuation(cells)
        name = cells[1]
        if not name:
            self.add_indicator(row, cells, "IK")
            return
        nama, kode = self.split_kode(name)
        node = DecreeNode("program", nama, len(self.programs) + 1, row.number, kode=kode)
        self.programs.append(node)
        self.nodes.append(node)
        self.current = node
        if cells[2]:
            node.indicators.append(_indicator(cells, "IK", row.number))

    # section "KEGIATAN DAN SUB KEGIATAN"
    def feed_kegiatan(self, row: RawRow, cells: list[str]) -> None:
        filled = [c for c in cells if c]
        if cells[0] and len(filled) == 1 and not _is_number(cells[0]):
            self.program_header(row, cells[0])
            return
        if cells[0] and not _is_number(cells[0]):
            cells = _realign(cells)
        elif not cells[0] and _NUMBERED.match(cells[1]) and cells[2]:
            cells = _realign_continuation(cells)
        if self.program is None:
            self.problem(row, "Baris kegiatan sebelum judul program mana pun; tidak ditempatkan.")
            return
        name = cells[1]
        if not name:
            self.add_indicator(row, cells, "IK")
            return
        marker = _KEGIATAN_PREFIX.match(name)
        nama, kode = self.split_kode(name[marker.end() :] if marker else name)
        responsible = cells[8]
        if marker:
            is_kegiatan = not marker.group(1).lower().startswith("sub")
        elif _KABID.match(responsible):
            is_kegiatan = True
        elif _KASI.match(responsible):
            is_kegiatan = False
        else:
            is_kegiatan = self.kegiatan is None
        if is_kegiatan:
            node = DecreeNode(
                "kegiatan", nama, len(self.program.children) + 1, row.number, kode=kode
            )
            self.program.children.append(node)
            self.kegiatan = node
        else:
            parent = self.kegiatan
            if parent is None:
                self.problem(row, f"Sub kegiatan «{nama}» tanpa kegiatan di atasnya.")
                return
            node = DecreeNode("sub_kegiatan", nama, len(parent.children) + 1, row.number, kode=kode)
            parent.children.append(node)
        self.current = node
        if cells[2]:
            node.indicators.append(_indicator(cells, "IK", row.number))

    def program_header(self, row: RawRow, text: str) -> None:
        """A program heading in the kegiatan section: the same program as in the program
        section, however it is spelled there."""
        wanted = _norm(text)
        best, ratio = None, 0.0
        for program in self.programs:
            score = difflib.SequenceMatcher(None, wanted, _norm(program.nama)).ratio()
            if score > ratio:
                best, ratio = program, score
        if best is not None and ratio >= PROGRAM_MATCH_RATIO:
            self.program = best
        else:
            nama, kode = self.split_kode(text)
            best = DecreeNode("program", nama, len(self.programs) + 1, row.number, kode=kode)
            self.programs.append(best)
            self.nodes.append(best)
            self.program = best
            self.problem(
                row,
                f"Program «{text}» tidak ada di bagian program; dibuat sebagai program baru "
                "tanpa indikator program.",
            )
        self.kegiatan = None
        self.current = None

    def add_indicator(self, row: RawRow, cells: list[str], jenis: Literal["IKU", "IK"]) -> None:
        if not cells[2]:
            if any(cells[3:8]):
                self.problem(row, "Baris tanpa nama dan tanpa indikator; tidak ditempatkan.")
            return
        if self.current is None:
            self.problem(row, f"Indikator «{cells[2]}» tanpa tujuan/sasaran/program di atasnya.")
            return
        self.current.indicators.append(_indicator(cells, jenis, row.number))

    @staticmethod
    def split_kode(name: str) -> tuple[str, str | None]:
        match = _KODE.match(name)
        if match:
            return name[match.end() :].strip(), match.group(1)
        return name, None


def parse_decree(rows: Sequence[RawRow]) -> DecreeResult:
    parser = _Parser()
    for row in rows:
        parser.feed(row)
    if not parser.nodes:
        parser.problems.append(
            Problem(
                rows[0].number if rows else 1,
                "Tidak ditemukan tabel keputusan IKU/IK (9 kolom: No, Tujuan/Sasaran atau "
                "Program, Indikator, Makna, Alasan, Formulasi, Sumber/Referensi, Sumber Data, "
                "Penanggung Jawab).",
            )
        )
    return DecreeResult(nodes=parser.nodes, problems=parser.problems)
