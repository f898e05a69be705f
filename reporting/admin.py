"""Admin for the report's editable narrative and its final versions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from renstra.admin_base import DoorAdmin, DoorHistoryAdmin, ReadOnlyAdmin
from renstra.models import Opd
from renstra.permissions import acting_user, user_opd_id

from .models import LakipVersi, Narasi, PembuatanLaporan
from .narrative import placeholder_help
from .services import check_narasi, narasi_prefill


class PrefillForm(forms.Form):
    opd = forms.ModelChoiceField(queryset=Opd.objects.all(), label="OPD")
    tahun = forms.IntegerField(label="Tahun", min_value=2000, max_value=2100)


@admin.register(Narasi)
class NarasiAdmin(DoorHistoryAdmin):
    fk_opd_paths = {"opd": "pk", "sasaran": "periode__opd"}
    list_display = ("bagian", "sasaran", "opd", "tahun")
    list_select_related = ("opd", "sasaran")
    list_filter = ("tahun", "bagian", ("opd", admin.RelatedOnlyFieldListFilter))
    autocomplete_fields = ("sasaran",)
    change_list_template = "admin/reporting/narasi/change_list.html"
    readonly_fields = ("pemeriksaan",)

    @admin.display(description="Pemeriksaan angka")
    def pemeriksaan(self, obj: Narasi | None) -> str:
        # Read-only: lists what contradicts the data; the text itself is never changed.
        if obj is None or obj.pk is None:
            return f"Penanda angka yang selalu mutakhir: {placeholder_help()}"
        found = check_narasi(obj)
        items = format_html_join("", "<li>{}</li>", ((m,) for m in found))
        verdict = (
            format_html("<ul>{}</ul>", items)
            if found
            else "Tidak ada angka yang bertentangan dengan hasil hitung."
        )
        return format_html(
            "{}<p>Penanda angka yang selalu mutakhir: {}</p>", verdict, placeholder_help()
        )

    def get_urls(self) -> list[Any]:
        return [
            path(
                "isi-bawaan/",
                self.admin_site.admin_view(self.prefill_view),
                name="reporting_narasi_prefill",
            ),
            *super().get_urls(),
        ]

    def prefill_view(self, request: HttpRequest) -> HttpResponse:
        form = PrefillForm(request.POST or None)
        if not request.user.is_superuser:
            choices = form.fields["opd"]
            assert isinstance(choices, forms.ModelChoiceField)
            choices.queryset = Opd.objects.filter(pk=user_opd_id(request.user) or 0)
        if request.method == "POST" and form.is_valid():
            opd = form.cleaned_data["opd"]
            try:
                created = narasi_prefill(
                    user=acting_user(request), opd=opd, tahun=form.cleaned_data["tahun"]
                )
            except ValidationError as exc:
                raise PermissionDenied(" ".join(exc.messages)) from exc
            messages.success(request, f"{created} narasi bawaan dibuat; silakan sunting.")
            url = reverse("admin:reporting_narasi_changelist")
            return redirect(f"{url}?tahun={form.cleaned_data['tahun']}")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Isi narasi bawaan",
        }
        return TemplateResponse(request, "admin/reporting/narasi/prefill.html", context)


@admin.register(LakipVersi)
# Final versions are evidence: made only by finalising, never edited or deleted.
class LakipVersiAdmin(ReadOnlyAdmin, DoorAdmin):
    list_display = (
        "opd",
        "tahun",
        "nomor",
        "sha256_pdf",
        "engine_version",
        "skala_kode",
        "dibuat_oleh",
        "dibuat_pada",
    )
    list_select_related = ("opd", "dibuat_oleh")
    list_filter = ("tahun", ("opd", admin.RelatedOnlyFieldListFilter))
    exclude = ("pdf", "xlsx", "docx")
    readonly_fields = (
        "opd",
        "tahun",
        "nomor",
        "sha256_pdf",
        "sha256_xlsx",
        "engine_version",
        "skala_kode",
        "skala_versi",
        "perubahan",
        "dibuat_oleh",
        "dibuat_pada",
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("pdf", "xlsx", "docx")


@admin.register(PembuatanLaporan)
class PembuatanLaporanAdmin(DoorAdmin):
    list_display = ("opd", "tahun", "format", "final", "status", "progres", "dibuat_pada")
    list_select_related = ("opd",)
    list_filter = ("status", "format")
    exclude = ("hasil",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("hasil")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
