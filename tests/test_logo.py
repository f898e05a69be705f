"""The logo and kop (letterhead) of a Pemda and of an OPD: what an upload must be, who may set
it, the Pemda's coat of arms on every OPD that has none, and the report covers, letterheads
and preview that print it — never a "LOGO" placeholder, and never a file the renderer was
not meant to read."""

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw
from pypdf import PdfReader

from renstra.models import Opd, Pemda
from renstra.pemda import pemda_save
from renstra.services import opd_save
from reporting.builder import build_lakip
from reporting.logos import name_from_url, report_fetcher
from reporting.render import render_html, render_pdf
from reporting.services import lakip_generate
from tests.html_forms import form_data
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db

RED = (200, 20, 20)


def png(size: tuple[int, int] = (200, 200), color: tuple[int, int, int] = RED) -> bytes:
    """A coloured disc on white: visible wherever a renderer puts it."""
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).ellipse((4, 4, size[0] - 4, size[1] - 4), fill=color)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def upload(data: bytes, name: str = "lambang.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def logo_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "logo"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def k(db):
    return kabupaten()


def with_pemda_logo(k, data: bytes | None = None) -> Pemda:
    pemda = Pemda.objects.get(pk=k.pemda.pk)
    pemda.logo = upload(data or png())
    return pemda_save(user=k.u.bappeda, obj=pemda)


# --- what an upload must be ------------------------------------------------------------------


def noise_png(side: int) -> bytes:
    import os

    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert(1)</script><circle cx="50" cy="50" r="40"/></svg>'
)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        pytest.param(noise_png(700), "besar.png", "melebihi batas 1 MB", id="too-large"),
        pytest.param(b"bukan gambar sama sekali", "palsu.png", "bukan gambar", id="not-an-image"),
        pytest.param(SVG, "lambang.svg", "SVG tidak diterima", id="svg"),
        pytest.param(SVG, "lambang.png", "SVG tidak diterima", id="svg-named-png"),
        pytest.param(png()[:300], "terpotong.png", "bukan gambar", id="truncated"),
        pytest.param(png((8, 8)), "kecil.png", "antara 32 dan 4000 piksel", id="tiny"),
        pytest.param(png((600, 100)), "pita.png", "terlalu memanjang", id="strip"),
        pytest.param(png(), "lambang.jpg", "berakhiran .png", id="wrong-extension"),
    ],
)
def test_a_bad_logo_is_refused_in_indonesian_and_nothing_is_saved(k, settings, data, name, message):
    opd = Opd.objects.get(pk=k.x.opd.pk)
    opd.logo = upload(data, name)

    with pytest.raises(ValidationError, match=message) as refused:
        opd_save(user=k.u.perencana, obj=opd)

    assert "logo" in refused.value.message_dict
    assert not Opd.objects.get(pk=k.x.opd.pk).logo
    assert logo_files(settings) == []


def test_a_gif_is_refused_png_and_jpeg_only(k):
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), "red").save(buffer, "GIF")
    opd = Opd.objects.get(pk=k.x.opd.pk)
    opd.logo = upload(buffer.getvalue(), "lambang.gif")
    with pytest.raises(ValidationError, match="PNG atau JPEG"):
        opd_save(user=k.u.perencana, obj=opd)


def test_a_png_and_a_jpeg_are_stored_under_media_logo(k, settings):
    opd = Opd.objects.get(pk=k.x.opd.pk)
    opd.logo = upload(png())
    opd_save(user=k.u.perencana, obj=opd)
    assert Opd.objects.get(pk=opd.pk).logo.name == "logo/opd/X/logo.png"

    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), "navy").save(buffer, "JPEG")
    pemda = Pemda.objects.get(pk=k.pemda.pk)
    pemda.logo = upload(buffer.getvalue(), "Lambang Daerah.JPEG")
    pemda_save(user=k.u.bappeda, obj=pemda)
    assert Pemda.objects.get(pk=pemda.pk).logo.name == "logo/pemda/KAB/logo.jpg"
    assert {p.name for p in logo_files(settings)} == {"logo.png", "logo.jpg"}


def test_a_kop_of_too_many_lines_is_refused(k):
    opd = Opd.objects.get(pk=k.x.opd.pk)
    opd.kop = "\n".join(f"Baris {i}" for i in range(6))
    with pytest.raises(ValidationError, match="paling banyak 4 baris"):
        opd_save(user=k.u.perencana, obj=opd)


