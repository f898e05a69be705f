"""The register's pages: "Register Dokumen" of an OPD and year (read by whoever reads the OPD,
written through dokumen.services by whoever manages its plan), the scans as checked
downloads, the ESR package, and the Pemda's public page (no sign-in; published only)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from indicators.evidence import evidence_response
from renstra.models import Opd, Pemda
from renstra.permissions import acting_user, can_manage_plan, can_read_opd, user_opd_id
from renstra.services import lock_for
from renstra.versions import cached_page, for_pemda
from renstra.years import renstra_years
from reporting.landing import landing_year

from . import esr
from .models import DokumenRegister, JenisDokumen
from .paket import esr_package
from .publik import public_page
from .register import published_entries, register_rows
from .services import dokumen_publish, dokumen_save, dokumen_unpublish

DATE_ERROR = "Tanggal tidak valid (format tahun-bulan-tanggal)."


class EntriForm(forms.Form):
    """One row's form: save (scan, nomor, dates), publish, or withdraw the publication."""

    aksi = forms.ChoiceField(
        label="Tindakan",
        choices=[("simpan", "Simpan"), ("terbitkan", "Publikasikan"), ("batal", "Batalkan")],
    )
    jenis = forms.TypedChoiceField(label="Jenis dokumen", choices=JenisDokumen.choices, coerce=int)
    nomor = forms.CharField(label="Nomor", required=False, max_length=200)
    tanggal_penetapan = forms.DateField(
        label="Tanggal penetapan",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_ERROR},
    )
    tanggal_publikasi = forms.DateField(
        label="Tanggal publikasi",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_ERROR},
    )
    tenggat = forms.DateField(
        label="Tenggat",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_ERROR},
    )
    berkas = forms.FileField(label="Pindaian", required=False)


def _own_opd(request: HttpRequest) -> Opd:
    opd = Opd.objects.select_related("pemda").filter(pk=user_opd_id(request.user) or 0).first()
    if opd is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    return opd


def _readable_opd(request: HttpRequest, kode: str) -> Opd:
    opd = Opd.objects.select_related("pemda").filter(kode=kode).first()
    if opd is None:
        raise Http404("OPD tidak ditemukan.")
    if not can_read_opd(request.user, opd.pk):
        raise PermissionDenied("Anda tidak berhak membaca register dokumen OPD ini.")
    return opd


@login_required
def register_now(request: HttpRequest) -> HttpResponse:
    return redirect("register:register", tahun=landing_year(user_opd_id(request.user)))


@login_required
@require_http_methods(["GET", "POST"])
def register_own(request: HttpRequest, tahun: int) -> HttpResponse:
    """The register of the user's own OPD (Bappeda's is the Pemda's plan unit)."""
    return _register(request, _own_opd(request), tahun, own=True)


@login_required
@require_http_methods(["GET", "POST"])
def register_opd(request: HttpRequest, tahun: int, kode: str) -> HttpResponse:
    """The register of an OPD the user reads (the Pemda's roles, an admin)."""
    opd = _readable_opd(request, kode)
    return _register(request, opd, tahun, own=opd.pk == user_opd_id(request.user))


def _here(opd: Opd, tahun: int, own: bool) -> str:
    if own:
        return reverse("register:register", args=[tahun])
    return reverse("register:register_opd", args=[tahun, opd.kode])


def _register(request: HttpRequest, opd: Opd, tahun: int, *, own: bool) -> HttpResponse:
    if request.method == "POST":
        form = EntriForm(request.POST, request.FILES)
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label or name if name in form.fields else name
                for error in errors:
                    messages.error(request, f"{label}: {error}")
            return _page(request, opd, tahun, own=own, status=400)
        try:
            message = _apply(request, opd, tahun, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, message)
        return redirect(_here(opd, tahun, own) + f"#jenis-{form.cleaned_data['jenis']}")
    return _page(request, opd, tahun, own=own)


