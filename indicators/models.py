"""Indicator definitions, targets, realisations, ordinal scales and supporting data.

Capaian is never stored or typed in: it is computed by ``indicators.engine`` from what is
stored here. The only capaian kept is the one a source document *reported*, for checking.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.fields import ValueField
from renstra.models import (
    Bidang,
    Kegiatan,
    Level,
    Node,
    Opd,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
    YearlyRow,
    exactly_one,
)
from renstra.tree import effective_bidang_id

from . import engine

NODE_FIELDS = ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")


class Jenis(models.TextChoices):
    IKU = "IKU", "IKU (Indikator Kinerja Utama)"
    IK = "IK", "IK (Indikator Kinerja)"


class Frekuensi(models.TextChoices):
    TRIWULANAN = "triwulanan", "Tahunan dan triwulanan"
    TAHUNAN = "tahunan", "Tahunan saja"


class IndikatorQuerySet(models.QuerySet["Indikator"]):
    def for_opd(self, opd: Opd | int) -> IndikatorQuerySet:
        return self.filter(periode__opd=opd)

    def with_tree(self) -> IndikatorQuerySet:
        """Join every ancestor a display of the indicator's path needs, in one query."""
        return self.select_related(
            "periode__opd",
            "bidang",
            "tujuan__bidang",
            "sasaran__tujuan__bidang",
            "sasaran__bidang",
            "program__sasaran__tujuan",
            "program__bidang",
            "kegiatan__program__sasaran__tujuan",
            "kegiatan__program__bidang",
            "kegiatan__bidang",
            "sub_kegiatan__kegiatan__program__sasaran__tujuan",
            "sub_kegiatan__kegiatan__program__bidang",
            "sub_kegiatan__kegiatan__bidang",
            "sub_kegiatan__bidang",
        )

    def with_node(self) -> IndikatorQuerySet:
        """The indicator's own node (its level and code) joined and its period and OPD read
        once each (two queries, one object per OPD, not one per indicator), not the path
        above the node: for reads of many indicators' figures (the API's capaian)."""
        return self.select_related(*NODE_FIELDS).prefetch_related("periode__opd")


