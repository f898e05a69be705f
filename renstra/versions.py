"""The data version and the pages kept under it.

Every save or delete of a model of the plan (renstra, indicators, reporting) raises one
counter in the same transaction, as do the batch writes of ``renstra.door``. A page keeps its
rendered figures in the ``pages`` cache under (what it shows, the version): reading the
version costs one query, a changed figure is a new version, so nothing is ever stale and
nothing is invalidated. Rows of the version's own bookkeeping (history records, report jobs,
import jobs) do not raise it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.cache import caches
from django.db.models import F

from .models import DataVersion

TRACKED_APPS = frozenset({"renstra", "indicators", "reporting"})
# Bookkeeping a page never shows, or shows live (a report job's progress).
UNTRACKED = frozenset({"renstra.dataversion", "reporting.pembuatanlaporan", "renstra.penugasan"})


def bump() -> None:
    if not DataVersion.objects.filter(pk=1).update(n=F("n") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"n": 1})


def current() -> int:
    return DataVersion.objects.filter(pk=1).values_list("n", flat=True).first() or 0


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


def on_change(sender: type[Any], **_: Any) -> None:
    if tracked(sender):
        bump()


def kept(key: tuple[Any, ...], compute: Callable[[], Any], version: int | None = None) -> Any:
    """``compute()``'s result, kept under ``key`` and the data version (read unless given,
    so a page that keeps two things reads it once)."""
    cache = caches["pages"]
    full = "page:" + ":".join(
        str(part) for part in (*key, current() if version is None else version)
    )
    found = cache.get(full, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(full, found)
    return found


_MISSING = object()


def cached_page(key: tuple[Any, ...], render: Callable[[], str]) -> str:
    """``render()``'s text, kept under ``key`` and the current data version."""
    return str(kept(key, render))
