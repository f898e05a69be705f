"""What the LAKIP keeps: editable narrative per (OPD, tahun) and final, frozen versions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from renstra.models import Opd, Sasaran, YearlyRow


class Bagian(models.TextChoices):
    KATA_PENGANTAR = "kata_pengantar", "Kata Pengantar"
    IKHTISAR = "ikhtisar", "Ikhtisar Eksekutif"
    LATAR_BELAKANG = "latar_belakang", "Latar Belakang"
    TUGAS_FUNGSI = "tugas_fungsi", "Tugas, Fungsi dan Struktur Organisasi"
    ISU_STRATEGIS = "isu_strategis", "Isu Strategis"
    LANDASAN_HUKUM = "landasan_hukum", "Landasan Hukum"
    ANALISIS_SASARAN = "analisis_sasaran", "Analisis per Sasaran Strategis"
    PENUTUP = "penutup", "Penutup"


class Narasi(YearlyRow, models.Model):
    """An editable text of the report; absent → the report generates a default."""

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="narasi_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    bagian = models.CharField("bagian", max_length=30, choices=Bagian.choices)
    sasaran = models.ForeignKey(
        Sasaran,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="narasi_set",
        help_text="Hanya untuk analisis per sasaran strategis.",
    )
    teks = models.TextField("teks")
    # Optimistic locking: a write from a form or workbook showing an older version is refused.
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "narasi LAKIP"
        verbose_name_plural = "narasi LAKIP"
        ordering = ["opd", "tahun", "bagian"]
        constraints = [
            models.UniqueConstraint(
                fields=["opd", "tahun", "bagian"],
                condition=Q(sasaran__isnull=True),
                name="narasi_unique_bagian",
            ),
            models.UniqueConstraint(
                fields=["opd", "tahun", "bagian", "sasaran"],
                condition=Q(sasaran__isnull=False),
                name="narasi_unique_bagian_sasaran",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_bagian_display()} {self.tahun}"

    def lock_key(self) -> tuple[int, int]:
        return self.opd_id, self.tahun


class LakipVersi(models.Model):
    """A final LAKIP: the exact bytes leadership signed, with their hashes."""

    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="lakip_versi_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    nomor = models.PositiveSmallIntegerField("versi ke-")
    pdf = models.BinaryField("PDF")
    xlsx = models.BinaryField("XLSX")
    # Versions finalised before DOCX existed have none (empty bytes, empty hash).
    docx = models.BinaryField("DOCX", default=b"")
    sha256_pdf = models.CharField("SHA-256 PDF", max_length=64)
    sha256_xlsx = models.CharField("SHA-256 XLSX", max_length=64)
    sha256_docx = models.CharField("SHA-256 DOCX", max_length=64, blank=True)
    engine_version = models.CharField("versi mesin capaian", max_length=20)
    skala_kode = models.CharField("skala", max_length=60)
    skala_versi = models.CharField("versi skala", max_length=20)
    # The aggregate rule the headline figures were computed with, kept with the signed bytes.
    agregat_batas_bawah = models.DecimalField(
        "batas bawah rata-rata (%)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    agregat_batas_atas = models.DecimalField(
        "batas atas rata-rata (%)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    aturan_agregat = models.TextField("aturan rata-rata capaian", blank=True)
    tempat_ttd = models.CharField("tempat penandatanganan", max_length=120, blank=True)
    tanggal_ttd = models.DateField("tanggal penandatanganan", null=True, blank=True)
    perubahan = models.TextField("daftar perubahan", blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    dibuat_pada = models.DateTimeField("dibuat pada", auto_now_add=True)

    class Meta:
        verbose_name = "versi final LAKIP"
        verbose_name_plural = "versi final LAKIP"
        ordering = ["opd", "tahun", "-nomor"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "tahun", "nomor"], name="lakipversi_unique"),
        ]

    def __str__(self) -> str:
        return f"LAKIP {self.opd} {self.tahun} versi {self.nomor}"


class PengaturanLaporan(YearlyRow, models.Model):
    """Per (OPD, tahun) fields of the report itself: where and when it is signed. Without a
    date, a final version is signed on the day it is finalised and a draft shows a blank."""

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="pengaturan_laporan_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    tempat_ttd = models.CharField(
        "tempat penandatanganan",
        max_length=120,
        blank=True,
        help_text="Kosongkan untuk memakai tempat penandatanganan OPD.",
    )
    tanggal_ttd = models.DateField(
        "tanggal penandatanganan",
        null=True,
        blank=True,
        help_text="Kosongkan agar diisi tanggal LAKIP ditetapkan final.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pengaturan laporan"
        verbose_name_plural = "pengaturan laporan"
        constraints = [
            models.UniqueConstraint(fields=["opd", "tahun"], name="pengaturanlaporan_unique"),
        ]

    def __str__(self) -> str:
        return f"Pengaturan LAKIP {self.opd} {self.tahun}"

    def lock_key(self) -> tuple[int, int]:
        return self.opd_id, self.tahun


class StatusLaporan(models.TextChoices):
    ANTRE = "antre", "Menunggu"
    PROSES = "proses", "Sedang dibuat"
    SELESAI = "selesai", "Selesai"
    GAGAL = "gagal", "Gagal"


class PembuatanLaporan(models.Model):
    """One background generation of a report, with progress the user can watch."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField("tahun")
    format = models.CharField("format", max_length=8)
    final = models.BooleanField("tandai final", default=False)
    perubahan = models.TextField("daftar perubahan", blank=True)
    status = models.CharField(
        "status", max_length=10, choices=StatusLaporan.choices, default=StatusLaporan.ANTRE
    )
    progres = models.PositiveSmallIntegerField("progres (%)", default=0)
    langkah = models.CharField("langkah", max_length=200, blank=True)
    pesan_galat = models.TextField("pesan galat", blank=True)
    hasil = models.BinaryField("hasil", null=True, blank=True)
    # The data version a draft was built at (renstra.versions): a draft asked for again while
    # the data stands is this one, served from storage, not built anew.
    versi_data = models.CharField("versi data", max_length=200, blank=True)
    versi = models.ForeignKey(
        LakipVersi, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diminta_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diperbarui_pada = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pembuatan laporan"
        verbose_name_plural = "pembuatan laporan"
        ordering = ["-dibuat_pada"]

    def __str__(self) -> str:
        return f"{self.format} {self.opd} {self.tahun}: {self.get_status_display()}"


class StatusReviu(models.TextChoices):
    TERBUKA = "terbuka", "Terbuka"
    DITINDAKLANJUTI = "ditindaklanjuti", "Ditindaklanjuti"
    SELESAI = "selesai", "Selesai"


def reviu_evidence_path(instance: CatatanReviu, filename: str) -> str:
    from indicators.evidence import random_evidence_name

    return random_evidence_name("reviu", filename)


class CatatanReviu(models.Model):
    """A review note (reviu) of the Inspektorat on an OPD's LAKIP of a year — on a final
    version when there is one. Notes are written after the LAKIP is final, so a locked year
    does not refuse them: they change no figure of the report."""

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="catatan_reviu_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    lakip_versi = models.ForeignKey(
        LakipVersi,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catatan_reviu_set",
        verbose_name="versi LAKIP",
    )
    teks = models.TextField("catatan")
    penulis = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    dibuat_pada = models.DateTimeField("dibuat pada", auto_now_add=True)
    # The follow-up: the OPD answers (tanggapan, with evidence) and the Inspektorat closes it.
    status = models.CharField(
        "status", max_length=16, choices=StatusReviu.choices, default=StatusReviu.TERBUKA
    )
    tanggapan = models.TextField("tanggapan OPD", blank=True)
    tanggapan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ditanggapi oleh",
    )
    tanggapan_pada = models.DateTimeField("ditanggapi pada", null=True, blank=True)
    bukti = models.FileField("bukti tindak lanjut", upload_to=reviu_evidence_path, blank=True)
    bukti_nama = models.CharField("nama berkas bukti", max_length=255, blank=True)
    ditutup_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ditutup oleh",
    )
    ditutup_pada = models.DateTimeField("ditutup pada", null=True, blank=True)
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "catatan reviu LAKIP"
        verbose_name_plural = "catatan reviu LAKIP"
        ordering = ["opd", "tahun", "dibuat_pada", "id"]

    def __str__(self) -> str:
        return f"Reviu {self.opd} {self.tahun}"
