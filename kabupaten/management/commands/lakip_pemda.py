"""python manage.py lakip_pemda <PEMDA-KODE> <TAHUN> --format pdf|docx|xlsx|json [-o FILE]

The LKjIP Pemda is the LAKIP of the Pemda's plan unit (its RPJMD) with the chapter of every
OPD; it is built and rendered by the very builder and renderers of ``manage.py lakip``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renstra.models import Pemda
from renstra.pemda import plan_unit
from reporting.management.commands.lakip import write_report


class Command(BaseCommand):
    help = "Buat LKjIP pemerintah daerah untuk satu tahun (PDF, DOCX, XLSX, atau JSON)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("pemda", help="kode pemerintah daerah, mis. BALANGAN")
        parser.add_argument("tahun", type=int)
        parser.add_argument("--format", choices=["docx", "json", "pdf", "xlsx"], default="pdf")
        parser.add_argument(
            "-o", "--output", type=Path, help="berkas keluaran (bawaan: stdout untuk json)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = Pemda.objects.filter(kode=options["pemda"]).first()
        if pemda is None:
            raise CommandError(f"Pemerintah daerah {options['pemda']} tidak ditemukan.")
        unit = plan_unit(pemda)
        if unit is None:
            raise CommandError(f"{pemda} belum memiliki RPJMD (unit perencanaan pemda).")
        tahun = options["tahun"]
        stem = f"LKjIP-{pemda.kode}-{tahun}"
        write_report(self, unit, tahun, options["format"], options["output"], stem)
