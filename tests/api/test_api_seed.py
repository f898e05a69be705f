"""The API on the Balangan seed (DP3APPKBPMD, 2024): the engine's capaian, the pages'
visibility, pinned query counts, and realisasi sets through the workbook's door."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indikator, Periode, Realisasi
from renstra.models import KunciTahun, Role
from tests.api.conftest import client_with, idg, tfr, token_of
from tests.factories import OpdFactory, PemdaFactory, make_user

pytestmark = pytest.mark.django_db

# The seed's IKU IDG (bidang PPPA) and TFR (bidang PPKB): their ids depend on what the worker
# loaded before this module, so they are read by name once the seed is in (fixture below).
IDG = TFR = 0
PPPA, PPKB = "PPPA", "PPKB"


@pytest.fixture(autouse=True)
def _seed_ids(opd):
    global IDG, TFR
    IDG, TFR = idg(), tfr()


def idg_code() -> str:
    """IDG's code for ``id_scheme=code``: its sasaran has no code of its own in the seed, so
    the node is named by its id."""
    sasaran_id = Indikator.objects.values_list("sasaran_id", flat=True).get(pk=IDG)
    return f"DP3APPKBPMD/sasaran/#{sasaran_id}/1"


def realisasi(pk: int, tahun: int, periode: str = Periode.TAHUNAN) -> Realisasi | None:
    return Realisasi.objects.filter(indikator_id=pk, tahun=tahun, periode=periode).first()


def send(token: str, values: list[dict[str, Any]], **options: Any) -> Any:
    return client_with(token).post(
        "/api/v1/realisasi-sets/", {"values": values, **options}, format="json"
    )


def test_iku_capaian_2024_from_the_engine(opd, people):
    answer = client_with(token_of(people["perencana"])).get(
        "/api/v1/capaian/", {"tahun": 2024, "opd": "DP3APPKBPMD", "jenis": "IKU"}
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data["count"] == 4
    idg = next(r for r in data["results"] if r["indikator"] == IDG)
    assert idg["capaian"] == 98.96  # the dashboard's and the LAKIP's 98,96
    assert (idg["target"], idg["realisasi"], idg["kategori"]) == (74.04, 73.27, "Sangat Tinggi")
    assert idg["kode"] == idg_code()
    assert b'"capaian":98.96,' in answer.content  # a JSON number, not a string
    tfr = next(r for r in data["results"] if r["indikator"] == TFR)
    assert (tfr["capaian"], tfr["rumus"]) == (100.86, "(2T − R) / T × 100")


def test_visibility_is_the_pages(opd, people):
    kabid = make_user("api_kabid_v", Role.KABID, opd, people["bidang"][2])
    stranger = make_user(
        "api_stranger",
        Role.BAPPEDA,
        OpdFactory(pemda=PemdaFactory(kode="TABALONG", nama="Tabalong")),
    )
    counts = {}
    for name, user in [
        ("admin", people["admin"]),
        ("perencana", people["perencana"]),
        ("kabid", kabid),
        ("pimpinan", people["pimpinan"]),
        ("bappeda", people["bappeda"]),
        ("stranger", stranger),
    ]:
        client = client_with(token_of(user))
        got = client.get("/api/v1/indikator/", {"opd": "DP3APPKBPMD", "page_size": 1}).json()
        capaian = client.get("/api/v1/capaian/", {"tahun": 2024, "jenis": "IKU"}).json()
        opds = [o["kode"] for o in client.get("/api/v1/opd/").json()["results"]]
        counts[name] = (got["count"], capaian["count"], "DP3APPKBPMD" in opds)
    assert counts == {
        "admin": (126, 4, True),
        "perencana": (126, 4, True),
        "kabid": (126, 4, True),  # a kabid reads its OPD (writes only its bidang's)
        "pimpinan": (126, 4, True),
        "bappeda": (126, 4, True),  # the Pemda's roles read every OPD of the Pemda
        "stranger": (0, 0, False),  # another Pemda: nothing, not even that it exists
    }


def test_tree_targets_realisasi_and_incremental_sync(opd, people):
    client = client_with(token_of(people["perencana"]))
    sasaran = client.get("/api/v1/pohon/", {"opd": "DP3APPKBPMD", "level": "sasaran"}).json()
    tujuan_ids = {
        t["id"] for t in client.get("/api/v1/pohon/", {"opd": "DP3APPKBPMD"}).json()["results"]
    }
    assert sasaran["count"] > 0 and all(s["induk"] in tujuan_ids for s in sasaran["results"])
    targets = client.get("/api/v1/target/", {"indikator": IDG, "tahun": 2024}).json()
    assert {(t["jenis"], t["nilai"]) for t in targets["results"]} >= {("renstra", 74.04)} or (
        targets["count"] > 0
    )
    rows = client.get("/api/v1/realisasi/", {"indikator": IDG}).json()["results"]
    assert [(r["tahun"], r["nilai"]) for r in rows] == [
        (2021, 70.14),
        (2022, 70.57),
        (2023, 70.03),
        (2024, 73.27),
    ]
    future = client.get("/api/v1/realisasi/", {"lastUpdated": "2999-01-01"}).json()
    assert future["count"] == 0
    periods = client.get("/api/v1/periode/", {"opd": "DP3APPKBPMD"}).json()["results"]
    assert [(p["tahun_awal"], p["tahun_akhir"]) for p in periods] == [(2021, 2026)]


def _queries(client: Any, path: str, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        # token (1), the role's groups (1), count (1), the page (1)
        ("/api/v1/indikator/", {"opd": "DP3APPKBPMD"}, 4),
        ("/api/v1/realisasi/", {"opd": "DP3APPKBPMD"}, 4),
        ("/api/v1/target/", {"opd": "DP3APPKBPMD"}, 4),
        ("/api/v1/pohon/", {"opd": "DP3APPKBPMD", "level": "kegiatan"}, 4),
        # …and the engine's read for the OPDs on the page (indicators.selectors.rows_for_opds):
        # the scales (1, + 2 for the default), the targets (1) and the realisasi (1) of the
        # year. The capaian page: its ids (1), then its rows with their own node (1), their
        # periods (1) and OPDs (1), each read once (Indikator.objects.with_node).
        ("/api/v1/capaian/", {"opd": "DP3APPKBPMD", "tahun": 2024}, 12),
    ],
)
def test_list_query_counts_are_constant_in_page_size(opd, people, path, params, expected):
    client = client_with(token_of(people["perencana"]))
    client.get("/api/v1/opd/")  # last_used written once a minute: not counted below
    small = _queries(client, path, {**params, "page_size": 2})
    large = _queries(client, path, {**params, "page_size": 50})
    assert small == large == expected


def test_capaian_queries_do_not_grow_with_the_opds_on_a_page(opd, people):
    # A page crossing OPDs once read each OPD's scale, targets and realisasi apart (+5
    # queries per OPD: 40 OPDs → 9 pages of 100 rows at ~14 queries, or 209 on one page of
    # 1000); now they are read for the page at once. A second OPD of the Pemda with a scale
    # of its own, the seed's OPD on the default one: both kinds of scale on one page.
    from bench.synthetic import build_synthetic_opd
    from indicators.models import PengaturanOpd, Skala

    other = build_synthetic_opd("KEDUA", sasaran=2, programs=2, indicators=6, pemda=opd.pemda)
    PengaturanOpd.objects.create(opd=other, skala=Skala.objects.exclude(bawaan=True).first())
    client = client_with(token_of(people["admin"]))
    client.get("/api/v1/opd/")  # last_used written once a minute: not counted below
    params = {"tahun": 2024, "page_size": 1000}
    with CaptureQueriesContext(connection) as ctx:
        data = client.get("/api/v1/capaian/", params).json()
    assert {r["opd"] for r in data["results"]} >= {"DP3APPKBPMD", "KEDUA"}
    # token (1; the admin's role needs no group read), count (1), the page's ids (1) and rows
    # (1) with their periods (1) and OPDs (1), the chosen scales with their bands (2),
    # targets (1), realisasi (1), the default scale (2)
    assert len(ctx.captured_queries) == 12


@pytest.fixture
def kabid(opd, people):
    """The kabid of PPPA, who records IDG (realisasi of the period are the bidang's)."""
    pppa = next(b for b in people["bidang"] if b.kode == PPPA)
    return make_user("api_kabid_pppa", Role.KABID, opd, pppa)


@pytest.fixture
def locked_2023(opd, people):
    return KunciTahun.objects.create(
        opd=opd, tahun=2023, alasan="LAKIP 2023 telah terbit", dikunci_oleh=people["perencana"]
    )


def a_set() -> list[dict[str, Any]]:
    return [
        {"indikator": str(IDG), "tahun": 2024, "periode": "tahunan", "nilai": "74.10"},
        {"indikator": str(IDG), "tahun": 2024, "periode": "tw1", "nilai": 18.5},
        {"indikator": str(IDG), "tahun": 2023, "periode": "tahunan", "nilai": 70.5},
    ]


def test_dry_run_apply_and_again(opd, kabid, locked_2023):
    token = token_of(kabid, tulis=True)
    before = Realisasi.objects.count()

    dry = send(token, a_set(), dry_run=True)
    assert dry.status_code == 200
    summary = dry.json()
    assert summary["status"] == "WARNING" and summary["dry_run"] is True
    assert summary["importCount"] == {"imported": 1, "updated": 1, "ignored": 1, "deleted": 0}
    (conflict,) = summary["conflicts"]
    assert conflict["errorCode"] == "E_TAHUN_DIKUNCI" and conflict["indexes"] == [2]
    assert conflict["value"] == "Tahun 2023 dikunci: LAKIP 2023 telah terbit"
    assert summary["description"].startswith("Uji coba: 1 akan ditambahkan, 1 akan diubah")
    # Nothing saved.
    assert Realisasi.objects.count() == before
    assert realisasi(IDG, 2024).nilai == Decimal("73.27") and realisasi(IDG, 2024, "tw1") is None

    applied = send(token, a_set()).json()
    assert applied["importCount"] == {"imported": 1, "updated": 1, "ignored": 1, "deleted": 0}
    assert [c["indexes"] for c in applied["conflicts"]] == [[2]]
    idg = realisasi(IDG, 2024)
    assert (idg.nilai, idg.versi, idg.diisi_oleh) == (Decimal("74.10"), 2, kabid)
    assert idg.history.latest().history_user == kabid  # the token's user in the history
    assert realisasi(IDG, 2024, "tw1").nilai == Decimal("18.5")
    assert realisasi(IDG, 2023).nilai == Decimal("70.03")  # locked: untouched

    again = send(token, a_set()).json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}
    assert again["description"].endswith("Tidak ada yang berubah.")
    assert realisasi(IDG, 2024).versi == 2 and Realisasi.objects.count() == before + 1
    # The capaian read afterwards is the engine's on the new value.
    capaian = client_with(token).get("/api/v1/capaian/", {"tahun": 2024, "jenis": "IKU"}).json()
    assert next(r for r in capaian["results"] if r["indikator"] == IDG)["capaian"] == 100.08


