"""Login throttling (django-axes): five failures lock the username and the address out for 15
minutes, the right password included; the admin and a command unlock; every attempt is kept."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from renstra.models import Role
from tests.factories import OpdFactory, make_user

pytestmark = pytest.mark.django_db

RIGHT = "pw-test-123"


@pytest.fixture
def kabid():
    return make_user("kabid_ppkb", Role.KABID, opd=OpdFactory())


def attempt(client, username, password, ip="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_four_wrong_passwords_are_answered_with_the_usual_message(client, kabid):
    for _ in range(4):
        response = attempt(client, "kabid_ppkb", "salah")
        assert response.status_code == 200
        assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert attempt(client, "kabid_ppkb", RIGHT).status_code == 302
    assert signed_in(client)


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, kabid):
    responses = [attempt(client, "kabid_ppkb", "salah") for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]

    response = attempt(client, "kabid_ppkb", RIGHT)

    assert response.status_code == 429
    body = response.content.decode()
    assert "Akses masuk dikunci sementara" in body
    assert "juga dengan kata sandi yang benar" in body
    assert not signed_in(client)
    assert client.get(reverse("home")).status_code == 302


def test_the_lockout_page_says_when_to_try_again(client, kabid):
    for _ in range(5):
        attempt(client, "kabid_ppkb", "salah")

    body = attempt(client, "kabid_ppkb", RIGHT).content.decode()

    last = AccessAttempt.objects.get(username="kabid_ppkb").attempt_time
    until = timezone.localtime(last + timedelta(minutes=15))
    assert f"Coba lagi setelah pukul {until:%H.%M} WITA" in body
    assert "sekitar 15 menit lagi" in body
    assert "Too many" not in body and "locked" not in body.lower().replace("dikunci", "")


def test_the_username_is_locked_out_whatever_the_address(client, kabid):
    for i in range(5):
        attempt(client, "kabid_ppkb", "salah", ip=f"198.51.100.{i + 1}")

    assert attempt(client, "kabid_ppkb", RIGHT, ip="203.0.113.7").status_code == 429
    assert not signed_in(client)


def test_the_address_is_locked_out_whatever_the_username(client, kabid):
    other = make_user("kabid_pppa", Role.KABID, opd=OpdFactory())
    for name in ("a", "b", "c", "d", "e"):
        attempt(client, name, "salah", ip="192.0.2.66")

    assert attempt(client, other.username, RIGHT, ip="192.0.2.66").status_code == 429
    assert not signed_in(client)
    # The same account from another address is not affected by that address's lockout.
    assert attempt(client, other.username, RIGHT, ip="192.0.2.67").status_code == 302


def test_a_lockout_ends_after_fifteen_minutes(client, kabid):
    for _ in range(5):
        attempt(client, "kabid_ppkb", "salah")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert attempt(client, "kabid_ppkb", RIGHT).status_code == 302
    assert signed_in(client)


def test_the_command_unlocks_a_username(client, kabid):
    for _ in range(5):
        attempt(client, "kabid_ppkb", "salah")
    assert attempt(client, "kabid_ppkb", RIGHT).status_code == 429

    call_command("axes_reset_username", "kabid_ppkb", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert attempt(client, "kabid_ppkb", RIGHT).status_code == 302
    assert signed_in(client)


def test_an_admin_unlocks_in_the_admin(client, kabid):
    for _ in range(5):
        attempt(client, "kabid_ppkb", "salah")
    row = AccessAttempt.objects.get(username="kabid_ppkb")
    admin_client = client.__class__()
    admin_client.force_login(make_user("admin", Role.ADMIN))

    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "kabid_ppkb" in listing.content.decode()
    deleted = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[row.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302

    assert not AccessAttempt.objects.exists()
    assert attempt(client, "kabid_ppkb", RIGHT).status_code == 302
    assert signed_in(client)


def test_every_failure_and_sign_in_is_logged(client, kabid):
    for _ in range(3):
        attempt(client, "kabid_ppkb", "salah")
    attempt(client, "kabid_ppkb", RIGHT)

    failures = AccessFailureLog.objects.filter(username="kabid_ppkb")
    assert failures.count() == 3
    assert {f.ip_address for f in failures} == {"192.0.2.10"}
    assert AccessAttempt.objects.get(username="kabid_ppkb").failures_since_start == 3
    assert AccessLog.objects.filter(username="kabid_ppkb").count() == 1


def test_a_forwarded_for_header_is_not_believed_without_a_trusted_proxy(client, kabid):
    for i in range(5):
        client.post(
            reverse("login"),
            {"username": f"u{i}", "password": "salah"},
            REMOTE_ADDR="192.0.2.10",
            # Public-looking addresses (only header text; nothing is sent anywhere): a
            # believed header would spread the failures over five addresses.
            HTTP_X_FORWARDED_FOR=f"9.9.9.{i + 1}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}
    assert attempt(client, "kabid_ppkb", RIGHT).status_code == 429


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "9.9.9.1", "192.0.2.10"),
        (1, "9.9.9.1", "9.9.9.1"),
        (1, "6.6.6.6, 9.9.9.1", "9.9.9.1"),  # the left entry is the client's invention
        (2, "6.6.6.6, 9.9.9.1, 10.0.0.2", "9.9.9.1"),
        (2, "9.9.9.1", "192.0.2.10"),  # fewer hops than proxies: not believed
    ],
)
def test_the_address_behind_trusted_proxies_is_the_one_the_outermost_proxy_saw(
    rf, settings, trusted, forwarded, expected
):
    from accounts.signin import client_ip

    settings.KINERJA_TRUSTED_PROXIES = trusted
    request = rf.post("/masuk/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_proxy_the_lockout_counts_the_clients_address(client, settings, kabid):
    settings.KINERJA_TRUSTED_PROXIES = 1
    for name in ("a", "b", "c", "d", "e"):
        client.post(
            reverse("login"),
            {"username": name, "password": "salah"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="9.9.9.7",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"9.9.9.7"}
    other = {"username": "kabid_ppkb", "password": RIGHT}
    # Another client behind the same proxy is not locked out by that client's failures.
    ok = client.post(
        reverse("login"), other, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.8"
    )
    assert ok.status_code == 302
