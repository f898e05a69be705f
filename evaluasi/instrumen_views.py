"""The instrument's versions for the Inspektorat: the list (each version, the year it takes
effect, its size and thresholds) and the import of a later official workbook — upload, a
preview of what changes against the instrument in force (nothing saved), then "Terapkan"
through ``instrumen_services.instrumen_impor``."""

from __future__ import annotations

import base64
import hashlib
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from common.params import valid_or_400
from renstra.permissions import acting_user

from .instrumen_services import LAST_YEAR, can_manage_instrument, instrumen_impor
from .models import Evaluasi, Instrumen
from .reader import instrument_of
from .services import instrument_for
from .workbook import FROM_FILE, InvalidWorkbook, Parsed, diff, parse_workbook

SESSION_KEY = "lke_instrumen_impor"
MAX_UPLOAD = 5 * 1024 * 1024
PARTS = {
    "skala": "Skala jawaban",
    "predikat": "Predikat",
    "logika": "Uji logika",
    "ambang": "Ambang usulan A–D",
}


class ImporForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas LKE resmi (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    kode = forms.RegexField(
        label="Kode versi",
        regex=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$",
        max_length=40,
        help_text="Mis. PERMENPANRB-XX-2026: huruf, angka, titik, garis bawah, tanda hubung.",
    )
    nama = forms.CharField(label="Nama", max_length=200)
    tahun_mulai = forms.IntegerField(
        label="Berlaku mulai tahun", min_value=2000, max_value=LAST_YEAR
    )

    def clean_berkas(self) -> bytes:
        upload = self.cleaned_data["berkas"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("Berkas terlalu besar; maksimal 5 MB.")
        data: bytes = upload.read()
        if not data.startswith(b"PK\x03\x04"):
            raise forms.ValidationError("Berkas bukan buku kerja Excel (.xlsx).")
        return data


class ApplyForm(forms.Form):
    """The preview's "Terapkan": the digest of the previewed file, which must be the one kept
    in the session (another tab's upload, or a hand-made post, does not match)."""

    terapkan = forms.CharField(max_length=1)
    sha = forms.RegexField(regex=r"\A[0-9a-f]{64}\Z", max_length=64)


def _require(request: HttpRequest) -> None:
    if not can_manage_instrument(request.user):
        raise PermissionDenied("Instrumen LKE dikelola oleh Inspektorat.")


def _ambang(ambang: dict[str, Any]) -> list[tuple[str, Decimal]]:
    return sorted(((str(k), Decimal(str(v))) for k, v in ambang.items()), key=lambda kv: -kv[1])


@login_required
@require_GET
def instrumen_list(request: HttpRequest) -> HttpResponse:
    """Every version with the year it takes effect, its komponen, sub-komponen and criteria,
    its thresholds and the evaluations scored with it. Queries: the versions with their
    counts (1) and the evaluations per version (1)."""
    _require(request)
    versions = list(
        Instrumen.objects.annotate(
            n_komponen=Count("komponen_set", distinct=True),
            n_sub=Count("komponen_set__sub_set", distinct=True),
            n_kriteria=Count("komponen_set__sub_set__kriteria_set", distinct=True),
        ).order_by("-tahun_mulai", "-pk")
    )
    used = dict(Evaluasi.objects.values_list("instrumen_id").annotate(n=Count("id")).order_by())
    this_year = timezone.localdate().year
    in_force = next((v.pk for v in versions if v.tahun_mulai <= this_year), None)
    rows = [
        {
            "v": v,
            "ambang": _ambang(v.ambang or {}),
            "evaluasi": used.get(v.pk, 0),
            "berlaku": v.pk == in_force,
        }
        for v in versions
    ]
    return render(request, "evaluasi/instrumen_list.html", {"rows": rows, "this_year": this_year})


def _preview(
    request: HttpRequest, data: bytes, kode: str, nama: str, tahun_mulai: int
) -> tuple[Parsed, dict[str, Any]]:
    """The workbook read against the instrument in force in ``tahun_mulai`` and every check of
    the service run dry; raises ``InvalidWorkbook`` / ``ValidationError``."""
    current_row = instrument_for(tahun_mulai)
    current = instrument_of(current_row)
    parsed = parse_workbook(data, current)
    instrumen_impor(
        user=acting_user(request),
        parsed=parsed,
        kode=kode,
        nama=nama,
        tahun_mulai=tahun_mulai,
        dry_run=True,
    )
    changes = diff(current, parsed.instrument)
    new = parsed.instrument
    return parsed, {
        "current": current_row,
        "changes": changes,
        "sources": [(PARTS[k], v, v == FROM_FILE) for k, v in parsed.sources.items()],
        "counts": [
            ("Komponen", len(current.components), len(new.components)),
            ("Sub-komponen", len(current.subs), len(new.subs)),
            ("Kriteria", len(current.criteria), len(new.criteria)),
        ],
        "fields": {"kode": kode.strip().upper(), "nama": nama.strip(), "tahun_mulai": tahun_mulai},
    }


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, InvalidWorkbook):
        return exc.errors
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


@login_required
@require_http_methods(["GET", "POST"])
def instrumen_impor_page(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing saved; the file kept in the session beside its SHA-256,
    which the preview's form carries back) → "Terapkan" (the same file read again and
    stored through the service, all or nothing)."""
    _require(request)
    if request.method == "POST" and "terapkan" in request.POST:
        return _apply(request)
    form = ImporForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method != "POST":
        return render(request, "evaluasi/instrumen_impor.html", context)
    # A new upload replaces any earlier preview: its "Terapkan" must no longer apply.
    request.session.pop(SESSION_KEY, None)
    if not form.is_valid():
        return render(request, "evaluasi/instrumen_impor.html", context, status=400)
    data: bytes = form.cleaned_data["berkas"]
    fields = {k: form.cleaned_data[k] for k in ("kode", "nama", "tahun_mulai")}
    try:
        _, preview = _preview(request, data, **fields)
    except (InvalidWorkbook, ValidationError) as exc:
        context["refusals"] = _messages(exc)
        return render(request, "evaluasi/instrumen_impor.html", context, status=400)
    sha = hashlib.sha256(data).hexdigest()
    request.session[SESSION_KEY] = {
        "sha": sha,
        "data": base64.b64encode(data).decode(),
        **preview["fields"],
    }
    context.update(preview, sha=sha, form=ImporForm(initial=preview["fields"]))
    return render(request, "evaluasi/instrumen_impor.html", context)


def _apply(request: HttpRequest) -> HttpResponse:
    sha = valid_or_400(ApplyForm(request.POST))["sha"]
    # Single use: whatever happens next, this preview cannot be applied a second time.
    stored: dict[str, Any] = request.session.pop(SESSION_KEY, None) or {}
    context: dict[str, Any] = {"form": ImporForm()}
    if stored.get("sha") != sha:
        context["refusals"] = [
            "Pratinjau sudah kedaluwarsa atau tidak cocok dengan berkas yang diunggah; "
            "unggah berkas lagi."
        ]
        return render(request, "evaluasi/instrumen_impor.html", context, status=400)
    data = base64.b64decode(stored["data"])
    fields = {k: stored[k] for k in ("kode", "nama", "tahun_mulai")}
    try:
        parsed = parse_workbook(data, instrument_of(instrument_for(fields["tahun_mulai"])))
        row = instrumen_impor(user=acting_user(request), parsed=parsed, **fields)
    except (InvalidWorkbook, ValidationError) as exc:
        context["refusals"] = _messages(exc)
        return render(request, "evaluasi/instrumen_impor.html", context, status=400)
    row = cast(Instrumen, row)  # not a dry run: the stored row
    messages.success(
        request,
        f"Instrumen {row.nama} tersimpan: {len(parsed.instrument.criteria)} kriteria, berlaku "
        f"mulai {row.tahun_mulai}. Evaluasi yang sudah dibuka tetap memakai instrumennya.",
    )
    return redirect("evaluasi:instrumen")
