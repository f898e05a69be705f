"""Write services of comparison values (Pembanding) and supporting tables (DataPendukung)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from renstra.door import (
    Actor,
    ensure_unlocked,
    refuse_unless,
    register,
    removal_guard,
    stored_row,
)
from renstra.permissions import can_manage_plan

from ..models import (
    DataPendukung,
    Pembanding,
)
from .shared import PLAN_ONLY, _opd_id

# --- comparison values and supporting tables -------------------------------------------------


def pembanding_check(*, user: Actor, obj: Pembanding, **_: Any) -> None:
    stored = stored_row(obj, for_update=False)
    for opd_id in {_opd_id(obj.indikator), *([_opd_id(stored.indikator)] if stored else [])}:
        refuse_unless(can_manage_plan(user, opd_id), PLAN_ONLY)  # guard
    ensure_unlocked(opd_id=_opd_id(obj.indikator), tahun=obj.tahun)  # guard
    obj.full_clean()  # guard


@transaction.atomic
def pembanding_save(*, user: Actor, obj: Pembanding, **_: Any) -> Pembanding:
    pembanding_check(user=user, obj=obj)
    obj.save()
    return obj


@transaction.atomic
def pembanding_delete(*, user: Actor, obj: Pembanding, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, _opd_id(obj.indikator)), PLAN_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    obj.delete()


def data_pendukung_check(*, user: Actor, obj: DataPendukung, **_: Any) -> None:
    stored = stored_row(obj, for_update=False)
    for opd_id in {obj.opd_id, *([stored.opd_id] if stored else [])}:
        refuse_unless(can_manage_plan(user, opd_id), PLAN_ONLY)  # guard
    if obj.indikator is not None and _opd_id(obj.indikator) != obj.opd_id:  # guard
        raise ValidationError({"indikator": "Indikator harus dari OPD yang sama."})
    ensure_unlocked(opd_id=obj.opd_id, tahun=obj.tahun)  # guard
    obj.full_clean()  # guard


@transaction.atomic
def data_pendukung_save(*, user: Actor, obj: DataPendukung, **_: Any) -> DataPendukung:
    data_pendukung_check(user=user, obj=obj)
    obj.save()
    return obj


@transaction.atomic
def data_pendukung_delete(*, user: Actor, obj: DataPendukung, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, obj.opd_id), PLAN_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    obj.delete()


register(
    Pembanding,
    opd_path="indikator__periode__opd",
    save=pembanding_save,
    delete=pembanding_delete,
    check=pembanding_check,
)
register(
    DataPendukung,
    opd_path="opd",
    save=data_pendukung_save,
    delete=data_pendukung_delete,
    check=data_pendukung_check,
)
