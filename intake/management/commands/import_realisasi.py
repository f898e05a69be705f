"""python manage.py import_realisasi FILE --opd KODE --tahun TAHUN [--dry-run]: the kabid's
realisasi workbook of one year."""

from typing import Any

from intake.cli import ImportCommand
from intake.resources.base import KinerjaResource
from intake.resources.realisasi import RealisasiResource
from renstra.models import Opd


class Command(ImportCommand):
    help = "Impor lembar kerja realisasi satu tahun untuk satu OPD."
    name = "import_realisasi"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--tahun", type=int, required=True, help="tahun realisasi")

    def resource(self, actor: Any, opd: Opd, options: dict[str, Any]) -> KinerjaResource:
        return RealisasiResource(
            user=actor, tahun=options["tahun"], opd=opd, confirm=options["konfirmasi"]
        )
