"""The LKjIP Pemda: the LAKIP of the Pemda's plan unit (RPJMD, IKU Pemda) built by the OPD
LAKIP's builder and renderers, with the chapter of every OPD (capaian, contributions to each
sasaran RPJMD, budgets), and the same final-version mechanism (hashed, stored, versioned)."""

import hashlib
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from renstra.pemda import tautan_decide, tautan_propose
from renstra.services import lock_for
from reporting.builder import build_lakip
from reporting.models import LakipVersi
from reporting.render import render_html
from reporting.services import lakip_download, lakip_finalize, lakip_generate
from tests.factories import AnggaranFactory
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    world = kabupaten()
    link = tautan_propose(
        user=world.u.perencana, node=world.x.sasaran, sasaran_rpjmd=world.rpjmd.sasaran
    )
    tautan_decide(user=world.u.bappeda, obj=link, terima=True)
    AnggaranFactory(program=world.x.program, tahun=2024, pagu=Decimal(1000), realisasi=Decimal(900))
    return world


def test_the_json_carries_the_iku_pemda_and_the_pemda_chapter(k):
    out = json.loads(lakip_generate(k.rpjmd.unit, 2024, "json"))
    assert [i["indikator"] for i in out["iku"]] == ["IKU Pemda KAB"]
    assert out["iku"][0]["capaian"] == 90  # 72 / 80
    chapter = out["kabupaten"]
    assert [o["kode"] for o in chapter["opd"]] == ["X", "Y"]
    assert chapter["opd"][0]["capaian_iku"] == 90  # 45 / 50
    (sasaran,) = chapter["sasaran_rpjmd"]
    # X's sasaran supports it: its own IKU, 45 of 50 = 90 %, bounded mean 90 %, Tinggi.
    assert sasaran["pendukung"] == [
        {"opd": "X", "nama": k.x.sasaran.nama, "capaian": 90, "kategori": "Tinggi"}
    ]
    assert sasaran["iku"][0]["kontribusi"] == [{"opd": "X", "indikator": "IKU X", "capaian": 90}]
    assert chapter["anggaran_opd"] == [
        {"opd": "X", "pagu": 1000, "realisasi": 900, "penyerapan": 90, "efisiensi": 100}
    ]


def test_an_opds_lakip_has_no_pemda_chapter(k):
    assert "kabupaten" not in json.loads(lakip_generate(k.x.opd, 2024, "json"))


def test_the_command_writes_each_format(k, tmp_path):
    out = io.StringIO()
    call_command(
        "lakip_pemda", "KAB", "2024", "--format", "json", "-o", str(tmp_path / "l.json"), stderr=out
    )
    assert json.loads((tmp_path / "l.json").read_text())["kabupaten"]["pemda"]["kode"] == "KAB"
    call_command(
        "lakip_pemda", "KAB", "2024", "--format", "xlsx", "-o", str(tmp_path / "l.xlsx"), stderr=out
    )
    wb = load_workbook(tmp_path / "l.xlsx")
    assert {"OPD", "Sasaran RPJMD", "Anggaran OPD"} <= set(wb.sheetnames)
    assert wb["Anggaran OPD"]["B3"].value == "X"
    call_command(
        "lakip_pemda", "KAB", "2024", "--format", "pdf", "-o", str(tmp_path / "l.pdf"), stderr=out
    )
    pages = PdfReader(str(tmp_path / "l.pdf")).pages
    text = "\n".join(page.extract_text() for page in pages)
    assert "KINERJA PERANGKAT DAERAH KABUPATEN CONTOH" in text
    assert "IKU Pemda KAB" in text
    call_command(
        "lakip_pemda", "KAB", "2024", "--format", "docx", "-o", str(tmp_path / "l.docx"), stderr=out
    )
    assert (tmp_path / "l.docx").read_bytes()[:2] == b"PK"


def test_the_command_refuses_an_unknown_pemda(k):
    with pytest.raises(CommandError, match="Pemerintah daerah TIDAKADA tidak ditemukan"):
        call_command("lakip_pemda", "TIDAKADA", "2024", "--format", "json")


def test_bappeda_finalises_the_lkjip_as_an_opd_finalises_its_lakip(k):
    versi = lakip_finalize(user=k.u.bappeda, opd=k.rpjmd.unit, tahun=2024)
    assert versi.nomor == 1
    assert versi.sha256_pdf == hashlib.sha256(bytes(versi.pdf)).hexdigest()
    assert lock_for(k.rpjmd.unit.pk, 2024) is not None
    download = lakip_download(user=k.u.inspektorat, opd=k.rpjmd.unit, tahun=2024, fmt="pdf")
    assert download.content == bytes(versi.pdf)


