"""Issue #26 as production runs it — no transaction around the tests, so every write commits
and raises its versions after commit, as under gunicorn:

- a write in one OPD (DSPPPAPMD) raises that OPD's and its Pemda's versions only: another
  OPD's (DP3APPKBPMD's) kept dashboard stays a hit, at 3 queries, while the writing OPD's
  dashboard and the kabupaten's figures show the write at once;
- who is asking is kept in the session and read afresh on the next request after a role is
  revoked, an assignment moves or a second factor is removed;
- a draft LAKIP of data that has not changed is served from storage, not built again."""

import datetime
import io
import os
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.synthetic import build_synthetic_opd
from indicators.models import Indikator, Jenis, Periode, Realisasi
from indicators.services.realisasi import PeriodValue, realisasi_record
from indicators.services.skala import scale_presets_ensure
from renstra.models import Opd, Penugasan, Role
from renstra.permissions import SystemActor
from renstra.versions import ALL, opd_scope, pemda_scope, read
from reporting.models import PembuatanLaporan, StatusLaporan
from tests.factories import make_user
from tests.test_lakip import small_opd
from tests.test_two_factor import enable, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SYSTEM = SystemActor("uji")


def queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


def test_a_write_in_one_opd_leaves_the_other_opds_kept_pages_valid(settings):
    # One test: each transactional test empties every table afterwards (seconds on PostgreSQL).
    call_command("load_seed", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.KINERJA_KABUPATEN_CACHE_SECONDS = 60
    dp3 = Opd.objects.get(kode="DP3APPKBPMD")
    dsp = Opd.objects.get(kode="DSPPPAPMD")
    pemda = dp3.pemda
    pimpinan, other = Client(), Client()
    pimpinan.force_login(make_user("pimpinan_dp3", Role.PIMPINAN, opd=dp3))
    other.force_login(make_user("pimpinan_dsp", Role.PIMPINAN, opd=dsp))
    bappeda = Client()
    bappeda.force_login(make_user("bappeda_x", Role.BAPPEDA, opd=pemda.opd_set.get(jenis="pemda")))
    dashboard = reverse("dashboard", args=[2024])
    kabupaten = reverse("pemda_dashboard", args=[2024])
    for reader, url in ((pimpinan, dashboard), (other, dashboard), (bappeda, kabupaten)):
        reader.get(url)  # computed and kept
    # Kept: the user and the versions (who is asking read them; the session from the cache),
    # and the evaluation's open recommendations (a panel read live).
    assert queries(pimpinan, dashboard)[0] == 3

    iku = Indikator.objects.filter(periode__opd=dsp, jenis=Jenis.IKU).order_by("pk").first()
    row = Realisasi.objects.filter(indikator=iku, tahun=2024, periode=Periode.TAHUNAN).first()
    before = read([opd_scope(dp3.pk), opd_scope(dsp.pk), pemda_scope(pemda.pk)])
    realisasi_record(
        user=SYSTEM,
        indikator=iku,
        tahun=2024,
        values=[PeriodValue(Periode.TAHUNAN, Decimal("4321.5"), "", row.versi if row else 0)],
        confirm=True,
    )
    after = read([opd_scope(dp3.pk), opd_scope(dsp.pk), pemda_scope(pemda.pk)])

    # Raised after the commit: the writing OPD and its Pemda, nothing else.
    assert after[opd_scope(dsp.pk)] == before[opd_scope(dsp.pk)] + 1
    assert after[pemda_scope(pemda.pk)] == before[pemda_scope(pemda.pk)] + 1
    assert after[opd_scope(dp3.pk)] == before[opd_scope(dp3.pk)]
    assert after[ALL] == before[ALL]
    # DP3APPKBPMD's kept dashboard is still a hit: the same 3 queries, no figure recomputed.
    n, page = queries(pimpinan, dashboard)
    assert n == 3
    assert "98,96" in page  # IDG 2024, as kept
    # The writing OPD's dashboard and the kabupaten's figures show the write at once.
    assert "4.321,5" in queries(other, dashboard)[1]
    n_kabupaten, _html = queries(bappeda, kabupaten)
    assert n_kabupaten > 3  # recomputed for the new Pemda version


def test_the_kabupaten_page_is_kept_whole_at_three_queries(settings):
    call_command("load_seed", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.KINERJA_KABUPATEN_CACHE_SECONDS = 60
    caches["pages"].clear()
    pemda_unit = Opd.objects.get(kode="BALANGAN")
    bappeda = Client()
    bappeda.force_login(make_user("bappeda_k", Role.BAPPEDA, opd=pemda_unit))
    url = reverse("pemda_dashboard", args=[2024])
    bappeda.get(url)
    # The user and the versions (the Pemda's among them), the Pemda's row.
    n, page = queries(bappeda, url)
    assert n == 3
    assert "DP3APPKBPMD" in page or "Dinas Pemberdayaan" in page


def test_a_revoked_role_and_a_moved_assignment_hold_from_the_next_request(opd_pair):
    first, second = opd_pair
    user = make_user("perencana_r", Role.PERENCANA, opd=first)
    client = Client()
    client.force_login(user)
    url = reverse("dashboard", args=[2024])
    assert first.nama in client.get(url).content.decode()

    # The assignment moves to another OPD (committed): the next page is that OPD's.
    penugasan = Penugasan.objects.get(user=user)
    penugasan.opd = second
    penugasan.save()
    page = client.get(url).content.decode()
    assert second.nama in page and first.nama not in page

    # The role is revoked: the next request has none, and the admin is closed to it.
    assert client.get(reverse("admin:index")).status_code == 200
    user.groups.clear()
    assert client.get(reverse("admin:index")).status_code == 403


def test_a_removed_second_factor_holds_from_the_next_request():
    from tests.factories import OpdFactory

    perencana = make_user("perencana", Role.PERENCANA, opd=OpdFactory())
    client = Client()
    enable(client, perencana)
    sign_in(client, perencana)
    # A device is set up, the code not given: every page leads to the second factor.
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))

    admin = Client()
    admin.force_login(make_user("admin_r", Role.ADMIN))
    reset = admin.post(reverse("account_two_factor_reset", args=[perencana.pk]))
    assert reset.status_code == 302

    # The session's identity said "has a device"; the removal raised the user's version.
    assert client.get(reverse("account")).status_code == 200


