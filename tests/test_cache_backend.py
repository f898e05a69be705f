"""Caches from the environment: DJANGO_CACHE_URL puts the four caches in one shared backend
(Redis in production), each under its own prefix; unset, the one-machine defaults stay.

The settings function is tested with explicit URLs (no network); the live caches of this run are
checked against whatever this run was given: Redis under DJANGO_CACHE_URL (CI's cache step),
the per-process memory caches of config/settings/test.py otherwise."""

from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSession
from django.core.cache import CacheHandler, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from common.cache import ScopedRedisCache
from config.settings.caches import caches_from_env, shared_between_processes
from tests.test_settings import production_env, run_manage

pytestmark = pytest.mark.cache

BASE = Path("/srv/kinerja")
NAMES = {"default", "pages", "charts", "progress"}
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
FILEBASED = "django.core.cache.backends.filebased.FileBasedCache"


# --- the settings function, both branches, no network -----------------------------------------


def test_without_a_url_the_one_machine_defaults_stay():
    for url in (None, ""):
        found = caches_from_env(url, BASE)

        assert set(found) == NAMES
        assert found["default"] == {"BACKEND": LOCMEM}
        assert found["pages"] == {
            "BACKEND": LOCMEM,
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
        assert found["charts"] == {
            "BACKEND": FILEBASED,
            "LOCATION": "/srv/kinerja/.cache/charts",
            "TIMEOUT": 60 * 60 * 24 * 30,
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
        assert found["progress"] == {
            "BACKEND": FILEBASED,
            "LOCATION": "/srv/kinerja/.cache/progress",
            "TIMEOUT": 60 * 60,
        }


def test_the_file_caches_move_with_their_directories():
    found = caches_from_env(
        None, BASE, charts_dir="/var/cache/kinerja", progress_dir="/var/cache/kinerja-progress"
    )

    assert found["charts"]["LOCATION"] == "/var/cache/kinerja"
    assert found["progress"]["LOCATION"] == "/var/cache/kinerja-progress"


def test_a_redis_url_puts_the_four_caches_in_redis_each_under_its_own_prefix():
    found = caches_from_env("redis://127.0.0.1:6379/1", BASE)

    assert set(found) == NAMES
    for name, cache in found.items():
        assert cache["BACKEND"] == "common.cache.ScopedRedisCache"
        assert cache["LOCATION"] == "redis://127.0.0.1:6379/1"
        assert cache["KEY_PREFIX"] == f"kinerja:{name}"
        # MAX_ENTRIES would reach redis-py's connection and be refused there.
        assert "OPTIONS" not in cache
    assert found["charts"]["TIMEOUT"] == 60 * 60 * 24 * 30
    assert found["progress"]["TIMEOUT"] == 60 * 60
    assert "TIMEOUT" not in found["default"] and "TIMEOUT" not in found["pages"]
    # Django's own Redis backend (django.core.cache.backends.redis), not django-redis.
    assert issubclass(import_string(found["pages"]["BACKEND"]), RedisCache)


def test_the_urls_options_reach_redis_py_lower_case_and_its_prefix_starts_each_cache():
    found = caches_from_env(
        "rediss://cache.internal:6380/2?socket_timeout=2&timeout=600&key_prefix=balangan", BASE
    )

    assert found["default"] == {
        "BACKEND": "common.cache.ScopedRedisCache",
        "LOCATION": "rediss://cache.internal:6380/2",
        "KEY_PREFIX": "balangan:default",
        "TIMEOUT": 600,
        "OPTIONS": {"socket_timeout": 2},
    }
    # The charts and the progress keep their own lifetimes.
    assert found["charts"]["TIMEOUT"] == 60 * 60 * 24 * 30
    assert found["progress"]["TIMEOUT"] == 60 * 60
    assert found["pages"]["KEY_PREFIX"] == "balangan:pages"


def test_an_explicit_prefix_wins_over_the_urls():
    found = caches_from_env("redis://127.0.0.1:6379/1?key_prefix=url", BASE, key_prefix="run7")

    assert {c["KEY_PREFIX"] for c in found.values()} == {
        "run7:default",
        "run7:pages",
        "run7:charts",
        "run7:progress",
    }


def test_django_environ_reads_redis_urls_for_djangos_own_backend():
    # What the settings build on: the scheme, host, port and database survive the parse.
    parsed = environ.Env.cache_url_config(
        "redis://127.0.0.1:6379/1", backend="django.core.cache.backends.redis.RedisCache"
    )

    assert parsed == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }


def test_file_and_memory_urls_give_each_cache_its_own_place():
    # FileBasedCache.clear() empties its directory, LocMemCache shares by LOCATION: one each.
    files = caches_from_env("filecache:///var/cache/kinerja", BASE)
    memory = caches_from_env("locmemcache://satu", BASE)

    assert {c["LOCATION"] for c in files.values()} == {
        f"/var/cache/kinerja/{name}" for name in NAMES
    }
    assert files["charts"]["OPTIONS"] == {"MAX_ENTRIES": 20_000}
    assert {c["LOCATION"] for c in memory.values()} == {f"satu:{name}" for name in NAMES}
    assert memory["pages"]["OPTIONS"] == {"MAX_ENTRIES": 300}


@pytest.mark.parametrize("url", ["nonsense", "ftp://127.0.0.1/1", "redis//127.0.0.1:6379"])
def test_a_malformed_url_fails_loudly(url):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_CACHE_URL is not a cache URL"):
        caches_from_env(url, BASE)


def test_only_a_per_process_memory_cache_is_not_shared():
    assert not shared_between_processes(caches_from_env(None, BASE)["default"])
    assert shared_between_processes(caches_from_env(None, BASE)["charts"])
    assert shared_between_processes(caches_from_env("redis://127.0.0.1:6379/1", BASE)["default"])


def test_production_keeps_sessions_in_the_database_unless_the_cache_is_shared():
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"

    alone = run_manage("shell", "--no-imports", "-c", code, **production_env())
    shared = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        **production_env(DJANGO_CACHE_URL="redis://127.0.0.1:6379/1"),
    )

    assert alone.returncode == 0, alone.stderr
    assert alone.stdout.strip() == "django.contrib.sessions.backends.db"
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout.strip() == "django.contrib.sessions.backends.cached_db"


