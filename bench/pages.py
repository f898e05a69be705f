"""Benchmark: pages under load, as ratios to the login page in the same run.

gunicorn (2 workers, DEBUG off) serves the app on PostgreSQL (SQLite when PostgreSQL is not
reachable) and writes each request's own time to its access log; 20 concurrent clients, each
signed in once, fetch each page 200 times after a warm-up. Prints per page the server's median
and p95 (from the access log, steadier than the client's times on a shared machine), the
median ÷ the login page's (goal ≤ 4× for every page), the queries of the kept page (in-process,
after a warm request) and the client's median:

- the dashboard of the seed OPD (126 indicators) and of a synthetic 200-indicator OPD (20 IKU);
- the kabid's realisasi list and one realisasi edit page;
- the kabupaten dashboard ``/pemda/2024/`` of a Bappeda user.

Then checks that a realisasi saved in DSPPPAPMD (through the service) leaves DP3APPKBPMD's kept
dashboard a hit (issue #26).

Run: `.venv/bin/python bench/pages.py [--clients 20] [--requests 200]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import (
    Figures,
    decimal,
    django_setup,
    gunicorn,
    load,
    machine_load,
    make_user,
    ms,
    server_table,
    timed,
)

GOAL = 4.0


def prepare() -> dict[str, str]:
    from django.core.management import call_command

    from bench.synthetic import build_synthetic_opd
    from indicators.models import Indikator
    from renstra.models import Bidang, JenisOpd, Opd, Role

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
    make_user("bench_pimpinan_dsp", Role.PIMPINAN, Opd.objects.get(kode="DSPPPAPMD"))
    # Bappeda: assigned to the Pemda's plan unit (the OPD of kind "pemda" holding the RPJMD).
    unit = Opd.objects.get(pemda=seed.pemda, jenis=JenisOpd.PEMDA)
    make_user("bench_bappeda", Role.BAPPEDA, unit)
    ind = next(
        i
        for i in Indikator.objects.with_tree().filter(periode__opd=seed).order_by("pk")
        if i.effective_bidang_id == kabid_bidang.pk
    )
    return {"edit": f"/realisasi/2024/{ind.pk}/"}


def signed_in(username: str) -> Any:
    """Django's test client in this process, signed in as ``username``."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


def signed_in_anonymous() -> Any:
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def kept_queries(client: Any, path: str) -> int:
    """The queries of ``path`` once its figures are kept: the first request computes them and
    loads who is asking into the session, the second is warm, the third is counted."""
    return kept_cost(client, path, repeat=1)[0]


def kept_cost(client: Any, path: str, repeat: int = 10) -> tuple[int, float]:
    """The queries of ``path`` once kept (see :func:`kept_queries`) and the median time of
    ``repeat`` kept requests in this process (no other client: what the page itself costs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        assert client.get(path).status_code == 200, path
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200, path
    # Read now: the next request's start empties the connection's query log it slices.
    n = len(ctx.captured_queries)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - t0)
    return n, statistics.median(times)


def cross_opd_check() -> str:
    """A realisasi saved in DSPPPAPMD through the service: DP3APPKBPMD's kept dashboard stays a
    hit (the same queries, its version unchanged), DSPPPAPMD's shows the new value."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from indicators.models import Indikator, Jenis, Periode, Realisasi
    from indicators.services.realisasi import PeriodValue, realisasi_record
    from renstra.models import Opd
    from renstra.permissions import SystemActor
    from renstra.versions import opd_scope, pemda_scope, read

    dp3 = Opd.objects.get(kode="DP3APPKBPMD")
    dsp = Opd.objects.get(kode="DSPPPAPMD")
    pimpinan, other = signed_in("bench_pimpinan"), signed_in("bench_pimpinan_dsp")
    url = "/dasbor/2024/"
    before_n = kept_queries(pimpinan, url)
    kept_queries(other, url)
    assert dp3.pemda_id is not None
    scopes = [opd_scope(dp3.pk), opd_scope(dsp.pk), pemda_scope(dp3.pemda_id)]
    before = read(scopes)
    iku = Indikator.objects.filter(periode__opd=dsp, jenis=Jenis.IKU).order_by("pk").first()
    assert iku is not None, "the seed's DSPPPAPMD has an IKU"
    row = Realisasi.objects.filter(indikator=iku, tahun=2024, periode=Periode.TAHUNAN).first()
    realisasi_record(
        user=SystemActor("bench"),
        indikator=iku,
        tahun=2024,
        values=[PeriodValue(Periode.TAHUNAN, Decimal("4321.5"), "", row.versi if row else 0)],
        confirm=True,
    )
    after = read(scopes)
    with CaptureQueriesContext(connection) as ctx:
        assert pimpinan.get(url).status_code == 200
    after_n = len(ctx.captured_queries)
    shown = "4.321,5" in other.get(url).content.decode()
    hit = after_n == before_n and after[scopes[0]] == before[scopes[0]]
    changed = [s for s in scopes if after[s] != before[s]]
    return (
        f"tulis di DSPPPAPMD → dasbor DP3APPKBPMD tetap kept: {'ya' if hit else 'tidak'} "
        f"({before_n} query sebelum, {after_n} sesudah; versi naik: {', '.join(changed)}; "
        f"dasbor DSPPPAPMD menampilkan 4.321,5: {'ya' if shown else 'tidak'})"
    )


