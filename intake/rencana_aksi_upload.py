"""The rencana aksi workbook read back: the "Unduh Excel" of the page, edited, uploaded again.

Only four columns are read — ID Indikator, Triwulan, Target and Versi — so the columns the
download adds for people (indicator name, unit, realisasi, capaian, kategori) may stay, be
hidden or be deleted. A row's target is compared with the one stored now; only the quarters
whose value differs become changes, each with the version the workbook was downloaded at,
so a value someone else changed since is refused by the service (``StaleEdit``) rather than
overwritten. Nothing here writes: the view hands :attr:`UploadPlan.items` to
``rencana_aksi.target_triwulan_set_many``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from common.cells import cell_decimal, restore_text
from common.numbers import format_exact
from common.params import MAX_ID, ascii_int, parse_id
from common.sheets import COL_ID_INDIKATOR, COL_VERSI
from indicators.models import QUARTERS, Indikator, Periode, TargetTriwulan
from indicators.rencana_aksi import QuarterTarget

from .excel import read_xlsx

COL_TRIWULAN = "Triwulan"
COL_TARGET = "Target"
REQUIRED = (COL_ID_INDIKATOR, COL_TRIWULAN, COL_TARGET, COL_VERSI)
# Four rows per indicator: a 2.000-indicator OPD's workbook, with room to spare. A longer
# sheet is not one of ours, and its refusals would be a page nobody reads.
MAX_ROWS = 10_000
# The page lists this many refusals; the rest are counted (one mistake copied down a column
# should not make a page of thousands of lines).
MAX_SHOWN = 100
EMPTY = "(kosong)"
_QUARTER_BY_LABEL = {Periode(q).label.casefold(): q for q in QUARTERS}


class UnreadableSheet(ValueError):
    """The sheet is not the rencana aksi workbook (columns missing, far too long); the message
    is Indonesian and meant for the user."""


@dataclass(frozen=True)
class Change:
    indikator: Indikator
    periode: str
    lama: Decimal | None
    baru: Decimal | None
    versi: int
    baris: int

    @property
    def label(self) -> str:
        return Periode(self.periode).label

    @property
    def lama_teks(self) -> str:
        return format_exact(self.lama) or EMPTY

    @property
    def baru_teks(self) -> str:
        return format_exact(self.baru) or EMPTY


@dataclass
class UploadPlan:
    changes: list[Change] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    rows: int = 0

    def items(self, tahun: int) -> list[tuple[Indikator, int, list[QuarterTarget]]]:
        """The changes grouped per indicator, in the shape of ``target_triwulan_set_many``."""
        grouped: dict[int, tuple[Indikator, list[QuarterTarget]]] = {}
        for c in self.changes:
            entry = grouped.setdefault(int(c.indikator.pk), (c.indikator, []))
            entry[1].append(QuarterTarget(c.periode, c.baru, c.versi))
        return [(ind, tahun, values) for ind, values in grouped.values()]

    def digest(self) -> str:
        """The changes as shown: the apply recomputes them and refuses if they differ, i.e.
        if the stored data moved between the preview and the click on "Terapkan"."""
        shown = [
            [int(c.indikator.pk), c.periode, str(c.lama), str(c.baru), c.versi]
            for c in self.changes
        ]
        return hashlib.sha256(json.dumps(shown).encode()).hexdigest()

    @property
    def shown_refusals(self) -> list[str]:
        more = len(self.refusals) - MAX_SHOWN
        head = self.refusals[:MAX_SHOWN]
        return [*head, f"… dan {more} penolakan lainnya."] if more > 0 else head


def _header(value: Any) -> str:
    return restore_text(value).casefold()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _versi(value: Any) -> int | None:
    """The hidden version cell as the download wrote it (a whole number ≥ 0), else None."""
    number = ascii_int(restore_text(value))
    return number if number is not None and 0 <= number <= MAX_ID else None


def plan_upload(data: bytes, *, indicators: Sequence[Indikator], tahun: int) -> UploadPlan:
    """The changes ``data`` (a workbook already found readable) makes to the quarterly
    targets of ``indicators`` (those the uploader may see) in ``tahun``, and the rows refused
    with their reason. One query: the stored quarterly targets."""
    dataset = read_xlsx(data)
    headers = [_header(h) for h in dataset.headers or []]
    missing = [name for name in REQUIRED if name.casefold() not in headers]
    if missing:
        raise UnreadableSheet(
            "Kolom " + ", ".join(f"«{name}»" for name in missing) + " tidak ditemukan pada "
            "lembar pertama. Unduh Excel dari halaman rencana aksi, ubah kolom Target saja, "
            "lalu unggah lagi."
        )
    if len(dataset) > MAX_ROWS:
        raise UnreadableSheet(
            f"Berkas berisi {len(dataset)} baris; paling banyak {MAX_ROWS} baris dapat dibaca."
        )
    col = {name: headers.index(name.casefold()) for name in REQUIRED}
    known = {int(i.pk): i for i in indicators}
    stored = {
        (t.indikator_id, t.periode): t
        for t in TargetTriwulan.objects.filter(indikator_id__in=list(known), tahun=tahun)
    }
    plan = UploadPlan(rows=len(dataset))
    seen: dict[tuple[int, str], int] = {}
    for index, row in enumerate(dataset, start=2):  # row 1 is the header
        if all(_blank(v) for v in row):
            continue
        where = f"Baris {index}"
        raw_id = row[col[COL_ID_INDIKATOR]]
        pk = parse_id(restore_text(raw_id))
        indikator = known.get(pk) if pk is not None else None
        if pk is None or indikator is None:
            shown = restore_text(raw_id)[:30] or EMPTY
            plan.refusals.append(
                f"{where}: ID Indikator «{shown}» tidak dikenal — bukan indikator triwulanan "
                f"OPD Anda pada tahun {tahun}."
            )
            continue
        where = f"{where} ({indikator.nama}"
        quarter = _QUARTER_BY_LABEL.get(restore_text(row[col[COL_TRIWULAN]]).casefold())
        if quarter is None:
            shown = restore_text(row[col[COL_TRIWULAN]])[:30] or EMPTY
            plan.refusals.append(
                f"{where}): Triwulan «{shown}» tidak dikenal; tulis Triwulan I, II, III atau IV."
            )
            continue
        where = f"{where}, {Periode(quarter).label})"
        if (pk, quarter) in seen:
            plan.refusals.append(f"{where}: tercantum dua kali (juga baris {seen[pk, quarter]}).")
            continue
        seen[pk, quarter] = index
        versi = _versi(row[col[COL_VERSI]])
        if versi is None:
            plan.refusals.append(
                f"{where}: kolom Versi kosong atau diubah; unduh Excel lagi dari halaman ini."
            )
            continue
        try:
            baru = cell_decimal(row[col[COL_TARGET]])
        except ValueError as exc:  # NumberParseError included: its message is for the user
            plan.refusals.append(f"{where}: {exc}")
            continue
        current = stored.get((pk, quarter))
        lama = current.nilai if current is not None else None
        if lama == baru:
            continue
        plan.changes.append(Change(indikator, quarter, lama, baru, versi, index))
    return plan
