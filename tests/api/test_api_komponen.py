"""Realisasi sets sent as a formula's components: the components' own door computes the value
(the engine) and applies the realisasi rules; unknown or missing components are conflicts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from indicators.formula_services import KomponenSpec, rumus_set
from indicators.models import Indikator, NilaiKomponen, Periode, Realisasi
from tests.api.conftest import idg, tfr, token_of
from tests.api.test_api_seed import kabid as kabid
from tests.api.test_api_seed import send
from tests.services.conftest import SYSTEM

pytestmark = pytest.mark.django_db

PARTS = [
    KomponenSpec("jumlah perempuan berdaya", "pembilang", "orang", "Survei"),
    KomponenSpec("jumlah perempuan", "penyebut", "orang", "Dukcapil"),
]


@pytest.fixture
def rumus(opd: Any) -> Any:
    return rumus_set(
        user=SYSTEM,
        indikator=Indikator.objects.get(pk=idg()),
        operator="rasio",
        komponen=PARTS,
        dikonfirmasi=True,
    )


def row(komponen: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"indikator": str(idg()), "tahun": 2024, "periode": "tw1", "komponen": komponen, **extra}


def tw1() -> Realisasi | None:
    return Realisasi.objects.filter(indikator_id=idg(), tahun=2024, periode=Periode.TW1).first()


def test_components_compute_the_value_through_the_door(rumus, kabid):
    token = token_of(kabid, tulis=True)
    dry = send(token, [row({"pembilang": 12, "penyebut": 40})], dry_run=True).json()
    assert dry["importCount"] == {"imported": 1, "updated": 0, "ignored": 0, "deleted": 0}
    assert (
        tw1() is None and not NilaiKomponen.objects.filter(komponen__rumus=rumus).exists()
    )  # a dry run saves nothing

    answer = send(token, [row({"jumlah perempuan berdaya": 12, "penyebut": 40})])
    assert answer.status_code == 200, answer.json()
    assert answer.json()["importCount"]["imported"] == 1
    assert tw1().nilai == Decimal("30")  # 12 / 40 × 100: the engine's value, not the client's
    assert sorted(
        NilaiKomponen.objects.filter(komponen__rumus=rumus).values_list("nilai", flat=True)
    ) == [12, 40]

    # The same components again: nothing changes (idempotent), even under «create».
    again = send(token, [row({"pembilang": 12, "penyebut": 40})], strategy="create").json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 0}
    changed = send(token, [row({"pembilang": 20, "penyebut": 40})]).json()
    assert changed["importCount"]["updated"] == 1
    assert tw1().nilai == Decimal("50") and tw1().versi == 2


def test_unknown_missing_and_no_formula_are_conflicts(rumus, kabid):
    token = token_of(kabid, tulis=True)
    answer = send(
        token,
        [
            row({"pembilang": 12, "penyebut": 40, "pengali": 2}),
            row({"pembilang": 12}, periode="tw2"),
            {"indikator": str(tfr()), "tahun": 2024, "periode": "tw1", "komponen": {"a": 1}},
            row({"pembilang": 1, "penyebut": 0}, periode="tw3"),
            row({"pembilang": 1, "penyebut": 2}, periode="tw4", nilai=5),
        ],
    )
    assert answer.status_code == 409
    body = answer.json()
    assert [(c["indexes"][0], c["errorCode"]) for c in body["conflicts"]] == [
        (0, "E_KOMPONEN"),
        (1, "E_KOMPONEN"),
        (2, "E_KOMPONEN"),
        (3, "E_KOMPONEN"),
        (4, "E_NILAI"),
    ]
    texts = [c["value"] for c in body["conflicts"]]
    assert "tidak dikenal: «pengali»" in texts[0]
    assert "belum dikirim: «jumlah perempuan»" in texts[1]
    assert "belum memiliki rumus" in texts[2]
    assert "tidak dapat dihitung" in texts[3]
    assert tw1() is None
    assert not NilaiKomponen.objects.filter(komponen__rumus=rumus).exists()


def test_components_keep_the_realisasi_rules(rumus, opd, people):
    # The perencana does not record a year of the period: the realisasi door refuses.
    token = token_of(people["perencana"], tulis=True)
    body = send(token, [row({"pembilang": 12, "penyebut": 40})]).json()
    assert [c["errorCode"] for c in body["conflicts"]] == ["E_DITOLAK"]
    assert not NilaiKomponen.objects.filter(komponen__rumus=rumus).exists() and tw1() is None
