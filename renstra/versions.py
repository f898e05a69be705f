"""Data versions per OPD, per Pemda and per user, and the pages kept under them.

A write to the plan (renstra, indicators, reporting) notes which rows it touched; when its
transaction commits, the versions of their OPD and of that OPD's Pemda are raised — never
while the write holds its transaction, so a long import keeps no version row locked and a save
in another OPD never waits for it. A page keeps what it rendered in the ``pages`` cache under
(what it shows, the versions it depends on): an OPD's pages under ``opd:<id>``, the kabupaten's
figures under ``pemda:<id>``, both also under ``all`` (raised by writes whose OPD is not known:
the scales, a Pemda's own row, rows deleted with their parent). A changed figure is a new key,
so nothing is shown stale and nothing is invalidated, and a write in one OPD leaves every other
OPD's kept pages valid. ``user:<id>`` is raised when a user's role, assignment or second factor
changes: the identity kept in their session (accounts.identity) is then read afresh.

Until its transaction commits, a write is invisible to other connections, which keep reading
the previous versions and figures; on the writing connection itself the version token carries a
mark of the writes still pending, so a page read there after the write is computed, not taken
from the cache (tests run inside one transaction; a production request redirects after a
write)."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F

from .models import DataVersion, JenisOpd

TRACKED_APPS = frozenset({"renstra", "indicators", "reporting"})
# Bookkeeping a page never shows, or shows live (a report job's progress). An assignment raises
# its user's version instead (accounts.identity).
UNTRACKED = frozenset({"renstra.dataversion", "reporting.pembuatanlaporan", "renstra.penugasan"})

ALL = "all"
PLAN_UNIT = JenisOpd.PEMDA  # the Pemda's own plan unit, holding the RPJMD

# Which row a tracked model's OPD is reached through: (the field on the instance, the model it
# points to). A model not listed (the scales, a Pemda's own row) raises ``all``.
ANCHOR: dict[str, tuple[str, str]] = {
    "renstra.opd": ("pk", "renstra.opd"),
    "renstra.perioderenstra": ("opd_id", "renstra.opd"),
    "renstra.tujuan": ("periode_id", "renstra.perioderenstra"),
    "renstra.sasaran": ("periode_id", "renstra.perioderenstra"),
    "renstra.program": ("periode_id", "renstra.perioderenstra"),
    "renstra.kegiatan": ("periode_id", "renstra.perioderenstra"),
    "renstra.subkegiatan": ("periode_id", "renstra.perioderenstra"),
    "renstra.anggaran": ("periode_id", "renstra.perioderenstra"),
    "renstra.anggaranbulanan": ("periode_id", "renstra.perioderenstra"),
    "renstra.anggaranpk": ("sasaran_id", "renstra.sasaran"),
    "renstra.usulankodeditolak": ("periode_id", "renstra.perioderenstra"),
    "renstra.tautanrpjmd": ("sasaran_id", "renstra.sasaran"),
    "renstra.bidang": ("opd_id", "renstra.opd"),
    "renstra.pejabat": ("opd_id", "renstra.opd"),
    "renstra.kuncitahun": ("opd_id", "renstra.opd"),
    "indicators.indikator": ("periode_id", "renstra.perioderenstra"),
    "indicators.target": ("indikator_id", "indicators.indikator"),
    "indicators.realisasi": ("indikator_id", "indicators.indikator"),
    "indicators.pembanding": ("indikator_id", "indicators.indikator"),
    "indicators.rumus": ("indikator_id", "indicators.indikator"),
    "indicators.targettriwulan": ("indikator_id", "indicators.indikator"),
    "indicators.komponen": ("rumus_id", "indicators.rumus"),
    "indicators.nilaikomponen": ("komponen_id", "indicators.komponen"),
    "indicators.datapendukung": ("opd_id", "renstra.opd"),
    "indicators.pengaturanopd": ("opd_id", "renstra.opd"),
    "reporting.narasi": ("opd_id", "renstra.opd"),
    "reporting.lakipversi": ("opd_id", "renstra.opd"),
    "reporting.pengaturanlaporan": ("opd_id", "renstra.opd"),
    "reporting.catatanreviu": ("opd_id", "renstra.opd"),
}

# From an anchor row to its OPD and that OPD's Pemda.
PATH: dict[str, tuple[str, str]] = {
    "renstra.opd": ("pk", "pemda_id"),
    "renstra.perioderenstra": ("opd_id", "opd__pemda_id"),
    "renstra.sasaran": ("periode__opd_id", "periode__opd__pemda_id"),
    "indicators.indikator": ("periode__opd_id", "periode__opd__pemda_id"),
    "indicators.rumus": ("indikator__periode__opd_id", "indikator__periode__opd__pemda_id"),
    "indicators.komponen": (
        "rumus__indikator__periode__opd_id",
        "rumus__indikator__periode__opd__pemda_id",
    ),
}


def opd_scope(opd_id: int) -> str:
    return f"opd:{opd_id}"


def pemda_scope(pemda_id: int) -> str:
    return f"pemda:{pemda_id}"


def user_scope(user_id: int) -> str:
    return f"user:{user_id}"


# --- writing: note now, raise after commit ------------------------------------------------------


class _Group:
    """What one transaction wrote: the anchor rows and the scopes to raise when it commits."""

    def __init__(self) -> None:
        self.anchors: dict[str, set[int]] = defaultdict(set)
        self.scopes: set[str] = set()
        self.mark = uuid.uuid4().hex[:12]
        self.writes = 0


class _Pending:
    """A transaction's raise, registered on commit. One per savepoint that wrote (Django drops
    it with its savepoint on a rollback), all of a transaction sharing one group: the first to
    run at commit raises everything the group gathered, the others find nothing left."""

    def __init__(self, group: _Group) -> None:
        self.group = group

    def __call__(self) -> None:
        group = self.group
        scopes, anchors = set(group.scopes), {k: set(v) for k, v in group.anchors.items()}
        group.scopes.clear()
        group.anchors.clear()
        for label, ids in anchors.items():
            scopes |= _resolve(label, ids)
        raise_scopes(scopes)


def _group() -> _Group:
    """This transaction's group, with a raise registered at the current savepoint."""
    here = set(connection.savepoint_ids)
    found: _Group | None = None
    for entry in reversed(connection.run_on_commit):
        # (savepoint ids, callback, robust) as Django keeps them.
        sids, func = entry[0], entry[1]
        if isinstance(func, _Pending):
            if sids == here:
                return func.group
            found = found or func.group
    group = found or _Group()
    transaction.on_commit(_Pending(group))
    return group


