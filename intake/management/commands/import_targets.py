"""python manage.py import_targets FILE --opd KODE [--dry-run]: the planner's target workbook."""

from typing import Any

from intake.cli import ImportCommand
from intake.resources.base import KinerjaResource
from intake.resources.target import TargetWideResource
from renstra.models import Opd


class Command(ImportCommand):
    help = "Impor lembar kerja target (satu kolom per tahun) untuk satu OPD."
    name = "import_targets"

    def resource(self, actor: Any, opd: Opd, options: dict[str, Any]) -> KinerjaResource:
        return TargetWideResource(user=actor, opd=opd, confirm=options["konfirmasi"])