@pytest.fixture
def small():
    return small_opd()


@pytest.fixture
def opd_pair():
    first = build_synthetic_opd("SATU", sasaran=1, programs=1, indicators=2)
    second = build_synthetic_opd("DUA", sasaran=1, programs=1, indicators=2, pemda=first.pemda)
    return first, second


def draft(client, user, fmt):
    """A draft asked for from the LAKIP page: queued on commit, run at once by the test
    settings' immediate backend."""
    client.force_login(user)
    return client.post(reverse("lakip_file", args=[2024, fmt]))


# --- drafts kept per data version (issue #26) -------------------------------------------------


def test_a_draft_of_unchanged_data_is_served_from_storage_not_built_again(
    client,
    small,
    monkeypatch,
):
    import reporting.tasks as tasks

    built: list[str] = []
    real = tasks.lakip_generate

    def counting(opd, tahun, fmt, progress=None):
        built.append(fmt)
        return real(opd, tahun, fmt, progress=progress)

    monkeypatch.setattr(tasks, "lakip_generate", counting)
    # The scales the migrations write (gone from a database an earlier test emptied: the first
    # figures would write them, a write of everything's version).
    scale_presets_ensure()
    # Another OPD, made before (a new Pemda or scale changes everything's version).
    other = build_synthetic_opd("LAIN", sasaran=1, programs=1, indicators=1)
    first = draft(client, small.pimpinan, "xlsx")
    # Another reader of the OPD asks for the same draft: the job already built.
    second = draft(client, small.perencana, "xlsx")
    assert first["Location"] == second["Location"]
    assert built == ["xlsx"]
    assert PembuatanLaporan.objects.count() == 1
    job = PembuatanLaporan.objects.get()
    assert job.versi_data  # the version it was built at

    # A write in another OPD leaves it valid.
    row = Realisasi.objects.filter(indikator__periode__opd=other, tahun=2024).first()
    realisasi_record(
        user=SYSTEM,
        indikator=row.indikator,
        tahun=2024,
        values=[PeriodValue(Periode.TAHUNAN, row.nilai + 1, "", row.versi)],
    )
    again = draft(client, small.pimpinan, "xlsx")
    assert again["Location"] == first["Location"]
    assert built == ["xlsx"]
    # A write in the OPD: the next request builds the draft anew, with the new value.
    realisasi_record(
        user=small.kabid,
        indikator=small.realisasi.indikator,
        tahun=2024,
        values=[PeriodValue(Periode.TAHUNAN, Decimal("76"), "", small.realisasi.versi)],
    )
    third = draft(client, small.pimpinan, "xlsx")
    assert third["Location"] != first["Location"]
    assert built == ["xlsx", "xlsx"]
    new = PembuatanLaporan.objects.exclude(pk=job.pk).get()
    sheet = openpyxl.load_workbook(io.BytesIO(bytes(new.hasil)))
    values = [c.value for ws in sheet.worksheets for row in ws.iter_rows() for c in row]
    assert 76 in values or "76" in values or "76,00" in values


def test_a_stuck_draft_job_is_not_joined_forever(client, small):
    from reporting.tasks import draft_version

    stuck = PembuatanLaporan.objects.create(
        opd=small.opd, tahun=2024, format="xlsx", versi_data=draft_version(small.opd)
    )
    PembuatanLaporan.objects.filter(pk=stuck.pk).update(
        dibuat_pada=timezone.now() - datetime.timedelta(minutes=16)
    )
    response = draft(client, small.pimpinan, "xlsx")
    job = PembuatanLaporan.objects.exclude(pk=stuck.pk).get()
    assert response["Location"] == reverse("job_status", args=[job.pk])
    assert job.status == StatusLaporan.SELESAI
