"""Test settings: DATABASE_URL chooses SQLite (default) or PostgreSQL for CI."""

import os

from .base import *  # noqa: F403
from .caches import caches_from_env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Serve static files straight from the finders: no collectstatic needed outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run inline in tests; the database backend is exercised by its own test.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DJANGO_CACHE_URL:  # noqa: F405
    # The suite's cache tests against a real shared backend (CI: the machine's Redis). Each
    # test process (xdist worker) of each run has its own prefix, so two workers or two runs
    # never see each other's keys; conftest.py clears it at the session's start and end.
    TEST_CACHE_PREFIX = (
        f"kinerja-test:{os.environ.get('PYTEST_XDIST_WORKER', 'main')}:{os.getpid()}"
    )
    CACHES = caches_from_env(DJANGO_CACHE_URL, BASE_DIR, key_prefix=TEST_CACHE_PREFIX)  # noqa: F405
else:
    # Each test process keeps its drawings to itself.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "charts": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "charts",
        },
        "progress": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "progress",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
        },
    }
# Every test computes its figures afresh (the cache has its own test).
KINERJA_KABUPATEN_CACHE_SECONDS = 0
