"""Local development and `make demo`: SQLite, debug on, a throwaway key."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", default=True)
# `make demo` keeps the shared demo password; a non-DEBUG run forces its change.
KINERJA_FORCE_PASSWORD_CHANGE = env_bool("KINERJA_FORCE_PASSWORD_CHANGE", default=not DEBUG)
# Only for a developer's machine; production.py refuses to start without a real key.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
# Serve static files straight from the finders: no collectstatic needed outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
