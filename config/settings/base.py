"""Settings shared by every environment, read from the process environment.

django-environ parses the variables; a malformed value (``DJANGO_DEBUG=perhaps``,
``DATABASE_URL=nonsense``) raises at start-up instead of silently falling back.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from .caches import caches_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer's .env is optional; the process environment always wins over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean strictly: django-environ treats any unknown word as False."""
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env.str(name, default="")
    if raw.strip() == "":
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfigured(f"{name} has an empty entry: {raw!r}")
    return items


def env_database(default: str) -> dict[str, object]:
    url = env.str("DATABASE_URL", default=default)
    try:
        config = environ.Env.db_url_config(url)
    except (KeyError, ValueError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {url!r}") from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"DATABASE_URL has an unknown scheme: {url!r}")
    return config


DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "config.apps.KinerjaAdminConfig",  # django.contrib.admin, entry by role
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "django_tasks",
    "config.apps.TasksDbConfig",  # django_tasks_db
    "config.apps.AxesConfig",  # axes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "nomenklatur",
    "renstra",
    "accounts",
    "indicators",
    "intake",
    "reporting",
    "kabupaten",
    "dokumen",
    "evaluasi",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside the session middleware: marks the session for saving before it is written.
    "accounts.signin.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTP: who is asking (role, assignment, device) from the session, and the versions
    # the pages depend on, in one query (accounts.identity).
    "accounts.identity.IdentityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTP (is_verified) and messages: sends a signed-in user to the second factor, the
    # forced password change or the two-factor set-up before any other page.
    "accounts.signin.SignInGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as its documentation asks: turns a lockout flagged during the view into the page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out username or address before any password is
# checked, and counts every failure (user_login_failed) towards the lockout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reporting.menu.menu",
            ],
        },
    },
]

