"""Benchmark: the kabupaten view of the Evaluasi AKIP (every OPD's nilai usulan and penetapan,
predikat, both progresses, open recommendations) for 40 OPDs with 80 answers each, against 10
OPDs (goal: 40 OPDs in under 1 s, linear at most, constant queries); the page itself and its
XLSX (a summary and 40 LKE sheets) for the 40.

    .venv/bin/python bench/bench_evaluasi.py      # PostgreSQL when reachable, else SQLite
    KINERJA_BENCH_OPDS=80 .venv/bin/python bench/bench_evaluasi.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import setup  # noqa: E402

OPDS = int(os.environ.get("KINERJA_BENCH_OPDS", "40"))
SMALL = 10
TAHUN = 2024
RUNS = 5


def build(kode: str, n: int) -> Any:
    """A Pemda with its plan unit and ``n`` OPDs, each with an evaluation of ``TAHUN`` whose 80
    criteria all hold an OPD answer and an Inspektorat answer, and two recommendations (one
    open). Bulk writes: the benchmark measures the read."""
    from evaluasi.models import Evaluasi, Jawaban, Kriteria, Rekomendasi
    from evaluasi.services import instrument_for
    from renstra.models import JenisOpd, Opd, Pemda

    pemda = Pemda.objects.create(kode=kode, nama=f"Bench {kode}")
    Opd.objects.create(kode=kode, nama=f"Pemerintah {kode}", pemda=pemda, jenis=JenisOpd.PEMDA)
    opds = Opd.objects.bulk_create(
        Opd(kode=f"{kode}-{i:02d}", nama=f"Dinas {kode} {i:02d}", pemda=pemda) for i in range(n)
    )
    instrumen = instrument_for(TAHUN)
    criteria = list(
        Kriteria.objects.filter(sub__komponen__instrumen=instrumen).select_related("skala")
    )
    evaluations = Evaluasi.objects.bulk_create(
        Evaluasi(opd=opd, tahun=TAHUN, instrumen=instrumen, status="evaluasi") for opd in opds
    )
    answers = "ABCDE"
    Jawaban.objects.bulk_create(
        Jawaban(
            evaluasi=ev,
            kriteria=c,
            usulan=("Y" if (i + j) % 3 else "T") if c.skala.kode == "Y/T" else answers[(i + j) % 5],
            penetapan=("Y" if (i + j) % 4 else "T")
            if c.skala.kode == "Y/T"
            else answers[(i + 2 * j) % 5],
        )
        for i, ev in enumerate(evaluations)
        for j, c in enumerate(criteria)
    )
    Rekomendasi.objects.bulk_create(
        Rekomendasi(evaluasi=ev, komponen=str(1 + i % 4), uraian=f"Agar {i}.{r}", urutan=r)
        for i, ev in enumerate(evaluations)
        for r in range(2)
    )
    return pemda


def timed(fn: Any) -> tuple[float, float, int, Any]:
    """The best of ``RUNS`` runs: wall seconds, this process's CPU seconds (what the Python
    computation costs, without waiting for a shared machine's cores or the database), and the
    queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm: imports, the first connection
    best, cpu, result = float("inf"), float("inf"), None
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            t0, c0 = time.perf_counter(), time.process_time()
            result = fn()
            best = min(best, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
    return best, cpu, len(ctx.captured_queries), result


def main() -> None:
    url = setup.django_setup("kinerja_bench_evaluasi")
    print(f"database: {url.split('@')[-1]}")
    from django.test import Client
    from django.urls import reverse

    from evaluasi.reader import pemda_lines
    from evaluasi.views import sorted_lines
    from evaluasi.workbook_export import kabupaten_workbook
    from renstra.models import Opd, Role

    t0 = time.perf_counter()
    small, large = build("KECIL", SMALL), build("BESAR", OPDS)
    print(
        f"data: {SMALL} + {OPDS} OPD × 80 jawaban dibuat dalam {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    print(setup.machine_load())
    figures = {}
    for pemda, n in ((small, SMALL), (large, OPDS)):
        seconds, cpu, queries, lines = timed(
            lambda p=pemda: sorted_lines(pemda_lines(p.pk, TAHUN), "-nilai")
        )
        figures[n] = seconds, cpu
        assert sum(1 for ln in lines if ln.scores) == n
        print(
            f"tampilan kabupaten {n} OPD (nilai usulan dan penetapan, predikat, progres, "
            f"rekomendasi, diurutkan): {seconds * 1000:.0f} ms (CPU proses {cpu * 1000:.0f} ms), "
            f"{queries} query"
        )
    ratio = figures[OPDS][0] / figures[SMALL][0]
    cpu_ratio = figures[OPDS][1] / figures[SMALL][1]
    print(
        f"{OPDS} OPD ÷ {SMALL} OPD = {ratio:.1f}× "
        f"(CPU {cpu_ratio:.1f}×; data {OPDS / SMALL:.0f}×); "
        f"tujuan {OPDS} OPD < 1 s: {'ya' if figures[OPDS][0] < 1 else 'TIDAK'}"
    )
    lines = pemda_lines(large.pk, TAHUN)
    seconds, cpu, _q, content = timed(lambda: kabupaten_workbook(lines, tahun=TAHUN, title="Bench"))
    size = f"{len(content):,}".replace(",", ".")
    print(
        f"XLSX {OPDS} OPD (rekap + {OPDS} lembar LKE): {seconds:.2f} s "
        f"(CPU {cpu:.2f} s), {size} bita"
    )
    setup.make_user("bench_inspektorat", Role.INSPEKTORAT, Opd.objects.get(kode="BESAR"))
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench_inspektorat"))
    page = reverse("evaluasi:index", args=[TAHUN]) + "?urut=-nilai"
    seconds, cpu, queries, response = timed(
        lambda: client.get(page, HTTP_HOST="127.0.0.1", secure=True)
    )
    assert response.status_code == 200, response.status_code
    print(
        f"halaman {page} ({OPDS} OPD): {seconds * 1000:.0f} ms "
        f"(CPU {cpu * 1000:.0f} ms), {queries} query"
    )
    print(setup.machine_load())


if __name__ == "__main__":
    main()
