"""python manage.py lakip_pemda <PEMDA-KODE> <TAHUN> --format pdf|docx|xlsx|json [-o FILE]

The LKjIP Pemda is the LAKIP of the Pemda's plan unit (its RPJMD) with the chapter of every
OPD; it is built and rendered by the very builder and renderers of ``manage.py lakip``."""

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from renstra.models import Pemda
from renstra.pemda import plan_unit
from reporting.services import lakip_generate


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
        fmt = options["format"]
        output: Path | None = options["output"]
        if output is None and fmt != "json":
            output = Path(f"LKjIP-{pemda.kode}-{options['tahun']}.{fmt}")

        def progress(percent: int, step: str) -> None:
            self.stderr.write(f"[{percent:3d}%] {step}")

        try:
            content = lakip_generate(unit, options["tahun"], fmt, progress=progress)
        except (ValidationError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if output is None:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        output.write_bytes(content)
        self.stderr.write(
            self.style.SUCCESS(f"Tersimpan: {output} ({len(content):,} bita)".replace(",", "."))
        )
