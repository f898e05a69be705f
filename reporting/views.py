"""Pages for leadership and planners: home (by role), LAKIP downloads, final versions and the
progress of background report generation."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from common.params import param_int
from indicators.views import default_year
from renstra.models import Opd, Role
from renstra.permissions import acting_user, can_manage_plan, can_read_opd, user_opd_id, user_role
from renstra.services import lock_for
from renstra.years import renstra_years

from .builder import build_lakip
from .landing import landing_year
from .models import (
    CatatanReviu,
    LakipVersi,
    PembuatanLaporan,
    PengaturanLaporan,
    StatusLaporan,
)
from .render import render_html
from .services import (
    DOWNLOADS,
    FORMATS,
    lakip_download,
    lakip_settings_save,
    report_filename,
)
from .tasks import report_request


def user_opd(request: HttpRequest) -> Opd:
    opd = Opd.objects.filter(pk=user_opd_id(request.user) or 0).first()
    if opd is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    return opd


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is: kabid on realisasi (the year being typed in), the
    roles across OPDs on the kabupaten dashboard, the others on the dashboard of the latest
    year whose figures are complete (reporting.landing)."""
    role = user_role(request.user)
    if role == Role.KABID:
        return redirect("indicators:realisasi_list", tahun=default_year(user_opd_id(request.user)))
    if role in (Role.BAPPEDA, Role.INSPEKTORAT, Role.KEPALA_DAERAH):
        return redirect("pemda_now")
    if role in (Role.PIMPINAN, Role.PERENCANA) or (
        role == Role.ADMIN and user_opd_id(request.user)
    ):
        return redirect("dashboard", tahun=landing_year(user_opd_id(request.user)))
    return render(request, "reporting/home.html", {"role": role})


@login_required
def dashboard_now(request: HttpRequest) -> HttpResponse:
    """The menu's "Dasbor": the dashboard of the latest year with data (home for a user with no
    OPD, who has no dashboard)."""
    opd_id = user_opd_id(request.user)
    if opd_id is None:
        return redirect("home")
    return redirect("dashboard", tahun=landing_year(opd_id))


@login_required
def lakip_now(request: HttpRequest) -> HttpResponse:
    return redirect("lakip", tahun=landing_year(user_opd_id(request.user)))


@login_required
def lakip_page(request: HttpRequest, tahun: int) -> HttpResponse:
    return _lakip_page(request, tahun)


def _lakip_page(request: HttpRequest, tahun: int, status: int = 200) -> HttpResponse:
    opd = user_opd(request)
    versions = list(
        LakipVersi.objects.filter(opd=opd, tahun=tahun)
        .defer("pdf", "xlsx", "docx")
        .select_related("dibuat_oleh")
        .order_by("-nomor")
    )
    jobs = list(
        PembuatanLaporan.objects.filter(opd=opd, tahun=tahun, diminta_oleh=acting_user(request))
        .defer("hasil")
        .order_by("-dibuat_pada")[:5]
    )
    return render(
        request,
        "reporting/lakip_page.html",
        {
            "opd": opd,
            "tahun": tahun,
            "versions": versions,
            "jobs": jobs,
            "lock": lock_for(opd.pk, tahun),
            "can_finalize": can_manage_plan(request.user, opd.pk),
            "setting": PengaturanLaporan.objects.filter(opd=opd, tahun=tahun).first(),
            "years": renstra_years(opd.pk, tahun),
            # The Inspektorat's review notes on this LAKIP, with the OPD's answers.
            "notes": CatatanReviu.objects.filter(opd=opd, tahun=tahun).select_related(
                "penulis", "tanggapan_oleh", "ditutup_oleh", "lakip_versi"
            ),
            "can_respond": can_manage_plan(request.user, opd.pk),
        },
        status=status,
    )


@login_required
@xframe_options_sameorigin
def lakip_preview(request: HttpRequest, tahun: int) -> HttpResponse:
    """The draft report as the very HTML document WeasyPrint renders, at once: the pimpinan
    reads it in the browser while the PDF is made in the background."""
    opd = user_opd(request)
    if not can_read_opd(request.user, opd.pk):
        raise PermissionDenied("Anda tidak berhak membaca laporan OPD ini.")
    try:
        data = build_lakip(opd, tahun)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("lakip", tahun=tahun)
    return HttpResponse(render_html(data), content_type="text/html; charset=utf-8")


class SettingsForm(forms.Form):
    """Where and when the year's LAKIP is signed, as the page's date input sends it."""

    tempat_ttd = forms.CharField(max_length=120, required=False, strip=True)
    tanggal_ttd = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": "Tanggal penandatanganan tidak valid (format tahun-bulan-tanggal)."
        },
    )


