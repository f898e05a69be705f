"""The perencana creates a kabid account for a bidang of their own OPD (the "Mulai" step
"Bidang dan akun kabid" once said the IT admin made it and linked to a reset-password page,
so a new OPD's planner could go no further); never for another OPD's bidang. A new row of the
planner's own OPD in the admin starts with that OPD chosen."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from renstra.models import Role
from renstra.pemda import kabid_create
from renstra.permissions import user_bidang_id, user_opd_id, user_role
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db

PASSWORD = "Mutu-Layanan-Sehat-7"


@pytest.fixture
def k(db):
    return kabupaten()


def test_the_perencana_creates_a_kabid_of_a_bidang_of_their_opd(k, client):
    client.force_login(k.u.perencana)
    page = client.get(reverse("account_kabid_new"))
    assert page.status_code == 200
    assert k.x.bidang.nama in page.content.decode()
    assert k.y.bidang.nama not in page.content.decode()  # another OPD's bidang is not offered

    response = client.post(
        reverse("account_kabid_new"),
        {
            "bidang": k.x.bidang.pk,
            "nama": "Siti Rahmah",
            "username": "kabid_baru",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    made = User.objects.get(username="kabid_baru")
    assert user_role(made) == Role.KABID
    assert (user_opd_id(made), user_bidang_id(made)) == (k.x.opd.pk, k.x.bidang.pk)
    assert made.get_full_name() == "Siti Rahmah"
    assert made.check_password(PASSWORD)


def test_another_opds_bidang_is_refused_by_the_page_and_the_service(k, client):
    client.force_login(k.u.perencana)
    response = client.post(
        reverse("account_kabid_new"),
        {"bidang": k.y.bidang.pk, "username": "kabid_lain", "password": PASSWORD},
    )
    assert response.status_code == 400
    with pytest.raises(PermissionDenied):
        kabid_create(
            user=k.u.perencana, bidang=k.y.bidang, username="kabid_lain", password=PASSWORD
        )
    assert not User.objects.filter(username="kabid_lain").exists()


def test_a_weak_password_is_said_on_the_page_and_makes_no_account(k, client):
    client.force_login(k.u.perencana)
    response = client.post(
        reverse("account_kabid_new"),
        {"bidang": k.x.bidang.pk, "username": "kabid_lemah", "password": "kabid_lemah"},
    )
    assert response.status_code == 400
    assert "mirip dengan nama pengguna" in response.content.decode()
    assert not User.objects.filter(username="kabid_lemah").exists()
    with pytest.raises(ValidationError):
        kabid_create(user=k.u.perencana, bidang=k.x.bidang, username="x", password="1")


@pytest.mark.parametrize("role", ["kabid", "pimpinan", "bappeda"])
def test_other_roles_are_refused_the_page(k, client, role):
    client.force_login(getattr(k.u, role))
    assert client.get(reverse("account_kabid_new")).status_code == 403


def test_the_users_page_links_the_perencana_to_a_new_kabid(k, client):
    client.force_login(k.u.perencana)
    page = client.get(reverse("account_users")).content.decode()
    assert reverse("account_kabid_new") in page


def test_a_new_period_or_bidang_in_the_admin_starts_with_the_planners_opd(k, client):
    client.force_login(k.u.perencana)
    for url in (reverse("admin:renstra_perioderenstra_add"), reverse("admin:renstra_bidang_add")):
        page = client.get(url).content.decode()
        assert f'<option value="{k.x.opd.pk}" selected>' in page, url
