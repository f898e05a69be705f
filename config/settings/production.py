"""Production: everything secure by default, nothing insecure without an explicit variable."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool, env_roles
from .caches import shared_between_processes

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too short or too simple (min. 50 chars)")

DEBUG = env_bool("DJANGO_DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must not be true in production")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
# Sessions on the default cache only where every process sees that cache (DJANGO_CACHE_URL):
# with a per-process memory cache, a sign-out or a second factor given in one gunicorn worker
# would stay unseen by the session another worker keeps in its memory.
if not shared_between_processes(CACHES["default"]):  # noqa: F405
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
CSRF_COOKIE_SECURE = True
# Planners and admins sign in with a second factor unless the deployment says otherwise
# (KINERJA_2FA_REQUIRED_ROLES=none, or another list of roles).
KINERJA_2FA_REQUIRED_ROLES = env_roles("KINERJA_2FA_REQUIRED_ROLES", default=["admin", "perencana"])
# Reset links are mailed, never written to a log.
vars().update(env.email_url("DJANGO_EMAIL_URL", default="smtp://localhost:25"))
