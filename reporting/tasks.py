"""Background generation of reports (django-tasks): the request that queues one, the job that
makes it, with progress stored for the user."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks import task

from renstra.door import as_user, refuse_unless
from renstra.models import Opd
from renstra.permissions import can_manage_plan, can_read_opd

from .models import PembuatanLaporan, StatusLaporan
from .services import FORMATS, lakip_finalize, lakip_generate


def _progress(job_id: str) -> Callable[[int, str], None]:
    def update(percent: int, step: str) -> None:
        PembuatanLaporan.objects.filter(pk=job_id).update(progres=percent, langkah=step[:200])

    return update


@task()
def generate_report(job_id: str) -> str:
    job = PembuatanLaporan.objects.select_related("opd", "diminta_oleh").get(pk=job_id)
    PembuatanLaporan.objects.filter(pk=job_id).update(
        status=StatusLaporan.PROSES, progres=1, langkah="Mulai"
    )
    try:
        if job.final:
            if job.diminta_oleh is None:
                raise ValueError("Penetapan final memerlukan pengguna yang meminta.")
            versi = lakip_finalize(
                user=job.diminta_oleh,
                opd=job.opd,
                tahun=job.tahun,
                perubahan=job.perubahan,
                progress=_progress(job_id),
            )
            PembuatanLaporan.objects.filter(pk=job_id).update(
                status=StatusLaporan.SELESAI, progres=100, langkah="Selesai", versi=versi
            )
        else:
            content = lakip_generate(job.opd, job.tahun, job.format, progress=_progress(job_id))
            PembuatanLaporan.objects.filter(pk=job_id).update(
                status=StatusLaporan.SELESAI, progres=100, langkah="Selesai", hasil=content
            )
    except Exception as exc:
        # The user sees why; the worker keeps running for the next job.
        message = "; ".join(getattr(exc, "messages", [])) or str(exc)
        PembuatanLaporan.objects.filter(pk=job_id).update(
            status=StatusLaporan.GAGAL, langkah="Gagal", pesan_galat=message[:2000]
        )
        raise
    return job_id


def enqueue_report(job: PembuatanLaporan) -> None:
    """Queue the job once the row that describes it is committed (the worker reads it)."""
    transaction.on_commit(lambda: generate_report.enqueue(str(job.pk)))


# --- report requests ---------------------------------------------------------------------------


def report_request(
    *, user: User, opd: Opd, tahun: int, fmt: str, final: bool = False, perubahan: str = ""
) -> PembuatanLaporan:
    """Queue a draft (any reader of the OPD) or a finalisation (its perencana)."""
    refuse_unless(  # guard
        can_read_opd(user, opd.pk), "Anda tidak berhak membuat laporan OPD ini."
    )
    if final:
        refuse_unless(  # guard
            can_manage_plan(user, opd.pk), "Hanya perencana yang dapat menetapkan LAKIP final."
        )
    if fmt not in FORMATS:  # guard
        raise ValidationError(f"Format tidak dikenal: {fmt}")
    job = PembuatanLaporan.objects.create(
        opd=opd,
        tahun=tahun,
        format=fmt,
        final=final,
        perubahan=perubahan,
        diminta_oleh=as_user(user),
    )
    enqueue_report(job)
    return job
