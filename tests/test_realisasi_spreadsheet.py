"""The kabid's realisasi workbook: download pre-filled, upload, preview, apply all-or-nothing."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import JenisTarget, Periode, Realisasi
from renstra.models import KunciTahun, Role
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    opd = OpdFactory(kode="DP3")
    periode = PeriodeFactory(opd=opd)
    own = BidangFactory(opd=opd, kode="PPPA")
    other = BidangFactory(opd=opd, kode="PPKB")
    tujuan = TujuanFactory(periode=periode)
    idg = IndikatorFactory(sasaran=SasaranFactory(tujuan=tujuan, bidang=own), nama="IDG")
    TargetFactory(indikator=idg, tahun=2024, jenis=JenisTarget.PK, nilai=Decimal("74.04"))
    tfr = IndikatorFactory(sasaran=SasaranFactory(tujuan=tujuan, bidang=other), nama="TFR")
    kabid = make_user("kabid_pppa", Role.KABID, opd=opd, bidang=own)
    return {"opd": opd, "idg": idg, "tfr": tfr, "kabid": kabid}


def download(client) -> tuple[object, list[str]]:
    response = client.get(reverse("intake:realisasi_template", args=[2024]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    return workbook, [c.value for c in sheet[1]]


def filled(workbook, headers, column: str, value) -> SimpleUploadedFile:
    sheet = workbook.worksheets[0]
    sheet.cell(2, headers.index(column) + 1).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("realisasi.xlsx", buffer.getvalue())


def test_the_template_holds_only_the_kabids_own_indicators(client, setup):
    client.force_login(setup["kabid"])
    workbook, headers = download(client)
    sheet = workbook.worksheets[0]
    column = headers.index("Indikator")
    names = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["IDG"]


def test_an_upload_is_previewed_without_saving_then_applied(client, setup):
    client.force_login(setup["kabid"])
    workbook, headers = download(client)
    url = reverse("intake:realisasi_spreadsheet", args=[2024])
    preview = client.post(url, {"berkas": filled(workbook, headers, "TW I", "70,5")})
    assert preview.status_code == 200
    assert "Pratinjau" in preview.content.decode()
    assert not Realisasi.objects.exists()
    applied = client.post(url, {"terapkan": "1", "sha": preview.context["sha"]})
    assert applied.status_code == 302
    row = Realisasi.objects.get(indikator=setup["idg"], tahun=2024, periode=Periode.TW1)
    assert row.nilai == Decimal("70.5")
    assert row.history.get().history_user == setup["kabid"]


def test_a_bad_cell_is_refused_with_its_row_and_nothing_saved(client, setup):
    client.force_login(setup["kabid"])
    workbook, headers = download(client)
    url = reverse("intake:realisasi_spreadsheet", args=[2024])
    response = client.post(url, {"berkas": filled(workbook, headers, "Tahunan", "7x,4")})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Baris 2" in body
    assert "bukan angka yang valid" in body
    assert "Terapkan impor" not in body
    assert not Realisasi.objects.exists()


def test_a_locked_year_is_refused_on_upload(client, setup):
    KunciTahun.objects.create(opd=setup["opd"], tahun=2024, alasan="LAKIP final")
    client.force_login(setup["kabid"])
    workbook, headers = download(client)
    url = reverse("intake:realisasi_spreadsheet", args=[2024])
    response = client.post(url, {"berkas": filled(workbook, headers, "Tahunan", "73,27")})
    assert response.status_code == 400
    assert "LAKIP final" in response.content.decode()
    assert not Realisasi.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(client, setup):
    client.force_login(setup["kabid"])
    url = reverse("intake:realisasi_spreadsheet", args=[2024])
    response = client.post(url, {"berkas": SimpleUploadedFile("x.xlsx", b"not a zip")})
    assert response.status_code == 400
    assert "bukan lembar kerja Excel" in response.content.decode()


def test_applying_without_a_preview_is_refused(client, setup):
    client.force_login(setup["kabid"])
    url = reverse("intake:realisasi_spreadsheet", args=[2024])
    response = client.post(url, {"terapkan": "1", "sha": "0" * 64})
    assert response.status_code == 302
    assert not Realisasi.objects.exists()
