"""What the API answers and accepts: the schema (drf-spectacular) is generated from these."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from indicators.models import Indikator, JenisTarget, Periode, Realisasi, Target
from renstra.models import Anggaran, Opd, Pemda, PeriodeRenstra


def indicator_code(ind: Indikator) -> str:
    """An indicator's code for ``id_scheme=code``: OPD / level / node code / order. Kinerja
    gives indicators no code of their own; this one is stable while the plan is."""
    node = ind.node
    node_code = (node.kode or f"#{node.pk}") if node is not None else "-"
    return f"{ind.periode.opd.kode}/{ind.level or '-'}/{node_code}/{ind.urutan}"


class PemdaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pemda
        fields = ["id", "kode", "nama", "jenis", "provinsi"]


class OpdSerializer(serializers.ModelSerializer):
    pemda = serializers.SlugRelatedField(slug_field="kode", read_only=True, allow_null=True)

    class Meta:
        model = Opd
        fields = ["id", "kode", "nama", "singkatan", "jenis", "pemda"]


class PeriodeSerializer(serializers.ModelSerializer):
    opd = serializers.SlugRelatedField(slug_field="kode", read_only=True)

    class Meta:
        model = PeriodeRenstra
        fields = ["id", "opd", "tahun_awal", "tahun_akhir", "nomor_dokumen"]


class NodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.CharField()
    kode = serializers.CharField()
    nama = serializers.CharField()
    induk = serializers.IntegerField(allow_null=True, help_text="id simpul induk")
    periode = serializers.IntegerField(source="periode_id")
    bidang = serializers.IntegerField(source="bidang_id", allow_null=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        parent = instance.parent
        return {
            "id": instance.pk,
            "level": self.context["level"],
            "kode": instance.kode,
            "nama": instance.nama,
            "induk": parent.pk if parent is not None else None,
            "periode": instance.periode_id,
            "bidang": instance.bidang_id,
        }


class IndikatorSerializer(serializers.ModelSerializer):
    kode = serializers.SerializerMethodField()
    opd = serializers.CharField(source="periode.opd.kode")
    level = serializers.CharField(allow_null=True)
    simpul = serializers.SerializerMethodField(help_text="id simpul pohon kinerja")

    class Meta:
        model = Indikator
        fields = [
            "id",
            "kode",
            "opd",
            "periode",
            "level",
            "simpul",
            "nama",
            "satuan",
            "desimal",
            "jenis",
            "polaritas",
            "metode_negatif",
            "frekuensi",
            "akumulasi",
            "baseline_tahun",
            "makna",
            "alasan",
            "formulasi",
            "referensi",
            "sumber_data",
            "penanggung_jawab",
            "bidang",
            "versi",
        ]

    def get_kode(self, obj: Indikator) -> str:
        return indicator_code(obj)

    def get_simpul(self, obj: Indikator) -> int | None:
        node = obj.node
        return node.pk if node is not None else None


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "indikator", "tahun", "jenis", "nilai", "nilai_teks", "sumber", "versi"]


class RealisasiSerializer(serializers.ModelSerializer):
    diisi_oleh = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Realisasi
        fields = [
            "id",
            "indikator",
            "tahun",
            "periode",
            "nilai",
            "nilai_teks",
            "tidak_tersedia",
            "alasan_tidak_tersedia",
            "analisis",
            "sumber",
            "diisi_oleh",
            "diisi_pada",
            "versi",
        ]


class AnggaranSerializer(serializers.ModelSerializer):
    """A program's, kegiatan's or sub-kegiatan's pagu and realisasi in one year (Rupiah), with
    the node it belongs to (its level, nomenclature code and name)."""

    opd = serializers.SerializerMethodField()
    level = serializers.SerializerMethodField()
    simpul = serializers.SerializerMethodField(help_text="id simpul pohon (lihat /pohon/)")
    kode = serializers.SerializerMethodField(help_text="kode nomenklatur simpul")
    nama = serializers.SerializerMethodField()

    class Meta:
        model = Anggaran
        fields = ["id", "opd", "level", "simpul", "kode", "nama", "tahun", "pagu", "realisasi",
                  "sumber", "versi"]  # fmt: skip

    def get_opd(self, obj: Anggaran) -> str:
        return str(obj.periode.opd.kode)

    def get_level(self, obj: Anggaran) -> str:
        node = obj.node
        return str(node.LEVEL) if node is not None else ""

    def get_simpul(self, obj: Anggaran) -> int | None:
        node = obj.node
        return int(node.pk) if node is not None else None

    def get_kode(self, obj: Anggaran) -> str:
        node = obj.node
        return node.kode if node is not None else ""

    def get_nama(self, obj: Anggaran) -> str:
        node = obj.node
        return node.nama if node is not None else ""


class CapaianSerializer(serializers.Serializer):
    """One indicator-year as the engine computed it (the dashboard's and the LAKIP's figures)."""

    indikator = serializers.IntegerField()
    kode = serializers.CharField()
    opd = serializers.CharField()
    nama = serializers.CharField()
    jenis = serializers.CharField()
    level = serializers.CharField(allow_null=True)
    satuan = serializers.CharField()
    tahun = serializers.IntegerField()
    target = serializers.JSONField(allow_null=True, help_text="angka atau teks")
    realisasi = serializers.JSONField(allow_null=True, help_text="angka atau teks")
    capaian = serializers.FloatField(allow_null=True, help_text="persen, 2 desimal")
    kategori = serializers.CharField(allow_null=True)
    alasan = serializers.CharField(allow_null=True, help_text="mengapa capaian tidak dihitung")
    rumus = serializers.CharField()
    skala = serializers.CharField()


PERIODS = [p.value for p in Periode]


class RealisasiValueSerializer(serializers.Serializer):
    indikator = serializers.CharField(max_length=200, help_text="id atau kode (id_scheme)")
    tahun = serializers.IntegerField(min_value=1990, max_value=2100)
    periode = serializers.ChoiceField(choices=PERIODS)
    nilai = serializers.DecimalField(
        max_digits=20, decimal_places=4, required=False, allow_null=True
    )
    nilai_teks = serializers.CharField(max_length=120, required=False, allow_blank=True)
    komponen = serializers.DictField(
        child=serializers.DecimalField(max_digits=20, decimal_places=4),
        required=False,
        allow_empty=False,
        help_text="nilai komponen rumus menurut nama (atau peran), mis. "
        '{"pembilang": 12, "penyebut": 40}; realisasinya dihitung mesin rumus',
    )
    catatan = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, help_text="analisis (tahunan)"
    )
    versi = serializers.IntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        help_text="versi yang dibaca (0 = belum ada); dikirim → diperiksa terhadap yang tersimpan",
    )


class RealisasiSetSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(default=False)
    strategy = serializers.ChoiceField(
        choices=["create", "update", "create_and_update"], default="create_and_update"
    )
    id_scheme = serializers.ChoiceField(choices=["id", "code"], default="id")
    konfirmasi = serializers.BooleanField(
        default=False, help_text="terima nilai yang melonjak ×10 dari sebelumnya"
    )
    values = RealisasiValueSerializer(many=True, allow_empty=False)


class ImportCountSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    updated = serializers.IntegerField()
    ignored = serializers.IntegerField()
    deleted = serializers.IntegerField()


class ConflictSerializer(serializers.Serializer):
    object = serializers.CharField()
    value = serializers.CharField()
    errorCode = serializers.CharField()
    property = serializers.CharField()
    indexes = serializers.ListField(child=serializers.IntegerField())
    nilai = serializers.CharField(help_text="nilai yang dikirim")


class ImportSummarySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["OK", "WARNING", "ERROR"])
    dry_run = serializers.BooleanField()
    description = serializers.CharField()
    importCount = ImportCountSerializer()
    conflicts = ConflictSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    kode = serializers.CharField()
    pesan = serializers.CharField()


TARGET_KINDS = [j.value for j in JenisTarget] + ["tw1", "tw2", "tw3", "tw4"]


class TargetValueSerializer(serializers.Serializer):
    indikator = serializers.CharField(max_length=200, help_text="id atau kode (id_scheme)")
    tahun = serializers.IntegerField(min_value=1990, max_value=2100)
    jenis = serializers.ChoiceField(
        choices=TARGET_KINDS,
        help_text="renstra, pk, pk_perubahan (target tahunan) atau tw1–tw4 (rencana aksi)",
    )
    nilai = serializers.DecimalField(
        max_digits=20, decimal_places=6, required=False, allow_null=True
    )
    nilai_teks = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="target kualitatif atau rentang (mis. WTP, 2,30–2,35); tahunan saja",
    )
    catatan = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="sumber (dokumen/baris) yang disimpan bersama target",
    )
    versi = serializers.IntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        help_text="versi yang dibaca (0 = belum ada); dikirim → diperiksa terhadap yang tersimpan",
    )


class TargetSetSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(default=False)
    strategy = serializers.ChoiceField(
        choices=["create", "update", "create_and_update"], default="create_and_update"
    )
    id_scheme = serializers.ChoiceField(choices=["id", "code"], default="id")
    konfirmasi = serializers.BooleanField(
        default=False, help_text="terima target yang melonjak ×10 dari sebelumnya"
    )
    values = TargetValueSerializer(many=True, allow_empty=False)


class TaskSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    jenis = serializers.CharField()
    status = serializers.ChoiceField(choices=["ANTRE", "PROSES", "SELESAI", "GAGAL"])
    dibuat_pada = serializers.DateTimeField()
    selesai_pada = serializers.DateTimeField(allow_null=True)
    kode_http = serializers.IntegerField(allow_null=True, help_text="kode jawaban ringkasan")
    ringkasan = ImportSummarySerializer(allow_null=True)
