"""Two-factor sign-in (django-otp TOTP with recovery codes): set up with a QR code, asked for
after the password, optional per user and required for the roles a setting names; codes are
generated here with django-otp's own TOTP computation."""

import re
import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from renstra.models import Role
from tests.factories import OpdFactory, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

PASSWORD = "pw-test-123"


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def secret_on(html: str) -> str:
    return re.search(r'<code id="kunci" class="hash">([A-Z2-7=]+)</code>', html).group(1)


def code_for_secret(secret: str, offset_steps: int = 0) -> str:
    """The code an authenticator app shows for the key typed from the set-up page."""
    totp = TOTP(b32decode(secret), 30, 0, 6, 0)
    totp.time = time.time() + offset_steps * 30
    return f"{totp.token():06d}"


@pytest.fixture
def perencana():
    return make_user("perencana", Role.PERENCANA, opd=OpdFactory())


def enable(client, user) -> tuple[TOTPDevice, list[str]]:
    client.force_login(user)
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    response = client.post(
        reverse("two_factor"), {"kode": code_for_secret(secret_on(page.content.decode()))}
    )
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return device, codes


def sign_in(client, user):
    client.logout()
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_set_up_shows_a_qr_code_and_the_key(client, perencana):
    client.force_login(perencana)
    html = client.get(reverse("two_factor")).content.decode()
    assert "<svg" in html
    assert secret_on(html).rstrip("=")
    assert "Pindai kode QR" in html
    # The same key on a second visit: a half-done set-up survives a reload.
    assert secret_on(client.get(reverse("two_factor")).content.decode()) == secret_on(html)


def test_opening_the_set_up_page_creates_no_device(client, perencana):
    """Issue #19, finding 9: a GET wrote an unconfirmed device; the key now waits in the
    session until a code confirms it."""
    client.force_login(perencana)
    for _ in range(3):
        assert client.get(reverse("two_factor")).status_code == 200
    assert not TOTPDevice.objects.filter(user=perencana).exists()


def test_a_set_up_code_cannot_sign_in_again(client, perencana):
    """The step used to confirm the authenticator is remembered, so the same code is refused
    at the next sign-in (it could have been seen over a shoulder)."""
    client.force_login(perencana)
    secret = secret_on(client.get(reverse("two_factor")).content.decode())
    code = code_for_secret(secret)
    assert client.post(reverse("two_factor"), {"kode": code}).status_code == 200
    sign_in(client, perencana)
    assert client.post(reverse("otp_verify"), {"kode": code}).status_code == 400


def test_a_generated_code_enables_it_and_gives_ten_recovery_codes(client, perencana):
    device, codes = enable(client, perencana)
    assert device.confirmed
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=perencana).count() == 10
    assert "Aktif." in client.get(reverse("two_factor")).content.decode()


def test_a_wrong_set_up_code_leaves_it_off(client, perencana):
    client.force_login(perencana)
    secret = secret_on(client.get(reverse("two_factor")).content.decode())
    wrong = f"{(int(code_for_secret(secret)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("two_factor"), {"kode": wrong})
    assert response.status_code == 400
    assert "Kode salah" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=perencana).exists()
    assert client.get(reverse("account")).status_code == 200


