"""A signed document in a format: its blocks drawn by the reporting renderers (HTML → PDF by
WeasyPrint, DOCX by python-docx) under the OPD's kop and logo, and its Indonesian file name."""

from __future__ import annotations

import datetime

from django.utils.text import slugify

from renstra.models import Opd
from reporting.document import Document
from reporting.logos import Kop, kop_for
from reporting.render import CSS_PATH, render_pdf
from reporting.renderers import docx, html

FORMATS = ("pdf", "docx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# The signed documents' own rules on top of the report's: a centred title line, the parties'
# lines indented, the SK IKU's nine-column annex on landscape pages.
EXTRA_CSS = """
p.center { text-align: center; }
p.party { margin: 0 0 1mm 8mm; text-align: left; }
p.party-closing { margin: 0 0 3mm 8mm; }
section.signed h1 { margin-top: 4mm; }
section.lampiran { break-before: page; }
section.landscape { page: wide; break-before: page; }
table.data.small td, table.data.small th { padding: 0.8mm 1mm; }
/* A short table (a budget, its total) is never cut, and a total row never opens a page. */
section.signed table.data#pk-anggaran-sasaran { break-inside: avoid; }
section.signed tr.total { break-before: avoid; }
"""


class UnknownFormat(ValueError):
    pass


def render(
    document: Document, opd: Opd, fmt: str, *, kop: Kop | None = None, extra_css: str = ""
) -> bytes:
    """Under the OPD's kop unless another is given (the Inspektorat's, on an LHE); a
    document's own print rules in ``extra_css``."""
    kop = kop if kop is not None else kop_for(opd)
    if fmt == "pdf":
        css = CSS_PATH.read_text(encoding="utf-8") + EXTRA_CSS + extra_css
        return render_pdf(html.render(document, kop=kop, css=css))
    if fmt == "docx":
        # A fixed timestamp: the same data gives the same file.
        stamp = datetime.datetime(document.year or 2000, 1, 1)
        return docx.render(document, kop=kop, stamp=stamp)
    raise UnknownFormat(f"Format {fmt!r} tidak dikenal; pilih pdf atau docx.")


def filename(kind: str, opd: Opd, tahun: int, fmt: str, who: str = "") -> str:
    """ "perjanjian-kinerja-2024-dp3appkbpmd-kabid-pppa.pdf": the kind, year, OPD and (for a
    PK) the official, readable and safe in every file system."""
    parts = [kind, str(tahun), opd.kode, who]
    return "-".join(slugify(p) for p in parts if p) + f".{fmt}"
