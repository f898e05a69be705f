"""Finding 7: a year's page writes only its year. The kabid's workbook uploaded on
``/realisasi/2022/excel/`` with its Tahun changed to 2024 is refused with the row and both
years named, and nothing is saved: the realisasi sheet, the Komponen sheet, and the same
workbook applied by the background worker."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.formula_services import KomponenSpec, KomponenValue, komponen_record, rumus_set
from indicators.models import Komponen, NilaiKomponen, Realisasi
from intake.models import ImporBerkas, JenisImpor, StatusImpor
from intake.services import import_request
from renstra.door import SystemActor
from renstra.models import Role
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    RealisasiFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

SYSTEM = SystemActor("uji")
PAGE = 2022


def refused(line: str, tahun: int) -> str:
    return (
        f"{line}, kolom Tahun: tahun {tahun} bukan tahun halaman ini ({PAGE}); di halaman ini "
        f"hanya data tahun {PAGE} yang dapat diunggah. Unggah data tahun {tahun} di halaman "
        f"tahun {tahun}. Tidak ada yang disimpan."
    )


@pytest.fixture
def world():
    opd = OpdFactory(kode="DP3")
    bidang = BidangFactory(opd=opd, kode="PPPA")
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=PeriodeFactory(opd=opd)), bidang=bidang)
    idg = IndikatorFactory(sasaran=sasaran, nama="IDG")
    desa = IndikatorFactory(sasaran=sasaran, nama="Persentase desa maju")
    for year in (PAGE, 2024):
        TargetFactory(indikator=idg, tahun=year, nilai=Decimal(70))
        TargetFactory(indikator=desa, tahun=year, nilai=Decimal(50))
        RealisasiFactory(indikator=idg, tahun=year, nilai=Decimal(60 + year - PAGE))
    rumus_set(
        user=SYSTEM,
        indikator=desa,
        operator="rasio",
        komponen=[
            KomponenSpec("desa maju", "pembilang", "desa", "IDM"),
            KomponenSpec("semua desa", "penyebut", "desa", "Kemendagri"),
        ],
        dikonfirmasi=True,
    )
    maju, semua = Komponen.objects.filter(rumus__indikator=desa).order_by("urutan", "pk")
    for year in (PAGE, 2024):
        komponen_record(
            user=SYSTEM,
            indikator=desa,
            tahun=year,
            values=[
                KomponenValue(maju, Decimal(80), "IDM", versi=None),
                KomponenValue(semua, Decimal(150), "Kemendagri", versi=None),
            ],
        )
    kabid = make_user("kabid_pppa", Role.KABID, opd=opd, bidang=bidang)
    return {"opd": opd, "kabid": kabid}


def stored() -> list[tuple[Any, ...]]:
    """Every value of both years with its version: what "nothing changed" means."""
    return sorted(
        [(r.indikator_id, r.tahun, r.periode, r.nilai, r.versi) for r in Realisasi.objects.all()]
        + [
            (v.komponen_id, v.tahun, v.periode, v.nilai, v.versi)
            for v in NilaiKomponen.objects.all()
        ]
    )


def edited(data: bytes, sheet_name: str | None, changes: dict[str, Any]) -> bytes:
    """The workbook with the first data row's named cells changed."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[sheet_name] if sheet_name else workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    for column, value in changes.items():
        sheet.cell(2, headers.index(column) + 1).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template(client: Any) -> bytes:
    response = client.get(reverse("intake:realisasi_template", args=[PAGE]))
    assert response.status_code == 200
    return bytes(response.content)


def upload(client: Any, data: bytes) -> Any:
    url = reverse("intake:realisasi_spreadsheet", args=[PAGE])
    return client.post(url, {"berkas": SimpleUploadedFile("realisasi.xlsx", data)})


def test_a_row_of_another_year_is_refused_on_a_years_page(client, world):
    client.force_login(world["kabid"])
    before = stored()
    data = edited(template(client), None, {"Tahun": 2024, "Tahunan": 99})
    preview = upload(client, data)
    assert preview.status_code == 400
    assert preview.context["summary"]["errors"] == [refused("Baris 2", 2024)]
    assert "sha" not in preview.context  # nothing to apply
    # Applying is refused too: no preview of this file was accepted.
    url = reverse("intake:realisasi_spreadsheet", args=[PAGE])
    applied = client.post(url, {"terapkan": "1", "sha": "0" * 64})
    assert applied.status_code == 302
    assert stored() == before


def test_a_komponen_row_of_another_year_is_refused_on_a_years_page(client, world):
    client.force_login(world["kabid"])
    before = stored()
    data = edited(template(client), "Komponen", {"Tahun": 2024, "Tahunan": 90})
    preview = upload(client, data)
    assert preview.status_code == 400
    assert preview.context["summary"]["errors"] == [refused("Komponen baris 2", 2024)]
    assert "sha" not in preview.context
    assert stored() == before


def test_the_komponen_sheet_carries_the_pages_year(client, world):
    client.force_login(world["kabid"])
    sheet = load_workbook(io.BytesIO(template(client)))["Komponen"]
    headers = [c.value for c in sheet[1]]
    years = [row[headers.index("Tahun")].value for row in sheet.iter_rows(min_row=2)]
    assert years == [PAGE, PAGE]


def test_the_pages_own_year_is_still_written(client, world):
    client.force_login(world["kabid"])
    data = edited(template(client), None, {"Tahunan": 65})
    preview = upload(client, data)
    assert preview.status_code == 200
    assert preview.context["summary"]["errors"] == []
    url = reverse("intake:realisasi_spreadsheet", args=[PAGE])
    assert client.post(url, {"terapkan": "1", "sha": preview.context["sha"]}).status_code == 302
    years = {r.tahun: r.nilai for r in Realisasi.objects.filter(indikator__nama="IDG")}
    assert years == {PAGE: Decimal(65), 2024: Decimal(62)}


def test_the_background_worker_refuses_a_row_of_another_year(
    client, world, django_capture_on_commit_callbacks
):
    # A long workbook is previewed in the request and applied by the worker: the worker's
    # own check refuses it too, whatever reached the queue.
    client.force_login(world["kabid"])
    before = stored()
    data = edited(template(client), None, {"Tahun": 2024, "Tahunan": 99})
    with django_capture_on_commit_callbacks(execute=True):
        job = import_request(
            user=world["kabid"],
            jenis=JenisImpor.REALISASI,
            opd=world["opd"],
            data=data,
            rows=2,
            tahun=PAGE,
        )
    job = ImporBerkas.objects.get(pk=job.pk)
    assert job.status == StatusImpor.GAGAL
    assert job.ringkasan["errors"] == [refused("Baris 2", 2024)]
    status = client.get(reverse("intake:import_status", args=[job.pk])).content.decode()
    assert "tahun 2024 bukan tahun halaman ini (2022)" in status
    assert stored() == before
