"""Print a new personal API token once (for scripts, integrations and CI)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.tokens import token_create


class Command(BaseCommand):
    help = "Buat token API untuk pengguna; token dicetak sekali dan tidak disimpan."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="nama token")
        parser.add_argument("--write", action="store_true", help="boleh menulis")
        parser.add_argument("--days", type=int, default=90, help="masa berlaku (hari)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['username']} tidak ada.")
        try:
            made = token_create(
                user=user,
                owner=user,
                nama=options["name"],
                days=options["days"],
                tulis=options["write"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(made.secret)