class Indikator(models.Model):
    tujuan = models.ForeignKey(
        Tujuan, on_delete=models.CASCADE, null=True, blank=True, related_name="indikator_set"
    )
    sasaran = models.ForeignKey(
        Sasaran, on_delete=models.CASCADE, null=True, blank=True, related_name="indikator_set"
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="indikator_set"
    )
    kegiatan = models.ForeignKey(
        Kegiatan, on_delete=models.CASCADE, null=True, blank=True, related_name="indikator_set"
    )
    sub_kegiatan = models.ForeignKey(
        SubKegiatan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indikator_set",
        verbose_name="sub kegiatan",
    )
    # Denormalised from the node so "all indicators of an OPD" is one join, not five.
    periode = models.ForeignKey(
        PeriodeRenstra, on_delete=models.CASCADE, related_name="indikator_set", editable=False
    )
    urutan = models.PositiveIntegerField("urutan", default=1)
    nama = models.TextField("nama indikator")
    satuan = models.CharField("satuan", max_length=80, blank=True)
    # How many decimals every table shows for this indicator's targets and realisasi: from the
    # decree when it says so, otherwise inferred from the values (counts 0, indices as
    # published). Display only; stored values and the JSON stay exact.
    desimal = models.PositiveSmallIntegerField(
        "jumlah desimal",
        null=True,
        blank=True,
        validators=[MaxValueValidator(6)],
        help_text="Angka di belakang koma pada tabel (0–6). Kosongkan agar disimpulkan dari "
        "nilainya: hitungan 0, indeks seperti dipublikasikan.",
    )
    jenis = models.CharField("jenis", max_length=3, choices=Jenis.choices, default=Jenis.IK)
    polaritas = models.CharField(
        "polaritas",
        max_length=7,
        choices=engine.choices(engine.Polarity),
        default=engine.Polarity.POSITIF,
    )
    metode_negatif = models.CharField(
        "rumus capaian indikator negatif",
        max_length=4,
        choices=engine.choices(engine.NegativeMethod),
        default=engine.NegativeMethod.TWO_T_MINUS_R,
    )
    frekuensi = models.CharField(
        "frekuensi pelaporan",
        max_length=10,
        choices=Frekuensi.choices,
        default=Frekuensi.TRIWULANAN,
    )
    akumulasi = models.CharField(
        "akumulasi triwulan ke tahunan",
        max_length=6,
        choices=engine.choices(engine.Accumulation),
        default=engine.Accumulation.AKHIR,
    )
    baseline_nilai = ValueField(
        "nilai baseline", null=True, blank=True, max_digits=20, decimal_places=6
    )
    baseline_tahun = models.PositiveSmallIntegerField("tahun baseline", null=True, blank=True)
    makna = models.TextField("makna indikator", blank=True)
    alasan = models.TextField("alasan pemilihan indikator", blank=True)
    formulasi = models.TextField("formulasi perhitungan", blank=True)
    referensi = models.TextField("sumber/referensi indikator", blank=True)
    sumber_data = models.TextField("sumber data", blank=True)
    penanggung_jawab = models.TextField("penanggung jawab (teks keputusan)", blank=True)
    bidang = models.ForeignKey(
        Bidang,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indikator_set",
        verbose_name="bidang penanggung jawab",
        help_text="Kosongkan untuk mengikuti bidang program/kegiatan.",
    )
    sumber = models.CharField("sumber (dokumen/baris)", max_length=200, blank=True)
    # What an import inferred rather than read (polarity from "rasio kekerasan", satuan from
    # "Persentase …", a formula from the formulasi text): each line starts "periksa:" so the
    # planner confirms or corrects it.
    periksa = models.TextField("catatan periksa (hasil impor)", blank=True)
    # Optimistic locking: a write from a form or workbook showing an older version is refused.
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords()

    objects = IndikatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikator"
        ordering = ["periode", "urutan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one(*NODE_FIELDS), name="indikator_exactly_one_node"
            ),
        ]

    def __str__(self) -> str:
        return self.nama

    @property
    def node(self) -> Node | None:
        for field in NODE_FIELDS:
            if getattr(self, f"{field}_id"):
                node: Node = getattr(self, field)
                return node
        return None

    @property
    def level(self) -> str | None:
        for field in NODE_FIELDS:
            if getattr(self, f"{field}_id"):
                return str(Level(field))
        return None

    @property
    def effective_bidang_id(self) -> int | None:
        """The bidang responsible: the indicator's own, else the nearest node up the tree."""
        return effective_bidang_id(self.bidang_id, self.node)

    @property
    def effective_bidang(self) -> Bidang | None:
        """As :attr:`effective_bidang_id`, the row (joined by ``with_tree``)."""
        if self.bidang_id:
            return self.bidang
        node = self.node
        while node is not None:
            if node.bidang_id:
                return node.bidang
            node = node.parent
        return None

    def clean(self) -> None:
        chosen = [f for f in NODE_FIELDS if getattr(self, f"{f}_id")]
        if len(chosen) != 1:
            raise ValidationError(
                "Indikator harus melekat pada tepat satu tujuan, sasaran, program, "
                "kegiatan, atau sub kegiatan."
            )
        if self.jenis == Jenis.IKU and chosen[0] not in ("tujuan", "sasaran"):
            raise ValidationError({"jenis": "IKU hanya untuk indikator tujuan atau sasaran."})
        if self.bidang_id:
            node = self.node
            assert node is not None
            if self.bidang.opd_id != node.periode.opd_id:
                raise ValidationError({"bidang": "Bidang harus dari OPD yang sama."})

    def sync_periode(self) -> None:
        node = self.node
        if node is not None:
            self.periode_id = node.periode_id

    def clean_fields(self, exclude: object = None) -> None:
        self.sync_periode()
        super().clean_fields(exclude=exclude)  # type: ignore[arg-type]

    def save(self, *args: object, **kwargs: object) -> None:
        self.sync_periode()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class JenisTarget(models.TextChoices):
    RENSTRA = "renstra", "Renstra"
    PK = "pk", "Perjanjian Kinerja"
    PK_PERUBAHAN = "pk_perubahan", "PK Perubahan"


