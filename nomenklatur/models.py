"""The Kemendagri nomenclature of programs, kegiatan and sub-kegiatan (Permendagri 90/2019 and
its Kepmendagri updates): the codes SIPD uses, kept as reference data. A plan's nodes carry a
code from here (``renstra.models.Node.kode``); the table itself knows nothing of any plan."""

from __future__ import annotations

from django.db import models


class Tingkat(models.TextChoices):
    # The same values as renstra.models.Level, which sits above this app.
    PROGRAM = "program", "Program"
    KEGIATAN = "kegiatan", "Kegiatan"
    SUB_KEGIATAN = "sub_kegiatan", "Sub Kegiatan"


# The level follows from the code's shape: 2.08.02 / 2.08.02.2.01 / 2.08.02.2.01.0007.
DOTS = {2: Tingkat.PROGRAM, 4: Tingkat.KEGIATAN, 5: Tingkat.SUB_KEGIATAN}


def tingkat_of(kode: str) -> str | None:
    """The level a code names, or None for a code of no known shape."""
    return DOTS.get(kode.count("."))


def induk_of(kode: str) -> str:
    """The parent's code: a sub-kegiatan's kegiatan, a kegiatan's program ('' for a program)."""
    parts = kode.split(".")
    if len(parts) == 6:
        return ".".join(parts[:5])
    if len(parts) == 5:
        return ".".join(parts[:3])
    return ""


class Nomenklatur(models.Model):
    kode = models.CharField("kode", max_length=40, unique=True)
    tingkat = models.CharField("tingkat", max_length=20, choices=Tingkat.choices)
    nama = models.TextField("nama")
    # A sub-kegiatan's standard output (Kepmendagri 900.1.15.5-1317/2023), often empty.
    kinerja = models.TextField("kinerja (keluaran)", blank=True)
    indikator = models.TextField("indikator keluaran", blank=True)
    satuan = models.CharField("satuan", max_length=200, blank=True)
    definisi = models.TextField("definisi operasional", blank=True)
    aktif = models.BooleanField(
        "aktif", default=True, help_text="Tidak aktif: tidak ada lagi di daftar terbaru."
    )

    class Meta:
        verbose_name = "nomenklatur"
        verbose_name_plural = "nomenklatur"
        ordering = ["kode"]
        indexes = [models.Index(fields=["tingkat", "kode"])]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"

    @property
    def induk_kode(self) -> str:
        return induk_of(self.kode)
