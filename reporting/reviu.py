"""Write services of the Inspektorat's review notes on a LAKIP. Each guard ends with
``# guard``. A year lock does not refuse a note (reviews come after the LAKIP is final and
change no figure); the Renstra period does (there is no LAKIP of a year outside it)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from renstra.door import (
    Actor,
    as_user,
    check_version,
    ensure_in_period,
    refuse_unless,
    register,
    stamp,
    stored_row,
)
from renstra.models import Opd, PeriodeRenstra
from renstra.permissions import can_review

from .models import CatatanReviu, LakipVersi

REVIEW_ONLY = "Hanya Inspektorat pemerintah daerah OPD ini yang dapat menulis catatan reviu."


def _period(opd: Opd, tahun: int) -> PeriodeRenstra:
    periode = (
        PeriodeRenstra.objects.filter(opd=opd, tahun_awal__lte=tahun, tahun_akhir__gte=tahun)
        .order_by("-tahun_awal")
        .first()
    ) or PeriodeRenstra.objects.filter(opd=opd).order_by("-tahun_awal").first()
    if periode is None:
        raise ValidationError(f"{opd} belum memiliki periode Renstra.")
    return periode


@transaction.atomic
def reviu_add(*, user: Actor, opd: Opd, tahun: int, teks: str) -> CatatanReviu:
    refuse_unless(can_review(user, opd.pk), REVIEW_ONLY)  # guard
    ensure_in_period(_period(opd, tahun), tahun)  # guard
    if not teks.strip():  # guard
        raise ValidationError({"teks": "Catatan reviu tidak boleh kosong."})
    note = CatatanReviu(
        opd=opd,
        tahun=tahun,
        teks=teks.strip(),
        penulis=as_user(user),
        lakip_versi=LakipVersi.objects.filter(opd=opd, tahun=tahun).order_by("-nomor").first(),
    )
    stamp(note, user)
    note.save()
    return note


@transaction.atomic
def reviu_edit(
    *, user: Actor, obj: CatatanReviu, teks: str, versi: int | None = None
) -> CatatanReviu:
    stored = stored_row(obj, for_update=True)
    refuse_unless(  # guard
        can_review(user, stored.opd_id) and stored.penulis_id == getattr(user, "pk", None),
        "Hanya penulis catatan reviu ini yang dapat mengubahnya.",
    )
    check_version(stored, versi, shown=f"“{stored.teks[:60]}”")  # guard
    if not teks.strip():  # guard
        raise ValidationError({"teks": "Catatan reviu tidak boleh kosong."})
    stored.teks = teks.strip()
    stored.versi += 1
    stamp(stored, user)
    stored.save()
    return stored


@transaction.atomic
def reviu_delete(*, user: Actor, obj: CatatanReviu, **_: Any) -> None:
    refuse_unless(  # guard
        can_review(user, obj.opd_id) and obj.penulis_id == getattr(user, "pk", None),
        "Hanya penulis catatan reviu ini yang dapat menghapusnya.",
    )
    stamp(obj, user)
    obj.delete()


def _save(*, user: Actor, obj: CatatanReviu, **_: Any) -> CatatanReviu:
    if obj.pk is None:
        return reviu_add(user=user, opd=obj.opd, tahun=obj.tahun, teks=obj.teks)
    return reviu_edit(user=user, obj=obj, teks=obj.teks)


register(CatatanReviu, opd_path="opd", save=_save, delete=reviu_delete)