def note_rows(model: type[Any], rows: Iterable[Any]) -> None:
    """A write to these rows of a tracked model: their OPD's and Pemda's versions rise when the
    transaction commits."""
    label = model._meta.label_lower
    anchor = ANCHOR.get(label)
    if anchor is None:
        note_scopes([ALL])
        return
    field, target = anchor
    note_ids(target, {getattr(row, field) for row in rows} - {None})


def note_opd(opd_id: int) -> None:
    """A write to what an OPD shows (a service writing a model outside the tracked apps)."""
    note_ids("renstra.opd", [opd_id])


def note_ids(target: str, ids: Iterable[int]) -> None:
    """A write under these anchor rows (``renstra.opd``, ``renstra.perioderenstra``,
    ``indicators.indikator``…)."""
    ids = set(ids)
    if not ids:
        return
    if not connection.in_atomic_block:
        raise_scopes(_resolve(target, ids))
        return
    group = _group()
    group.anchors[target] |= ids
    group.writes += 1


def note_scopes(scopes: Iterable[str]) -> None:
    scopes = set(scopes)
    if not connection.in_atomic_block:
        raise_scopes(scopes)
        return
    group = _group()
    group.scopes |= scopes
    group.writes += 1


def bump() -> None:
    """A write whose OPD is not known: every kept page is recomputed."""
    note_scopes([ALL])


