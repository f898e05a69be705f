"""Evidence files: only PDF, JPEG, PNG and XLSX, recognised by their content, at most 10 MB."""

from __future__ import annotations

import zipfile
from typing import IO

from django.core.exceptions import ValidationError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

ALLOWED = {
    "pdf": ("application/pdf", ".pdf"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


def sniff(head: bytes, stream: IO[bytes]) -> str | None:
    """The evidence kind the bytes really are, or None. The file name is never trusted."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        # Any zip starts like this (docx, apk…): an xlsx must carry a workbook part.
        try:
            stream.seek(0)
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    return None


def validate_evidence(upload: IO[bytes], size: int) -> str:
    """Return the kind of an acceptable evidence file or raise a ValidationError in Indonesian."""
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            "Berkas bukti terlalu besar (%(mb)s MB); maksimal 10 MB.",
            params={"mb": f"{size / 1024 / 1024:.1f}".replace(".", ",")},
        )
    if size == 0:
        raise ValidationError("Berkas bukti kosong.")
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head, upload)
    upload.seek(0)
    if kind is None:
        raise ValidationError(
            "Jenis berkas tidak diizinkan. Unggah PDF, JPEG, PNG, atau XLSX "
            "(isi berkas diperiksa, bukan hanya namanya)."
        )
    return kind
