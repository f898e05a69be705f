"""python manage.py import_sipd OPD TAHUN FILE [--dry-run] [--buat-node]: SIPD's DPA (pagu
murni and perubahan) and realisasi per document (XLSX or JSON) into one OPD's budget of one
year, through the same plan and services as the perencana's page."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from common.numbers import format_rupiah
from intake.cli import command_arguments
from intake.sipd import SipdFileError, read_sipd
from intake.sipd_import import SipdPlan, import_sipd


def _rp(value: Any) -> str:
    return "—" if value is None else format_rupiah(value)


class Command(BaseCommand):
    help = "Impor pagu (DPA) dan realisasi per dokumen dari ekspor SIPD untuk satu OPD dan tahun."
    name = "import_sipd"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("opd", help="kode OPD di Kinerja")
        parser.add_argument("tahun", type=int, help="tahun anggaran")
        parser.add_argument("file", type=Path, help="ekspor SIPD (.xlsx atau .json)")
        parser.add_argument("--dry-run", action="store_true", help="pratinjau tanpa menyimpan")
        parser.add_argument(
            "--buat-node",
            action="store_true",
            help="buat program/kegiatan/sub kegiatan yang belum ada dari nomenklatur "
            "(tanpa ini: baris itu ditolak)",
        )
        parser.add_argument(
            "--pengguna",
            help="impor atas nama pengguna ini (aturan dan riwayatnya); tanpa ini: perintah "
            "tepercaya, tercatat di riwayat dengan nama perintah",
        )
        parser.add_argument(
            "--ringkas", action="store_true", help="hanya jumlah, tanpa daftar perubahan"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path, opd, actor = command_arguments(self.name, options)
        try:
            parsed = read_sipd(path.read_bytes(), path.name)
        except SipdFileError as exc:
            raise CommandError(f"{exc} ({path})") from exc
        try:
            plan = import_sipd(
                user=actor,
                opd=opd,
                tahun=options["tahun"],
                parsed=parsed,
                buat_node=options["buat_node"],
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.report(plan, options)

    def report(self, plan: SipdPlan, options: dict[str, Any]) -> None:
        if plan.problems:
            for problem in plan.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"Tidak ada yang disimpan: {len(plan.problems)} kesalahan.")
        if not options["ringkas"]:
            for line in plan.changed_lines:
                status = f" [{line.status}]" if line.status else ""
                self.stdout.write(f"  {line.tingkat} {line.kode} «{line.nama}»{status}")
                for label, (old, new) in (
                    ("pagu", line.pagu),
                    ("pagu murni", line.pagu_murni),
                    ("realisasi", line.realisasi),
                ):
                    if old != new:
                        self.stdout.write(f"      {label}: {_rp(old)} → {_rp(new)}")
        counts = plan.counts
        self.stdout.write(
            f"Jumlah: pagu {_rp(plan.total('pagu', 0))} → {_rp(plan.total('pagu', 1))}; "
            f"realisasi {_rp(plan.total('realisasi', 0))} → {_rp(plan.total('realisasi', 1))}."
        )
        if plan.unchanged:
            self.stdout.write(self.style.SUCCESS(f"{plan.opd} {plan.tahun}: tidak ada perubahan."))
            return
        summary = (
            f"{counts['node_baru']} node baru, {counts['kode_dipasang']} kode dipasang, "
            f"{counts['anggaran']} anggaran, {counts['bulanan']} realisasi bulanan"
        )
        prefix = "[uji coba, tidak disimpan] " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{plan.opd} {plan.tahun}: {summary}."))
