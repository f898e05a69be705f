"""Evidence files: PDF, JPEG, PNG and XLSX, at most 10 MB, accepted only when they open as what
they claim to be — the first bytes choose the kind, then the kind's own library must open the
whole file: pypdf for a PDF, Pillow for an image, openpyxl (read-only) for a workbook.

A PDF that is also a page (HTML, SVG, script) or runs actions is refused, a file whose name
says another kind than its content too, so a polyglot never becomes active content; the file
is stored under a random name and served as an attachment named after its real kind, with
``nosniff``.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.http import FileResponse
from PIL import Image, UnidentifiedImageError

from common.images import strict_images

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# A workbook of evidence is small: its parts, unpacked, may take at most this much (a zip bomb
# of a few kilobytes unpacks to gigabytes), in at most this many parts.
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_XLSX_PARTS = 2_000
MAX_XLSX_ROWS_READ = 1_000
# Pillow refuses above twice its own default; evidence photos are far below this.
MAX_IMAGE_PIXELS = 40_000_000

ALLOWED = {
    "pdf": ("application/pdf", ".pdf"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    # Only where a caller asks for it (``docx=True``): the evaluation's evidence (SK, SOP).
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
}
# The names a user's file may carry for each kind (the stored name is random anyway).
SUFFIXES = {
    "pdf": {".pdf"},
    "jpeg": {".jpg", ".jpeg"},
    "png": {".png"},
    "xlsx": {".xlsx"},
    "docx": {".docx"},
}
LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "xlsx": "XLSX", "docx": "DOCX"}

NOT_ALLOWED = (
    "Jenis berkas tidak diizinkan. Unggah PDF, JPEG, PNG, atau XLSX "
    "(isi berkas diperiksa, bukan hanya namanya)."
)
NOT_ALLOWED_DOCX = (
    "Jenis berkas tidak diizinkan. Unggah PDF, JPEG, PNG, XLSX, atau DOCX "
    "(isi berkas diperiksa, bukan hanya namanya)."
)

# What a browser takes for a page or a script (the HTML patterns of WHATWG MIME sniffing, SVG,
# an XML style sheet): a PDF carrying these outside its streams is an HTML polyglot. Binary
# stream data is left out of the search (random bytes would match short tags by chance).
ACTIVE_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|frameset)[\s>/]|"
    rb"<\?xml-stylesheet|javascript:",
    re.IGNORECASE,
)
PDF_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
# Actions a PDF reader may run by itself or on a click: scripts, programs, form submission.
PDF_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia"}
PDF_ACTION_NAMES = re.compile(rb"/(?:JavaScript|JS|Launch|SubmitForm|ImportData)\b")


def sniff(head: bytes) -> str | None:
    """The kind the first bytes announce, or None. The file name is never trusted."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    return None


def _refuse(message: str, **params: str) -> ValidationError:
    return ValidationError(message, params=params or None)


