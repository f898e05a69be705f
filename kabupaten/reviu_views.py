"""The follow-up of the Inspektorat's review notes (issue #20, item 4): the OPD's perencana
answers a note on its LAKIP page (tanggapan, with evidence) and it becomes "ditindaklanjuti";
the Inspektorat reads the answer on the OPD's page and closes it ("selesai"). Views only
read the forms and call ``kabupaten.reviu``; every rule is there."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from indicators.evidence import evidence_response
from renstra.permissions import acting_user, can_read_opd
from reporting.models import CatatanReviu

from .reviu import reviu_close, reviu_respond


class TanggapanForm(forms.Form):
    tanggapan = forms.CharField(label="Tanggapan OPD", widget=forms.Textarea(attrs={"rows": 3}))
    bukti = forms.FileField(
        label="Bukti tindak lanjut", required=False, help_text="PDF/JPEG/PNG/XLSX, maks. 10 MB"
    )
    versi = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


class TutupForm(forms.Form):
    versi = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


def _errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def tanggapan(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(CatatanReviu, pk=pk)
    form = TanggapanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"Tanggapan tidak disimpan: {_errors(form)}")
    else:
        upload = form.cleaned_data["bukti"]
        try:
            reviu_respond(
                user=acting_user(request),
                obj=note,
                tanggapan=form.cleaned_data["tanggapan"],
                bukti=upload,
                bukti_nama=upload.name if upload else "",
                versi=form.cleaned_data["versi"],
            )
        except ValidationError as exc:
            messages.error(request, "Tanggapan tidak disimpan: " + " ".join(exc.messages))
        else:
            messages.success(request, "Tanggapan tersimpan; catatan ditandai ditindaklanjuti.")
    return redirect(reverse("lakip", args=[note.tahun]) + "#catatan-reviu")


@login_required
@require_POST
def tutup(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(CatatanReviu.objects.select_related("opd"), pk=pk)
    form = TutupForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Catatan tidak ditutup: {_errors(form)}")
    else:
        try:
            reviu_close(user=acting_user(request), obj=note, versi=form.cleaned_data["versi"])
        except ValidationError as exc:
            messages.error(request, "Catatan tidak ditutup: " + " ".join(exc.messages))
        else:
            messages.success(request, "Catatan reviu ditutup (selesai).")
    return redirect(reverse("pemda_opd", args=[note.tahun, note.opd.kode]) + "#catatan-reviu")


@login_required
def bukti(request: HttpRequest, pk: int) -> FileResponse:
    note = get_object_or_404(CatatanReviu, pk=pk)
    if not can_read_opd(request.user, note.opd_id):
        raise PermissionDenied("Anda tidak berhak melihat bukti ini.")
    if not note.bukti:
        raise Http404("Tidak ada bukti.")
    return evidence_response(note.bukti, note.bukti_nama)
