"""What the Pemda's public page shows: each OPD's published documents and its headline
capaian per year, taken from the kabupaten reader (never computed here).

Only years whose LAKIP is final are shown, per OPD: a draft's figures change while the kabid
types and the Inspektorat reviews, and the public page is the transparency of what the agency
has signed (LKE 3.a.5) — a figure that later changes would be a published error. The final
version's year is locked (reporting.services), so the live figures are the signed ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.numbers import format_percent
from kabupaten.reader import kabupaten_data
from renstra.models import Opd, Pemda
from reporting.models import LakipVersi

from . import esr
from .models import DokumenRegister
from .register import published

# The public page shows the latest years with a final LAKIP (a Renstra period and one more).
MAX_YEARS = 6


@dataclass
class Capaian:
    tahun: int
    mean: str
    kategori: str | None
    n_with_data: int
    n_total: int


@dataclass
class PublicDocument:
    entry: DokumenRegister
    nama: str


@dataclass
class PublicOpd:
    opd: Opd
    documents: list[PublicDocument] = field(default_factory=list)
    capaian: list[Capaian] = field(default_factory=list)


@dataclass
class PublicPage:
    pemda: Pemda
    opds: list[PublicOpd]
    years: list[int]


def public_page(pemda: Pemda) -> PublicPage:
    """Queries: the published documents (1), the years with a final LAKIP (1), then per year
    the kabupaten reader's (kabupaten.reader.kabupaten_data)."""
    by_opd: dict[int, PublicOpd] = {}
    for doc in published(pemda.pk):
        by_opd.setdefault(doc.opd_id, PublicOpd(doc.opd)).documents.append(
            PublicDocument(doc, esr.TYPES[doc.jenis])
        )
    years = sorted(
        set(
            LakipVersi.objects.filter(opd__pemda=pemda)
            .order_by()
            .values_list("tahun", flat=True)
            .distinct()
        ),
        reverse=True,
    )[:MAX_YEARS]
    for tahun in years:
        data = kabupaten_data(pemda, tahun)
        for line in data.opds:
            if line.final is None:
                continue  # not signed yet: not public
            by_opd.setdefault(line.opd.pk, PublicOpd(line.opd)).capaian.append(
                Capaian(
                    tahun=tahun,
                    mean=format_percent(line.summary.mean),
                    kategori=line.summary.kategori if line.complete else None,
                    n_with_data=line.summary.n_with_data,
                    n_total=line.summary.n_total,
                )
            )
    # The plan unit (the Pemda's own documents) first, then the OPDs by name.
    opds = sorted(by_opd.values(), key=lambda o: (not o.opd.is_pemda_unit, o.opd.nama.casefold()))
    return PublicPage(pemda=pemda, opds=opds, years=years)
