"""The Komponen sheet of the kabid's realisasi workbook: 85 and 153 desa give 55,56 %, with
the preview listing each component old → new, all-or-nothing with the realisasi sheet."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.formula_services import KomponenSpec, KomponenValue, komponen_record, rumus_set
from indicators.models import JenisTarget, NilaiKomponen, Periode, Realisasi
from renstra.door import SystemActor
from renstra.models import Role
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
def desa():
    opd = OpdFactory(kode="DP3")
    periode = PeriodeFactory(opd=opd)
    pmd = BidangFactory(opd=opd, kode="PMD")
    other = BidangFactory(opd=opd, kode="PPKB")
    tujuan = TujuanFactory(periode=periode)
    ind = IndikatorFactory(
        sasaran=SasaranFactory(tujuan=tujuan, bidang=pmd), nama="Persentase desa maju", satuan="%"
    )
    TargetFactory(indikator=ind, tahun=2024, jenis=JenisTarget.PK, nilai=Decimal(45))
    foreign = IndikatorFactory(sasaran=SasaranFactory(tujuan=tujuan, bidang=other), nama="CPR")
    for target in (ind, foreign):
        rumus_set(
            user=SystemActor("uji"),
            indikator=target,
            operator="rasio",
            komponen=[
                KomponenSpec(f"jumlah maju {target.pk}", "pembilang", "desa", "IDM"),
                KomponenSpec(f"jumlah semua {target.pk}", "penyebut", "desa", "Kemendagri"),
            ],
            dikonfirmasi=True,
        )
    kabid = make_user("kabid_pmd", Role.KABID, opd=opd, bidang=pmd)
    return {"ind": ind, "foreign": foreign, "kabid": kabid}


def component_sheet(client):
    response = client.get(reverse("intake:realisasi_template", args=[2024]))
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook, workbook["Komponen"]


def upload(workbook) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("realisasi.xlsx", buffer.getvalue())


def test_the_sheet_lists_only_the_kabids_formula_components(client, desa):
    client.force_login(desa["kabid"])
    _wb, sheet = component_sheet(client)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == [
        f"jumlah maju {desa['ind'].pk}",
        f"jumlah semua {desa['ind'].pk}",
    ]


def test_85_and_153_are_previewed_then_applied(client, desa):
    client.force_login(desa["kabid"])
    komponen_record(
        user=desa["kabid"],
        indikator=desa["ind"],
        tahun=2024,
        values=[
            KomponenValue(k, Decimal(v), "IDM 2024")
            for k, v in zip(
                desa["ind"].rumus.komponen_set.order_by("urutan"), (84, 153), strict=True
            )
        ],
    )
    workbook, sheet = component_sheet(client)
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(2, headers.index("Tahunan") + 1).value == 84
    sheet.cell(2, headers.index("Tahunan") + 1).value = "85"
    url = reverse("intake:realisasi_spreadsheet", args=[2024])
    preview = client.post(url, {"berkas": upload(workbook)})
    page = preview.content.decode()
    assert preview.status_code == 200, page
    assert f"jumlah maju {desa['ind'].pk} (Tahunan) 84 → 85" in page
    annual = Realisasi.objects.get(indikator=desa["ind"], tahun=2024, periode=Periode.TAHUNAN)
    assert annual.nilai == Decimal("54.901961")
    applied = client.post(url, {"terapkan": "1", "sha": preview.context["sha"]})
    assert applied.status_code == 302
    annual.refresh_from_db()
    assert annual.nilai == Decimal("55.555556")
    assert sorted(NilaiKomponen.objects.values_list("nilai", flat=True)) == [85, 153]


def test_a_penyebut_of_0_in_the_sheet_saves_nothing(client, desa):
    client.force_login(desa["kabid"])
    workbook, sheet = component_sheet(client)
    headers = [c.value for c in sheet[1]]
    sheet.cell(2, headers.index("Tahunan") + 1).value = 3
    sheet.cell(3, headers.index("Tahunan") + 1).value = 0
    response = client.post(
        reverse("intake:realisasi_spreadsheet", args=[2024]), {"berkas": upload(workbook)}
    )
    assert response.status_code == 400
    assert "bernilai 0: realisasi tidak dapat dihitung" in response.content.decode()
    assert not NilaiKomponen.objects.exists()
    assert not Realisasi.objects.exists()


def test_another_bidangs_component_row_is_refused(client, desa):
    client.force_login(desa["kabid"])
    workbook, sheet = component_sheet(client)
    foreign = desa["foreign"].rumus.komponen_set.order_by("urutan")
    # ID, Indikator, Rumus, Komponen, Peran, Satuan, Tahun, Tahunan
    sheet.append([foreign[0].pk, "CPR", "", "x", "", "", 2024, 1])
    sheet.append([foreign[1].pk, "CPR", "", "y", "", "", 2024, 2])
    response = client.post(
        reverse("intake:realisasi_spreadsheet", args=[2024]), {"berkas": upload(workbook)}
    )
    assert response.status_code == 400
    assert "bidang Anda sendiri" in response.content.decode()
    assert not NilaiKomponen.objects.exists()
