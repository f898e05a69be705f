"""Benchmark: pages under load, as ratios to the login page in the same run.

gunicorn (2 workers) serves the app on PostgreSQL (SQLite when PostgreSQL is not reachable);
20 concurrent clients, each signed in once, fetch each page 200 times after a warm-up. Prints
p50/p95, requests per second and p95 ÷ the login page's p95 (goal ≤ 4× for every page):

- the dashboard of the seed OPD (126 indicators) and of a synthetic 200-indicator OPD (20 IKU);
- the kabid's realisasi list and one realisasi edit page.

Run: `.venv/bin/python bench/pages.py [--clients 20] [--requests 200]`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import (
    django_setup,
    gunicorn,
    load,
    machine_load,
    make_user,
    table,
    timed,
)


def prepare() -> dict[str, str]:
    from django.core.management import call_command

    from bench.synthetic import build_synthetic_opd
    from indicators.models import Indikator
    from renstra.models import Bidang, Opd, Role

    timed("load_seed", lambda: call_command("load_seed", stdout=open(os.devnull, "w")))  # noqa: SIM115
    seed = Opd.objects.get(kode="DP3APPKBPMD")
    _t, big = timed(
        "OPD sintetis 200 indikator",
        lambda: build_synthetic_opd("BESAR", sasaran=20, programs=60, indicators=200, years=6),
    )
    kabid_bidang = Bidang.objects.get(opd=seed, kode="PPKB")
    make_user("bench_pimpinan", Role.PIMPINAN, seed)
    make_user("bench_pimpinan_besar", Role.PIMPINAN, big)
    make_user("bench_kabid", Role.KABID, seed, kabid_bidang)
    ind = next(
        i
        for i in Indikator.objects.with_tree().filter(periode__opd=seed).order_by("pk")
        if i.effective_bidang_id == kabid_bidang.pk
    )
    return {"edit": f"/realisasi/2024/{ind.pk}/"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    url = django_setup("kinerja_bench_pages")
    print(f"Basis data: {url.split('@')[-1]}", file=sys.stderr)
    paths = prepare()
    pages = [
        ("dasbor OPD seed (126 indikator)", "/dasbor/2024/", "bench_pimpinan"),
        ("dasbor OPD 200 indikator (20 IKU)", "/dasbor/2025/", "bench_pimpinan_besar"),
        ("daftar realisasi kabid", "/realisasi/2024/", "bench_kabid"),
        ("edit realisasi", paths["edit"], "bench_kabid"),
    ]
    with gunicorn(workers=2) as base:
        options = {"clients": args.clients, "requests": args.requests}
        login = load(base, "halaman masuk (pembanding)", "/masuk/", None, **options)
        rows = [load(base, name, path, user, **options) for name, path, user in pages]
    print(
        f"\n{args.clients} klien serentak, {args.requests} permintaan per halaman; {machine_load()}"
    )
    print(table(rows, login))


if __name__ == "__main__":
    main()