def in_process(costs: dict[str, tuple[int, float]], login_alone: float) -> str:
    """What each kept page costs in this process alone, next to the login page."""
    lines = [
        "\nSatu permintaan kept dalam proses bench (tanpa klien lain), median dari 10 "
        f"(÷ halaman masuk {ms(login_alone)}):"
    ]
    for name, (_n, t) in costs.items():
        lines.append(f"  {name:<38} {ms(t):>9} {decimal(t / login_alone, 1):>6}×")
    return "\n".join(lines)


def verdict(rows: list[Figures], login: Figures) -> list[str]:
    assert login.server_p50 is not None
    lines = []
    for f in rows:
        assert f.server_p50 is not None
        ratio = f.server_p50 / login.server_p50
        if ratio > GOAL:
            lines.append(
                f"  belum ≤ {GOAL:.0f}×: {f.name} masih {ms(f.server_p50)} di server "
                f"({ms(f.server_p50 - login.server_p50)} di atas halaman masuk)"
            )
    return lines or [f"  semua halaman ≤ {GOAL:.0f}× halaman masuk (median server)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    url = django_setup("kinerja_bench_pages")
    print(f"Basis data: {url.split('@')[-1]}", file=sys.stderr)
    paths = prepare()
    pages = [
        ("dasbor pimpinan (seed, 126 indikator)", "/dasbor/2024/", "bench_pimpinan"),
        ("dasbor OPD 200 indikator (20 IKU)", "/dasbor/2025/", "bench_pimpinan_besar"),
        ("daftar realisasi kabid", "/realisasi/2024/", "bench_kabid"),
        ("edit realisasi", paths["edit"], "bench_kabid"),
        ("kabupaten /pemda/2024/ (Bappeda)", "/pemda/2024/", "bench_bappeda"),
    ]
    costs = {name: kept_cost(signed_in(user), path) for name, path, user in pages}
    login_alone = kept_cost(signed_in_anonymous(), "/masuk/")[1]
    from django.db import connection

    connection.close()  # the server's workers open their own
    log = Path(tempfile.mkdtemp(prefix="kinerja-bench-")) / "access.log"
    with gunicorn(workers=2, access_log=log) as base:
        options: dict[str, Any] = {
            "clients": args.clients,
            "requests": args.requests,
            "access_log": log,
        }
        login = load(base, "halaman masuk (pembanding)", "/masuk/", None, **options)
        rows = [load(base, name, path, user, **options) for name, path, user in pages]
    print(
        f"\n{args.clients} klien serentak, {args.requests} permintaan per halaman; gunicorn 2 "
        f"worker; waktu server dari access log gunicorn; {machine_load()}"
    )
    print(server_table(rows, login, {name: n for name, (n, _t) in costs.items()}))
    print(in_process(costs, login_alone))
    print(f"\nTujuan: setiap halaman ≤ {GOAL:.0f}× halaman masuk")
    print("\n".join(verdict(rows, login)))
    print(cross_opd_check())


if __name__ == "__main__":
    main()
