"""Real and forged evidence files, made here so the tests need no binary fixtures."""

import io
import zipfile

from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_with(prepare) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    prepare(writer)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def image(fmt: str, size=(8, 8)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def jpeg() -> bytes:
    return image("JPEG")


def png() -> bytes:
    return image("PNG")


def xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Desa", "Status"])
    sheet.append(["Paringin", "Maju"])
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


def zip_of(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buf.getvalue()


def xlsx_replacing(name: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx())) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[name] = content
    return zip_of(parts)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<html><body><script>fetch('/akun/').then(r=>r.text())</script></body></html>"
# A worksheet whose cell text is an entity expanding tenfold per level ("billion laughs").
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
    b"</sheetData></worksheet>"
)


def raw_pdf(
    catalog_extra: bytes = b"", extra_objects: tuple[bytes, ...] = (), pages: bool = True
) -> bytes:
    """A one-page PDF written by hand (objects 1–3, then the extra ones from 4), with a correct
    cross-reference table, for what pypdf's writer will not produce."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
        if pages
        else b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
