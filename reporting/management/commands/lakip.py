"""python manage.py lakip <OPD-KODE> <TAHUN> --format pdf|docx|xlsx|json|html [-o FILE]"""

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from renstra.models import Opd
from reporting.services import FORMATS, lakip_generate


class Command(BaseCommand):
    help = "Buat LAKIP sebuah OPD untuk satu tahun dari data (PDF, DOCX, XLSX, JSON, atau HTML)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("opd", help="kode OPD, mis. DP3APPKBPMD")
        parser.add_argument("tahun", type=int)
        parser.add_argument("--format", choices=sorted(FORMATS), default="pdf")
        parser.add_argument(
            "-o", "--output", type=Path, help="berkas keluaran (bawaan: stdout untuk json/html)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        opd = Opd.objects.filter(kode=options["opd"]).first()
        if opd is None:
            raise CommandError(f"OPD {options['opd']} tidak ditemukan.")
        tahun = options["tahun"]
        write_report(
            self, opd, tahun, options["format"], options["output"], f"LAKIP-{opd.kode}-{tahun}"
        )


def write_report(
    command: BaseCommand, opd: Opd, tahun: int, fmt: str, output: Path | None, stem: str
) -> None:
    """Build the report of ``opd`` (an OPD's LAKIP or a Pemda's LKjIP), with progress on
    stderr so stdout stays clean for JSON, into ``output`` (a default file name for binary
    formats) or stdout."""
    if output is None and fmt in ("pdf", "xlsx", "docx"):
        output = Path(f"{stem}.{fmt}")

    def progress(percent: int, step: str) -> None:
        command.stderr.write(f"[{percent:3d}%] {step}")

    try:
        content = lakip_generate(opd, tahun, fmt, progress=progress)
    except (ValidationError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    output.write_bytes(content)
    command.stderr.write(
        command.style.SUCCESS(f"Tersimpan: {output} ({len(content):,} bita)".replace(",", "."))
    )