def test_nobody_else_finalises_the_lkjip(k):
    for user in (k.u.inspektorat, k.u.kepala_daerah, k.u.perencana, k.u.bappeda_lain):
        with pytest.raises(PermissionDenied, match="Hanya perencana OPD ini"):
            lakip_finalize(user=user, opd=k.rpjmd.unit, tahun=2024)
    assert not LakipVersi.objects.exists()


def test_the_dashboard_button_builds_the_pdf_as_a_job_like_the_lakip_page(
    k, client, django_capture_on_commit_callbacks
):
    client.force_login(k.u.kepala_daerah)
    with django_capture_on_commit_callbacks(execute=True):
        job = client.post(reverse("pemda_lkjip", args=[2024, "pdf"]))
    assert job.status_code == 302
    assert job["Location"].startswith("/proses/")
    response = client.get(job["Location"] + "hasil/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="LKjIP-KAB-2024-draf.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_an_opd_role_is_refused_the_lkjip_download(k, client):
    client.force_login(k.u.pimpinan)
    assert client.post(reverse("pemda_lkjip", args=[2024, "pdf"])).status_code == 403


def test_the_lkjip_without_the_bupatis_name_is_refused_then_signed_by_the_bupati(k):
    from django.core.exceptions import ValidationError

    from renstra.models import Pemda

    Pemda.objects.filter(pk=k.pemda.pk).update(kepala_daerah_nama="")
    k.rpjmd.unit.refresh_from_db()
    with pytest.raises(ValidationError, match=r"nama penandatangan \(Bupati Contoh\)"):
        lakip_finalize(user=k.u.bappeda, opd=k.rpjmd.unit, tahun=2024)
    assert not LakipVersi.objects.exists()

    Pemda.objects.filter(pk=k.pemda.pk).update(kepala_daerah_nama="H. ABDUL HADI")
    k.rpjmd.unit.refresh_from_db()
    versi = lakip_finalize(user=k.u.bappeda, opd=k.rpjmd.unit, tahun=2024)
    html = lakip_download(user=k.u.bappeda, opd=k.rpjmd.unit, tahun=2024, fmt="pdf")
    assert versi.nomor == 1 and html.content.startswith(b"%PDF")
    assert k.rpjmd.unit.penandatangan.jabatan == "Bupati Contoh"
    assert "Kepala KAB" not in render_html(build_lakip(k.rpjmd.unit, 2024))


def test_the_pemda_chapter_carries_the_same_numbers_in_pdf_docx_and_xlsx(k):
    """The chapter is blocks of the document, laid out by the renderers as the OPD chapters:
    each printed budget figure appears as often in the PDF as in the Word file, and the
    workbook keeps the number behind it."""
    from reporting.render import render_docx, render_pdf, render_xlsx
    from tests.test_lakip_document import docx_text, pdf_text, sheet_values

    data = build_lakip(k.rpjmd.unit, 2024)
    pdf = pdf_text(render_pdf(render_html(data)))
    word = docx_text(render_docx(data))
    sheets = sheet_values(render_xlsx(data))
    for printed in ("Rp 1.000", "Rp 900", "90,00 %"):
        assert pdf.count(printed) >= 1
        assert pdf.count(printed) == word.count(printed), printed
    assert "Capaian IKU per perangkat daerah tahun 2024" in pdf
    assert "Capaian IKU per perangkat daerah tahun 2024" in word
    budget = sheets["Anggaran OPD"]
    assert budget[:2] == [
        "Anggaran seluruh perangkat daerah tahun 2024 dan efisiensi",
        "Perangkat daerah",
    ]
    assert 1000 in budget and 900 in budget and "Jumlah" in budget
    assert "final versi" not in word and "draf" in word


def test_the_pemda_chapter_names_each_opds_final_version(k):
    from kabupaten.lkjip import chapter_blocks, lkjip_chapter

    def lakip_column() -> list[object]:
        (section,) = chapter_blocks(lkjip_chapter(k.pemda, 2024))
        opds = section.blocks[1]
        return [(row.cells[1], row.cells[-1]) for row in opds.rows]

    assert ("X", "draf") in lakip_column()
    lakip_finalize(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    assert ("X", "final versi 1") in lakip_column()