# Later kinds supersede earlier ones for the same year.
TARGET_PRECEDENCE = (JenisTarget.PK_PERUBAHAN, JenisTarget.PK, JenisTarget.RENSTRA)


def effective_targets(targets: Iterable[Target]) -> dict[tuple[int, int], Target]:
    """Map (indikator_id, tahun) to the effective target: latest PK revision, else Renstra."""
    rank = {kind: i for i, kind in enumerate(TARGET_PRECEDENCE)}
    chosen: dict[tuple[int, int], Target] = {}
    for target in targets:
        key = (target.indikator_id, target.tahun)
        current = chosen.get(key)
        if current is None or rank[JenisTarget(target.jenis)] < rank[JenisTarget(current.jenis)]:
            chosen[key] = target
    return chosen


class TargetQuerySet(models.QuerySet["Target"]):
    def effective(self) -> dict[tuple[int, int], Target]:
        """Map (indikator_id, tahun) to the effective target: latest PK revision, else Renstra."""
        return effective_targets(self)


class Target(YearlyRow, models.Model):
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="target_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    jenis = models.CharField(
        "jenis target", max_length=12, choices=JenisTarget.choices, default=JenisTarget.RENSTRA
    )
    nilai = ValueField("nilai", null=True, blank=True, max_digits=20, decimal_places=6)
    nilai_teks = models.CharField(
        "nilai teks",
        max_length=120,
        blank=True,
        help_text="Untuk target kualitatif (mis. WTP, BB) atau rentang (mis. 2,30–2,35).",
    )
    sumber = models.CharField("sumber (dokumen/baris)", max_length=200, blank=True)
    # Optimistic locking: a write from a form or workbook showing an older version is refused.
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords()

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "target"
        verbose_name_plural = "target"
        ordering = ["indikator", "tahun", "jenis"]
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "tahun", "jenis"], name="target_unique_indikator_tahun_jenis"
            ),
            models.CheckConstraint(
                condition=Q(nilai__isnull=False) | ~Q(nilai_teks=""),
                name="target_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.tahun}: {self.display_value}"

    @property
    @admin.display(description="nilai")
    def display_value(self) -> str:
        from common.numbers import format_number, natural_places

        if self.nilai is not None:
            return format_number(self.nilai, places=natural_places(self.nilai))
        return self.nilai_teks

    @property
    def engine_value(self) -> Decimal | str | None:
        return self.nilai if self.nilai is not None else (self.nilai_teks or None)

    def lock_key(self) -> tuple[int, int]:
        return self.indikator.periode.opd_id, self.tahun

    def clean(self) -> None:
        if self.nilai is None and not self.nilai_teks.strip():
            raise ValidationError("Isi nilai target (angka) atau nilai teks.")


class Periode(models.TextChoices):
    TAHUNAN = "tahunan", "Tahunan"
    TW1 = "tw1", "Triwulan I"
    TW2 = "tw2", "Triwulan II"
    TW3 = "tw3", "Triwulan III"
    TW4 = "tw4", "Triwulan IV"


QUARTERS = (Periode.TW1, Periode.TW2, Periode.TW3, Periode.TW4)
# How a realisasi marked not available is shown in every page and table.
NOT_AVAILABLE = "tidak tersedia"
# Realisasi of years before the Renstra period (the series an LKjIP compares with, taken from
# earlier LKjIPs): at most one earlier period of five years — an RPJMD/Renstra is five years,
# and the "perbandingan dengan tahun sebelumnya" tables reach back no further. They are the
# planners' record of history, not a bidang's report: perencana (and admin) only.
PRE_PERIOD_YEARS = 5


def evidence_path(instance: Realisasi, filename: str) -> str:
    from .evidence import random_evidence_name

    return random_evidence_name("bukti", filename)


class Realisasi(YearlyRow, models.Model):
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="realisasi_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    periode = models.CharField(
        "periode", max_length=8, choices=Periode.choices, default=Periode.TAHUNAN
    )
    nilai = ValueField("nilai", null=True, blank=True, max_digits=20, decimal_places=6)
    nilai_teks = models.CharField("nilai teks", max_length=120, blank=True)
    # "Not available" is a statement, not a missing value: the kabid (or an old LKjIP) says the
    # figure does not exist yet (BPS has not released it) and why. The engine counts it as no
    # data — capaian None, never 0 — and the pages show it as reported, not as late.
    tidak_tersedia = models.BooleanField("tidak tersedia", default=False)
    alasan_tidak_tersedia = models.TextField(
        "alasan tidak tersedia",
        blank=True,
        help_text="Wajib bila realisasi tidak tersedia (mis. data BPS belum rilis).",
    )
    analisis = models.TextField("analisis", blank=True)
    hambatan = models.TextField("hambatan", blank=True)
    tindak_lanjut = models.TextField("tindak lanjut", blank=True)
    capaian_dilaporkan = ValueField(
        "capaian dilaporkan (%)",
        null=True,
        blank=True,
        max_digits=20,
        decimal_places=6,
        help_text="Capaian yang tercetak di dokumen sumber; hanya untuk pemeriksaan selisih.",
    )
    capaian_akhir_dilaporkan = ValueField(
        "capaian terhadap target akhir Renstra dilaporkan (%)",
        null=True,
        blank=True,
        max_digits=20,
        decimal_places=6,
        help_text="Capaian terhadap target akhir periode yang tercetak di dokumen sumber (mis. "
        "Tabel 3.12/3.14); hanya untuk pemeriksaan selisih.",
    )
    kategori_dilaporkan = models.CharField("kategori dilaporkan", max_length=40, blank=True)
    bukti = models.FileField("bukti dukung", upload_to=evidence_path, blank=True)
    bukti_nama = models.CharField("nama berkas asli", max_length=255, blank=True)
    diisi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="diisi oleh",
    )
    diisi_pada = models.DateTimeField("diisi pada", auto_now=True)
    # Optimistic locking: a save from a form showing an older version is refused.
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    sumber = models.CharField("sumber (dokumen/baris)", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "realisasi"
        verbose_name_plural = "realisasi"
        ordering = ["indikator", "tahun", "periode"]
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "tahun", "periode"],
                name="realisasi_unique_indikator_tahun_periode",
            ),
            # Not available: the annual row only, with no value and a reason.
            models.CheckConstraint(
                condition=Q(tidak_tersedia=False)
                | (
                    Q(periode="tahunan", nilai__isnull=True, nilai_teks="")
                    & ~Q(alasan_tidak_tersedia="")
                ),
                name="realisasi_tidak_tersedia_without_value_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Realisasi {self.tahun} {self.get_periode_display()}: {self.display_value}"

    @property
    @admin.display(description="nilai")
    def display_value(self) -> str:
        from common.numbers import format_number, natural_places

        if self.tidak_tersedia:
            return NOT_AVAILABLE
        if self.nilai is not None:
            return format_number(self.nilai, places=natural_places(self.nilai))
        return self.nilai_teks or "–"

    @property
    def engine_value(self) -> Decimal | str | None:
        return self.nilai if self.nilai is not None else (self.nilai_teks or None)

    @property
    def unavailable_reason(self) -> str | None:
        """The reason when the realisasi is marked not available; ``None`` otherwise."""
        return self.alasan_tidak_tersedia if self.tidak_tersedia else None

    def lock_key(self) -> tuple[int, int]:
        return self.indikator.periode.opd_id, self.tahun


class Pembanding(YearlyRow, models.Model):
    """A comparison value for the same indicator elsewhere (another regency, province…)."""

    indikator = models.ForeignKey(
        Indikator, on_delete=models.CASCADE, related_name="pembanding_set"
    )
    tahun = models.PositiveSmallIntegerField("tahun")
    wilayah = models.CharField("wilayah", max_length=200)
    nilai = ValueField("nilai", max_digits=20, decimal_places=6)
    sumber = models.CharField("sumber", max_length=200, blank=True)

    class Meta:
        verbose_name = "nilai pembanding"
        verbose_name_plural = "nilai pembanding"
        ordering = ["indikator", "tahun", "wilayah"]
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "tahun", "wilayah"], name="pembanding_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wilayah} {self.tahun}"

    def lock_key(self) -> tuple[int, int]:
        return self.indikator.periode.opd_id, self.tahun


