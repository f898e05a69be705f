"""Finding 5 (formula injection in XLSX exports): every workbook the product hands out is
written by the one safe writer (``common/sheets.py``).

Black-box: hostile text (``=HYPERLINK(…)``, ``+1``, ``-1+2``, ``@SUM(A1)``, tab and CR before
``=``) in every text field a workbook shows, every XLSX export downloaded through its page and
read back with openpyxl: no cell is a formula, no text cell starts with a formula trigger, and
each hostile text comes back exactly through our import's ``restore_text``.

Structural: no module but the writer creates a workbook, a sheet or a cell, writes a workbook
through another library, or assigns a cell's value; every admin export format is the safe
one.
"""

from __future__ import annotations

import ast
import io
import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from common.cells import FORMULA_TRIGGERS, restore_text
from common.sheets import SafeWorkbook, workbook_bytes
from indicators.formula_services import KomponenSpec, KomponenValue, komponen_record, rumus_set
from indicators.models import Indikator, JenisTarget, Komponen, Realisasi, Target
from intake.excel import SafeXLSX
from renstra.door import SystemActor
from renstra.models import Bidang, Opd, Program, Sasaran
from reporting.models import Bagian, Narasi
from tests.factories import (
    AnggaranFactory,
    IndikatorFactory,
    RealisasiFactory,
    TargetFactory,
)
from tests.html_forms import form_data
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db

SYSTEM = SystemActor("uji")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROOT = Path(__file__).resolve().parent.parent
HYPERLINK = '=HYPERLINK("http://x","y")'
HOSTILE = (HYPERLINK, "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1")


@pytest.fixture
def world():
    """The small kabupaten with hostile text in every text field of OPD X that a workbook
    shows: the plan tree, the IKU's definition, its realisasi narrative, a qualitative
    indicator's target and realisasi, a formula indicator's components, the LAKIP narrative.
    ``k.texts`` maps "Model.field" to the text stored."""
    k = kabupaten()
    x = k.x
    texts: dict[str, str] = {}
    attacks = itertools.cycle(HOSTILE)

    def put(model: Any, pk: int, *names: str) -> None:
        # Each field gets the next attack and its own name, so a cell says where it came from;
        # update() stores it as an attacker's earlier write would have.
        values = {name: f"{next(attacks)} {model.__name__}.{name}" for name in names}
        texts.update({f"{model.__name__}.{name}": value for name, value in values.items()})
        model.objects.filter(pk=pk).update(**values)

    x.indikator.bidang = x.bidang
    x.indikator.save()
    put(Indikator, x.indikator.pk, "nama", "satuan", "makna", "alasan", "formulasi")
    put(Indikator, x.indikator.pk, "sumber_data", "penanggung_jawab")
    put(Opd, x.opd.pk, "nama")
    put(Bidang, x.bidang.pk, "nama")
    put(Sasaran, x.sasaran.pk, "nama")
    put(Program, x.program.pk, "nama")
    realisasi = Realisasi.objects.get(indikator=x.indikator, tahun=2024)
    put(Realisasi, realisasi.pk, "analisis", "hambatan", "tindak_lanjut")
    TargetFactory(indikator=x.indikator, tahun=2024, jenis=JenisTarget.PK, nilai=Decimal(55))

    opini = IndikatorFactory(sasaran=x.sasaran, bidang=x.bidang, nama="Opini BPK", satuan="")
    put(Target, TargetFactory(indikator=opini, nilai=None, nilai_teks="WTP").pk, "nilai_teks")
    put(Realisasi, RealisasiFactory(indikator=opini, nilai=None, nilai_teks="WTP").pk, "nilai_teks")
    # Realisasi.nilai_teks now names the qualitative one; the IKU's narrative keeps its own keys.

    desa = IndikatorFactory(sasaran=x.sasaran, bidang=x.bidang, nama="Persentase desa maju")
    TargetFactory(indikator=desa, tahun=2024, nilai=Decimal(45))
    baru = IndikatorFactory(sasaran=x.sasaran, bidang=x.bidang, nama="Persentase desa baru")
    for ind in (desa, baru):
        rumus_set(
            user=SYSTEM,
            indikator=ind,
            operator="rasio",
            komponen=[
                KomponenSpec(f"maju {ind.pk}", "pembilang", "desa", "IDM"),
                KomponenSpec(f"semua {ind.pk}", "penyebut", "desa", "Kemendagri"),
            ],
            dikonfirmasi=True,
        )
    maju, semua = Komponen.objects.filter(rumus__indikator=desa).order_by("urutan", "pk")
    texts["NilaiKomponen.sumber"] = f"{HYPERLINK} NilaiKomponen.sumber"
    komponen_record(
        user=SYSTEM,
        indikator=desa,
        tahun=2024,
        values=[
            KomponenValue(maju, Decimal(85), texts["NilaiKomponen.sumber"], versi=None),
            KomponenValue(semua, Decimal(153), "Kemendagri", versi=None),
        ],
    )
    put(Komponen, semua.pk, "nama", "satuan")
    # A component without a value stored: the sheet shows its own sumber data.
    kosong = Komponen.objects.filter(rumus__indikator=baru).order_by("urutan", "pk").first()
    put(Komponen, kosong.pk, "sumber_data")
    AnggaranFactory(program=x.program, tahun=2024)
    texts["Narasi.teks"] = f"{next(attacks)} Narasi.teks"
    Narasi.objects.create(
        opd=x.opd, tahun=2024, bagian=Bagian.LATAR_BELAKANG, teks=texts["Narasi.teks"]
    )
    k.texts = texts
    return k


