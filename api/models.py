from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class StatusTugas(models.TextChoices):
    ANTRE = "ANTRE", "Dalam antrean"
    PROSES = "PROSES", "Sedang diproses"
    SELESAI = "SELESAI", "Selesai"
    GAGAL = "GAGAL", "Gagal"


class TugasApi(models.Model):
    """A large set sent to the API, run in the background (django-tasks, like the workbook
    imports) with its sender's identity; its summary is read at ``/api/v1/tasks/<id>/`` by
    the sender only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pemilik = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tugas_api_set"
    )
    jenis = models.CharField("jenis", max_length=20)
    # The set as sent (JSON): validated again by the task with the same serializer.
    data = models.JSONField("kiriman")
    status = models.CharField(
        "status", max_length=10, choices=StatusTugas.choices, default=StatusTugas.ANTRE
    )
    kode_http = models.PositiveSmallIntegerField("kode HTTP ringkasan", null=True, blank=True)
    ringkasan = models.JSONField("ringkasan", default=dict, blank=True)
    dibuat_pada = models.DateTimeField("dibuat pada", auto_now_add=True)
    selesai_pada = models.DateTimeField("selesai pada", null=True, blank=True)

    class Meta:
        verbose_name = "tugas API"
        verbose_name_plural = "tugas API"
        ordering = ["-dibuat_pada"]

    def __str__(self) -> str:
        return f"{self.jenis} {self.pk} ({self.get_status_display()})"