class DataPendukung(YearlyRow, models.Model):
    """A small supporting table the LAKIP shows beside an indicator (desa status, CPR…)."""

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="data_pendukung_set")
    tahun = models.PositiveSmallIntegerField("tahun laporan")
    kode = models.SlugField("kode", max_length=60)
    judul = models.CharField("judul", max_length=300)
    indikator = models.ForeignKey(
        Indikator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_pendukung_set",
    )
    kolom = models.JSONField("kolom", default=list)
    # [{"label": str, "nilai": [str | None, ...]}]: values stay strings so they round-trip
    # exactly and may be text (the aspek strategis table is prose).
    baris = models.JSONField("baris", default=list)
    urutan = models.PositiveIntegerField("urutan", default=1)
    sumber = models.CharField("sumber", max_length=200, blank=True)

    class Meta:
        verbose_name = "data pendukung"
        verbose_name_plural = "data pendukung"
        ordering = ["opd", "tahun", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "tahun", "kode"], name="data_pendukung_unique"),
        ]

    def __str__(self) -> str:
        return self.judul

    def lock_key(self) -> tuple[int, int]:
        return self.opd_id, self.tahun

    def clean(self) -> None:
        if not isinstance(self.kolom, list) or not all(isinstance(c, str) for c in self.kolom):
            raise ValidationError({"kolom": "Kolom harus berupa daftar teks."})
        if not isinstance(self.baris, list):
            raise ValidationError({"baris": "Baris harus berupa daftar."})
        for i, row in enumerate(self.baris, start=1):
            values = row.get("nilai") if isinstance(row, dict) else None
            if not isinstance(values, list) or len(values) != len(self.kolom):
                raise ValidationError(
                    {"baris": f"Baris {i}: jumlah nilai harus sama dengan jumlah kolom."}
                )


