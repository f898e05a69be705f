"""Roles and object-level permissions: who may read and write what. One module: views,
admin, importers, services and commands ask here instead of comparing OPD ids themselves.

Roles are Django groups (model permissions) plus an assignment (:class:`Penugasan`) to an OPD
and, for bidang staff, a bidang:

- Admin: everything.
- Perencana: own OPD's tree, definitions, targets, budgets, imports, locks.
- Kabid / staf bidang: realisasi of own bidang; read the rest of own OPD.
- Pimpinan: own OPD read-only.
- Across the OPDs of one Pemda (their Penugasan is to the Pemda's plan unit, the OPD of kind
  ``pemda`` whose Renstra period is the RPJMD):
  - Bappeda: the RPJMD (the plan unit's tree, IKU Pemda, targets, realisasi); creates the
    Pemda's OPDs and their perencana accounts; accepts or refuses cascading links; reads
    every OPD of the Pemda.
  - Inspektorat: reads every OPD of the Pemda; writes review notes on a LAKIP; no data edits.
  - Kepala Daerah / Sekda: reads every OPD of the Pemda.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import Role


class SystemActor:
    """A trusted command (``load_seed``, ``import_decree``): whoever runs it has the database
    already, so permissions pass; locks, periods and bounds still apply. History records no
    user and the command's name as the reason."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True
    pk = None
    id = None

    def __init__(self, name: str) -> None:
        self.name = name

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True

    def __str__(self) -> str:
        return f"perintah {self.name}"


AnyUser = User | AnonymousUser | SystemActor

GROUP_NAMES = {
    Role.PERENCANA: "Perencana",
    Role.KABID: "Kabid",
    Role.PIMPINAN: "Pimpinan",
    Role.BAPPEDA: "Bappeda",
    Role.INSPEKTORAT: "Inspektorat",
    Role.KEPALA_DAERAH: "Kepala Daerah",
}
# Roles that read across the OPDs of their Pemda.
PEMDA_ROLES = (Role.BAPPEDA, Role.INSPEKTORAT, Role.KEPALA_DAERAH)
_READ_ONLY_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "indicators.indikator": ("view",),
    "indicators.target": ("view",),
    "indicators.realisasi": ("view",),
}

# Model permissions per group; object-level scoping (own OPD / own bidang) comes on top.
_ALL = ("add", "change", "delete", "view")
GROUP_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "Perencana": {
        "renstra.opd": ("view", "change"),
        "renstra.bidang": _ALL,
        "renstra.perioderenstra": _ALL,
        "renstra.tujuan": _ALL,
        "renstra.sasaran": _ALL,
        "renstra.program": _ALL,
        "renstra.kegiatan": _ALL,
        "renstra.subkegiatan": _ALL,
        "renstra.anggaran": _ALL,
        "renstra.anggaranpk": _ALL,
        "renstra.anggaranbulanan": _ALL,
        "renstra.kuncitahun": _ALL,
        "renstra.pejabat": _ALL,
        "indicators.indikator": _ALL,
        "indicators.target": _ALL,
        "indicators.realisasi": ("view",),
        "indicators.pembanding": _ALL,
        "indicators.datapendukung": _ALL,
        "indicators.skala": ("view",),
        "indicators.skalaband": ("view",),
        "indicators.pengaturanopd": ("view", "change"),
        # An indicator's formula and its named components (the decree's formulasi as data).
        "indicators.rumus": _ALL,
        "indicators.komponen": _ALL,
        "reporting.narasi": _ALL,
        "reporting.lakipversi": ("view",),
        "reporting.pembuatanlaporan": ("view",),
        # The Kemendagri nomenclature: read (codes are picked from it); only an admin edits.
        "nomenklatur.nomenklatur": ("view",),
    },
    "Kabid": {
        # Emptying a value in the form removes that period's row: a delete of their own.
        "indicators.realisasi": ("add", "change", "delete", "view"),
        "indicators.indikator": ("view",),
        "indicators.target": ("view",),
    },
    "Pimpinan": dict(_READ_ONLY_PERMISSIONS),
    "Inspektorat": dict(_READ_ONLY_PERMISSIONS),
    "Kepala Daerah": dict(_READ_ONLY_PERMISSIONS),
}
# Bappeda keeps the RPJMD with the same models a perencana keeps a Renstra with (scoped to
# the Pemda's plan unit by can_manage_plan) and records the IKU Pemda's realisasi.
# Bappeda also keeps its own Pemda's row (logo, kop, kepala daerah): the admin lists only
# that row to it and ``pemda_save`` refuses any other.
GROUP_PERMISSIONS["Bappeda"] = {
    **GROUP_PERMISSIONS["Perencana"],
    "indicators.realisasi": ("add", "change", "delete", "view"),
    "renstra.pemda": ("view", "change"),
}


