"""Write paths for the plan tree that carry rules: year locks."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import KunciTahun, Opd
from .permissions import can_manage_plan


class YearLocked(ValidationError):
    """A write into a locked (OPD, tahun); the message carries the lock's reason."""


def lock_for(opd_id: int, tahun: int) -> KunciTahun | None:
    return KunciTahun.objects.filter(opd_id=opd_id, tahun=tahun).first()


def ensure_unlocked(*, opd_id: int, tahun: int) -> None:
    """Refuse a write into a locked year, quoting the reason the planner gave."""
    lock = lock_for(opd_id, tahun)
    if lock is not None:
        raise YearLocked(f"Tahun {tahun} dikunci: {lock.alasan}")


@transaction.atomic
def year_lock(*, user: User, opd: Opd, tahun: int, alasan: str) -> KunciTahun:
    if not can_manage_plan(user, opd.pk):
        raise PermissionDenied("Hanya perencana OPD ini yang dapat mengunci tahun.")
    if not alasan.strip():
        raise ValidationError({"alasan": "Alasan penguncian wajib diisi."})
    if lock_for(opd.pk, tahun) is not None:
        raise ValidationError(f"Tahun {tahun} sudah dikunci.")
    lock = KunciTahun(opd=opd, tahun=tahun, alasan=alasan.strip(), dikunci_oleh=user)
    lock._history_user = user  # type: ignore[attr-defined]
    lock.save()
    return lock


@transaction.atomic
def year_unlock(*, user: User, opd: Opd, tahun: int, alasan: str) -> None:
    if not can_manage_plan(user, opd.pk):
        raise PermissionDenied("Hanya perencana OPD ini yang dapat membuka kunci tahun.")
    if not alasan.strip():
        raise ValidationError({"alasan": "Alasan membuka kunci wajib diisi."})
    lock = lock_for(opd.pk, tahun)
    if lock is None:
        raise ValidationError(f"Tahun {tahun} tidak sedang dikunci.")
    # The deletion is recorded in the lock's history with who and why.
    lock._history_user = user  # type: ignore[attr-defined]
    lock._change_reason = f"Dibuka: {alasan.strip()}"  # type: ignore[attr-defined]
    lock.delete()