class Skala(models.Model):
    """An ordinal scale of capaian bands (kategori). Scales are data, not code."""

    # Codes name a version too ("lakip-3.2"), so a dot is allowed beside a slug's letters.
    kode = models.CharField(
        "kode",
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(
                r"^[-a-z0-9_.]+$",
                "Kode hanya huruf kecil, angka, titik, garis bawah, tanda hubung.",
            )
        ],
    )
    nama = models.CharField("nama", max_length=200)
    versi = models.CharField("versi", max_length=20, default="1")
    dasar_hukum = models.CharField("dasar hukum", max_length=200, blank=True)
    bawaan = models.BooleanField("skala bawaan", default=False)

    class Meta:
        verbose_name = "skala kategori"
        verbose_name_plural = "skala kategori"
        ordering = ["kode"]
        constraints = [
            models.UniqueConstraint(
                fields=["bawaan"], condition=Q(bawaan=True), name="skala_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.nama


class SkalaBand(models.Model):
    skala = models.ForeignKey(Skala, on_delete=models.CASCADE, related_name="band_set")
    urutan = models.PositiveSmallIntegerField("urutan")
    label = models.CharField("kategori", max_length=60)
    batas_bawah = ValueField("batas bawah", max_digits=12, decimal_places=4, null=True, blank=True)
    bawah_inklusif = models.BooleanField("batas bawah termasuk", default=False)
    batas_atas = ValueField("batas atas", max_digits=12, decimal_places=4, null=True, blank=True)
    atas_inklusif = models.BooleanField("batas atas termasuk", default=True)
    warna = models.CharField("warna", max_length=7, default="#888888")

    class Meta:
        verbose_name = "rentang kategori"
        verbose_name_plural = "rentang kategori"
        ordering = ["skala", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["skala", "urutan"], name="skalaband_unique_urutan"),
        ]

    def __str__(self) -> str:
        return self.label


class PengaturanOpd(models.Model):
    """Per-OPD computation settings: which scale and which efficiency method."""

    opd = models.OneToOneField(Opd, on_delete=models.CASCADE, related_name="pengaturan")
    skala = models.ForeignKey(Skala, on_delete=models.PROTECT, related_name="+")
    metode_efisiensi = models.CharField(
        "metode efisiensi",
        max_length=20,
        choices=engine.choices(engine.EfficiencyMethod),
        default=engine.EfficiencyMethod.RASIO,
    )
    # The aggregate rule (engine.aggregate): each indicator's capaian is bounded to this range
    # before a sasaran, program or the agency is averaged.
    agregat_batas_bawah = models.DecimalField(
        "batas bawah capaian dalam rata-rata (%)",
        max_digits=9,
        decimal_places=2,
        default=engine.DEFAULT_AGGREGATE_BOUNDS[0],
    )
    agregat_batas_atas = models.DecimalField(
        "batas atas capaian dalam rata-rata (%)",
        max_digits=9,
        decimal_places=2,
        default=engine.DEFAULT_AGGREGATE_BOUNDS[1],
    )
    # A mean of 2 IKU out of 5 is no verdict on the year: the headline kategori waits until
    # this many IKU with a target have data (empty: all of them).
    agregat_minimal_iku = models.PositiveSmallIntegerField(
        "IKU berdata minimal untuk kategori",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Kosongkan: kategori capaian IKU tampil setelah semua IKU bertarget berdata.",
    )

    class Meta:
        verbose_name = "pengaturan perhitungan OPD"
        verbose_name_plural = "pengaturan perhitungan OPD"
        constraints = [
            models.CheckConstraint(
                condition=Q(agregat_batas_bawah__lt=models.F("agregat_batas_atas")),
                name="pengaturanopd_agregat_bawah_lt_atas",
            ),
        ]

    def __str__(self) -> str:
        return f"Pengaturan {self.opd}"

    @property
    def aggregate_bounds(self) -> engine.Bounds:
        return (Decimal(self.agregat_batas_bawah), Decimal(self.agregat_batas_atas))

    def clean(self) -> None:
        try:
            engine.validate_bounds(self.aggregate_bounds)
        except engine.BoundsError as exc:
            raise ValidationError({"agregat_batas_atas": str(exc)}) from exc


# --- the formula as data ------------------------------------------------------------------------


class Rumus(models.Model):
    """How an indicator's realisasi is computed from its components (``indicators.formula``).

    An indicator without one keeps direct entry of the realisasi. A formula read from the
    decree's text is a suggestion (``dikonfirmasi`` False, with a "periksa" note) until the
    planner confirms it in the admin."""

    indikator = models.OneToOneField(Indikator, on_delete=models.CASCADE, related_name="rumus")
    operator = models.CharField(
        "operator",
        max_length=12,
        choices=[(o.value, o.label) for o in engine.Operator],
        default=engine.Operator.RASIO,
    )
    faktor = ValueField(
        "faktor pengali",
        max_digits=20,
        decimal_places=6,
        default=Decimal(100),
        help_text="100 untuk persentase, 1 untuk rasio biasa; rumus per 100.000 memakai 100.000.",
    )
    teks = models.TextField("teks formulasi asal", blank=True)
    catatan = models.TextField("catatan (periksa)", blank=True)
    dikonfirmasi = models.BooleanField("dikonfirmasi perencana", default=False)
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rumus indikator"
        verbose_name_plural = "rumus indikator"

    def __str__(self) -> str:
        return f"Rumus {self.indikator}"

    def engine_formula(self, components: Iterable[Komponen] | None = None) -> engine.Formula:
        rows = list(components) if components is not None else list(self.komponen_set.all())
        return engine.Formula(
            operator=engine.Operator(self.operator),
            components=tuple(k.engine_component for k in rows),
            factor=Decimal(self.faktor),
        )


class Komponen(models.Model):
    """One named part of a formula: "jumlah desa maju" (pembilang), "jumlah desa" (penyebut)."""

    rumus = models.ForeignKey(Rumus, on_delete=models.CASCADE, related_name="komponen_set")
    urutan = models.PositiveSmallIntegerField("urutan", default=1)
    nama = models.CharField("nama komponen", max_length=200)
    peran = models.CharField(
        "peran",
        max_length=10,
        choices=[(r.value, r.label) for r in engine.ComponentRole],
    )
    satuan = models.CharField("satuan", max_length=80, blank=True)
    sumber_data = models.CharField("sumber data", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "komponen rumus"
        verbose_name_plural = "komponen rumus"
        ordering = ["rumus", "urutan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rumus", "nama"], name="komponen_unique_nama"),
        ]

    def __str__(self) -> str:
        return self.nama

    @property
    def engine_component(self) -> engine.Component:
        return engine.Component(
            nama=self.nama,
            peran=engine.ComponentRole(self.peran),
            satuan=self.satuan,
            sumber_data=self.sumber_data,
        )


