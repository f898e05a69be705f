"""The logo and letterhead (kop) of a Pemda and of an OPD: what an upload must be, and what a
report prints when an OPD has none of its own.

A logo is printed on report covers and letterheads by WeasyPrint and python-docx, and shown
in the browser preview: only PNG and JPEG are taken, checked by Pillow for what the bytes
are, not what the name says. SVG is refused: it is a document that may carry scripts and
external references, and neither renderer needs it."""

from __future__ import annotations

import io
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from common.images import strict_images

LOGO_DIR = "logo"
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MIN_SIDE = 32
LOGO_MAX_SIDE = 4000
# Pillow's format name → the file extensions and content type it is stored and served with.
LOGO_FORMATS = {"PNG": ("image/png", (".png",)), "JPEG": ("image/jpeg", (".jpg", ".jpeg"))}
LOGO_EXTENSIONS = tuple(ext for _mime, exts in LOGO_FORMATS.values() for ext in exts)
KOP_MAX_LINES = 4
KOP_MAX_LINE = 150


def content_type_for(name: str) -> str | None:
    """The content type a stored logo is served with, from its (validated) extension."""
    suffix = PurePosixPath(name).suffix.lower()
    return next((mime for mime, exts in LOGO_FORMATS.values() if suffix in exts), None)


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_logo")


def validate_logo(value: Any) -> None:
    """PNG or JPEG, at most 1 MB, of sane dimensions; checked on a new upload only (a stored
    logo was checked when it came in, and re-reading it on every save of the row costs IO)."""
    if not value or getattr(value, "_committed", True):
        return
    name = str(getattr(value, "name", "") or "")
    head = _head(value)
    if name.lower().endswith((".svg", ".svgz")) or b"<svg" in head.lower():
        raise _refuse(
            "Logo berformat SVG tidak diterima karena dapat memuat skrip; "
            "unggah logo sebagai PNG atau JPEG."
        )
    size = getattr(value, "size", None)
    if size is not None and size > LOGO_MAX_BYTES:
        raise _refuse(
            f"Ukuran logo {size / 1024 / 1024:.1f} MB melebihi batas 1 MB; "
            "perkecil gambar lalu unggah lagi."
        )
    width, height, kind = _inspect(value)
    if kind not in LOGO_FORMATS:
        raise _refuse("Logo harus berupa gambar PNG atau JPEG.")
    if not name.lower().endswith(LOGO_FORMATS[kind][1]):
        raise _refuse(
            f"Nama berkas logo harus berakhiran {' atau '.join(LOGO_FORMATS[kind][1])} "
            f"sesuai isinya ({kind})."
        )
    if min(width, height) < LOGO_MIN_SIDE or max(width, height) > LOGO_MAX_SIDE:
        raise _refuse(
            f"Ukuran gambar logo {width}×{height} piksel; sisi logo harus antara "
            f"{LOGO_MIN_SIDE} dan {LOGO_MAX_SIDE} piksel."
        )
    if max(width, height) > 4 * min(width, height):
        raise _refuse(
            f"Logo {width}×{height} piksel terlalu memanjang untuk kop dan sampul laporan."
        )


def _head(value: Any) -> bytes:
    try:
        value.seek(0)
        head = bytes(value.read(512))
        value.seek(0)
    except (OSError, ValueError):
        return b""
    return head


def _inspect(value: Any) -> tuple[int, int, str | None]:
    """(width, height, Pillow format) of an upload, or a refusal when Pillow cannot read it:
    the size is read from the header before anything is decoded (a decompression bomb never
    is), ``verify`` checks the structure, and a full decode with truncated data refused
    catches a half-uploaded or forged image."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    unreadable = "Berkas logo bukan gambar PNG atau JPEG yang utuh; unggah PNG atau JPEG."
    try:
        value.seek(0)
        data = value.read()
        value.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                width, height = image.size
                if kind not in LOGO_FORMATS or max(width, height) > LOGO_MAX_SIDE:
                    return width, height, kind
                image.verify()
            with strict_images(), Image.open(io.BytesIO(data)) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("Gambar logo terlalu besar untuk dibuka.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refuse(unreadable) from None
    return width, height, kind


@deconstructible
class KopValidator:
    """A letterhead of at most a few short lines: it has to fit above a report's first
    heading."""

    def __call__(self, value: str) -> None:
        lines = kop_lines(value)
        if len(lines) > KOP_MAX_LINES:
            raise ValidationError(f"Kop paling banyak {KOP_MAX_LINES} baris.", code="kop")
        longest = max((len(line) for line in lines), default=0)
        if longest > KOP_MAX_LINE:
            raise ValidationError(
                f"Setiap baris kop paling banyak {KOP_MAX_LINE} karakter.", code="kop"
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KopValidator)

    def __hash__(self) -> int:
        return hash(KopValidator)


def kop_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def logo_upload_to(instance: Any, filename: str) -> str:
    """``logo/pemda/<kode>/…`` or ``logo/opd/<kode>/…``: every logo lives under one folder,
    the only one the PDF renderer reads from (``reporting.render``)."""
    from django.utils.text import get_valid_filename

    owner = type(instance).__name__.lower()
    kode = get_valid_filename(str(getattr(instance, "kode", "") or "baru")) or "baru"
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix == ".jpeg":
        suffix = ".jpg"
    return f"{LOGO_DIR}/{owner}/{kode}/logo{suffix}"
