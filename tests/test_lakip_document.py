"""The LAKIP is one document of blocks: a table added to it appears in the PDF, the Word file
and the workbook alike, and every table of the seed's LAKIP 2024 carries the same numbers in
all three."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction

from renstra.models import Opd
from reporting.builder import build_lakip
from reporting.chapters import document_of
from reporting.document import Cell, Column, Row, Section, Table, cell_of, cell_text, format_value
from reporting.render import render_docx, render_html, render_pdf, render_xlsx

pytestmark = pytest.mark.django_db

EXTRA = Table(
    "Tabel 9.9 Tabel uji yang ditambahkan pada dokumen",
    (
        Column("Uraian"),
        Column("Nilai", "number"),
        Column("Capaian", "percent"),
        Column("Anggaran (Rp)", "rupiah"),
    ),
    [Row(("Baris uji", Cell(Decimal("1234.5"), places=2), Decimal("98.765"), Decimal(1500000)))],
    totals=[Row(("Jumlah uji", Decimal("4321.25"), None, Decimal(2500000)))],
    id="tabel-uji",
    sheet="Tabel Uji",
)


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-", "-"],  # noqa: S607
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
    else:  # pragma: no cover - poppler is installed where the suite runs
        from pypdf import PdfReader

        out = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(out.split())


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


def sheet_values(content: bytes) -> dict[str, list[object]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {
        ws.title: [v for row in ws.iter_rows(values_only=True) for v in row if v is not None]
        for ws in workbook.worksheets
    }


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker) -> dict:
    """The seed's LAKIP 2024 in the three formats, and once more with a table added."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed", stdout=io.StringIO())
        opd = Opd.objects.get(kode="DP3APPKBPMD")
        data = build_lakip(opd, 2024)
        extended = build_lakip(opd, 2024)
        # The hook: the built document, before any renderer reads it.
        document_of(extended).blocks.insert(-2, Section([EXTRA], id="uji", css="chapter"))
        out = {
            "document": document_of(data),
            "pdf": pdf_text(render_pdf(render_html(data))),
            "docx": docx_text(render_docx(data)),
            "xlsx": sheet_values(render_xlsx(data)),
            "extended_pdf": pdf_text(render_pdf(render_html(extended))),
            "extended_docx": docx_text(render_docx(extended)),
            "extended_xlsx": sheet_values(render_xlsx(extended)),
        }
        transaction.set_rollback(True)
    return out


def test_a_table_added_to_the_document_appears_in_every_format(made):
    expected = [
        "Tabel 9.9 Tabel uji yang ditambahkan pada dokumen",
        "Baris uji",
        "1.234,50",
        "98,77 %",
        "Rp 1.500.000",
        "Jumlah uji",
        "4.321,25",
        "Rp 2.500.000",
    ]
    for fmt in ("extended_pdf", "extended_docx"):
        assert [e for e in expected if e not in made[fmt]] == [], fmt
        assert "Tabel 9.9" not in made[fmt.removeprefix("extended_")]
    sheet = made["extended_xlsx"]["Tabel Uji"]
    assert sheet[:6] == [
        "Tabel 9.9 Tabel uji yang ditambahkan pada dokumen",
        "Uraian",
        "Nilai",
        "Capaian",
        "Anggaran (Rp)",
        "Baris uji",
    ]
    assert sheet[6:] == [1234.5, 98.765, 1500000, "Jumlah uji", 4321.25, 2500000]
    assert "Tabel Uji" not in made["xlsx"]


def _sheet_shows(values: list[object], column: Column, cell: Cell, text: str) -> bool:
    """Whether a number of the sheet, shown with the column's format, reads as ``text``."""
    places = cell.places if cell.places is not None else column.places
    for value in values:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            shown = format_value(column.fmt, Decimal(repr(value)), places)
            if (f"{shown} {cell.suffix}".strip() if cell.suffix else shown) == text:
                return True
    return False


def test_every_table_carries_the_same_numbers_in_pdf_docx_and_xlsx(made):
    tables = [t for t in made["document"].tables() if t.print]
    assert len(tables) > 40  # every chapter's tables, the a–d of each IKU among them
    missing: list[tuple[str, str, str]] = []
    checked = 0
    for table in tables:
        sheet = made["xlsx"][(table.sheet or table.caption)[:31]]
        assert table.caption in made["pdf"] or table.caption[:60] in made["pdf"], table.caption
        for row in [*table.rows, *table.totals]:
            cells = list(row.cells) + [None] * (len(table.columns) - len(row.cells))
            for column, value in zip(table.columns, cells, strict=True):
                cell = cell_of(value)
                if not (column.print and column.numeric) or not isinstance(
                    cell.value, (Decimal, int)
                ):
                    continue
                text = cell_text(column, cell)
                checked += 1
                for fmt in ("pdf", "docx"):
                    if text not in made[fmt]:
                        missing.append((fmt, table.caption, text))
                if column.sheet and not _sheet_shows(sheet, column, cell, text):
                    missing.append(("xlsx", table.caption, text))
    assert checked > 300
    assert missing == []


def test_the_audit_figure_appears_as_often_in_the_pdf_as_in_the_docx(made):
    # IDG: 73,27 / 74,04 × 100 (the seed's source printed 98,62).
    assert made["pdf"].count("98,96") == made["docx"].count("98,96") > 5
    assert made["pdf"].count("Rp 97.000.169.679") == made["docx"].count("Rp 97.000.169.679") > 0