def component_evidence_path(instance: NilaiKomponen, filename: str) -> str:
    from .evidence import random_evidence_name

    return random_evidence_name("bukti/komponen", filename)


class NilaiKomponen(YearlyRow, models.Model):
    """A component's value for a year (or a triwulan), with its source and evidence."""

    komponen = models.ForeignKey(Komponen, on_delete=models.CASCADE, related_name="nilai_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    periode = models.CharField(
        "periode", max_length=8, choices=Periode.choices, default=Periode.TAHUNAN
    )
    nilai = ValueField("nilai", max_digits=20, decimal_places=6)
    sumber = models.CharField("sumber", max_length=300, blank=True)
    bukti = models.FileField("bukti dukung", upload_to=component_evidence_path, blank=True)
    bukti_nama = models.CharField("nama berkas asli", max_length=255, blank=True)
    diisi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="diisi oleh",
    )
    diisi_pada = models.DateTimeField("diisi pada", auto_now=True)
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "nilai komponen"
        verbose_name_plural = "nilai komponen"
        ordering = ["komponen", "tahun", "periode"]
        constraints = [
            models.UniqueConstraint(
                fields=["komponen", "tahun", "periode"], name="nilaikomponen_unique"
            ),
        ]

    def __str__(self) -> str:
        from common.numbers import format_exact

        return (
            f"{self.komponen} {self.tahun} {self.get_periode_display()}: {format_exact(self.nilai)}"
        )

    def lock_key(self) -> tuple[int, int]:
        return self.komponen.rumus.indikator.periode.opd_id, self.tahun


