"""Evidence given as a link to a page of Kinerja (an answer's, a follow-up's): its path only,
checked once for every service that stores one."""

from __future__ import annotations

from django.core.exceptions import ValidationError

MAX_LINK = 300


def kinerja_link(tautan: str) -> str:
    tautan = (tautan or "").strip()
    if not tautan:
        return ""
    # A page of Kinerja itself, by its path: never another site, never a script ("//host"
    # or "javascript:" would be one when shown as a link).
    if not tautan.startswith("/") or tautan.startswith("//") or "\\" in tautan:  # guard
        raise ValidationError(
            {"tautan_bukti": "Tautan bukti harus alamat halaman Kinerja, diawali “/”."}
        )
    if len(tautan) > MAX_LINK:  # guard
        raise ValidationError(
            {"tautan_bukti": f"Tautan bukti terlalu panjang (maksimal {MAX_LINK} karakter)."}
        )
    return tautan
