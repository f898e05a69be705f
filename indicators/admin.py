"""Admin for indicator definitions, targets and realisations, scoped to the user's OPD."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from common.numbers import format_percent
from common.params import MAX_YEAR, MIN_YEAR
from renstra.admin import add_inline
from renstra.admin_base import DoorAdmin, DoorHistoryAdmin, DoorInline
from renstra.door import refuse_as_permission
from renstra.models import (
    Kegiatan,
    Level,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
)
from renstra.permissions import acting_user

from . import engine, formula_services  # noqa: F401  (registers the formula's doors)
from .models import (
    DataPendukung,
    Indikator,
    Komponen,
    Pembanding,
    PengaturanOpd,
    Realisasi,
    Rumus,
    Skala,
    SkalaBand,
    Target,
)
from .selectors import annotate_capaian
from .services.skala import skala_save

NODE_PATHS = {
    "tujuan": "periode__opd",
    "sasaran": "periode__opd",
    "program": "periode__opd",
    "kegiatan": "periode__opd",
    "sub_kegiatan": "periode__opd",
    "bidang": "opd",
}


class TargetInline(DoorInline):
    model = Target
    fields = ("tahun", "jenis", "nilai", "nilai_teks", "sumber")
    show_change_link = False


class PembandingInline(DoorInline):
    model = Pembanding
    fields = ("tahun", "wilayah", "nilai", "sumber")
    show_change_link = False


class LevelFilter(admin.SimpleListFilter):
    title = "tingkat"
    parameter_name = "tingkat"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(level.value), str(level.label)) for level in Level]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value in Level.values:
            return queryset.filter(**{f"{value}__isnull": False})
        return queryset


def _node_inline(node_model: type, fk_name: str) -> type[DoorInline]:
    """An inline listing the indicators of one tree level (used on that level's admin)."""
    return type(
        f"Indikator{node_model.__name__}Inline",
        (DoorInline,),
        {
            "model": Indikator,
            "fk_name": fk_name,
            "fields": ("urutan", "nama", "satuan", "jenis", "polaritas", "bidang"),
            "fk_opd_paths": {"bidang": "opd"},
            "verbose_name": "indikator",
            "verbose_name_plural": "indikator",
        },
    )


INDICATOR_INLINES = {
    Tujuan: _node_inline(Tujuan, "tujuan"),
    Sasaran: _node_inline(Sasaran, "sasaran"),
    Program: _node_inline(Program, "program"),
    Kegiatan: _node_inline(Kegiatan, "kegiatan"),
    SubKegiatan: _node_inline(SubKegiatan, "sub_kegiatan"),
}

# Indicators are edited where their node is. renstra cannot import indicators (imports go
# downward), so its tree admins take the inline through their extension point.
for _model, _inline in INDICATOR_INLINES.items():
    add_inline(_model, _inline)


@admin.register(Indikator)
class IndikatorAdmin(DoorHistoryAdmin):
    list_display = ("nama", "tingkat", "node_display", "jenis", "polaritas", "satuan", "opd")
    list_select_related = (
        "periode__opd",
        "tujuan",
        "sasaran",
        "program",
        "kegiatan",
        "sub_kegiatan",
    )
    list_filter = (
        ("periode__opd", admin.RelatedOnlyFieldListFilter),
        LevelFilter,
        "jenis",
        "polaritas",
        ("bidang", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("nama", "satuan")
    autocomplete_fields = ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")
    fk_opd_paths = NODE_PATHS
    inlines = (TargetInline, PembandingInline)
    list_per_page = 50
    fieldsets = (
        (
            "Melekat pada (pilih tepat satu)",
            {"fields": ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")},
        ),
        (
            None,
            {
                "fields": (
                    "urutan",
                    "nama",
                    "satuan",
                    "jenis",
                    "polaritas",
                    "metode_negatif",
                    "frekuensi",
                    "akumulasi",
                    "bidang",
                    ("baseline_nilai", "baseline_tahun"),
                )
            },
        ),
        (
            "Definisi (keputusan IKU/IK)",
            {
                "fields": (
                    "makna",
                    "alasan",
                    "formulasi",
                    "referensi",
                    "sumber_data",
                    "penanggung_jawab",
                    "sumber",
                    "periksa",
                )
            },
        ),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        """A positive indicator's form does not offer the negative formula (it does not apply
        and read as if it did); a new indicator's says when it applies."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.polaritas == engine.Polarity.NEGATIF:
            return fieldsets
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "metode_negatif")})
            for name, opts in fieldsets
        ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "metode_negatif" in form.base_fields:
            form.base_fields[
                "metode_negatif"
            ].help_text = "Dipakai hanya bila polaritas negatif (makin kecil makin baik)."
        return form

    @admin.display(description="tingkat")
    def tingkat(self, obj: Indikator) -> str:
        level = obj.level
        return str(Level(level).label) if level else "–"

    @admin.display(description="melekat pada")
    def node_display(self, obj: Indikator) -> str:
        return str(obj.node)

    @admin.display(description="OPD", ordering="periode__opd__kode")
    def opd(self, obj: Indikator) -> str:
        return str(obj.periode.opd)


@admin.register(Target)
class TargetAdmin(DoorHistoryAdmin):
    # A row stands for an indicator (several targets), so its id is not a Target's: no
    # LogEntry. django-simple-history records every target written, with the user.
    skip_admin_log = True
    list_display = ("indikator", "tahun", "jenis", "display_value")
    list_select_related = ("indikator",)
    list_filter = ("jenis", "tahun", ("indikator__periode__opd", admin.RelatedOnlyFieldListFilter))
    search_fields = ("indikator__nama",)
    autocomplete_fields = ("indikator",)
    fk_opd_paths = {"indikator": "periode__opd"}


@admin.register(Realisasi)
class RealisasiAdmin(DoorHistoryAdmin):
    """Realisasi with the engine's capaian and kategori beside it, read-only: capaian is never
    typed in."""

    skip_admin_log = True  # as TargetAdmin: a row is an indicator-year, not one Realisasi
    list_display = (
        "indikator",
        "tahun",
        "periode",
        "display_value",
        "capaian_dihitung",
        "kategori_dihitung",
        "diisi_oleh",
        "diisi_pada",
    )
    list_select_related = ("indikator", "diisi_oleh")
    list_filter = (
        "tahun",
        "periode",
        ("indikator__periode__opd", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("indikator__nama",)
    autocomplete_fields = ("indikator",)
    fk_opd_paths = {"indikator": "periode__opd"}
    # Evidence is uploaded on the kabid's page, where its content is checked.
    readonly_fields = (
        "capaian_dihitung",
        "kategori_dihitung",
        "bukti",
        "diisi_oleh",
        "diisi_pada",
        "versi",
    )

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        # One batch for the page (constant queries), stored on the rows the page renders.
        changelist.result_list = list(changelist.result_list.select_related("indikator__periode"))
        annotate_capaian(changelist.result_list)
        return changelist

    def _computed(self, obj: Realisasi) -> Any:
        if not hasattr(obj, "computed"):
            # A form posted back with errors carries what was typed: a year of 20 digits
            # would reach the query (OverflowError on SQLite); it has no capaian to show.
            if obj.pk is None or not MIN_YEAR <= (obj.tahun or 0) <= MAX_YEAR:
                return None
            annotate_capaian([obj])
        return obj.computed  # type: ignore[attr-defined]

    @admin.display(description="capaian (dihitung)")
    def capaian_dihitung(self, obj: Realisasi) -> str:
        result = self._computed(obj)
        if result is None:
            return "–"
        return format_percent(result.capaian) if result.capaian is not None else result.reason

    @admin.display(description="kategori")
    def kategori_dihitung(self, obj: Realisasi) -> str:
        result = self._computed(obj)
        return (result.kategori or "–") if result is not None else "–"


@admin.register(DataPendukung)
class DataPendukungAdmin(DoorAdmin):
    list_display = ("judul", "opd", "tahun", "kode")
    list_select_related = ("opd",)
    list_filter = (("opd", admin.RelatedOnlyFieldListFilter), "tahun")
    search_fields = ("judul", "kode")
    autocomplete_fields = ("indikator",)
    fk_opd_paths = {"opd": "pk", "indikator": "periode__opd"}


class SkalaBandFormSet(BaseInlineFormSet):
    """The bands of a scale are one whole (a gapless cover), checked and saved together by
    ``skala_save``; this formset only gathers them."""

    def band_rows(self) -> list[dict[str, Any]]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        from .scales import scale_from_rows

        try:
            scale_from_rows(self.instance, self.band_rows()).validate()
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class SkalaBandInline(admin.TabularInline):
    model = SkalaBand
    formset = SkalaBandFormSet
    fields = (
        "urutan",
        "label",
        "batas_bawah",
        "bawah_inklusif",
        "batas_atas",
        "atas_inklusif",
        "warna",
    )
    extra = 0


@admin.register(Skala)
class SkalaAdmin(DoorAdmin):
    list_display = ("nama", "kode", "versi", "bawaan", "dasar_hukum")
    inlines = (SkalaBandInline,)

    def save_model(self, request: HttpRequest, obj: Skala, form: Any, change: bool) -> None:
        # Saved with its bands in save_related, where the band formset is at hand.
        self._pending = obj

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        (bands,) = [f for f in formsets if isinstance(f, SkalaBandFormSet)]
        try:
            skala_save(user=acting_user(request), obj=form.instance, bands=bands.band_rows())
        except ValidationError as exc:
            raise refuse_as_permission(exc) from exc


@admin.register(PengaturanOpd)
class PengaturanOpdAdmin(DoorAdmin):
    fk_opd_paths = {"opd": "pk"}
    list_display = ("opd", "skala", "metode_efisiensi")
    list_select_related = ("opd", "skala")


class KomponenInline(DoorInline):
    model = Komponen
    fields = ("urutan", "nama", "peran", "satuan", "sumber_data")
    show_change_link = False
    extra = 0


@admin.register(Rumus)
class RumusAdmin(DoorHistoryAdmin):
    """The formula the decree's formulasi was read into: the planner confirms or edits it."""

    list_display = ("indikator", "operator", "faktor", "dikonfirmasi", "catatan")
    list_select_related = ("indikator",)
    list_filter = ("dikonfirmasi", "operator")
    search_fields = ("indikator__nama", "teks")
    autocomplete_fields = ("indikator",)
    fk_opd_paths = {"indikator": "periode__opd"}
    inlines = (KomponenInline,)
    fields = ("indikator", "operator", "faktor", "teks", "catatan", "dikonfirmasi")
