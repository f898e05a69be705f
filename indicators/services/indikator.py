"""Write services of indicator definitions (Indikator)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from nomenklatur.models import Nomenklatur, Tingkat
from renstra.door import (
    Actor,
    bump_version,
    check_version,
    refuse_unless,
    register,
    removal_guard,
    stamp,
    stored_row,
)
from renstra.models import SubKegiatan
from renstra.permissions import can_manage_plan

from ..models import (
    Indikator,
    Jenis,
    Realisasi,
)
from .shared import COMPUTATION_FIELDS, PLAN_ONLY, _opd_id

# --- definitions -------------------------------------------------------------------------------


def _locked_years_with_realisasi(indikator: Indikator) -> list[int]:
    from renstra.models import KunciTahun

    years = set(Realisasi.objects.filter(indikator_id=indikator.pk).values_list("tahun", flat=True))
    return sorted(
        KunciTahun.objects.filter(opd_id=indikator.periode.opd_id, tahun__in=years).values_list(
            "tahun", flat=True
        )
    )


def indikator_check(
    *,
    user: Actor,
    obj: Indikator,
    versi: int | None = None,
    for_update: bool = False,
    **_: Any,
) -> Indikator | None:
    obj.sync_periode()
    stored = stored_row(obj, for_update=for_update)
    opds = {obj.periode.opd_id if obj.periode_id else None}
    if stored is not None:
        opds.add(stored.periode.opd_id)
    for opd_id in opds:
        refuse_unless(can_manage_plan(user, opd_id), PLAN_ONLY)  # guard
    obj.full_clean()  # guard
    check_version(stored, versi, shown=f"«{stored.nama}»" if stored else "")  # guard
    if stored is not None:
        changed = [f for f in COMPUTATION_FIELDS if getattr(stored, f) != getattr(obj, f)]
        locked = _locked_years_with_realisasi(stored) if changed else []
        if locked:  # guard
            labels = ", ".join(str(Indikator._meta.get_field(f).verbose_name) for f in changed)
            raise ValidationError(
                f"{labels[:1].upper()}{labels[1:]} tidak dapat diubah: realisasi tahun "
                f"{', '.join(map(str, locked))} sudah dikunci dan capaiannya akan berubah."
            )
    return stored


@transaction.atomic
def indikator_save(*, user: Actor, obj: Indikator, versi: int | None = None, **_: Any) -> Indikator:
    stored = indikator_check(user=user, obj=obj, versi=versi, for_update=True)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def indikator_delete(*, user: Actor, obj: Indikator, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, _opd_id(obj)), PLAN_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


# --- a sub-kegiatan's standard output indicator --------------------------------------------------


def keluaran_key(nama: str) -> str:
    """An indicator's name as compared with the nomenclature's standard one: the same words,
    whatever the case and spacing (a name retyped from the Kepmendagri is the same indicator)."""
    return " ".join(nama.split()).casefold()


@transaction.atomic
def indikator_keluaran_buat(*, user: Actor, sub_kegiatan: SubKegiatan) -> Indikator | None:
    """Give a sub-kegiatan its standard output indicator from the nomenclature of its code
    (an IK named as the Kepmendagri names it, with its satuan), through ``indikator_save``
    and so under every rule of a new indicator. None when the node has it already: a second
    click (two tabs, a page reloaded) creates nothing."""
    opd_id = sub_kegiatan.periode.opd_id
    refuse_unless(can_manage_plan(user, opd_id), PLAN_ONLY)  # guard
    # The node locked: two clicks at once wait for each other and the second finds the first.
    node = SubKegiatan.objects.select_for_update().get(pk=sub_kegiatan.pk)
    entry = (
        Nomenklatur.objects.filter(kode=node.kode, tingkat=Tingkat.SUB_KEGIATAN).first()
        if node.kode
        else None
    )
    if entry is None or not entry.indikator.strip():  # guard
        raise ValidationError(
            f"Sub kegiatan «{node.nama}» tidak berkode nomenklatur yang mempunyai indikator "
            "keluaran standar."
        )
    nama = " ".join(entry.indikator.split())
    existing = Indikator.objects.filter(sub_kegiatan=node)
    if any(keluaran_key(n) == keluaran_key(nama) for n in existing.values_list("nama", flat=True)):
        return None
    urutan = (existing.aggregate(n=Max("urutan"))["n"] or 0) + 1
    obj = Indikator(
        sub_kegiatan=node,
        jenis=Jenis.IK,
        nama=nama,
        satuan=entry.satuan.strip(),
        urutan=urutan,
        sumber=f"Nomenklatur Kemendagri {entry.kode}"[:200],
    )
    return indikator_save(user=user, obj=obj)


register(
    Indikator,
    opd_path="periode__opd",
    save=indikator_save,
    delete=indikator_delete,
    check=indikator_check,
)