# --- who may set it --------------------------------------------------------------------------


def test_a_perencana_cannot_change_another_opds_logo(k, settings):
    other = Opd.objects.get(pk=k.y.opd.pk)
    other.logo = upload(png())
    other.kop = "KOP PALSU"
    with pytest.raises(PermissionDenied, match="Hanya perencana OPD ini"):
        opd_save(user=k.u.perencana, obj=other)
    stored = Opd.objects.get(pk=k.y.opd.pk)
    assert (stored.logo.name, stored.kop) == ("", "")
    assert logo_files(settings) == []


@pytest.mark.parametrize("role", ["perencana", "kabid", "inspektorat", "bappeda_lain"])
def test_nobody_but_its_bappeda_and_the_admin_changes_the_pemdas_logo(k, settings, role):
    pemda = Pemda.objects.get(pk=k.pemda.pk)
    pemda.logo = upload(png())
    with pytest.raises(PermissionDenied):
        pemda_save(user=getattr(k.u, role), obj=pemda)
    assert not Pemda.objects.get(pk=k.pemda.pk).logo
    assert logo_files(settings) == []


def test_the_admin_sets_any_pemdas_logo(k):
    pemda = Pemda.objects.get(pk=k.lain.pk)
    pemda.logo = upload(png())
    pemda_save(user=k.u.admin, obj=pemda)
    assert Pemda.objects.get(pk=k.lain.pk).logo


def test_a_perencana_reaches_no_pemda_in_the_admin(client, k):
    client.force_login(k.u.perencana)
    url = reverse("admin:renstra_pemda_change", args=[k.pemda.pk])
    response = client.post(url, {"nama": "Contoh", "logo": upload(png())})
    assert response.status_code == 403
    assert not Pemda.objects.get(pk=k.pemda.pk).logo


def test_bappeda_uploads_its_pemdas_logo_and_kop_in_the_admin_and_sees_no_other(client, k):
    client.force_login(k.u.bappeda)
    changelist = client.get(reverse("admin:renstra_pemda_changelist")).content.decode()
    assert "Contoh" in changelist and "LAIN" not in changelist
    assert (
        client.get(reverse("admin:renstra_pemda_change", args=[k.lain.pk])).status_code == 302
    )  # Django's "does not exist" redirect: another Pemda's row is not Bappeda's to see

    url = reverse("admin:renstra_pemda_change", args=[k.pemda.pk])
    page = client.get(url).content.decode()
    assert 'name="kode"' not in page  # fixed after creation: shown, not offered
    data = form_data(page, form_id="pemda_form")
    data.update({"kop": "PEMERINTAH KABUPATEN CONTOH", "logo": upload(png())})
    response = client.post(url, data)

    assert response.status_code == 302
    stored = Pemda.objects.get(pk=k.pemda.pk)
    assert stored.logo.name == "logo/pemda/KAB/logo.png"
    assert stored.kop == "PEMERINTAH KABUPATEN CONTOH"


def test_the_admin_form_shows_the_refusal_of_an_svg(client, k):
    client.force_login(k.u.perencana)
    url = reverse("admin:renstra_opd_change", args=[k.x.opd.pk])
    data = form_data(client.get(url).content.decode(), form_id="opd_form")
    data["logo"] = SimpleUploadedFile("lambang.svg", SVG, content_type="image/svg+xml")
    response = client.post(url, data)
    assert response.status_code == 200
    # Django's ImageField (Pillow) refuses it first, in the form, in Indonesian.
    assert "Unggah gambar yang valid" in response.content.decode()
    assert not Opd.objects.get(pk=k.x.opd.pk).logo


# --- fallback --------------------------------------------------------------------------------


def test_an_opd_without_a_logo_prints_its_pemdas_and_its_own_wins(k):
    assert Opd.objects.get(pk=k.x.opd.pk).logo_efektif is None
    with_pemda_logo(k)
    opd = Opd.objects.get(pk=k.x.opd.pk)
    assert opd.logo_efektif.name == "logo/pemda/KAB/logo.png"

    opd.logo = upload(png(color=(20, 20, 200)))
    opd_save(user=k.u.perencana, obj=opd)
    assert Opd.objects.get(pk=k.x.opd.pk).logo_efektif.name == "logo/opd/X/logo.png"
    assert Opd.objects.get(pk=k.y.opd.pk).logo_efektif.name == "logo/pemda/KAB/logo.png"


