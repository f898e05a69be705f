"""Benchmark: the LAKIP of a synthetic large OPD and of the seed OPD.

Prints, for each: total time to PDF, the time WeasyPrint alone takes on the same final HTML,
their ratio, and the SQL query count of building the report. Run: `.venv/bin/python bench/lakip.py`
(uses a throw-away SQLite database; set DATABASE_URL to measure on PostgreSQL).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="kinerja-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    import io

    from pypdf import PdfReader

    from bench.synthetic import build_synthetic_opd
    from renstra.models import Opd
    from reporting.builder import build_lakip
    from reporting.render import render_html, render_pdf

    synthetic = build_synthetic_opd("SINTETIS", sasaran=10, programs=60, indicators=300, years=6)
    cases = [(synthetic, 2025), (Opd.objects.get(kode="DP3APPKBPMD"), 2024)]
    columns = ("OPD", "indikator", "halaman", "total PDF", "WeasyPrint", "rasio", "query")
    widths = (-14, 9, 8, 10, 11, 6, 6)
    print(
        " ".join(
            f"{c:<{-w}}" if w < 0 else f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)
        )
    )
    for opd, tahun in cases:
        # Warm up once through the whole pipeline (templates, fonts, matplotlib), as a running
        # server or worker would be; then time the pipeline and WeasyPrint alone on its HTML.
        render_pdf(render_html(build_lakip(opd, tahun)))
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        t0 = time.perf_counter()
        with connection.execute_wrapper(count):
            data = build_lakip(opd, tahun)
        t1 = time.perf_counter()
        html = render_html(data)
        t2 = time.perf_counter()
        pdf = render_pdf(html)
        t3 = time.perf_counter()
        render_pdf(html)
        weasy = time.perf_counter() - t3
        total = t3 - t0
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"{opd.kode:<14} {len(data.all_rows):>9} {pages:>8} {total:>9.2f}s {weasy:>10.2f}s "
            f"{total / weasy:>6.2f} {len(queries):>6}"
        )
        print(f"{'':<14} data {t1 - t0:.2f}s, HTML + grafik {t2 - t1:.2f}s, PDF {t3 - t2:.2f}s")


if __name__ == "__main__":
    main()
