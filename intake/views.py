"""The kabid's spreadsheet round trip for realisasi: download a workbook pre-filled with their
own indicators, upload it, see a dry-run preview with per-row errors, then apply it whole."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
import zlib
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from renstra.models import Opd
from renstra.permissions import acting_user, can_read_opd, user_opd_id
from renstra.services import lock_for

from .excel import read_xlsx, template_realisasi
from .komponen_sheet import import_workbook
from .models import ImporBerkas, JenisImpor, StatusImpor
from .preview import summarise, with_components
from .resources.realisasi import RealisasiResource
from .services import MAX_UPLOAD, import_request
from .tasks import progress_key

SESSION_KEY = "realisasi_upload"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# What a damaged or foreign file raises where a workbook is opened: the zip (not a zip, a
# member missing, a member corrupt), openpyxl, and the XML parsers (their ParseError is a
# SyntaxError); and StopIteration, which the reader raises for a sheet without even a header
# row (an empty workbook). Caught only around reading, so a fault of the import itself stays
# a fault.
UNREADABLE = (
    StopIteration,
    zipfile.BadZipFile,
    KeyError,
    zlib.error,
    InvalidFileException,
    SyntaxError,
    ValueError,
    TypeError,
    IndexError,
    EOFError,
    OSError,
)


def readable_workbook(data: bytes) -> bool:
    """Whether every sheet of ``data`` reads to the end, as the import will read it."""
    try:
        read_xlsx(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                for _row in sheet.iter_rows(values_only=True):
                    pass
        finally:
            workbook.close()
    except UNREADABLE:
        return False
    return True


class UploadForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas Excel (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_berkas(self) -> bytes:
        upload = self.cleaned_data["berkas"]
        if upload.size > MAX_UPLOAD:  # the service checks again; this answers before reading
            raise forms.ValidationError("Berkas terlalu besar; maksimal 5 MB.")
        data: bytes = upload.read()
        if not data.startswith(b"PK\x03\x04"):
            raise forms.ValidationError("Berkas bukan lembar kerja Excel (.xlsx).")
        if not readable_workbook(data):
            # A truncated download or a zip without a workbook: said here, never a 500.
            raise forms.ValidationError(
                "Berkas tidak dapat dibaca sebagai lembar kerja Excel (.xlsx): rusak, terpotong, "
                "atau bukan buku kerja. Unduh templat lagi, isi, lalu unggah."
            )
        return data


def _run(user: Any, tahun: int, data: bytes, *, dry_run: bool, confirm: bool = False) -> Any:
    resource = RealisasiResource(user=user, tahun=tahun, recordable_only=True, confirm=confirm)
    return resource.import_data(read_xlsx(data), dry_run=dry_run)


def _import(
    user: Any, tahun: int, data: bytes, *, dry_run: bool, confirm: bool = False
) -> dict[str, Any]:
    """Both sheets (realisasi, and the Komponen sheet when present) as one summary."""
    result, components = import_workbook(_run, user, tahun, data, dry_run=dry_run, confirm=confirm)
    return with_components(summarise(result), components)


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
        confirm = bool(request.POST.get("konfirmasi"))
        rows = len(read_xlsx(data))
        if rows > settings.KINERJA_IMPORT_INLINE_ROWS:
            # Too long for a web request: the worker applies it, the user watches.
            try:
                job = import_request(
                    user=user,
                    jenis=JenisImpor.REALISASI,
                    opd=Opd.objects.get(pk=opd_id),
                    data=data,
                    rows=rows,
                    tahun=tahun,
                    nama_berkas=f"realisasi-{tahun}.xlsx",
                    konfirmasi=confirm,
                )
            except ValidationError as exc:
                raise PermissionDenied(" ".join(exc.messages)) from exc
            del request.session[SESSION_KEY]
            return redirect("intake:import_status", job_id=job.pk)
        summary = _import(user, tahun, data, dry_run=False, confirm=confirm)
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


@login_required
def import_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """A background import's progress, then its result: counts, or why nothing was saved."""
    job = get_object_or_404(ImporBerkas.objects.defer("berkas"), pk=job_id)
    if job.diminta_oleh_id != request.user.pk and not can_read_opd(request.user, job.opd_id):
        raise PermissionDenied("Anda tidak berhak melihat impor ini.")
    progres, langkah = job.progres, job.langkah
    running = job.status in (StatusImpor.ANTRE, StatusImpor.PROSES)
    if running:
        progres, langkah = caches["progress"].get(progress_key(str(job.pk)), (0, langkah))
    return render(
        request,
        "intake/import_status.html",
        {
            "job": job,
            "running": running,
            "progres": progres,
            "langkah": langkah or job.get_status_display(),
            "counts": job.ringkasan.get("counts", {}),
            "errors": job.ringkasan.get("errors", []),
            "warnings": job.ringkasan.get("warnings", []),
        },
    )
