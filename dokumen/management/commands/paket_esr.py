"""``manage.py paket_esr OPD TAHUN -o FILE.zip``: the ESR package of an OPD's register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dokumen.paket import esr_package
from renstra.models import Opd


class Command(BaseCommand):
    help = "Tulis paket ESR (ZIP: satu PDF per jenis dokumen dan manifest.json) suatu OPD."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("opd", help="kode OPD (atau kode unit Pemda)")
        parser.add_argument("tahun", type=int)
        parser.add_argument("-o", "--output", required=True, help="berkas ZIP yang ditulis")

    def handle(self, *args: Any, **options: Any) -> None:
        opd = Opd.objects.select_related("pemda").filter(kode=options["opd"]).first()
        if opd is None:
            raise CommandError(f"OPD dengan kode {options['opd']!r} tidak ditemukan.")
        tahun = int(options["tahun"])
        if not 2000 <= tahun <= 2999:
            raise CommandError(f"Tahun {tahun} di luar rentang 2000–2999.")
        _name, content = esr_package(opd, tahun)
        Path(options["output"]).write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(f"Paket ESR {opd.kode} {tahun} ditulis ke {options['output']}.")
        )
