"""The one door for personal API tokens: made, listed, revoked, and found by a presented
token (the API's authentication calls :func:`token_for`)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from renstra.door import refuse_unless

from .models import ApiToken

PREFIX = "knj_"
MAX_DAYS = 365
MAX_ACTIVE = 20
# last_used is written at most this often per token: a busy integration does not turn every
# read into a write.
LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    # The whole token, for showing once; never stored.
    secret: str


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def token_create(*, user: User, owner: User, nama: str, days: int, tulis: bool) -> NewToken:
    """A new token for ``owner``, made by ``user`` (the owner on the Akun page; a command
    acts for the named user)."""
    # A person makes tokens for their own account; the admin (the command) for anyone's.
    own = user.pk == owner.pk or user.is_superuser
    refuse_unless(own, "Token hanya untuk akun sendiri.")  # guard
    refuse_unless(owner.is_active, "Akun ini tidak aktif.")  # guard
    nama = (nama or "").strip()
    if not nama or len(nama) > 100:  # guard
        raise ValidationError({"nama": "Nama token wajib diisi (paling banyak 100 karakter)."})
    if not 1 <= days <= MAX_DAYS:  # guard
        raise ValidationError({"days": f"Masa berlaku 1–{MAX_DAYS} hari."})
    now = timezone.now()
    active = (
        ApiToken.objects.select_for_update()
        .filter(user=owner, dicabut__isnull=True, kedaluwarsa__gt=now)
        .count()
    )
    if active >= MAX_ACTIVE:  # guard
        raise ValidationError(
            f"Paling banyak {MAX_ACTIVE} token aktif per akun; cabut yang tidak dipakai."
        )
    prefix = secrets.token_hex(4)
    raw = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=owner,
        nama=nama,
        prefix=prefix,
        hash=hash_token(raw),
        tulis=tulis,
        kedaluwarsa=now + timedelta(days=days),
    )
    return NewToken(token, raw)


@transaction.atomic
def token_revoke(*, user: User, pk: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=pk).first()
    # Another person's token answers as missing: its existence is not told.
    if token is None or token.user_id != user.pk:  # guard
        raise ApiToken.DoesNotExist("Token tidak ditemukan.")
    if token.dicabut is None:
        token.dicabut = timezone.now()
        token.save(update_fields=["dicabut"])
    return token


class TokenRefused(PermissionDenied):
    pass


def token_for(raw: str) -> ApiToken:
    """The token presented, or :class:`TokenRefused` with the reason. Found by its hash (an
    index lookup, no comparison of secrets in Python)."""
    token = (
        ApiToken.objects.select_related("user", "user__penugasan")
        .filter(hash=hash_token(raw))
        .first()
    )
    if token is None:
        raise TokenRefused("Token tidak dikenal.")
    if token.dicabut is not None:
        raise TokenRefused("Token telah dicabut.")
    now = timezone.now()
    if token.kedaluwarsa <= now:
        raise TokenRefused("Token telah kedaluwarsa; buat token baru di halaman Akun.")
    if not token.user.is_active:
        raise TokenRefused("Akun pemilik token tidak aktif.")
    if token.terakhir_dipakai is None or now - token.terakhir_dipakai > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(terakhir_dipakai=now)
        token.terakhir_dipakai = now
    return token
