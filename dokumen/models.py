"""The document register: per OPD (or the Pemda's plan unit), year and ESR type, the signed
scan with its nomor and dates. Status and due date are computed (dokumen.esr)."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from renstra.models import Opd

from . import esr


class JenisDokumen(models.IntegerChoices):
    """The ESR types, valued by ESR's own number (dokumen.esr.TYPES)."""

    RPJMD = 1, esr.TYPES[1]
    RENSTRA = 2, esr.TYPES[2]
    IKU = 3, esr.TYPES[3]
    RENJA = 4, esr.TYPES[4]
    RKPD = 5, esr.TYPES[5]
    PERJANJIAN_KINERJA = 6, esr.TYPES[6]
    RENCANA_AKSI = 7, esr.TYPES[7]
    LAPORAN_KINERJA = 8, esr.TYPES[8]
    PEDOMAN_EVALUASI = 9, esr.TYPES[9]
    LAINNYA = 10, esr.TYPES[10]
    RPJPD = 11, esr.TYPES[11]
    DPA = 12, esr.TYPES[12]
    POHON_KINERJA = 13, esr.TYPES[13]
    LHE_INTERNAL = 14, esr.TYPES[14]
    TL_LHE = 15, esr.TYPES[15]
    MONEV_RENAKSI = 16, esr.TYPES[16]
    PEDOMAN_PERENCANAAN = 17, esr.TYPES[17]
    PEDOMAN_PENGUKURAN = 18, esr.TYPES[18]
    TL_LHE_KEMENPANRB = 19, esr.TYPES[19]


def scan_path(instance: DokumenRegister, filename: str) -> str:
    # A random name (the uploader's may reveal personal data, and must not be guessable: the
    # files are served by checked views only, never by their path).
    import uuid

    return f"dokumen/{uuid.uuid4().hex}.pdf"


class DokumenRegister(models.Model):
    """One ESR document of an OPD and year. Written by dokumen.services only."""

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="dokumen_register_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    jenis = models.PositiveSmallIntegerField("jenis dokumen", choices=JenisDokumen.choices)
    nomor = models.CharField("nomor", max_length=200, blank=True)
    tanggal_penetapan = models.DateField("tanggal penetapan", null=True, blank=True)
    tanggal_publikasi = models.DateField("tanggal publikasi", null=True, blank=True)
    # Empty: the default of dokumen.esr.DUE_RULES for the type.
    tenggat = models.DateField("tenggat", null=True, blank=True)
    berkas = models.FileField("pindaian bertanda tangan", upload_to=scan_path, blank=True)
    berkas_nama = models.CharField("nama berkas asal", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256 berkas", max_length=64, blank=True)
    diubah_pada = models.DateTimeField("diubah pada", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dokumen register"
        verbose_name_plural = "dokumen register"
        ordering = ["opd", "tahun", "jenis"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "tahun", "jenis"], name="dokumen_unique"),
            models.CheckConstraint(
                condition=Q(jenis__gte=1) & Q(jenis__lte=19), name="dokumen_jenis_esr"
            ),
            # Published only once formalised (dokumen.services checks it with the reason).
            models.CheckConstraint(
                condition=Q(tanggal_publikasi__isnull=True)
                | (Q(tanggal_penetapan__isnull=False) & ~Q(nomor="") & ~Q(berkas="")),
                name="dokumen_published_once_formal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jenis:02d} {esr.TYPES.get(self.jenis, '?')} {self.opd_id} {self.tahun}"

    def facts(self, tenggat: datetime.date | None) -> esr.Facts:
        return esr.Facts(
            nomor=self.nomor,
            tanggal_penetapan=self.tanggal_penetapan,
            has_scan=bool(self.berkas),
            tanggal_publikasi=self.tanggal_publikasi,
            tenggat=self.tenggat or tenggat,
        )
