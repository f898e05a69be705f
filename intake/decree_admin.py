"""The decree import from the admin: upload, dry-run report, then apply (same service as the
`import_decree` command)."""

from __future__ import annotations

import base64
import hashlib
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from renstra.models import Opd
from renstra.permissions import acting_user, can_manage_plan, user_opd_id

from .decree_import import DecreeImportReport, decree_import

SESSION_KEY = "decree_upload"
SUFFIXES = {".txt", ".csv", ".xlsx"}


class DecreeForm(forms.Form):
    berkas = forms.FileField(
        label="Tabel keputusan IKU/IK",
        help_text="XLSX, CSV, atau teks bertab; 9 kolom (No, Tujuan/Sasaran/Program, Indikator, "
        "Makna, Alasan, Formulasi, Sumber/Referensi, Sumber Data, Penanggung Jawab).",
    )
    opd = forms.ModelChoiceField(queryset=Opd.objects.all(), label="OPD")
    periode = forms.RegexField(
        regex=r"^\d{4}\s*[-–]\s*\d{4}$",
        required=False,
        label="Periode Renstra",
        help_text="Mis. 2021-2026; kosongkan untuk periode terakhir OPD.",
        error_messages={"invalid": "Tulis periode seperti 2021-2026."},
    )

    def clean_berkas(self) -> Any:
        upload = self.cleaned_data["berkas"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError("Unggah berkas .xlsx, .csv, atau .txt.")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("Berkas terlalu besar; maksimal 5 MB.")
        return upload


def _run(data: bytes, suffix: str, **kwargs: Any) -> DecreeImportReport:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"keputusan{suffix}"
        path.write_bytes(data)
        return decree_import(path=path, **kwargs)


def decree_import_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = DecreeForm(request.POST or None, request.FILES or None)
    if not user.is_superuser:
        field = form.fields["opd"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Opd.objects.filter(pk=user_opd_id(user) or 0)
        # Their only OPD, chosen already (an empty "---------" read as a choice still to make).
        field.initial = user_opd_id(user)
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "title": "Impor keputusan IKU/IK",
        "opts": model_admin.model._meta,
    }
    if request.method == "POST" and request.POST.get("terapkan"):
        stored = request.session.pop(SESSION_KEY, None)
        if not stored or stored["sha"] != request.POST.get("sha"):
            messages.error(request, "Pratinjau sudah kedaluwarsa; unggah berkas lagi.")
            return redirect("admin:indicators_indikator_decree")
        opd = Opd.objects.get(pk=stored["opd"])
        if not can_manage_plan(user, opd.pk):
            raise PermissionDenied("Hanya perencana OPD ini yang dapat mengimpor keputusan.")
        report = _run(
            base64.b64decode(stored["data"]),
            stored["suffix"],
            opd_kode=opd.kode,
            periode=stored["periode"] or None,
            user=user,
        )
        created = sum(report.created.values())
        messages.success(
            request,
            f"Keputusan diimpor: {created} data baru; "
            f"{len(report.problems)} baris tidak dapat ditempatkan.",
        )
        return redirect("admin:indicators_indikator_changelist")
    if request.method == "POST" and form.is_valid():
        opd = form.cleaned_data["opd"]
        if not can_manage_plan(user, opd.pk):
            raise PermissionDenied("Hanya perencana OPD ini yang dapat mengimpor keputusan.")
        upload = form.cleaned_data["berkas"]
        data = upload.read()
        suffix = Path(upload.name).suffix.lower()
        try:
            report = _run(
                data,
                suffix,
                opd_kode=opd.kode,
                periode=form.cleaned_data["periode"] or None,
                dry_run=True,
                user=user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            sha = hashlib.sha256(data).hexdigest()
            request.session[SESSION_KEY] = {
                "sha": sha,
                "opd": opd.pk,
                "suffix": suffix,
                "periode": form.cleaned_data["periode"],
                "data": base64.b64encode(data).decode(),
            }
            context.update(report=report, sha=sha)
    context["form"] = form
    return TemplateResponse(request, "admin/indicators/indikator/decree_import.html", context)