DATABASES = {"default": env_database(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A reset link issued by an admin or perencana is valid for one day.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling (django-axes): after KINERJA_LOGIN_FAILURE_LIMIT failures for a username,
# or from an address, within KINERJA_LOGIN_LOCKOUT_MINUTES, both are refused for that long
# after the last failure (each further try restarts the wait). Unlock: the admin's "Upaya
# akses" page or `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = env.int("KINERJA_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("KINERJA_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
# A success must not wipe the address's failures: an attacker with one valid account would
# otherwise reset the count between guesses at another.
AXES_RESET_ON_SUCCESS = False
# Every failure is kept (who, from where, when), besides the counters and the login log.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The address is REMOTE_ADDR unless the deployment declares how many reverse proxies it trusts
# (accounts.signin.client_ip); a client-supplied X-Forwarded-For is otherwise never believed.
KINERJA_TRUSTED_PROXIES = env.int("KINERJA_TRUSTED_PROXIES", default=0)
if KINERJA_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("KINERJA_TRUSTED_PROXIES must be 0 or more")
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_ip"

# Two-factor sign-in (django-otp, TOTP with recovery codes): optional for every user, required
# for the roles listed here. Production requires it for admin and perencana unless told
# otherwise.
KINERJA_ROLES = (
    "admin",
    "perencana",
    "kabid",
    "pimpinan",
    "bappeda",
    "inspektorat",
    "kepala_daerah",
)


def env_roles(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of role names; "none" for none at all."""
    raw = env.str(name, default="").strip().lower()
    if raw == "none":
        return []
    roles = [role.lower() for role in env_list(name, default=default)]
    unknown = sorted(set(roles) - set(KINERJA_ROLES))
    if unknown:
        raise ImproperlyConfigured(
            f"{name} has unknown roles {unknown}; use {', '.join(KINERJA_ROLES)} or none"
        )
    return roles


KINERJA_2FA_REQUIRED_ROLES = env_roles("KINERJA_2FA_REQUIRED_ROLES", default=[])

# The kabupaten dashboard's computed figures are kept this long in Django's cache, keyed by
# the latest change of any indicator, target, realisasi or cascading link (their history), so
# a write shows at once; scale and range settings show within this time. 0: no cache.
KINERJA_KABUPATEN_CACHE_SECONDS = env.int("KINERJA_KABUPATEN_CACHE_SECONDS", default=300)
OTP_TOTP_ISSUER = "Kinerja"

# Demo users share one password: outside `make demo` (DEBUG off) they must change it at their
# first sign-in. KINERJA_FORCE_PASSWORD_CHANGE=false switches that off explicitly.
KINERJA_FORCE_PASSWORD_CHANGE = env_bool("KINERJA_FORCE_PASSWORD_CHANGE", default=not DEBUG)

# Sessions end after KINERJA_SESSION_IDLE_HOURS without a request (renewed by requests; see
# KINERJA_SESSION_RENEW_SECONDS).
KINERJA_SESSION_IDLE_HOURS = env.int("KINERJA_SESSION_IDLE_HOURS", default=8)
if KINERJA_SESSION_IDLE_HOURS < 1:
    raise ImproperlyConfigured("KINERJA_SESSION_IDLE_HOURS must be at least 1")
SESSION_COOKIE_AGE = KINERJA_SESSION_IDLE_HOURS * 60 * 60
# A request renews the expiry when the last renewal is older than this (accounts.signin.
# SessionRenewalMiddleware), not on every request: a page then writes nothing.
KINERJA_SESSION_RENEW_SECONDS = env.int("KINERJA_SESSION_RENEW_MINUTES", default=10) * 60

# Reset links go out through Django's email backend (console in development).
vars().update(env.email_url("DJANGO_EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="kinerja@localhost")

# The users are Indonesian civil servants; Balangan (Kalimantan Selatan) is on WITA.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True
# Indonesian convention: decimal comma, dot for thousands (98,96 and 97.000.169.679). Numbers
# are formatted by common.numbers (template filters `angka`, `persen`, `rupiah`); automatic
# grouping stays off so years and ids never render as "2.024".
USE_THOUSAND_SEPARATOR = False
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
# Where collectstatic writes (production serves it with whitenoise).
STATIC_ROOT = Path(env.str("KINERJA_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
# Evidence files are served only through a permission-checked view, never by URL guessing.
MEDIA_ROOT = Path(env.str("KINERJA_MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Evidence uploads are capped at 10 MB; the whole request may carry a little more (form fields).
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# A refused form (expired page, missing token) gets the product's own Indonesian 403 page.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# The library's own escaping deletes "=" and turns numbers into text; the one workbook writer
# (common/sheets.py, which every export goes through) prefixes a quote instead.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# Importing changes data (perencana: targets, definitions, budgets); exporting only reads.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Caches (config/settings/caches.py): DJANGO_CACHE_URL (e.g. redis://127.0.0.1:6379/1, the
# production choice) puts "default", "pages", "charts" and "progress" in that one backend,
# shared by every server. Unset: per-process memory for "default" and "pages", files every
# process of the machine shares for "charts" and "progress" (KINERJA_CACHE_DIR and
# KINERJA_PROGRESS_DIR move them, e.g. to /var/cache/kinerja).
DJANGO_CACHE_URL = env.str("DJANGO_CACHE_URL", default="").strip()
CACHES = caches_from_env(
    DJANGO_CACHE_URL,
    BASE_DIR,
    charts_dir=env.str("KINERJA_CACHE_DIR", default="") or None,
    progress_dir=env.str("KINERJA_PROGRESS_DIR", default="") or None,
)
# Sessions read from the default cache and written through to the database: a signed-in page
# reads its session without a query, and a session outlives a cache restart or eviction.
# (production.py stays on the database alone when the default cache is per process.)
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# A workbook of more rows than this is applied by the background worker, with a progress
# page, instead of inside the web request.
KINERJA_IMPORT_INLINE_ROWS = env.int("KINERJA_IMPORT_INLINE_ROWS", default=300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every layout step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
    },
}

# Background work (report generation) through django-tasks: the database backend runs in the
# same database, so `make demo` needs only `manage.py db_worker` beside the web server, and
# production scales out by running that worker on as many machines as needed.
TASKS = {
    "default": {
        "BACKEND": env.str("KINERJA_TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}


# The API (/api/v1/): personal tokens only (no session: a browser's cookie never authenticates
# an API call, so there is no CSRF to bypass), JSON only, every error as {"kode", "pesan"},
# a rate per token (in the default cache: Redis where configured, else per process).
# A set of at least this many values runs in the background (202 and /api/v1/tasks/<id>/).
KINERJA_API_BACKGROUND_FROM = env.int("KINERJA_API_BACKGROUND_FROM", default=2000)
# Days a finished background set (and the set as sent) is kept for its sender to read.
KINERJA_API_TASK_DAYS = env.int("KINERJA_API_TASK_DAYS", default=7)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("KINERJA_API_RATE", default="600/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Numbers as JSON numbers (98.96), not strings.
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kinerja API",
    "DESCRIPTION": "Baca rencana, target, realisasi dan capaian; kirim realisasi sekaligus. "
    "Kirim token pribadi: Authorization: Bearer <token> (buat di halaman Akun).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
