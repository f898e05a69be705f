"""What a caller may read: the pages' rule (renstra.permissions.can_read_opd) as a set of OPDs
for querysets. A kabid reads its OPD, the Pemda roles their Pemda's, the admin everything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware
from rest_framework.exceptions import ValidationError

from renstra.models import Role
from renstra.permissions import PEMDA_ROLES, pemda_opd_ids, user_opd_id, user_role


def readable_opds(user: Any) -> frozenset[int] | None:
    """The OPD ids the user reads; None for every OPD (the admin)."""
    role = user_role(user)
    if role == Role.ADMIN:
        return None
    if role in PEMDA_ROLES:
        return pemda_opd_ids(user)
    opd = user_opd_id(user)
    return frozenset([opd]) if role is not None and opd is not None else frozenset()


def opd_filter(user: Any, path: str) -> Q:
    opds = readable_opds(user)
    return Q() if opds is None else Q(**{f"{path}__in": opds})


def int_param(params: Any, name: str, *, low: int = 1, high: int = 9999) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or not low <= value <= high:
        raise ValidationError({name: f"«{raw}» bukan bilangan {low}–{high}."})
    return value


def choice_param(params: Any, name: str, choices: Any) -> str | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    allowed = [str(c) for c in choices]
    if raw not in allowed:
        raise ValidationError({name: f"«{raw}» tidak dikenal; pilihan: {', '.join(allowed)}."})
    return str(raw)


def since_param(params: Any, name: str = "lastUpdated") -> datetime | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        when = parse_datetime(raw)
        if when is None:
            day = parse_date(raw) if len(raw) <= 10 else None
            when = datetime(day.year, day.month, day.day) if day is not None else None
    except ValueError:
        when = None
    # Years far out would overflow on the conversion to UTC: no data is that old or new.
    if when is None or not 1900 <= when.year <= 2999:
        raise ValidationError({name: f"«{raw[:40]}» bukan tanggal ISO 8601 (mis. 2024-12-31)."})
    return make_aware(when) if is_naive(when) else when


def code_param(params: Any, name: str) -> str | None:
    """A code (OPD, Pemda): refused when no code can be (PostgreSQL refuses NUL in text)."""
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if len(raw) > 30 or "\x00" in raw:
        raise ValidationError({name: "Kode tidak sah."})
    return str(raw)
