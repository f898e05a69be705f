"""The document's tables as a workbook: a sheet per table (tables sharing a sheet name are
stacked in it), numbers stored as numbers with an Indonesian-looking display format (Excel
itself shows separators per the user's locale)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import IO, Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.sheets import SafeWorkbook, SafeWorksheet

from ..document import SHEET_FORMATS as FORMATS
from ..document import Document, Table, cell_of, sheet_format

HEADER_FILL = PatternFill("solid", fgColor="DFE7EF")


def _cell_value(value: Any) -> Any:
    # Text typed by users (indicator names, qualitative realisasi) is escaped by the sheet
    # itself (common.sheets), so it never becomes a formula.
    if isinstance(value, Decimal):
        # openpyxl writes floats; the stored Decimal is exact to 6 places, well inside a double.
        return float(value)
    return value


def _block(
    ws: SafeWorksheet,
    heading: str,
    headers: list[str],
    rows: list[list[Any]],
    formats: dict[int, str],
    cell_formats: dict[tuple[int, int], str] | None = None,
) -> None:
    """A caption, a header row and the rows, below what the sheet already holds;
    ``cell_formats`` (row index, column) overrides a column's format for one cell."""
    top = ws.max_row + 2 if ws.max_row > 1 else 1
    ws.cell(row=top, column=1, value=heading).font = Font(bold=True, size=12)
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=top + 1, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n, row in enumerate(rows, start=top + 2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=n, column=col, value=_cell_value(value))
            fmt = (cell_formats or {}).get((n - top - 2, col)) or formats.get(col)
            if fmt and isinstance(cell.value, (int, float)):
                cell.number_format = fmt


def _finish(ws: SafeWorksheet, n_columns: int, *, single: bool) -> None:
    for col in range(1, n_columns + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14 if col > 2 else 45
    if single:
        ws.freeze_panes = "A3"


def _values(table: Table) -> list[list[Any]]:
    columns = [c for c in table.columns if c.sheet]
    out = []
    for row in [*table.rows, *table.totals]:
        cells = list(row.cells) + [None] * (len(table.columns) - len(row.cells))
        kept = [cell_of(v) for c, v in zip(table.columns, cells, strict=True) if c.sheet]
        out.append(
            [
                # A number column holds the number; its "–" placeholder is an empty cell.
                None if c.numeric and cell.value == "–" else cell.value
                for c, cell in zip(columns, kept, strict=True)
            ]
        )
    return out


def _cell_formats(table: Table) -> dict[tuple[int, int], str]:
    """Cells carrying their indicator's own decimals (Cell.places) keep them in the workbook."""
    columns = [c for c in table.columns if c.sheet]
    out: dict[tuple[int, int], str] = {}
    for i, row in enumerate([*table.rows, *table.totals]):
        cells = list(row.cells) + [None] * (len(table.columns) - len(row.cells))
        kept = [cell_of(v) for c, v in zip(table.columns, cells, strict=True) if c.sheet]
        for col, (c, cell) in enumerate(zip(columns, kept, strict=True), start=1):
            if cell.places is not None and c.numeric:
                fmt = sheet_format(c.fmt, cell.places)
                if fmt:
                    out[(i, col)] = fmt
    return out


def _sheet_name(table: Table) -> str:
    return (table.sheet or table.caption)[:31]


def write(document: Document, wb: SafeWorkbook) -> None:
    written: set[tuple[str, str]] = set()
    widths: dict[str, int] = {}
    stacked: dict[str, int] = {}
    for block in document.walk():
        if not isinstance(block, Table):
            continue
        name = _sheet_name(block)
        heading = block.sheet_caption or block.caption
        # A table printed twice (Tabel 2.4 again in the PK annex) is one table of data.
        if (name, heading) in written:
            continue
        written.add((name, heading))
        columns = [c for c in block.columns if c.sheet]
        ws = wb[name] if name in wb.sheetnames else wb.create_sheet(title=name)
        _block(
            ws,
            heading,
            [c.sheet_label or c.label for c in columns],
            _values(block),
            {i: FORMATS[c.fmt] for i, c in enumerate(columns, start=1) if c.fmt in FORMATS},
            _cell_formats(block),
        )
        widths[name] = max(widths.get(name, 0), len(columns))
        stacked[name] = stacked.get(name, 0) + 1
    for name, n_columns in widths.items():
        _finish(wb[name], n_columns, single=stacked[name] == 1)
    if "Narasi" in wb.sheetnames:
        wb["Narasi"].column_dimensions["B"].width = 120


def render(document: Document, stream: IO[bytes], *, stamp: datetime) -> None:
    wb = SafeWorkbook()
    wb.remove(wb.first_sheet)
    write(document, wb)
    wb.properties.creator = "Kinerja"
    # Fixed timestamps: the same data gives the same workbook bytes.
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.save(stream)