PERMISSION_VERBS = {
    "add": "Dapat menambah",
    "change": "Dapat mengubah",
    "delete": "Dapat menghapus",
    "view": "Dapat melihat",
}


def translate_permission_names() -> None:
    """Django stores every model permission's name in English ("Can add user"), which the
    admin's user and group pages list; name them in Indonesian, from the model's (translated)
    verbose name. Idempotent; custom permissions keep their own names."""
    from django.apps import apps
    from django.utils import translation

    with translation.override("id"):
        for permission in Permission.objects.select_related("content_type"):
            action = permission.codename.partition("_")[0]
            content_type = permission.content_type
            try:
                model = apps.get_model(content_type.app_label, content_type.model)
            except LookupError:
                continue  # a content type whose model is gone
            if action not in PERMISSION_VERBS or permission.codename != (
                f"{action}_{model._meta.model_name}"
            ):
                continue
            name = f"{PERMISSION_VERBS[action]} {model._meta.verbose_name}"[:255]
            if permission.name != name:
                permission.name = name
                permission.save(update_fields=["name"])


def ensure_groups(**_: Any) -> None:
    """Create the role groups with their model permissions (idempotent; run after migrate)."""
    translate_permission_names()
    for group_name, models in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        wanted: list[Permission] = []
        for label, actions in models.items():
            app_label, model = label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )
        group.permissions.set(wanted)


def user_role(user: AnyUser) -> Role | None:
    """The user's role; read once per user object (a request's user lives one request, so a
    page asking several times costs one query)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    cached = user.__dict__.get("_kinerja_role", _UNKNOWN)
    if cached is not _UNKNOWN:
        return cached
    # groups.all() uses a prefetch when the caller made one (lists of users).
    names = {group.name for group in user.groups.all()}
    found = next((r for r, name in GROUP_NAMES.items() if name in names), None)
    user.__dict__["_kinerja_role"] = found
    return found


_UNKNOWN = object()


def user_opd_id(user: AnyUser) -> int | None:
    penugasan = getattr(user, "penugasan", None) if user.is_authenticated else None
    return penugasan.opd_id if penugasan is not None else None


def pemda_opd_ids(user: AnyUser) -> frozenset[int]:
    """The OPDs (plan unit included) of the Pemda a user is assigned to, read once per user
    object (one query)."""
    if not user.is_authenticated or isinstance(user, SystemActor):
        return frozenset()
    cached = user.__dict__.get("_kinerja_pemda_opds")
    if cached is None:
        from .models import Opd

        cached = frozenset(
            Opd.objects.filter(
                pemda__isnull=False, pemda__opd_set__penugasan_set__user_id=user.pk or 0
            ).values_list("pk", flat=True)
        )
        user.__dict__["_kinerja_pemda_opds"] = cached
    return cached


def user_pemda_id(user: AnyUser) -> int | None:
    """The Pemda of the user's assignment (one query, cached on the user object)."""
    if not user.is_authenticated or isinstance(user, SystemActor):
        return None
    if "_kinerja_pemda" not in user.__dict__:
        from .models import Opd

        user.__dict__["_kinerja_pemda"] = (
            Opd.objects.filter(penugasan_set__user_id=user.pk or 0)
            .values_list("pemda_id", flat=True)
            .first()
        )
    return user.__dict__["_kinerja_pemda"]


def user_bidang_id(user: AnyUser) -> int | None:
    penugasan = getattr(user, "penugasan", None) if user.is_authenticated else None
    return penugasan.bidang_id if penugasan is not None else None


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a request (views are behind login_required; this narrows it)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("Silakan masuk terlebih dahulu.")
    return user


# --- object-level checks ----------------------------------------------------------------------


# Roles that keep a plan in the Django admin: the admin, the OPD's perencana (its Renstra) and
# Bappeda (the RPJMD, on the Pemda's plan unit). What each sees there is scoped by the admin
# classes and every write by the services; entry follows the role, not a hand-set flag, so a
# perencana created by Bappeda's "OPD baru" opens the admin like the seed's.
ADMIN_ROLES = (Role.ADMIN, Role.PERENCANA, Role.BAPPEDA)


def can_use_admin(user: AnyUser) -> bool:
    return bool(user.is_active) and user_role(user) in ADMIN_ROLES


def can_administer(user: AnyUser) -> bool:
    """Users, OPDs, scales: the IT operator's."""
    return user_role(user) == Role.ADMIN


def can_read_opd(user: AnyUser, opd_id: int | None) -> bool:
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    if role in PEMDA_ROLES:
        return opd_id is not None and opd_id in pemda_opd_ids(user)
    return role is not None and opd_id is not None and user_opd_id(user) == opd_id


