"""Personal API tokens: a person's key for scripts and other systems, acting with that
person's role and scope. Only a hash of the secret is stored; the token is shown once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token_set"
    )
    nama = models.CharField("nama", max_length=100)
    # The token's first characters, shown in lists so a person can tell their tokens apart.
    prefix = models.CharField("awalan", max_length=16, unique=True)
    # sha256 of the whole token: a lookup by hash compares in the index, never the secret in
    # Python, and a leaked database gives no usable token.
    hash = models.CharField("hash", max_length=64, unique=True)
    tulis = models.BooleanField("boleh menulis", default=False)
    kedaluwarsa = models.DateTimeField("kedaluwarsa")
    dibuat = models.DateTimeField("dibuat", auto_now_add=True)
    terakhir_dipakai = models.DateTimeField("terakhir dipakai", null=True, blank=True)
    dicabut = models.DateTimeField("dicabut", null=True, blank=True)

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"
        ordering = ["-dibuat"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.prefix}…)"

    @property
    def cakupan(self) -> str:
        return "baca-tulis" if self.tulis else "baca saja"

    @property
    def aktif(self) -> bool:
        return self.dicabut is None and self.kedaluwarsa > timezone.now()