def _resolve(label: str, ids: set[int]) -> set[str]:
    """The scopes of these anchor rows: their OPDs and Pemdas, ``all`` for a row gone since
    (deleted with its parent in the same transaction). A write to a Pemda's plan unit (the
    RPJMD, which every OPD's pages and reports cite) raises every OPD of that Pemda."""
    opd_field, pemda_field = PATH[label]
    jenis_field = "jenis" if opd_field == "pk" else opd_field.removesuffix("_id") + "__jenis"
    model = apps.get_model(label)
    found = list(
        model._default_manager.filter(pk__in=ids).values_list(
            "pk", opd_field, pemda_field, jenis_field
        )
    )
    scopes: set[str] = set()
    plan_pemdas: set[int] = set()
    for _pk, opd_id, pemda_id, jenis in found:
        if opd_id is not None:
            scopes.add(opd_scope(opd_id))
        if pemda_id is not None:
            scopes.add(pemda_scope(pemda_id))
            if jenis == PLAN_UNIT:
                plan_pemdas.add(pemda_id)
    if plan_pemdas:
        opds = apps.get_model("renstra.opd")._default_manager.filter(pemda_id__in=plan_pemdas)
        scopes |= {opd_scope(pk) for pk in opds.values_list("pk", flat=True)}
    if len(found) < len(ids):
        scopes.add(ALL)
    return scopes


def raise_scopes(scopes: Iterable[str]) -> None:
    """Raise these versions by one (rows made at 0 first, so two first raises both count)."""
    names = sorted(set(scopes))
    if not names:
        return
    with transaction.atomic():
        DataVersion.objects.bulk_create(
            [DataVersion(scope=name, n=0) for name in names], ignore_conflicts=True
        )
        DataVersion.objects.filter(scope__in=names).update(n=F("n") + 1)
    prefetched = _PREFETCHED.get()
    if prefetched is not None:
        prefetched.clear()  # a request that wrote reads its versions afresh


def tracked(model: type[Any]) -> bool:
    opts = model._meta
    try:
        real = apps.get_model(opts.app_label, opts.model_name)
    except LookupError:
        return False
    # A migration's historical models (data migrations) run before the counter's table exists.
    return (
        real is model
        and opts.app_label in TRACKED_APPS
        and opts.label_lower not in UNTRACKED
        and not opts.model_name.startswith("historical")
    )


def on_change(sender: type[Any], instance: Any = None, **_: Any) -> None:
    if tracked(sender) and instance is not None:
        note_rows(sender, [instance])


def on_opd_moving(sender: type[Any], instance: Any, raw: bool = False, **_: Any) -> None:
    """An OPD moved to another Pemda (the administrator's): the Pemda it leaves changes too
    (its new one is raised with the OPD's own row)."""
    if raw or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).values_list("pemda_id", flat=True)
    before = old.first()
    if before is not None and before != instance.pemda_id:
        note_scopes([pemda_scope(before)])


# --- reading: one query for the versions a page depends on -------------------------------------

# Versions a request read before its view (accounts.identity): the view's own read of the same
# scopes costs nothing more. Cleared when the request raises a version itself.
_PREFETCHED: ContextVar[dict[str, int] | None] = ContextVar("kinerja_versions", default=None)


def read(scopes: Sequence[str]) -> dict[str, int]:
    """The current versions of these scopes (0 for one never raised), one query unless the
    request already read them."""
    wanted = [ALL, *scopes]
    prefetched = _PREFETCHED.get()
    if prefetched is not None and all(s in prefetched for s in wanted):
        return {s: prefetched[s] for s in wanted}
    found = dict(DataVersion.objects.filter(scope__in=wanted).values_list("scope", "n"))
    values = {s: int(found.get(s, 0)) for s in wanted}
    if prefetched is not None:
        prefetched.update(values)
    return values


def prefetch(scopes: Sequence[str]) -> dict[str, int]:
    """Read these versions for the rest of the request (accounts.identity's middleware)."""
    _PREFETCHED.set({})
    return read(scopes)


