"""The one door for writes: the guards every write service uses, and the map from a model to
its services, so that every adapter (admin forms and inlines, bulk actions, history pages,
workbooks, the decree import, the seed loader, tasks) finds the service instead of saving.

A service is named ``<entity>_<action>`` (``target_set``, ``node_delete``), takes the acting
user keyword-only, checks everything (permission, year lock, Renstra period, stale version,
the value's bounds and type) and writes inside one transaction with history (actor, reason).
Each guard line in a service ends with ``# guard``: ``scripts/mutate_guards.py`` deletes them
one by one and runs the service tests, which must notice each.

Batches (a workbook) pass a :class:`Locks` so that the locks of an OPD are read once per
batch, not once per cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, router
from django.db.models.deletion import Collector

from .models import KunciTahun, PeriodeRenstra, YearlyRow
from .permissions import PROTECTED_FIELDS, SystemActor, can_read_opd, may_set_field

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


Actor = User | SystemActor
M = TypeVar("M", bound=models.Model)


class YearLocked(ValidationError):
    """A write into a locked (OPD, tahun); the message carries the lock's reason."""


class StaleEdit(ValidationError):
    """The form or workbook was filled from an older version than the one stored now."""


class NeedsConfirmation(ValidationError):
    """A value ×10 away from the one before: saved only when the user confirms it."""


def refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def as_user(actor: Actor | AnonymousUser | None) -> User | None:
    """The user to record in history (a command records none)."""
    return actor if isinstance(actor, User) else None


def stamp(obj: models.Model, actor: Actor, reason: str = "") -> None:
    """Tell django-simple-history who writes and why."""
    obj._history_user = as_user(actor)  # type: ignore[attr-defined]
    if isinstance(actor, SystemActor):
        reason = reason or str(actor)
    if reason:
        obj._change_reason = reason[:100]  # type: ignore[attr-defined]


# --- year locks -------------------------------------------------------------------------------


class Locks:
    """The year locks of the OPDs a batch touches, read once per OPD."""

    def __init__(self) -> None:
        self._by_opd: dict[int, dict[int, str]] = {}

    def reason(self, opd_id: int, tahun: int) -> str | None:
        if opd_id not in self._by_opd:
            self._by_opd[opd_id] = dict(
                KunciTahun.objects.filter(opd_id=opd_id).values_list("tahun", "alasan")
            )
        return self._by_opd[opd_id].get(tahun)


def ensure_unlocked(*, opd_id: int, tahun: int, locks: Locks | None = None) -> None:
    """Refuse a write into a locked year, quoting the reason the planner gave."""
    if locks is not None:
        reason = locks.reason(opd_id, tahun)
    else:
        reason = (
            KunciTahun.objects.filter(opd_id=opd_id, tahun=tahun)
            .values_list("alasan", flat=True)
            .first()
        )
    if reason is not None:
        raise YearLocked(f"Tahun {tahun} dikunci: {reason}")


def ensure_in_period(periode: PeriodeRenstra, tahun: int, field: str = "tahun") -> None:
    if not periode.contains_year(tahun):
        raise ValidationError(
            {
                field: f"Tahun {tahun} di luar periode Renstra "
                f"{periode.tahun_awal}–{periode.tahun_akhir}."
            }
        )


# --- protected fields -------------------------------------------------------------------------


def guard_fields(actor: Actor, obj: models.Model, stored: models.Model | None) -> None:
    """Refuse a change of a field that says whose the row is (``PROTECTED_FIELDS``) unless
    the actor may make it: the object-level check asks whether the actor may edit this row,
    this one whether they may edit *that* part of it."""
    opts = obj._meta
    for name in PROTECTED_FIELDS.get(opts.label_lower, {}):
        field = opts.get_field(name)
        new = getattr(obj, field.attname)
        old = getattr(stored, field.attname) if stored is not None else None
        if stored is not None and new == old:
            continue
        if not may_set_field(actor, opts.label_lower, name, old, new, creating=stored is None):
            raise PermissionDenied(
                f"Anda tidak berhak mengubah {field.verbose_name} {opts.verbose_name}."
            )


# --- stale versions ---------------------------------------------------------------------------


