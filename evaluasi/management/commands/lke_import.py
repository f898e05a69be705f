"""python manage.py lke_import <OPD-KODE> <TAHUN> <FILE.xlsx>: the Inspektorat's answers
from a workbook whose first sheet has the columns kode, jawaban, catatan — every row
checked, then all written (nilai penetapan), or nothing."""

import io
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from openpyxl import load_workbook

from evaluasi.services import SheetRow, evaluasi_open, jawaban_import
from renstra.models import Opd
from renstra.permissions import SystemActor

COLUMNS = ("kode", "jawaban", "catatan")


def read_rows(data: bytes) -> list[SheetRow]:
    """The first sheet's rows under a header naming the columns (any order, any case)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError("Berkas bukan buku kerja Excel (.xlsx) yang dapat dibaca.") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip().lower() for c in next(rows, ())]
    missing = [c for c in COLUMNS[:2] if c not in header]
    if missing:
        raise ValidationError(f"Kolom {', '.join(missing)} tidak ada pada baris pertama.")
    at = {name: header.index(name) for name in COLUMNS if name in header}
    out = []
    for line, row in enumerate(rows, start=2):

        def cell(name: str, row: tuple[Any, ...] = row) -> str:
            i = at.get(name)
            return "" if i is None or i >= len(row) or row[i] is None else str(row[i]).strip()

        if not any(cell(n) for n in COLUMNS):
            continue
        out.append(SheetRow(line, cell("kode"), cell("jawaban"), cell("catatan")))
    workbook.close()
    return out


class Command(BaseCommand):
    help = "Impor jawaban Inspektorat (nilai penetapan) LKE dari buku kerja Excel."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("opd", help="kode OPD, mis. DP3APPKBPMD")
        parser.add_argument("tahun", type=int)
        parser.add_argument("berkas", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        opd = Opd.objects.filter(kode=options["opd"]).first()
        if opd is None:
            raise CommandError(f"OPD {options['opd']} tidak ditemukan.")
        path: Path = options["berkas"]
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        actor = SystemActor("lke_import")
        try:
            rows = read_rows(path.read_bytes())
            evaluasi = evaluasi_open(user=actor, opd=opd, tahun=options["tahun"])
            n = jawaban_import(user=actor, evaluasi=evaluasi, rows=rows)
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", [str(exc)])
            raise CommandError(
                "Impor ditolak, tidak ada yang disimpan:\n" + "\n".join(messages)
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"{n} jawaban tersimpan untuk {evaluasi}."))
