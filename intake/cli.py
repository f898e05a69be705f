"""The import commands (``import_targets``, ``import_realisasi``): the same resources, services
and preview as the admin and the kabid's page, for a file too large for a web request or a
job run from cron."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from renstra.models import Opd
from renstra.permissions import SystemActor

from .excel import read_xlsx
from .preview import summarise
from .resources.base import KinerjaResource


def command_arguments(name: str, options: dict[str, Any]) -> tuple[Path, Opd, Any]:
    """An import command's file, OPD and actor: ``--pengguna``'s user (its rules and its name
    in the history), or the command itself, trusted, named in the history."""
    path: Path = options["file"]
    if not path.is_file():
        raise CommandError(f"Berkas tidak ditemukan: {path}")
    opd = Opd.objects.filter(kode=options["opd"]).first()
    if opd is None:
        raise CommandError(f"OPD dengan kode «{options['opd']}» tidak ditemukan.")
    actor: Any = SystemActor(name)
    if options["pengguna"]:
        actor = User.objects.filter(username=options["pengguna"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Pengguna «{options['pengguna']}» tidak ditemukan.")
    return path, opd, actor


class ImportCommand(BaseCommand):
    """Preview (``--dry-run``) or apply one workbook for one OPD; nothing is saved when a row
    is refused, exactly as in the admin."""

    name = ""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="berkas Excel (.xlsx) dari templat Kinerja")
        parser.add_argument("--opd", required=True, help="kode OPD pemilik berkas")
        parser.add_argument("--dry-run", action="store_true", help="pratinjau tanpa menyimpan")
        parser.add_argument(
            "--konfirmasi",
            action="store_true",
            help="simpan walau ada lonjakan nilai ×10 (setelah diperiksa di pratinjau)",
        )
        parser.add_argument(
            "--pengguna",
            help="impor atas nama pengguna ini (aturan dan riwayatnya); tanpa ini: perintah "
            "tepercaya, tercatat di riwayat dengan nama perintah",
        )
        parser.add_argument(
            "--ringkas", action="store_true", help="hanya jumlah baris, tanpa daftar perubahan"
        )

    if TYPE_CHECKING:
        # Each command names its workbook's resource (import_targets, import_realisasi).
        def resource(self, actor: Any, opd: Opd, options: dict[str, Any]) -> KinerjaResource: ...

    def handle(self, *args: Any, **options: Any) -> None:
        path, opd, actor = command_arguments(self.name, options)
        try:
            dataset = read_xlsx(path.read_bytes())
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise CommandError(f"Berkas bukan lembar kerja Excel (.xlsx): {path}") from exc
        resource = self.resource(actor, opd, options)
        dry_run = options["dry_run"]
        summary = summarise(resource.import_data(dataset, dry_run=dry_run))
        if not options["ringkas"]:
            for row in summary["rows"]:
                for change in row["changes"]:
                    self.stdout.write(
                        f"  baris {row['line']} «{row['nama']}» {change.column}: "
                        f"{change.old} → {change.new}"
                    )
        for warning in summary["warnings"]:
            self.stdout.write(self.style.WARNING(f"  periksa: {warning}"))
        counts = summary["counts"]
        totals = f"{counts['baru']} baris baru, {counts['diubah']} diubah, {counts['tetap']} tetap"
        if summary["errors"]:
            for error in summary["errors"]:
                self.stderr.write(f"  {error}")
            raise CommandError(
                f"Tidak ada yang disimpan: {len(summary['errors'])} kesalahan ({totals})."
            )
        prefix = "[uji coba, tidak disimpan] " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{opd}: {totals}."))
