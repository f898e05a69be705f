"""``POST /api/v1/target-sets/`` on the Balangan seed: Renstra, PK, PK Perubahan and triwulan
targets through the workbook's and the rencana aksi's doors, with the realisasi sets'
summary and conflict codes; a dry run saves nothing; sending the same set again changes
nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Frekuensi, Indikator, JenisTarget, Target, TargetTriwulan
from tests.api.conftest import client_with, idg, tfr, token_of
from tests.api.test_api_seed import kabid as kabid
from tests.api.test_api_seed import locked_2023 as locked_2023

pytestmark = pytest.mark.django_db


def send(token: str, values: list[dict[str, Any]], **options: Any) -> Any:
    return client_with(token).post(
        "/api/v1/target-sets/", {"values": values, **options}, format="json"
    )


def target(pk: int, tahun: int, jenis: str) -> Decimal | None:
    row = Target.objects.filter(indikator_id=pk, tahun=tahun, jenis=jenis).first()
    return None if row is None else row.nilai


def quarters(pk: int | None = None) -> dict[str, Decimal]:
    pk = idg() if pk is None else pk
    return dict(
        TargetTriwulan.objects.filter(indikator_id=pk, tahun=2025).values_list("periode", "nilai")
    )


def v(
    jenis: str, nilai: Any, tahun: int = 2025, pk: int | None = None, **extra: Any
) -> dict[str, Any]:
    pk = idg() if pk is None else pk
    return {"indikator": str(pk), "tahun": tahun, "jenis": jenis, "nilai": nilai, **extra}


@pytest.fixture
def quarterly(opd: Any) -> None:
    # Setup: IDG reported per triwulan, so that the rencana aksi takes its quarterly targets.
    Indikator.objects.filter(pk=idg()).update(frekuensi=Frekuensi.TRIWULANAN)


def test_targets_in_bulk_through_the_doors(people, quarterly):
    token = token_of(people["perencana"], tulis=True)
    renstra_2025 = target(idg(), 2025, JenisTarget.RENSTRA)
    assert renstra_2025 is not None and target(idg(), 2025, JenisTarget.PK) is None
    values = [
        v("renstra", str(renstra_2025)),  # as stored: ignored
        v("pk", "74.50", catatan="PK 2025 hal. 3"),
        v("pk_perubahan", "74.60"),
        v("tw1", 20),
        v("tw2", 40),
    ]
    dry = send(token, values, dry_run=True)
    assert dry.status_code == 200, dry.json()
    assert dry.json()["importCount"] == {"imported": 4, "updated": 0, "ignored": 1, "deleted": 0}
    assert dry.json()["description"].startswith("Uji coba: 4 akan ditambahkan")
    assert target(idg(), 2025, JenisTarget.PK) is None and quarters() == {}  # nothing saved

    real = send(token, values).json()
    assert (real["status"], real["importCount"]["imported"], real["conflicts"]) == (
        "SUCCESS",
        4,
        [],
    )
    assert target(idg(), 2025, JenisTarget.PK) == Decimal("74.5")
    assert target(idg(), 2025, JenisTarget.PK_PERUBAHAN) == Decimal("74.6")
    assert Target.objects.get(indikator_id=idg(), tahun=2025, jenis="pk").sumber == "PK 2025 hal. 3"
    assert quarters() == {"tw1": Decimal(20), "tw2": Decimal(40)}

    # The same set again: nothing changes (idempotent), even under «create».
    again = send(token, values, strategy="create").json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 5, "deleted": 0}
    changed = send(token, [v("pk", "74.70"), v("tw1", 21)]).json()
    assert changed["importCount"]["updated"] == 2
    assert target(idg(), 2025, JenisTarget.PK) == Decimal("74.7") and quarters()["tw1"] == 21


def test_the_doors_rules_are_conflicts(people, locked_2023):
    token = token_of(people["perencana"], tulis=True)
    Indikator.objects.filter(pk=tfr()).update(frekuensi=Frekuensi.TAHUNAN)  # setup
    stored_2025 = target(idg(), 2025, JenisTarget.RENSTRA)
    answer = send(
        token,
        [
            v("renstra", 75, tahun=2030),  # 0: outside the Renstra period
            v("renstra", 75, tahun=2023),  # 1: a locked year
            v("renstra", 76, versi=0),  # 2: read before the stored one existed
            v("tw1", 20, pk=tfr()),  # 3: tfr() is reported yearly
            v("pk", 800),  # 4: ×10 the Renstra's target
            v("pk", 1, pk=999999),  # 5: unknown
            v("renstra", 75, tahun=2026),  # 6
            v("renstra", 76, tahun=2026),  # 7: the same cell again
            {"indikator": str(idg()), "tahun": 2026, "jenis": "tw3", "nilai_teks": "WTP"},  # 8
        ],
    )
    assert answer.status_code == 200  # row 6 was taken
    codes = [(c["indexes"][0], c["errorCode"]) for c in answer.json()["conflicts"]]
    assert codes == [
        (0, "E_NILAI"),
        (1, "E_TAHUN_DIKUNCI"),
        (2, "E_VERSI_USANG"),
        (3, "E_NILAI"),
        (4, "E_LONJAKAN"),
        (5, "E_INDIKATOR"),
        (7, "E_GANDA"),
        (8, "E_NILAI"),
    ]
    texts = {c["indexes"][0]: c["value"] for c in answer.json()["conflicts"]}
    assert "hanya dilaporkan tahunan" in texts[3]
    assert answer.json()["importCount"]["updated"] == 1
    assert target(idg(), 2025, JenisTarget.RENSTRA) == stored_2025
    assert target(idg(), 2025, JenisTarget.PK) is None
    assert target(idg(), 2026, JenisTarget.RENSTRA) == Decimal(75)
    # «update» adds nothing; «create» changes nothing.
    update = send(token, [v("pk_perubahan", 75, tahun=2026)], strategy="update").json()
    create = send(token, [v("renstra", 77, tahun=2026)], strategy="create").json()
    assert [c["errorCode"] for c in update["conflicts"] + create["conflicts"]] == [
        "E_BELUM_ADA",
        "E_SUDAH_ADA",
    ]
    assert target(idg(), 2026, JenisTarget.PK_PERUBAHAN) is None
    assert target(idg(), 2026, JenisTarget.RENSTRA) == Decimal(75)


def test_only_the_planner_writes_targets(people, kabid, quarterly):
    for user in (kabid, people["pimpinan"]):
        answer = send(token_of(user, tulis=True), [v("pk", 75), v("tw1", 20)])
        assert answer.status_code == 409
        assert [c["errorCode"] for c in answer.json()["conflicts"]] == ["E_DITOLAK"] * 2
    assert target(idg(), 2025, JenisTarget.PK) is None and quarters() == {}
    # A read-only token writes nothing at all.
    assert send(token_of(people["perencana"]), [v("pk", 75)]).status_code == 403


def test_target_set_queries_do_not_grow_with_the_set(people):
    token = token_of(people["perencana"], tulis=True)
    client_with(token).get("/api/v1/opd/")

    def count(values: list[dict[str, Any]]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert send(token, values, dry_run=True).status_code == 200
        return len(ctx.captured_queries)

    # The annual targets: one prefetch, the role and the locks once per OPD, whatever the
    # number of rows (the triwulan ones cost their door's queries each): 10 in all.
    one = [v("pk", 75, tahun=2025)]
    three = [v("pk", 75 + i, tahun=y) for i, y in enumerate([2025, 2026, 2022])]
    assert count(one) == count(three) == 10
