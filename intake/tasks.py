"""Background imports (django-tasks): the same resources as the request, so the same rules,
preview and all-or-nothing write; progress for the status page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django_tasks import task

from .models import ImporBerkas, JenisImpor, StatusImpor

Progress = Callable[[int, str], None]


def progress_key(job_id: str) -> str:
    return f"impor:{job_id}"


def _progress(job_id: str) -> Progress:
    # The import runs in one transaction: a progress row written inside it would be seen by
    # nobody until the end. The shared cache is outside it.
    def update(percent: int, step: str) -> None:
        caches["progress"].set(progress_key(job_id), (percent, step[:200]), 60 * 60)

    return update


def run_import(job: ImporBerkas, progress: Progress) -> dict[str, Any]:
    """The job's workbook through the request's own code; the summary the page shows."""
    from .excel import read_xlsx
    from .komponen_sheet import import_workbook
    from .preview import summarise, with_components
    from .resources.realisasi import RealisasiResource
    from .resources.target import TargetWideResource

    data = bytes(job.berkas)
    if job.jenis == JenisImpor.TARGET:
        resource = TargetWideResource(
            user=job.diminta_oleh, opd=job.opd, confirm=job.konfirmasi, progress=progress
        )
        return summarise(resource.import_data(read_xlsx(data), dry_run=False))

    def realisasi(user: Any, tahun: Any, data: bytes, *, dry_run: bool, confirm: bool) -> Any:
        resource = RealisasiResource(
            user=user,
            tahun=tahun,
            recordable_only=tahun is not None,
            opd=job.opd,
            confirm=confirm,
            progress=progress,
        )
        return resource.import_data(read_xlsx(data), dry_run=dry_run)

    if job.tahun is None:  # the admin's multi-year realisasi sheet has no Komponen sheet
        return summarise(
            realisasi(job.diminta_oleh, None, data, dry_run=False, confirm=job.konfirmasi)
        )
    result, components = import_workbook(
        realisasi, job.diminta_oleh, job.tahun, data, dry_run=False, confirm=job.konfirmasi
    )
    return with_components(summarise(result), components)


@task()
def apply_import(job_id: str) -> str:
    job = ImporBerkas.objects.select_related("opd", "diminta_oleh").get(pk=job_id)
    ImporBerkas.objects.filter(pk=job_id).update(status=StatusImpor.PROSES, langkah="Mulai")
    progress = _progress(job_id)
    progress(1, "Mulai")
    try:
        summary = run_import(job, progress)
    except Exception as exc:
        # The user sees why; the worker keeps running for the next job.
        message = "; ".join(getattr(exc, "messages", [])) or str(exc)
        ImporBerkas.objects.filter(pk=job_id).update(
            status=StatusImpor.GAGAL, langkah="Gagal", pesan_galat=message[:2000]
        )
        raise
    failed = bool(summary["errors"])
    ImporBerkas.objects.filter(pk=job_id).update(
        status=StatusImpor.GAGAL if failed else StatusImpor.SELESAI,
        progres=100,
        langkah="Tidak ada yang disimpan" if failed else "Selesai",
        ringkasan={
            "counts": summary["counts"],
            "errors": summary["errors"][:200],
            "warnings": summary["warnings"][:200],
        },
    )
    caches["progress"].delete(progress_key(job_id))
    return job_id
