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
