"""python manage.py demo_evaluasi: the demo's evaluation in progress — DP3APPKBPMD's Evaluasi
AKIP 2024 opened by its perencana, component 1 partly self-assessed, a few criteria already
evaluated by the Inspektorat; the system's proposals show for the rest. Run after load_seed
and demo_users (``make demo``). Idempotent: an answer already as listed is not written again,
so a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from evaluasi.models import Jawaban
from evaluasi.services import evaluasi_open, jawaban_tetapkan, jawaban_usul
from renstra.models import Opd

DEMO_OPD = "DP3APPKBPMD"
DEMO_TAHUN = 2024
# The OPD's self-assessment: kode, answer, its note.
USULAN = (
    ("1.a.1", "Y", "Pedoman penyusunan Renstra dan Renja (Perbup tentang perencanaan)."),
    ("1.a.2", "Y", "RPJPD Kabupaten Balangan dijadikan acuan."),
    ("1.a.3", "Y", "Renstra DP3APPKBPMD 2021–2026."),
    ("1.a.4", "Y", "Renja dan Perjanjian Kinerja 2024."),
    ("1.a.5", "Y", "Rencana aksi triwulanan di Kinerja."),
    ("1.a.6", "Y", "DPA 2024 terhubung ke indikator program."),
    ("1.a.7", "B", "PK ditetapkan sampai eselon III."),
    ("1.b.1", "Y", "Renstra ditetapkan dengan keputusan kepala dinas."),
    ("1.b.2", "T", "Renstra belum diunggah ke laman resmi."),
    ("1.b.3", "B", ""),
    ("1.b.4", "B", ""),
    ("1.b.5", "C", "Sebagian IKU belum memiliki formula."),
)
# The Inspektorat's answers so far: kode, answer, its note.
PENETAPAN = (
    ("1.a.1", "Y", "Sesuai."),
    ("1.a.2", "Y", "Sesuai."),
    ("1.a.3", "Y", "Renstra 2021–2026 mencakup tahun 2024."),
    ("1.a.7", "C", "PK eselon IV belum lengkap."),
)


class Command(BaseCommand):
    help = "Siapkan evaluasi AKIP demo DP3APPKBPMD 2024 yang sedang berjalan (hanya untuk demo)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        opd = Opd.objects.filter(kode=DEMO_OPD).first()
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=("perencana", "inspektorat"))
        }
        if opd is None or len(users) < 2:
            raise CommandError(
                "OPD demo atau pengguna perencana/inspektorat belum ada; "
                "jalankan load_seed dan demo_users dahulu."
            )
        evaluasi = evaluasi_open(user=users["perencana"], opd=opd, tahun=DEMO_TAHUN)
        stored = {
            j.kriteria.kode: j
            for j in Jawaban.objects.filter(evaluasi=evaluasi).select_related("kriteria")
        }
        written = 0
        # The OPD's answers, then the Inspektorat's: each written only when it differs.
        for rows, field, write, username in (
            (USULAN, "usulan", jawaban_usul, "perencana"),
            (PENETAPAN, "penetapan", jawaban_tetapkan, "inspektorat"),
        ):
            for kode, jawaban, catatan in rows:
                row = stored.get(kode)
                kept = (getattr(row, field), getattr(row, f"catatan_{field}")) if row else None
                if kept == (jawaban, catatan):
                    continue
                stored[kode] = write(
                    user=users[username],
                    evaluasi=evaluasi,
                    kode=kode,
                    jawaban=jawaban,
                    catatan=catatan,
                    versi=row.versi if row else 0,
                )
                written += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Evaluasi AKIP {DEMO_OPD} {DEMO_TAHUN}: {len(USULAN)} jawaban OPD, "
                f"{len(PENETAPAN)} jawaban Inspektorat ({written} ditulis)."
            )
        )
