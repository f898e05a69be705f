"""Pre-filled spreadsheet templates: the user's own indicators with the values stored now, in
exactly the columns the import resources read back (``intake.resources``).

A template is built from the resource's own export, so it can never drift from what the import
expects, and it costs a fixed number of queries however many indicators the OPD has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from import_export.formats.base_formats import XLSX
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from tablib import Dataset

from common.sheets import COL_ID_INDIKATOR, COL_VERSI, SafeWorkbook, workbook_bytes
from indicators.models import Indikator
from renstra.models import Opd, PeriodeRenstra, Role
from renstra.permissions import can_manage_plan, user_opd_id, user_role

from .komponen_sheet import NOTES as COMPONENT_NOTES
from .komponen_sheet import add_component_sheet
from .resources.base import JENIS_TARGET_CELL, AnyUser
from .resources.realisasi import PERIOD_ATTRS, RealisasiResource
from .resources.target import TargetWideResource

NUMBER_FORMAT = "#,##0.00"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WIDE_COLUMNS = {"Indikator": 60, "Jalur": 30, "Analisis": 40, "Hambatan": 40, "Tindak Lanjut": 40}
# Enough rows below the data for the dropdown to follow rows the user appends.
VALIDATION_SPARE_ROWS = 200

TARGET_NOTES = (
    "Petunjuk pengisian target",
    "• Satu baris per indikator dan jenis target (Renstra, PK, PK Perubahan); satu kolom per "
    "tahun periode Renstra.",
    "• Angka boleh ditulis sebagai angka Excel atau teks Indonesia: 74,04 · 1.234,5 · 5,50 %.",
    "• Target kualitatif ditulis sebagai teks (mis. WTP, BB, Tersedia); rentang sebagai 2,30–2,35.",
    "• Sel kosong (atau “-”) tidak mengubah target yang sudah tersimpan; target tidak dapat "
    "dihapus lewat berkas.",
    "• Jangan mengubah kolom ID Indikator dan Versi (tersembunyi) dan judul kolom. Versi "
    "menandai data saat berkas diunduh: nilai yang sejak itu diubah orang lain tidak ditimpa.",
    "• Setiap unggahan ditampilkan dulu sebagai pratinjau; bila satu baris salah, tidak ada "
    "yang disimpan.",
)
REALISASI_NOTES = (
    "Petunjuk pengisian realisasi",
    "• Satu baris per indikator untuk tahun ini; kolom Tahunan dan TW I–IV.",
    "• Angka boleh ditulis sebagai angka Excel atau teks Indonesia: 74,04 · 1.234,5 · −70.",
    "• Sel kosong (atau “-”) tidak mengubah nilai yang sudah tersimpan.",
    "• Analisis, hambatan, dan tindak lanjut disimpan pada realisasi tahunan.",
    "• Hanya indikator dengan penanggung jawab bidang Anda yang tercantum dan dapat diunggah.",
    "• Jangan mengubah kolom ID Indikator dan Versi (tersembunyi): nilai yang sejak berkas "
    "diunduh diubah orang lain tidak ditimpa, tetapi ditolak dengan nilai terbarunya.",
    "• Setiap unggahan ditampilkan dulu sebagai pratinjau; bila satu baris salah, tidak ada "
    "yang disimpan.",
)


def _cell(value: Any) -> Any:
    # "" from the export means "no value": a truly empty cell, not an empty string. (Formula
    # triggers and control characters are the sheet's own business: common.sheets.)
    return None if value == "" else value


def _sheet_title(text: str) -> str:
    return re.sub(r"[\\*?:/\[\]]", "-", text)[:31]


def dataset_to_xlsx(
    dataset: Dataset,
    *,
    title: str,
    number_columns: Iterable[str] = (),
    hidden_columns: Iterable[str] = (),
    choices: Mapping[str, Sequence[str]] | None = None,
    notes: Sequence[str] = (),
    extend: Callable[[SafeWorkbook], None] | None = None,
) -> bytes:
    """An exported dataset as a workbook people can fill in: bold frozen header, numbers as
    numbers shown ``#,##0.00``, dropdowns for fixed choices, an optional sheet of notes.

    The data sheet stays first and active: import reads the active sheet. ``extend`` adds
    further sheets (the realisasi workbook's Komponen sheet).
    """
    workbook = SafeWorkbook()
    sheet = workbook.first_sheet
    sheet.title = _sheet_title(title)
    headers = list(dataset.headers or [])
    sheet.append(headers)
    for row in dataset:
        sheet.append([_cell(value) for value in row])

    last_row = max(sheet.max_row, 2)
    number_set = set(number_columns)
    hidden_set = set(hidden_columns)
    first_number_col = None
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[letter].width = WIDE_COLUMNS.get(header, 14)
        if header in number_set:
            first_number_col = first_number_col or index
            # Also the empty cells, so values typed in later show the same way.
            for (data_cell,) in sheet.iter_rows(
                min_row=2, max_row=last_row, min_col=index, max_col=index
            ):
                if data_cell.value is None or isinstance(data_cell.value, int | float | Decimal):
                    data_cell.number_format = NUMBER_FORMAT
        elif header in WIDE_COLUMNS:
            for (data_cell,) in sheet.iter_rows(
                min_row=2, max_row=last_row, min_col=index, max_col=index
            ):
                data_cell.alignment = Alignment(wrap_text=True, vertical="top")
        if header in hidden_set:
            sheet.column_dimensions[letter].hidden = True
    # Header row and the identifying columns stay in view while scrolling.
    sheet.freeze_panes = f"{get_column_letter(first_number_col or 1)}2"

    for header, options in (choices or {}).items():
        if header not in headers:
            continue
        letter = get_column_letter(headers.index(header) + 1)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
        )
        validation.error = "Pilih salah satu: " + ", ".join(options)
        validation.errorTitle = "Isian tidak dikenal"
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last_row + VALIDATION_SPARE_ROWS}")

    if notes:
        help_sheet = workbook.create_sheet("Petunjuk")
        for line in notes:
            help_sheet.append([line])
        help_sheet["A1"].font = HEADER_FONT
        help_sheet.column_dimensions["A"].width = 110
    if extend is not None:
        extend(workbook)
    workbook.active = 0
    return workbook_bytes(workbook)


def template_targets(
    user: AnyUser, opd: Opd, periode: PeriodeRenstra, *, jenis: str | None = None
) -> bytes:
    """The OPD's indicators of the period with their targets, one column per year.

    Without ``jenis`` each indicator has a Renstra row plus a PK / PK Perubahan row where such
    targets exist; with it, one row of that kind per indicator.
    """
    if periode.opd_id != opd.pk:
        raise ValueError("Periode Renstra ini bukan milik OPD tersebut.")
    if not can_manage_plan(user, opd.pk):
        raise PermissionDenied("Hanya perencana OPD ini yang dapat mengunduh templat target.")
    resource = TargetWideResource(user=user, periode=periode, jenis=jenis)
    dataset = resource.export(Indikator.objects.filter(periode=periode))
    return dataset_to_xlsx(
        dataset,
        title=f"Target {opd} {periode.tahun_awal}-{periode.tahun_akhir}",
        number_columns=[str(year) for year in periode.years],
        hidden_columns=[COL_ID_INDIKATOR, COL_VERSI],
        choices={"Jenis Target": list(JENIS_TARGET_CELL.shown.values())},
        notes=TARGET_NOTES,
    )


def template_realisasi(user: AnyUser, tahun: int) -> bytes:
    """Realisasi of ``tahun`` for the indicators the user may record (a kabid: their bidang's),
    pre-filled with what is stored."""
    opd_id = user_opd_id(user)
    if opd_id is None and user_role(user) != Role.ADMIN:
        raise PermissionDenied("Akun Anda belum ditugaskan ke OPD mana pun.")
    indicators = Indikator.objects.all()
    if opd_id is not None:
        indicators = indicators.filter(periode__opd_id=opd_id)
    resource = RealisasiResource(user=user, tahun=tahun, recordable_only=True)
    dataset = resource.export(indicators)
    value_columns = [resource.fields[attr].column_name for attr in PERIOD_ATTRS.values()]
    return dataset_to_xlsx(
        dataset,
        title=f"Realisasi {tahun}",
        number_columns=value_columns,
        hidden_columns=[COL_ID_INDIKATOR, COL_VERSI],
        notes=(*REALISASI_NOTES, COMPONENT_NOTES),
        extend=lambda workbook: add_component_sheet(workbook, user, tahun),
    )


def read_xlsx(data: bytes) -> Dataset:
    """The active sheet as a dataset, read exactly as the admin's import reads an upload."""
    dataset: Dataset = XLSX().create_dataset(data)
    return dataset


def write_xlsx(dataset: Dataset) -> bytes:
    """A dataset as a plain workbook (bold frozen header): the admin's export, and an upload
    handed to the background worker. Written by the safe writer, never by tablib, whose XLSX
    writes text starting with "=" as a live formula (and a worker reading it back with
    ``data_only`` would get an empty cell instead of the text)."""
    workbook = SafeWorkbook()
    sheet = workbook.first_sheet
    sheet.append(list(dataset.headers or []))
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    for row in dataset:
        sheet.append([_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)


class SafeXLSX(XLSX):
    """import-export's XLSX format for the admin: reads as the library does, exports through
    :func:`write_xlsx`."""

    def export_data(self, dataset: Dataset, **kwargs: Any) -> bytes:
        return write_xlsx(dataset)