@login_required
@require_POST
def lakip_settings_view(request: HttpRequest, tahun: int) -> HttpResponse:
    opd = user_opd(request)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        # "2024-02-30" is not a day: the page again with the reason, nothing saved.
        for error in form.errors.as_data().values():
            for message in ValidationError(error).messages:
                messages.error(request, message)
        return _lakip_page(request, tahun, status=400)
    try:
        lakip_settings_save(
            user=acting_user(request),
            opd=opd,
            tahun=tahun,
            tempat_ttd=form.cleaned_data["tempat_ttd"],
            tanggal_ttd=form.cleaned_data["tanggal_ttd"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Tempat dan tanggal penandatanganan disimpan.")
    return redirect("lakip", tahun=tahun)


@login_required
@require_http_methods(["GET", "POST"])
def lakip_file(request: HttpRequest, tahun: int, fmt: str) -> HttpResponse:
    """A final year's stored bytes at once; otherwise the report is built in the background."""
    return serve_lakip(request, user_opd(request), tahun, fmt, back=reverse("lakip", args=[tahun]))


def serve_lakip(request: HttpRequest, opd: Opd, tahun: int, fmt: str, *, back: str) -> HttpResponse:
    """An OPD's LAKIP for whoever reads the OPD: its own roles from the LAKIP page, the Pemda's
    from the OPD's page (`back`, where a refusal or a GET for a draft returns)."""
    if fmt not in DOWNLOADS:
        raise PermissionDenied("Format tidak tersedia.")
    # A version number the page links to, else a 400 ("²" is a digit to str.isdigit()).
    nomor = param_int(request.GET, "versi", minimum=1, maximum=32767)
    versi_final = LakipVersi.objects.filter(opd=opd, tahun=tahun).exists() and (
        nomor is not None or lock_for(opd.pk, tahun) is not None
    )
    if not versi_final:
        if request.method != "POST":
            # Building a draft writes a job and costs a worker: never on a GET (links,
            # prefetchers). The LAKIP page offers the button.
            messages.info(request, "Tekan tombol unduh untuk membuat draf dari data terkini.")
            return redirect(back)
        job = report_request(user=acting_user(request), opd=opd, tahun=tahun, fmt=fmt)
        return redirect("job_status", job_id=job.pk)
    try:
        download = lakip_download(
            user=acting_user(request),
            opd=opd,
            tahun=tahun,
            fmt=fmt,
            nomor=nomor,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["X-Content-SHA256"] = download.sha256
    return response


@login_required
@require_POST
def lakip_finalize_view(request: HttpRequest, tahun: int) -> HttpResponse:
    opd = user_opd(request)
    if not can_manage_plan(request.user, opd.pk):
        raise PermissionDenied("Hanya perencana yang dapat menetapkan LAKIP final.")
    # Finalising locks the year: it is asked for explicitly, never by a stray submit.
    if request.POST.get("konfirmasi") != "ya":
        messages.error(
            request,
            f"LAKIP {tahun} belum ditetapkan: centang konfirmasi bahwa LAKIP ditetapkan final "
            f"dan tahun {tahun} dikunci.",
        )
        return redirect("lakip", tahun=tahun)
    job = report_request(
        user=acting_user(request),
        opd=opd,
        tahun=tahun,
        fmt="pdf",
        final=True,
        perubahan=request.POST.get("perubahan", ""),
    )
    return redirect("job_status", job_id=job.pk)


def _job_for(request: HttpRequest, job_id: str) -> PembuatanLaporan:
    job = get_object_or_404(
        PembuatanLaporan.objects.select_related("opd").defer("hasil"), pk=job_id
    )
    if job.diminta_oleh_id != request.user.pk and not can_read_opd(request.user, job.opd_id):
        raise PermissionDenied("Anda tidak berhak melihat proses ini.")
    return job


@login_required
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job_for(request, job_id)
    data = {
        "status": job.status,
        "status_label": job.get_status_display(),
        "progres": job.progres,
        "langkah": job.langkah,
        "pesan_galat": job.pesan_galat,
        "unduh": reverse("job_result", args=[job.pk])
        if job.status == StatusLaporan.SELESAI and not job.final
        else None,
    }
    if request.GET.get("format") == "json":
        return JsonResponse(data)
    # The page refreshes itself while the build runs, marked "otomatis": the refresh that finds
    # it done starts the download by itself (a second click was needed), once — a reader who
    # opens the page later gets the button.
    auto = request.GET.get("otomatis") == "1"
    return render(
        request,
        "reporting/job_status.html",
        {"job": job, "status_line": status_line(job), "auto_download": auto, **data},
    )


def status_line(job: PembuatanLaporan) -> str:
    """The status, then the step only when it says more ("Selesai", never "Selesai —
    Selesai"; a queued job is "Menunggu giliran")."""
    label = str(job.get_status_display())
    if job.status == StatusLaporan.ANTRE:
        return "Menunggu giliran"
    step = (job.langkah or "").strip()
    if not step or step.lower() == label.lower():
        return label
    return f"{label}: {step}"


@login_required
def job_result(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job_for(request, job_id)
    if job.status != StatusLaporan.SELESAI or job.final:
        return redirect("job_status", job_id=job.pk)
    content = PembuatanLaporan.objects.values_list("hasil", flat=True).get(pk=job.pk)
    content_type, ext = FORMATS[job.format]
    response = HttpResponse(bytes(content or b""), content_type=content_type)
    name = report_filename(job.opd, job.tahun, f"-draf.{ext}")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
