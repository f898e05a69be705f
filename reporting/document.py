"""The report as one document: the block types every renderer lays out, and the one formatter
per column format (pure dataclasses, no Django, no renderer)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from common.numbers import format_number, format_percent, format_rupiah

Format = Literal["text", "int", "number", "percent", "rupiah"]
EMPTY = "–"
# A workbook keeps the number and shows it with the column format's own display.
NUMBER = "#,##0.00"
PERCENT = '#,##0.00" %"'
RUPIAH = '"Rp "#,##0'
SHEET_FORMATS: dict[Format, str] = {"number": NUMBER, "percent": PERCENT, "rupiah": RUPIAH}


def sheet_format(fmt: Format, places: int) -> str | None:
    """The workbook display of a number column at a cell's own decimals (an index published
    with four, "0,6674", shows four in the workbook as on paper); None for text columns."""
    if fmt not in ("number", "percent"):
        return SHEET_FORMATS.get(fmt)
    digits = "#,##0" + ("." + "0" * places if places > 0 else "")
    return digits + '" %"' if fmt == "percent" else digits


@dataclass(frozen=True)
class Column:
    """A table column. ``print`` and ``sheet`` say where it is shown: the workbook keeps a few
    columns for analysis (polarity, printed capaian) that the printed table leaves out."""

    label: str
    fmt: Format = "text"
    places: int = 2
    print: bool = True
    sheet: bool = True
    sheet_label: str = ""
    align: str = ""  # "right" or "left"; by default numbers right, text and counts left
    head_left: bool = False  # a header set flush left over its numbers (as printed so far)
    width: float = 0.0  # Word's column width in cm when set (e.g. a Rupiah amount kept on a line)

    @property
    def numeric(self) -> bool:
        """Right-aligned: amounts always; a count ("No", "Tahun") only when asked."""
        if self.align:
            return self.align == "right"
        return self.fmt in ("number", "percent", "rupiah")


@dataclass(frozen=True)
class Cell:
    """A value with what only some cells carry: an indicator's own decimals, its unit after
    the number, the engine's «periksa» warnings, an italic aside, a text span."""

    value: Any = None
    places: int | None = None
    suffix: str = ""
    flags: tuple[str, ...] = ()
    aside: str = ""
    span: int = 1
    muted: bool = False
    css: str = ""


@dataclass(frozen=True)
class Row:
    cells: tuple[Any, ...]
    style: str = ""  # "lvl-program", "lvl-kegiatan", "lvl-sub_kegiatan"


@dataclass
class Table:
    caption: str
    columns: tuple[Column, ...]
    rows: list[Row]
    totals: list[Row] = field(default_factory=list)
    id: str = ""
    css: str = "data"
    font: float = 8.0  # Word's cell text size (the print size comes from the CSS class)
    sheet: str = ""  # the workbook sheet; tables sharing one are stacked in it
    sheet_caption: str = ""
    print: bool = True  # False: a table of the workbook only (the narratives as data)
    # Without rows: None prints the table anyway, "" leaves it out, a text is printed instead.
    empty: str | None = None


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Heading:
    level: int
    text: str
    id: str = ""


@dataclass
class Paragraph:
    runs: tuple[Run, ...]
    style: str = ""  # "label", "note", "muted", "aggregate"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class BulletList:
    items: list[str]
    intro: str = ""


@dataclass
class Chart:
    """Target against realisasi per year; each renderer draws the format it can show."""

    caption: str
    alt: str
    years: list[int]
    targets: list[Decimal | None]
    realisasi: list[Decimal | None]
    unit: str


@dataclass
class Signature:
    place: str
    date: str
    title: str
    name: str
    rank: str = ""
    nip: str | None = None  # None: no NIP line


@dataclass
class SignaturePair:
    """Two signatures side by side, each under its role ("PIHAK KEDUA," left, "PIHAK
    PERTAMA," right: a Perjanjian Kinerja). A side's ``place``/``date`` are printed only when
    given, so the date line stands over one side alone."""

    left: Signature
    right: Signature
    left_role: str = ""
    right_role: str = ""


def signature_lines(block: Signature, role: str) -> list[tuple[str, str]]:
    """A side's lines as (css class, text), the same count on both sides so that the names
    of a pair stand on one line: date (or nothing), role, title, space, name, rank, NIP."""
    dated = ", ".join(x for x in (block.place, block.date) if x)
    return [
        ("", dated),
        ("sign-role", role),
        ("sign-title", block.title),
        ("sign-space", ""),
        ("sign-name", block.name),
        ("", block.rank),
        ("", f"NIP. {block.nip}" if block.nip is not None else ""),
    ]


@dataclass
class Cover:
    kinds: tuple[str, ...]
    title: str


@dataclass
class Letterhead:
    """The kop (logo and the agency's lines) above a signed page."""


@dataclass(frozen=True)
class TocEntry:
    text: str
    target: str
    sub: bool = False
    front: bool = False


@dataclass
class Toc:
    title: str
    entries: list[TocEntry]


@dataclass
class PageBreak:
    pass


@dataclass
class Section:
    """A chapter or part of one: the HTML wraps it (a page break before a chapter), Word
    starts the next one on a new page when ``break_after``."""

    blocks: list[Block]
    id: str = ""
    css: str = "chapter"
    tag: str = "section"
    break_after: bool = False


Block = (
    Heading
    | Paragraph
    | BulletList
    | Table
    | Chart
    | Signature
    | SignaturePair
    | Cover
    | Letterhead
    | Toc
    | PageBreak
    | Section
)


@dataclass
class Document:
    title: str
    running_header: str
    blocks: list[Block]
    year: int = 0

    def walk(self) -> Iterable[Block]:
        return walk(self.blocks)

    def tables(self) -> list[Table]:
        return [b for b in self.walk() if isinstance(b, Table)]


def walk(blocks: Sequence[Block]) -> Iterable[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from walk(block.blocks)


def para(text: str, style: str = "", *, bold: bool = False) -> Paragraph:
    return Paragraph((Run(text, bold=bold),), style)


def paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated narrative text as paragraphs."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return [para(p) for p in parts if p]


def cell_of(value: Any) -> Cell:
    return value if isinstance(value, Cell) else Cell(value)


def format_value(fmt: Format, value: Any, places: int = 2) -> str:
    """The one Indonesian display of a value of a column format ("98,96 %", "Rp 97.000.169.679");
    text stored in a number column (a qualitative realisasi) is shown as written."""
    if isinstance(value, str):
        return value
    if value is None:
        return "" if fmt == "text" else EMPTY
    if fmt == "number":
        return format_number(value, places=places)
    if fmt == "percent":
        return format_percent(value, places=places)
    if fmt == "rupiah":
        return format_rupiah(value)
    return str(value)


def cell_text(column: Column, cell: Cell) -> str:
    """A cell as printed (without its «periksa» mark and aside, which each renderer adds)."""
    places = cell.places if cell.places is not None else column.places
    text = format_value(column.fmt, cell.value, places)
    return f"{text} {cell.suffix}".strip() if cell.suffix else text