def test_kabid_is_refused_another_bidangs_indicator(opd, people):
    ppkb = next(b for b in people["bidang"] if b.kode == PPKB)
    kabid = make_user("api_kabid_ppkb", Role.KABID, opd, ppkb)
    summary = send(
        token_of(kabid, tulis=True),
        [
            {"indikator": str(IDG), "tahun": 2024, "periode": "tahunan", "nilai": 80},
            {"indikator": str(TFR), "tahun": 2024, "periode": "tw2", "nilai": 2.3},
        ],
    ).json()
    assert summary["importCount"]["imported"] == 1
    (conflict,) = summary["conflicts"]
    assert (conflict["errorCode"], conflict["indexes"]) == ("E_DITOLAK", [0])
    assert "bidang" in conflict["value"]
    assert realisasi(IDG, 2024).nilai == Decimal("73.27")
    assert realisasi(TFR, 2024, "tw2").diisi_oleh == kabid


def test_outside_the_scope_is_not_found_like_a_missing_id(opd, people):
    stranger = make_user(
        "api_stranger_w",
        Role.PERENCANA,
        OpdFactory(pemda=PemdaFactory(kode="TABALONG", nama="Tabalong")),
    )
    answer = send(
        token_of(stranger, tulis=True),
        [
            {"indikator": str(IDG), "tahun": 2024, "periode": "tahunan", "nilai": 80},
            {"indikator": "99999999", "tahun": 2024, "periode": "tahunan", "nilai": 80},
        ],
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["status"] == "ERROR" and body["kode"] == "konflik"
    first, second = body["conflicts"]
    assert first["errorCode"] == second["errorCode"] == "E_INDIKATOR"
    assert first["value"].replace(str(IDG), "X") == second["value"].replace("99999999", "X")
    assert realisasi(IDG, 2024).nilai == Decimal("73.27")


def test_rules_of_the_door_per_row(opd, kabid):
    token = token_of(kabid, tulis=True)
    stale = {"indikator": str(IDG), "tahun": 2024, "periode": "tahunan", "nilai": 74, "versi": 0}
    jump = {"indikator": str(IDG), "tahun": 2023, "periode": "tahunan", "nilai": 700.3}
    created = {"indikator": str(IDG), "tahun": 2024, "periode": "tahunan", "nilai": 75}
    fresh = {"indikator": str(IDG), "tahun": 2024, "periode": "tw3", "nilai": 40}
    codes = {
        c["indexes"][0]: c["errorCode"]
        for c in send(token, [stale, jump], strategy="create_and_update").json()["conflicts"]
    }
    assert codes == {0: "E_VERSI_USANG", 1: "E_LONJAKAN"}
    assert send(token, [created], strategy="create").json()["conflicts"][0]["errorCode"] == (
        "E_SUDAH_ADA"
    )
    assert send(token, [fresh], strategy="update").json()["conflicts"][0]["errorCode"] == (
        "E_BELUM_ADA"
    )
    assert realisasi(IDG, 2024).nilai == Decimal("73.27") and realisasi(IDG, 2024, "tw3") is None
    # Confirmed, the ×10 value is taken (as the workbook's "simpan dengan konfirmasi").
    assert send(token, [jump], konfirmasi=True).json()["importCount"]["updated"] == 1
    assert realisasi(IDG, 2023).nilai == Decimal("700.3")


def test_id_scheme_code(opd, kabid):
    token = token_of(kabid, tulis=True)
    summary = send(
        token,
        [
            {
                "indikator": idg_code(),
                "tahun": 2024,
                "periode": "tahunan",
                "nilai": 74,
            }
        ],
        id_scheme="code",
    ).json()
    assert summary["importCount"]["updated"] == 1 and summary["conflicts"] == []
    assert realisasi(IDG, 2024).nilai == Decimal("74")


def test_set_queries_do_not_grow_with_the_set(opd, kabid):
    token = token_of(kabid, tulis=True)
    client_with(token).get("/api/v1/opd/")

    def count(values: list[dict[str, Any]], dry_run: bool) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert send(token, values, dry_run=dry_run).status_code == 200
        return len(ctx.captured_queries)

    one = [{"indikator": str(IDG), "tahun": 2024, "periode": "tw1", "nilai": 10}]
    four = [
        {"indikator": str(IDG), "tahun": 2024, "periode": p, "nilai": 10 + i}
        for i, p in enumerate(["tw1", "tw2", "tw3", "tw4"])
    ]
    # A dry run: the token (1) and its user's groups (1), the indicators in scope (1), the
    # savepoint (1), the batch's indicators (1), their stored realisasi (1), targets (1) and
    # the realisasi before (1), the formulas' components (1) and their values (1), the year
    # locks (1), rolled back (2) — whatever the number of values.
    assert count(one, True) == count(four, True) == 13
    # Applied: the same reads, then one bulk insert of the realisasi (1) and of their history
    # (1), instead of the rollback (−1); the OPD's version rises after the commit.
    assert count(four, False) == 14
    assert Realisasi.objects.filter(indikator_id=IDG, tahun=2024, periode="tw4").get().nilai == 13


def test_budgets_of_the_seed_read_with_their_nodes(opd, people):
    client = client_with(token_of(people["perencana"]))
    client.get("/api/v1/opd/")  # last_used written once a minute: not counted below
    params = {"opd": "DP3APPKBPMD", "tahun": 2024, "level": "program", "page_size": 50}
    with CaptureQueriesContext(connection) as ctx:
        data = client.get("/api/v1/anggaran/", params).json()
    # token (1), the role's groups (1), count (1), the page with its nodes and OPD joined (1)
    assert len(ctx.captured_queries) == 4
    rows = data["results"]
    assert {r["level"] for r in rows} == {"program"} and data["count"] == len(rows)
    # The seed's Tabel 3.31: the programs add up to the OPD's pagu and realisasi 2024.
    assert sum(Decimal(str(r["pagu"])) for r in rows) == Decimal("97000169679")
    assert sum(Decimal(str(r["realisasi"])) for r in rows) == Decimal("90960332708")
    assert all(r["nama"] and r["simpul"] for r in rows)
    # Outside the caller's scope: nothing (another Pemda's Bappeda reads no row of it).
    other = OpdFactory(kode="LAIN", pemda=PemdaFactory(kode="LAIN"))
    stranger = make_user("api_bappeda_lain", Role.BAPPEDA, other)
    assert client_with(token_of(stranger)).get("/api/v1/anggaran/", params).json()["count"] == 0
    assert client.get("/api/v1/anggaran/", {"level": "tujuan"}).status_code == 400
