"""``manage.py dokumen OPD TAHUN JENIS [--pejabat NIP] --format pdf|docx -o FILE``: a signed
document of an OPD's year written to a file (the pages' downloads, from the command line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dokumen.data import DocumentRefused
from dokumen.generate import JENIS, generate
from dokumen.render import FORMATS
from renstra.models import Opd, Pejabat


class Command(BaseCommand):
    help = (
        "Tulis dokumen OPD satu tahun: pk (Perjanjian Kinerja; Kepala Dinas bila tanpa "
        "--pejabat), pk-perubahan, rencana-aksi, sk-iku — sebagai PDF atau DOCX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("opd", help="kode OPD, mis. DP3APPKBPMD")
        parser.add_argument("tahun", type=int)
        parser.add_argument("jenis", choices=JENIS)
        parser.add_argument("--pejabat", metavar="NIP", default="", help="NIP pejabat (PK)")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="pdf")
        parser.add_argument("-o", "--output", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        opd = Opd.objects.filter(kode=options["opd"]).first()
        if opd is None:
            raise CommandError(f"OPD {options['opd']!r} tidak ditemukan.")
        pejabat = None
        nip = "".join(str(options["pejabat"]).split())
        if nip:
            pejabat = next(
                (p for p in Pejabat.objects.filter(opd=opd) if "".join(p.nip.split()) == nip),
                None,
            )
            if pejabat is None:
                raise CommandError(f"Pejabat dengan NIP {options['pejabat']} tidak ada di {opd}.")
            if options["jenis"] not in ("pk", "pk-perubahan"):
                raise CommandError("--pejabat hanya untuk pk dan pk-perubahan.")
        try:
            made = generate(opd, options["tahun"], options["jenis"], options["fmt"], pejabat)
        except DocumentRefused as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        options["output"].write_bytes(made.content)
        self.stdout.write(
            self.style.SUCCESS(f"{options['output']} ditulis ({len(made.content)} bita).")
        )
