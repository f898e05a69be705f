"""The register's read side: the 19 ESR rows of an OPD and year with their due dates and
statuses, and the published documents of a Pemda — each in a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from kabupaten.reader import due_date
from renstra.models import Opd

from . import esr
from .drafts import DRAFTS, Draft
from .models import DokumenRegister


@dataclass
class Row:
    jenis: int
    nama: str
    entry: DokumenRegister | None
    tenggat: datetime.date | None
    status: esr.Status
    draft: Draft | None

    @property
    def status_label(self) -> str:
        return esr.STATUS_LABELS[self.status]

    @property
    def ditetapkan(self) -> bool:
        return self.entry is not None and esr.is_ditetapkan(self.entry.facts(self.tenggat))

    @property
    def published(self) -> bool:
        return self.entry is not None and self.entry.tanggal_publikasi is not None


def default_due(opd: Opd, tahun: int, jenis: int) -> datetime.date | None:
    """The due date of dokumen.esr.DUE_RULES for the type (``opd.pemda`` is read: join it)."""
    rule = esr.DUE_RULES.get(jenis)
    if rule is esr.DueRule.END_OF_FEBRUARY:
        return esr.end_of_february(tahun)
    if rule is esr.DueRule.REPORT_DAY:
        if opd.pemda is None:
            return datetime.date(tahun + 1, 3, 31)  # Perpres 29/2014's three months
        return due_date(opd.pemda, tahun, of_pemda=opd.is_pemda_unit)
    return None


def row_for(
    opd: Opd, tahun: int, jenis: int, entry: DokumenRegister | None, today: datetime.date
) -> Row:
    default = default_due(opd, tahun, jenis)
    tenggat = (entry.tenggat if entry is not None else None) or default
    facts = esr.Facts("", None, False, None, tenggat) if entry is None else entry.facts(default)
    return Row(
        jenis=jenis,
        nama=esr.TYPES[jenis],
        entry=entry,
        tenggat=tenggat,
        status=esr.status(facts, today),
        draft=DRAFTS.get(jenis),
    )


def register_rows(opd: Opd, tahun: int, today: datetime.date | None = None) -> list[Row]:
    """The 19 rows in the register's order (one query; ``opd.pemda`` joined by the caller)."""
    today = today or datetime.date.today()
    entries = {e.jenis: e for e in DokumenRegister.objects.filter(opd=opd, tahun=tahun)}
    return [row_for(opd, tahun, jenis, entries.get(jenis), today) for jenis in esr.ORDER]


def published_entries() -> QuerySet[DokumenRegister]:
    """The entries the public may see: the status's rule (formalised, with a publication
    date), the one filter of the public page and its downloads."""
    return (
        DokumenRegister.objects.filter(tanggal_publikasi__isnull=False)
        .exclude(nomor="")
        .exclude(berkas="")
        .exclude(tanggal_penetapan__isnull=True)
    )


def published(pemda_id: int) -> list[DokumenRegister]:
    """Every published document of the Pemda's OPDs (plan unit included), with its OPD (one
    query)."""
    return list(
        published_entries()
        .filter(opd__pemda_id=pemda_id)
        .select_related("opd")
        .order_by("-opd__jenis", "opd__nama", "-tahun", "jenis")
    )
