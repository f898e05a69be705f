"""A workbook applied in the background: large imports leave the web request, and the user
watches their progress."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from renstra.models import Opd


class JenisImpor(models.TextChoices):
    TARGET = "target", "Target"
    REALISASI = "realisasi", "Realisasi"


class StatusImpor(models.TextChoices):
    ANTRE = "antre", "Dalam antrean"
    PROSES = "proses", "Sedang diproses"
    SELESAI = "selesai", "Selesai"
    GAGAL = "gagal", "Gagal"


class ImporBerkas(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    jenis = models.CharField("jenis", max_length=10, choices=JenisImpor.choices)
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="+")
    # A kabid's workbook is of one year; the planner's carries its years in its columns.
    tahun = models.PositiveSmallIntegerField("tahun", null=True, blank=True)
    berkas = models.BinaryField("berkas")
    nama_berkas = models.CharField("nama berkas", max_length=255, blank=True)
    baris = models.PositiveIntegerField("jumlah baris", default=0)
    konfirmasi = models.BooleanField("lonjakan ×10 dikonfirmasi", default=False)
    status = models.CharField(
        "status", max_length=10, choices=StatusImpor.choices, default=StatusImpor.ANTRE
    )
    progres = models.PositiveSmallIntegerField("progres (%)", default=0)
    langkah = models.CharField("langkah", max_length=200, blank=True)
    ringkasan = models.JSONField("ringkasan", default=dict, blank=True)
    pesan_galat = models.TextField("pesan galat", blank=True)
    diminta_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diperbarui_pada = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "impor berkas"
        verbose_name_plural = "impor berkas"
        ordering = ["-dibuat_pada"]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.opd}: {self.get_status_display()}"
