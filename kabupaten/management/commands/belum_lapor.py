"""python manage.py belum_lapor <PEMDA-KODE> <TAHUN> <TRIWULAN> [--kirim]

Lists, per OPD and bidang, the quarterly indicators with no realisasi of the triwulan yet (to
run from cron after each quarter). With ``--kirim`` each bidang's staff (or, without any,
the OPD's perencana) with an e-mail address gets the list through Django's e-mail backend
(``DJANGO_EMAIL_URL``)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from kabupaten.reader import unreported
from renstra.models import Pemda, Role
from renstra.permissions import GROUP_NAMES

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class Command(BaseCommand):
    help = "Daftar OPD/bidang yang belum mengisi realisasi satu triwulan (untuk cron)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("pemda", help="kode pemerintah daerah, mis. BALANGAN")
        parser.add_argument("tahun", type=int)
        parser.add_argument("triwulan", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--kirim", action="store_true", help="kirim pengingat lewat e-mail")

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = Pemda.objects.filter(kode=options["pemda"]).first()
        if pemda is None:
            raise CommandError(f"Pemerintah daerah {options['pemda']} tidak ditemukan.")
        tahun, tw = options["tahun"], options["triwulan"]
        groups = unreported(pemda, tahun, tw)
        label = f"triwulan {ROMAN[tw]} {tahun}"
        if not groups:
            self.stdout.write(self.style.SUCCESS(f"Semua OPD sudah mengisi realisasi {label}."))
            return
        sent = 0
        for g in groups:
            self.stdout.write(
                f"{g.opd.kode} — {g.bidang}: {len(g.indicators)} indikator belum diisi ({label})"
            )
            for ind in g.indicators:
                self.stdout.write(f"    {ind.nama}")
            if not options["kirim"]:
                continue
            recipients = list(
                User.objects.filter(
                    Q(penugasan__bidang_id=g.bidang_id)
                    if g.bidang_id is not None
                    else Q(penugasan__bidang__isnull=True),
                    is_active=True,
                    penugasan__opd=g.opd,
                    groups__name=GROUP_NAMES[Role.KABID],
                )
                .exclude(email="")
                .values_list("email", flat=True)
            ) or list(
                User.objects.filter(
                    is_active=True,
                    penugasan__opd=g.opd,
                    groups__name=GROUP_NAMES[Role.PERENCANA],
                )
                .exclude(email="")
                .values_list("email", flat=True)
            )
            if not recipients:
                self.stderr.write(f"    (tidak ada alamat e-mail untuk {g.opd.kode} {g.bidang})")
                continue
            body = (
                f"Realisasi {label} berikut belum diisi di Kinerja ({g.opd.nama}, {g.bidang}):\n\n"
                + "\n".join(f"- {ind.nama}" for ind in g.indicators)
            )
            send_mail(
                f"Pengingat: realisasi {label} belum diisi",
                body,
                settings.DEFAULT_FROM_EMAIL,
                sorted(set(recipients)),
            )
            sent += 1
        total = sum(len(g.indicators) for g in groups)
        self.stdout.write(
            self.style.WARNING(f"{total} indikator di {len(groups)} bidang belum diisi ({label}).")
        )
        if options["kirim"]:
            self.stdout.write(f"{sent} e-mail pengingat dikirim.")
