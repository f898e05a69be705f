"""Evidence is checked by opening it: each kind must open in its own library; every forged
kind is refused with a clear Indonesian message."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.evidence import validate_evidence
from tests import evidence_files as files


def check(name: str, content: bytes) -> str:
    return validate_evidence(SimpleUploadedFile(name, content), len(content))


def refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as excinfo:
        check(name, content)
    return " ".join(excinfo.value.messages)


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("bukti.pdf", files.pdf, "pdf"),
        ("foto.jpg", files.jpeg, "jpeg"),
        ("foto.JPEG", files.jpeg, "jpeg"),
        ("foto.png", files.png, "png"),
        ("data.xlsx", files.xlsx, "xlsx"),
    ],
)
def test_a_real_file_of_each_kind_is_accepted(name, make, kind):
    assert check(name, make()) == kind


def test_the_upload_can_be_read_again_after_the_check():
    upload = SimpleUploadedFile("bukti.pdf", files.pdf())
    validate_evidence(upload, upload.size)
    assert upload.read(5) == b"%PDF-"


# --- PDF -------------------------------------------------------------------------------------


def test_a_pdf_header_with_nothing_behind_it_is_refused():
    message = refused("palsu.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert "bukan PDF yang utuh" in message or "tidak memiliki halaman" in message


def test_a_pdf_without_pages_is_refused():
    assert "tidak memiliki halaman" in refused("kosong.pdf", files.raw_pdf(pages=False))


def test_a_pdf_header_followed_by_garbage_is_refused():
    assert "bukan PDF yang utuh" in refused("palsu.pdf", b"%PDF-1.7\n" + b"\x00\x01garbage" * 500)


def test_a_pdf_html_polyglot_named_html_is_refused():
    polyglot = files.pdf() + b"\n" + files.HTML + b"\n"
    assert "memuat HTML, skrip, atau tindakan otomatis" in refused("laporan.html", polyglot)


def test_a_sound_pdf_named_html_is_refused():
    assert "berakhiran .html, tetapi isinya PDF" in refused("laporan.html", files.pdf())


def test_a_pdf_html_polyglot_named_pdf_is_refused():
    polyglot = files.pdf() + b"\n" + files.HTML + b"\n"
    assert "memuat HTML, skrip, atau tindakan otomatis" in refused("laporan.pdf", polyglot)


def test_a_hand_written_pdf_opens():
    assert check("laporan.pdf", files.raw_pdf()) == "pdf"


def test_a_pdf_that_runs_javascript_on_opening_is_refused():
    scripted = files.raw_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert "memuat HTML, skrip, atau tindakan otomatis" in refused("laporan.pdf", scripted)


def test_a_pdf_hiding_its_script_behind_escaped_names_is_refused():
    # "/Java#53cript" is the name /JavaScript written with a hex escape: no byte search finds
    # it, the catalog read through pypdf does.
    scripted = files.raw_pdf(b"/OpenAction << /S /Java#53cript /J#53 (app.alert(1)) >>")
    assert b"/JavaScript" not in scripted
    assert "memuat HTML, skrip, atau tindakan otomatis" in refused("laporan.pdf", scripted)


def test_a_pdf_launching_a_program_from_a_bookmark_is_refused():
    launch = files.raw_pdf(
        b"/Outlines 4 0 R",
        (
            b"<< /Type /Outlines /First 5 0 R /Last 5 0 R /Count 1 >>",
            b"<< /Title (Buka) /Parent 4 0 R /A << /S /Launch /F (cmd.exe) >> >>",
        ),
    )
    assert "memuat HTML, skrip, atau tindakan otomatis" in refused("laporan.pdf", launch)


def test_a_password_protected_pdf_is_refused():
    locked = files.pdf_with(lambda w: w.encrypt("rahasia", algorithm="RC4-128"))
    assert "dikunci kata sandi" in refused("laporan.pdf", locked)


# --- images ----------------------------------------------------------------------------------


def test_jpeg_magic_bytes_followed_by_garbage_are_refused():
    assert "bukan gambar JPEG yang utuh" in refused("foto.jpg", b"\xff\xd8\xff\xe0" + b"0" * 64)


def test_a_truncated_jpeg_is_refused():
    whole = files.image("JPEG", size=(400, 300))
    assert "bukan gambar JPEG yang utuh" in refused("foto.jpg", whole[: len(whole) // 2])


def test_png_magic_bytes_followed_by_svg_are_refused():
    assert "bukan gambar PNG yang utuh" in refused("foto.png", b"\x89PNG\r\n\x1a\n" + files.SVG)


@pytest.mark.parametrize("name", ["gambar.svg", "gambar.png", "gambar.jpg"])
def test_an_svg_is_refused_whatever_its_name(name):
    assert "Jenis berkas tidak diizinkan" in refused(name, files.SVG)


def test_an_html_page_is_refused():
    assert "Jenis berkas tidak diizinkan" in refused("bukti.pdf", files.HTML)


def test_a_decompression_bomb_png_is_refused():
    buf = io.BytesIO()
    from PIL import Image

    Image.new("1", (10_000, 10_000)).save(buf, "PNG")  # 100 megapixels in a few kilobytes
    content = buf.getvalue()
    assert len(content) < 100_000
    assert "Gambar terlalu besar" in refused("foto.png", content)


def test_an_image_above_40_megapixels_is_refused_below_pillows_own_limit():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(buf, "PNG")  # 50 MP: Pillow alone would decode it
    assert "Gambar terlalu besar" in refused("foto.png", buf.getvalue())


def test_a_jpeg_named_png_is_refused():
    assert "berakhiran .png, tetapi isinya JPEG" in refused("foto.png", files.jpeg())


# --- XLSX ------------------------------------------------------------------------------------


def test_a_zip_that_merely_names_the_workbook_parts_is_refused():
    fake = files.zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert "bukan XLSX yang utuh" in refused("data.xlsx", fake)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = files.zip_of(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024),
        }
    )
    assert len(bomb) < 200_000
    assert "terlalu besar setelah diekstrak" in refused("data.xlsx", bomb)


@pytest.mark.parametrize(
    "sheet",
    [
        # Cut off inside a row.
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Desa</t></is></c>',
        # Well-formed XML, but a number cell that holds no number: only reading the cells
        # finds it.
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="n"><v>bukan angka</v></c></row></sheetData>'
        b"</worksheet>",
    ],
)
def test_a_workbook_whose_sheet_does_not_parse_is_refused(sheet):
    broken = files.xlsx_replacing("xl/worksheets/sheet1.xml", sheet)
    assert "bukan XLSX yang utuh" in refused("data.xlsx", broken)


def test_a_workbook_with_macros_is_refused():
    macro = files.xlsx_replacing("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert "bermakro" in refused("data.xlsx", macro)


def test_an_entity_expansion_bomb_in_the_workbook_is_refused():
    bomb = files.xlsx_replacing("xl/worksheets/sheet1.xml", files.BILLION_LAUGHS)
    assert "bukan XLSX yang utuh" in refused("data.xlsx", bomb)


def test_a_word_document_is_refused():
    docx = files.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    assert "Jenis berkas tidak diizinkan" in refused("data.xlsx", docx)


def test_a_damaged_zip_is_refused():
    assert "Jenis berkas tidak diizinkan" in refused("data.xlsx", b"PK\x03\x04" + b"0" * 40)


# --- size ------------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match=r"Berkas bukti kosong\."):
        validate_evidence(SimpleUploadedFile("b.pdf", b""), 0)


def test_a_file_over_10_mb_is_refused():
    content = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    assert "terlalu besar" in refused("besar.pdf", content)


def test_a_truncated_jpeg_is_refused_after_weasyprint_has_been_loaded():
    """WeasyPrint switches Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when it is
    imported (found by this suite running the report tests first in the same worker): a
    worker that had rendered a LAKIP accepted half an upload. The check decodes strictly."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    whole = files.image("JPEG", size=(400, 300))
    assert "bukan gambar JPEG yang utuh" in refused("foto.jpg", whole[: len(whole) // 2])
    png = files.image("PNG", size=(400, 300))
    assert "bukan gambar PNG yang utuh" in refused("foto.png", png[: len(png) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # the process's setting is left as it was