def xlsx_cells(data: bytes) -> list[Any]:
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def xlsx_response(response: Any) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    return bytes(response.content)


def admin_export(client: Any, url_name: str) -> bytes:
    """The admin's export page submitted as rendered (format XLSX, every column ticked)."""
    url = reverse(url_name)
    page = client.get(url)
    assert page.status_code == 200
    return xlsx_response(client.post(url, form_data(page.content.decode())))


def downloads(client: Any, k: Any, on_commit: Any) -> dict[str, bytes]:
    """Every XLSX export of the product, each through its page, as the role that downloads it."""
    files: dict[str, bytes] = {}
    client.force_login(k.u.kabid)
    files["realisasi templat"] = xlsx_response(
        client.get(reverse("intake:realisasi_template", args=[2024]))
    )
    files["triwulan"] = xlsx_response(
        client.get(reverse("indicators:rencana_aksi", args=[2024]), {"format": "xlsx"})
    )
    client.force_login(k.u.perencana)
    files["target templat"] = xlsx_response(client.get(reverse("admin:indicators_target_template")))
    files["admin indikator"] = admin_export(client, "admin:indicators_indikator_export")
    files["admin target"] = admin_export(client, "admin:indicators_target_export")
    files["admin realisasi"] = admin_export(client, "admin:indicators_realisasi_export")
    files["admin anggaran"] = admin_export(client, "admin:renstra_anggaran_export")
    client.force_login(k.u.pimpinan)
    with on_commit(execute=True):
        job = client.post(reverse("lakip_file", args=[2024, "xlsx"]))
    assert job.status_code == 302
    files["LAKIP"] = xlsx_response(client.get(reverse("job_result", args=[job_id(job)])))
    client.force_login(k.u.kepala_daerah)
    with on_commit(execute=True):
        job = client.post(reverse("pemda_lkjip", args=[2024, "xlsx"]))
    files["LKjIP Pemda"] = xlsx_response(client.get(reverse("job_result", args=[job_id(job)])))
    return files


def job_id(response: Any) -> str:
    return str(response["Location"]).rstrip("/").split("/")[-1]


