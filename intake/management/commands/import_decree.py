"""Import an IKU/IK decree table: python manage.py import_decree FILE --opd KODE."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from intake.decree_import import decree_import

LEVEL_LABELS = {
    "tujuan": "tujuan",
    "sasaran": "sasaran",
    "program": "program",
    "kegiatan": "kegiatan",
    "sub_kegiatan": "sub kegiatan",
    "indikator": "indikator",
}


class Command(BaseCommand):
    help = "Impor tabel keputusan IKU/IK (xlsx, csv, atau teks bertab) ke pohon Renstra OPD."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--opd", required=True, help="kode OPD")
        parser.add_argument("--nama", help="nama OPD bila OPD belum ada")
        parser.add_argument("--periode", help="periode Renstra, mis. 2021-2026")
        parser.add_argument("--dry-run", action="store_true", help="periksa tanpa menyimpan")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        try:
            report = decree_import(
                path=path,
                opd_kode=options["opd"],
                nama=options["nama"],
                periode=options["periode"],
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        prefix = "[uji coba, tidak disimpan] " if report.dry_run else ""
        self.stdout.write(f"{prefix}Keputusan IKU/IK untuk {report.opd}:")
        for level, label in LEVEL_LABELS.items():
            created, existing = report.created[level], report.existing[level]
            self.stdout.write(f"  {label:<13} baru {created:>4}  sudah ada {existing:>4}")
        for warning in report.warnings:
            self.stdout.write(f"  periksa baris {warning.number}: {warning.message}")
        for problem in report.problems:
            self.stdout.write(self.style.WARNING(f"  baris {problem.number}: {problem.message}"))
        counts = report.inferred
        self.stdout.write(
            f"  formulasi: {counts.parsed} diurai menjadi rumus komponen (periksa), "
            f"{counts.as_text} tetap teks, {counts.empty} kosong"
        )
        self.stdout.write(
            f"  polaritas negatif disimpulkan: {counts.negatif}; satuan diisi: {counts.satuan} "
            "(masing-masing dengan catatan periksa)"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}Selesai; {len(report.problems)} baris tidak dapat ditempatkan."
            )
        )
