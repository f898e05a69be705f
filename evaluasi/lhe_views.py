"""The LHE's pages: its letter (nomor, tanggal, tempat, the signing Inspektur) filled by the
Inspektorat until the evaluation is final, and the downloads as PDF and DOCX for whoever
reads the OPD's evaluation (the OPD's roles; the Inspektorat, Bappeda and kepala daerah of its
Pemda). Anyone else gets a 404: the page does not tell whether the OPD or evaluation exists.
A draft is rendered on request and marked DRAFT; a final LHE is the stored bytes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from common.params import valid_or_400
from dokumen.render import FORMATS
from renstra.models import Opd
from renstra.permissions import acting_user, can_read_opd, can_review

from .lhe import lhe_file, lhe_tempat
from .models import Evaluasi, LheVersi, StatusEvaluasi
from .services import lhe_surat_atur


class SuratForm(forms.Form):
    nomor = forms.CharField(max_length=120, required=False)
    tanggal = forms.DateField(required=False)
    tempat = forms.CharField(max_length=120, required=False)
    nama = forms.CharField(max_length=120, required=False)
    nip = forms.CharField(max_length=30, required=False)
    jabatan = forms.CharField(max_length=120)
    versi = forms.IntegerField(min_value=0, max_value=2**31 - 1)


def _evaluation(request: HttpRequest, tahun: int, kode: str) -> tuple[Opd, Evaluasi]:
    """The OPD's evaluation of the year, if the user may read the OPD; else a 404."""
    opd = Opd.objects.filter(kode=kode).first()
    if opd is None or not can_read_opd(request.user, opd.pk):
        raise Http404("Evaluasi tidak ditemukan.")
    evaluasi = Evaluasi.objects.filter(opd=opd, tahun=tahun).select_related("instrumen").first()
    if evaluasi is None:
        raise Http404("Evaluasi tahun ini belum dibuka.")
    return opd, evaluasi


@login_required
@require_safe
def lhe_download(request: HttpRequest, tahun: int, kode: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Format tidak tersedia.")
    opd, evaluasi = _evaluation(request, tahun, kode)
    made = lhe_file(evaluasi, opd, fmt)
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lhe_page(request: HttpRequest, tahun: int, kode: str) -> HttpResponse:
    opd, evaluasi = _evaluation(request, tahun, kode)
    user = acting_user(request)
    final = evaluasi.status == StatusEvaluasi.FINAL
    if request.method == "POST":
        data = valid_or_400(SuratForm(request.POST))
        try:
            lhe_surat_atur(
                user=user,
                evaluasi=evaluasi,
                nomor=data["nomor"],
                tanggal=data["tanggal"],
                tempat=data["tempat"],
                nama=data["nama"],
                nip=data["nip"],
                jabatan=data["jabatan"],
                versi=data["versi"],
            )
            messages.success(request, "Surat LHE disimpan.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("evaluasi:lhe", tahun=tahun, kode=opd.kode)
    versi = (
        LheVersi.objects.filter(evaluasi=evaluasi)
        .order_by("-nomor")
        .only("nomor", "sha256_pdf", "sha256_docx", "nilai", "predikat", "dibuat_pada")
        .first()
    )
    return render(
        request,
        "evaluasi/lhe.html",
        {
            "opd": opd,
            "tahun": tahun,
            "evaluasi": evaluasi,
            "final": final,
            "versi": versi,
            "tempat": lhe_tempat(evaluasi, opd),
            "can_edit": can_review(user, opd.pk) and not final,
        },
    )