def _apply(request: HttpRequest, opd: Opd, tahun: int, data: dict[str, Any]) -> str:
    user = acting_user(request)
    jenis = data["jenis"]
    nama = esr.TYPES[jenis]
    if data["aksi"] == "terbitkan":
        tanggal = data["tanggal_publikasi"] or datetime.date.today()
        dokumen_publish(user=user, opd=opd, tahun=tahun, jenis=jenis, tanggal=tanggal)
        return f"{nama} dipublikasikan."
    if data["aksi"] == "batal":
        dokumen_unpublish(user=user, opd=opd, tahun=tahun, jenis=jenis)
        return f"Publikasi {nama} dibatalkan."
    upload = data["berkas"]
    dokumen_save(
        user=user,
        opd=opd,
        tahun=tahun,
        jenis=jenis,
        nomor=data["nomor"],
        tanggal_penetapan=data["tanggal_penetapan"],
        tenggat=data["tenggat"],
        berkas=upload,
        berkas_size=upload.size if upload is not None else None,
        berkas_nama=upload.name if upload is not None else "",
    )
    return f"{nama} disimpan."


def _page(
    request: HttpRequest, opd: Opd, tahun: int, *, own: bool, status: int = 200
) -> HttpResponse:
    rows = register_rows(opd, tahun)
    return render(
        request,
        "dokumen/register.html",
        {
            "opd": opd,
            "tahun": tahun,
            "own": own,
            "rows": rows,
            "drafts": {r.jenis: r.draft.url(opd, tahun, own) for r in rows if r.draft},
            "can_edit": can_manage_plan(request.user, opd.pk),
            "lock": lock_for(opd.pk, tahun),
            "years": renstra_years(opd.pk, tahun),
            "today": datetime.date.today(),
            "n_published": sum(1 for r in rows if r.published),
            "n_ditetapkan": sum(1 for r in rows if r.ditetapkan),
        },
        status=status,
    )


@login_required
@require_GET
def scan(request: HttpRequest, tahun: int, kode: str, jenis: int) -> FileResponse:
    """The signed scan, for whoever reads the OPD (any status)."""
    opd = _readable_opd(request, kode)
    if jenis not in esr.TYPES:
        raise Http404("Jenis dokumen tidak dikenal.")
    entry = DokumenRegister.objects.filter(opd=opd, tahun=tahun, jenis=jenis).first()
    if entry is None or not entry.berkas:
        raise Http404("Belum ada pindaian.")
    return _attachment(entry, opd)


def _attachment(entry: DokumenRegister, opd: Opd) -> FileResponse:
    response = evidence_response(entry.berkas, esr.package_name(entry.jenis, opd.kode, entry.tahun))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def package(request: HttpRequest, tahun: int, kode: str) -> HttpResponse:
    opd = _readable_opd(request, kode)
    name, content = esr_package(opd, tahun)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the public page (no sign-in) ---------------------------------------------------------------


@require_GET
def publik_index(request: HttpRequest) -> HttpResponse:
    """The Pemdas whose public pages there are (linked from the sign-in page)."""
    return render(request, "dokumen/publik_index.html", {"pemdas": Pemda.objects.order_by("nama")})


@require_GET
def publik(request: HttpRequest, kode: str) -> HttpResponse:
    """The Pemda's published documents and its OPDs' final headline capaian, for anyone. The
    rendered body is kept under the Pemda's version (renstra.versions), which every write to the
    register, the plan and the final LAKIP versions of its OPDs raises: a publication shows at
    once."""
    pemda = Pemda.objects.filter(kode=kode).first()
    if pemda is None:
        raise Http404("Pemerintah daerah tidak ditemukan.")
    body = cached_page(
        ("publik", pemda.pk),
        lambda: render_to_string("dokumen/publik_body.html", {"p": public_page(pemda)}),
        for_pemda(pemda.pk),
    )
    return render(request, "dokumen/publik.html", {"pemda": pemda, "body": body})


@require_GET
def publik_scan(request: HttpRequest, kode: str, pk: int) -> FileResponse:
    """A published document's scan; anything else (draft, ditetapkan but unpublished, another
    Pemda's) is a 404, as if it did not exist."""
    entry = published_entries().select_related("opd").filter(pk=pk, opd__pemda__kode=kode).first()
    if entry is None:
        raise Http404("Dokumen tidak ditemukan.")
    return _attachment(entry, entry.opd)
