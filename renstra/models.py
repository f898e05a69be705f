"""The plan tree of an agency: OPD, bidang, Renstra period, Tujuan → Sasaran → Program →
Kegiatan → Sub-kegiatan, and the budget per program/kegiatan/sub-kegiatan per year.

Every node carries its ``periode`` directly (not only through its parent) so that any level
can be scoped to an OPD with one join; ``save()`` keeps it equal to the parent's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.fields import ValueField

from .logo import KopValidator, kop_lines, logo_upload_to, validate_logo


class YearlyRow:
    """A row that belongs to one (OPD, tahun) — target, realisasi, budget, narrative — and that
    a year lock freezes. The write services (``renstra.door``) check the lock of the year it
    is saved into and, for a stored row, of the year it is in now: moving a row out of a
    locked year is a write into that year too."""

    pk: object
    tahun: int

    if TYPE_CHECKING:
        # Each yearly model defines where its OPD and year are.
        def lock_key(self) -> tuple[int, int]: ...


class JenisPemda(models.TextChoices):
    KABUPATEN = "kabupaten", "Kabupaten"
    KOTA = "kota", "Kota"


def letterhead_fields(
    *, logo_help: str, kop_help: str, kontak_help: str
) -> tuple[models.ImageField, models.TextField, models.CharField]:
    """The letterhead a Pemda and an OPD each keep (logo, kop lines, address line): one
    shape, a help text for each owner's fallback."""
    return (
        models.ImageField(
            "logo",
            upload_to=logo_upload_to,
            blank=True,
            validators=[validate_logo],
            help_text=logo_help,
        ),
        models.TextField("kop", blank=True, validators=[KopValidator()], help_text=kop_help),
        models.CharField(
            "alamat dan kontak pada kop", max_length=300, blank=True, help_text=kontak_help
        ),
    )


class Pemda(models.Model):
    """A kabupaten/kota: it owns its OPDs, and its own plan (the RPJMD) is kept by its plan
    unit, an :class:`Opd` of kind ``pemda`` (see :class:`JenisOpd`)."""

    kode = models.CharField("kode", max_length=30, unique=True)
    nama = models.CharField("nama", max_length=120, help_text="Mis. Balangan")
    jenis = models.CharField(
        "jenis", max_length=10, choices=JenisPemda.choices, default=JenisPemda.KABUPATEN
    )
    provinsi = models.CharField("provinsi", max_length=120, blank=True)
    tempat = models.CharField(
        "tempat penandatanganan", max_length=120, blank=True, help_text="Mis. Paringin"
    )
    kepala_daerah_jabatan = models.CharField(
        "jabatan kepala daerah", max_length=60, default="Bupati"
    )
    kepala_daerah_nama = models.CharField("nama kepala daerah", max_length=200, blank=True)
    kepala_daerah_nip = models.CharField("NIP kepala daerah", max_length=40, blank=True)
    logo, kop, kop_kontak = letterhead_fields(
        logo_help="Lambang daerah untuk sampul dan kop laporan, juga laporan OPD yang tidak "
        "mengunggah logo sendiri. PNG atau JPEG, paling besar 1 MB.",
        kop_help="Baris kop laporan, satu baris per baris, mis. PEMERINTAH KABUPATEN BALANGAN. "
        "Kosong: PEMERINTAH KABUPATEN/KOTA dan nama daerah.",
        kontak_help="Alamat, telepon, surel dan laman, dicetak kecil di bawah baris kop.",
    )
    # Due dates (month and day of the year after the report year). Defaults: an OPD reports
    # to the kepala daerah within the first quarter (end of February leaves the Pemda a month
    # to consolidate); the Pemda to KemenPANRB by 31 March (Perpres 29/2014).
    tenggat_opd_bulan = models.PositiveSmallIntegerField("tenggat LAKIP OPD: bulan", default=2)
    tenggat_opd_hari = models.PositiveSmallIntegerField("tenggat LAKIP OPD: tanggal", default=28)
    tenggat_pemda_bulan = models.PositiveSmallIntegerField("tenggat LKjIP Pemda: bulan", default=3)
    tenggat_pemda_hari = models.PositiveSmallIntegerField(
        "tenggat LKjIP Pemda: tanggal", default=31
    )
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "pemerintah daerah"
        verbose_name_plural = "pemerintah daerah"
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.nama}"

    @property
    def kop_baris(self) -> list[str]:
        """The letterhead's name lines: as typed, else "PEMERINTAH KABUPATEN BALANGAN"."""
        return kop_lines(self.kop) or [f"PEMERINTAH {self.get_jenis_display()} {self.nama}".upper()]

    def clean(self) -> None:
        import datetime

        for prefix, label in (("tenggat_opd", "LAKIP OPD"), ("tenggat_pemda", "LKjIP Pemda")):
            try:
                datetime.date(
                    2024, getattr(self, f"{prefix}_bulan"), getattr(self, f"{prefix}_hari")
                )
            except (TypeError, ValueError):
                raise ValidationError(
                    {f"{prefix}_hari": f"Tanggal tenggat {label} tidak valid."}
                ) from None