def _pdf_actions(reader: object) -> bool:
    """Whether the catalog, a page or an annotation carries a script or a program to run
    (also where object streams hide the dictionaries from a plain byte search)."""
    from pypdf.generic import DictionaryObject

    def runs(action: object) -> bool:
        action = getattr(action, "get_object", lambda: action)()
        return isinstance(action, DictionaryObject) and str(action.get("/S")) in PDF_ACTIONS

    def any_runs(holder: object) -> bool:
        holder = getattr(holder, "get_object", lambda: holder)()
        if not isinstance(holder, DictionaryObject):
            return False
        if runs(holder.get("/A")) or runs(holder.get("/OpenAction")):
            return True
        triggers = holder.get("/AA")
        triggers = getattr(triggers, "get_object", lambda: triggers)()
        return isinstance(triggers, DictionaryObject) and any(
            runs(value) for value in triggers.values()
        )

    catalog = reader.trailer["/Root"].get_object()  # type: ignore[attr-defined]
    names = catalog.get("/Names")
    names = getattr(names, "get_object", lambda: names)()
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        return True
    if any_runs(catalog):
        return True
    for page in reader.pages:  # type: ignore[attr-defined]
        if any_runs(page):
            return True
        for annotation in page.get("/Annots") or []:
            if any_runs(annotation):
                return True
    return False


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader

    outside_streams = PDF_STREAM.sub(b"", data)
    if ACTIVE_MARKUP.search(outside_streams) or PDF_ACTION_NAMES.search(outside_streams):
        raise _refuse("PDF ini memuat HTML, skrip, atau tindakan otomatis; unggah PDF biasa.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise _refuse("PDF ini dikunci kata sandi; unggah PDF tanpa kata sandi.")
            if len(reader.pages) == 0:
                raise _refuse("PDF ini tidak memiliki halaman.")
            # Every page's objects must resolve and its content decode (a PDF header with
            # garbage behind it fails here).
            for page in reader.pages:
                page.get_contents()
                _ = page.mediabox
            if _pdf_actions(reader):
                raise _refuse(
                    "PDF ini memuat HTML, skrip, atau tindakan otomatis; unggah PDF biasa."
                )
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise _refuse("Berkas ini bukan PDF yang utuh dan tidak dapat dibuka.") from exc


def _check_image(data: bytes, kind: str) -> None:
    # An image's own magic bytes come first, so no browser sniffs it as a page; what follows
    # must decode as that image (PNG magic followed by SVG does not).
    expected = {"jpeg": "JPEG", "png": "PNG"}[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    raise _refuse("Isi gambar tidak sesuai dengan jenisnya.")
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _refuse("Gambar terlalu besar (lebih dari 40 megapiksel).")
                image.verify()
            # verify() checks the structure without decoding; a real load decodes every
            # pixel (truncated or corrupt data fails here).
            with strict_images(), Image.open(io.BytesIO(data)) as image:
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse("Gambar terlalu besar (lebih dari 40 megapiksel).") from exc
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise _refuse("Berkas ini bukan gambar %(kind)s yang utuh.", kind=expected) from exc


def _zip_names(data: bytes, what: str, not_allowed: str) -> set[str]:
    """The part names of an Office file, refused when it unpacks too large or carries macros
    or embedded objects (their parts end in .bin)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            # The sizes the archive declares bound what zipfile will ever unpack (it stops at
            # the declared size and fails the CRC beyond it), so they are checked first.
            if len(infos) > MAX_XLSX_PARTS or (
                sum(info.file_size for info in infos) > MAX_XLSX_UNCOMPRESSED
            ):
                raise _refuse(
                    "Isi %(what)s ini terlalu besar setelah diekstrak; unggah %(what)s biasa.",
                    what=what,
                )
            if any(name.lower().endswith(".bin") for name in names):
                raise _refuse(
                    "%(what)s bermakro atau berisi objek tersemat tidak diizinkan.", what=what
                )
    except ValidationError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(not_allowed) from exc
    if "[Content_Types].xml" not in names:
        raise _refuse(not_allowed)
    return names


def _check_xlsx(data: bytes, not_allowed: str = NOT_ALLOWED) -> None:
    from openpyxl import load_workbook

    names = _zip_names(data, "XLSX", not_allowed)
    if "xl/workbook.xml" not in names:
        raise _refuse(not_allowed)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise _refuse("XLSX ini tidak memiliki lembar kerja.")
            # Each sheet's cells must parse; the first rows suffice to show it is a sheet
            # (reading every row of a large workbook takes half a minute in a request).
            for sheet in workbook.worksheets:
                for _row in sheet.iter_rows(max_row=MAX_XLSX_ROWS_READ, values_only=True):
                    pass
        finally:
            workbook.close()
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _refuse("Berkas ini bukan XLSX yang utuh dan tidak dapat dibuka.") from exc


def _check_docx(data: bytes) -> None:
    import docx

    _zip_names(data, "DOCX", NOT_ALLOWED_DOCX)
    try:
        # python-docx parses every part with entities unresolved (no expansion bomb); its
        # paragraphs must read.
        document = docx.Document(io.BytesIO(data))
        _ = len(document.paragraphs)
    except Exception as exc:  # python-docx raises many kinds for a damaged document
        raise _refuse("Berkas ini bukan DOCX yang utuh dan tidak dapat dibuka.") from exc


def validate_evidence(upload: IO[bytes], size: int, *, docx: bool = False) -> str:
    """Return the kind of an acceptable evidence file or raise a ValidationError in Indonesian.

    The one check for evidence: the form and the service both call it. ``docx`` also accepts
    a Word document (a zip whose main part is word/document.xml)."""
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            "Berkas bukti terlalu besar (%(mb)s MB); maksimal 10 MB.",
            params={"mb": f"{size / 1024 / 1024:.1f}".replace(".", ",")},
        )
    if size == 0:
        raise ValidationError("Berkas bukti kosong.")
    upload.seek(0)
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_EVIDENCE_BYTES:
        raise ValidationError("Berkas bukti terlalu besar; maksimal 10 MB.")
    not_allowed = NOT_ALLOWED_DOCX if docx else NOT_ALLOWED
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(not_allowed)
    if kind == "xlsx" and docx and b"word/document.xml" in data:
        kind = "docx"
    if kind == "pdf":
        _check_pdf(data)
    elif kind in ("jpeg", "png"):
        _check_image(data, kind)
    elif kind == "docx":
        _check_docx(data)
    else:
        _check_xlsx(data, not_allowed)
    # Even a sound file is refused under another kind's name (a PDF called .html would open
    # as a page once saved).
    name = getattr(upload, "name", None)
    suffix = PurePath(str(name)).suffix.lower() if name else ""
    if suffix and suffix not in SUFFIXES[kind]:
        raise ValidationError(
            "Nama berkas berakhiran %(suffix)s, tetapi isinya %(kind)s. Unggah berkas dengan "
            "akhiran yang sesuai isinya.",
            params={"suffix": suffix, "kind": LABELS[kind]},
        )
    return kind


def random_evidence_name(folder: str, filename: str) -> str:
    """Where an uploaded evidence file is stored: a random name in ``folder`` keeping only the
    suffix (the original name may reveal personal data and must not be guessable)."""
    import uuid

    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def evidence_response(stored: Any, original_name: str) -> FileResponse:
    """An evidence file as a download named after the kind it was checked to be (the stored
    name's suffix), whatever the uploader called it: a "laporan.html" never reaches a browser
    as .html."""
    path = PurePath(stored.name)
    stem = PurePath(original_name).stem if original_name else path.stem
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=f"{stem or 'bukti'}{path.suffix.lower()}"
    )
