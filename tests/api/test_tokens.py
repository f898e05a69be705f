"""Personal API tokens: stored as a hash, shown once, expiring, revocable, read-only refused
writes, throttled per token, no session on the API; and the API's error shape."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken
from api.auth import TokenRateThrottle
from renstra.models import Role
from tests.api.conftest import client_with, token_of
from tests.factories import OpdFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def perencana():
    return make_user("tok_perencana", Role.PERENCANA, OpdFactory())


def test_only_the_hash_is_stored_and_the_token_works(perencana):
    made = tokens.token_create(user=perencana, owner=perencana, nama="e-Monev", days=30, tulis=True)
    stored = ApiToken.objects.get()
    assert made.secret.startswith(f"knj_{stored.prefix}_")
    assert stored.hash == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret not in {stored.hash, stored.prefix, stored.nama}
    assert stored.tulis and stored.terakhir_dipakai is None
    answer = client_with(made.secret).get("/api/v1/opd/")
    assert answer.status_code == 200
    stored.refresh_from_db()
    assert stored.terakhir_dipakai is not None


def test_akun_page_shows_the_token_once_lists_and_revokes(perencana):
    browser = Client()
    browser.force_login(perencana)
    shown = browser.post("/akun/token/", {"nama": "Dasbor Bappeda", "days": "30", "tulis": "on"})
    assert shown.status_code == 200
    stored = ApiToken.objects.get()
    secret = shown.context["new_token"]
    assert secret.startswith("knj_") and secret in shown.content.decode()
    assert stored.nama == "Dasbor Bappeda" and stored.tulis
    assert stored.kedaluwarsa - timezone.now() > timedelta(days=29)
    page = browser.get("/akun/").content.decode()
    assert secret not in page  # never again
    assert f"knj_{stored.prefix}…" in page and "baca-tulis" in page and "belum pernah" in page
    # Bad input: 400 with the form's message, nothing made.
    refused = browser.post("/akun/token/", {"nama": "", "days": "9999"})
    assert refused.status_code == 400 and ApiToken.objects.count() == 1
    # Revoked: refused from then on, with the reason.
    assert client_with(secret).get("/api/v1/opd/").status_code == 200
    assert browser.post(f"/akun/token/{stored.pk}/cabut/").status_code == 302
    answer = client_with(secret).get("/api/v1/opd/")
    assert answer.status_code == 401
    assert answer.json() == {"kode": "token_ditolak", "pesan": "Token telah dicabut."}
    assert "dicabut" in browser.get("/akun/").content.decode()


def test_anothers_token_cannot_be_revoked(perencana):
    other = make_user("tok_other", Role.PERENCANA, OpdFactory())
    made = tokens.token_create(user=other, owner=other, nama="x", days=5, tulis=False)
    browser = Client()
    browser.force_login(perencana)
    assert browser.post(f"/akun/token/{made.token.pk}/cabut/").status_code == 404
    made.token.refresh_from_db()
    assert made.token.dicabut is None
    with pytest.raises(ApiToken.DoesNotExist):
        tokens.token_revoke(user=perencana, pk=made.token.pk)


def test_expired_unknown_and_missing_tokens_answer_401_json(perencana):
    secret = token_of(perencana)
    ApiToken.objects.update(kedaluwarsa=timezone.now() - timedelta(seconds=1))
    answer = client_with(secret).get("/api/v1/opd/")
    assert answer.status_code == 401
    assert answer.json()["kode"] == "token_ditolak"
    assert "kedaluwarsa" in answer.json()["pesan"]
    assert answer["WWW-Authenticate"].startswith("Bearer")
    unknown = client_with("knj_00000000_tebakan").get("/api/v1/opd/")
    assert unknown.status_code == 401
    assert unknown.json() == {"kode": "token_ditolak", "pesan": "Token tidak dikenal."}
    missing = client_with(None).get("/api/v1/opd/")
    assert missing.status_code == 401 and missing.json()["kode"] == "tidak_terautentikasi"


def test_a_signed_in_browser_session_does_not_authenticate_the_api(perencana):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(perencana)
    assert browser.get("/api/v1/opd/").status_code == 401
    posted = browser.post(
        "/api/v1/realisasi-sets/", {"values": []}, content_type="application/json"
    )
    assert posted.status_code == 401


def test_a_read_only_token_is_refused_writes(perencana):
    answer = client_with(token_of(perencana)).post(
        "/api/v1/realisasi-sets/",
        {"values": [{"indikator": "1", "tahun": 2024, "periode": "tahunan", "nilai": 1}]},
        format="json",
    )
    assert answer.status_code == 403
    assert answer.json()["kode"] == "ditolak"
    assert "hanya untuk membaca" in answer.json()["pesan"]


@pytest.mark.cache
def test_throttled_per_token(perencana, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    first, second = client_with(token_of(perencana)), client_with(token_of(perencana))
    assert [first.get("/api/v1/opd/").status_code for _ in range(3)] == [200] * 3
    refused = first.get("/api/v1/opd/")
    assert refused.status_code == 429
    assert refused.json()["kode"] == "terlalu_banyak_permintaan"
    assert int(refused["Retry-After"]) >= 1
    # Another token of the same person has its own count.
    assert second.get("/api/v1/opd/").status_code == 200


def test_command_prints_a_token_once(perencana):
    out = StringIO()
    call_command(
        "api_token", perencana.username, "--name", "CI", "--write", "--days", "7", stdout=out
    )
    secret = out.getvalue().strip()
    stored = ApiToken.objects.get()
    assert stored.tulis and stored.nama == "CI"
    assert stored.hash == tokens.hash_token(secret)
    assert client_with(secret).get("/api/v1/opd/").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "kode"),
    [
        ("get", "/api/v1/tidak-ada/", None, 404, "tidak_ditemukan"),
        ("get", "/api/v1/realisasi/?tahun=abc", None, 400, "input_tidak_valid"),
        ("get", "/api/v1/realisasi/?lastUpdated=2024-13-45", None, 400, "input_tidak_valid"),
        ("get", "/api/v1/capaian/", None, 400, "input_tidak_valid"),
        ("get", "/api/v1/indikator/?opd=%00", None, 400, "input_tidak_valid"),
        ("get", "/api/v1/realisasi/?lastUpdated=0001-01-01", None, 400, "input_tidak_valid"),
        (
            "post",
            "/api/v1/realisasi-sets/",
            {"values": [{"indikator": "²", "tahun": 2024, "periode": "tahunan", "nilai": 1}]},
            409,
            "konflik",
        ),
        ("get", "/api/v1/pohon/?level=bab", None, 400, "input_tidak_valid"),
        ("get", "/api/v1/opd/?page=999", None, 404, "tidak_ditemukan"),
        ("delete", "/api/v1/opd/", None, 405, "metode_tidak_diizinkan"),
        ("post", "/api/v1/realisasi-sets/", "{bukan json", 400, "json_tidak_valid"),
        ("post", "/api/v1/realisasi-sets/", {"values": "x"}, 400, "input_tidak_valid"),
        (
            "post",
            "/api/v1/realisasi-sets/",
            {"values": [{"indikator": "1", "tahun": 2024, "periode": "tw5"}]},
            400,
            "input_tidak_valid",
        ),
        (
            "post",
            "/api/v1/realisasi-sets/",
            {"values": [{"indikator": "1", "tahun": 2024, "periode": "tahunan"}] * 10_001},
            413,
            "terlalu_besar",
        ),
    ],
)
def test_every_error_is_json_with_a_stable_code(perencana, method, path, body, status, kode):
    client = client_with(token_of(perencana, tulis=True))
    if isinstance(body, str):
        answer = client.generic("POST", path, body, content_type="application/json")
    elif body is not None:
        answer = getattr(client, method)(path, body, format="json")
    else:
        answer = getattr(client, method)(path)
    assert answer.status_code == status
    data = answer.json()
    assert data["kode"] == kode
    assert isinstance(data["pesan"], str) and data["pesan"]


def test_schema_and_docs_are_served_from_own_static_files():
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    data = json.loads(schema.content)
    assert data["openapi"].startswith("3.")
    paths = set(data["paths"])
    assert {
        "/api/v1/capaian/",
        "/api/v1/indikator/",
        "/api/v1/realisasi-sets/",
        "/api/v1/pohon/",
    } <= paths
    assert data["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    docs = Client().get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs
