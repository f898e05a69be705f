"""Create the demo users of `make demo` (demo-only passwords, listed in the README)."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.signin import DEMO_PASSWORD
from renstra.door import SystemActor
from renstra.models import JenisOpd, Opd, Penugasan, Role
from renstra.permissions import GROUP_NAMES, ensure_groups
from renstra.services import penugasan_save

DEMO_OPD = "DP3APPKBPMD"


class Command(BaseCommand):
    help = "Buat pengguna demo untuk setiap peran (hanya untuk demo)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--opd", default=DEMO_OPD, help="kode OPD demo")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Pengguna demo (kata sandi bersama) hanya untuk DEBUG; tidak dibuat di produksi."
            )
        ensure_groups()
        opd = Opd.objects.filter(kode=options["opd"]).first()
        if opd is None:
            raise CommandError(f"OPD {options['opd']} belum ada; jalankan load_seed dahulu.")
        User = get_user_model()

        def make(username: str, role: Role | None, bidang: Any = None, at: Any = opd) -> None:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = role == Role.ADMIN
            user.is_staff = role in (Role.ADMIN, Role.PERENCANA)
            user.save()
            user.groups.set(
                [Group.objects.get(name=GROUP_NAMES[role])] if role in GROUP_NAMES else []
            )
            assignment = Penugasan.objects.filter(user=user).first() or Penugasan(user=user)
            assignment.opd, assignment.bidang = at, bidang
            penugasan_save(user=SystemActor("demo_users"), obj=assignment)
            self.stdout.write(f"  {username:<22} {role.label if role else ''}")

        self.stdout.write(f"Pengguna demo (kata sandi: {DEMO_PASSWORD}):")
        make("admin", Role.ADMIN)
        make("perencana", Role.PERENCANA)
        make("pimpinan", Role.PIMPINAN)
        for bidang in opd.bidang_set.order_by("kode"):
            make(f"kabid_{bidang.kode.lower()}", Role.KABID, bidang)
        # The roles across OPDs work at the Pemda's plan unit (its RPJMD).
        unit = Opd.objects.filter(pemda_id=opd.pemda_id or 0, jenis=JenisOpd.PEMDA).first()
        if unit is not None:
            make("bappeda", Role.BAPPEDA, at=unit)
            make("inspektorat", Role.INSPEKTORAT, at=unit)
            make("bupati", Role.KEPALA_DAERAH, at=unit)
        self.stdout.write(self.style.SUCCESS("Selesai."))
