"""The one door that writes the nomenclature: a list (from Kemendagri's newest publication)
merged into the table — new codes added, changed names and outputs updated, codes missing
from a complete list marked inactive (never deleted: plans may still carry them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .loader import Record
from .models import Nomenklatur, tingkat_of

FIELDS = [f.name for f in fields(Record) if f.name != "kode"]


@dataclass
class LoadResult:
    ditambah: int = 0
    diubah: int = 0
    tetap: int = 0
    dinonaktifkan: int = 0

    def __str__(self) -> str:
        return (
            f"{self.ditambah} ditambah, {self.diubah} diubah, {self.tetap} tetap, "
            f"{self.dinonaktifkan} dinonaktifkan."
        )


@transaction.atomic
def nomenklatur_load(records: Iterable[Record], *, lengkap: bool = False) -> LoadResult:
    """Merge ``records``; ``lengkap`` (a complete list) marks the codes it lacks inactive.
    Three queries and two bulk writes whatever the size."""
    result = LoadResult()
    stored = {n.kode: n for n in Nomenklatur.objects.all()}
    new, changed = [], []
    seen = set()
    for record in records:
        seen.add(record.kode)
        obj = stored.get(record.kode)
        if obj is None:
            new.append(Nomenklatur(kode=record.kode, **{f: getattr(record, f) for f in FIELDS}))
            result.ditambah += 1
            continue
        if all(getattr(obj, f) == getattr(record, f) for f in FIELDS) and obj.aktif:
            result.tetap += 1
            continue
        for f in FIELDS:
            setattr(obj, f, getattr(record, f))
        obj.aktif = True
        changed.append(obj)
        result.diubah += 1
    Nomenklatur.objects.bulk_create(new, batch_size=500)
    Nomenklatur.objects.bulk_update(changed, [*FIELDS, "aktif"], batch_size=500)
    if lengkap:
        result.dinonaktifkan = (
            Nomenklatur.objects.filter(aktif=True).exclude(kode__in=seen).update(aktif=False)
        )
    return result


def nomenklatur_save(*, user: Any, obj: Nomenklatur) -> Nomenklatur:
    """One code written by hand (the admin), by a superuser only: everyone else reads the
    list, which changes by loading Kemendagri's publication. The level follows the code."""
    if not getattr(user, "is_superuser", False):  # guard
        raise PermissionDenied("Hanya admin yang dapat mengubah nomenklatur.")
    tingkat = tingkat_of(obj.kode.strip())
    if tingkat is None:  # guard
        raise ValidationError(
            {"kode": f"«{obj.kode}» bukan kode program, kegiatan, atau sub kegiatan."}
        )
    obj.kode, obj.tingkat = obj.kode.strip(), tingkat
    obj.full_clean()  # guard
    obj.save()
    return obj
