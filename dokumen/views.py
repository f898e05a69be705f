"""The Dokumen page of an OPD for a year (its officials and their Perjanjian Kinerja, the PK
Perubahan, Rencana Aksi, SK IKU and the cascading check) and the downloads of each document.

Read access follows the OPD's pages (``renstra.permissions.can_read_opd``): the OPD's own
users, and Bappeda, Inspektorat and the kepala daerah of its Pemda (read-only: nothing here
writes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from renstra.models import Eselon, Opd, Pejabat
from renstra.permissions import can_read_opd, user_opd_id
from renstra.years import renstra_years
from reporting.landing import landing_year

from .data import DocumentRefused, cascading_check, pejabat_list, perubahan_officials
from .generate import JENIS, generate
from .render import FORMATS


def _opd(request: HttpRequest, kode: str) -> Opd:
    """The OPD by its code, if the user may read it: another OPD's page is a 404 (its
    existence is not told)."""
    opd = Opd.objects.filter(kode=kode).first()
    if opd is None or not can_read_opd(request.user, opd.pk):
        raise Http404("Perangkat daerah tidak ditemukan.")
    return opd


@login_required
@require_safe
def dokumen_now(request: HttpRequest) -> HttpResponse:
    opd_id = user_opd_id(request.user)
    if opd_id is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    return redirect("dokumen:dokumen", tahun=landing_year(opd_id))


@login_required
@require_safe
def dokumen_own(request: HttpRequest, tahun: int) -> HttpResponse:
    """The menu's "Dokumen": the page of the user's own OPD."""
    opd = Opd.objects.filter(pk=user_opd_id(request.user) or 0).first()
    if opd is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    return _page(request, opd, tahun, own=True)


@login_required
@require_safe
def dokumen_opd(request: HttpRequest, tahun: int, kode: str) -> HttpResponse:
    return _page(request, _opd(request, kode), tahun, own=False)


def _page(request: HttpRequest, opd: Opd, tahun: int, *, own: bool) -> HttpResponse:
    officials = pejabat_list(opd)
    revised = perubahan_officials(opd, tahun)
    kepala = next((p for p in officials if p.eselon == Eselon.II), None)
    rows = [
        {
            "pejabat": p,
            # The Kepala Dinas's PK lists the sasaran: its PK Perubahan exists when a sasaran
            # target was revised.
            "perubahan": (None if p.eselon == Eselon.II else p.pk) in revised,
            "program": p.eselon == Eselon.III,
        }
        for p in officials
    ]
    return render(
        request,
        "dokumen/dokumen.html",
        {
            "opd": opd,
            "tahun": tahun,
            "years": renstra_years(opd.pk, tahun),
            "rows": rows,
            "kepala": kepala,
            "kepala_perubahan": None in revised,
            "cascading": cascading_check(opd, tahun),
            "year_url": "dokumen:dokumen" if own else "",
        },
    )


def _attachment(
    request: HttpRequest, opd: Opd, tahun: int, jenis: str, fmt: str, pejabat: Pejabat | None
) -> HttpResponse:
    if fmt not in FORMATS or jenis not in JENIS:
        raise Http404("Dokumen tidak ditemukan.")
    try:
        made = generate(opd, tahun, jenis, fmt, pejabat)
    except DocumentRefused as exc:
        return render(
            request,
            "dokumen/ditolak.html",
            {
                "opd": opd,
                "tahun": tahun,
                "reasons": exc.messages,
                "back": reverse("dokumen:dokumen_opd", args=[tahun, opd.kode]),
            },
            status=404,
        )
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


@login_required
@require_safe
def dokumen_file(request: HttpRequest, tahun: int, kode: str, jenis: str, fmt: str) -> HttpResponse:
    """An OPD-wide document (the Kepala Dinas's PK, Rencana Aksi, SK IKU)."""
    return _attachment(request, _opd(request, kode), tahun, jenis, fmt, None)


@login_required
@require_safe
def pk_file(
    request: HttpRequest, tahun: int, kode: str, jenis: str, pejabat: int, fmt: str
) -> HttpResponse:
    """An official's PK or PK Perubahan."""
    opd = _opd(request, kode)
    if jenis not in ("pk", "pk-perubahan"):
        raise Http404("Dokumen tidak ditemukan.")
    official = get_object_or_404(Pejabat, pk=pejabat, opd=opd, aktif=True)
    return _attachment(request, opd, tahun, jenis, fmt, official)
