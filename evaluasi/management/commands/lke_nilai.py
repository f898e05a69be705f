"""python manage.py lke_nilai <OPD-KODE> <TAHUN> [--json]: the evaluation's nilai, predikat,
components and sub-components (the Inspektorat's answers; the OPD's beside them)."""

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from common.numbers import format_number, round2
from evaluasi.models import Evaluasi
from evaluasi.proposals import propose
from evaluasi.reader import scores_of


def _n(value: Decimal) -> float:
    return float(round2(value))


class Command(BaseCommand):
    help = "Tampilkan nilai dan predikat evaluasi AKIP (LKE) sebuah OPD untuk satu tahun."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("opd", help="kode OPD, mis. DP3APPKBPMD")
        parser.add_argument("tahun", type=int)
        parser.add_argument("--json", action="store_true", help="keluaran JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        evaluasi = (
            Evaluasi.objects.select_related("opd", "instrumen")
            .filter(opd__kode=options["opd"], tahun=options["tahun"])
            .first()
        )
        if evaluasi is None:
            raise CommandError(
                f"Evaluasi AKIP {options['opd']} tahun {options['tahun']} belum ada."
            )
        scores = scores_of(evaluasi)
        result = scores.penetapan
        out: dict[str, Any] = {
            "opd": evaluasi.opd.kode,
            "tahun": evaluasi.tahun,
            "instrumen": evaluasi.instrumen.kode,
            "status": evaluasi.status,
            "nilai": _n(result.total),
            "predikat": result.predikat.predikat,
            "nilai_usulan": _n(scores.usulan.total),
            "predikat_usulan": scores.usulan.predikat.predikat,
            "komponen": [{"kode": k, "nilai": _n(v)} for k, v in result.components.items()],
            "sub_komponen": [{"kode": k, "nilai": _n(v)} for k, v in result.subs.items()],
            "belum_dijawab": list(result.unanswered),
            "uji_logika": [f.text for f in result.findings],
            "usulan_sistem": [
                {"kode": p.kode, "jawaban": p.jawaban, "alasan": p.alasan}
                for p in sorted(
                    propose(
                        evaluasi.opd,
                        evaluasi.tahun,
                        scores.instrument.thresholds,
                        scores.instrument,
                    ).values(),
                    key=lambda p: [int(x) if x.isdigit() else x for x in p.kode.split(".")],
                )
            ],
        }
        if options["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{evaluasi}: nilai {format_number(result.total)} ({result.predikat.predikat}, "
            f"{result.predikat.label}); penilaian mandiri {format_number(scores.usulan.total)} "
            f"({scores.usulan.predikat.predikat})"
        )
        for item in out["komponen"]:
            self.stdout.write(
                f"  komponen {item['kode']}: {format_number(Decimal(str(item['nilai'])))}"
            )
        for finding in result.findings:
            self.stdout.write(f"  uji logika: {finding.text}")
