"""Benchmark: a 5,000-row target workbook and a realisasi workbook, dry run and apply.

Builds an OPD with 5,000 indicators (targets 2021–2026 stored), exports the planner's target
workbook, changes one year of every row, then times the dry run (the preview) and the import
through `TargetWideResource` — the same code the admin, the page and `import_targets` run —
and counts the queries of each against a 50-row file (they must not grow with the rows). The
same for the kabid's realisasi workbook (2,000 rows). Goal: 5,000 target rows, dry run +
apply, ≤ 10 s.

Run: `.venv/bin/python bench/imports.py [--rows 5000]`.
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup import count_queries, django_setup, machine_load


def build(rows: int) -> tuple[Any, Any, list[Any]]:
    """An OPD with ``rows`` sasaran indicators, each with a Renstra target every year."""
    from django.contrib.auth.models import User

    from indicators.models import Indikator, Jenis, JenisTarget, Target
    from intake.resources.base import indicator_queryset
    from renstra.models import Bidang, Opd, PeriodeRenstra, Role, Sasaran, Tujuan

    opd = Opd.objects.create(kode="IMPOR", nama="Dinas Uji Impor", singkatan="IMPOR")
    bidang = Bidang.objects.create(opd=opd, kode="A", nama="Bidang A")
    periode = PeriodeRenstra.objects.create(opd=opd, tahun_awal=2021, tahun_akhir=2026)
    tujuan = Tujuan.objects.create(periode=periode, urutan=1, nama="Tujuan")
    sasaran = Sasaran.objects.create(tujuan=tujuan, urutan=1, nama="Sasaran", bidang=bidang)
    Indikator.objects.bulk_create(
        Indikator(
            sasaran=sasaran,
            periode=periode,
            urutan=n,
            nama=f"Indikator {n}",
            satuan="%",
            jenis=Jenis.IKU,
        )
        for n in range(1, rows + 1)
    )
    indicators = list(indicator_queryset().filter(periode=periode).order_by("urutan"))
    Target.objects.bulk_create(
        Target(indikator=i, tahun=y, jenis=JenisTarget.RENSTRA, nilai=Decimal(50 + y - 2021))
        for i in indicators
        for y in range(2021, 2027)
    )
    from bench.setup import make_user

    make_user("bench_perencana", Role.PERENCANA, opd)
    make_user("bench_kabid", Role.KABID, opd, bidang)
    users = [User.objects.get(username=n) for n in ("bench_perencana", "bench_kabid")]
    return opd, periode, users


def changed_targets(dataset, year: str, limit: int | None = None):
    """The exported sheet with ``year`` of every row (or the first ``limit``) raised by 1."""
    from tablib import Dataset

    out = Dataset(headers=dataset.headers)
    column = dataset.headers.index(year)
    for n, row in enumerate(dataset):
        if limit is not None and n >= limit:
            break
        row = list(row)
        row[column] = float(row[column]) + 1
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    url = django_setup("kinerja_bench_imports")
    print(f"Basis data: {url.split('@')[-1]}", file=sys.stderr)
    t0 = time.perf_counter()
    _opd, periode, (perencana, kabid) = build(args.rows)
    print(f"  {args.rows} indikator dibuat: {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    from indicators.models import Indikator
    from intake.excel import read_xlsx, write_xlsx
    from intake.resources.realisasi import RealisasiResource
    from intake.resources.target import TargetWideResource

    exported = TargetWideResource(user=perencana, periode=periode).export(
        Indikator.objects.filter(periode=periode)
    )
    print(f"\n{machine_load()}")
    print(f"{'berkas':<26} {'baris':>6} {'pratinjau':>10} {'impor':>8} {'jumlah':>8} {'query':>12}")
    for label, limit in (("target (kecil)", 50), ("target", None)):
        sheet = read_xlsx(write_xlsx(changed_targets(exported, "2026", limit)))
        preview, t_dry, q_dry = count_queries(
            lambda sheet=sheet: TargetWideResource(user=perencana).import_data(sheet, dry_run=True)
        )
        assert not preview.has_errors() and not preview.has_validation_errors()
        sheet = read_xlsx(write_xlsx(changed_targets(exported, "2026", limit)))
        result, t_apply, q_apply = count_queries(
            lambda sheet=sheet: TargetWideResource(user=perencana).import_data(sheet)
        )
        assert not result.has_errors() and not result.has_validation_errors()
        n = len(sheet)
        print(
            f"{label:<26} {n:>6} {t_dry:>9.2f}s {t_apply:>7.2f}s {t_dry + t_apply:>7.2f}s "
            f"{q_dry:>5} + {q_apply:<5}"
        )
        # The version column is bumped by the import: export again for the next file.
        exported = TargetWideResource(user=perencana, periode=periode).export(
            Indikator.objects.filter(periode=periode)
        )

    realisasi_rows = min(args.rows, 2000)
    for label, limit in (("realisasi (kecil)", 50), ("realisasi", realisasi_rows)):
        template = RealisasiResource(user=kabid, tahun=2024, recordable_only=True).export(
            Indikator.objects.filter(periode=periode)
        )
        from tablib import Dataset

        sheet = Dataset(headers=template.headers)
        column = template.headers.index("Tahunan")
        for n, row in enumerate(template):
            if n >= limit:
                break
            row = list(row)
            row[column] = 50 + n % 7
            sheet.append(row)
        data = write_xlsx(sheet)
        preview, t_dry, q_dry = count_queries(
            lambda data=data: RealisasiResource(user=kabid, tahun=2024).import_data(
                read_xlsx(data), dry_run=True
            )
        )
        assert not preview.has_errors() and not preview.has_validation_errors()
        result, t_apply, q_apply = count_queries(
            lambda data=data: RealisasiResource(user=kabid, tahun=2024).import_data(read_xlsx(data))
        )
        assert not result.has_errors() and not result.has_validation_errors()
        print(
            f"{label:<26} {len(sheet):>6} {t_dry:>9.2f}s {t_apply:>7.2f}s "
            f"{t_dry + t_apply:>7.2f}s {q_dry:>5} + {q_apply:<5}"
        )


if __name__ == "__main__":
    main()
