"""Workbooks longer than KINERJA_IMPORT_INLINE_ROWS are applied by the background worker:
the request queues them, the status page shows the progress and then the result, and the
rules are those of the inline import (all-or-nothing, each row's permission)."""

import io
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import JenisTarget, Periode, Realisasi, Target
from intake.excel import template_targets
from intake.models import ImporBerkas, JenisImpor, StatusImpor
from intake.tasks import progress_key
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
def world(settings):
    settings.KINERJA_IMPORT_INLINE_ROWS = 1
    opd = OpdFactory(kode="DP3")
    periode = PeriodeFactory(opd=opd)
    pppa = BidangFactory(opd=opd, kode="PPPA")
    ppkb = BidangFactory(opd=opd, kode="PPKB")
    tujuan = TujuanFactory(periode=periode)
    idg = IndikatorFactory(sasaran=SasaranFactory(tujuan=tujuan, bidang=pppa), nama="IDG")
    ikg = IndikatorFactory(sasaran=SasaranFactory(tujuan=tujuan, bidang=pppa), nama="IKG")
    tfr = IndikatorFactory(sasaran=SasaranFactory(tujuan=tujuan, bidang=ppkb), nama="TFR")
    for ind in (idg, ikg, tfr):
        TargetFactory(indikator=ind, tahun=2024, nilai=Decimal("50"))
    other = OpdFactory(kode="LAIN")
    return {
        "opd": opd,
        "periode": periode,
        "idg": idg,
        "ikg": ikg,
        "tfr": tfr,
        "perencana": make_user("perencana", Role.PERENCANA, opd=opd),
        "kabid": make_user("kabid_pppa", Role.KABID, opd=opd, bidang=pppa),
        "kabid_ppkb": make_user("kabid_ppkb", Role.KABID, opd=opd, bidang=ppkb),
        "pimpinan_lain": make_user("pimpinan_lain", Role.PIMPINAN, opd=other),
    }


def workbook_with(data: bytes, values: dict[str, object], column: str) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        name = sheet.cell(row, headers.index("Indikator") + 1).value
        if name in values:
            sheet.cell(row, headers.index(column) + 1).value = values[name]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def admin_import(client, data: bytes):
    """The admin's two steps: upload (preview), then confirm."""
    url = reverse("admin:indicators_target_import")
    preview = client.post(
        url, {"format": "0", "import_file": SimpleUploadedFile("target.xlsx", data)}
    )
    assert preview.status_code == 200
    initial = preview.context["confirm_form"].initial
    return client.post(reverse("admin:indicators_target_process_import"), initial)


def test_a_large_target_workbook_is_queued_and_applied_by_the_worker(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["perencana"])
    data = template_targets(world["perencana"], world["opd"], world["periode"])
    changed = workbook_with(data, {"IDG": "55", "TFR": "60"}, "2024")

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin_import(client, changed)
    job = ImporBerkas.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:import_status", args=[job.pk])
    # Queued, not applied inside the request.
    assert job.status == StatusImpor.ANTRE and job.baris == 3
    assert Target.objects.get(indikator=world["idg"], tahun=2024).nilai == Decimal("50")
    page = client.get(response["Location"])
    assert "Dalam antrean" in page.content.decode()
    assert '<meta http-equiv="refresh"' in page.content.decode()

    for callback in queued:  # the worker runs the task
        callback()

    job.refresh_from_db()
    assert job.status == StatusImpor.SELESAI and job.progres == 100
    assert Target.objects.get(indikator=world["idg"], tahun=2024).nilai == Decimal("55")
    assert Target.objects.get(indikator=world["tfr"], tahun=2024).nilai == Decimal("60")
    latest = Target.objects.get(indikator=world["idg"], tahun=2024).history.latest()
    assert latest.history_user == world["perencana"]
    html = client.get(response["Location"]).content.decode()
    assert "Impor selesai: 0 baris baru, 2 diubah, 1 tetap." in html
    assert "http-equiv" not in html


@pytest.mark.cache
def test_progress_is_shown_while_the_worker_runs(client, world):
    job = ImporBerkas.objects.create(
        jenis=JenisImpor.TARGET,
        opd=world["opd"],
        berkas=b"PK\x03\x04",
        baris=5000,
        status=StatusImpor.PROSES,
        diminta_oleh=world["perencana"],
    )
    caches["progress"].set(progress_key(str(job.pk)), (48, "Memeriksa baris 2500 dari 5000"))
    client.force_login(world["perencana"])
    html = client.get(reverse("intake:import_status", args=[job.pk])).content.decode()
    assert 'value="48"' in html
    assert "Memeriksa baris 2500 dari 5000" in html


def test_a_refused_row_in_a_queued_kabid_workbook_saves_nothing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["kabid"])
    template = client.get(reverse("intake:realisasi_template", args=[2024])).content
    data = workbook_with(template, {"IDG": "70", "IKG": "80"}, "Tahunan")
    url = reverse("intake:realisasi_spreadsheet", args=[2024])
    preview = client.post(url, {"berkas": SimpleUploadedFile("r.xlsx", data)})
    assert preview.status_code == 200
    # Between the preview and the worker, the year is locked by the planner's finalisation.
    from renstra.models import KunciTahun

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"terapkan": "1", "sha": preview.context["sha"]})
        KunciTahun.objects.create(opd=world["opd"], tahun=2024, alasan="LAKIP final")
    job = ImporBerkas.objects.get()
    assert response["Location"] == reverse("intake:import_status", args=[job.pk])
    job.refresh_from_db()
    assert job.status == StatusImpor.GAGAL
    assert not Realisasi.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "Tidak ada yang disimpan." in html and "dikunci" in html


def test_a_queued_kabid_workbook_is_applied(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["kabid"])
    template = client.get(reverse("intake:realisasi_template", args=[2024])).content
    data = workbook_with(template, {"IDG": "70", "IKG": "80"}, "Tahunan")
    url = reverse("intake:realisasi_spreadsheet", args=[2024])
    preview = client.post(url, {"berkas": SimpleUploadedFile("r.xlsx", data)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"terapkan": "1", "sha": preview.context["sha"]})
    assert response.status_code == 302
    values = {
        r.indikator.nama: r.nilai
        for r in Realisasi.objects.filter(tahun=2024, periode=Periode.TAHUNAN)
    }
    assert values == {"IDG": Decimal("70"), "IKG": Decimal("80")}
    assert ImporBerkas.objects.get().status == StatusImpor.SELESAI


def test_another_opd_cannot_watch_an_import(client, world):
    job = ImporBerkas.objects.create(
        jenis=JenisImpor.TARGET,
        opd=world["opd"],
        berkas=b"PK\x03\x04",
        diminta_oleh=world["perencana"],
    )
    client.force_login(world["pimpinan_lain"])
    assert client.get(reverse("intake:import_status", args=[job.pk])).status_code == 403


def test_a_small_workbook_is_still_applied_inline(client, world, settings):
    settings.KINERJA_IMPORT_INLINE_ROWS = 300
    client.force_login(world["perencana"])
    data = template_targets(world["perencana"], world["opd"], world["periode"])
    response = admin_import(client, workbook_with(data, {"IDG": "55"}, "2024"))
    assert response.status_code == 302
    assert not ImporBerkas.objects.exists()
    assert Target.objects.get(
        indikator=world["idg"], tahun=2024, jenis=JenisTarget.RENSTRA
    ).nilai == Decimal("55")
