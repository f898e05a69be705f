"""The "Komponen" sheet of the kabid's realisasi workbook: one row per formula component of
the user's own indicators, with Tahunan and TW I–IV and the source; the engine computes the
realisasi from them (``indicators.formula_services.komponen_record_many``, which records it
through the realisasi service in the same transaction).

Rules as in the realisasi sheet: an empty cell (or "-") leaves the stored value alone; the
hidden ``Versi`` column refuses a value someone changed since the download; a row in error
writes nothing at all; the preview lists each change old → new and the ×10 warnings.

Queries: export — the user's indicators (their recordable ones, 1 + role), the components
(1), the year's values (1); import — the components named (1), the stored values (1), then
the services' own fixed number for the batch.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from common.cells import cell_decimal, cell_integer, is_blank, restore_text
from common.numbers import NumberParseError, format_exact
from common.sheets import SafeWorkbook
from indicators.formula_services import KomponenEntry, KomponenValue, komponen_record_many
from indicators.models import Frekuensi, Komponen, NilaiKomponen, Periode
from indicators.selectors import indicator_order, indicators_for
from renstra.door import NeedsConfirmation
from renstra.permissions import AnyUser, can_record_for_bidang

from .resources.base import COL_TAHUN, other_year

SHEET = "Komponen"
COL_ID = "ID Komponen"
COL_VERSI = "Versi Komponen"
PERIOD_COLUMNS = {
    Periode.TAHUNAN: "Tahunan",
    Periode.TW1: "TW I",
    Periode.TW2: "TW II",
    Periode.TW3: "TW III",
    Periode.TW4: "TW IV",
}
HEADERS = [
    COL_ID,
    "Indikator",
    "Rumus",
    "Komponen",
    "Peran",
    "Satuan",
    COL_TAHUN,
    *PERIOD_COLUMNS.values(),
    "Sumber",
    COL_VERSI,
]
NOTES = (
    "• Lembar Komponen: indikator yang realisasinya dihitung dari komponen rumusnya (mis. "
    "jumlah desa maju / jumlah desa × 100). Isi nilai komponen per periode; Kinerja "
    "menghitung realisasinya. Untuk periode yang komponennya diisi, nilai realisasi indikator "
    "itu di lembar pertama digantikan hasil hitung."
)


def _token(stored: dict[str, NilaiKomponen]) -> str:
    return ",".join(f"{p}={stored[p].versi}" for p in PERIOD_COLUMNS if p in stored)


def _versions(text: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in str(text or "").split(","):
        key, _sep, value = part.partition("=")
        if key.strip() in PERIOD_COLUMNS and value.strip().isascii() and value.strip().isdigit():
            found[key.strip()] = int(value)
    return found


def _recordable_components(user: AnyUser) -> list[Komponen]:
    mine = indicators_for(user).filter(rumus__dikonfirmasi=True)
    components = list(
        Komponen.objects.filter(rumus__indikator__in=mine)
        .select_related(
            "rumus__indikator__periode",
            "rumus__indikator__bidang",
            "rumus__indikator__tujuan__bidang",
            "rumus__indikator__sasaran__bidang",
            "rumus__indikator__sasaran__tujuan__bidang",
            "rumus__indikator__program__bidang",
            "rumus__indikator__kegiatan__bidang",
            "rumus__indikator__kegiatan__program__bidang",
            "rumus__indikator__sub_kegiatan__bidang",
            "rumus__indikator__sub_kegiatan__kegiatan__bidang",
            "rumus__indikator__sub_kegiatan__kegiatan__program__bidang",
        )
        .order_by("urutan", "id")
    )
    allowed: dict[int, bool] = {}
    kept = []
    for k in components:
        ind = k.rumus.indikator
        if ind.pk not in allowed:
            allowed[ind.pk] = can_record_for_bidang(
                user, ind.periode.opd_id, ind.effective_bidang_id
            )
        if allowed[ind.pk]:
            kept.append(k)
    kept.sort(key=lambda k: (indicator_order(k.rumus.indikator), k.urutan, k.pk))
    return kept


def add_component_sheet(workbook: SafeWorkbook, user: AnyUser, tahun: int) -> None:
    """Append the Komponen sheet (nothing when the user has no formula indicator)."""
    components = _recordable_components(user)
    if not components:
        return
    stored: dict[int, dict[str, NilaiKomponen]] = defaultdict(dict)
    for v in NilaiKomponen.objects.filter(komponen__in=components, tahun=tahun):
        stored[v.komponen_id][v.periode] = v
    sheet = workbook.create_sheet(SHEET)
    sheet.append(HEADERS)
    for k in components:
        ind = k.rumus.indikator
        rows = stored.get(k.pk, {})
        sumber = next((r.sumber for r in rows.values() if r.sumber), k.sumber_data)
        sheet.append(
            [
                k.pk,
                ind.nama,
                k.rumus.engine_formula().operator.label,
                k.nama,
                k.get_peran_display(),
                k.satuan,
                tahun,
                *(
                    (rows[p].nilai if p in rows else None)
                    if p == Periode.TAHUNAN or ind.frekuensi != Frekuensi.TAHUNAN
                    else None
                    for p in PERIOD_COLUMNS
                ),
                sumber,
                _token(rows),
            ]
        )
    for index, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = {"Indikator": 50, "Komponen": 35}.get(header, 14)
        if header in (COL_ID, COL_VERSI):
            sheet.column_dimensions[letter].hidden = True
    sheet.freeze_panes = "H2"


@dataclass
class ComponentImport:
    """What the Komponen sheet would change (preview) or changed (applied)."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    needs_confirmation: bool = False


