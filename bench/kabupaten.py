"""Benchmark: a kabupaten of 40 OPDs × 200 indicators × 6 years.

Prints the machine load, the capaian computation of all 40 OPDs for one year (time and SQL
queries; goal ≤ 2 s at a constant number of queries), the kabupaten dashboard's p50/p95
against the login page under 20 concurrent clients on gunicorn (goal p95 ≤ 4× the login's),
and the LKjIP Pemda build time (JSON, PDF).

    .venv/bin/python bench/kabupaten.py            # PostgreSQL when reachable, else SQLite
    KINERJA_BENCH_OPDS=10 .venv/bin/python bench/kabupaten.py
"""

from __future__ import annotations

import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import setup  # noqa: E402

OPDS = int(os.environ.get("KINERJA_BENCH_OPDS", "40"))
INDICATORS = 200
TAHUN = 2025


def build() -> Any:
    from django.core.management import call_command

    from bench.synthetic import build_synthetic_opd
    from indicators.models import Indikator, Jenis, Realisasi, Target
    from renstra.models import JenisOpd, Opd, Pemda, Role, Sasaran, StatusTautan, TautanRpjmd

    call_command("load_seed", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    pemda = Pemda.objects.get(kode="BALANGAN")
    unit = Opd.objects.get(pemda=pemda, jenis=JenisOpd.PEMDA)
    target = Sasaran.objects.filter(periode__opd=unit).first()
    assert target is not None, "the seed RPJMD has a sasaran"
    # One IKU Pemda (the seed prints none) so the contributions are computed too.
    iku = Indikator.objects.create(sasaran=target, nama="IKU Pemda sintetis", jenis=Jenis.IKU)
    for y in range(2021, 2027):
        Target.objects.create(indikator=iku, tahun=y, nilai=Decimal(80))
        Realisasi.objects.create(indikator=iku, tahun=y, nilai=Decimal(76))
    t0 = time.perf_counter()
    for i in range(OPDS):
        opd = build_synthetic_opd(
            f"S{i:02d}", sasaran=10, programs=15, indicators=INDICATORS, years=6, pemda=pemda
        )
        # Every synthetic OPD's first sasaran supports the RPJMD's sasaran (accepted).
        first = Sasaran.objects.filter(periode__opd=opd).order_by("urutan").first()
        TautanRpjmd.objects.create(
            sasaran=first, sasaran_rpjmd=target, status=StatusTautan.DITERIMA
        )
    print(
        f"data: {OPDS} OPD × {INDICATORS} indikator × 6 tahun dibuat dalam "
        f"{time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )
    setup.make_user("bench_bappeda", Role.BAPPEDA, unit)
    return pemda


def main() -> None:
    url = setup.django_setup("kinerja15_bench_kabupaten")
    print(f"database: {url.split('@')[-1]}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kabupaten.reader import compute_pemda, kabupaten_data
    from renstra.models import JenisOpd, Opd
    from reporting.services import lakip_generate

    pemda = build()
    print(setup.machine_load())
    compute_pemda(pemda, TAHUN)  # warm caches (scales, imports) as a running server would
    timings = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            _opds, by_opd, _settings = compute_pemda(pemda, TAHUN)
            timings.append(time.perf_counter() - t0)
    n = sum(len(rows) for rows in by_opd.values())
    print(
        f"capaian {OPDS} OPD × 1 tahun ({n} indikator): {min(timings):.2f} s terbaik, "
        f"{max(timings):.2f} s terburuk dari 3, {len(ctx.captured_queries)} query"
    )
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        kabupaten_data(pemda, TAHUN)
        print(
            f"data dasbor kabupaten: {time.perf_counter() - t0:.2f} s, "
            f"{len(ctx.captured_queries)} query"
        )
    unit = Opd.objects.get(pemda=pemda, jenis=JenisOpd.PEMDA)
    from django.core.cache import cache

    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        kabupaten_data(pemda, TAHUN)
        print(
            f"data dasbor kabupaten dari cache: {(time.perf_counter() - t0) * 1000:.0f} ms, "
            f"{len(ctx.captured_queries)} query"
        )
    for fmt in ("json", "pdf"):
        cache.clear()  # the LKjIP computes its figures afresh, as the first build of a day
        t0 = time.perf_counter()
        content = lakip_generate(unit, TAHUN, fmt)
        elapsed = time.perf_counter() - t0
        print(f"LKjIP Pemda {fmt}: {elapsed:.2f} s ({len(content):,} bita)".replace(",", "."))
    connection.close()
    with setup.gunicorn() as base:
        login = setup.load(base, "login (/masuk/)", "/masuk/", None)
        dash = setup.load(base, f"/pemda/{TAHUN}/", f"/pemda/{TAHUN}/", "bench_bappeda")
    print(setup.machine_load())
    print(setup.table([dash], login))
    print(f"dasbor kabupaten p95 ÷ login p95 = {dash.p95 / login.p95:.1f}× (tujuan ≤ 4×)")


if __name__ == "__main__":
    main()
