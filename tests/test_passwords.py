"""Passwords for every role: the change page in the product's layout, Django's validators in
Indonesian, reset links issued by an admin or a perencana of the same OPD, and the forced
change of the shared demo password outside demo mode."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from accounts.signin import DEMO_PASSWORD
from renstra.models import Role
from tests.factories import BidangFactory, OpdFactory, make_user

pytestmark = pytest.mark.django_db

OLD = "pw-test-123"
NEW = "Sawit-Balangan-2025"


@pytest.fixture
def opd():
    return OpdFactory(kode="DP3")


@pytest.fixture
def people(opd):
    bidang = BidangFactory(opd=opd)
    other = OpdFactory(kode="LAIN")
    return {
        "admin": make_user("admin", Role.ADMIN),
        "perencana": make_user("perencana", Role.PERENCANA, opd=opd),
        "perencana2": make_user("perencana2", Role.PERENCANA, opd=opd),
        "kabid": make_user("kabid", Role.KABID, opd=opd, bidang=bidang),
        "pimpinan": make_user("pimpinan", Role.PIMPINAN, opd=opd),
        "outsider": make_user("kabid_lain", Role.KABID, opd=other, bidang=BidangFactory(opd=other)),
    }


def change(client, old, new1, new2=None):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


@pytest.mark.parametrize("role", ["kabid", "pimpinan", "perencana", "admin"])
def test_every_role_changes_their_password_in_the_products_layout(client, people, role):
    user = people[role]
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Ganti kata sandi</h1>" in html
    assert 'aria-label="Navigasi utama"' in html  # the product's menu, not the admin's
    assert "Kata sandi lama" in html

    response = change(client, OLD, NEW)

    assert response.status_code == 302
    assert response["Location"] == reverse("account")
    user.refresh_from_db()
    assert user.check_password(NEW)
    # Still signed in on this device.
    assert client.get(reverse("account")).status_code == 200


def test_the_admins_own_password_page_leads_to_the_products_for_every_role(client, people):
    client.force_login(people["kabid"])
    response = client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Ab1", "Kata sandi terlalu pendek. Harus mengandung setidaknya 8 karakter."),
        ("password123", "Kata sandi ini terlalu umum."),
        ("84736291057", "Kata sandi ini seluruhnya terdiri dari angka."),
        ("kabid123", "Kata sandi terlalu mirip dengan nama pengguna."),
    ],
)
def test_a_weak_password_is_refused_in_indonesian_and_nothing_changes(client, people, new, message):
    client.force_login(people["kabid"])

    response = change(client, OLD, new)

    assert response.status_code == 200
    assert message in response.content.decode()
    people["kabid"].refresh_from_db()
    assert people["kabid"].check_password(OLD)


def test_a_wrong_old_password_or_a_mismatch_is_refused(client, people):
    client.force_login(people["kabid"])
    wrong_old = change(client, "bukan-ini", NEW).content.decode()
    assert "Sandi lama Anda yang dimasukkan salah" in wrong_old
    mismatch = change(client, OLD, NEW, NEW + "x").content.decode()
    assert "Dua bidang sandi tidak cocok" in mismatch
    people["kabid"].refresh_from_db()
    assert people["kabid"].check_password(OLD)


def test_changing_the_password_signs_out_the_other_devices(client, people):
    other_device = client.__class__()
    other_device.force_login(people["kabid"])
    client.force_login(people["kabid"])

    change(client, OLD, NEW)

    assert other_device.get(reverse("account")).status_code == 302
    assert client.get(reverse("account")).status_code == 200


# --- reset links -----------------------------------------------------------------------------


def issue(client, target):
    return client.post(reverse("account_reset_link", args=[target.pk]))


def link_in(html: str) -> str:
    match = re.search(r'<code id="tautan" class="hash">([^<]+)</code>', html)
    assert match, html
    return match.group(1)


def test_an_admin_issues_a_reset_link_shown_and_mailed_and_it_sets_a_new_password(client, people):
    target = people["kabid"]
    target.email = "kabid@example.go.id"
    target.save()
    client.force_login(people["admin"])

    response = issue(client, target)

    assert response.status_code == 200
    link = link_in(response.content.decode())
    assert link.startswith("http://testserver/akun/atur-ulang/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kabid@example.go.id"]
    assert link in mail.outbox[0].body
    assert mail.outbox[0].subject == "Atur ulang kata sandi Kinerja"

    visitor = client.__class__()
    form_page = visitor.get(link, follow=True)
    assert "Atur kata sandi baru" in form_page.content.decode()
    done = visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW, "new_password2": NEW},
    )
    assert done.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW)
    # The link works once.
    again = visitor.get(link, follow=True).content.decode()
    assert "Tautan ini tidak berlaku" in again


def test_a_reset_link_refuses_a_weak_password_in_indonesian(client, people):
    client.force_login(people["admin"])
    link = link_in(issue(client, people["pimpinan"]).content.decode())
    visitor = client.__class__()
    form_page = visitor.get(link, follow=True)
    response = visitor.post(
        form_page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert "Kata sandi ini terlalu umum." in response.content.decode()
    people["pimpinan"].refresh_from_db()
    assert people["pimpinan"].check_password(OLD)


def test_a_perencana_issues_links_for_the_kabid_and_pimpinan_of_their_own_opd(client, people):
    client.force_login(people["perencana"])
    listing = client.get(reverse("account_users")).content.decode()
    assert "kabid" in listing and "pimpinan" in listing
    assert "kabid_lain" not in listing and "perencana2" not in listing
    assert ">admin<" not in listing
    assert issue(client, people["kabid"]).status_code == 200
    assert issue(client, people["pimpinan"]).status_code == 200


@pytest.mark.parametrize("target", ["outsider", "perencana2", "admin"])
def test_a_perencana_cannot_issue_a_link_outside_their_scope(client, people, target):
    client.force_login(people["perencana"])
    response = issue(client, people[target])
    assert response.status_code == 403
    assert "Anda tidak berhak mengatur ulang kata sandi pengguna ini." in response.content.decode()
    assert len(mail.outbox) == 0


@pytest.mark.parametrize("role", ["kabid", "pimpinan"])
def test_kabid_and_pimpinan_cannot_issue_links(client, people, role):
    client.force_login(people[role])
    assert client.get(reverse("account_users")).status_code == 403
    assert issue(client, people["perencana"]).status_code == 403


# --- the shared demo password ----------------------------------------------------------------


def demo_user(username="kabid_ppkb"):
    user = make_user(username, Role.KABID, opd=OpdFactory())
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def sign_in(client, username, password=DEMO_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_outside_demo_mode_the_demo_password_must_be_changed_first(client, settings):
    settings.KINERJA_FORCE_PASSWORD_CHANGE = True
    user = demo_user()
    sign_in(client, user.username)

    for url in (reverse("home"), reverse("indicators:realisasi_now"), reverse("account")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("password_change"))
    page = client.get(reverse("password_change")).content.decode()
    assert "Ganti kata sandi demo bersama" in page

    assert change(client, DEMO_PASSWORD, NEW).status_code == 302
    assert client.get(reverse("account")).status_code == 200
    # And at the next sign-in, nothing is asked any more.
    client.logout()
    sign_in(client, user.username, NEW)
    assert client.get(reverse("account")).status_code == 200


def test_the_demo_password_cannot_be_kept_as_the_new_one(client, settings):
    settings.KINERJA_FORCE_PASSWORD_CHANGE = True
    user = demo_user()
    sign_in(client, user.username)
    response = change(client, DEMO_PASSWORD, DEMO_PASSWORD)
    assert "Kata sandi baru harus berbeda dari kata sandi lama." in response.content.decode()
    assert client.get(reverse("account")).status_code == 302


def test_in_demo_mode_the_demo_password_is_kept(client, settings):
    settings.KINERJA_FORCE_PASSWORD_CHANGE = False
    user = demo_user()
    sign_in(client, user.username)
    assert client.get(reverse("account")).status_code == 200


def test_a_personal_password_is_never_forced_to_change(client, settings):
    settings.KINERJA_FORCE_PASSWORD_CHANGE = True
    user = make_user("pimpinan", Role.PIMPINAN, opd=OpdFactory())
    sign_in(client, user.username, OLD)
    assert client.get(reverse("account")).status_code == 200
    assert User.objects.get(pk=user.pk).check_password(OLD)


def test_the_users_page_costs_the_same_queries_for_more_users(client, people, opd):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["admin"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("account_users")).status_code == 200
        return len(ctx.captured_queries)

    client.get(reverse("account_users"))  # who is asking, read once into the session
    few = count()
    for i in range(8):
        make_user(f"kabid{i}", Role.KABID, opd=opd)
    assert count() == few
    # User and versions (who is asking, kept in the session), the users with their
    # assignment, their groups, their second factors (the session is renewed at most every
    # ten minutes, not by these requests).
    assert few == 5