def test_the_sign_in_asks_for_the_code_after_the_password(client, perencana):
    device, _ = enable(client, perencana)
    assert sign_in(client, perencana).status_code == 302

    for url in (reverse("account"), reverse("admin:index"), reverse("dashboard", args=[2024])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("otp_verify"))
    page = client.get(reverse("otp_verify"))
    assert "Masukkan kode 6 angka" in page.content.decode()

    before = client.session.session_key
    response = client.post(
        reverse("otp_verify"), {"kode": code_for(device, 1), "next": reverse("account")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account")
    assert client.session.session_key != before
    assert client.get(reverse("account")).status_code == 200


def test_a_wrong_code_opens_nothing(client, perencana):
    enable(client, perencana)
    sign_in(client, perencana)

    response = client.post(reverse("otp_verify"), {"kode": "000000"})

    assert response.status_code == 400
    assert "Kode salah atau sudah kedaluwarsa" in response.content.decode()
    assert client.get(reverse("account")).status_code == 302


def test_a_recovery_code_works_once(client, perencana):
    _, codes = enable(client, perencana)
    sign_in(client, perencana)
    assert client.post(reverse("otp_verify"), {"kode": codes[0]}).status_code == 302
    assert client.get(reverse("account")).status_code == 200

    sign_in(client, perencana)
    assert client.post(reverse("otp_verify"), {"kode": codes[0]}).status_code == 400
    assert StaticToken.objects.filter(device__user=perencana).count() == 9


def test_wrong_codes_count_towards_the_login_lockout(client, perencana):
    enable(client, perencana)
    sign_in(client, perencana)
    statuses = [
        client.post(reverse("otp_verify"), {"kode": "000000"}).status_code for _ in range(5)
    ]

    assert statuses == [400, 400, 400, 400, 429]
    assert "_auth_user_id" not in client.session
    # The password alone does not get in either while locked out.
    assert sign_in(client, perencana).status_code == 429


def test_a_required_role_must_set_it_up_before_any_other_page(client, settings, perencana):
    settings.KINERJA_2FA_REQUIRED_ROLES = ["admin", "perencana"]
    kabid = make_user("kabid", Role.KABID, opd=OpdFactory())
    sign_in(client, perencana)

    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))
    page = client.get(reverse("two_factor")).content.decode()
    assert "Peran Anda wajib memakai verifikasi dua langkah" in page

    client.post(reverse("two_factor"), {"kode": code_for_secret(secret_on(page))})
    assert client.get(reverse("admin:index")).status_code == 200

    # A role not listed is not asked.
    sign_in(client, kabid)
    assert client.get(reverse("account")).status_code == 200


def test_a_required_role_cannot_switch_it_off(client, settings, perencana):
    settings.KINERJA_2FA_REQUIRED_ROLES = ["perencana"]
    device, _ = enable(client, perencana)
    response = client.post(reverse("two_factor_disable"), {"kode": code_for(device, 1)})
    assert response.status_code == 403
    assert "wajib memakai verifikasi dua langkah" in response.content.decode()
    assert TOTPDevice.objects.filter(user=perencana, confirmed=True).exists()


def test_a_wrong_code_does_not_switch_it_off(client, perencana):
    enable(client, perencana)
    response = client.post(reverse("two_factor_disable"), {"kode": "000000"}, follow=True)
    assert "Kode salah; verifikasi dua langkah tetap aktif." in response.content.decode()
    assert TOTPDevice.objects.filter(user=perencana, confirmed=True).exists()


def test_a_right_code_just_after_a_wrong_one_waits_for_the_devices_throttle(client, perencana):
    device, _ = enable(client, perencana)
    sign_in(client, perencana)
    client.post(reverse("otp_verify"), {"kode": "000000"})
    # django-otp doubles the wait after each failure (1 s after the first).
    assert client.post(reverse("otp_verify"), {"kode": code_for(device, 1)}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # refused unchecked while throttled


def test_an_optional_user_switches_it_off_with_a_code(client, perencana):
    device, _ = enable(client, perencana)
    response = client.post(reverse("two_factor_disable"), {"kode": code_for(device, 1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=perencana).exists()
    assert not StaticToken.objects.filter(device__user=perencana).exists()
    sign_in(client, perencana)
    assert client.get(reverse("account")).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client, perencana):
    _, old = enable(client, perencana)
    response = client.post(reverse("recovery_codes_renew"))
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_the_admins_own_login_leads_to_the_products_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"


def test_the_device_admins_are_not_offered(client, perencana):
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    client.force_login(make_user("root", Role.ADMIN))
    html = client.get(reverse("admin:auth_group_add")).content.decode()
    assert "otp_totp" not in html and "TOTP device" not in html


def test_an_admin_resets_a_lost_second_factor(client, perencana):
    enable(client, perencana)
    admin_client = client.__class__()
    admin_client.force_login(make_user("root", Role.ADMIN))
    listing = admin_client.get(reverse("account_users")).content.decode()
    assert "Setel ulang dua langkah" in listing

    response = admin_client.post(reverse("account_two_factor_reset", args=[perencana.pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=perencana).exists()
    assert not StaticToken.objects.filter(device__user=perencana).exists()


def test_a_perencana_cannot_reset_anyones_second_factor(client, perencana):
    kabid = make_user("kabid", Role.KABID, opd=perencana.penugasan.opd)
    enable(client, kabid)
    client.force_login(perencana)
    response = client.post(reverse("account_two_factor_reset", args=[kabid.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=kabid, confirmed=True).exists()


def test_pages_showing_secrets_are_never_cached(client, perencana):
    client.force_login(perencana)
    assert "no-store" in client.get(reverse("two_factor"))["Cache-Control"]