def can_read_pemda(user: AnyUser, pemda_id: int | None) -> bool:
    """The /pemda/ pages: an admin, and the roles across the OPDs of that Pemda."""
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    return role in PEMDA_ROLES and pemda_id is not None and user_pemda_id(user) == pemda_id


def can_manage_pemda(user: AnyUser, pemda_id: int | None) -> bool:
    """Create the Pemda's OPDs and their perencana accounts, decide cascading links, edit the
    Pemda's own settings: an admin, and the Pemda's Bappeda."""
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    return role == Role.BAPPEDA and pemda_id is not None and user_pemda_id(user) == pemda_id


def can_review(user: AnyUser, opd_id: int | None) -> bool:
    """Review notes on a LAKIP: the Inspektorat of the OPD's Pemda (and an admin)."""
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    return role == Role.INSPEKTORAT and opd_id is not None and opd_id in pemda_opd_ids(user)


def can_manage_plan(user: AnyUser, opd_id: int | None) -> bool:
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    # Bappeda's "own OPD" is the Pemda's plan unit: the RPJMD.
    return (
        role in (Role.PERENCANA, Role.BAPPEDA)
        and opd_id is not None
        and user_opd_id(user) == opd_id
    )


def can_record_for_bidang(user: AnyUser, opd_id: int | None, bidang_id: int | None) -> bool:
    """Realisasi, its narrative and evidence: only the bidang responsible for the indicator."""
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    if role == Role.BAPPEDA:
        # The IKU Pemda's realisasi: Bappeda records them for the plan unit.
        return opd_id is not None and user_opd_id(user) == opd_id
    return (
        role == Role.KABID
        and opd_id is not None
        and bidang_id is not None
        and user_opd_id(user) == opd_id
        and user_bidang_id(user) == bidang_id
    )


# --- field-level checks -------------------------------------------------------------------------


def _fixed_after_creation(user: AnyUser, old: Any, new: Any, *, creating: bool) -> bool:
    """Set by whoever may create the row (the object-level check decides that); changed
    afterwards by an admin only: other rows, URLs, imports and reports name the row by it."""
    return creating or can_administer(user)


def _opd_pemda(user: AnyUser, old: Any, new: Any, *, creating: bool) -> bool:
    """Which Pemda owns an OPD decides who across OPDs reads it: an admin moves an OPD;
    Bappeda sets its own Pemda on an OPD it creates, and never moves one in or out."""
    if can_administer(user):
        return True
    return creating and user_role(user) == Role.BAPPEDA and can_manage_pemda(user, new)


FieldRule = Any  # (user, old, new, *, creating) -> bool
# Fields that say whose a row is or what it is: a change of any of them is allowed only to
# whom its rule names, whatever else the role may edit on that row (a perencana edits the
# OPD's name and head, never which Pemda owns it, its kode or its kind). Declared here once;
# the services enforce it (``renstra.door.guard_fields``) and the admin shows these fields
# read-only to whoever may not change them.
PROTECTED_FIELDS: dict[str, dict[str, FieldRule]] = {
    "renstra.opd": {
        "pemda": _opd_pemda,
        "kode": _fixed_after_creation,
        "jenis": _fixed_after_creation,
    },
    "renstra.pemda": {"kode": _fixed_after_creation, "jenis": _fixed_after_creation},
    # An official belongs to one OPD: a perencana names its own officials, never moves one
    # to (or takes one from) another OPD.
    "renstra.pejabat": {"opd": _fixed_after_creation},
}


def may_set_field(
    user: AnyUser, label: str, field: str, old: Any, new: Any, *, creating: bool
) -> bool:
    rule = PROTECTED_FIELDS.get(label, {}).get(field)
    return rule is None or bool(rule(user, old, new, creating=creating))


def fixed_fields(user: AnyUser, label: str) -> list[str]:
    """The protected fields of a model this user may never change on a stored row (shown
    read-only on its admin form)."""
    return [
        name
        for name, rule in PROTECTED_FIELDS.get(label, {}).items()
        if not rule(user, _ANY, _ANY, creating=False)
    ]


_ANY = object()


def can_manage_account(actor: AnyUser, target: User) -> bool:
    """Who may issue a password reset link for whom: an admin for anyone but themselves (they
    change their own password), a perencana for the kabid and pimpinan of their own OPD —
    never for a planner or an admin, whose accounts guard more."""
    if not actor.is_authenticated or actor.pk == target.pk:
        return False
    role = user_role(actor)
    if role == Role.ADMIN:
        return True
    if role != Role.PERENCANA or target.is_superuser:
        return False
    opd_id = user_opd_id(actor)
    return (
        opd_id is not None
        and user_opd_id(target) == opd_id
        and user_role(target) in (Role.KABID, Role.PIMPINAN)
    )
