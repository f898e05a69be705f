"""Benchmark: the capaian of a whole kabupaten — 40 OPDs × 200 indicators × 6 years.

Builds the synthetic OPDs (bench/synthetic.py), then times one year's capaian of every OPD
through `indicators.selectors.kabupaten_rows` (one read for all) beside the per-OPD read
(`indicator_rows` 40 times), with the queries of each. Goal: ≤ 2 s at a constant number of
queries.

Run: `.venv/bin/python bench/kabupaten.py [--opds 40] [--indicators 200]`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import django_setup, machine_load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opds", type=int, default=40)
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = django_setup("kinerja_bench_kabupaten")
    print(f"Basis data: {url.split('@')[-1]}", file=sys.stderr)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.synthetic import build_synthetic_opd
    from indicators.selectors import indicator_rows, kabupaten_rows

    t0 = time.perf_counter()
    opds = [
        build_synthetic_opd(
            f"OPD{n:02d}", sasaran=10, programs=40, indicators=args.indicators, seed=n
        )
        for n in range(args.opds)
    ]
    print(
        f"  {args.opds} OPD × {args.indicators} indikator × 6 tahun dibuat: "
        f"{time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )

    def best(fn):
        times, queries, result = [], 0, None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - start)
            queries = len(ctx.captured_queries)
        return min(times), queries, result

    t_all, q_all, together = best(lambda: kabupaten_rows(2025))
    t_each, q_each, _ = best(lambda: [indicator_rows(o, 2025) for o in opds])
    rows = sum(len(v) for v in together.values())
    print(f"\n{machine_load()}")
    print(f"{'pembacaan':<40} {'baris':>6} {'waktu':>8} {'query':>6}")
    print(f"{'kabupaten_rows (sekali untuk semua OPD)':<40} {rows:>6} {t_all:>7.2f}s {q_all:>6}")
    label = f"indicator_rows per OPD (×{len(opds)})"
    print(f"{label:<40} {rows:>6} {t_each:>7.2f}s {q_each:>6}")


if __name__ == "__main__":
    main()
