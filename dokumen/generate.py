"""One way to make a signed document, for the pages and the ``dokumen`` command: the kind
(``pk``, ``pk-perubahan``, ``rencana-aksi``, ``sk-iku``), the OPD, the year, the official and
the format in; the file's bytes and its Indonesian name out."""

from __future__ import annotations

from dataclasses import dataclass

from renstra.models import Opd, Pejabat

from .data import (
    DocumentRefused,
    decree_data,
    kepala_pihak,
    pk_data,
    rencana_aksi_lines,
)
from .documents import pk_document, rencana_aksi_document, sk_iku_document
from .render import CONTENT_TYPES, FORMATS, filename, render

JENIS = ("pk", "pk-perubahan", "rencana-aksi", "sk-iku")
JENIS_LABELS = {
    "pk": "perjanjian-kinerja",
    "pk-perubahan": "perjanjian-kinerja-perubahan",
    "rencana-aksi": "rencana-aksi",
    "sk-iku": "sk-iku",
}


@dataclass(frozen=True)
class GeneratedFile:
    content: bytes
    filename: str
    content_type: str


def generate(
    opd: Opd, tahun: int, jenis: str, fmt: str, pejabat: Pejabat | None = None
) -> GeneratedFile:
    """Refuses (``DocumentRefused``) what cannot be made, with the reason."""
    if fmt not in FORMATS:
        raise DocumentRefused(f"Format {fmt!r} tidak dikenal; pilih pdf atau docx.")
    if jenis not in JENIS:
        raise DocumentRefused(f"Jenis dokumen {jenis!r} tidak dikenal: {', '.join(JENIS)}.")
    tempat = opd.tempat or (opd.pemda.tempat if opd.pemda_id else "")
    who = ""
    if jenis in ("pk", "pk-perubahan"):
        data = pk_data(opd, tahun, pejabat, perubahan=jenis == "pk-perubahan")
        document = pk_document(data)
        who = "".join((data.pertama.nip or data.pertama.nama or "kepala").split())
    elif jenis == "rencana-aksi":
        document = rencana_aksi_document(
            opd.nama, str(opd), tahun, tempat, kepala_pihak(opd), rencana_aksi_lines(opd, tahun)
        )
    else:
        document = sk_iku_document(decree_data(opd, tahun), tempat, tahun, kepala_pihak(opd))
    return GeneratedFile(
        content=render(document, opd, fmt),
        filename=filename(JENIS_LABELS[jenis], opd, tahun, fmt, who),
        content_type=CONTENT_TYPES[fmt],
    )