def _read_rows(data: bytes) -> list[tuple[int, dict[str, Any]]] | None:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    if SHEET not in workbook.sheetnames:
        return None
    rows = workbook[SHEET].iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, ())]
    found = []
    for number, values in enumerate(rows, start=2):
        row = dict(zip(header, values, strict=False))
        if all(is_blank(v) for v in row.values()):
            continue
        found.append((number, row))
    return found


def import_components(
    user: Any, tahun: int, data: bytes, *, dry_run: bool, confirm: bool = False
) -> ComponentImport | None:
    """Read and record the Komponen sheet; None when the workbook has none. A dry run
    checks everything through the services and rolls back."""
    rows = _read_rows(data)
    if rows is None:
        return None
    outcome = ComponentImport()
    ids = []
    for number, row in rows:
        raw = row.get(COL_ID)
        if isinstance(raw, int | float) and int(raw) == raw:
            ids.append(int(raw))
        elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
            ids.append(int(raw.strip()))
        else:
            outcome.errors.append(f"Komponen baris {number}: kolom {COL_ID} kosong atau diubah.")
    components = {
        k.pk: k
        for k in Komponen.objects.filter(pk__in=ids).select_related("rumus__indikator__periode")
    }
    stored: dict[tuple[int, str], NilaiKomponen] = {
        (v.komponen_id, v.periode): v
        for v in NilaiKomponen.objects.filter(komponen_id__in=ids, tahun=tahun)
    }
    grouped: dict[int, dict[str, list[KomponenValue]]] = defaultdict(lambda: defaultdict(list))
    indicators: dict[int, Any] = {}
    for number, row in rows:
        raw = row.get(COL_ID)
        try:
            k = components[int(raw)]  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            if not outcome.errors or f"baris {number}:" not in outcome.errors[-1]:
                outcome.errors.append(f"Komponen baris {number}: komponen tidak dikenal.")
            continue
        if COL_TAHUN in row:  # a template from before the column had none: the page's year
            try:
                year = cell_integer(row[COL_TAHUN], COL_TAHUN)
            except ValueError as exc:
                outcome.errors.append(f"Komponen baris {number}, kolom {COL_TAHUN}: {exc}")
                continue
            if year != tahun:
                why = "wajib diisi." if year is None else other_year(year, tahun)
                outcome.errors.append(f"Komponen baris {number}, kolom {COL_TAHUN}: {why}")
                continue
        indicators[k.rumus.indikator_id] = k.rumus.indikator
        versions = _versions(row.get(COL_VERSI))
        # The export quoted a sumber starting like a formula; the stored text has no quote.
        sumber = restore_text(row.get("Sumber"))
        for periode, column in PERIOD_COLUMNS.items():
            cell = row.get(column)
            if is_blank(cell):
                continue
            try:
                nilai = cell_decimal(cell)
            except NumberParseError as exc:
                outcome.errors.append(f"Komponen baris {number}, kolom {column}: {exc}")
                continue
            if nilai is None:
                continue
            old = stored.get((k.pk, periode))
            if old is not None and old.nilai == nilai and (not sumber or sumber == old.sumber):
                continue
            grouped[k.rumus.indikator_id][periode].append(
                KomponenValue(k, nilai, sumber, versions.get(periode, 0))
            )
            outcome.changes.append(
                f"Baris {number}: {k.nama} ({column}) "
                f"{format_exact(old.nilai) if old is not None else '–'} → {format_exact(nilai)}"
            )
    if outcome.errors:
        return outcome
    entries = [
        KomponenEntry(
            indicators[ind_id],
            tahun,
            tuple((p, tuple(values)) for p, values in periods.items()),
        )
        for ind_id, periods in grouped.items()
    ]
    if not entries:
        return outcome
    try:
        with transaction.atomic():
            komponen_record_many(user=user, entries=entries, confirm=confirm)
            if dry_run:
                transaction.set_rollback(True)
    except NeedsConfirmation as exc:
        # The last message is the generic "periksa … simpan lagi dengan konfirmasi".
        outcome.warnings.extend(exc.messages[:-1])
        outcome.needs_confirmation = True
        if not dry_run:
            outcome.errors.append(
                "Komponen: lonjakan ×10 belum dikonfirmasi; tidak ada yang disimpan."
            )
    except (ValidationError, PermissionDenied) as exc:
        texts = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        outcome.errors.extend(f"Komponen: {m}" for m in texts)
    return outcome


def import_workbook(
    run_realisasi: Any, user: Any, tahun: int, data: bytes, *, dry_run: bool, confirm: bool
) -> tuple[Any, ComponentImport | None]:
    """Both sheets as one import: the realisasi sheet through its resource, then the
    components; on any error of either, nothing of both stays (one transaction)."""
    with transaction.atomic():
        result = run_realisasi(user, tahun, data, dry_run=dry_run, confirm=confirm)
        failed = result.has_errors() or result.has_validation_errors()
        components = (
            None
            if failed
            else import_components(user, tahun, data, dry_run=dry_run, confirm=confirm)
        )
        if failed or dry_run or (components is not None and components.errors):
            transaction.set_rollback(True)
    return result, components