class JenisOpd(models.TextChoices):
    OPD = "opd", "Perangkat daerah"
    # The Pemda's own plan unit: its Renstra period is the RPJMD, its tujuan/sasaran the
    # RPJMD's, its indicators the IKU Pemda — the same models, services and engine as an OPD.
    PEMDA = "pemda", "Pemerintah daerah (RPJMD)"


class OpdQuerySet(models.QuerySet["Opd"]):
    def select_for_update(self, *args: Any, **kwargs: Any) -> OpdQuerySet:
        # The Pemda is joined (LEFT OUTER, it may be empty), and PostgreSQL locks no row of
        # the nullable side of an outer join: a write locks the OPD's own row only.
        kwargs.setdefault("of", ("self",))
        return super().select_for_update(*args, **kwargs)


class OpdManager(models.Manager["Opd"]):
    def get_queryset(self) -> OpdQuerySet:
        # The report's cover and signature name the regency (``kabupaten``): joined, so a
        # page that loads an OPD costs no query more for it.
        return OpdQuerySet(self.model, using=self._db).select_related("pemda")


@dataclass(frozen=True)
class Penandatangan:
    jabatan: str
    nama: str
    pangkat: str
    nip: str
    nip_wajib: bool  # a civil servant's NIP; an elected kepala daerah has none


class Opd(models.Model):
    kode = models.CharField("kode", max_length=30, unique=True)
    nama = models.CharField("nama", max_length=300)
    singkatan = models.CharField("singkatan", max_length=60, blank=True)
    alamat = models.TextField("alamat", blank=True)
    pemda = models.ForeignKey(
        Pemda,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opd_set",
        verbose_name="pemerintah daerah",
    )
    jenis = models.CharField("jenis", max_length=10, choices=JenisOpd.choices, default=JenisOpd.OPD)

    objects = OpdManager()
    tempat = models.CharField(
        "tempat penandatanganan", max_length=120, blank=True, help_text="Mis. Paringin"
    )
    kepala_nama = models.CharField("nama kepala", max_length=200, blank=True)
    kepala_pangkat = models.CharField("pangkat/golongan kepala", max_length=120, blank=True)
    kepala_nip = models.CharField("NIP kepala", max_length=40, blank=True)
    logo, kop, kop_kontak = letterhead_fields(
        logo_help="Kosong: laporan memakai logo pemerintah daerah (lambang kabupaten/kota). "
        "PNG atau JPEG, paling besar 1 MB.",
        kop_help="Baris kop laporan, satu baris per baris, mis. PEMERINTAH KABUPATEN BALANGAN "
        "lalu nama OPD. Kosong: baris pertama kop pemerintah daerah lalu nama OPD.",
        kontak_help="Alamat, telepon, surel dan laman di bawah baris kop. Kosong: alamat OPD.",
    )

    class Meta:
        verbose_name = "perangkat daerah (OPD)"
        verbose_name_plural = "perangkat daerah (OPD)"
        ordering = ["kode"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda"], condition=Q(jenis="pemda"), name="opd_one_plan_unit_per_pemda"
            ),
            models.CheckConstraint(
                condition=~Q(jenis="pemda") | Q(pemda__isnull=False),
                name="opd_plan_unit_has_pemda",
            ),
        ]

    def __str__(self) -> str:
        return self.singkatan or self.kode

    @property
    def kabupaten(self) -> str:
        """The regency's name for the report's cover ("PEMERINTAH KABUPATEN BALANGAN")."""
        return self.pemda.nama if self.pemda_id else ""

    @property
    def logo_efektif(self) -> Any:
        """The logo a report prints: the OPD's own, else its Pemda's coat of arms (the usual
        practice on every OPD document); None when neither is uploaded."""
        if self.logo:
            return self.logo
        if self.pemda_id and self.pemda.logo:
            return self.pemda.logo
        return None

    @property
    def kop_baris(self) -> list[str]:
        """The letterhead's name lines: the OPD's own; the plan unit's are its Pemda's; else
        the Pemda's first line and the OPD's name."""
        own = kop_lines(self.kop)
        if own:
            return own
        region = self.pemda.kop_baris if self.pemda_id else []
        if self.is_pemda_unit:
            return region
        return [*region[:1], self.nama.upper()]

    @property
    def kop_kontak_efektif(self) -> str:
        if self.kop_kontak.strip():
            return self.kop_kontak.strip()
        if self.is_pemda_unit and self.pemda_id:
            return self.pemda.kop_kontak.strip()
        return " ".join(self.alamat.split())

    @property
    def is_pemda_unit(self) -> bool:
        return self.jenis == JenisOpd.PEMDA

    @property
    def nama_laporan(self) -> str:
        """What its yearly report is called: a Pemda's is its LKjIP, an OPD's its LAKIP."""
        return "LKjIP" if self.is_pemda_unit else "LAKIP"

    @property
    def penandatangan(self) -> Penandatangan:
        """Who signs this unit's LAKIP: the head of the OPD, or for the Pemda's plan unit (the
        LKjIP Pemda) the kepala daerah — "Bupati Balangan", who as an elected official has no
        NIP."""
        if self.is_pemda_unit and self.pemda_id:
            pemda = self.pemda
            return Penandatangan(
                jabatan=f"{pemda.kepala_daerah_jabatan} {pemda.nama}",
                nama=pemda.kepala_daerah_nama,
                pangkat="",
                nip=pemda.kepala_daerah_nip,
                nip_wajib=False,
            )
        return Penandatangan(
            jabatan=f"Kepala {self.singkatan or 'Perangkat Daerah'}",
            nama=self.kepala_nama,
            pangkat=self.kepala_pangkat,
            nip=self.kepala_nip,
            nip_wajib=True,
        )


