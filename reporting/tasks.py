"""Background generation of reports (django-tasks): the request that queues one, the job that
makes it, with progress stored for the user."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from renstra import versions
from renstra.door import as_user, refuse_unless
from renstra.models import JenisOpd, Opd
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
            # The version read before the figures: a write while the draft is built makes the
            # next request build it again.
            version = draft_version(job.opd)
            PembuatanLaporan.objects.filter(pk=job_id).update(versi_data=version)
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

# A queued or running draft younger than this is joined by a second request for the same data;
# an older one is taken for stuck (a worker that stopped) and a new job is queued.
JOIN_RUNNING = datetime.timedelta(minutes=15)


def draft_version(opd: Opd) -> str:
    """What an OPD's draft report depends on: the OPD's version. The Pemda's plan unit's report
    is the LKjIP Pemda, built from every OPD's figures: also the Pemda's version."""
    if opd.jenis == JenisOpd.PEMDA and opd.pemda_id is not None:
        return versions.token(versions.opd_scope(opd.pk), versions.pemda_scope(opd.pemda_id))
    return versions.for_opd(opd.pk)


def kept_draft(opd: Opd, tahun: int, fmt: str, version: str) -> PembuatanLaporan | None:
    """The draft already built (or being built) for this data version, if any (one query)."""
    recent = timezone.now() - JOIN_RUNNING
    candidates = PembuatanLaporan.objects.filter(
        opd=opd, tahun=tahun, format=fmt, final=False, versi_data=version
    ).defer("hasil")
    running = Q(status__in=(StatusLaporan.ANTRE, StatusLaporan.PROSES), dibuat_pada__gte=recent)
    found: PembuatanLaporan | None = (
        candidates.filter(Q(status=StatusLaporan.SELESAI) | running)
        .order_by("-dibuat_pada")
        .first()
    )
    return found


def report_request(
    *, user: User, opd: Opd, tahun: int, fmt: str, final: bool = False, perubahan: str = ""
) -> PembuatanLaporan:
    """Queue a draft (any reader of the OPD) or a finalisation (its perencana); a draft of data
    that has not changed since one was built (or is being built) is that one."""
    refuse_unless(  # guard
        can_read_opd(user, opd.pk), "Anda tidak berhak membuat laporan OPD ini."
    )
    if final:
        refuse_unless(  # guard
            can_manage_plan(user, opd.pk), "Hanya perencana yang dapat menetapkan LAKIP final."
        )
    if fmt not in FORMATS:  # guard
        raise ValidationError(f"Format tidak dikenal: {fmt}")
    version = ""
    if not final:
        # Rendering costs a worker seconds (WeasyPrint): a draft of unchanged data is the one
        # already built, served from storage.
        version = draft_version(opd)
        existing = kept_draft(opd, tahun, fmt, version)
        if existing is not None:
            return existing
    job = PembuatanLaporan.objects.create(
        opd=opd,
        tahun=tahun,
        format=fmt,
        final=final,
        perubahan=perubahan,
        diminta_oleh=as_user(user),
        versi_data=version,
    )
    enqueue_report(job)
    return job
