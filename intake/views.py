"""The kabid's spreadsheet round trip for realisasi: download a workbook pre-filled with their
own indicators, upload it, see a dry-run preview with per-row errors, then apply it whole."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from renstra.permissions import acting_user, user_opd_id
from renstra.services import lock_for

from .excel import read_xlsx, template_realisasi
from .komponen_sheet import ComponentImport, import_workbook
from .resources import RealisasiResource

SESSION_KEY = "realisasi_upload"
MAX_UPLOAD = 5 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas Excel (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_berkas(self) -> bytes:
        upload = self.cleaned_data["berkas"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("Berkas terlalu besar; maksimal 5 MB.")
        data: bytes = upload.read()
        if not data.startswith(b"PK\x03\x04"):
            raise forms.ValidationError("Berkas bukan lembar kerja Excel (.xlsx).")
        return data


def summarise(result: Any) -> dict[str, Any]:
    """Per-row errors, every change old → new, the ×10 warnings and counts of an import, in
    the user's words (the kabid's page and the admin's preview show the same)."""
    errors: list[str] = []
    for row in result.invalid_rows:
        for texts in row.error_dict.values():
            errors.extend(str(t) for t in texts)
    for number, row_errors in result.row_errors():
        errors.extend(f"Baris {int(number) + 1}: {e.error}" for e in row_errors)
    errors.extend(str(e.error) for e in result.base_errors)
    counts = {"baru": 0, "diubah": 0, "tetap": 0}
    rows = []
    warnings: list[str] = []
    for row in result.rows:
        kind = {"new": "baru", "update": "diubah"}.get(row.import_type, "tetap")
        changes = getattr(row, "changes", [])
        if kind != "tetap" and not changes and row.import_type in ("new", "update"):
            kind = "tetap"
        counts[kind] += 1
        line = getattr(row, "line", None)
        warnings.extend(f"Baris {line}: {w}" for w in getattr(row, "warnings", []))
        rows.append({"line": line, "nama": row.object_repr, "kind": kind, "changes": changes})
    return {"errors": errors, "counts": counts, "rows": rows, "warnings": warnings}


def _run(user: Any, tahun: int, data: bytes, *, dry_run: bool, confirm: bool = False) -> Any:
    resource = RealisasiResource(user=user, tahun=tahun, recordable_only=True, confirm=confirm)
    return resource.import_data(read_xlsx(data), dry_run=dry_run)


def _import(
    user: Any, tahun: int, data: bytes, *, dry_run: bool, confirm: bool = False
) -> dict[str, Any]:
    """Both sheets (realisasi, and the Komponen sheet when present) as one summary."""
    result, components = import_workbook(_run, user, tahun, data, dry_run=dry_run, confirm=confirm)
    summary = summarise(result)
    summary["komponen"] = components or ComponentImport()
    if components is not None:
        summary["errors"].extend(components.errors)
        summary["warnings"].extend(components.warnings)
    return summary


@login_required
def realisasi_template(request: HttpRequest, tahun: int) -> HttpResponse:
    user = acting_user(request)
    response = HttpResponse(template_realisasi(user, tahun), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="realisasi-{tahun}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def realisasi_spreadsheet(request: HttpRequest, tahun: int) -> HttpResponse:
    user = acting_user(request)
    opd_id = user_opd_id(user)
    if opd_id is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    context: dict[str, Any] = {"tahun": tahun, "lock": lock_for(opd_id, tahun)}
    if request.method == "POST" and request.POST.get("terapkan"):
        stored: dict[str, Any] = request.session.get(SESSION_KEY) or {}
        if stored.get("tahun") != tahun or stored.get("sha") != request.POST.get("sha"):
            messages.error(request, "Pratinjau sudah kedaluwarsa; unggah berkas lagi.")
            return redirect("intake:realisasi_spreadsheet", tahun=tahun)
        data = base64.b64decode(stored["data"])
        summary = _import(
            user, tahun, data, dry_run=False, confirm=bool(request.POST.get("konfirmasi"))
        )
        del request.session[SESSION_KEY]
        if summary["errors"]:
            # The data changed between preview and apply: nothing was written (all-or-nothing).
            context.update(summary=summary, form=UploadForm())
            return render(request, "intake/realisasi_spreadsheet.html", context, status=400)
        counts = summary["counts"]
        n_komponen = len(summary["komponen"].changes)
        messages.success(
            request,
            f"Impor selesai: {counts['baru']} baris baru, {counts['diubah']} diubah"
            + (f", {n_komponen} nilai komponen." if n_komponen else "."),
        )
        return redirect("indicators:realisasi_list", tahun=tahun)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["berkas"]
        summary = _import(user, tahun, data, dry_run=True)
        context["summary"] = summary
        if not summary["errors"]:
            sha = hashlib.sha256(data).hexdigest()
            request.session[SESSION_KEY] = {
                "tahun": tahun,
                "sha": sha,
                "data": base64.b64encode(data).decode(),
            }
            context["sha"] = sha
        status = 400 if summary["errors"] else 200
        context["form"] = UploadForm()
        return render(request, "intake/realisasi_spreadsheet.html", context, status=status)
    context["form"] = form
    return render(
        request,
        "intake/realisasi_spreadsheet.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