def last_writer(obj: models.Model) -> str:
    """Who wrote the stored row last, for "sudah diubah oleh …" messages."""
    history = getattr(type(obj), "history", None)
    if history is None or obj.pk is None:
        return "pengguna lain"
    record = (
        history.filter(**{type(obj)._meta.pk.attname: obj.pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is not None and record.history_user is not None:
        return str(record.history_user)
    return "pengguna lain"


def check_version(stored: models.Model | None, expected: int | None, *, shown: str) -> None:
    """Refuse a write made from version ``expected`` when the stored row is newer.

    ``expected`` None means the caller has no version to compare (a trusted command); 0 means
    the row did not exist when the form or workbook was made."""
    if expected is None:
        return
    current = int(getattr(stored, "versi", 0)) if stored is not None else 0
    if current != expected:
        who = last_writer(stored) if stored is not None else "pengguna lain"
        raise StaleEdit(
            f"Data ini telah diubah sejak formulir atau berkas dibuka: sudah diubah oleh {who} "
            f"menjadi {shown}. Simpanan Anda ditolak agar tidak menimpa perubahan tersebut; "
            "muat ulang lalu ulangi."
        )


def bump_version(obj: models.Model, stored: models.Model | None) -> None:
    if stored is not None:
        obj.versi = int(stored.versi) + 1  # type: ignore[attr-defined]


def stored_row(obj: models.Model, *, for_update: bool) -> Any:
    """The row as the database holds it now (locked when writing), or None for a new one."""
    if obj.pk is None:
        return None
    manager = type(obj)._default_manager
    qs = manager.select_for_update() if for_update else manager.all()
    return qs.filter(pk=obj.pk).first()


# --- where an object belongs ------------------------------------------------------------------


def follow(obj: Any, path: str) -> Any:
    """The value at ``path`` ("indikator__periode__opd") from an instance: the last hop is
    read as its id, so a stored row's OPD costs no query when its relations are joined."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    current = obj
    for hop in hops:
        if current is None:
            return None
        current = getattr(current, hop)
    if current is None:
        return None
    field = current._meta.get_field(last)
    return getattr(current, field.attname)


# --- the registry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Door:
    model: type[models.Model]
    # Lookup from the model to its OPD ("indikator__periode__opd"); None for data of no OPD
    # (scales), which only an admin writes.
    opd_path: str | None
    save: Callable[..., Any]
    delete: Callable[..., None]
    # Validate without writing, for a form's early, friendly message.
    check: Callable[..., Any] | None = None


DOORS: dict[type[models.Model], Door] = {}


def register(
    model: type[models.Model],
    *,
    opd_path: str | None,
    save: Callable[..., Any],
    delete: Callable[..., None],
    check: Callable[..., Any] | None = None,
) -> None:
    DOORS[model] = Door(model, opd_path, save, delete, check)


def door_for(model: type[models.Model]) -> Door:
    try:
        return DOORS[model]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no write service; writes to it are refused."
        ) from None


def opd_id_of(obj: models.Model) -> int | None:
    path = door_for(type(obj)).opd_path
    return follow(obj, path) if path else None


# --- deletes and what they take with them -----------------------------------------------------


def removal_guard(actor: Actor, objs: Iterable[models.Model], locks: Locks | None = None) -> None:
    """Refuse a delete unless the actor may delete *every* row it would remove — the object and
    everything its foreign keys cascade to — and none of them is in a locked year.

    A planner may not take 122 realisasi with a tujuan, since realisasi are not theirs to
    delete; nobody may take a locked year's rows, by any path."""
    objs = list(objs)
    if not objs:
        return
    collector = Collector(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    doomed: dict[type[models.Model], set[Any]] = defaultdict(set)
    for model, instances in collector.data.items():
        doomed[model].update(obj.pk for obj in instances)
    for qs in collector.fast_deletes:
        doomed[qs.model].update(qs.values_list("pk", flat=True))
    locks = locks or Locks()
    for model, pks in doomed.items():
        if not pks or model not in DOORS:
            continue
        opts = model._meta
        names = f"{len(pks)} {opts.verbose_name_plural}"
        refuse_unless(  # guard
            actor.has_perm(f"{opts.app_label}.delete_{opts.model_name}"),
            f"Penghapusan ditolak: ikut terhapus {names}, dan Anda tidak berhak menghapus "
            f"{opts.verbose_name_plural}.",
        )
        path = DOORS[model].opd_path
        if path is None:
            continue
        rows = model._default_manager.filter(pk__in=pks)
        for opd_id in set(rows.values_list(path, flat=True)):
            refuse_unless(  # guard
                can_read_opd(actor, opd_id),
                f"Penghapusan ditolak: ikut terhapus {names} milik OPD lain.",
            )
        if issubclass(model, YearlyRow):
            for opd_id, tahun in sorted(set(rows.values_list(path, "tahun"))):
                try:
                    ensure_unlocked(opd_id=opd_id, tahun=tahun, locks=locks)  # guard
                except YearLocked as exc:
                    raise YearLocked(
                        f"Penghapusan ditolak: ikut terhapus {opts.verbose_name_plural} "
                        f"tahun {tahun}. {exc.messages[0]}"
                    ) from exc


def refuse_as_permission(exc: ValidationError) -> PermissionDenied:
    """A refusal found only at save time (the form checked earlier) shown as a 403 with the
    reason, so the request's transaction is rolled back and nothing half-saved stays."""
    return PermissionDenied(" ".join(exc.messages))


# --- batch writes -----------------------------------------------------------------------------


def bulk_save_with_history(
    model: type[M],
    *,
    actor: Actor,
    new: list[M],
    changed: list[M],
    fields: list[str],
    reason: str = "",
) -> list[M]:
    """Write a checked batch: ``new`` rows inserted, ``changed`` rows updated in ``fields``,
    each with its history record (who, and the command's name for a trusted command, and
    the ``reason`` given, e.g. "Impor SIPD").

    Django's ``bulk_update`` builds a CASE expression per row and field (seconds of Python for
    a 5.000-row workbook); one ``UPDATE … FROM (VALUES …)`` per chunk, which SQLite (3.33+)
    and PostgreSQL both run, costs milliseconds."""
    from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

    user = as_user(actor)
    said = ": ".join(r for r in (str(actor) if user is None else "", reason) if r)
    change_reason = said[:100] or None
    created: list[M] = []
    if new:
        created = bulk_create_with_history(
            new, model, default_user=user, default_change_reason=change_reason
        )
    if changed:
        _update_from_values(model, changed, fields)
        get_history_manager_for_model(model).bulk_history_create(
            changed, update=True, default_user=user, default_change_reason=change_reason
        )
    if new or changed:
        # Bulk writes send no post_save: their OPDs' versions are raised here (after commit).
        from .versions import note_rows

        note_rows(model, [*new, *changed])
    return created


def _update_from_values(model: type[M], rows: list[M], names: list[str]) -> None:
    from django.db import connections

    using = router.db_for_write(model)
    connection = connections[using]
    opts = model._meta
    pk = opts.pk
    assert pk is not None
    columns = [pk, *(opts.get_field(n) for n in names)]
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    # PostgreSQL types a VALUES column from its first row (NULL is "text"): cast each value.
    postgres = connection.vendor == "postgresql"

    def cast(field: Any, expression: str) -> str:
        return f"CAST({expression} AS {field.db_type(connection)})" if postgres else expression

    width = len(columns)
    per_chunk = max(1, 30_000 // width)
    names = [quote(str(f.column)) for f in columns]
    select = ", ".join(f"column{i + 1} AS {name}" for i, name in enumerate(names))
    sets = ", ".join(
        f"{name} = {cast(f, f'v.{name}')}" for f, name in zip(columns[1:], names[1:], strict=True)
    )
    match = f"{table}.{names[0]} = {cast(pk, f'v.{names[0]}')}"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_chunk):
            chunk = rows[start : start + per_chunk]
            placeholders = ", ".join("(" + ", ".join(["%s"] * width) + ")" for _ in chunk)
            params: list[Any] = []
            for row in chunk:
                for field in columns:
                    value = field.get_db_prep_save(getattr(row, field.attname), connection)
                    params.append(value)
            # Names are the model's own, quoted; every value is a parameter.
            source = f"(SELECT {select} FROM (VALUES {placeholders}) AS data) AS v"  # noqa: S608
            sql = f"UPDATE {table} SET {sets} FROM {source} WHERE {match}"  # noqa: S608
            cursor.execute(sql, params)