# What each export shows of the hostile fields (each is checked to come back exactly).
SHOWN = {
    "realisasi templat": {
        "Bidang.nama",
        "Indikator.nama",
        "Indikator.satuan",
        "Komponen.nama",
        "Komponen.satuan",
        "Komponen.sumber_data",
        "NilaiKomponen.sumber",
        "Realisasi.analisis",
        "Realisasi.hambatan",
        "Realisasi.nilai_teks",
        "Realisasi.tindak_lanjut",
    },
    "triwulan": {"Indikator.nama", "Indikator.satuan"},
    "target templat": {"Indikator.nama", "Indikator.satuan", "Target.nilai_teks"},
    "admin indikator": {
        "Indikator.alasan",
        "Indikator.formulasi",
        "Indikator.makna",
        "Indikator.nama",
        "Indikator.penanggung_jawab",
        "Indikator.satuan",
        "Indikator.sumber_data",
        "Sasaran.nama",
    },
    "admin target": {"Indikator.nama", "Indikator.satuan", "Target.nilai_teks"},
    "admin realisasi": {
        "Bidang.nama",
        "Indikator.nama",
        "Indikator.satuan",
        "Realisasi.analisis",
        "Realisasi.hambatan",
        "Realisasi.nilai_teks",
        "Realisasi.tindak_lanjut",
    },
    "admin anggaran": {"Program.nama"},
    "LAKIP": {
        "Indikator.alasan",
        "Indikator.formulasi",
        "Indikator.nama",
        "Indikator.penanggung_jawab",
        "Indikator.satuan",
        "Indikator.sumber_data",
        "Narasi.teks",
        "Program.nama",
        "Realisasi.nilai_teks",
        "Sasaran.nama",
        "Target.nilai_teks",
    },
    "LKjIP Pemda": {"Opd.nama"},
}


def test_every_xlsx_export_writes_hostile_text_as_text(
    world, client, django_capture_on_commit_callbacks
):
    files = downloads(client, world, django_capture_on_commit_callbacks)
    assert set(files) == set(SHOWN)
    for name, data in files.items():
        cells = xlsx_cells(data)
        formulas = [c.coordinate for c in cells if c.data_type == "f"]
        assert formulas == [], name
        triggered = [
            c.value
            for c in cells
            if isinstance(c.value, str) and c.value.startswith(FORMULA_TRIGGERS)
        ]
        assert triggered == [], name
        # Every hostile text of the export comes back exactly through the import's reading.
        restored = {restore_text(c.value) for c in cells if isinstance(c.value, str)}
        shown = {field for field, text in world.texts.items() if text in restored}
        assert shown == SHOWN[name], name


def test_the_kabids_template_uploaded_unchanged_changes_nothing(world, client):
    # The quotes the export added come off again: every hostile text reads back as stored.
    client.force_login(world.u.kabid)
    data = xlsx_response(client.get(reverse("intake:realisasi_template", args=[2024])))
    url = reverse("intake:realisasi_spreadsheet", args=[2024])
    preview = client.post(url, {"berkas": SimpleUploadedFile("r.xlsx", data)})
    assert preview.status_code == 200
    summary = preview.context["summary"]
    assert summary["errors"] == []
    assert (summary["counts"]["baru"], summary["counts"]["diubah"]) == (0, 0)
    assert summary["komponen"].changes == []


def test_komponen_sheet_sumber_formula_is_written_as_text(world, client):
    client.force_login(world.u.kabid)
    data = xlsx_response(client.get(reverse("intake:realisasi_template", args=[2024])))
    sheet = load_workbook(io.BytesIO(data))["Komponen"]
    column = [c.value for c in sheet[1]].index("Sumber")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    stored = world.texts["NilaiKomponen.sumber"]
    assert (cells[0].value, cells[0].data_type) == ("'" + stored, "s")
    assert restore_text(cells[0].value) == stored


