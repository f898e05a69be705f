"""Two-factor sign-in as production runs it: no transaction around the test, so every request
commits on its own, as under gunicorn with ATOMIC_REQUESTS off.

Issue #19, finding 2: ``verify_code()`` locked the devices with SELECT … FOR UPDATE outside a
transaction, which PostgreSQL refuses (500 on every code, right or wrong) and SQLite ignores;
the suite passed because each test ran inside a transaction. These tests run on both
databases in CI and fail on PostgreSQL without the fix."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from renstra.models import Role
from tests.factories import OpdFactory, make_user
from tests.test_two_factor import code_for, enable, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def perencana():
    return make_user("perencana", Role.PERENCANA, opd=OpdFactory())


# Each test here empties every table afterwards (no rollback to undo it), which costs seconds
# on PostgreSQL: the paths are grouped into few tests.


def test_two_factor_sign_in_with_a_code_and_a_recovery_code_outside_a_transaction(
    client, perencana
):
    device, codes = enable(client, perencana)
    assert sign_in(client, perencana).status_code == 302

    response = client.post(reverse("otp_verify"), {"kode": code_for(device, 1)})

    assert response.status_code == 302
    assert client.get(reverse("account")).status_code == 200
    device.refresh_from_db()
    assert device.last_t > 0  # the used step is stored, so the code works once

    sign_in(client, perencana)
    assert client.post(reverse("otp_verify"), {"kode": codes[0]}).status_code == 302
    assert StaticToken.objects.filter(device__user=perencana).count() == 9
    assert client.get(reverse("account")).status_code == 200


def test_two_factor_wrong_codes_are_counted_outside_a_transaction(client, perencana):
    enable(client, perencana)
    sign_in(client, perencana)

    statuses = [
        client.post(reverse("otp_verify"), {"kode": "000000"}).status_code for _ in range(5)
    ]

    assert statuses == [400, 400, 400, 400, 429]
    assert AccessAttempt.objects.get(username="perencana").failures_since_start == 5
    device = TOTPDevice.objects.get(user=perencana)
    assert device.throttling_failure_count >= 1
    assert "_auth_user_id" not in client.session


def test_two_factor_set_up_and_switch_off_outside_a_transaction(client, perencana):
    client.force_login(perencana)
    assert client.get(reverse("two_factor")).status_code == 200
    assert client.post(reverse("two_factor"), {"kode": "123456"}).status_code == 400
    assert not TOTPDevice.objects.filter(user=perencana).exists()

    device, _ = enable(client, perencana)
    response = client.post(reverse("two_factor_disable"), {"kode": code_for(device, 1)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=perencana).exists()
