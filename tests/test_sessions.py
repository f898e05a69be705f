"""Sessions: a new key at sign-in, idle expiry renewed by requests (at most every ten
minutes), and signing out of every other device."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.signin import RENEWED_KEY
from renstra.models import Role
from tests.factories import OpdFactory, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

PASSWORD = "pw-test-123"


@pytest.fixture
def user():
    return make_user("pimpinan", Role.PIMPINAN, opd=OpdFactory())


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_the_session_key_changes_at_sign_in(client, user):
    before = client.session
    before["seen"] = True
    before.save()
    client.cookies["sessionid"] = before.session_key

    assert sign_in(client, user).status_code == 302

    assert client.session.session_key != before.session_key
    assert not Session.objects.filter(session_key=before.session_key).exists()


def age_renewal(client, seconds: int) -> None:
    """Pretend the session was last renewed ``seconds`` ago."""
    session = client.session
    session[RENEWED_KEY] -= seconds
    session.save()


def test_a_request_renews_the_idle_expiry_of_eight_hours(client, user, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    sign_in(client, user)
    age_renewal(client, settings.KINERJA_SESSION_RENEW_SECONDS)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(hours=1)
    )

    assert client.get(reverse("account")).status_code == 200

    left = stored(client).expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < left <= timedelta(hours=8)


def test_a_request_soon_after_the_last_renewal_writes_nothing(client, user, settings):
    sign_in(client, user)
    client.get(reverse("account"))
    age_renewal(client, settings.KINERJA_SESSION_RENEW_SECONDS - 60)
    before = stored(client).expire_date

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("account")).status_code == 200

    assert stored(client).expire_date == before
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]


def test_an_idle_session_ends(client, user):
    sign_in(client, user)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    # Sessions are read from the cache first (cached_db), kept there for the same idle age:
    # the entry has expired with the row.
    caches[settings.SESSION_CACHE_ALIAS].delete(CachedStore.cache_key_prefix + key)

    response = client.get(reverse("account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_out_everywhere_ends_the_other_sessions_and_keeps_this_one(client, user):
    laptop, phone = client.__class__(), client.__class__()
    sign_in(laptop, user)
    sign_in(phone, user)
    sign_in(client, user)

    response = client.post(reverse("sign_out_everywhere"), {"password": PASSWORD})

    assert response.status_code == 302
    assert laptop.get(reverse("account")).status_code == 302
    assert phone.get(reverse("account")).status_code == 302
    assert client.get(reverse("account")).status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # the password itself is unchanged


def test_signing_out_everywhere_needs_the_password(client, user):
    phone = client.__class__()
    sign_in(phone, user)
    sign_in(client, user)

    response = client.post(reverse("sign_out_everywhere"), {"password": "salah"})

    assert response.status_code == 400
    assert "Kata sandi salah." in response.content.decode()
    assert phone.get(reverse("account")).status_code == 200


def test_signing_out_ends_the_session(client, user):
    sign_in(client, user)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert caches[settings.SESSION_CACHE_ALIAS].get(CachedStore(key).cache_key) is None
    assert client.get(reverse("account")).status_code == 302


def test_a_signed_in_page_reads_its_session_from_the_cache(client, user):
    sign_in(client, user)
    client.get(reverse("account"))

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("account")).status_code == 200

    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]]


def test_a_session_outlives_a_cleared_cache(client, user):
    sign_in(client, user)
    caches[settings.SESSION_CACHE_ALIAS].clear()  # a restarted or evicting Redis

    assert client.get(reverse("account")).status_code == 200
