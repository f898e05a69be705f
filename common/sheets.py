"""The one spreadsheet writer: every workbook the product hands out (templates, the admin's
exports, the triwulan workbook, the LAKIP and LKjIP workbooks) is a :class:`SafeWorkbook`.

Its sheets make every cell a :class:`SafeCell`, and a safe cell escapes text however it is
written — ``sheet.append``, ``sheet.cell(value=…)``, ``sheet["A1"] = …`` or
``cell.value = …``: text a spreadsheet would run as a formula gets the quote of
:func:`common.cells.neutralise_formula` (our imports take it off again with
:func:`common.cells.restore_text`), control characters XML cannot hold become ``�``, numbers
stay numbers. Escaping lives here, in the cell, rather than in each export, because an export
that forgot it (the Komponen sheet, the triwulan workbook) wrote a kabid's
``=HYPERLINK(…)`` as a live formula. ``tests/test_sheets.py`` checks by AST that no other
module creates a workbook, a sheet or a cell, or writes one through another library.

Django-free.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from .cells import neutralise_formula

__all__ = [
    "COL_ID_INDIKATOR",
    "COL_VERSI",
    "SafeCell",
    "SafeWorkbook",
    "SafeWorksheet",
    "cell_text",
    "workbook_bytes",
]

# The columns by which a workbook the product hands out is read back: the indicator's id and
# the version of the row it was written from (a row changed since is refused, not overwritten).
COL_ID_INDIKATOR = "ID Indikator"
COL_VERSI = "Versi"


def cell_text(value: Any) -> Any:
    """A value as a safe cell holds it: text escaped, everything else unchanged."""
    if isinstance(value, str):
        # XML cannot hold most control characters (pasted from Word, e.g. \x0b): the file would
        # not be written at all. Mark them visibly instead of dropping them silently.
        return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value))
    return value


class SafeCell(Cell):
    """A cell whose text can never become a formula, whichever way it is set."""

    __slots__ = ()

    def _bind_value(self, value: Any) -> None:
        super()._bind_value(cell_text(value))


class SafeWorksheet(Worksheet):
    """A worksheet whose every cell is a :class:`SafeCell`."""

    def _get_cell(self, row: int, column: int) -> Cell:
        # ws.cell(), ws["A1"], ws.iter_rows() and ws["A1"] = … all create cells here.
        coordinate = (row, column)
        if coordinate not in self._cells:
            if not 0 < row < 1048577:
                raise ValueError(f"Row numbers must be between 1 and 1048576, not {row}")
            self._add_cell(SafeCell(self, row=row, column=column))
        cell: Cell = self._cells[coordinate]
        return cell

    def append(self, iterable: Iterable[Any] | Mapping[Any, Any]) -> None:
        # openpyxl's append builds plain Cells itself; hand it safe ones instead.
        if isinstance(iterable, Mapping):
            row = int(self.max_row if self._cells else 0) + 1
            for key, value in iterable.items():
                column = column_index_from_string(key) if isinstance(key, str) else key
                self._cells[(row, column)] = SafeCell(self, row=row, column=column, value=value)
            self._current_row = row
            return
        super().append([self._safe(value) for value in iterable])

    def _safe(self, value: Any) -> SafeCell:
        if isinstance(value, SafeCell):
            return value
        if isinstance(value, Cell):
            raise TypeError("Only the values of a plain cell may be appended, not the cell.")
        return SafeCell(self, value=value)


class SafeWorkbook(Workbook):
    """An openpyxl workbook whose sheets (the first one and every created one) are safe."""

    def __init__(self) -> None:
        super().__init__()
        self._sheets[0] = SafeWorksheet(self)

    def create_sheet(self, title: str | None = None, index: int | None = None) -> SafeWorksheet:
        sheet = SafeWorksheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet

    @property
    def first_sheet(self) -> SafeWorksheet:
        sheet = self._sheets[0]
        assert isinstance(sheet, SafeWorksheet)
        return sheet


def workbook_bytes(workbook: SafeWorkbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
