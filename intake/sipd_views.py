"""The perencana's SIPD import page: upload SIPD's DPA and realisasi export (XLSX or JSON), a
preview of each node's budget (old → new) with the totals and the months, then "Terapkan"
through ``intake.sipd_import.import_sipd`` (one transaction, all or nothing)."""

from __future__ import annotations

import base64
import hashlib
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.params import valid_or_400
from indicators.views import default_year
from renstra.models import Anggaran, Opd
from renstra.permissions import acting_user, can_manage_plan, user_opd_id
from renstra.services import lock_for
from renstra.years import renstra_years

from .services import MAX_UPLOAD
from .sipd import SipdFileError, read_sipd
from .sipd_import import SipdPlan, import_sipd

SESSION_KEY = "sipd_import"
TEMPLATE = "intake/sipd_import.html"
# The page lists this many changed nodes; the totals cover all of them.
MAX_SHOWN = 300


class SipdForm(forms.Form):
    berkas = forms.FileField(
        label="Ekspor SIPD (.xlsx atau .json)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"}),
    )
    buat_node = forms.BooleanField(
        label="Buat program/kegiatan/sub kegiatan yang belum ada dari nomenklatur",
        required=False,
    )

    def clean_berkas(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["berkas"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("Berkas terlalu besar; maksimal 5 MB.")
        data: bytes = upload.read()
        name = str(upload.name or "")
        if not (data.startswith(b"PK\x03\x04") or data.lstrip()[:1] in (b"[", b"{")):
            raise forms.ValidationError("Berkas bukan ekspor SIPD (.xlsx atau .json).")
        return name, data


class ApplyForm(forms.Form):
    terapkan = forms.CharField(max_length=1)
    sha = forms.RegexField(regex=r"\A[0-9a-f]{64}\Z", max_length=64)


@login_required
def sipd_now(request: HttpRequest) -> HttpResponse:
    return redirect("intake:sipd_import", tahun=default_year(user_opd_id(request.user)))


def _opd(request: HttpRequest) -> Opd:
    opd_id = user_opd_id(request.user)
    if opd_id is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    if not can_manage_plan(acting_user(request), opd_id):
        raise PermissionDenied("Hanya perencana OPD ini yang dapat mengimpor anggaran SIPD.")
    return Opd.objects.get(pk=opd_id)


def _plan(
    request: HttpRequest, opd: Opd, tahun: int, name: str, data: bytes, **kwargs: Any
) -> SipdPlan:
    return import_sipd(
        user=acting_user(request), opd=opd, tahun=tahun, parsed=read_sipd(data, name), **kwargs
    )


def _context(opd: Opd, tahun: int) -> dict[str, Any]:
    stored = Anggaran.objects.filter(periode__opd=opd, tahun=tahun, program__isnull=False)
    rows = list(stored.values_list("pagu", "realisasi"))
    totals = {
        "pagu": sum((pagu for pagu, _ in rows), Decimal(0)),
        "realisasi": sum((realisasi or Decimal(0) for _, realisasi in rows), Decimal(0)),
        "n": len(rows),
    }
    return {
        "opd": opd,
        "tahun": tahun,
        "years": renstra_years(int(opd.pk), tahun),
        "lock": lock_for(int(opd.pk), tahun),
        "stored": totals,
    }


@login_required
@require_http_methods(["GET", "POST"])
def sipd_import(request: HttpRequest, tahun: int) -> HttpResponse:
    """Upload → preview (nothing written) → "Terapkan". The file is kept between the two
    requests in the session beside its SHA-256 (which the preview's form carries back) and the
    fingerprint of the changes shown: if the stored budget moved in between, nothing is
    written and the new preview is shown."""
    opd = _opd(request)
    context = _context(opd, tahun)
    if request.method == "POST" and "terapkan" in request.POST:
        return _apply(request, opd, tahun, context)
    form = SipdForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    request.session.pop(SESSION_KEY, None)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    name, data = form.cleaned_data["berkas"]
    buat_node = form.cleaned_data["buat_node"]
    try:
        plan = _plan(request, opd, tahun, name, data, buat_node=buat_node, dry_run=True)
    except SipdFileError as exc:
        form.add_error("berkas", str(exc))
        return render(request, TEMPLATE, context, status=400)
    context.update(plan=plan, form=SipdForm(initial={"buat_node": buat_node}))
    if not plan.problems and not plan.unchanged:
        sha = hashlib.sha256(data).hexdigest()
        request.session[SESSION_KEY] = {
            "tahun": tahun,
            "sha": sha,
            "name": name,
            "buat_node": buat_node,
            "fingerprint": plan.fingerprint,
            "data": base64.b64encode(data).decode(),
        }
        context["sha"] = sha
    return render(request, TEMPLATE, context, status=400 if plan.problems else 200)


def _apply(request: HttpRequest, opd: Opd, tahun: int, context: dict[str, Any]) -> HttpResponse:
    sha = valid_or_400(ApplyForm(request.POST))["sha"]
    # Single use: whatever happens next, this preview cannot be applied a second time.
    stored: dict[str, Any] = request.session.pop(SESSION_KEY, None) or {}
    context["form"] = SipdForm()
    if stored.get("tahun") != tahun or stored.get("sha") != sha:
        context["refusals"] = [
            "Pratinjau sudah kedaluwarsa atau tidak cocok dengan berkas yang diunggah; "
            "unggah berkas lagi."
        ]
        return render(request, TEMPLATE, context, status=400)
    data = base64.b64decode(stored["data"])
    try:
        plan = _plan(
            request,
            opd,
            tahun,
            stored["name"],
            data,
            buat_node=stored["buat_node"],
            fingerprint=stored["fingerprint"],
        )
    except (ValidationError, SipdFileError) as exc:
        messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        context["refusals"] = list(messages_)
        return render(request, TEMPLATE, context, status=400)
    if plan.problems:
        context.update(plan=plan, applied=True)
        return render(request, TEMPLATE, context, status=400)
    counts = plan.counts
    messages.success(
        request,
        f"Anggaran {tahun} dari SIPD tersimpan: {counts['anggaran']} anggaran, "
        f"{counts['bulanan']} realisasi bulanan, {counts['node_baru']} node baru, "
        f"{counts['kode_dipasang']} kode dipasang.",
    )
    return redirect("intake:sipd_import", tahun=tahun)
