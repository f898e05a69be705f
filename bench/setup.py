"""What the benchmarks share: a throw-away database (PostgreSQL when reachable, else
SQLite), the seed data, users with known passwords, a gunicorn server, and a load generator
of bounded concurrent clients that prints p50/p95 against the login page.

Nothing here is product code: the data generators may write directly (a benchmark measures
reads); every product write path goes through the services.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "bench-" + secrets.token_urlsafe(12)
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def count_queries(fn: Any) -> tuple[Any, float, int]:
    """``fn()``, its time and the number of queries it ran (Django set up)."""
    from django.db import connection

    n = 0

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal n
        n += 1
        return execute(sql, params, many, context)

    t0 = time.perf_counter()
    with connection.execute_wrapper(record):
        result = fn()
    return result, time.perf_counter() - t0, n


def machine_load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min), {os.cpu_count()} CPU"


def database_url(name: str) -> str:
    """A fresh database: PostgreSQL ``name`` (dropped and created) when reachable."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    try:
        import psycopg2

        conn = psycopg2.connect(dbname="postgres", connect_timeout=3, **PG)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"
    except Exception as exc:
        print(f"(PostgreSQL tidak tersedia: {exc}; memakai SQLite)", file=sys.stderr)
        tmp = tempfile.mkdtemp(prefix="kinerja-bench-")
        return f"sqlite:///{tmp}/bench.sqlite3"


def django_setup(name: str) -> str:
    url = database_url(name)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def make_user(username: str, role: str, opd: Any, bidang: Any = None) -> None:
    """A user of a role with the bench password (not a demo password: no forced change)."""
    from django.contrib.auth.models import Group, User

    from renstra.door import SystemActor
    from renstra.models import Penugasan, Role
    from renstra.permissions import GROUP_NAMES
    from renstra.services import penugasan_save

    user, _ = User.objects.get_or_create(username=username)
    user.set_password(PASSWORD)
    user.is_staff = role == Role.PERENCANA
    user.save()
    user.groups.set([Group.objects.get(name=GROUP_NAMES[Role(role)])])
    assignment = Penugasan.objects.filter(user=user).first() or Penugasan(user=user)
    assignment.opd, assignment.bidang = opd, bidang
    penugasan_save(user=SystemActor("bench"), obj=assignment)


# One line per request in gunicorn's access log: the method, the path, the status and the
# server's own time in microseconds (from the request read to the response written).
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"


@contextmanager
def gunicorn(workers: int = 2, port: int = 8765, access_log: Path | None = None) -> Iterator[str]:
    """The app served as in production (gunicorn, whitenoise), DEBUG off. With ``access_log``
    gunicorn writes each request's own time there (see :func:`server_times`)."""
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    logging = (
        ["--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT]
        if access_log is not None
        else []
    )
    process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *logging,
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/masuk/", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


class Client:
    """A browser-like client with its own cookies, logged in as one user."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> int:
        with self.opener.open(f"{self.base}{path}", timeout=120) as response:
            response.read()
            return int(response.status)

    def login(self, username: str) -> None:
        with self.opener.open(f"{self.base}/masuk/", timeout=60) as response:
            html = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token, "no CSRF token on the login page"
        data = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        request = urllib.request.Request(  # noqa: S310
            f"{self.base}/masuk/", data=data, headers={"Referer": f"{self.base}/masuk/"}
        )
        with self.opener.open(request, timeout=60) as response:
            final = response.geturl()
        assert "/masuk/" not in final, f"login of {username} failed (ended at {final})"


@dataclass
class Figures:
    name: str
    p50: float
    p95: float
    rps: float
    n: int
    # The server's own time (gunicorn's access log), when the server writes one.
    server_p50: float | None = None
    server_p95: float | None = None


def server_times(access_log: Path, path: str, offset: int) -> list[float]:
    """The server's time in seconds of each successful GET of ``path`` logged after ``offset``
    bytes of the access log (the measured requests, not the sign-ins and the warm-up)."""
    times = []
    with access_log.open("rb") as log:
        log.seek(offset)
        for line in log.read().decode().splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[0] == "GET" and parts[1] == path and parts[2] == "200":
                times.append(int(parts[3]) / 1_000_000)
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def load(
    base: str,
    name: str,
    path: str,
    username: str | None,
    *,
    clients: int = 20,
    requests: int = 200,
    warmup: int = 20,
    access_log: Path | None = None,
) -> Figures:
    """``requests`` GETs of ``path`` by ``clients`` concurrent clients (each logged in once),
    after a warm-up; latency per request in seconds. With the server's ``access_log`` (see
    :func:`gunicorn`) the server's own median and p95 of the same requests too."""
    pool = [Client(base) for _ in range(clients)]
    if username:
        with ThreadPoolExecutor(clients) as ex:
            list(ex.map(lambda c: c.login(username), pool))
    for client in pool[: max(1, warmup // 4)]:
        for _ in range(4):
            assert client.get(path) == 200, path
    timings: list[float] = []
    lock = threading.Lock()
    remaining = [requests]

    def work(client: Client) -> None:
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            t0 = time.perf_counter()
            status = client.get(path)
            elapsed = time.perf_counter() - t0
            assert status == 200, (path, status)
            with lock:
                timings.append(elapsed)

    # Every earlier request has been answered, so its line is already written (gunicorn's
    # access log flushes each line).
    offset = access_log.stat().st_size if access_log is not None else 0
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as ex:
        list(ex.map(work, pool))
    wall = time.perf_counter() - started
    figures = Figures(
        name, statistics.median(timings), _p95(timings), len(timings) / wall, len(timings)
    )
    if access_log is not None:
        time.sleep(0.2)  # the last lines reach the file
        server = server_times(access_log, path.split("?")[0], offset)
        assert len(server) >= len(timings), (path, len(server), len(timings))
        figures.server_p50, figures.server_p95 = statistics.median(server), _p95(server)
    return figures


def table(rows: list[Figures], baseline: Figures) -> str:
    lines = [f"{'halaman':<34} {'p50':>8} {'p95':>8} {'req/s':>7} {'p95 ÷ login':>12}"]
    for f in [baseline, *rows]:
        lines.append(
            f"{f.name:<34} {f.p50 * 1000:>6.0f}ms {f.p95 * 1000:>6.0f}ms {f.rps:>7.1f} "
            f"{f.p95 / baseline.p95:>11.1f}×"
        )
    return "\n".join(lines)


def server_table(rows: list[Figures], baseline: Figures, queries: dict[str, int]) -> str:
    """The server's own median and p95 per page and the median's ratio to the login page's
    (goal ≤ 4×), with the queries of the kept page measured in-process."""
    assert baseline.server_p50 is not None
    lines = [
        f"{'halaman':<38} {'median server':>13} {'p95 server':>10} {'÷ login':>8} "
        f"{'query':>5} {'p50 klien':>9}"
    ]
    for f in [baseline, *rows]:
        assert f.server_p50 is not None and f.server_p95 is not None
        n = queries.get(f.name)
        lines.append(
            f"{f.name:<38} {ms(f.server_p50):>13} {ms(f.server_p95):>10} "
            f"{decimal(f.server_p50 / baseline.server_p50, 1) + '×':>8} "
            f"{'' if n is None else n:>5} {ms(f.p50):>9}"
        )
    return "\n".join(lines)


def decimal(value: float, places: int) -> str:
    """A number as Indonesian text: 1.234,5."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def ms(seconds: float) -> str:
    return f"{decimal(seconds * 1000, 1)} ms"


def timed(label: str, fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t0
    print(f"  {label}: {elapsed:.2f} s", file=sys.stderr)
    return elapsed, result
