"""python manage.py lke_instrumen FILE.xlsx --kode K --nama N --tahun-mulai Y [--dry-run]: a
later official LKE workbook as a new instrument version — what changes against the
instrument in force, then stored (all or nothing) through the same service as the page."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from evaluasi.instrumen_services import instrumen_impor
from evaluasi.reader import instrument_of
from evaluasi.services import instrument_for
from evaluasi.workbook import InvalidWorkbook, diff, parse_workbook
from renstra.permissions import SystemActor


class Command(BaseCommand):
    help = "Impor LKE resmi (.xlsx) sebagai versi baru instrumen LKE."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("berkas", type=Path)
        parser.add_argument("--kode", required=True, help="mis. PERMENPANRB-XX-2026")
        parser.add_argument("--nama", required=True)
        parser.add_argument("--tahun-mulai", type=int, required=True, dest="tahun_mulai")
        parser.add_argument(
            "--dry-run", action="store_true", help="periksa dan tampilkan perubahan saja"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["berkas"]
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        actor = SystemActor("lke_instrumen")
        fields = {k: options[k] for k in ("kode", "nama", "tahun_mulai")}
        try:
            current = instrument_of(instrument_for(fields["tahun_mulai"]))
            parsed = parse_workbook(path.read_bytes(), current)
            row = instrumen_impor(user=actor, parsed=parsed, dry_run=options["dry_run"], **fields)
        except InvalidWorkbook as exc:
            raise CommandError(
                "Impor ditolak, tidak ada yang disimpan:\n" + "\n".join(exc.errors)
            ) from exc
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", [str(exc)])
            raise CommandError(
                "Impor ditolak, tidak ada yang disimpan:\n" + "\n".join(messages)
            ) from exc
        for part, source in parsed.sources.items():
            self.stdout.write(f"{part}: {source}")
        changes = diff(current, parsed.instrument)
        for c in changes:
            self.stdout.write(f"{c.bagian} {c.kode} {c.jenis}: {c.lama or '–'} → {c.baru or '–'}")
        self.stdout.write(f"{len(changes)} perubahan, {len(parsed.instrument.criteria)} kriteria.")
        if row is None:
            self.stdout.write("Uji coba (--dry-run): tidak ada yang disimpan.")
            return
        self.stdout.write(
            self.style.SUCCESS(f"Instrumen {row.kode} tersimpan, berlaku mulai {row.tahun_mulai}.")
        )