def test_triwulan_workbook_indicator_name_formula_is_written_as_text(world, client):
    client.force_login(world.u.kabid)
    response = client.get(reverse("indicators:rencana_aksi", args=[2024]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx_response(response))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    stored = world.texts["Indikator.nama"]
    assert stored.startswith("=HYPERLINK(")
    iku = [c for c in names if restore_text(c.value) == stored]
    assert len(iku) == 4  # one row per triwulan
    assert {(c.value, c.data_type) for c in iku} == {("'" + stored, "s")}


# --- the writer itself -----------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_every_way_of_writing_a_cell_escapes_text(text):
    workbook = SafeWorkbook()
    sheet = workbook.first_sheet
    sheet.append([text, -70, Decimal("1.5"), None])
    sheet.append({"B": text})
    sheet.cell(row=3, column=1, value=text)
    sheet["A4"] = text
    sheet["A5"].value = text
    workbook.create_sheet("Lain").append([text])
    read = load_workbook(io.BytesIO(workbook_bytes(workbook)))
    first = read.worksheets[0]
    assert [first.cell(row=1, column=c).value for c in (1, 2, 3)] == ["'" + text, -70, 1.5]
    assert first["B2"].value == "'" + text
    assert [first[f"A{r}"].value for r in (3, 4, 5)] == ["'" + text] * 3
    assert read["Lain"]["A1"].value == "'" + text
    assert not any(
        c.data_type == "f" for ws in read.worksheets for row in ws.iter_rows() for c in row
    )


def test_control_characters_are_marked_not_fatal():
    workbook = SafeWorkbook()
    workbook.first_sheet.append(["IDG\x0bbaru"])
    read = load_workbook(io.BytesIO(workbook_bytes(workbook)))
    assert read.active["A1"].value == "IDG\ufffdbaru"


def test_every_admin_export_format_is_the_safe_writer():
    exporting = [
        model_admin
        for model_admin in admin.site._registry.values()
        if hasattr(model_admin, "get_export_formats")
    ]
    assert len(exporting) == 4
    for model_admin in exporting:
        assert model_admin.get_export_formats() == [SafeXLSX], type(model_admin).__name__


# --- nothing else writes a workbook ------------------------------------------------------------

PRODUCT = (
    "common",
    "config",
    "renstra",
    "indicators",
    "intake",
    "reporting",
    "evaluasi",
    "scripts",
    "bench",
)
WRITER = ROOT / "common" / "sheets.py"
# Names that create workbooks, sheets or cells, or write a workbook around the safe writer.
CREATORS = {"Workbook", "Worksheet", "WriteOnlyWorksheet", "Cell", "WriteOnlyCell", "MergedCell"}
WRITING_CALLS = {"export_data", "export_set", "export_book"}


def product_modules() -> list[Path]:
    return sorted(
        path
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and path != WRITER
    )


def sheet_writes(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
            found += [f"imports {a.name}" for a in node.names if a.name in CREATORS]
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names]
            found += [f"imports {n}" for n in names if n.split(".")[0] == "xlsxwriter"]
        elif isinstance(node, ast.Attribute) and node.attr in CREATORS:
            found.append(f"uses .{node.attr}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in WRITING_CALLS:
                found.append(f"calls {name}")
            if name == "export" and any(getattr(arg, "value", None) == "xlsx" for arg in node.args):
                found.append("exports a dataset as xlsx")
            if name == "load_workbook" and not any(
                kw.arg == "read_only" and getattr(kw.value, "value", None) is True
                for kw in node.keywords
            ):
                found.append("loads a writable workbook")
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [
                "assigns .value"
                for t in targets
                if isinstance(t, ast.Attribute) and t.attr == "value"
            ]
    return found


def test_only_the_safe_writer_creates_or_writes_workbooks():
    offenders = {
        str(path.relative_to(ROOT)): writes
        for path in product_modules()
        if (writes := sheet_writes(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


@pytest.mark.parametrize(
    "source",
    [
        "from openpyxl import Workbook",
        "from openpyxl.workbook.workbook import Workbook",
        "import openpyxl\nopenpyxl.Workbook()",
        "sheet.cell(row=1, column=1).value = name",
        "XLSX().export_data(dataset)",
        'dataset.export("xlsx")',
        "import xlsxwriter",
        "load_workbook(path)",
    ],
)
def test_the_structural_check_sees_a_bypass(source):
    assert sheet_writes(ast.parse(source))
