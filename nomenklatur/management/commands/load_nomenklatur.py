from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nomenklatur.loader import DEFAULT_DIR, BadRecord, read_dir
from nomenklatur.services import nomenklatur_load


class Command(BaseCommand):
    help = (
        "Memuat nomenklatur program/kegiatan/sub-kegiatan Kemendagri dari program.tsv, "
        "kegiatan.tsv, sub_kegiatan.tsv (bawaan: fixtures/nomenklatur/)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("direktori", nargs="?", default=str(DEFAULT_DIR))
        parser.add_argument(
            "--lengkap",
            action="store_true",
            help="Daftar lengkap: kode yang tidak ada di dalamnya ditandai tidak aktif.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            records = read_dir(Path(options["direktori"]))
        except (OSError, BadRecord) as exc:
            raise CommandError(str(exc)) from exc
        result = nomenklatur_load(records, lengkap=options["lengkap"])
        self.stdout.write(f"Nomenklatur: {result}")
