"""Which document Kinerja itself produces for an ESR type: one explicit registry, ESR number →
where the register page links it and what the ESR package takes when no scan is uploaded.

Wiring a generator is one line in ``DRAFTS``; a type without an entry has no generated draft.
The package takes only what is stored (a signed scan, a final LAKIP), never an unsigned
draft."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from renstra.models import Opd
from reporting.models import LakipVersi

from .esr import package_name

# (opd, tahun, own) → the URL of the draft, or None; ``own``: the reader's own OPD (the
# pages of another OPD differ: a Pemda role reads it through the kabupaten's pages).
UrlFor = Callable[[Opd, int, bool], str | None]
# (opd, tahun) → (file name, bytes) for the package, or None (nothing stored to take).
FileFor = Callable[[Opd, int], tuple[str, bytes] | None]


@dataclass(frozen=True)
class Draft:
    label: str
    url: UrlFor
    file: FileFor | None = None


def _lakip_url(opd: Opd, tahun: int, own: bool) -> str:
    # The LAKIP page builds the draft (in the background) and lists the final versions.
    if own:
        return reverse("lakip", args=[tahun])
    return reverse("pemda_opd", args=[tahun, opd.kode])


def _lakip_file(opd: Opd, tahun: int) -> tuple[str, bytes] | None:
    """The latest final version's PDF (the bytes leadership signed); a draft is never built
    for a package (it takes a worker minutes)."""
    pdf = (
        LakipVersi.objects.filter(opd=opd, tahun=tahun)
        .order_by("-nomor")
        .values_list("pdf", flat=True)
        .first()
    )
    if pdf is None:
        return None
    return package_name(8, opd.kode, tahun), bytes(pdf)


def _generated(jenis: str) -> UrlFor:
    """The Word/PDF draft of dokumen's own generator (the Kepala Dinas's PK when it is a PK);
    signed and scanned, it is what the register keeps."""

    def url(opd: Opd, tahun: int, own: bool) -> str | None:
        return reverse("dokumen:dokumen_file", args=[tahun, opd.kode, jenis, "pdf"])

    return url


DRAFTS: dict[int, Draft] = {
    3: Draft(label="SK IKU dari Kinerja (PDF)", url=_generated("sk-iku")),
    6: Draft(label="PK Kepala Dinas dari Kinerja (PDF)", url=_generated("pk")),
    7: Draft(label="Rencana Aksi dari Kinerja (PDF)", url=_generated("rencana-aksi")),
    8: Draft(label="LAKIP dari Kinerja", url=_lakip_url, file=_lakip_file),
}