# --- the caches of this run --------------------------------------------------------------------


def test_sessions_are_read_from_the_default_cache_and_written_to_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert settings.SESSION_CACHE_ALIAS == "default"


def fresh(name: str):
    """A new cache object for ``name``, with its own connection: as another process has."""
    return CacheHandler(settings.CACHES).create_connection(name)


def test_the_caches_of_this_run():
    if settings.DJANGO_CACHE_URL:
        for name in NAMES:
            assert isinstance(caches[name], RedisCache)
            assert isinstance(caches[name], ScopedRedisCache)
            caches[name].set("gemeinsam", f"dari {name}")
        # A value set through one cache object is read by another: the cache is shared.
        for name in NAMES:
            assert fresh(name).get("gemeinsam") == f"dari {name}"
        # Clearing one cache leaves the others (and their sessions) alone.
        caches["pages"].clear()
        assert fresh("pages").get("gemeinsam") is None
        assert fresh("default").get("gemeinsam") == "dari default"
        assert fresh("charts").get("gemeinsam") == "dari charts"
    else:
        for name in NAMES:
            assert isinstance(caches[name], LocMemCache)
        caches["pages"].set("sendiri", 1)
        # LocMemCache keeps its entries per process under its LOCATION: a second object of
        # this process reads them, the other caches do not.
        assert fresh("pages").get("sendiri") == 1
        assert caches["charts"].get("sendiri") is None
        assert not isinstance(caches["charts"], FileBasedCache)  # tests keep files out


@pytest.mark.django_db
def test_a_session_outlives_its_cached_copy():
    session = CachedDbSession()
    session["siapa"] = "kabid"
    session.create()
    caches["default"].delete(session.cache_key)  # evicted, or the cache restarted

    assert CachedDbSession(session.session_key)["siapa"] == "kabid"
    # Read back from the database, and kept again in the cache.
    assert caches["default"].get(session.cache_key) == {"siapa": "kabid"}
