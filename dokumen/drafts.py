"""Which document Kinerja itself produces for an ESR type: one explicit registry, ESR number →
where the register page links it and what the ESR package takes when no scan is uploaded.

Wiring a generator is one line in ``DRAFTS`` (e.g. ``6: Draft("Draf PK", url=..., file=...)``
once dokumen's PK pages exist); a type without an entry has no generated draft."""

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


DRAFTS: dict[int, Draft] = {
    8: Draft(label="LAKIP dari Kinerja", url=_lakip_url, file=_lakip_file),
}
