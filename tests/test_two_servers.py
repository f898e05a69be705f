"""Two servers, one truth (issue #26): two gunicorn instances on ports of their own, sharing
one database and one Redis cache, with the django-tasks worker — as a province's installation
runs behind a load balancer. Production settings, DEBUG off, no transaction around anything.

- A session made on one server is good on the other (sessions in the database and the shared
  cache).
- A realisasi saved through one server is on the dashboard the other serves at once (the OPD's
  version is in the database; the kept pages in Redis).
- A draft report asked for through one server is built by the worker and downloaded from the
  other."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import requests
from django.urls import reverse

from tests.production_server import PASSWORD, ProductionServer, start_production_servers

REDIS = "redis://127.0.0.1:6379/2"


PREFIX = f"kinerja-dua-{secrets.token_hex(4)}"


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> Iterator[list[ProductionServer]]:
    prefix = PREFIX
    yield from start_production_servers(
        tmp_path_factory.mktemp("dua"),
        count=2,
        worker=True,
        extra_env={"DJANGO_CACHE_URL": f"{REDIS}?key_prefix={prefix}"},
    )
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token"
    return found.group(1)


class Loopback(requests.Session):
    """Production marks its cookies Secure; a browser sends them to 127.0.0.1 (a trustworthy
    origin), requests only over HTTPS: on the loopback this client sends them as well. It
    follows no redirect itself (a cookie set on a redirect would not reach its target)."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("allow_redirects", False)
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def signed_in(server: ProductionServer, username: str) -> requests.Session:
    session = Loopback()
    page = session.get(f"{server.url}/masuk/", timeout=60)
    response = session.post(
        f"{server.url}/masuk/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf(page.text)},
        headers={"Referer": f"{server.url}/masuk/"},
        timeout=60,
    )
    assert response.status_code == 302, (username, response.status_code)
    assert "/masuk/" not in response.headers["Location"], username
    return session


def test_a_session_a_write_and_a_report_cross_from_one_server_to_the_other(pair):
    one, two = pair
    said = one.manage(
        "shell",
        "-c",
        "from indicators.models import Indikator; print('IDG', Indikator.objects.get("
        "nama__startswith='IDG', sasaran__isnull=False, "
        "periode__opd__kode='DP3APPKBPMD').pk)",
    )
    idg = int(re.search(r"^IDG (\d+)$", said, re.MULTILINE).group(1))
    # Signed in on the first server, the same cookie is good on the second.
    kabid = signed_in(one, "kabid_pppa")
    assert kabid.get(f"{two.url}/realisasi/2024/", timeout=60).status_code == 200
    # The pimpinan reads the dashboard on the second server: computed, then kept.
    pimpinan = signed_in(two, "pimpinan")
    dashboard = f"{two.url}/dasbor/2024/"
    assert "98,96" in pimpinan.get(dashboard, timeout=120).text
    assert "98,96" in pimpinan.get(dashboard, timeout=60).text
    # The kept pages and the sessions are in the one Redis both servers use.
    stored = {k.decode() for k in redis.Redis.from_url(REDIS).scan_iter(f"{PREFIX}:*")}
    assert any(k.startswith(f"{PREFIX}:pages:") for k in stored), stored
    assert any(k.startswith(f"{PREFIX}:default:") and "session" in k for k in stored), stored

    # The kabid saves IDG 2024 through the first server.
    edit = f"{one.url}/realisasi/2024/{idg}/"
    form = kabid.get(edit, timeout=60).text
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    for name in ("tw1", "tw2", "tw3", "tw4", "analisis", "hambatan", "tindak_lanjut"):
        data.setdefault(name, "")
    data["tahunan"] = "71,23"
    saved = kabid.post(edit, data=data, headers={"Referer": edit}, timeout=60)
    assert saved.status_code == 302 and "/masuk/" not in saved.headers["Location"]
    assert "71,23" in kabid.get(edit, timeout=60).text  # stored

    # The second server's dashboard shows it at once.
    page = pimpinan.get(dashboard, timeout=120).text
    assert "71,23" in page

    # A draft asked for through the first server, built by the worker, served by the second.
    lakip = pimpinan.get(f"{one.url}/lakip/2024/", timeout=120).text
    queued = pimpinan.post(
        f"{one.url}{reverse('lakip_file', args=[2024, 'xlsx'])}",
        data={"csrfmiddlewaretoken": csrf(lakip)},
        headers={"Referer": f"{one.url}/lakip/2024/"},
        timeout=60,
    )
    assert queued.status_code == 302, queued.status_code
    status_path = queued.headers["Location"]
    deadline = time.monotonic() + 240
    while True:
        status = pimpinan.get(f"{two.url}{status_path}?format=json", timeout=60).json()
        if status["status"] in ("selesai", "gagal") or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert status["status"] == "selesai", status
    result = pimpinan.get(f"{two.url}{status['unduh']}", timeout=60)
    assert result.status_code == 200
    assert result.content.startswith(b"PK")  # an XLSX, built by the worker
