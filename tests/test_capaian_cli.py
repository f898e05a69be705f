"""`python manage.py capaian <OPD> <TAHUN> [--json]` on the Balangan seed, and the selector
behind it (`indicators.selectors.indicator_rows`) at a constant number of queries."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.synthetic import build_synthetic_opd
from indicators.selectors import indicator_rows

pytestmark = pytest.mark.django_db

KEYS = [
    "level",
    "node",
    "jalur",
    "kode",
    "indikator",
    "jenis",
    "satuan",
    "polaritas",
    "target",
    "realisasi",
    "capaian",
    "kategori",
    "capaian_dilaporkan",
    "selisih",
    "rumus",
    "komponen",
]
NUMERIC = ("target", "realisasi", "capaian", "capaian_dilaporkan")

TUJUAN_PPPA = "Meningkatnya kesetaraan gender, pemberdayaan dan perlindungan perempuan dan anak"
TUJUAN_DESA = (
    "Meningkatnya Tata Kelola Pemerintahan Desa dan Dukungan Pemerintah Desa Terhadap "
    "Pemberdayaan Masyarakat Desa"
)
TUJUAN_PENDUDUK = "Meningkatnya Upaya Pengendalian Jumlah Penduduk"

# The four sasaran IKU of the LAKIP 2024 (Tabel 3.1), as the engine computes them. The printed
# capaian (capaian_dilaporkan) of IDG, kekerasan and TFR disagree with their own data.
SASARAN_IKU = [
    {
        "level": "sasaran",
        "node": "Meningkatnya kesetaraan gender",
        "jalur": [{"level": "tujuan", "nama": TUJUAN_PPPA}],
        "kode": None,
        "indikator": "IDG (Indeks Pemberdayaan Gender)",
        "jenis": "IKU",
        "satuan": "indeks",
        "polaritas": "positif",
        "target": 74.04,
        "realisasi": 73.27,
        "capaian": 98.96,  # 73,27 / 74,04 × 100; the LAKIP printed 98,62
        "kategori": "Sangat Tinggi",
        "capaian_dilaporkan": 98.62,
        "selisih": True,
        "rumus": None,
        "komponen": [],
    },
    {
        "level": "sasaran",
        "node": "Meingkatnya upaya perlindungan pada perempuan dan anak",
        "jalur": [{"level": "tujuan", "nama": TUJUAN_PPPA}],
        "kode": None,
        "indikator": "Persentase Penurunan Kasus Kekerasan terhadap Perempuan dan Anak",
        "jenis": "IKU",
        "satuan": "%",
        "polaritas": "positif",
        "target": 5.5,
        "realisasi": -70.0,
        "capaian": -1272.73,  # −70 / 5,5 × 100; the LAKIP printed −127,20
        "kategori": "Sangat Rendah",
        "capaian_dilaporkan": -127.2,
        "selisih": True,
        "rumus": None,
        "komponen": [],
    },
    {
        "level": "sasaran",
        "node": "Meningkatnya status pembangunan desa",
        "jalur": [{"level": "tujuan", "nama": TUJUAN_DESA}],
        "kode": None,
        "indikator": "Persentase Desa dengan Klasifikasi Desa Maju",
        "jenis": "IKU",
        "satuan": "%",
        "polaritas": "positif",
        "target": 45.0,  # the PK target, not the Renstra's 33,77
        # Computed from its components, 84 / 153 × 100 (the LAKIP printed 54,9).
        "realisasi": 54.901961,
        "capaian": 122.0,
        "kategori": "Sangat Tinggi",
        "capaian_dilaporkan": 122.0,
        "selisih": False,
        "rumus": "84 / 153 × 100",
        "komponen": [
            {
                "nama": "jumlah desa dengan klasifikasi maju",
                "nilai": 84,
                "satuan": "desa",
                "sumber": "LAKIP 2024 DP3APPKBPMD (153 desa)",
            },
            {
                "nama": "jumlah desa",
                "nilai": 153,
                "satuan": "desa",
                "sumber": "LAKIP 2024 DP3APPKBPMD (153 desa)",
            },
        ],
    },
    {
        "level": "sasaran",
        "node": "Menurunnya Angka Kelahiran Total",
        "jalur": [{"level": "tujuan", "nama": TUJUAN_PENDUDUK}],
        "kode": None,
        "indikator": "Angka Kelahiran Total (TFR)",
        "jenis": "IKU",
        "satuan": "angka",
        "polaritas": "negatif",
        "target": 2.33,
        "realisasi": 2.31,
        "capaian": 100.86,  # (2T − R) / T; the LAKIP printed 99,14 (T/R-style)
        "kategori": "Sangat Tinggi",
        "capaian_dilaporkan": 99.14,
        "selisih": True,
        "rumus": None,
        "komponen": [],
    },
]


def capaian_text(*args: str) -> str:
    out = io.StringIO()
    call_command("capaian", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker) -> dict[str, str]:
    """The command's two outputs on the seed, computed once; the seed is rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed", stdout=io.StringIO())
        texts = {
            "json": capaian_text("DP3APPKBPMD", "2024", "--json"),
            "table": capaian_text("DP3APPKBPMD", "2024"),
        }
        transaction.set_rollback(True)
    return texts


