"""Load the Balangan seed dataset: the Kemendagri nomenclature, DP3APPKBPMD (LAKIP 2024),
DSPPPAPMD (IKU decree 2021) and the Pemda's RPJMD 2021–2026 with the DP3APPKBPMD sasaran
cascaded to it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from intake.seed import (
    FIXTURES_DIR,
    SeedError,
    SeedReport,
    seed_load_decree,
    seed_load_nomenklatur,
    seed_load_pemda,
    seed_load_renstra,
)


class Command(BaseCommand):
    help = (
        "Muat data contoh Kabupaten Balangan (idempoten: menjalankan ulang tidak mengubah apa pun)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = SeedReport()
        try:
            # The nomenclature first: the seed's codes are read against it.
            seed_load_nomenklatur(report)
            opds = [seed_load_renstra(FIXTURES_DIR / "dp3appkbpmd", report)]
            opds += [
                seed_load_decree(spec, report)
                for spec in sorted((FIXTURES_DIR / "decree").glob("*.yaml"))
            ]
            # The Pemda's RPJMD last: its cascading links point at the OPDs' sasaran.
            opds.append(seed_load_pemda(FIXTURES_DIR / "pemda", report))
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Dimuat: {', '.join(o.kode for o in opds)}.")
        for name in sorted(set(report.created) | set(report.updated) | set(report.unchanged)):
            self.stdout.write(
                f"  {name:<28} baru {report.created[name]:>4}  "
                f"diubah {report.updated[name]:>4}  tetap {report.unchanged[name]:>4}"
            )
        verdict = (
            "Tidak ada perubahan."
            if report.changed() == 0
            else f"{report.changed()} baris ditulis."
        )
        self.stdout.write(self.style.SUCCESS(verdict))
