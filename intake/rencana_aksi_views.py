"""Uploading the rencana aksi workbook back: a preview of each changed quarter (old → new)
and of the refused rows, then "Terapkan" through ``target_triwulan_set_many``."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.params import valid_or_400
from indicators.rencana_aksi import target_triwulan_check_many, target_triwulan_set_many
from indicators.rencana_aksi_views import can_plan_quarters, quarterly_indicators
from renstra.permissions import acting_user, user_opd_id
from renstra.services import lock_for

from .rencana_aksi_upload import UnreadableSheet, UploadPlan, plan_upload
from .views import UploadForm

# --- uploading the workbook back ----------------------------------------------------------

SESSION_KEY = "rencana_aksi_upload"


class ApplyForm(forms.Form):
    """The preview's "Terapkan": the digest of the previewed file, which must be the one kept
    in the session (another tab's upload, or a hand-made post, does not match)."""

    terapkan = forms.CharField(max_length=1)
    sha = forms.RegexField(regex=r"\A[0-9a-f]{64}\Z", max_length=64)


def _plan(
    request: HttpRequest, tahun: int, data: bytes, *, dry_run: bool
) -> tuple[UploadPlan, dict[int, list[str]]]:
    """The workbook's changes, and the refusals of the parse and (``dry_run``: the preview)
    of the service's dry run. The apply skips the dry run: the service itself refuses there,
    writing nothing."""
    opd_id = user_opd_id(request.user)
    plan = plan_upload(
        data, indicators=quarterly_indicators(request, opd_id or 0, tahun, None), tahun=tahun
    )
    items = plan.items(tahun)
    checked = (
        target_triwulan_check_many(user=acting_user(request), items=items)
        if items and dry_run
        else {}
    )
    return plan, checked


def _refusals(plan: UploadPlan, checked: dict[int, list[str]]) -> list[str]:
    names = {int(c.indikator.pk): c.indikator.nama for c in plan.changes}
    return plan.shown_refusals + [
        f"{names[pk]}: {reason}" for pk, reasons in checked.items() for reason in reasons
    ]


@login_required
@require_http_methods(["GET", "POST"])
def rencana_aksi_upload(request: HttpRequest, tahun: int) -> HttpResponse:
    """Upload the edited workbook: a preview of each changed quarter (old → new) and of the
    refused rows, nothing written; "Terapkan" then applies exactly the previewed file through
    ``target_triwulan_set_many`` (all or nothing), after checking everything again.

    The file is kept between the two requests as the realisasi import keeps its own (the bytes
    in the session beside their SHA-256, which the preview's form carries back), plus the
    digest of the changes shown: if the stored data moved in between, the apply refuses."""
    opd_id = user_opd_id(request.user)
    if opd_id is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    if not can_plan_quarters(request, opd_id):
        raise PermissionDenied("Hanya perencana OPD ini yang dapat mengunggah target triwulan.")
    context: dict[str, Any] = {"tahun": tahun, "lock": lock_for(opd_id, tahun)}
    if request.method == "POST" and "terapkan" in request.POST:
        return _apply(request, tahun, context)
    form = UploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method != "POST":
        return render(request, "intake/rencana_aksi_upload.html", context)
    # A new upload replaces any earlier preview: its "Terapkan" must no longer apply.
    request.session.pop(SESSION_KEY, None)
    if not form.is_valid():
        return render(request, "intake/rencana_aksi_upload.html", context, status=400)
    data: bytes = form.cleaned_data["berkas"]
    try:
        plan, checked = _plan(request, tahun, data, dry_run=True)
    except UnreadableSheet as exc:
        form.add_error("berkas", str(exc))
        return render(request, "intake/rencana_aksi_upload.html", context, status=400)
    refusals = _refusals(plan, checked)
    context.update(plan=plan, refusals=refusals, form=UploadForm())
    if plan.changes and not refusals:
        sha = hashlib.sha256(data).hexdigest()
        request.session[SESSION_KEY] = {
            "tahun": tahun,
            "sha": sha,
            "digest": plan.digest(),
            "data": base64.b64encode(data).decode(),
        }
        context["sha"] = sha
    return render(
        request,
        "intake/rencana_aksi_upload.html",
        context,
        status=400 if refusals else 200,
    )


def _apply(request: HttpRequest, tahun: int, context: dict[str, Any]) -> HttpResponse:
    sha = valid_or_400(ApplyForm(request.POST))["sha"]
    # Single use: whatever happens next, this preview cannot be applied a second time.
    stored: dict[str, Any] = request.session.pop(SESSION_KEY, None) or {}
    context["form"] = UploadForm()
    if stored.get("tahun") != tahun or stored.get("sha") != sha:
        context["refusals"] = [
            "Pratinjau sudah kedaluwarsa atau tidak cocok dengan berkas yang diunggah; "
            "unggah berkas lagi."
        ]
        return render(request, "intake/rencana_aksi_upload.html", context, status=400)
    data = base64.b64decode(stored["data"])
    plan, checked = _plan(request, tahun, data, dry_run=False)
    refusals = _refusals(plan, checked)
    if not refusals and plan.digest() != stored.get("digest"):
        refusals = [
            "Data target triwulan telah berubah sejak pratinjau; tidak ada yang disimpan. "
            "Periksa pratinjau baru di bawah lalu unggah berkas lagi bila masih sesuai."
        ]
    if not refusals:
        items = plan.items(tahun)
        try:
            target_triwulan_set_many(user=acting_user(request), items=items)
        except (ValidationError, PermissionDenied) as exc:
            refusals = [str(exc)] if isinstance(exc, PermissionDenied) else list(exc.messages)
        else:
            messages.success(
                request,
                f"Target triwulan dari berkas tersimpan: {len(plan.changes)} nilai pada "
                f"{len(items)} indikator.",
            )
            return redirect("indicators:rencana_aksi", tahun=tahun)
    context.update(plan=plan, refusals=refusals, applied=True)
    return render(request, "intake/rencana_aksi_upload.html", context, status=400)
