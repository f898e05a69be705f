"""The kabupaten's evaluation as a workbook in the layout of the official LKE workbook: a
summary sheet (every OPD's nilai per komponen, total and predikat; the Pemda's plan unit
first) and one sheet per opened evaluation (komponen, sub-komponen and kriteria rows with
their bobot, the OPD's answer and nilai, the evaluator's answer, nilai and note, the total and
predikat at the bottom).

Built from what :func:`evaluasi.reader.pemda_lines` read (no query here). Every cell goes
through :class:`common.sheets.SafeWorkbook`, so a note starting with "=" stays text. Numbers
are numbers with a two-decimal display format (Excel shows them with the reader's separators:
``98,96`` on an Indonesian system)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.sheets import SafeWorkbook, SafeWorksheet, workbook_bytes

from .reader import OpdLine, Scores

NILAI = "#,##0.00"
HEADER_FILL = PatternFill("solid", fgColor="DFE7EF")
KOMPONEN_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
# Excel refuses these in a sheet's name, and names are at most 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")
LKE_HEADERS = (
    "Kode",
    "Komponen / Sub-komponen / Kriteria",
    "Bobot",
    "Jawaban OPD",
    "Nilai OPD",
    "Jawaban evaluator",
    "Nilai evaluator",
    "Catatan evaluator",
)


def _number(value: Decimal | None) -> float | None:
    # openpyxl writes floats; the nilai are exact decimals well inside a double's precision.
    return None if value is None else float(value)


def _name(line: OpdLine) -> str:
    return line.opd.singkatan or line.opd.kode


def _sheet_title(line: OpdLine, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", _name(line)).strip() or line.opd.kode
    title, n = base[:31], 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def _row(ws: SafeWorksheet, values: list[Any], *, bold: bool = False, fill: Any = None) -> int:
    ws.append(values)
    n = ws.max_row
    for col in range(1, len(values) + 1):
        cell = ws.cell(row=n, column=col)
        if isinstance(cell.value, float):
            cell.number_format = NILAI
        if bold:
            cell.font = BOLD
        if fill is not None:
            cell.fill = fill
    return n


def _header(ws: SafeWorksheet, headers: tuple[str, ...] | list[str]) -> None:
    ws.append(list(headers))
    for col in range(1, len(headers) + 1):
        cell = ws.cell(row=ws.max_row, column=col)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP


def _widths(ws: SafeWorksheet, widths: list[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _summary(ws: SafeWorksheet, lines: list[OpdLine], tahun: int, title: str) -> None:
    ws.title = "Rekapitulasi"
    components = next((ln.scores.instrument.components for ln in lines if ln.scores), ())
    _row(ws, [f"Rekapitulasi Evaluasi AKIP {tahun}"], bold=True)
    _row(ws, [title])
    _row(ws, ["Nilai penetapan Inspektorat (jawaban yang belum ditetapkan bernilai 0)."])
    ws.append([])
    _header(
        ws,
        [
            "No",
            "Perangkat daerah",
            "Status",
            *(f"Komponen {c.kode} ({_bobot(c.bobot)})" for c in components),
            "Nilai",
            "Predikat",
            "Nilai mandiri OPD",
        ],
    )
    ws.freeze_panes = f"C{ws.max_row + 1}"
    for n, line in enumerate(lines, start=1):
        label = f"{line.opd.nama} (Pemda)" if line.is_pemda else line.opd.nama
        if line.scores is None or line.evaluasi is None:
            _row(ws, [n, label, "belum dibuka"])
            continue
        given = line.scores.penetapan
        _row(
            ws,
            [
                n,
                label,
                line.evaluasi.get_status_display(),
                *(_number(given.components.get(c.kode)) for c in components),
                _number(given.total),
                given.predikat.predikat,
                _number(line.scores.usulan.total),
            ],
            bold=line.is_pemda,
        )
    _widths(ws, [5, 48, 22, *(14 for _ in components), 10, 10, 12])


def _bobot(value: Decimal) -> str:
    # "4,5" as the regulation prints it, not "4.50".
    return f"{value.normalize():f}".replace(".", ",")


def _lke(ws: SafeWorksheet, line: OpdLine, scores: Scores, tahun: int) -> None:
    lke = scores.instrument
    _row(ws, [f"Lembar Kerja Evaluasi AKIP {tahun}"], bold=True)
    _row(ws, [line.opd.nama])
    _row(ws, [f"Status: {line.evaluasi.get_status_display() if line.evaluasi else ''}"])
    ws.append([])
    _header(ws, LKE_HEADERS)
    ws.freeze_panes = f"C{ws.max_row + 1}"
    usulan, penetapan = scores.usulan, scores.penetapan
    for comp in lke.components:
        # The komponen's and sub-komponen's rows carry their subtotals, as the official
        # workbook prints them above their criteria.
        _row(
            ws,
            [
                comp.kode,
                comp.nama,
                _number(comp.bobot),
                None,
                _number(usulan.components[comp.kode]),
                None,
                _number(penetapan.components[comp.kode]),
            ],
            bold=True,
            fill=KOMPONEN_FILL,
        )
        for sub in (s for s in lke.subs if s.komponen == comp.kode):
            _row(
                ws,
                [
                    sub.kode,
                    sub.nama,
                    _number(sub.bobot),
                    None,
                    _number(usulan.subs[sub.kode]),
                    None,
                    _number(penetapan.subs[sub.kode]),
                ],
                bold=True,
            )
            for c in (c for c in lke.criteria if c.sub == sub.kode):
                answer = scores.answers.get(c.kode)
                n = _row(
                    ws,
                    [
                        c.kode,
                        c.uraian,
                        None,
                        answer.usulan if answer else None,
                        _number(usulan.values[c.kode]),
                        answer.penetapan if answer else None,
                        _number(penetapan.values[c.kode]),
                        answer.catatan_penetapan if answer else None,
                    ],
                )
                ws.cell(row=n, column=2).alignment = WRAP
                ws.cell(row=n, column=8).alignment = WRAP
    ws.append([])
    _row(
        ws,
        [None, "Nilai total", 100.0, None, _number(usulan.total), None, _number(penetapan.total)],
        bold=True,
    )
    _row(
        ws,
        [None, "Predikat", None, None, usulan.predikat.predikat, None, penetapan.predikat.predikat],
        bold=True,
    )
    _widths(ws, [8, 70, 8, 10, 10, 12, 10, 40])


def kabupaten_workbook(lines: list[OpdLine], *, tahun: int, title: str) -> bytes:
    """The XLSX: a summary sheet, then one LKE sheet per opened evaluation in ``lines``'
    order."""
    workbook = SafeWorkbook()
    _summary(workbook.first_sheet, lines, tahun, title)
    taken = {"rekapitulasi"}
    for line in lines:
        if line.scores is not None:
            _lke(workbook.create_sheet(_sheet_title(line, taken)), line, line.scores, tahun)
    return workbook_bytes(workbook)
