"""Benchmark of the SIPD import (issue 25).

A whole Pemda's SIPD export in one workbook — 40 OPDs, 4.000 sub-kegiatan in the DPA sheet,
100.000 realisasi documents in the realisasi sheet — read once, then imported OPD by OPD
(``intake.sipd_import.import_sipd``, as ``manage.py import_sipd`` and the page do): a dry
run, the apply, and the same file again (which must change nothing). Prints the time of
each step and the queries per OPD. Goal: read + dry run + apply < 30 s on PostgreSQL, at a
number of queries per file that does not grow with its rows.

    .venv/bin/python bench/bench_sipd.py               # PostgreSQL when reachable, else SQLite
    .venv/bin/python bench/bench_sipd.py --opds 4 --docs 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import count_queries, django_setup, machine_load

TAHUN = 2024
PROGRAMS, KEGIATAN, SUBS = 5, 4, 5  # 100 sub-kegiatan per OPD


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def build(opds: int) -> list[Any]:
    """``opds`` OPDs with a Renstra period and a coded tree (data set up directly: the
    benchmark measures the import, not the setup)."""
    from renstra.models import Kegiatan, Opd, PeriodeRenstra, Program, SubKegiatan

    made = Opd.objects.bulk_create(
        Opd(kode=f"1.{n + 1:02d}.0.00.0.00.01.0000", nama=f"Dinas Bench {n + 1}")
        for n in range(opds)
    )
    periods = PeriodeRenstra.objects.bulk_create(
        PeriodeRenstra(opd=o, tahun_awal=2021, tahun_akhir=2026) for o in made
    )
    programs = Program.objects.bulk_create(
        Program(periode=p, kode=f"1.{o + 1:02d}.{i + 1:02d}", nama=f"PROGRAM {o}-{i}", urutan=i)
        for o, p in enumerate(periods)
        for i in range(PROGRAMS)
    )
    kegiatan = Kegiatan.objects.bulk_create(
        Kegiatan(program=g, periode_id=g.periode_id, kode=f"{g.kode}.2.{j + 1:02d}",
                 nama=f"Kegiatan {g.kode}.{j}", urutan=j)
        for g in programs
        for j in range(KEGIATAN)
    )  # fmt: skip
    SubKegiatan.objects.bulk_create(
        SubKegiatan(kegiatan=k, periode_id=k.periode_id, kode=f"{k.kode}.{s + 1:04d}",
                    nama=f"Sub Kegiatan {k.kode}.{s}", urutan=s)
        for k in kegiatan
        for s in range(SUBS)
    )  # fmt: skip
    return made


def workbook(opds: list[Any], docs: int) -> bytes:
    """SIPD's two sheets for every OPD, numbers written the Indonesian way as SIPD does."""
    from common.numbers import format_number
    from common.sheets import SafeWorkbook, workbook_bytes
    from renstra.models import SubKegiatan

    subs = list(
        SubKegiatan.objects.filter(periode__opd__in=opds)
        .select_related("kegiatan__program", "periode__opd")
        .order_by("id")
    )
    # The product's one workbook writer (text escaped against formulas), as every export.
    book = SafeWorkbook()
    dpa = book.first_sheet
    dpa.title = "DPA"
    dpa.append(
        ["kode_skpd", "nama_skpd", "kode_program", "nama_program", "kode_giat", "nama_giat",
         "kode_sub_giat", "nama_sub_giat", "pagu", "pagumurni"]
    )  # fmt: skip
    pagu: dict[int, Decimal] = {}
    for n, sub in enumerate(subs):
        pagu[sub.pk] = Decimal(100_000_000 + n * 1_000)
        program = sub.kegiatan.program
        dpa.append(
            [sub.periode.opd.kode, sub.periode.opd.nama, program.kode, program.nama,
             sub.kegiatan.kode, sub.kegiatan.nama, sub.kode, sub.nama,
             format_number(pagu[sub.pk], 2), format_number(pagu[sub.pk] - 1_000_000, 2)]
        )  # fmt: skip
    real = book.create_sheet("Realisasi")
    real.append(["kode_skpd", "kode_sub_giat", "kode_rekening", "nomor_sp2d", "tanggal_sp2d",
                 "nilai_realisasi"])  # fmt: skip
    for n in range(docs):
        sub = subs[n % len(subs)]
        day = dt.date(TAHUN, 1 + n % 12, 1 + n % 28)
        real.append(
            [sub.periode.opd.kode, sub.kode, "5.1.02.01.01.0024", f"SP2D/{n}", day.isoformat(),
             format_number(Decimal(1_000_000 + n % 997), 2)]
        )  # fmt: skip
    return workbook_bytes(book)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opds", type=int, default=40)
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    url = django_setup("kinerja_bench_sipd")
    print(f"Basis data: {url.split('@')[-1]}", file=sys.stderr)
    print(machine_load())

    from intake.sipd import read_sipd
    from intake.sipd_import import import_sipd
    from renstra.models import Anggaran, AnggaranBulanan
    from renstra.permissions import SystemActor

    t0 = time.perf_counter()
    opds = build(args.opds)
    data = workbook(opds, args.docs)
    print(f"  data dibuat: {time.perf_counter() - t0:.1f} s, berkas {len(data) / 1e6:.1f} MB",
          file=sys.stderr)  # fmt: skip
    actor = SystemActor("bench_sipd")

    t0 = time.perf_counter()
    parsed = read_sipd(data, "sipd.xlsx")
    read = time.perf_counter() - t0
    assert not parsed.problems, parsed.problems[:5]
    print(f"\nSIPD: {args.opds} OPD, {_n(len(parsed.dpa))} sub kegiatan, "
          f"{_n(len(parsed.realisasi))} dokumen realisasi")  # fmt: skip

    def each(**kwargs: Any) -> tuple[float, list[int], list[Any]]:
        total, queries, plans = 0.0, [], []
        for opd in opds:
            plan, elapsed, n = count_queries(
                lambda opd=opd: import_sipd(
                    user=actor, opd=opd, tahun=TAHUN, parsed=parsed, **kwargs
                )
            )
            assert not plan.problems, plan.problems[:5]
            total += elapsed
            queries.append(n)
            plans.append(plan)
        return total, queries, plans

    dry, q_dry, _ = each(dry_run=True)
    apply, q_apply, plans = each()
    assert all(p.saved for p in plans)
    again, q_again, replans = each()
    assert all(p.unchanged for p in replans)
    months = AnggaranBulanan.objects.filter(tahun=TAHUN).count()
    budgets = Anggaran.objects.filter(tahun=TAHUN).count()
    print(f"{'langkah':<22} {'waktu':>8} {'query per OPD':>16}")
    for label, elapsed, q in (
        ("baca berkas", read, [0]),
        ("uji coba (dry run)", dry, q_dry),
        ("simpan", apply, q_apply),
        ("ulang (tanpa ubahan)", again, q_again),
    ):
        spread = f"{min(q)}–{max(q)}" if min(q) != max(q) else f"{q[0]}"
        print(f"{label:<22} {elapsed:>7.2f}s {spread:>16}")
    print(
        f"baca + uji coba + simpan: {read + dry + apply:.2f} s (sasaran < 30 s); "
        f"{_n(budgets)} anggaran, {_n(months)} realisasi bulanan tersimpan"
    )


if __name__ == "__main__":
    main()
