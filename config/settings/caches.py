"""CACHES from DJANGO_CACHE_URL, as a pure function so both branches are tested directly.

Unset (``make demo``, one machine): "default" and "pages" in each process's memory, "charts"
and "progress" in files every process of the machine shares. Set (e.g.
``redis://127.0.0.1:6379/1``): all four in that one backend, each under its own KEY_PREFIX
(``kinerja:pages``...), so several servers share the kept pages, the charts, an import's
progress, the API's rate counts and (cached_db) the sessions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
FILEBASED = "django.core.cache.backends.filebased.FileBasedCache"
DUMMY = "django.core.cache.backends.dummy.DummyCache"
DJANGO_REDIS = "django.core.cache.backends.redis.RedisCache"
# Django's RedisCache whose clear() stays inside its own prefix (common/cache.py).
SCOPED_REDIS = "common.cache.ScopedRedisCache"
REDIS_SCHEMES = {"redis", "rediss", "rediscache", "valkey", "valkeys"}
# Backends that cull to MAX_ENTRIES themselves; Redis and memcached would pass the option on
# to their client library, which refuses it (Redis bounds memory with maxmemory instead).
CULLING = {LOCMEM, FILEBASED, "django.core.cache.backends.db.DatabaseCache"}
# Per-process caches: a session kept in one process's memory is not seen (nor its sign-out)
# by another process.
PER_PROCESS = {LOCMEM, DUMMY}

# What each cache keeps, and for how long (seconds; None: the backend's default of 300).
CHARTS_TIMEOUT = 60 * 60 * 24 * 30  # drawn charts, keyed by the data they show
PROGRESS_TIMEOUT = 60 * 60  # a background import's progress
PAGES_MAX_ENTRIES = 300
CHARTS_MAX_ENTRIES = 20_000
NAMES = ("default", "pages", "charts", "progress")


def _parse(url: str) -> dict[str, Any]:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    try:
        if scheme in REDIS_SCHEMES:
            # Django's own backend, even where django-redis happens to be installed (which
            # django-environ would otherwise prefer); options then come lower-case, as
            # redis-py takes them.
            config = environ.Env.cache_url_config(url, backend=DJANGO_REDIS)
        else:
            config = environ.Env.cache_url_config(url)
    except (ImproperlyConfigured, KeyError, ValueError) as exc:
        raise ImproperlyConfigured(f"DJANGO_CACHE_URL is not a cache URL: {url!r}") from exc
    # django-environ lower-cases every query key for Django's Redis backend, the base
    # options (?timeout=, ?key_prefix=) included, where Django reads them upper-case.
    for key in [k for k in config if k != k.upper()]:
        config[key.upper()] = config.pop(key)
    return config


def _one(base: dict[str, Any], name: str, prefix: str) -> dict[str, Any]:
    backend = base["BACKEND"]
    cache: dict[str, Any] = {
        **base,
        "KEY_PREFIX": f"{prefix}:{name}",
        "OPTIONS": dict(base.get("OPTIONS", {})),
    }
    if backend == DJANGO_REDIS:
        cache["BACKEND"] = SCOPED_REDIS
    elif backend == FILEBASED:
        # FileBasedCache.clear() empties its whole directory: one directory per cache.
        cache["LOCATION"] = str(Path(base["LOCATION"]) / name)
    elif backend == LOCMEM:
        cache["LOCATION"] = f"{base.get('LOCATION', '')}:{name}"
    if name == "charts":
        cache["TIMEOUT"] = CHARTS_TIMEOUT
    elif name == "progress":
        cache["TIMEOUT"] = PROGRESS_TIMEOUT
    if backend in CULLING and name in ("pages", "charts"):
        cache["OPTIONS"]["MAX_ENTRIES"] = (
            PAGES_MAX_ENTRIES if name == "pages" else CHARTS_MAX_ENTRIES
        )
    if not cache["OPTIONS"]:
        del cache["OPTIONS"]
    return cache


def caches_from_env(
    url: str | None,
    base_dir: Path,
    *,
    charts_dir: str | None = None,
    progress_dir: str | None = None,
    key_prefix: str | None = None,
) -> dict[str, dict[str, Any]]:
    """Django's CACHES for DJANGO_CACHE_URL ``url`` (None or "": the one-machine defaults).

    ``charts_dir``/``progress_dir`` (KINERJA_CACHE_DIR, KINERJA_PROGRESS_DIR) place the files
    of the defaults; ``key_prefix`` (else the URL's ?key_prefix=, else "kinerja") starts each
    cache's KEY_PREFIX, e.g. "kinerja:pages"."""
    if url:
        base = _parse(url)
        url_prefix = base.pop("KEY_PREFIX", None)
        prefix = key_prefix or url_prefix or "kinerja"
        return {name: _one(base, name, prefix) for name in NAMES}
    return {
        # Per process: the API's rate counts and, with cached_db, this process's sessions.
        "default": {"BACKEND": LOCMEM},
        # Kept pages, keyed by the data version (renstra.versions): never stale, so a local
        # cache per worker is enough on one machine (each worker pays its own miss).
        "pages": {
            "BACKEND": LOCMEM,
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": PAGES_MAX_ENTRIES},
        },
        # Drawn charts of the dashboard and the report, keyed by the data they show
        # (reporting/charts.py), in files every worker of the machine shares.
        "charts": {
            "BACKEND": FILEBASED,
            "LOCATION": charts_dir or str(base_dir / ".cache" / "charts"),
            "TIMEOUT": CHARTS_TIMEOUT,
            "OPTIONS": {"MAX_ENTRIES": CHARTS_MAX_ENTRIES},
        },
        # A background import's progress, shared by the worker and the web workers (outside
        # the import's transaction).
        "progress": {
            "BACKEND": FILEBASED,
            "LOCATION": progress_dir or str(base_dir / ".cache" / "progress"),
            "TIMEOUT": PROGRESS_TIMEOUT,
        },
    }


def shared_between_processes(cache: dict[str, Any]) -> bool:
    """Whether every process sees the same entries (files, Redis, memcached, the database)."""
    return cache["BACKEND"] not in PER_PROCESS
