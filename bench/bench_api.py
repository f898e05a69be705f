"""Benchmark of the API (issue 24).

(a) A realisasi set of 10.000 values (one indicator each, tahunan): dry run + apply through
    ``POST /api/v1/realisasi-sets/`` (Django's test client, a kabid's read-write token), against
    the realisasi workbook path (RealisasiResource, the page's and the admin's import) of the
    same number of values — time and queries of both, and the API's as a ratio to the
    workbook's. Goal: 10.000 values, dry run + apply, ≤ 10 s.
(b) The capaian of a Pemda of 40 OPDs × 200 indicators walked page by page through
    ``GET /api/v1/capaian/`` (a Bappeda token) — total time and queries, and the queries of one
    page against the number of OPDs on it. Goal: ≤ 2 s.

    .venv/bin/python bench/bench_api.py                # PostgreSQL when reachable, else SQLite
    .venv/bin/python bench/bench_api.py --values 2000 --opds 10
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import count_queries, django_setup, machine_load

MAX_SET = 10_000  # api.runner.MAX_VALUES, read before Django is set up


def client_for(user: Any) -> Any:
    from django.test import Client

    from accounts.tokens import token_create

    secret = token_create(user=user, owner=user, nama="bench", days=30, tulis=True).secret
    # DEBUG off: the host must be an allowed one.
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", SERVER_NAME="localhost")


def bench_realisasi(rows: int) -> None:
    from django.contrib.auth.models import User
    from tablib import Dataset

    from bench.imports import build
    from indicators.models import Indikator, Realisasi
    from intake.excel import read_xlsx, write_xlsx
    from intake.resources.realisasi import RealisasiResource

    t0 = time.perf_counter()
    _opd, periode, (_perencana, kabid) = build(rows)
    print(f"  {rows} indikator dibuat: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    kabid = User.objects.get(pk=kabid.pk)
    ids = list(
        Indikator.objects.filter(periode=periode).order_by("urutan").values_list("pk", flat=True)
    )
    api = client_for(kabid)
    # The API writes 2023, the workbook 2024: both create the same number of new values.
    body = json.dumps(
        {"values": [{"indikator": pk, "tahun": 2023, "periode": "tahunan", "nilai": 50 + n % 7}
                    for n, pk in enumerate(ids)]}
    )  # fmt: skip

    def send(dry_run: bool) -> Any:
        data = body.replace('{"values"', f'{{"dry_run": {json.dumps(dry_run)}, "values"', 1)
        answer = api.post("/api/v1/realisasi-sets/", data, content_type="application/json")
        assert answer.status_code == 200, answer.content[:500]
        return answer.json()

    api.get("/api/v1/pemda/")  # warm (URLs, the schema's serializers), as a running server
    dry, a_dry, q_a_dry = count_queries(lambda: send(True))
    assert dry["importCount"]["imported"] == rows and not dry["conflicts"], dry["description"]
    done, a_apply, q_a_apply = count_queries(lambda: send(False))
    assert done["importCount"]["imported"] == rows, done["description"]
    assert Realisasi.objects.filter(indikator__periode=periode, tahun=2023).count() == rows

    template = RealisasiResource(user=kabid, tahun=2024, recordable_only=True).export(
        Indikator.objects.filter(periode=periode)
    )
    sheet = Dataset(headers=template.headers)
    column = template.headers.index("Tahunan")
    for n, row in enumerate(template):
        row = list(row)
        row[column] = 50 + n % 7
        sheet.append(row)
    data = write_xlsx(sheet)
    preview, w_dry, q_w_dry = count_queries(
        lambda: RealisasiResource(user=kabid, tahun=2024).import_data(read_xlsx(data), dry_run=True)
    )
    assert not preview.has_errors() and not preview.has_validation_errors()
    result, w_apply, q_w_apply = count_queries(
        lambda: RealisasiResource(user=kabid, tahun=2024).import_data(read_xlsx(data))
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert Realisasi.objects.filter(indikator__periode=periode, tahun=2024).count() == rows

    print(f"\n(a) realisasi: {rows:,} nilai".replace(",", "."))
    print(f"{'jalur':<12} {'uji coba':>9} {'simpan':>8} {'jumlah':>8} {'query':>15}")
    for label, d, a, qd, qa in (
        ("API", a_dry, a_apply, q_a_dry, q_a_apply),
        ("workbook", w_dry, w_apply, q_w_dry, q_w_apply),
    ):
        print(f"{label:<12} {d:>8.2f}s {a:>7.2f}s {d + a:>7.2f}s {qd:>6} + {qa:<6}")
    print(
        f"API / workbook: uji coba {a_dry / w_dry:.2f}×, simpan {a_apply / w_apply:.2f}×, "
        f"jumlah {(a_dry + a_apply) / (w_dry + w_apply):.2f}× (sasaran API ≤ 10 s)"
    )


def bench_capaian(opds: int, page_sizes: list[int]) -> None:
    from django.contrib.auth.models import User

    import bench.kabupaten as kab

    kab.OPDS = opds
    kab.build()  # the seed + ``opds`` synthetic OPDs × 200 indicators, a Bappeda user
    bappeda = User.objects.get(username="bench_bappeda")
    api = client_for(bappeda)

    def walk(page_size: int) -> tuple[int, int, list[tuple[int, int]]]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        pages, rows, per_page = 0, 0, []
        url: str | None = f"/api/v1/capaian/?tahun={kab.TAHUN}&page_size={page_size}"
        while url:
            with CaptureQueriesContext(connection) as ctx:
                answer = api.get(url)
            assert answer.status_code == 200, answer.content[:500]
            data = answer.json()
            pages += 1
            rows += len(data["results"])
            per_page.append((len({r["opd"] for r in data["results"]}), len(ctx)))
            url = data["next"] and data["next"].replace("http://localhost", "")
        return pages, rows, per_page

    api.get(f"/api/v1/capaian/?tahun={kab.TAHUN}&page_size=10")  # warm (scales, imports)
    print(f"\n(b) capaian, {opds} OPD × {kab.INDICATORS} indikator (sasaran ≤ 2 s)")
    for page_size in page_sizes:
        (pages, rows, per_page), elapsed, queries = count_queries(lambda n=page_size: walk(n))
        shapes = ", ".join(f"{o} → {q}" for o, q in sorted(set(per_page)))
        print(
            f"page_size={page_size}: {f'{rows:,}'.replace(',', '.')} baris, {pages} halaman, "
            f"{elapsed:.2f} s, {queries} query; OPD per halaman → query: {shapes}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=10_000)
    parser.add_argument("--opds", type=int, default=40)
    parser.add_argument("--page-size", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    # The import itself is measured, in the request: above KINERJA_API_BACKGROUND_FROM values
    # a server answers 202 and the worker runs this same import.
    os.environ.setdefault("KINERJA_API_BACKGROUND_FROM", str(MAX_SET + 1))
    url = django_setup("kinerja_bench_api")
    print(f"Basis data: {url.split('@')[-1]}", file=sys.stderr)
    print(machine_load())
    bench_realisasi(args.values)
    bench_capaian(args.opds, args.page_size)


if __name__ == "__main__":
    main()
