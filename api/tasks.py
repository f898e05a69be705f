"""Large sets in the background (django-tasks, the mechanism of the workbook imports and the
report builds): the task runs the same import the request would, with the sender's identity,
and keeps the summary for ``/api/v1/tasks/<id>/``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .models import StatusTugas, TugasApi

# kind → (user, the set as sent) → (summary, its HTTP status); filled by each kind's view
# (runner.SetView), imported at start-up (apps.ready).
KINDS: dict[str, Callable[[Any, Any], tuple[dict[str, Any], int]]] = {}


def prune() -> int:
    """Forget the tasks ended more than ``KINERJA_API_TASK_DAYS`` days ago: a task keeps the
    set as sent (up to 10.000 values), and its sender has long read the summary. Called when
    a new task is made, so the table stays as small as a week's large sets."""
    cutoff = timezone.now() - timedelta(days=settings.KINERJA_API_TASK_DAYS)
    deleted, _ = TugasApi.objects.filter(
        status__in=[StatusTugas.SELESAI, StatusTugas.GAGAL], selesai_pada__lt=cutoff
    ).delete()
    return deleted


@task()
def run_set(tugas_id: str) -> str:
    tugas = TugasApi.objects.select_related("pemilik").get(pk=tugas_id)
    TugasApi.objects.filter(pk=tugas_id).update(status=StatusTugas.PROSES)
    try:
        body, status = KINDS[tugas.jenis](tugas.pemilik, tugas.data)
    except Exception as exc:
        # The sender reads why; the worker keeps running for the next task.
        message = "; ".join(getattr(exc, "messages", [])) or str(exc)
        TugasApi.objects.filter(pk=tugas_id).update(
            status=StatusTugas.GAGAL,
            kode_http=500,
            ringkasan={"kode": "galat", "pesan": message[:2000]},
            selesai_pada=timezone.now(),
        )
        raise
    TugasApi.objects.filter(pk=tugas_id).update(
        status=StatusTugas.SELESAI, kode_http=status, ringkasan=body, selesai_pada=timezone.now()
    )
    return tugas_id
