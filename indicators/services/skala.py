"""Write services of kategori scales (Skala, their bands) and per-OPD settings (PengaturanOpd)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from renstra.door import (
    Actor,
    SystemActor,
    refuse_unless,
    register,
    stored_row,
)
from renstra.permissions import can_administer, can_manage_plan

from .. import engine
from ..models import (
    PengaturanOpd,
    Skala,
    SkalaBand,
)
from ..scales import scale_from_rows
from .shared import PLAN_ONLY

# --- scales and settings -----------------------------------------------------------------------


def skala_check(
    *, user: Actor, obj: Skala, bands: list[dict[str, Any]] | None = None, **_: Any
) -> None:
    refuse_unless(can_administer(user), "Hanya admin yang dapat mengubah skala kategori.")  # guard
    obj.full_clean()  # guard
    if bands is not None:
        try:
            scale_from_rows(obj, bands).validate()  # guard
        except ValueError as exc:
            raise ValidationError({"__all__": str(exc)}) from exc


def _next_version(text: str) -> str:
    # ASCII digits only: "²".isdigit() is true, int("²") raises.
    return str(int(text) + 1) if text.isascii() and text.isdigit() else f"{text}+1"


@transaction.atomic
def skala_save(
    *, user: Actor, obj: Skala, bands: list[dict[str, Any]] | None = None, **_: Any
) -> Skala:
    """A scale and (given) its whole set of bands, validated together as a gapless cover.

    Changing the bands of a stored scale raises its version, so a final LAKIP that names
    "skala X versi 1" still means the bands it was computed with."""
    skala_check(user=user, obj=obj, bands=bands)
    if bands is not None and obj.pk is not None:
        current = [
            (b.urutan, b.label, b.batas_bawah, b.bawah_inklusif, b.batas_atas, b.atas_inklusif)
            for b in obj.band_set.order_by("urutan")
        ]
        wanted = [
            (
                int(b["urutan"]),
                b["label"],
                b.get("batas_bawah"),
                bool(b.get("bawah_inklusif")),
                b.get("batas_atas"),
                bool(b.get("atas_inklusif")),
            )
            for b in sorted(bands, key=lambda b: int(b["urutan"]))
        ]
        if current != wanted and obj.versi == Skala.objects.get(pk=obj.pk).versi:
            obj.versi = _next_version(obj.versi)
    obj.save()
    if bands is not None:
        obj.band_set.all().delete()
        SkalaBand.objects.bulk_create(
            SkalaBand(
                skala=obj,
                urutan=int(b["urutan"]),
                label=b["label"],
                batas_bawah=b.get("batas_bawah"),
                bawah_inklusif=bool(b.get("bawah_inklusif")),
                batas_atas=b.get("batas_atas"),
                atas_inklusif=bool(b.get("atas_inklusif")),
                warna=b.get("warna") or "#888888",
            )
            for b in bands
        )
    return obj


@transaction.atomic
def skala_delete(*, user: Actor, obj: Skala, **_: Any) -> None:
    refuse_unless(can_administer(user), "Hanya admin yang dapat menghapus skala.")  # guard
    if PengaturanOpd.objects.filter(skala=obj).exists() or obj.bawaan:  # guard
        raise ValidationError("Skala ini sedang dipakai (bawaan atau oleh OPD); tidak dihapus.")
    obj.delete()


def pengaturan_check(*, user: Actor, obj: PengaturanOpd, **_: Any) -> None:
    stored = stored_row(obj, for_update=False)
    for opd_id in {obj.opd_id, *([stored.opd_id] if stored else [])}:
        refuse_unless(  # guard
            can_manage_plan(user, opd_id), "Hanya perencana OPD ini yang dapat mengubahnya."
        )
    obj.full_clean()  # guard


@transaction.atomic
def pengaturan_save(*, user: Actor, obj: PengaturanOpd, **_: Any) -> PengaturanOpd:
    pengaturan_check(user=user, obj=obj)
    obj.save()
    return obj


@transaction.atomic
def pengaturan_delete(*, user: Actor, obj: PengaturanOpd, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, obj.opd_id), PLAN_ONLY)  # guard
    obj.delete()


def scale_presets_ensure() -> None:
    """Create the preset scales (engine.PRESET_SCALES) that are missing; the seed scale is the
    default when no scale is marked default. Existing scales are never changed. Runs from the
    seed loader and on first use, as the system itself, through :func:`skala_save`."""
    actor = SystemActor("skala bawaan")
    has_default = Skala.objects.filter(bawaan=True).exists()
    for code, scale in engine.PRESET_SCALES.items():
        if Skala.objects.filter(kode=code).exists():
            continue
        try:
            # Two first requests may both find it missing: the second one's insert meets the
            # unique kode and is rolled back to its savepoint; the first one's row stands.
            with transaction.atomic():
                _preset_save(actor, code, scale, default=not has_default)
        except IntegrityError:
            continue


def _preset_save(actor: SystemActor, code: str, scale: engine.Scale, *, default: bool) -> None:
    skala_save(
        user=actor,
        obj=Skala(
            kode=code,
            nama=scale.name,
            versi=scale.version,
            bawaan=default and code == engine.DEFAULT_SCALE_CODE,
        ),
        bands=[
            {
                "urutan": i,
                "label": band.label,
                "batas_bawah": band.lower,
                "bawah_inklusif": band.lower_inclusive,
                "batas_atas": band.upper,
                "atas_inklusif": band.upper_inclusive,
                "warna": band.color,
            }
            for i, band in enumerate(scale.bands, start=1)
        ],
    )


register(Skala, opd_path=None, save=skala_save, delete=skala_delete, check=skala_check)
register(
    PengaturanOpd,
    opd_path="opd",
    save=pengaturan_save,
    delete=pengaturan_delete,
    check=pengaturan_check,
)