class Bidang(models.Model):
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="bidang_set")
    kode = models.CharField("kode", max_length=30)
    nama = models.CharField("nama", max_length=300)

    class Meta:
        verbose_name = "bidang"
        verbose_name_plural = "bidang"
        ordering = ["opd", "kode"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "kode"], name="bidang_unique_kode_per_opd"),
        ]

    def __str__(self) -> str:
        return self.nama


class Eselon(models.TextChoices):
    """The three levels of a Perjanjian Kinerja berjenjang (PermenPANRB 53/2014)."""

    II = "II", "Eselon II (Kepala Dinas)"
    III = "III", "Eselon III (Kepala Bidang / Sekretaris)"
    IV = "IV", "Eselon IV (Kepala Seksi / Kepala Subbagian)"


# Who an official signs a PK with: the kepala daerah for eselon II, else an official of the
# level above.
ESELON_ATASAN: dict[str, str | None] = {
    Eselon.II: None,
    Eselon.III: Eselon.II,
    Eselon.IV: Eselon.III,
}


class Pejabat(models.Model):
    """An official (pejabat struktural) of an OPD who signs a Perjanjian Kinerja: the Kepala
    Dinas (eselon II) with the kepala daerah, a Kabid or the Sekretaris (III) with the Kepala
    Dinas for programs, a Kasi or Kasubbag (IV) with their eselon III for kegiatan.

    The active eselon II official and ``Opd.kepala_*`` are one person: the services keep them
    equal (``renstra.services``), so the LAKIP's signature and the PK never disagree."""

    opd = models.ForeignKey(
        Opd, on_delete=models.CASCADE, related_name="pejabat_set", verbose_name="OPD"
    )
    eselon = models.CharField("eselon", max_length=3, choices=Eselon.choices)
    jabatan = models.CharField(
        "jabatan", max_length=300, help_text="Mis. Kepala Bidang Pemberdayaan Perempuan"
    )
    nama = models.CharField("nama", max_length=200)
    nip = models.CharField("NIP", max_length=40)
    pangkat = models.CharField("pangkat/golongan", max_length=120, blank=True)
    bidang = models.ForeignKey(
        Bidang,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pejabat_set",
        verbose_name="unit (bidang)",
    )
    atasan = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bawahan_set",
        verbose_name="atasan langsung",
        help_text="Kosong untuk eselon III: atasannya Kepala Dinas (pejabat eselon II aktif).",
    )
    aktif = models.BooleanField("aktif", default=True)
    urutan = models.PositiveIntegerField("urutan", default=1)
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "pejabat"
        verbose_name_plural = "pejabat"
        ordering = ["opd", "eselon", "urutan", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opd", "nip"],
                name="pejabat_unique_nip_per_opd",
                violation_error_message="NIP ini sudah tercatat sebagai pejabat OPD ini.",
            ),
            models.UniqueConstraint(
                fields=["opd"],
                condition=Q(eselon="II", aktif=True),
                name="pejabat_one_active_kepala_per_opd",
                violation_error_message="OPD ini sudah mempunyai Kepala Dinas (eselon II) aktif.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} — {self.jabatan}"

    def clean(self) -> None:
        if self.bidang_id and self.opd_id and self.bidang.opd_id != self.opd_id:
            raise ValidationError({"bidang": "Bidang harus dari OPD yang sama."})
        if not "".join(self.nip.split()).isdigit():
            raise ValidationError({"nip": "NIP hanya berisi angka (spasi boleh)."})


class PeriodeRenstra(models.Model):
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="periode_set")
    tahun_awal = models.PositiveSmallIntegerField(
        "tahun awal", validators=[MinValueValidator(2000)]
    )
    tahun_akhir = models.PositiveSmallIntegerField(
        "tahun akhir", validators=[MinValueValidator(2000)]
    )
    nomor_dokumen = models.CharField("nomor dokumen", max_length=200, blank=True)
    visi = models.TextField("visi", blank=True)
    misi = models.TextField("misi", blank=True)

    class Meta:
        verbose_name = "periode Renstra"
        verbose_name_plural = "periode Renstra"
        ordering = ["opd", "-tahun_awal"]
        constraints = [
            models.UniqueConstraint(
                fields=["opd", "tahun_awal"], name="periode_unique_start_per_opd"
            ),
            models.CheckConstraint(
                condition=Q(tahun_akhir__gte=models.F("tahun_awal")),
                name="periode_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opd} {self.tahun_awal}–{self.tahun_akhir}"

    @property
    def years(self) -> range:
        return range(self.tahun_awal, self.tahun_akhir + 1)

    def clean(self) -> None:
        if self.tahun_awal and self.tahun_akhir and self.tahun_akhir < self.tahun_awal:
            raise ValidationError({"tahun_akhir": "Tahun akhir tidak boleh sebelum tahun awal."})

    def contains_year(self, tahun: int) -> bool:
        return self.tahun_awal <= tahun <= self.tahun_akhir


class Level(models.TextChoices):
    TUJUAN = "tujuan", "Tujuan"
    SASARAN = "sasaran", "Sasaran"
    PROGRAM = "program", "Program"
    KEGIATAN = "kegiatan", "Kegiatan"
    SUB_KEGIATAN = "sub_kegiatan", "Sub Kegiatan"


class Node(models.Model):
    """Fields every level of the tree shares."""

    LEVEL: ClassVar[str]
    PARENT_FIELD: ClassVar[str | None] = None

    periode = models.ForeignKey(PeriodeRenstra, on_delete=models.CASCADE, related_name="+")
    urutan = models.PositiveIntegerField("urutan", default=1)
    kode = models.CharField(
        "kode", max_length=40, blank=True, help_text="Nomenklatur Permendagri 90/2019, mis. 2.08.02"
    )
    nama = models.TextField("nama")
    bidang = models.ForeignKey(
        Bidang,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bidang penanggung jawab",
    )

    class Meta:
        abstract = True
        ordering = ["urutan", "id"]

    def __str__(self) -> str:
        prefix = f"{self.kode} " if self.kode else ""
        return f"{prefix}{self.nama}"

    @property
    def parent(self) -> Node | None:
        return getattr(self, self.PARENT_FIELD) if self.PARENT_FIELD else None

    def _chosen_parent(self) -> Node | None:
        """The parent when one is set; None while it is missing (a form posted without it,
        or with an id that names nothing), where ``parent`` raises ``RelatedObjectDoesNotExist``:
        the form then shows the field's own "required" error instead of a 500."""
        if self.PARENT_FIELD and getattr(self, f"{self.PARENT_FIELD}_id") is not None:
            return self.parent
        return None

    def sync_periode(self) -> None:
        parent = self._chosen_parent()
        if parent is not None:
            self.periode_id = parent.periode_id

    def clean_fields(self, exclude: object = None) -> None:
        # The derived period must be in place before "this field cannot be empty" is checked.
        self.sync_periode()
        super().clean_fields(exclude=exclude)  # type: ignore[arg-type]

    def save(self, *args: object, **kwargs: object) -> None:
        self.sync_periode()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        parent = self._chosen_parent()
        if self.bidang_id and self.periode_id:
            periode = parent.periode if parent is not None else self.periode
            if self.bidang.opd_id != periode.opd_id:
                raise ValidationError({"bidang": "Bidang harus dari OPD yang sama."})


class Tujuan(Node):
    LEVEL = Level.TUJUAN

    periode = models.ForeignKey(PeriodeRenstra, on_delete=models.CASCADE, related_name="tujuan_set")

    class Meta(Node.Meta):
        verbose_name = "tujuan"
        verbose_name_plural = "tujuan"


class Sasaran(Node):
    LEVEL = Level.SASARAN
    PARENT_FIELD = "tujuan"

    tujuan = models.ForeignKey(Tujuan, on_delete=models.CASCADE, related_name="sasaran_set")
    periode = models.ForeignKey(
        PeriodeRenstra, on_delete=models.CASCADE, related_name="sasaran_set", editable=False
    )

    class Meta(Node.Meta):
        verbose_name = "sasaran"
        verbose_name_plural = "sasaran"


class Program(Node):
    LEVEL = Level.PROGRAM

    # Decrees list programs apart from the sasaran they serve; the link is made later.
    sasaran = models.ForeignKey(
        Sasaran,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="program_set",
    )
    periode = models.ForeignKey(
        PeriodeRenstra, on_delete=models.CASCADE, related_name="program_set"
    )
    # The eselon III official whose Perjanjian Kinerja carries this program (set through
    # ``renstra.services.penanggung_jawab_set`` or the node's service, which check the OPD
    # and the eselon).
    penanggung_jawab = models.ForeignKey(
        Pejabat,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="program_set",
        verbose_name="pejabat penanggung jawab (eselon III)",
    )

    class Meta(Node.Meta):
        verbose_name = "program"
        verbose_name_plural = "program"

    def sync_periode(self) -> None:
        # A program added under a sasaran (admin inline) belongs to the sasaran's period.
        if self.sasaran_id and not self.periode_id:
            self.periode_id = self.sasaran.periode_id

    def clean(self) -> None:
        super().clean()
        if self.sasaran_id and self.periode_id and self.sasaran.periode_id != self.periode_id:
            raise ValidationError({"sasaran": "Sasaran harus dari periode Renstra yang sama."})


class Kegiatan(Node):
    LEVEL = Level.KEGIATAN
    PARENT_FIELD = "program"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="kegiatan_set")
    periode = models.ForeignKey(
        PeriodeRenstra, on_delete=models.CASCADE, related_name="kegiatan_set", editable=False
    )
    # The eselon IV official whose Perjanjian Kinerja carries this kegiatan.
    penanggung_jawab = models.ForeignKey(
        Pejabat,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kegiatan_set",
        verbose_name="pejabat penanggung jawab (eselon IV)",
    )

    class Meta(Node.Meta):
        verbose_name = "kegiatan"
        verbose_name_plural = "kegiatan"


class SubKegiatan(Node):
    LEVEL = Level.SUB_KEGIATAN
    PARENT_FIELD = "kegiatan"

    kegiatan = models.ForeignKey(
        Kegiatan, on_delete=models.CASCADE, related_name="sub_kegiatan_set"
    )
    periode = models.ForeignKey(
        PeriodeRenstra, on_delete=models.CASCADE, related_name="sub_kegiatan_set", editable=False
    )

    class Meta(Node.Meta):
        verbose_name = "sub kegiatan"
        verbose_name_plural = "sub kegiatan"


NODE_MODELS: dict[str, type[Node]] = {
    Level.TUJUAN: Tujuan,
    Level.SASARAN: Sasaran,
    Level.PROGRAM: Program,
    Level.KEGIATAN: Kegiatan,
    Level.SUB_KEGIATAN: SubKegiatan,
}


def exactly_one(*fields: str) -> Q:
    """A condition true when exactly one of the given nullable FKs is set."""
    condition = Q()
    for chosen in fields:
        branch = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                branch &= Q(**{f"{other}__isnull": True})
        condition |= branch
    return condition


BUDGET_NODE_FIELDS = ("program", "kegiatan", "sub_kegiatan")


class Anggaran(YearlyRow, models.Model):
    """Pagu and realisasi of one program, kegiatan or sub-kegiatan in one year (Rupiah)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="anggaran_set"
    )
    kegiatan = models.ForeignKey(
        Kegiatan, on_delete=models.CASCADE, null=True, blank=True, related_name="anggaran_set"
    )
    sub_kegiatan = models.ForeignKey(
        SubKegiatan, on_delete=models.CASCADE, null=True, blank=True, related_name="anggaran_set"
    )
    periode = models.ForeignKey(
        PeriodeRenstra, on_delete=models.CASCADE, related_name="anggaran_set", editable=False
    )
    tahun = models.PositiveSmallIntegerField("tahun")
    # The DPA in force: the perubahan (DPPA) when there is one, else the murni.
    pagu = ValueField("pagu (Rp)", max_digits=18, decimal_places=2)
    # The first DPA of the year (SIPD's ``pagumurni``); empty where no source gave it.
    pagu_murni = ValueField(
        "pagu murni (Rp)", max_digits=18, decimal_places=2, null=True, blank=True
    )
    realisasi = ValueField("realisasi (Rp)", max_digits=18, decimal_places=2, null=True, blank=True)
    # The efficiency a source document printed for this node (Tabel 3.41), kept only to be
    # checked against the engine's figure, like a reported capaian.
    efisiensi_dilaporkan = ValueField(
        "efisiensi dilaporkan (%)",
        max_digits=20,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Efisiensi yang tercetak di dokumen sumber; hanya untuk pemeriksaan selisih.",
    )
    sumber = models.CharField("sumber data", max_length=200, blank=True)
    # Optimistic locking: a write from a form or workbook showing an older version is refused.
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "anggaran"
        verbose_name_plural = "anggaran"
        ordering = ["tahun", "id"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one(*BUDGET_NODE_FIELDS), name="anggaran_exactly_one_node"
            ),
            models.CheckConstraint(condition=Q(pagu__gte=0), name="anggaran_pagu_not_negative"),
            models.CheckConstraint(
                condition=Q(pagu_murni__isnull=True) | Q(pagu_murni__gte=0),
                name="anggaran_pagu_murni_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(realisasi__isnull=True) | Q(realisasi__gte=0),
                name="anggaran_realisasi_not_negative",
            ),
            *[
                models.UniqueConstraint(
                    fields=[field, "tahun"],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"anggaran_unique_{field}_tahun",
                )
                for field in BUDGET_NODE_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"Anggaran {self.tahun} — {self.node}"

    @property
    def node(self) -> Node | None:
        return self.program or self.kegiatan or self.sub_kegiatan

    def lock_key(self) -> tuple[int, int]:
        return self.periode.opd_id, self.tahun

    def clean(self) -> None:
        nodes = [f for f in BUDGET_NODE_FIELDS if getattr(self, f"{f}_id")]
        if len(nodes) != 1:
            raise ValidationError(
                "Anggaran harus terhubung ke tepat satu program, kegiatan, atau sub kegiatan."
            )
        if self.pagu is not None and self.pagu < 0:
            raise ValidationError({"pagu": "Pagu tidak boleh negatif."})
        if self.pagu_murni is not None and self.pagu_murni < 0:
            raise ValidationError({"pagu_murni": "Pagu murni tidak boleh negatif."})
        if self.realisasi is not None and self.realisasi < 0:
            raise ValidationError({"realisasi": "Realisasi anggaran tidak boleh negatif."})

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


# The months as the budget pages and SIPD's imports name them.
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


class AnggaranBulanan(YearlyRow, models.Model):
    """The realisasi of one sub-kegiatan in one month (Rupiah), the sum of the SP2D documents
    SIPD dated in that month: the penyerapan per triwulan is read from these."""

    sub_kegiatan = models.ForeignKey(
        SubKegiatan, on_delete=models.CASCADE, related_name="anggaran_bulanan_set"
    )
    periode = models.ForeignKey(
        PeriodeRenstra,
        on_delete=models.CASCADE,
        related_name="anggaran_bulanan_set",
        editable=False,
    )
    tahun = models.PositiveSmallIntegerField("tahun")
    bulan = models.PositiveSmallIntegerField("bulan")
    realisasi = ValueField("realisasi (Rp)", max_digits=18, decimal_places=2)
    sumber = models.CharField("sumber data", max_length=200, blank=True)
    # Optimistic locking: a write from a form or file showing an older version is refused.
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "realisasi anggaran bulanan"
        verbose_name_plural = "realisasi anggaran bulanan"
        ordering = ["tahun", "bulan", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_kegiatan", "tahun", "bulan"], name="anggaranbulanan_unique"
            ),
            models.CheckConstraint(
                condition=Q(bulan__gte=1) & Q(bulan__lte=12), name="anggaranbulanan_bulan_1_12"
            ),
            models.CheckConstraint(
                condition=Q(realisasi__gte=0), name="anggaranbulanan_realisasi_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Realisasi {self.bulan}/{self.tahun} — {self.sub_kegiatan}"

    def lock_key(self) -> tuple[int, int]:
        return self.periode.opd_id, self.tahun

    def clean(self) -> None:
        if self.bulan is not None and not 1 <= self.bulan <= 12:
            raise ValidationError({"bulan": "Bulan harus 1 sampai 12."})
        if self.realisasi is not None and self.realisasi < 0:
            raise ValidationError({"realisasi": "Realisasi anggaran tidak boleh negatif."})

    def sync_periode(self) -> None:
        if self.sub_kegiatan_id is not None:
            self.periode_id = self.sub_kegiatan.periode_id

    def clean_fields(self, exclude: object = None) -> None:
        self.sync_periode()
        super().clean_fields(exclude=exclude)  # type: ignore[arg-type]

    def save(self, *args: object, **kwargs: object) -> None:
        self.sync_periode()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class AnggaranPk(YearlyRow, models.Model):
    """The budget the Perjanjian Kinerja commits to one sasaran in one year."""

    sasaran = models.ForeignKey(Sasaran, on_delete=models.CASCADE, related_name="anggaran_pk_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    jumlah = ValueField("anggaran (Rp)", max_digits=18, decimal_places=2)
    sumber = models.CharField("sumber data", max_length=200, blank=True)
    # Optimistic locking: a write from a form or workbook showing an older version is refused.
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "anggaran Perjanjian Kinerja"
        verbose_name_plural = "anggaran Perjanjian Kinerja"
        ordering = ["tahun", "sasaran__urutan"]
        constraints = [
            models.UniqueConstraint(fields=["sasaran", "tahun"], name="anggaranpk_unique"),
            models.CheckConstraint(condition=Q(jumlah__gte=0), name="anggaranpk_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Anggaran PK {self.tahun} — {self.sasaran}"

    def lock_key(self) -> tuple[int, int]:
        return self.sasaran.periode.opd_id, self.tahun


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    PERENCANA = "perencana", "Perencana"
    KABID = "kabid", "Kabid / staf bidang"
    PIMPINAN = "pimpinan", "Pimpinan"
    # Roles across the OPDs of one Pemda; their Penugasan is to the Pemda's plan unit.
    BAPPEDA = "bappeda", "Bappeda"
    INSPEKTORAT = "inspektorat", "Inspektorat"
    KEPALA_DAERAH = "kepala_daerah", "Kepala Daerah / Sekda"


class Penugasan(models.Model):
    """Where a user works: their OPD, and for bidang staff their bidang."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="penugasan"
    )
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="penugasan_set")
    bidang = models.ForeignKey(
        Bidang, on_delete=models.SET_NULL, null=True, blank=True, related_name="penugasan_set"
    )

    class Meta:
        verbose_name = "penugasan pengguna"
        verbose_name_plural = "penugasan pengguna"

    def __str__(self) -> str:
        return f"{self.user} @ {self.opd}"

    def clean(self) -> None:
        if self.bidang_id and self.opd_id and self.bidang.opd_id != self.opd_id:
            raise ValidationError({"bidang": "Bidang harus dari OPD yang sama."})