def test_the_kop_defaults_to_the_pemda_line_and_the_opds_name(k):
    opd = Opd.objects.get(pk=k.x.opd.pk)
    assert opd.kop_baris == ["PEMERINTAH KABUPATEN CONTOH", "DINAS X"]
    assert Opd.objects.get(pk=k.rpjmd.unit.pk).kop_baris == ["PEMERINTAH KABUPATEN CONTOH"]
    opd.kop = "PEMERINTAH KABUPATEN CONTOH\nDINAS X\n"
    opd.kop_kontak = "Jl. Contoh No. 1, Telp. (0526) 000"
    opd_save(user=k.u.perencana, obj=opd)
    opd = Opd.objects.get(pk=k.x.opd.pk)
    assert opd.kop_baris == ["PEMERINTAH KABUPATEN CONTOH", "DINAS X"]
    assert opd.kop_kontak_efektif == "Jl. Contoh No. 1, Telp. (0526) 000"


# --- the PDF ---------------------------------------------------------------------------------


def page_images(page) -> list[str]:
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    return [n for n, ref in xobjects.items() if ref.get_object().get("/Subtype") == "/Image"]


def cover_pixels(pdf: bytes, tmp_path: Path) -> Image.Image:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) tidak terpasang")
    source = tmp_path / "laporan.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 (a fixed tool on a file of ours)
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(source), str(tmp_path / "c")],  # noqa: S607
        check=True,
    )
    return Image.open(next(tmp_path.glob("c*.png"))).convert("RGB")


def reds(image: Image.Image, box: tuple[float, float, float, float]) -> int:
    w, h = image.size
    crop = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    raw = crop.tobytes()
    return sum(
        1 for i in range(0, len(raw), 3) if raw[i] > 150 and raw[i + 1] < 90 and raw[i + 2] < 90
    )


