"""The write door of intake's own rows: a workbook queued for a background import. The rows
the workbook changes are written later by the resource, through the target and realisasi
services, with every rule applied again at that time."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from renstra.door import refuse_unless, register
from renstra.models import Opd, Role
from renstra.permissions import AnyUser, can_manage_plan, can_read_opd, user_role

from .models import ImporBerkas, JenisImpor

MAX_UPLOAD = 5 * 1024 * 1024


def may_import(user: AnyUser, jenis: str, opd_id: int) -> bool:
    """Targets are the planner's; realisasi the kabid's (each row is then checked against
    the kabid's own bidang)."""
    if jenis == JenisImpor.TARGET:
        return can_manage_plan(user, opd_id)
    return can_read_opd(user, opd_id) and user_role(user) in (Role.KABID, Role.ADMIN)


@transaction.atomic
def import_request(
    *,
    user: Any,
    jenis: str,
    opd: Opd,
    data: bytes,
    rows: int,
    tahun: int | None = None,
    nama_berkas: str = "",
    konfirmasi: bool = False,
) -> ImporBerkas:
    """Queue a workbook for the background worker; the user follows it on its status page."""
    if jenis not in JenisImpor.values:  # guard
        raise ValidationError(f"Jenis impor tidak dikenal: {jenis}")
    refuse_unless(  # guard
        may_import(user, jenis, int(opd.pk)),
        "Anda tidak berhak mengimpor berkas ini untuk perangkat daerah tersebut.",
    )
    if len(data) > MAX_UPLOAD:  # guard
        raise ValidationError("Berkas terlalu besar; maksimal 5 MB.")
    if not data.startswith(b"PK\x03\x04"):  # guard
        raise ValidationError("Berkas bukan lembar kerja Excel (.xlsx).")
    job = ImporBerkas.objects.create(
        jenis=jenis,
        opd=opd,
        tahun=tahun,
        berkas=data,
        nama_berkas=nama_berkas[:255],
        baris=rows,
        konfirmasi=konfirmasi,
        diminta_oleh=user,
    )
    from .tasks import apply_import

    # The worker reads the row: queued once it is committed.
    transaction.on_commit(lambda: apply_import.enqueue(str(job.pk)))
    return job


def _jobs_are_written_by_the_worker(**_: Any) -> Any:
    raise PermissionDenied("Impor berkas dibuat dari halaman impor dan diproses oleh sistem.")


register(
    ImporBerkas,
    opd_path="opd",
    save=_jobs_are_written_by_the_worker,
    delete=_jobs_are_written_by_the_worker,
)
