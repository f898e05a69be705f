"""Large sets run in the background (django-tasks; immediate in the tests): 202 and a task
URL, polled for the same summary the request would have answered; the sender's only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from api.models import StatusTugas, TugasApi
from indicators.models import JenisTarget, Target
from tests.api.conftest import client_with, idg, token_of
from tests.api.test_api_seed import kabid as kabid
from tests.api.test_api_seed import realisasi, send

pytestmark = pytest.mark.django_db


def test_a_large_set_runs_in_the_background_with_the_senders_identity(settings, kabid, people):
    settings.KINERJA_API_BACKGROUND_FROM = 3
    token = token_of(kabid, tulis=True)
    values = [
        {"indikator": str(idg()), "tahun": 2024, "periode": p, "nilai": n}
        for p, n in [("tw1", 18), ("tw2", 37), ("tw3", 55)]
    ]
    answer = send(token, values)
    assert answer.status_code == 202
    url = answer.json()["tugas"]
    assert answer["Location"] == url and url.startswith("/api/v1/tasks/")
    task = client_with(token).get(url)
    assert task.status_code == 200
    data = task.json()
    assert (data["jenis"], data["status"], data["kode_http"]) == ("realisasi", "SELESAI", 200)
    assert data["ringkasan"]["importCount"] == {
        "imported": 3,
        "updated": 0,
        "ignored": 0,
        "deleted": 0,
    }
    assert realisasi(idg(), 2024, "tw3").nilai == Decimal(55)
    # Someone else's task does not exist for them, whatever their role; an unknown id neither.
    for other in (people["admin"], people["perencana"]):
        assert client_with(token_of(other)).get(url).status_code == 404
    assert client_with(token).get("/api/v1/tasks/not-a-uuid/").status_code == 404
    # The task ran with the sender's rights: a kabid's targets are refused there too.
    targets = [
        {"indikator": str(idg()), "tahun": y, "jenis": "pk", "nilai": 75}
        for y in (2024, 2025, 2026)
    ]
    refused = client_with(token).post("/api/v1/target-sets/", {"values": targets}, format="json")
    assert refused.status_code == 202
    done = client_with(token).get(refused.json()["tugas"]).json()
    assert (done["jenis"], done["kode_http"]) == ("target", 409)
    assert [c["errorCode"] for c in done["ringkasan"]["conflicts"]] == ["E_DITOLAK"] * 3
    assert not Target.objects.filter(indikator_id=idg(), tahun=2025, jenis=JenisTarget.PK).exists()
    assert TugasApi.objects.filter(status=StatusTugas.SELESAI).count() == 2


def test_a_bad_large_set_is_refused_at_once(settings, kabid):
    settings.KINERJA_API_BACKGROUND_FROM = 1
    answer = send(token_of(kabid, tulis=True), [{"indikator": str(idg()), "tahun": 1}])
    assert answer.status_code == 400 and answer.json()["kode"] == "input_tidak_valid"
    assert not TugasApi.objects.exists()


def test_the_task_read_costs_one_query(settings, kabid, django_assert_num_queries):
    settings.KINERJA_API_BACKGROUND_FROM = 1
    token = token_of(kabid, tulis=True)
    url = send(token, [{"indikator": str(idg()), "tahun": 2024, "periode": "tw1", "nilai": 18}])
    client = client_with(token)
    client.get("/api/v1/opd/")
    # The token (its last use was stamped by the call before), then the task itself, with
    # its summary in the row: the same whatever the size of the set.
    with django_assert_num_queries(2):
        assert client.get(url.json()["tugas"]).status_code == 200


def test_finished_tasks_are_forgotten_after_their_days(settings, kabid):
    from datetime import timedelta

    from django.utils import timezone

    settings.KINERJA_API_BACKGROUND_FROM = 1
    settings.KINERJA_API_TASK_DAYS = 7
    token = token_of(kabid, tulis=True)
    value = {"indikator": str(idg()), "tahun": 2024, "periode": "tw1", "nilai": 18}
    old, recent = (TugasApi.objects.get(pk=send(token, [value]).json()["tugas"].split("/")[-2])
                   for _ in range(2))  # fmt: skip
    TugasApi.objects.filter(pk=old.pk).update(selesai_pada=timezone.now() - timedelta(days=8))
    TugasApi.objects.filter(pk=recent.pk).update(selesai_pada=timezone.now() - timedelta(days=6))
    # A queued one is never forgotten, however old (its sender has not read it yet).
    waiting = TugasApi.objects.create(pemilik=kabid, jenis="realisasi", data={})
    TugasApi.objects.filter(pk=waiting.pk).update(dibuat_pada=timezone.now() - timedelta(days=30))
    send(token, [value])
    kept = set(TugasApi.objects.values_list("pk", flat=True))
    assert old.pk not in kept and {recent.pk, waiting.pk} <= kept and len(kept) == 3


def test_the_tasks_are_listed_for_the_administrator_only(client, settings, kabid, people):
    settings.KINERJA_API_BACKGROUND_FROM = 1
    value = {"indikator": str(idg()), "tahun": 2024, "periode": "tw1", "nilai": 18}
    send(token_of(kabid, tulis=True), [value])
    client.force_login(people["admin"])
    page = client.get("/admin/api/tugasapi/")
    assert page.status_code == 200 and kabid.username in page.content.decode()
    tugas = TugasApi.objects.get()
    assert client.get(f"/admin/api/tugasapi/{tugas.pk}/change/").status_code == 200
    assert client.get("/admin/api/tugasapi/add/").status_code == 403
    client.force_login(people["perencana"])
    assert client.get("/admin/api/tugasapi/").status_code == 403
