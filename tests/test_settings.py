"""Settings behaviour, each case in a fresh interpreter so the environment is exactly known."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in {"DATABASE_URL"}
    }
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**extra: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "kinerja.example.go.id",
        **extra,
    }


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_manage("check", **production_env(DJANGO_SECRET_KEY="short"))
    assert result.returncode != 0
    assert "too short" in result.stderr


def test_production_settings_pass_check_deploy_with_zero_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_a_malformed_debug_value_fails_loudly():
    result = run_manage("check", DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_a_malformed_database_url_fails_loudly():
    result = run_manage("check", DATABASE_URL="nonsense")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_an_empty_allowed_hosts_entry_fails_loudly():
    result = run_manage("check", **production_env(DJANGO_ALLOWED_HOSTS="a.example,,b.example"))
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS has an empty entry" in result.stderr


def test_debug_cannot_be_switched_on_in_production():
    result = run_manage("check", **production_env(DJANGO_DEBUG="true"))
    assert result.returncode != 0
    assert "must not be true in production" in result.stderr


def test_locale_and_time_zone_are_indonesian(settings):
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Makassar"
    assert settings.DECIMAL_SEPARATOR == ","
    assert settings.THOUSAND_SEPARATOR == "."


def settings_of(*names: str, **env: str) -> list[str]:
    code = "from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{name}))" for name in names
    )
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-len(names) :]


def test_login_throttling_is_configured_from_the_environment():
    assert settings_of("AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", "AXES_LOCKOUT_PARAMETERS") == [
        "5",
        "datetime.timedelta(seconds=900)",
        "['username', 'ip_address']",
    ]
    assert settings_of(
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        KINERJA_LOGIN_FAILURE_LIMIT="3",
        KINERJA_LOGIN_LOCKOUT_MINUTES="30",
    ) == ["3", "datetime.timedelta(seconds=1800)"]


def test_the_number_of_trusted_proxies_comes_from_the_environment():
    assert settings_of("KINERJA_TRUSTED_PROXIES", "AXES_CLIENT_IP_CALLABLE") == [
        "0",
        "'accounts.signin.client_ip'",
    ]
    assert settings_of("KINERJA_TRUSTED_PROXIES", KINERJA_TRUSTED_PROXIES="1") == ["1"]


def test_sessions_expire_after_idle_hours_from_the_environment():
    assert settings_of("SESSION_COOKIE_AGE", "KINERJA_SESSION_RENEW_SECONDS") == ["28800", "600"]
    assert settings_of("KINERJA_SESSION_RENEW_SECONDS", KINERJA_SESSION_RENEW_MINUTES="1") == ["60"]
    assert settings_of("SESSION_COOKIE_AGE", KINERJA_SESSION_IDLE_HOURS="2") == ["7200"]


def test_production_cookies_are_secure_httponly_and_samesite():
    assert settings_of(
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        **production_env(),
    ) == ["True", "True", "'Lax'", "True", "True", "'Lax'"]


def test_production_requires_two_factor_for_admin_and_perencana_unless_told_otherwise():
    assert settings_of("KINERJA_2FA_REQUIRED_ROLES", **production_env()) == [
        "['admin', 'perencana']"
    ]
    assert settings_of(
        "KINERJA_2FA_REQUIRED_ROLES", **production_env(KINERJA_2FA_REQUIRED_ROLES="none")
    ) == ["[]"]
    assert settings_of("KINERJA_2FA_REQUIRED_ROLES") == ["[]"]  # development


def test_an_unknown_two_factor_role_fails_loudly():
    result = run_manage("check", KINERJA_2FA_REQUIRED_ROLES="perencana,bupati")
    assert result.returncode != 0
    assert "KINERJA_2FA_REQUIRED_ROLES has unknown roles ['bupati']" in result.stderr


def test_the_demo_password_change_is_forced_only_outside_debug():
    assert settings_of("KINERJA_FORCE_PASSWORD_CHANGE") == ["False"]  # dev: make demo
    assert settings_of("KINERJA_FORCE_PASSWORD_CHANGE", DJANGO_DEBUG="false") == ["True"]
    assert settings_of("KINERJA_FORCE_PASSWORD_CHANGE", **production_env()) == ["True"]
