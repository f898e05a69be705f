"""Who is asking, from the session: the role, the assignment (OPD, bidang, Pemda), the OPDs of
the Pemda and whether a second factor is set up are read at sign-in and kept in the session,
stamped with the user's version (``user:<id>`` in renstra.versions). Each request reads that
version together with the versions its pages depend on — one query — and reads the identity
afresh from the database only when it changed: a revoked role, a moved assignment, a removed
device or an OPD added to the Pemda raises it, so the change holds from the next request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.functional import LazyObject, empty
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from renstra import versions
from renstra.models import Opd, Penugasan, Role
from renstra.permissions import pemda_opd_ids, user_pemda_id, user_role

KEY = "kinerja_identity"
# Raised by every write to an OPD's row (a new OPD, a Pemda changed by the administrator):
# every identity's list of the Pemda's OPDs is read afresh.
USERS = "users"


def _stamp(values: dict[str, int], user_id: int) -> list[int]:
    return [values[versions.user_scope(user_id)], values[USERS]]


def load(user: User) -> dict[str, Any]:
    """The identity as the database has it now (four or five queries: the role, the assignment,
    the Pemda, its OPDs, the devices)."""
    for cached in ("_kinerja_role", "_kinerja_pemda", "_kinerja_pemda_opds", "_kinerja_device"):
        user.__dict__.pop(cached, None)
    user._state.fields_cache.pop("penugasan", None)
    role = user_role(user)
    penugasan = Penugasan.objects.filter(user_id=user.pk).first()
    return {
        "role": role.value if role is not None else None,
        "penugasan": None
        if penugasan is None
        else [penugasan.pk, penugasan.opd_id, penugasan.bidang_id],
        "pemda": user_pemda_id(user),
        "pemda_opds": sorted(pemda_opd_ids(user)),
        "device": user_has_device(user),
    }


def apply(user: User, identity: dict[str, Any]) -> None:
    """Put the kept identity where renstra.permissions looks for it, so no page asks again (on
    the request's lazy user and on the user it wraps: both reach the permission checks)."""
    role = identity.get("role")
    known = {
        "_kinerja_role": Role(role) if role else None,
        "_kinerja_pemda": identity.get("pemda"),
        "_kinerja_pemda_opds": frozenset(identity.get("pemda_opds") or ()),
        "_kinerja_device": bool(identity.get("device")),
    }
    user.__dict__.update(known)
    target: Any = user
    while isinstance(target, LazyObject):
        inner = target.__dict__.get("_wrapped", empty)
        if inner is empty:
            break
        target = inner
        target.__dict__.update(known)
    assigned = identity.get("penugasan")
    user._state.fields_cache["penugasan"] = (
        None
        if assigned is None
        else Penugasan(pk=assigned[0], user_id=user.pk, opd_id=assigned[1], bidang_id=assigned[2])
    )


def has_device(user: User) -> bool:
    """Whether the user has a confirmed second factor: from the identity when the request read
    it, else from django-otp (two queries)."""
    known = user.__dict__.get("_kinerja_device")
    if isinstance(known, bool):
        return known
    return bool(user_has_device(user))


class IdentityMiddleware:
    """After django-otp's middleware: reads the versions (the user's and their OPD's) in one
    query for the whole request, and the identity from the session unless it changed."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            self._identify(request)
            response: HttpResponse = self.get_response(request)
            return response
        finally:
            versions.end_request()

    def _identify(self, request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        session = request.session
        identity = session.get(KEY)
        assigned = identity.get("penugasan") if isinstance(identity, dict) else None
        scopes = [versions.user_scope(user.pk), USERS]
        if assigned:
            scopes.append(versions.opd_scope(assigned[1]))
        pemda = identity.get("pemda") if isinstance(identity, dict) else None
        if pemda:
            scopes.append(versions.pemda_scope(pemda))
        values = versions.prefetch(scopes)
        stamp = _stamp(values, user.pk)
        if not isinstance(identity, dict) or identity.get("stamp") != stamp:
            identity = {**load(user), "stamp": stamp}
            session[KEY] = identity
        apply(user, identity)


# --- what raises a user's version ---------------------------------------------------------------


def _assignment_changed(sender: Any, instance: Penugasan, **_: Any) -> None:
    versions.note_scopes([versions.user_scope(instance.user_id)])


def _device_changed(sender: Any, instance: Any, **_: Any) -> None:
    # Also on every verification (django-otp counts and throttles on the device row): a sign-in
    # reads the identity afresh once, which is what it does anyway.
    if instance.user_id is not None:
        versions.note_scopes([versions.user_scope(instance.user_id)])


def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **_: Any
) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, User):
        users = [instance.pk]
    elif action == "post_clear" or pk_set is None:
        users = []  # a group emptied: its members are gone from the relation already
        versions.note_scopes([USERS])
    else:
        users = list(pk_set)
    versions.note_scopes([versions.user_scope(u) for u in users])


def _opd_changed(sender: Any, instance: Opd, **_: Any) -> None:
    versions.note_scopes([USERS])


def connect() -> None:
    post_save.connect(_assignment_changed, sender=Penugasan, dispatch_uid="kinerja_id_pen_s")
    post_delete.connect(_assignment_changed, sender=Penugasan, dispatch_uid="kinerja_id_pen_d")
    for model in (TOTPDevice, StaticDevice):
        post_save.connect(_device_changed, sender=model, dispatch_uid=f"kinerja_id_{model}_s")
        post_delete.connect(_device_changed, sender=model, dispatch_uid=f"kinerja_id_{model}_d")
    m2m_changed.connect(
        _groups_changed, sender=User.groups.through, dispatch_uid="kinerja_id_groups"
    )
    post_save.connect(_opd_changed, sender=Opd, dispatch_uid="kinerja_id_opd_s")
    post_delete.connect(_opd_changed, sender=Opd, dispatch_uid="kinerja_id_opd_d")
