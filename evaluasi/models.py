"""The LKE instrument as versioned data (komponen → sub-komponen → kriteria with weights,
scales, predikat bands, logic checks) and the evaluations scored with it: an OPD's (or the
Pemda's plan unit's) year, the OPD's answers (usulan) and the Inspektorat's (penetapan)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from renstra.models import Opd


class Instrumen(models.Model):
    kode = models.CharField("kode", max_length=40, unique=True)
    nama = models.CharField("nama", max_length=200)
    tahun_mulai = models.PositiveSmallIntegerField("berlaku mulai tahun")
    # The shares (%) that turn a proportion into an answer A–D (E below them), for the
    # criteria Kinerja answers from its data; shown to the evaluator beside each proposal.
    ambang = models.JSONField("ambang jawaban A–D (%)", default=dict)
    dibuat_pada = models.DateTimeField("dibuat pada", auto_now_add=True)

    class Meta:
        verbose_name = "instrumen LKE"
        verbose_name_plural = "instrumen LKE"
        ordering = ["-tahun_mulai", "kode"]

    def __str__(self) -> str:
        return self.nama


class Komponen(models.Model):
    instrumen = models.ForeignKey(Instrumen, on_delete=models.CASCADE, related_name="komponen_set")
    kode = models.CharField("kode", max_length=4)
    nama = models.CharField("nama", max_length=200)
    bobot = models.DecimalField("bobot", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "komponen LKE"
        verbose_name_plural = "komponen LKE"
        ordering = ["instrumen", "kode"]
        constraints = [
            models.UniqueConstraint(fields=["instrumen", "kode"], name="lke_komponen_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kode}. {self.nama}"


class SubKomponen(models.Model):
    komponen = models.ForeignKey(Komponen, on_delete=models.CASCADE, related_name="sub_set")
    kode = models.CharField("kode", max_length=8)  # "1.b"
    nama = models.CharField("nama", max_length=300)
    bobot = models.DecimalField("bobot", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "sub-komponen LKE"
        verbose_name_plural = "sub-komponen LKE"
        ordering = ["komponen", "kode"]
        constraints = [
            models.UniqueConstraint(fields=["komponen", "kode"], name="lke_sub_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class Skala(models.Model):
    instrumen = models.ForeignKey(Instrumen, on_delete=models.CASCADE, related_name="skala_set")
    kode = models.CharField("kode", max_length=10)  # "Y/T", "A-E"

    class Meta:
        verbose_name = "skala jawaban LKE"
        verbose_name_plural = "skala jawaban LKE"
        ordering = ["instrumen", "kode"]
        constraints = [
            models.UniqueConstraint(fields=["instrumen", "kode"], name="lke_skala_unique"),
        ]

    def __str__(self) -> str:
        return self.kode


class NilaiSkala(models.Model):
    skala = models.ForeignKey(Skala, on_delete=models.CASCADE, related_name="nilai_set")
    jawaban = models.CharField("jawaban", max_length=4)  # "Y", "B"
    nilai = models.DecimalField("nilai", max_digits=5, decimal_places=4)
    urutan = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        verbose_name = "nilai jawaban"
        verbose_name_plural = "nilai jawaban"
        ordering = ["skala", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["skala", "jawaban"], name="lke_nilai_skala_unique"),
            models.CheckConstraint(
                condition=Q(nilai__gte=0) & Q(nilai__lte=1), name="lke_nilai_skala_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jawaban} = {self.nilai}"


class Kriteria(models.Model):
    sub = models.ForeignKey(SubKomponen, on_delete=models.CASCADE, related_name="kriteria_set")
    kode = models.CharField("kode", max_length=10)  # "1.b.5"
    uraian = models.TextField("kriteria")
    # Deleting an instrument removes its whole tree; an answered criterion stays protected
    # (Jawaban.kriteria).
    skala = models.ForeignKey(Skala, on_delete=models.CASCADE, related_name="+")
    urutan = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        verbose_name = "kriteria LKE"
        verbose_name_plural = "kriteria LKE"
        ordering = ["sub", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["sub", "kode"], name="lke_kriteria_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.uraian}"


class Predikat(models.Model):
    instrumen = models.ForeignKey(Instrumen, on_delete=models.CASCADE, related_name="predikat_set")
    predikat = models.CharField("predikat", max_length=4)
    label = models.CharField("sebutan", max_length=60)
    di_atas = models.DecimalField(
        "nilai di atas", max_digits=6, decimal_places=2, help_text="Batas bawah (tidak termasuk)."
    )

    class Meta:
        verbose_name = "predikat LKE"
        verbose_name_plural = "predikat LKE"
        ordering = ["instrumen", "-di_atas"]
        constraints = [
            models.UniqueConstraint(fields=["instrumen", "predikat"], name="lke_predikat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predikat} ({self.label})"


class Logika(models.Model):
    """A logic check: when ``syarat`` scores 0, the ``terikat`` criteria (comma-separated
    kode, "3.b.*" for a whole sub-komponen) must score 0 too."""

    instrumen = models.ForeignKey(Instrumen, on_delete=models.CASCADE, related_name="logika_set")
    syarat = models.CharField("kriteria syarat", max_length=10)
    terikat = models.CharField("kriteria terikat", max_length=300)
    pesan = models.CharField("pesan", max_length=200)
    urutan = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        verbose_name = "uji logika LKE"
        verbose_name_plural = "uji logika LKE"
        ordering = ["instrumen", "urutan"]

    def __str__(self) -> str:
        return self.pesan


class StatusEvaluasi(models.TextChoices):
    PENILAIAN_MANDIRI = "mandiri", "Penilaian mandiri OPD"
    EVALUASI = "evaluasi", "Dievaluasi Inspektorat"
    FINAL = "final", "Final"


class Evaluasi(models.Model):
    """One OPD's (or the Pemda plan unit's) evaluation of one year, scored with the
    instrument it was opened with (a later version does not rescore it)."""

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="evaluasi_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    instrumen = models.ForeignKey(Instrumen, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "status",
        max_length=10,
        choices=StatusEvaluasi.choices,
        default=StatusEvaluasi.PENILAIAN_MANDIRI,
    )
    final_pada = models.DateTimeField("final pada", null=True, blank=True)
    # The LHE's letter: its number, date and place, and who signs it for the Inspektorat.
    lhe_nomor = models.CharField("nomor LHE", max_length=120, blank=True)
    lhe_tanggal = models.DateField("tanggal LHE", null=True, blank=True)
    lhe_tempat = models.CharField("tempat penandatanganan LHE", max_length=120, blank=True)
    penandatangan_nama = models.CharField("nama penandatangan", max_length=120, blank=True)
    penandatangan_nip = models.CharField("NIP penandatangan", max_length=30, blank=True)
    penandatangan_jabatan = models.CharField(
        "jabatan penandatangan", max_length=120, blank=True, default="Inspektur"
    )
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "evaluasi AKIP"
        verbose_name_plural = "evaluasi AKIP"
        ordering = ["opd", "-tahun"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "tahun"], name="evaluasi_unique_opd_tahun"),
        ]

    def __str__(self) -> str:
        return f"Evaluasi AKIP {self.opd.singkatan or self.opd.kode} {self.tahun}"


class Jawaban(models.Model):
    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.CASCADE, related_name="jawaban_set")
    kriteria = models.ForeignKey(Kriteria, on_delete=models.PROTECT, related_name="+")
    usulan = models.CharField("jawaban OPD (usulan)", max_length=4, blank=True)
    catatan_usulan = models.TextField("catatan OPD", blank=True)
    tautan_bukti = models.CharField("tautan bukti di Kinerja", max_length=300, blank=True)
    penetapan = models.CharField("jawaban Inspektorat (penetapan)", max_length=4, blank=True)
    catatan_penetapan = models.TextField("catatan Inspektorat", blank=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "jawaban LKE"
        verbose_name_plural = "jawaban LKE"
        ordering = ["evaluasi", "kriteria__urutan"]
        constraints = [
            models.UniqueConstraint(fields=["evaluasi", "kriteria"], name="jawaban_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kriteria.kode}: {self.penetapan or self.usulan or '–'}"


def evidence_path(instance: models.Model, filename: str) -> str:
    # A random name: the uploader's may reveal personal data and must not be guessable (the
    # files are served by checked views only, never by their path).
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evaluasi/{uuid.uuid4().hex}.{suffix[:5]}"


class BuktiJawaban(models.Model):
    """An uploaded document kept as evidence of one answer (the OPD's or the Inspektorat's);
    a link to a page or record of Kinerja is ``Jawaban.tautan_bukti``."""

    jawaban = models.ForeignKey(Jawaban, on_delete=models.CASCADE, related_name="bukti_set")
    berkas = models.FileField("berkas", upload_to=evidence_path)
    nama = models.CharField("nama berkas asal", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diunggah_pada = models.DateTimeField("diunggah pada", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bukti jawaban LKE"
        verbose_name_plural = "bukti jawaban LKE"
        ordering = ["jawaban", "diunggah_pada"]

    def __str__(self) -> str:
        return self.nama


class StatusTindakLanjut(models.TextChoices):
    BELUM = "belum", "Belum ditindaklanjuti"
    PROSES = "proses", "Dalam proses"
    SELESAI = "selesai", "Selesai"


class Verifikasi(models.TextChoices):
    BELUM = "belum", "Belum diverifikasi"
    DITERIMA = "diterima", "Diterima Inspektorat"
    DITOLAK = "ditolak", "Belum memadai"


class Rekomendasi(models.Model):
    """A recommendation of the Inspektorat ("Agar …") for one component of an evaluation,
    and the OPD's follow-up (tindak lanjut) of it, verified by the Inspektorat. It stays open
    until verified as accepted; next year's criterion 4.c.1 is answered from these."""

    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.CASCADE, related_name="rekomendasi_set")
    komponen = models.CharField("komponen", max_length=4)  # "1".."4"
    uraian = models.TextField("rekomendasi")
    urutan = models.PositiveSmallIntegerField("urutan", default=0)
    # The OPD's follow-up.
    tindak_lanjut = models.TextField("uraian tindak lanjut", blank=True)
    tautan_bukti = models.CharField("tautan bukti di Kinerja", max_length=300, blank=True)
    berkas_bukti = models.FileField("bukti tindak lanjut", upload_to=evidence_path, blank=True)
    berkas_nama = models.CharField("nama berkas asal", max_length=255, blank=True)
    status = models.CharField(
        "status tindak lanjut",
        max_length=10,
        choices=StatusTindakLanjut.choices,
        default=StatusTindakLanjut.BELUM,
    )
    # The Inspektorat's verification of the follow-up.
    verifikasi = models.CharField(
        "verifikasi", max_length=10, choices=Verifikasi.choices, default=Verifikasi.BELUM
    )
    catatan_verifikasi = models.TextField("catatan verifikasi", blank=True)
    diverifikasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diverifikasi_pada = models.DateTimeField("diverifikasi pada", null=True, blank=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rekomendasi evaluasi"
        verbose_name_plural = "rekomendasi evaluasi"
        ordering = ["evaluasi", "komponen", "urutan", "pk"]
        constraints = [
            # Accepted only once the OPD reports it done.
            models.CheckConstraint(
                condition=~Q(verifikasi="diterima") | Q(status="selesai"),
                name="rekomendasi_diterima_selesai",
            ),
        ]

    def __str__(self) -> str:
        return self.uraian[:80]

    @property
    def terbuka(self) -> bool:
        return self.verifikasi != Verifikasi.DITERIMA


class LheVersi(models.Model):
    """A final Laporan Hasil Evaluasi: the exact bytes the Inspektur signed, with their
    hashes, and the nilai and predikat they state."""

    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.PROTECT, related_name="lhe_versi_set")
    nomor = models.PositiveSmallIntegerField("versi ke-")
    pdf = models.BinaryField("PDF")
    docx = models.BinaryField("DOCX")
    sha256_pdf = models.CharField("SHA-256 PDF", max_length=64)
    sha256_docx = models.CharField("SHA-256 DOCX", max_length=64)
    nilai = models.DecimalField("nilai", max_digits=6, decimal_places=2)
    predikat = models.CharField("predikat", max_length=4)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    dibuat_pada = models.DateTimeField("dibuat pada", auto_now_add=True)

    class Meta:
        verbose_name = "versi final LHE"
        verbose_name_plural = "versi final LHE"
        ordering = ["evaluasi", "-nomor"]
        constraints = [
            models.UniqueConstraint(fields=["evaluasi", "nomor"], name="lheversi_unique"),
        ]

    def __str__(self) -> str:
        return f"LHE {self.evaluasi} versi {self.nomor}"