def test_the_pdf_cover_and_letterhead_print_the_pemdas_logo(k, tmp_path):
    with_pemda_logo(k)
    pdf = lakip_generate(Opd.objects.get(pk=k.x.opd.pk), 2024, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert page_images(reader.pages[0])  # the cover
    assert page_images(reader.pages[-1]) or page_images(reader.pages[-2])  # the PK's kop
    assert "LOGO" not in text
    assert "PEMERINTAH KABUPATEN CONTOH" in reader.pages[0].extract_text()
    cover = cover_pixels(pdf, tmp_path)
    # Top centre holds the red disc; the bottom half holds none of it.
    assert reds(cover, (0.35, 0.0, 0.65, 0.35)) > 50
    assert reds(cover, (0.0, 0.5, 1.0, 1.0)) == 0


def test_without_any_logo_the_pdf_has_no_image_and_no_placeholder(k):
    pdf = lakip_generate(Opd.objects.get(pk=k.x.opd.pk), 2024, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert not any(page_images(p) for p in reader.pages)
    assert "LOGO" not in "\n".join(p.extract_text() for p in reader.pages)


def test_the_lkjip_pemda_prints_the_pemdas_logo(k):
    with_pemda_logo(k)
    unit = Opd.objects.get(pk=k.rpjmd.unit.pk)
    reader = PdfReader(io.BytesIO(lakip_generate(unit, 2024, "pdf")))
    assert page_images(reader.pages[0])
    document = docx.Document(io.BytesIO(lakip_generate(unit, 2024, "docx")))
    assert logo_pictures(document, png()) == 2


def test_the_renderer_reads_logo_files_and_nothing_else(k, tmp_path, settings):
    outside = tmp_path / "rahasia.png"
    outside.write_bytes(png())
    evidence = Path(settings.MEDIA_ROOT) / "bukti" / "x.png"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(png())
    fetcher = report_fetcher()
    for url in (
        outside.as_uri(),
        "file:///etc/hostname",
        "http://127.0.0.1:1/x.png",
        "https://laporan.kinerja.invalid/media/bukti/x.png",
        "https://laporan.kinerja.invalid/media/logo/../bukti/x.png",
        "https://laporan.kinerja.invalid/media/logo/%2e%2e/bukti/x.png",
        "https://contoh.example/media/logo/opd/X/logo.png",
    ):
        with pytest.raises(ValueError, match="ditolak"):
            fetcher.fetch(url)
    assert name_from_url("https://laporan.kinerja.invalid/media/logo/opd/X/logo.png") == (
        "logo/opd/X/logo.png"
    )

    html = (
        f'<html><body><img src="{outside.as_uri()}"><img src="http://127.0.0.1:1/a.png">'
        '<img src="/media/bukti/x.png"></body></html>'
    )
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    assert not page_images(reader.pages[0])


# --- the DOCX --------------------------------------------------------------------------------


def logo_pictures(document, data: bytes) -> int:
    """Inline pictures in the document whose image is the logo (charts are pictures too)."""
    part = document.part
    return sum(
        1
        for shape in document.inline_shapes
        if part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        == data
    )


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def cover_paragraphs(document) -> list:
    """The paragraphs of the cover, down to its title."""
    out = []
    for p in document.paragraphs:
        out.append(p)
        if p.text.startswith("TAHUN "):
            return out
    raise AssertionError("no cover title")


def test_the_docx_puts_the_logo_on_the_cover_and_the_letterhead(k):
    opd = Opd.objects.get(pk=k.x.opd.pk)
    before = docx.Document(io.BytesIO(lakip_generate(opd, 2024, "docx")))
    with_pemda_logo(k)
    opd = Opd.objects.get(pk=k.x.opd.pk)  # with its Pemda as stored now
    document = docx.Document(io.BytesIO(lakip_generate(opd, 2024, "docx")))

    assert logo_pictures(document, png()) == 2
    # The charts are pictures too: exactly two more than without a logo.
    assert len(document.inline_shapes) == len(before.inline_shapes) + 2
    assert any("graphicData" in p._p.xml for p in cover_paragraphs(document))
    text = docx_text(document)
    assert "LOGO" not in text
    assert "PEMERINTAH KABUPATEN CONTOH" in text


def test_without_any_logo_the_docx_has_no_picture_and_no_placeholder(k):
    document = docx.Document(
        io.BytesIO(lakip_generate(Opd.objects.get(pk=k.x.opd.pk), 2024, "docx"))
    )
    cover = cover_paragraphs(document)
    assert not any("graphicData" in p._p.xml for p in cover)
    # No empty paragraph left where the logo would have been: the title block follows the
    # cover's top spacing directly.
    assert [p.text for p in cover][-3:] == [
        "LAPORAN KINERJA INSTANSI PEMERINTAH",
        "(LKjIP)",
        "TAHUN 2024",
    ]
    assert "LOGO" not in docx_text(document)


# --- the preview -----------------------------------------------------------------------------


def test_the_preview_shows_the_logo_served_to_whoever_reads_the_opd(client, k):
    with_pemda_logo(k)
    client.force_login(k.u.perencana)
    html = client.get(reverse("lakip_preview", args=[2024])).content.decode()
    src = "/media/logo/pemda/KAB/logo.png"
    assert f'<img class="cover-logo" src="{src}"' in html
    assert ">LOGO<" not in html

    served = client.get(src)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png()

    client.force_login(k.u.perencana_z)  # another Pemda's
    assert client.get(src).status_code == 404
    client.logout()
    assert client.get(src).status_code == 302  # to the sign-in page


def test_an_opds_own_logo_is_not_served_to_another_opd(client, k):
    opd = Opd.objects.get(pk=k.x.opd.pk)
    opd.logo = upload(png())
    opd_save(user=k.u.perencana, obj=opd)
    src = "/media/logo/opd/X/logo.png"
    client.force_login(k.u.perencana_y)
    assert client.get(src).status_code == 404
    client.force_login(k.u.bappeda)  # reads every OPD of its Pemda
    assert client.get(src).status_code == 200
    assert client.get("/media/logo/../bukti/x.png").status_code == 404


def test_the_html_file_carries_the_logo_inside_itself(k):
    with_pemda_logo(k)
    html = lakip_generate(Opd.objects.get(pk=k.x.opd.pk), 2024, "html").decode()
    assert 'class="cover-logo" src="data:image/png;base64,' in html
    assert "/media/" not in html


def test_a_logo_file_gone_from_disk_prints_no_image(k, settings):
    with_pemda_logo(k)
    for path in logo_files(settings):
        path.unlink()
    html = render_html(build_lakip(Opd.objects.get(pk=k.x.opd.pk), 2024))
    assert '<img class="cover-logo"' not in html
    assert '<img class="kop-logo"' not in html
