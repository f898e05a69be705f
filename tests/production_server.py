"""Kinerja as production runs it, for the tests that must see what production sees: a fresh
database of its own (PostgreSQL when the suite runs on it, else an SQLite file), migrated and
seeded by the real commands, static files collected, served by gunicorn (2 workers) with the
production settings and DEBUG off. No test transaction wraps anything: every request commits
on its own, as in production (issue #19: two-factor sign-in failed only there)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Sandi-uji-produksi-2026"  # not the demo password: production forces a change of it


@dataclass
class ProductionServer:
    url: str
    env: dict[str, str]

    def manage(self, *args: str, settings_module: str = "") -> str:
        env = dict(self.env)
        if settings_module:
            env["DJANGO_SETTINGS_MODULE"] = settings_module
        done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(tmp: Path) -> tuple[str, object]:
    """A new, empty database on the server the suite uses; returns its URL and a function
    that drops it."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        import psycopg2

        name = f"kinerja_prod_{secrets.token_hex(4)}"
        params = {
            "host": db.get("HOST") or "127.0.0.1",
            "port": db.get("PORT") or 5432,
            "user": db.get("USER") or "postgres",
            "password": db.get("PASSWORD") or None,
            "dbname": "postgres",
        }
        conn = psycopg2.connect(**params)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kinerja")
        parts = urlsplit(base)
        url = urlunsplit(parts._replace(path=f"/{name}"))

        def drop() -> None:
            conn = psycopg2.connect(**params)
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.close()

        return url, drop
    path = tmp / "produksi.sqlite3"
    return f"sqlite:///{path}", lambda: None


# The demo users (README) with a password of their own: production forces a change of the
# shared demo password at sign-in, which has its own tests.
DEMO_USERS_OWN_PASSWORD = f"""
from django.contrib.auth.models import User
for user in User.objects.all():
    user.set_password({PASSWORD!r})
    user.save(update_fields=["password"])
"""


def start_production_server(tmp: Path, users_script: str = "") -> Iterator[ProductionServer]:
    """Migrate, seed (``load_seed``), create the demo users (``demo_users``, which refuses to
    run outside DEBUG, so with the development settings on the same database) with
    :data:`PASSWORD`, run ``users_script`` in ``manage.py shell``, collect static files, then
    serve with gunicorn until the generator is closed."""
    for servers in start_production_servers(tmp, users_script):
        yield servers[0]


def start_production_servers(
    tmp: Path,
    users_script: str = "",
    *,
    count: int = 1,
    extra_env: dict[str, str] | None = None,
    worker: bool = False,
) -> Iterator[list[ProductionServer]]:
    """As :func:`start_production_server`, with ``count`` gunicorn instances on ports of their
    own sharing the one database (and whatever ``extra_env`` shares: a Redis cache), and with
    ``worker`` the django-tasks worker that builds reports, as production runs them."""
    url, drop = _database(tmp)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "KINERJA_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": url,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on the loopback: no proxy in front to terminate TLS.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "KINERJA_STATIC_ROOT": str(tmp / "static"),
            "KINERJA_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_EMAIL_URL": "consolemail://",
            **(extra_env or {}),
        }
    )
    first = ProductionServer(url="", env=env)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        first.manage("migrate", "--noinput", "-v", "0")
        first.manage("load_seed")
        first.manage("demo_users", settings_module="config.settings.dev")
        first.manage("shell", "-c", DEMO_USERS_OWN_PASSWORD + users_script)
        first.manage("collectstatic", "--noinput", "-v", "0")
        servers = []
        for _ in range(count):
            port = _free_port()
            server = ProductionServer(url=f"http://127.0.0.1:{port}", env=env)
            processes.append(_gunicorn(port, env))
            _wait_for(server, processes[-1])
            servers.append(server)
        if worker:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "db_worker", "--queue-name", "default"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.STDOUT,
                )
            )
        yield servers
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        drop()  # type: ignore[operator]


def _gunicorn(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - gunicorn from this venv, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_for(server: ProductionServer, gunicorn: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{server.url}/masuk/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if gunicorn.poll() is not None or time.monotonic() > deadline:
            output = gunicorn.stdout.read().decode() if gunicorn.stdout else ""
            raise RuntimeError(f"gunicorn did not start:\n{output}")
        time.sleep(0.3)
