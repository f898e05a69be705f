"""A seeded world (DP3APPKBPMD, Balangan, 2024), people of every role and their tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.tokens import token_create
from indicators.models import Indikator
from renstra.models import Bidang, Opd, Role
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The throttle counts in the default cache: each test starts with a clean count.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def opd(seed_module: Any, db: Any) -> Opd:
    return Opd.objects.get(kode="DP3APPKBPMD")


def token_of(user: Any, *, tulis: bool = False, days: int = 30) -> str:
    return token_create(user=user, owner=user, nama="uji", days=days, tulis=tulis).secret


def client_with(token: str | None) -> APIClient:
    client = APIClient()
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def people(opd: Opd) -> dict[str, Any]:
    bidang = list(Bidang.objects.filter(opd=opd).order_by("pk"))
    return {
        "admin": make_user("api_admin", Role.ADMIN),
        "perencana": make_user("api_perencana", Role.PERENCANA, opd),
        "pimpinan": make_user("api_pimpinan", Role.PIMPINAN, opd),
        "bappeda": make_user(
            "api_bappeda", Role.BAPPEDA, opd.pemda.opd_set.exclude(pk=opd.pk).first() or opd
        ),
        "bidang": bidang,
    }


def idg() -> int:
    """The seed's IDG (bidang PPPA). Read by name: each test module loads the seed again, so
    its ids depend on the modules run before."""
    # The first of its name: the sasaran's IKU (the Perjanjian Kinerja repeats it).
    return int(Indikator.objects.filter(nama="IDG (Indeks Pemberdayaan Gender)").earliest("pk").pk)


def tfr() -> int:
    """The seed's TFR (bidang PPKB), read by name like :func:`idg`."""
    return int(Indikator.objects.filter(nama="Angka Kelahiran Total (TFR)").earliest("pk").pk)
