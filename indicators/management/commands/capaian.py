"""python manage.py capaian <OPD-KODE> <TAHUN> [--json]: every indicator with its computed
capaian. The JSON list is a stable interface for other tools."""

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from common.numbers import format_number, format_percent, json_number, round2
from indicators.provenance import Provenance, provenance_for
from indicators.selectors import IndicatorRow, indicator_rows
from renstra.models import Opd


def _number(value: Decimal | str | None) -> float | str | None:
    """A computed figure (capaian): rounded half-up to 2 decimals, as every report shows it."""
    if isinstance(value, Decimal):
        return float(round2(value))
    return value


def _stored(value: Decimal | str | None) -> int | float | str | None:
    """A stored value (target, realisasi, a printed capaian): exactly as stored."""
    if isinstance(value, Decimal):
        return json_number(value)
    return value


def row_json(row: IndicatorRow, provenance: Provenance | None = None) -> dict[str, Any]:
    ind = row.indikator
    node = ind.node
    return {
        "level": row.level,
        "node": node.nama if node is not None else None,
        "jalur": [{"level": level, "nama": nama} for level, nama in row.jalur],
        "kode": (node.kode or None) if node is not None else None,
        "indikator": ind.nama,
        "jenis": ind.jenis,
        "satuan": ind.satuan,
        "polaritas": ind.polaritas,
        "target": _stored(row.target_value),
        "realisasi": _stored(row.realisasi_value),
        "capaian": _number(row.result.capaian),
        "kategori": row.result.kategori,
        "capaian_dilaporkan": _stored(row.capaian_dilaporkan),
        "selisih": row.discrepant,
        # Provenance of a realisasi computed from its components ("84 / 153 × 100"); null and
        # [] for an indicator entered directly.
        "rumus": provenance.rumus if provenance is not None else None,
        "komponen": provenance.as_json() if provenance is not None else [],
    }


class Command(BaseCommand):
    help = "Tampilkan capaian setiap indikator sebuah OPD pada satu tahun (tabel atau --json)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("opd", help="kode OPD, mis. DP3APPKBPMD")
        parser.add_argument("tahun", type=int)
        parser.add_argument("--json", action="store_true", help="keluaran JSON (antarmuka stabil)")

    def handle(self, *args: Any, **options: Any) -> None:
        opd = Opd.objects.filter(kode=options["opd"]).first()
        if opd is None:
            raise CommandError(f"OPD {options['opd']} tidak ditemukan.")
        rows = indicator_rows(opd, options["tahun"])
        if options["json"]:
            found = provenance_for([r.indikator.pk for r in rows], options["tahun"])
            self.stdout.write(
                json.dumps(
                    [row_json(r, found.get(r.indikator.pk)) for r in rows],
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        header = (
            f"{'tingkat':<12} {'jenis':<4} {'pol':<3} {'indikator':<58} {'target':>10} "
            f"{'realisasi':>10} {'capaian':>12} {'kategori':<14} dilaporkan"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in rows:
            ind = r.indikator
            target = r.target_value
            real = r.realisasi_value
            reported = r.capaian_dilaporkan
            flag = ""
            if reported is not None:
                flag = format_percent(reported) + ("  ≠ SELISIH" if r.discrepant else "")
            self.stdout.write(
                f"{r.level:<12} {ind.jenis:<4} {'−' if ind.polaritas == 'negatif' else '+':<3} "
                f"{ind.nama[:58]:<58} "
                f"{format_number(target) if isinstance(target, Decimal) else (target or '–'):>10} "
                f"{format_number(real) if isinstance(real, Decimal) else (real or '–'):>10} "
                f"{format_percent(r.result.capaian) if r.result.capaian is not None else '–':>12} "
                f"{(r.result.kategori or r.result.reason or ''):<14} {flag}"
            )
        flagged = sum(1 for r in rows if r.discrepant)
        self.stdout.write(
            f"\n{len(rows)} indikator; {flagged} capaian dilaporkan berbeda dari hasil hitung."
        )
