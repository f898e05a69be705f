"""Object-level permission rules, checked on the server for every view, admin page, import
and command. One place: callers ask here instead of comparing OPD ids themselves.

- Admin: everything.
- Perencana: own OPD's tree, definitions, targets, budgets, imports, locks.
- Kabid / staf bidang: realisasi of own bidang; read the rest of own OPD.
- Pimpinan: own OPD read-only.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from .models import Role
from .roles import user_bidang_id, user_opd_id, user_role

AnyUser = User | AnonymousUser


def can_read_opd(user: AnyUser, opd_id: int | None) -> bool:
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    return role is not None and opd_id is not None and user_opd_id(user) == opd_id


def can_manage_plan(user: AnyUser, opd_id: int | None) -> bool:
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    return role == Role.PERENCANA and opd_id is not None and user_opd_id(user) == opd_id


def can_record_for_bidang(user: AnyUser, opd_id: int | None, bidang_id: int | None) -> bool:
    """Realisasi, its narrative and evidence: only the bidang responsible for the indicator."""
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    return (
        role == Role.KABID
        and opd_id is not None
        and bidang_id is not None
        and user_opd_id(user) == opd_id
        and user_bidang_id(user) == bidang_id
    )
