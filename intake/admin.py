"""Spreadsheet import/export and the decree import in the admin.

The admins themselves belong to renstra and indicators; getting data in is this app's, so it
registers them again with django-import-export's mixin and its own pages (the target
template, the decree import). Every row an import writes goes through the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm

from indicators.admin import IndikatorAdmin, RealisasiAdmin, TargetAdmin
from indicators.models import Indikator, Realisasi, Target
from renstra.admin import AnggaranAdmin
from renstra.models import Anggaran, Opd, PeriodeRenstra
from renstra.permissions import user_opd_id

from .decree_admin import decree_import_view
from .excel import SafeXLSX, template_targets, write_xlsx
from .models import ImporBerkas, JenisImpor
from .preview import summarise
from .resources.anggaran import AnggaranResource
from .resources.indikator import IndikatorResource
from .resources.realisasi import RealisasiResource
from .resources.target import TargetWideResource
from .services import import_request

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ConfirmForm(ConfirmImportForm):
    konfirmasi = forms.BooleanField(
        required=False,
        label="Saya sudah memeriksa lonjakan nilai ×10 pada pratinjau; nilainya benar.",
    )


class SpreadsheetMixin(ImportExportMixin):
    """Excel import/export; the resource gets the requesting user and checks every row
    through the services. The preview lists every change old → new."""

    # XLSX only: numbers travel as real numbers. In CSV they would be text, and "74.04"
    # (dot) is not Indonesian notation. Exports go through the one safe writer.
    import_formats = [SafeXLSX]
    export_formats = [SafeXLSX]
    import_template_name = "admin/import_export/kinerja_import.html"

    def get_confirm_form_class(self, request: HttpRequest) -> Any:
        return ConfirmForm

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        kwargs["user"] = request.user
        form = kwargs.get("form")
        data = getattr(form, "cleaned_data", None) or {}
        kwargs["confirm"] = bool(data.get("konfirmasi"))
        return kwargs

    def import_action(self, request: HttpRequest, **kwargs: Any) -> Any:
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None and context.get("result") is not None:
            context["summary"] = summarise(context["result"])
        return response

    # Large workbooks of this kind are applied by the background worker (None: always inline).
    background_jenis: str | None = None

    def process_dataset(self, dataset: Any, form: Any, request: HttpRequest, **kwargs: Any) -> Any:
        opd_id = user_opd_id(request.user)
        if (
            self.background_jenis is None
            or opd_id is None
            or len(dataset) <= settings.KINERJA_IMPORT_INLINE_ROWS
        ):
            return super().process_dataset(dataset, form, request, **kwargs)
        try:
            return import_request(
                user=request.user,
                jenis=self.background_jenis,
                opd=Opd.objects.get(pk=opd_id),
                data=write_xlsx(dataset),
                rows=len(dataset),
                nama_berkas=str(form.cleaned_data.get("original_file_name") or ""),
                konfirmasi=bool(form.cleaned_data.get("konfirmasi")),
            )
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc

    def process_result(self, result: Any, request: HttpRequest) -> Any:
        if isinstance(result, ImporBerkas):
            return redirect("intake:import_status", job_id=result.pk)
        return super().process_result(result, request)

    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        kwargs = super().get_export_resource_kwargs(request, **kwargs)
        kwargs["user"] = request.user
        return kwargs


def _reregister(model: type[Model], admin_class: type[admin.ModelAdmin]) -> None:
    admin.site.unregister(model)
    admin.site.register(model, admin_class)


class IndikatorSpreadsheetAdmin(SpreadsheetMixin, IndikatorAdmin):
    resource_classes = [IndikatorResource]
    change_list_template = "admin/indicators/indikator/change_list.html"

    def get_urls(self) -> list[Any]:
        return [
            path(
                "keputusan/",
                self.admin_site.admin_view(lambda request: decree_import_view(self, request)),
                name="indicators_indikator_decree",
            ),
            *super().get_urls(),
        ]


class TargetSpreadsheetAdmin(SpreadsheetMixin, TargetAdmin):
    resource_classes = [TargetWideResource]
    background_jenis = JenisImpor.TARGET
    # A row is an indicator's years (or an indicator-year), not one model row: no LogEntry;
    # django-simple-history records every row written, with the user. (Set here: the
    # import-export mixin comes first in the MRO and would reset the model admin's choice.)
    skip_admin_log = True
    change_list_template = "admin/indicators/target/change_list.html"

    def get_urls(self) -> list[Any]:
        return [
            path(
                "templat/",
                self.admin_site.admin_view(self.template_view),
                name="indicators_target_template",
            ),
            *super().get_urls(),
        ]

    def template_view(self, request: HttpRequest) -> HttpResponse:
        """The planner's workbook: every indicator of the OPD's current Renstra period with
        its targets, one column per year — edit it and import it back."""
        opd_id = user_opd_id(request.user)
        periode = (
            PeriodeRenstra.objects.select_related("opd")
            .filter(opd_id=opd_id or 0)
            .order_by("-tahun_awal")
            .first()
        )
        if periode is None:
            raise Http404("Akun Anda belum memiliki OPD dengan periode Renstra.")
        content = template_targets(
            request.user, periode.opd, periode, jenis=request.GET.get("jenis") or None
        )
        response = HttpResponse(content, content_type=XLSX_TYPE)
        name = f"target-{periode.opd.kode}-{periode.tahun_awal}-{periode.tahun_akhir}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class RealisasiSpreadsheetAdmin(SpreadsheetMixin, RealisasiAdmin):
    resource_classes = [RealisasiResource]
    background_jenis = JenisImpor.REALISASI
    # A row is an indicator's years (or an indicator-year), not one model row: no LogEntry;
    # django-simple-history records every row written, with the user. (Set here: the
    # import-export mixin comes first in the MRO and would reset the model admin's choice.)
    skip_admin_log = True


class AnggaranSpreadsheetAdmin(SpreadsheetMixin, AnggaranAdmin):
    resource_classes = [AnggaranResource]


_reregister(Indikator, IndikatorSpreadsheetAdmin)
_reregister(Target, TargetSpreadsheetAdmin)
_reregister(Realisasi, RealisasiSpreadsheetAdmin)
_reregister(Anggaran, AnggaranSpreadsheetAdmin)