class TargetTriwulan(YearlyRow, models.Model):
    """Rencana aksi (PermenPANRB 53/2014): the target of one triwulan beside the annual one.

    On the basis of the indicator's accumulation rule: ``jumlah`` indicators take each
    quarter's own target (they add up to the year), ``akhir`` and ``rata`` the level expected
    at the end of the quarter. The quarterly capaian compares it with that quarter's
    realisasi (``engine.compute_quarterly``)."""

    indikator = models.ForeignKey(
        Indikator, on_delete=models.CASCADE, related_name="target_triwulan_set"
    )
    tahun = models.PositiveSmallIntegerField("tahun")
    periode = models.CharField(
        "triwulan",
        max_length=8,
        choices=[(q.value, q.label) for q in QUARTERS],
    )
    nilai = ValueField("nilai", max_digits=20, decimal_places=6)
    sumber = models.CharField("sumber (dokumen/baris)", max_length=200, blank=True)
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "target triwulan (rencana aksi)"
        verbose_name_plural = "target triwulan (rencana aksi)"
        ordering = ["indikator", "tahun", "periode"]
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "tahun", "periode"], name="targettriwulan_unique"
            ),
        ]

    def __str__(self) -> str:
        from common.numbers import format_exact

        return f"Target {self.get_periode_display()} {self.tahun}: {format_exact(self.nilai)}"

    def lock_key(self) -> tuple[int, int]:
        return self.indikator.periode.opd_id, self.tahun