def end_request() -> None:
    _PREFETCHED.set(None)


def token(*scopes: str) -> str:
    """What a kept page depends on: these versions (and ``all``), plus a mark of this
    connection's own uncommitted writes."""
    values = read(scopes)
    text = ".".join(f"{s}={n}" for s, n in values.items())
    return text + _pending_mark()


def for_opd(opd_id: int) -> str:
    return token(opd_scope(opd_id))


def for_pemda(pemda_id: int) -> str:
    return token(pemda_scope(pemda_id))


def for_indikator(pk: int) -> tuple[str, int | None]:
    """The version token of an indicator's OPD and the OPD's id, in one query (a page that
    knows only the indicator)."""
    from django.db.models import CharField, Q, Subquery, Value
    from django.db.models.functions import Cast, Concat

    indikator = apps.get_model("indicators.indikator")
    opd_of = indikator._default_manager.filter(pk=pk).values("periode__opd_id")[:1]
    rows = dict(
        DataVersion.objects.annotate(
            wanted=Concat(
                Value("opd:"),
                Cast(Subquery(opd_of), output_field=CharField()),
                output_field=CharField(),
            )
        )
        .filter(Q(scope=ALL) | Q(scope=F("wanted")))
        .values_list("scope", "n")
    )
    opd_ids = [int(s.split(":")[1]) for s in rows if s.startswith("opd:")]
    opd_id = opd_ids[0] if opd_ids else None
    values = {ALL: int(rows.get(ALL, 0))}
    if opd_id is not None:
        values[opd_scope(opd_id)] = int(rows[opd_scope(opd_id)])
    text = ".".join(f"{s}={n}" for s, n in values.items())
    return text + _pending_mark(), opd_id


def _pending_mark() -> str:
    if not connection.in_atomic_block:
        return ""
    marks = {
        f"{func.group.mark}.{func.group.writes}"
        for func in (entry[1] for entry in connection.run_on_commit)
        if isinstance(func, _Pending)
    }
    return ("~" + "~".join(sorted(marks))) if marks else ""


def current(*scopes: str) -> int:
    """The sum of these versions and ``all`` (tests: a write raised something)."""
    return sum(read(scopes).values())


# --- kept pages ------------------------------------------------------------------------------

# How long a process waits for another that is computing the same page before computing it too.
LOCK_SECONDS = 30.0
_POLL = 0.05
_MISSING = object()


def cache_key(prefix: str, *parts: Any) -> str:
    """A fixed-length key (memcached refuses keys over 250 characters, Redis keys stay small)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:40]
    return f"{prefix}:{digest}"


def kept(
    key: tuple[Any, ...],
    compute: Callable[[], Any],
    version: str,
    timeout: int | None = None,
) -> Any:
    """``compute()``'s result, kept under ``key`` and ``version`` (a :func:`token`), for
    ``timeout`` seconds (the cache's default if None). On a miss one process computes while the
    others asking for the same key wait for its result (a lock in the same cache: shared across
    servers when the cache is)."""
    cache = caches["pages"]
    full = cache_key(f"page:{key[0]}", *key, version)
    found = cache.get(full, _MISSING)
    if found is not _MISSING:
        return found
    lock = full + ":lock"
    hold = max(1, int(LOCK_SECONDS))
    if not cache.add(lock, 1, hold):
        deadline = time.monotonic() + LOCK_SECONDS
        while time.monotonic() < deadline:
            time.sleep(_POLL)
            found = cache.get(full, _MISSING)
            if found is not _MISSING:
                return found
            if cache.add(lock, 1, hold):  # the other one gave up (its lock expired)
                break
    try:
        found = compute()
        if timeout is None:
            cache.set(full, found)
        else:
            cache.set(full, found, timeout)
    finally:
        cache.delete(lock)
    return found


def cached_page(key: tuple[Any, ...], render: Callable[[], str], version: str) -> str:
    """``render()``'s text, kept under ``key`` and ``version``."""
    return str(kept(key, render, version))
