"""Write services of the Inspektorat's review notes on a LAKIP. Each guard ends with
``# guard``. A year lock does not refuse a note (reviews come after the LAKIP is final and
change no figure); the Renstra period does (there is no LAKIP of a year outside it)."""

from __future__ import annotations

from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from indicators.evidence import ALLOWED, validate_evidence
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
from renstra.models import Opd
from renstra.permissions import can_manage_plan, can_review
from renstra.years import period_for
from reporting.models import CatatanReviu, LakipVersi, StatusReviu

REVIEW_ONLY = "Hanya Inspektorat pemerintah daerah OPD ini yang dapat menulis catatan reviu."
RESPOND_ONLY = "Hanya perencana OPD ini yang dapat menanggapi catatan reviu."
ANSWERED = "Catatan reviu yang sudah ditanggapi OPD tidak dapat diubah atau dihapus."


@transaction.atomic
def reviu_add(*, user: Actor, opd: Opd, tahun: int, teks: str) -> CatatanReviu:
    refuse_unless(can_review(user, opd.pk), REVIEW_ONLY)  # guard
    ensure_in_period(period_for(opd, tahun), tahun)  # guard
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
    if stored.status != StatusReviu.TERBUKA:  # guard
        raise ValidationError(ANSWERED)
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
    # The status as stored now: the OPD may have answered since the page was opened.
    stored = stored_row(obj, for_update=True)
    if stored is None or stored.status != StatusReviu.TERBUKA:  # guard
        raise ValidationError(ANSWERED)
    stamp(stored, user)
    stored.delete()


@transaction.atomic
def reviu_respond(
    *,
    user: Actor,
    obj: CatatanReviu,
    tanggapan: str,
    bukti: IO[bytes] | None = None,
    bukti_nama: str = "",
    versi: int | None = None,
) -> CatatanReviu:
    """The OPD's perencana answers a note and marks it followed up (ditindaklanjuti), with
    evidence checked like a realisasi's; an answer may be revised until the note is closed."""
    stored = stored_row(obj, for_update=True)
    refuse_unless(can_manage_plan(user, stored.opd_id), RESPOND_ONLY)  # guard
    check_version(stored, versi, shown=stored.get_status_display())  # guard
    if stored.status == StatusReviu.SELESAI:  # guard
        raise ValidationError("Catatan reviu ini sudah ditutup Inspektorat.")
    if not tanggapan.strip():  # guard
        raise ValidationError({"tanggapan": "Tanggapan tidak boleh kosong."})
    if bukti is not None:
        size = getattr(bukti, "size", None) or 0
        kind = validate_evidence(bukti, size)  # guard
        stored.bukti.save(f"bukti{ALLOWED[kind][1]}", bukti, save=False)
        stored.bukti_nama = PurePath(bukti_nama or getattr(bukti, "name", "") or "").name[:255]
    stored.tanggapan = tanggapan.strip()
    stored.tanggapan_oleh = as_user(user)
    stored.tanggapan_pada = timezone.now()
    stored.status = StatusReviu.DITINDAKLANJUTI
    stored.versi += 1
    stamp(stored, user)
    stored.save()
    return stored


@transaction.atomic
def reviu_close(*, user: Actor, obj: CatatanReviu, versi: int | None = None) -> CatatanReviu:
    """The Inspektorat closes a note the OPD has followed up (selesai)."""
    stored = stored_row(obj, for_update=True)
    refuse_unless(can_review(user, stored.opd_id), REVIEW_ONLY)  # guard
    check_version(stored, versi, shown=stored.get_status_display())  # guard
    if stored.status != StatusReviu.DITINDAKLANJUTI:  # guard
        raise ValidationError("Catatan reviu ditutup setelah OPD menanggapinya.")
    stored.status = StatusReviu.SELESAI
    stored.ditutup_oleh = as_user(user)
    stored.ditutup_pada = timezone.now()
    stored.versi += 1
    stamp(stored, user)
    stored.save()
    return stored


def _save(*, user: Actor, obj: CatatanReviu, **_: Any) -> CatatanReviu:
    if obj.pk is None:
        return reviu_add(user=user, opd=obj.opd, tahun=obj.tahun, teks=obj.teks)
    return reviu_edit(user=user, obj=obj, teks=obj.teks)


register(CatatanReviu, opd_path="opd", save=_save, delete=reviu_delete)
