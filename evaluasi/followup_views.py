"""The pages of what follows the answers (issue 23): a criterion's evidence files (uploaded
and removed from the LKE page, downloaded through a checked view), and one evaluation's
"Rekomendasi dan tindak lanjut" page — the Inspektorat's recommendations per komponen, the
OPD's follow-up, the Inspektorat's verification. Views read forms and call
``evaluasi.followup``; every rule is there."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from common.params import MAX_ID, valid_or_400
from indicators.evidence import evidence_response
from renstra.models import Opd
from renstra.permissions import acting_user, can_manage_plan, can_read_opd, can_review

from .followup import (
    bukti_hapus,
    bukti_unggah,
    followed_up,
    rekomendasi_hapus,
    rekomendasi_tambah,
    rekomendasi_ubah,
    rekomendasi_verifikasi,
    tindak_lanjut_simpan,
)
from .models import (
    BuktiJawaban,
    Evaluasi,
    Komponen,
    Rekomendasi,
    StatusEvaluasi,
    StatusTindakLanjut,
    Verifikasi,
)

KRITERIA = r"^\d{1,2}\.[a-z]\.\d{1,2}$"


def _id() -> forms.IntegerField:
    return forms.IntegerField(min_value=1, max_value=MAX_ID)


def _versi() -> forms.IntegerField:
    return forms.IntegerField(min_value=0, max_value=2**31 - 1)


# Text fields carry no length of their own: the service refuses an empty or too long text
# with its message, which the page shows (a 400 would lose what was typed for nothing).
class BuktiForm(forms.Form):
    kode = forms.RegexField(regex=KRITERIA, max_length=10)
    berkas = forms.FileField()


class AksiForm(forms.Form):
    aksi = forms.ChoiceField(
        choices=[(a, a) for a in ("tambah", "ubah", "hapus", "tindak_lanjut", "verifikasi")]
    )


class TambahForm(forms.Form):
    komponen = forms.RegexField(regex=r"^\d{1,2}$", max_length=2)
    uraian = forms.CharField(required=False, strip=False)


class UbahForm(TambahForm):
    rekomendasi = _id()
    versi = _versi()


class HapusForm(forms.Form):
    rekomendasi = _id()
    versi = _versi()


class TindakLanjutForm(forms.Form):
    rekomendasi = _id()
    versi = _versi()
    tindak_lanjut = forms.CharField(required=False, strip=False)
    status = forms.ChoiceField(choices=StatusTindakLanjut.choices)
    tautan_bukti = forms.CharField(required=False)
    berkas = forms.FileField(required=False)


class VerifikasiForm(forms.Form):
    rekomendasi = _id()
    versi = _versi()
    verifikasi = forms.ChoiceField(
        choices=[(Verifikasi.DITERIMA, "diterima"), (Verifikasi.DITOLAK, "belum memadai")]
    )
    catatan = forms.CharField(required=False, strip=False)


def _opd_evaluation(request: HttpRequest, tahun: int, kode: str) -> tuple[Opd, Evaluasi | None]:
    opd = get_object_or_404(Opd, kode=kode)
    if not can_read_opd(request.user, opd.pk):
        raise PermissionDenied("Anda tidak berhak membaca evaluasi OPD ini.")
    evaluasi = Evaluasi.objects.filter(opd=opd, tahun=tahun).select_related("instrumen").first()
    return opd, evaluasi


# --- evidence per criterion ------------------------------------------------------------------


@login_required
@require_POST
def bukti_unggah_view(request: HttpRequest, tahun: int, kode: str) -> HttpResponse:
    opd, evaluasi = _opd_evaluation(request, tahun, kode)
    if evaluasi is None:
        raise Http404("Evaluasi tahun ini belum dibuka.")
    data = valid_or_400(BuktiForm(request.POST, request.FILES))
    upload = data["berkas"]
    try:
        bukti_unggah(
            user=acting_user(request),
            evaluasi=evaluasi,
            kode=data["kode"],
            berkas=upload,
            size=upload.size,
            nama=upload.name,
        )
    except ValidationError as exc:
        messages.error(request, f"Bukti {data['kode']} tidak disimpan: " + " ".join(exc.messages))
    else:
        messages.success(request, f"Bukti {data['kode']} diunggah.")
    return redirect(reverse("evaluasi:opd", args=[tahun, opd.kode]) + f"#k-{data['kode']}")


def _bukti(request: HttpRequest, pk: int) -> BuktiJawaban:
    bukti = get_object_or_404(
        BuktiJawaban.objects.select_related("jawaban__evaluasi__opd", "jawaban__kriteria"), pk=pk
    )
    if not can_read_opd(request.user, bukti.jawaban.evaluasi.opd_id):
        raise PermissionDenied("Anda tidak berhak melihat bukti ini.")
    return bukti


@login_required
def bukti_unduh(request: HttpRequest, pk: int) -> FileResponse:
    """The file as an attachment, to whoever may read the OPD."""
    bukti = _bukti(request, pk)
    response = evidence_response(bukti.berkas, bukti.nama)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def bukti_hapus_view(request: HttpRequest, pk: int) -> HttpResponse:
    bukti = _bukti(request, pk)
    evaluasi, kode = bukti.jawaban.evaluasi, bukti.jawaban.kriteria.kode
    try:
        bukti_hapus(user=acting_user(request), bukti=bukti)
    except ValidationError as exc:
        messages.error(request, "Bukti tidak dihapus: " + " ".join(exc.messages))
    else:
        messages.success(request, f"Bukti {kode} dihapus.")
    return redirect(
        reverse("evaluasi:opd", args=[evaluasi.tahun, evaluasi.opd.kode]) + f"#k-{kode}"
    )


# --- recommendations and their follow-up -----------------------------------------------------


@dataclass
class Group:
    komponen: Komponen
    rows: list[tuple[Rekomendasi, bool]]  # the recommendation and whether it is followed up


def _post(request: HttpRequest, evaluasi: Evaluasi) -> str:
    """Do what the form asks; the message to show. Refusals of permission stay 403."""
    user = acting_user(request)
    aksi = valid_or_400(AksiForm(request.POST))["aksi"]

    def row(pk: int) -> Rekomendasi:
        return get_object_or_404(
            Rekomendasi.objects.select_related("evaluasi"), pk=pk, evaluasi=evaluasi
        )

    if aksi == "tambah":
        data = valid_or_400(TambahForm(request.POST))
        rekomendasi_tambah(
            user=user, evaluasi=evaluasi, komponen=data["komponen"], uraian=data["uraian"]
        )
        return "Rekomendasi ditambahkan."
    if aksi == "ubah":
        data = valid_or_400(UbahForm(request.POST))
        rekomendasi_ubah(
            user=user,
            rekomendasi=row(data["rekomendasi"]),
            komponen=data["komponen"],
            uraian=data["uraian"],
            versi=data["versi"],
        )
        return "Rekomendasi diubah."
    if aksi == "hapus":
        data = valid_or_400(HapusForm(request.POST))
        rekomendasi_hapus(user=user, rekomendasi=row(data["rekomendasi"]), versi=data["versi"])
        return "Rekomendasi dihapus."
    if aksi == "tindak_lanjut":
        data = valid_or_400(TindakLanjutForm(request.POST, request.FILES))
        upload = data["berkas"]
        tindak_lanjut_simpan(
            user=user,
            rekomendasi=row(data["rekomendasi"]),
            uraian=data["tindak_lanjut"],
            status=data["status"],
            tautan_bukti=data["tautan_bukti"],
            berkas=upload,
            size=upload.size if upload else None,
            berkas_nama=upload.name if upload else "",
            versi=data["versi"],
        )
        return "Tindak lanjut disimpan."
    data = valid_or_400(VerifikasiForm(request.POST))
    rekomendasi_verifikasi(
        user=user,
        rekomendasi=row(data["rekomendasi"]),
        verifikasi=data["verifikasi"],
        catatan=data["catatan"],
        versi=data["versi"],
    )
    return "Verifikasi disimpan."


@login_required
def rekomendasi_page(request: HttpRequest, tahun: int, kode: str) -> HttpResponse:
    opd, evaluasi = _opd_evaluation(request, tahun, kode)
    user = acting_user(request)
    if request.method == "POST":
        if evaluasi is None:
            raise Http404("Evaluasi tahun ini belum dibuka.")
        try:
            messages.success(request, _post(request, evaluasi))
        except ValidationError as exc:
            messages.error(request, "Tidak disimpan: " + " ".join(exc.messages))
        anchor = request.POST.get("rekomendasi", "")
        return redirect(request.path + (f"#r-{anchor}" if anchor.isdigit() else ""))
    context: dict[str, object] = {
        "opd": opd,
        "tahun": tahun,
        "evaluasi": evaluasi,
        "reviewer": can_review(user, opd.pk),
        "planner": can_manage_plan(user, opd.pk),
        "statuses": StatusTindakLanjut.choices,
    }
    if evaluasi is not None:
        components = list(Komponen.objects.filter(instrumen_id=evaluasi.instrumen_id))
        by_kode: dict[str, list[tuple[Rekomendasi, bool]]] = {c.kode: [] for c in components}
        rows = Rekomendasi.objects.filter(evaluasi=evaluasi).select_related("diverifikasi_oleh")
        for r in rows:
            by_kode.setdefault(r.komponen, []).append((r, followed_up(r)))
        context.update(
            final=evaluasi.status == StatusEvaluasi.FINAL,
            components=components,
            groups=[Group(c, by_kode[c.kode]) for c in components],
            n_open=sum(1 for rs in by_kode.values() for r, _ in rs if r.terbuka),
            n_total=sum(len(rs) for rs in by_kode.values()),
        )
    return render(request, "evaluasi/rekomendasi.html", context)


@login_required
def rekomendasi_bukti(request: HttpRequest, pk: int) -> FileResponse:
    rekomendasi = get_object_or_404(Rekomendasi.objects.select_related("evaluasi"), pk=pk)
    if not can_read_opd(request.user, rekomendasi.evaluasi.opd_id):
        raise PermissionDenied("Anda tidak berhak melihat bukti ini.")
    if not rekomendasi.berkas_bukti:
        raise Http404("Tidak ada berkas bukti.")
    response = evidence_response(rekomendasi.berkas_bukti, rekomendasi.berkas_nama)
    response["X-Content-Type-Options"] = "nosniff"
    return response
