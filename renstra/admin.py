"""The planners' admin for the plan tree, scoped to the user's own OPD.

Every changelist joins what its columns show (``list_select_related``) so it costs a constant
number of queries whatever the number of rows; tests assert the counts.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from common.numbers import format_rupiah
from nomenklatur.models import Nomenklatur, Tingkat, induk_of, tingkat_of

from .admin_base import DoorAdmin, DoorHistoryAdmin, DoorInline, DoorModelForm, ReadOnlyAdmin
from .models import (
    BULAN,
    Anggaran,
    AnggaranBulanan,
    AnggaranPk,
    Bidang,
    Eselon,
    Kegiatan,
    KunciTahun,
    Opd,
    Pejabat,
    Pemda,
    Penugasan,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
)
from .permissions import acting_user, user_opd_id, user_pemda_id
from .services import kode_unknown, year_unlock

NODE_FK_PATHS = {"bidang": "opd", "periode": "opd"}

# Inlines that apps above renstra add to its admins (indicators on every tree level), so
# renstra never imports them and nobody patches another app's classes.
EXTRA_INLINES: dict[type, list[type[admin.options.InlineModelAdmin]]] = {}


def add_inline(model: type, inline: type[admin.options.InlineModelAdmin]) -> None:
    EXTRA_INLINES.setdefault(model, []).append(inline)


class BidangInline(DoorInline):
    model = Bidang
    show_change_link = False


class PeriodeInline(DoorInline):
    model = PeriodeRenstra
    fields = ("tahun_awal", "tahun_akhir", "nomor_dokumen")


@admin.register(Pemda)
class PemdaAdmin(DoorAdmin):
    """The admin creates a Pemda; its Bappeda keeps its row here (logo, kop, kepala daerah)
    and the rest on the /pemda/ pages."""

    list_display = ("kode", "nama", "jenis", "provinsi", "kepala_daerah_nama")
    search_fields = ("kode", "nama")
    fieldsets = (
        (None, {"fields": ("kode", "nama", "jenis", "provinsi", "tempat")}),
        ("Logo dan kop laporan", {"fields": ("logo", "kop", "kop_kontak")}),
        (
            "Kepala daerah",
            {"fields": ("kepala_daerah_jabatan", "kepala_daerah_nama", "kepala_daerah_nip")},
        ),
        (
            "Tenggat laporan",
            {
                "fields": (
                    "tenggat_opd_bulan",
                    "tenggat_opd_hari",
                    "tenggat_pemda_bulan",
                    "tenggat_pemda_hari",
                )
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # A Pemda has no OPD path for DoorAdmin to scope by: Bappeda sees its own Pemda only.
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk=user_pemda_id(request.user) or 0)


@admin.register(Opd)
class OpdAdmin(DoorAdmin):
    list_display = ("kode", "singkatan", "nama", "pemda", "jenis", "kepala_nama")
    search_fields = ("kode", "nama", "singkatan")
    inlines = (BidangInline, PeriodeInline)
    fieldsets = (
        (None, {"fields": ("kode", "nama", "singkatan", "alamat", "pemda", "tempat")}),
        ("Kepala", {"fields": ("kepala_nama", "kepala_pangkat", "kepala_nip")}),
        ("Logo dan kop laporan", {"fields": ("logo", "kop", "kop_kontak")}),
    )


@admin.register(Bidang)
class BidangAdmin(DoorAdmin):
    fk_opd_paths = {"opd": "pk"}
    list_display = ("nama", "kode", "opd")
    list_select_related = ("opd",)
    list_filter = (("opd", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("nama", "kode")


class TujuanInline(DoorInline):
    model = Tujuan
    fields = ("urutan", "nama", "bidang")
    fk_opd_paths = NODE_FK_PATHS


@admin.register(PeriodeRenstra)
class PeriodeRenstraAdmin(DoorAdmin):
    fk_opd_paths = {"opd": "pk"}
    list_display = ("__str__", "opd", "tahun_awal", "tahun_akhir", "nomor_dokumen")
    list_select_related = ("opd",)
    list_filter = (("opd", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("opd__nama", "nomor_dokumen")
    inlines = (TujuanInline,)


class AnggaranPkInline(DoorInline):
    model = AnggaranPk
    fields = ("tahun", "jumlah", "sumber")
    show_change_link = False


class SasaranInline(DoorInline):
    model = Sasaran
    fields = ("urutan", "nama", "bidang")
    fk_opd_paths = NODE_FK_PATHS


class NomenklaturInline(DoorInline):
    """Program, kegiatan and sub-kegiatan rows on their parent's page: the code picked from
    the nomenclature of the level (under the parent's code), checked as the node's own form
    checks it (:class:`NomenklaturNodeForm`)."""

    TINGKAT: str = ""
    fields = ("urutan", "kode", "nama", "bidang")
    fk_opd_paths = NODE_FK_PATHS

    def __init__(self, parent_model: type, admin_site: Any) -> None:
        self.form = NomenklaturNodeForm
        super().__init__(parent_model, admin_site)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.TINGKAT = self.TINGKAT
        field = formset.form.base_fields.get("kode")
        if field is not None:
            # A program's code stands alone; a kegiatan's and a sub-kegiatan's sit under the
            # code of the node whose page this is (when it has one of the parent's level).
            parent_level = {
                Tingkat.KEGIATAN: Tingkat.PROGRAM,
                Tingkat.SUB_KEGIATAN: Tingkat.KEGIATAN,
            }
            wanted = parent_level.get(Tingkat(self.TINGKAT))
            kode = getattr(obj, "kode", "") or ""
            under = kode if wanted is not None and tingkat_of(kode) == wanted else ""
            field.widget = NomenklaturInput(
                nomenklatur_options(self.TINGKAT, under),
                f"nomenklatur-{self.TINGKAT}",
                once=set(),
            )
            field.help_text = (
                f"Pilih dari nomenklatur Kemendagri ({Tingkat(self.TINGKAT).label.lower()})."
            )
        return formset


class ProgramInline(NomenklaturInline):
    model = Program
    TINGKAT = Tingkat.PROGRAM


class KegiatanInline(NomenklaturInline):
    model = Kegiatan
    TINGKAT = Tingkat.KEGIATAN


class SubKegiatanInline(NomenklaturInline):
    model = SubKegiatan
    TINGKAT = Tingkat.SUB_KEGIATAN


class AnggaranInline(DoorInline):
    model = Anggaran
    fields = ("tahun", "pagu", "realisasi", "sumber")
    show_change_link = False


class NodeAdmin(DoorAdmin):
    search_fields = ("nama", "kode")
    fk_opd_paths = NODE_FK_PATHS
    list_per_page = 50

    @admin.display(description="OPD", ordering="periode__opd__kode")
    def opd(self, obj: Any) -> str:
        return str(obj.periode.opd)

    @admin.display(description="indikator")
    def jumlah_indikator(self, obj: Any) -> int:
        return int(obj.n_indikator)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(n_indikator=Count("indikator_set"))

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return [*super().get_inlines(request, obj), *EXTRA_INLINES.get(self.model, [])]


@admin.register(Tujuan)
class TujuanAdmin(NodeAdmin):
    list_display = ("nama", "urutan", "opd", "bidang", "jumlah_indikator")
    list_select_related = ("periode__opd", "bidang")
    list_filter = (
        ("periode__opd", admin.RelatedOnlyFieldListFilter),
        ("bidang", admin.RelatedOnlyFieldListFilter),
    )
    fields = ("periode", "urutan", "kode", "nama", "bidang")
    inlines = (SasaranInline,)


@admin.register(Sasaran)
class SasaranAdmin(NodeAdmin):
    list_display = ("nama", "urutan", "tujuan", "opd", "bidang", "jumlah_indikator")
    list_select_related = ("tujuan", "periode__opd", "bidang")
    list_filter = (
        ("periode__opd", admin.RelatedOnlyFieldListFilter),
        ("bidang", admin.RelatedOnlyFieldListFilter),
    )
    fields = ("tujuan", "urutan", "kode", "nama", "bidang")
    autocomplete_fields = ("tujuan",)
    fk_opd_paths = {**NODE_FK_PATHS, "tujuan": "periode__opd"}
    inlines = (ProgramInline, AnggaranPkInline)


class HasSasaranFilter(admin.SimpleListFilter):
    title = "keterkaitan sasaran"
    parameter_name = "tertaut"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("ya", "Sudah tertaut ke sasaran"), ("tidak", "Belum tertaut ke sasaran")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "ya":
            return queryset.filter(sasaran__isnull=False)
        if self.value() == "tidak":
            return queryset.filter(sasaran__isnull=True)
        return queryset


# --- codes from the nomenclature -----------------------------------------------------------


class NomenklaturInput(forms.TextInput):
    """A text input that offers the nomenclature's codes of one level (a ``<datalist>``: the
    browser filters it as one types a code or a word of the name). A new code must be one the
    nomenclature holds (:class:`NomenklaturNodeForm`); Kemendagri's newer list is loaded into
    it (``load_nomenklatur``), not typed here.

    ``once``: a set shared by the rows of an inline (a widget copied per row keeps the same
    set), so the list is written once on the page, not once per row: every row's input points
    at it by id."""

    def __init__(
        self, options: list[tuple[str, str]], list_id: str, once: set[str] | None = None
    ) -> None:
        super().__init__(attrs={"list": list_id, "size": 24, "autocomplete": "off"})
        self.options, self.list_id, self.once = options, list_id, once

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        field = super().render(name, value, attrs, renderer)
        if self.once is not None:
            if self.list_id in self.once:
                return field
            self.once.add(self.list_id)
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((k, label) for k, label in self.options)
        )
        return format_html('{}<datalist id="{}">{}</datalist>', field, self.list_id, options)


class NomenklaturNodeForm(DoorModelForm):
    """A program, kegiatan or sub-kegiatan whose code is picked from the nomenclature: the
    name, left empty, is the code's; a code of another level, or outside the parent's code, is
    refused with the reason."""

    TINGKAT = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "nama" in self.fields:
            self.fields["nama"].required = False
            self.fields["nama"].help_text = "Kosongkan untuk memakai nama kode nomenklatur."

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or self.cleaned_data
        kode = (data.get("kode") or "").strip()
        data["kode"] = kode
        entry = Nomenklatur.objects.filter(kode=kode).first() if kode else None
        level = Tingkat(self.TINGKAT)
        shape = tingkat_of(kode) if kode else None
        if shape is not None and shape != level:
            self.add_error(
                "kode", f"{kode} adalah kode {Tingkat(shape).label}, bukan {level.label}."
            )
        parent_field = self._meta.model.PARENT_FIELD
        parent = data.get(parent_field) if parent_field else None
        if shape == level and parent is not None and parent.kode and induk_of(kode) != parent.kode:
            self.add_error(
                "kode", f"Kode {kode} tidak berada di bawah kode induknya ({parent.kode})."
            )
        # A new code is one the nomenclature holds, as the code page's service requires
        # (node_kode_check_many); a stored code (a decree's, or one Kemendagri since retired)
        # stays while the rest of the node is edited.
        changed = kode != (self.instance.kode or "")
        if kode and changed and not self.has_error("kode") and (entry is None or not entry.aktif):
            self.add_error(
                "kode",
                f"{kode_unknown(self._meta.model, kode)} Pilih kode dari daftar nomenklatur.",
            )
        if not (data.get("nama") or "").strip():
            if entry is not None:
                data["nama"] = entry.nama
            elif "nama" in self.fields:
                self.add_error("nama", "Isi nama, atau pilih kode dari nomenklatur.")
        return data


def nomenklatur_options(tingkat: str, under: str = "") -> list[tuple[str, str]]:
    """The active codes of a level (under a parent's code when it has one), labelled with the
    name and, for a sub-kegiatan, its standard output indicator and satuan: one query."""
    qs = Nomenklatur.objects.filter(tingkat=tingkat, aktif=True)
    if under:
        qs = qs.filter(kode__startswith=f"{under}.")
    options = []
    for kode, nama, indikator, satuan in qs.values_list("kode", "nama", "indikator", "satuan"):
        label = nama
        if indikator:
            label += f" — keluaran: {indikator}" + (f" ({satuan})" if satuan else "")
        options.append((kode, label[:300]))
    return options


class NomenklaturNodeAdmin(NodeAdmin):
    """Program, kegiatan and sub-kegiatan: ``kode`` picked from the nomenclature of the level
    (under the parent's code when the node has a parent with one)."""

    form = NomenklaturNodeForm
    TINGKAT: str = ""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        parent = obj.parent if obj is not None and obj.PARENT_FIELD else None
        under = parent.kode if parent is not None and tingkat_of(parent.kode or "") else ""
        form.TINGKAT = self.TINGKAT
        field = form.base_fields.get("kode")
        if field is not None:
            field.widget = NomenklaturInput(
                nomenklatur_options(self.TINGKAT, under), f"nomenklatur-{self.TINGKAT}"
            )
            field.help_text = self._kode_help(obj)
        return form

    def _kode_help(self, obj: Any) -> str:
        text = f"Pilih dari nomenklatur Kemendagri ({Tingkat(self.TINGKAT).label.lower()})"
        if self.TINGKAT == Tingkat.SUB_KEGIATAN:
            entry = (
                Nomenklatur.objects.filter(kode=obj.kode).first()
                if obj is not None and obj.kode
                else None
            )
            if entry is not None and entry.indikator:
                satuan = f" ({entry.satuan})" if entry.satuan else ""
                return (
                    f"Keluaran standar {entry.kode}: {entry.kinerja or entry.nama}; indikator: "
                    f"{entry.indikator}{satuan}."
                )
            return text + "; indikator keluaran standarnya tampil di daftar pilihan."
        return text + "."


@admin.register(Program)
class ProgramAdmin(NomenklaturNodeAdmin):
    TINGKAT = Tingkat.PROGRAM
    list_display = ("nama", "kode", "sasaran_display", "opd", "bidang", "jumlah_indikator")
    list_select_related = ("sasaran", "periode__opd", "bidang")
    list_filter = (
        HasSasaranFilter,
        ("periode__opd", admin.RelatedOnlyFieldListFilter),
        ("bidang", admin.RelatedOnlyFieldListFilter),
    )
    fields = ("periode", "sasaran", "urutan", "kode", "nama", "bidang", "penanggung_jawab")
    autocomplete_fields = ("sasaran",)
    fk_opd_paths = {**NODE_FK_PATHS, "sasaran": "periode__opd", "penanggung_jawab": "opd"}
    inlines = (KegiatanInline, AnggaranInline)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        return _officials_of(
            Eselon.III, super().formfield_for_foreignkey(db_field, request, **kwargs)
        )

    @admin.display(description="sasaran", ordering="sasaran__urutan")
    def sasaran_display(self, obj: Program) -> str:
        return str(obj.sasaran) if obj.sasaran_id else "— belum tertaut —"


@admin.register(Kegiatan)
class KegiatanAdmin(NomenklaturNodeAdmin):
    TINGKAT = Tingkat.KEGIATAN
    list_display = ("nama", "kode", "program", "opd", "bidang", "jumlah_indikator")
    list_select_related = ("program", "periode__opd", "bidang")
    list_filter = (
        ("periode__opd", admin.RelatedOnlyFieldListFilter),
        ("bidang", admin.RelatedOnlyFieldListFilter),
    )
    fields = ("program", "urutan", "kode", "nama", "bidang", "penanggung_jawab")
    autocomplete_fields = ("program",)
    fk_opd_paths = {**NODE_FK_PATHS, "program": "periode__opd", "penanggung_jawab": "opd"}
    inlines = (SubKegiatanInline, AnggaranInline)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        return _officials_of(
            Eselon.IV, super().formfield_for_foreignkey(db_field, request, **kwargs)
        )


def _officials_of(eselon: str, formfield: Any) -> Any:
    """The penanggung jawab list offers the level's active officials only (the service
    refuses any other, with the reason)."""
    if formfield is not None and formfield.queryset.model is Pejabat:
        formfield.queryset = formfield.queryset.filter(eselon=eselon, aktif=True)
    return formfield


@admin.register(Pejabat)
class PejabatAdmin(DoorHistoryAdmin):
    """The OPD's officials (eselon II–IV) who sign a Perjanjian Kinerja; the perencana keeps
    its own OPD's, written through ``pejabat_save``."""

    list_display = ("nama", "jabatan", "eselon", "nip", "bidang", "atasan", "aktif", "opd")
    list_select_related = ("opd", "bidang", "atasan")
    list_filter = ("eselon", "aktif", ("opd", admin.RelatedOnlyFieldListFilter))
    search_fields = ("nama", "nip", "jabatan")
    fields = (
        "opd",
        "eselon",
        "jabatan",
        "nama",
        "nip",
        "pangkat",
        "bidang",
        "atasan",
        "aktif",
        "urutan",
    )
    fk_opd_paths = {"opd": "pk", "bidang": "opd", "atasan": "opd"}


@admin.register(SubKegiatan)
class SubKegiatanAdmin(NomenklaturNodeAdmin):
    TINGKAT = Tingkat.SUB_KEGIATAN
    list_display = ("nama", "kode", "kegiatan", "opd", "bidang", "jumlah_indikator")
    list_select_related = ("kegiatan", "periode__opd", "bidang")
    list_filter = (
        ("periode__opd", admin.RelatedOnlyFieldListFilter),
        ("bidang", admin.RelatedOnlyFieldListFilter),
    )
    fields = ("kegiatan", "urutan", "kode", "nama", "bidang")
    autocomplete_fields = ("kegiatan",)
    fk_opd_paths = {**NODE_FK_PATHS, "kegiatan": "periode__opd"}
    inlines = (AnggaranInline,)


@admin.register(Anggaran)
class AnggaranAdmin(DoorHistoryAdmin):
    list_display = ("node_display", "tahun", "pagu", "realisasi")
    list_select_related = ("program", "kegiatan", "sub_kegiatan")
    list_filter = ("tahun", ("periode__opd", admin.RelatedOnlyFieldListFilter))
    fields = ("program", "kegiatan", "sub_kegiatan", "tahun", "pagu", "realisasi", "sumber")
    autocomplete_fields = ("program", "kegiatan", "sub_kegiatan")
    fk_opd_paths = {
        "program": "periode__opd",
        "kegiatan": "periode__opd",
        "sub_kegiatan": "periode__opd",
    }
    search_fields = ("program__nama", "kegiatan__nama", "sub_kegiatan__nama")

    @admin.display(description="program/kegiatan/sub kegiatan")
    def node_display(self, obj: Anggaran) -> str:
        return str(obj.node)


class BulanFilter(admin.SimpleListFilter):
    """The month by its name (the column holds 1–12)."""

    title = "bulan"
    parameter_name = "bulan"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(i), nama) for i, nama in enumerate(BULAN, 1)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        # Anything but 1–12 (a hand-typed ?bulan=abc) filters nothing instead of failing.
        if value and value.isdigit() and 1 <= int(value) <= 12:
            return queryset.filter(bulan=int(value))
        return queryset


@admin.register(AnggaranBulanan)
class AnggaranBulananAdmin(ReadOnlyAdmin, DoorHistoryAdmin):
    """The monthly realisasi SIPD's SP2D documents add up to, read-only: it is written by the
    SIPD import (``anggaran_batch_save``) only, so a hand edit here would be overwritten, or
    would make the next import disagree with SIPD."""

    list_display = ("sub_kegiatan_display", "opd", "tahun", "bulan_display", "realisasi_rp")
    list_select_related = ("sub_kegiatan", "periode__opd")
    list_filter = ("tahun", BulanFilter, ("periode__opd", admin.RelatedOnlyFieldListFilter))
    search_fields = ("sub_kegiatan__nama", "sub_kegiatan__kode")
    fields = ("sub_kegiatan", "tahun", "bulan_display", "realisasi_rp", "sumber")
    readonly_fields = fields
    list_per_page = 100

    @admin.display(description="sub kegiatan", ordering="sub_kegiatan__kode")
    def sub_kegiatan_display(self, obj: AnggaranBulanan) -> str:
        return str(obj.sub_kegiatan)

    @admin.display(description="OPD", ordering="periode__opd__kode")
    def opd(self, obj: AnggaranBulanan) -> str:
        return str(obj.periode.opd)

    @admin.display(description="bulan", ordering="bulan")
    def bulan_display(self, obj: AnggaranBulanan) -> str:
        return BULAN[obj.bulan - 1] if 1 <= obj.bulan <= 12 else str(obj.bulan)

    @admin.display(description="realisasi", ordering="realisasi")
    def realisasi_rp(self, obj: AnggaranBulanan) -> str:
        return format_rupiah(obj.realisasi)


@admin.register(Penugasan)
class PenugasanAdmin(DoorAdmin):
    fk_opd_paths = {"opd": "pk", "bidang": "opd"}
    list_display = ("user", "opd", "bidang")
    list_select_related = ("user", "opd", "bidang")
    list_filter = (("opd", admin.RelatedOnlyFieldListFilter),)
    autocomplete_fields = ("user",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


class UnlockForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan membuka kunci", widget=forms.Textarea(attrs={"rows": 3}), required=True
    )


@admin.register(KunciTahun)
class KunciTahunAdmin(DoorHistoryAdmin):
    """Locks go through the services: locking and unlocking both need a reason, both audited."""

    fk_opd_paths = {"opd": "pk"}
    list_display = ("opd", "tahun", "alasan", "dikunci_oleh", "dikunci_pada")
    list_select_related = ("opd", "dikunci_oleh")
    fields = ("opd", "tahun", "alasan")
    change_form_template = "admin/renstra/kuncitahun/change_form.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("opd", "tahun", "alasan", "dikunci_oleh", "dikunci_pada") if obj else ()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "opd" and field is not None:
            field.label = "Perangkat daerah"
            if not request.user.is_superuser:
                # A perencana has one OPD: it is chosen already, not picked from "---------".
                field.empty_label = None
                field.initial = user_opd_id(request.user)
        return field

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # unlocking is its own page, with a reason

    def save_model(self, request: HttpRequest, obj: KunciTahun, form: Any, change: bool) -> None:
        if change:
            return  # every field is read-only once locked
        super().save_model(request, obj, form, change)  # year_lock, through the door

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/buka/",
                self.admin_site.admin_view(self.unlock_view),
                name="renstra_kuncitahun_unlock",
            ),
            *super().get_urls(),
        ]

    def unlock_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        lock = self.get_queryset(request).filter(pk=pk).first()
        if lock is None:
            raise Http404
        form = UnlockForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                year_unlock(
                    user=acting_user(request),
                    opd=lock.opd,
                    tahun=lock.tahun,
                    alasan=form.cleaned_data["alasan"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Kunci tahun {lock.tahun} dibuka.")
                return redirect("admin:renstra_kuncitahun_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "lock": lock,
            "title": f"Buka kunci tahun {lock.tahun}",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/renstra/kuncitahun/unlock.html", context)


@admin.register(AnggaranPk)
class AnggaranPkAdmin(DoorHistoryAdmin):
    list_display = ("sasaran", "tahun", "jumlah")
    list_select_related = ("sasaran",)
    list_filter = ("tahun", ("sasaran__periode__opd", admin.RelatedOnlyFieldListFilter))
    autocomplete_fields = ("sasaran",)
    fk_opd_paths = {"sasaran": "periode__opd"}