@pytest.fixture
def rows(output) -> list[dict]:
    return json.loads(output["json"])


def test_it_gives_every_row_exactly_the_interface_keys_in_order(rows):
    assert rows, "the seed has indicators"
    for row in rows:
        assert list(row) == KEYS, row
        for step in row["jalur"]:
            assert list(step) == ["level", "nama"], row


def test_it_lists_the_path_from_the_top_of_the_tree_down(rows):
    levels = ["tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"]

    for row in rows:
        path = [step["level"] for step in row["jalur"]]
        # Top first, strictly descending the cascade, ending just above the node's own level.
        assert path == sorted(path, key=levels.index), row
        assert len(set(path)) == len(path), row
        assert row["level"] not in path, row
        if row["level"] == "tujuan":
            assert path == []
        if row["level"] == "sasaran":
            assert path == ["tujuan"]


def test_it_reports_the_four_sasaran_iku_as_the_engine_computes_them(rows):
    sasaran_iku = [r for r in rows if r["level"] == "sasaran" and r["jenis"] == "IKU"]

    assert sasaran_iku == SASARAN_IKU


def test_it_lists_indicators_without_data_with_null_capaian_and_kategori(rows):
    ipg = next(r for r in rows if r["indikator"] == "IPG ( Indeks Pembangunan Gender)")
    assert (ipg["level"], ipg["target"], ipg["realisasi"]) == ("tujuan", 92.8, None)
    assert (ipg["capaian"], ipg["kategori"], ipg["selisih"]) == (None, None, False)
    without_realisasi = [r for r in rows if r["realisasi"] is None]
    assert len(without_realisasi) >= 4  # at least the four tujuan indicators of 2024
    for row in without_realisasi:
        assert (row["capaian"], row["kategori"]) == (None, None), row


def test_it_writes_stored_values_exactly_as_stored(rows):
    idm = next(r for r in rows if r["indikator"] == "Indeks Desa Membangun")

    assert idm["target"] == 0.7997  # never rounded to 0.8
    assert '"target": 0.7997,' in json.dumps(idm)


def test_it_writes_numbers_as_json_numbers_rounded_to_two_decimals(output):
    text = output["json"]
    exact = json.loads(text, parse_float=Decimal, parse_int=Decimal)

    seen = 0
    for row in exact:
        for key in NUMERIC:
            value = row[key]
            if key in ("target", "realisasi") and isinstance(value, str):
                # A qualitative value (e.g. "WTP") stays text; a number never does.
                with pytest.raises(ArithmeticError):
                    Decimal(value.replace(",", "."))
                continue
            assert value is None or isinstance(value, Decimal), (key, row)
            if value is not None:
                seen += 1
                if key == "capaian":
                    # Computed: rounded half-up to 2 decimals. Stored values keep theirs.
                    assert -value.as_tuple().exponent <= 2, (key, value, row["indikator"])
    assert seen >= 4 * 4
    # −1.272,7272… is rounded, not truncated nor printed in full.
    assert '"capaian": -1272.73,' in text


def test_it_prints_the_table_with_indonesian_numbers_and_flags_the_difference(output):
    text = output["table"]

    idg = next(line for line in text.splitlines() if "IDG (Indeks Pemberdayaan Gender)" in line)
    assert "74,04" in idg
    assert "73,27" in idg
    assert "98,96 %" in idg
    assert "Sangat Tinggi" in idg
    assert idg.endswith("98,62 %  ≠ SELISIH")
    desa = next(line for line in text.splitlines() if "Klasifikasi Desa Maju" in line)
    assert desa.endswith("122,00 %"), "an agreeing figure is not flagged"
    assert "98.96" not in text


def test_it_counts_indicators_and_differences_in_the_table_footer(output, rows):
    text = output["table"]

    flagged = sum(1 for r in rows if r["selisih"])
    assert flagged >= 3
    assert text.rstrip().endswith(
        f"{len(rows)} indikator; {flagged} capaian dilaporkan berbeda dari hasil hitung."
    )
    assert text.count("SELISIH") == flagged


def test_it_refuses_an_unknown_opd_in_indonesian():
    with pytest.raises(CommandError) as excinfo:
        call_command("capaian", "TIDAKADA", "2024", "--json", stdout=io.StringIO())

    assert str(excinfo.value) == "OPD TIDAKADA tidak ditemukan."


def count_selector_queries(opd, tahun: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        rows = indicator_rows(opd, tahun)
    return len(ctx.captured_queries), len(rows)


def test_it_reads_every_indicator_in_a_constant_number_of_queries():
    small = build_synthetic_opd("KECIL", sasaran=4, programs=8, indicators=60)
    large = build_synthetic_opd("BESAR", sasaran=8, programs=16, indicators=120)
    indicator_rows(small, 2024)  # warm any per-process cache before counting

    small_queries, small_rows = count_selector_queries(small, 2024)
    large_queries, large_rows = count_selector_queries(large, 2024)

    assert (small_rows, large_rows) == (60, 120)
    # Measured 6: the OPD's settings (none) → the default scale + its bands (prefetch),
    # the indicators with their whole tree joined, the targets and the realisasi of the year
    # and the year before (for the plausibility flags; one query each, as before).
    assert large_queries == small_queries, (small_queries, large_queries)
    assert small_queries == 6
