"""Write service of the instrument's versions: the Inspektorat stores a later official LKE
workbook (read by :mod:`evaluasi.workbook`) as a new instrument. An evaluation keeps the
instrument it was opened with; one opened for a year from ``tahun_mulai`` on takes the new."""

from __future__ import annotations

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from renstra.door import Actor, refuse_unless
from renstra.models import Role
from renstra.permissions import AnyUser, user_role

from . import defaults
from .models import Instrumen
from .services import instrument_for
from .workbook import CARRIED, Parsed, problems

INSPEKTORAT_ONLY = "Hanya Inspektorat yang dapat mengimpor versi instrumen LKE."
KODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{1,39}$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def can_manage_instrument(user: AnyUser) -> bool:
    """The instrument is the regulation's: the Inspektorat (and the admin) keep its versions."""
    return user_role(user) in (Role.INSPEKTORAT, Role.ADMIN)


@transaction.atomic
def instrumen_impor(
    *,
    user: Actor,
    parsed: Parsed,
    kode: str,
    nama: str,
    tahun_mulai: int,
    dry_run: bool = False,
) -> Instrumen | None:
    """Store ``parsed`` as a new instrument version in one transaction: its komponen,
    sub-komponen, criteria, scales, predikat, logic checks and thresholds, or nothing.
    ``dry_run`` (the preview, ``--dry-run``): every check, nothing stored, None."""
    refuse_unless(can_manage_instrument(user), INSPEKTORAT_ONLY)  # guard
    kode = kode.strip().upper()
    nama = nama.strip()
    if not KODE.match(kode):  # guard
        raise ValidationError(
            {"kode": "Kode 2–40 huruf besar, angka, titik, garis bawah atau tanda hubung."}
        )
    if not nama or len(nama) > 200:  # guard
        raise ValidationError({"nama": "Nama instrumen wajib diisi, paling banyak 200 karakter."})
    if not FIRST_YEAR <= tahun_mulai <= LAST_YEAR:  # guard
        raise ValidationError({"tahun_mulai": f"Tahun mulai {FIRST_YEAR}–{LAST_YEAR}."})
    # Locks every version (a handful of rows): two imports at once cannot both pass the
    # checks below against the same "newest".
    versions = list(Instrumen.objects.select_for_update().order_by("-tahun_mulai", "-pk"))
    if any(v.kode == kode for v in versions):  # guard
        raise ValidationError({"kode": f"Kode instrumen {kode} sudah dipakai."})
    newest = versions[0] if versions else instrument_for(LAST_YEAR)
    if tahun_mulai < newest.tahun_mulai:  # guard
        raise ValidationError(
            {
                "tahun_mulai": f"Tahun mulai {tahun_mulai} sebelum instrumen yang berlaku "
                f"({newest.nama}, mulai {newest.tahun_mulai}); evaluasi yang sudah dibuka "
                "tetap memakai instrumennya."
            }
        )
    errors = problems(
        parsed.instrument, parsed.rows, carried_rules=parsed.sources.get("logika") == CARRIED
    )
    if errors:  # guard
        raise ValidationError(errors)
    if dry_run:
        return None
    return defaults.store(
        apps.get_model, parsed.instrument, kode=kode, nama=nama, tahun_mulai=tahun_mulai
    )
