"""The planners' admin for the plan tree, scoped to the user's own OPD.

Every changelist joins what its columns show (``list_select_related``) so it costs a constant
number of queries whatever the number of rows; tests assert the counts.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.db.models import Count, QuerySet
from django.db.models.deletion import Collector
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Anggaran,
    AnggaranPk,
    Bidang,
    Kegiatan,
    KunciTahun,
    Opd,
    Penugasan,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
    YearLocked,
)
from .permissions import acting_user, user_opd_id
from .services import ensure_unlocked, year_lock, year_unlock


class OpdScopedAdmin(admin.ModelAdmin):
    """Limit rows and foreign-key choices to the user's own OPD (superusers see all)."""

    opd_path: str = "periode__opd"
    # FK fields and the lookup from the related model to its OPD.
    fk_opd_paths: dict[str, str] = {}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{self.opd_path: user_opd_id(request.user)})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        path = self.fk_opd_paths.get(db_field.name)
        if path is not None and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                **{path: user_opd_id(request.user)}
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def guard_locked(objs: Any) -> None:
    """Refuse a delete that would remove a row of a locked (OPD, tahun) — the object itself or
    anything it cascades to (an indicator's targets, a program's budgets) — quoting the reason."""
    objs = list(objs)
    if not objs:
        return
    collector = Collector(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    doomed: list[Any] = [obj for instances in collector.data.values() for obj in instances]
    doomed += [obj for qs in collector.fast_deletes for obj in qs]
    keys = {obj.lock_key() for obj in doomed if isinstance(obj, YearLocked)}
    for opd_id, tahun in sorted(keys):
        try:
            ensure_unlocked(opd_id=opd_id, tahun=tahun)
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc


class LockGuardAdmin(admin.ModelAdmin):
    """Deletes of yearly rows go through the year-lock check like every other write."""

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        guard_locked([obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        guard_locked(list(queryset))
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        guard_locked([f.instance for f in formset.deleted_forms if f.instance.pk])
        super().save_formset(request, form, formset, change)


class ScopedInline(admin.TabularInline):
    fk_opd_paths: dict[str, str] = {}
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        path = self.fk_opd_paths.get(db_field.name)
        if path is not None and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                **{path: user_opd_id(request.user)}
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


NODE_FK_PATHS = {"bidang": "opd", "periode": "opd"}

# Inlines that apps above renstra add to its admins (indicators on every tree level), so
# renstra never imports them and nobody patches another app's classes.
EXTRA_INLINES: dict[type, list[type[admin.options.InlineModelAdmin]]] = {}


def add_inline(model: type, inline: type[admin.options.InlineModelAdmin]) -> None:
    EXTRA_INLINES.setdefault(model, []).append(inline)


class BidangInline(admin.TabularInline):
    model = Bidang
    extra = 0


class PeriodeInline(admin.TabularInline):
    model = PeriodeRenstra
    fields = ("tahun_awal", "tahun_akhir", "nomor_dokumen")
    extra = 0
    show_change_link = True


@admin.register(Opd)
class OpdAdmin(OpdScopedAdmin):
    opd_path = "pk"
    list_display = ("kode", "singkatan", "nama", "kabupaten", "kepala_nama")
    search_fields = ("kode", "nama", "singkatan")
    inlines = (BidangInline, PeriodeInline)
    fieldsets = (
        (None, {"fields": ("kode", "nama", "singkatan", "alamat", "kabupaten", "tempat")}),
        ("Kepala", {"fields": ("kepala_nama", "kepala_pangkat", "kepala_nip")}),
    )


@admin.register(Bidang)
class BidangAdmin(OpdScopedAdmin):
    opd_path = "opd"
    fk_opd_paths = {"opd": "pk"}
    list_display = ("nama", "kode", "opd")
    list_select_related = ("opd",)
    list_filter = (("opd", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("nama", "kode")


class TujuanInline(ScopedInline):
    model = Tujuan
    fields = ("urutan", "nama", "bidang")
    fk_opd_paths = NODE_FK_PATHS


@admin.register(PeriodeRenstra)
class PeriodeRenstraAdmin(OpdScopedAdmin):
    opd_path = "opd"
    fk_opd_paths = {"opd": "pk"}
    list_display = ("__str__", "opd", "tahun_awal", "tahun_akhir", "nomor_dokumen")
    list_select_related = ("opd",)
    list_filter = (("opd", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("opd__nama", "nomor_dokumen")
    inlines = (TujuanInline,)


class AnggaranPkInline(ScopedInline):
    model = AnggaranPk
    fields = ("tahun", "jumlah", "sumber")
    show_change_link = False


class SasaranInline(ScopedInline):
    model = Sasaran
    fields = ("urutan", "nama", "bidang")
    fk_opd_paths = NODE_FK_PATHS


class ProgramInline(ScopedInline):
    model = Program
    fields = ("urutan", "kode", "nama", "bidang")
    fk_opd_paths = NODE_FK_PATHS


class KegiatanInline(ScopedInline):
    model = Kegiatan
    fields = ("urutan", "kode", "nama", "bidang")
    fk_opd_paths = NODE_FK_PATHS


class SubKegiatanInline(ScopedInline):
    model = SubKegiatan
    fields = ("urutan", "kode", "nama", "bidang")
    fk_opd_paths = NODE_FK_PATHS


class AnggaranInline(ScopedInline):
    model = Anggaran
    fields = ("tahun", "pagu", "realisasi", "sumber")
    show_change_link = False


class NodeAdmin(OpdScopedAdmin, LockGuardAdmin):
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


@admin.register(Program)
class ProgramAdmin(NodeAdmin):
    list_display = ("nama", "kode", "sasaran_display", "opd", "bidang", "jumlah_indikator")
    list_select_related = ("sasaran", "periode__opd", "bidang")
    list_filter = (
        HasSasaranFilter,
        ("periode__opd", admin.RelatedOnlyFieldListFilter),
        ("bidang", admin.RelatedOnlyFieldListFilter),
    )
    fields = ("periode", "sasaran", "urutan", "kode", "nama", "bidang")
    autocomplete_fields = ("sasaran",)
    fk_opd_paths = {**NODE_FK_PATHS, "sasaran": "periode__opd"}
    inlines = (KegiatanInline, AnggaranInline)

    @admin.display(description="sasaran", ordering="sasaran__urutan")
    def sasaran_display(self, obj: Program) -> str:
        return str(obj.sasaran) if obj.sasaran_id else "— belum tertaut —"


@admin.register(Kegiatan)
class KegiatanAdmin(NodeAdmin):
    list_display = ("nama", "kode", "program", "opd", "bidang", "jumlah_indikator")
    list_select_related = ("program", "periode__opd", "bidang")
    list_filter = (
        ("periode__opd", admin.RelatedOnlyFieldListFilter),
        ("bidang", admin.RelatedOnlyFieldListFilter),
    )
    fields = ("program", "urutan", "kode", "nama", "bidang")
    autocomplete_fields = ("program",)
    fk_opd_paths = {**NODE_FK_PATHS, "program": "periode__opd"}
    inlines = (SubKegiatanInline, AnggaranInline)


@admin.register(SubKegiatan)
class SubKegiatanAdmin(NodeAdmin):
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
class AnggaranAdmin(OpdScopedAdmin, LockGuardAdmin, SimpleHistoryAdmin):
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


@admin.register(Penugasan)
class PenugasanAdmin(OpdScopedAdmin):
    opd_path = "opd"
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
class KunciTahunAdmin(OpdScopedAdmin, SimpleHistoryAdmin):
    """Locks go through the services: locking and unlocking both need a reason, both audited."""

    opd_path = "opd"
    fk_opd_paths = {"opd": "pk"}
    list_display = ("opd", "tahun", "alasan", "dikunci_oleh", "dikunci_pada")
    list_select_related = ("opd", "dikunci_oleh")
    fields = ("opd", "tahun", "alasan")
    change_form_template = "admin/renstra/kuncitahun/change_form.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("opd", "tahun", "alasan", "dikunci_oleh", "dikunci_pada") if obj else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # unlocking is its own page, with a reason

    def save_model(self, request: HttpRequest, obj: KunciTahun, form: Any, change: bool) -> None:
        if change:
            return
        try:
            lock = year_lock(
                user=acting_user(request), opd=obj.opd, tahun=obj.tahun, alasan=obj.alasan
            )
        except ValidationError as exc:
            raise PermissionDenied("; ".join(exc.messages)) from exc
        obj.pk = lock.pk

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
class AnggaranPkAdmin(OpdScopedAdmin, LockGuardAdmin, SimpleHistoryAdmin):
    opd_path = "sasaran__periode__opd"
    list_display = ("sasaran", "tahun", "jumlah")
    list_select_related = ("sasaran",)
    list_filter = ("tahun", ("sasaran__periode__opd", admin.RelatedOnlyFieldListFilter))
    autocomplete_fields = ("sasaran",)
    fk_opd_paths = {"sasaran": "periode__opd"}