class KunciTahun(models.Model):
    """A year of an OPD locked against edits (e.g. once its LAKIP is final)."""

    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="kunci_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    alasan = models.TextField("alasan dikunci")
    dikunci_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    dikunci_pada = models.DateTimeField("dikunci pada", auto_now_add=True)
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "kunci tahun"
        verbose_name_plural = "kunci tahun"
        constraints = [
            models.UniqueConstraint(fields=["opd", "tahun"], name="kunci_unique_opd_tahun"),
        ]

    def __str__(self) -> str:
        return f"{self.opd} {self.tahun} dikunci"


class UsulanKodeDitolak(models.Model):
    """A nomenclature code the matcher proposed for one program, kegiatan or sub-kegiatan and
    the perencana refused ("Tolak usulan"): the code page no longer proposes that code for
    that node. Per node and code, so another node with the same name is still proposed it,
    and a different code (after the name is corrected) is proposed again."""

    periode = models.ForeignKey(
        PeriodeRenstra,
        on_delete=models.CASCADE,
        related_name="usulan_kode_ditolak_set",
        editable=False,
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kegiatan = models.ForeignKey(
        Kegiatan, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sub_kegiatan = models.ForeignKey(
        SubKegiatan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="sub kegiatan",
    )
    kode = models.CharField("kode yang ditolak", max_length=40)
    ditolak_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ditolak oleh",
    )
    ditolak_pada = models.DateTimeField("ditolak pada", auto_now_add=True)

    class Meta:
        verbose_name = "usulan kode yang ditolak"
        verbose_name_plural = "usulan kode yang ditolak"
        ordering = ["periode", "id"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one(*BUDGET_NODE_FIELDS), name="usulankodeditolak_one_node"
            ),
            *(
                models.UniqueConstraint(
                    fields=[node, "kode"], name=f"usulankodeditolak_unique_{node}"
                )
                for node in BUDGET_NODE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kode} untuk {self.node}"

    @property
    def tingkat(self) -> str:
        return next(f for f in BUDGET_NODE_FIELDS if getattr(self, f"{f}_id"))

    @property
    def node(self) -> Node:
        node: Node = getattr(self, self.tingkat)
        return node

    @property
    def tingkat_label(self) -> str:
        return str(type(self.node)._meta.verbose_name).capitalize()


class DataVersion(models.Model):
    """A version raised after every committed write to what it scopes (renstra.versions): an
    OPD's pages (``opd:<id>``), a Pemda's figures (``pemda:<id>``), a user's identity
    (``user:<id>``) or everything (``all``). A page is kept under the versions it was computed
    at, so a write is never shown stale and nothing needs invalidating."""

    scope = models.CharField("lingkup", max_length=40, unique=True)
    n = models.BigIntegerField("versi data", default=0)

    class Meta:
        verbose_name = "versi data"
        verbose_name_plural = "versi data"

    def __str__(self) -> str:
        return f"{self.scope} {self.n}"


class StatusTautan(models.TextChoices):
    DIAJUKAN = "diajukan", "Diajukan"
    DITERIMA = "diterima", "Diterima"
    DITOLAK = "ditolak", "Ditolak"


class TautanRpjmd(models.Model):
    """Cascading: an OPD sasaran (or program) supports an RPJMD sasaran. The OPD's perencana
    proposes the link, Bappeda accepts or refuses it (with a reason)."""

    sasaran = models.OneToOneField(
        Sasaran,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tautan_rpjmd",
        verbose_name="sasaran OPD",
    )
    program = models.OneToOneField(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tautan_rpjmd",
        verbose_name="program OPD",
    )
    sasaran_rpjmd = models.ForeignKey(
        Sasaran, on_delete=models.CASCADE, related_name="tautan_masuk", verbose_name="sasaran RPJMD"
    )
    status = models.CharField(
        "status", max_length=10, choices=StatusTautan.choices, default=StatusTautan.DIAJUKAN
    )
    alasan = models.TextField("alasan penolakan", blank=True)
    diajukan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diputuskan_pada = models.DateTimeField("diputuskan pada", null=True, blank=True)
    diajukan_pada = models.DateTimeField("diajukan pada", null=True, blank=True)
    # Why this OPD node supports that RPJMD sasaran, as the proposer states it (a document and
    # its pages, a misi): a reader of the pohon kinerja sees the ground of every link, also
    # where the link is not obvious from the two names.
    dasar = models.CharField(
        "dasar tautan",
        max_length=500,
        blank=True,
        help_text="Sumber atau alasan tautan, mis. dokumen dan halamannya.",
    )
    versi = models.PositiveIntegerField("versi", default=1, editable=False)
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "tautan ke sasaran RPJMD"
        verbose_name_plural = "tautan ke sasaran RPJMD"
        ordering = ["sasaran_rpjmd", "id"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("sasaran", "program"), name="tautan_exactly_one_node"
            ),
            models.CheckConstraint(
                condition=~Q(status="ditolak") | ~Q(alasan=""), name="tautan_refusal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node} → {self.sasaran_rpjmd}"

    @property
    def node(self) -> Sasaran | Program | None:
        return self.sasaran if self.sasaran_id else self.program

    @property
    def opd_id(self) -> int | None:
        node = self.node
        return node.periode.opd_id if node is not None else None
