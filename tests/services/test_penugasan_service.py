"""penugasan_save / penugasan_delete: only an admin says who works where."""

import pytest
from django.contrib.auth.models import User

from renstra.models import Penugasan
from renstra.services import penugasan_delete, penugasan_save
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


def test_only_an_admin_assigns_a_user(w):
    user = User.objects.create_user("baru")
    refused(
        lambda: penugasan_save(user=w.u.perencana, obj=Penugasan(user=user, opd=w.x.opd)),
        "Hanya admin",
    )
    penugasan_save(user=w.u.admin, obj=Penugasan(user=user, opd=w.x.opd))
    assert Penugasan.objects.get(user=user).opd == w.x.opd


def test_a_bidang_of_another_opd_is_refused(w):
    user = User.objects.create_user("baru")
    bad = Penugasan(user=user, opd=w.x.opd, bidang=w.y.a)
    invalid(lambda: penugasan_save(user=w.u.admin, obj=bad), "Bidang harus dari OPD yang sama")


def test_only_an_admin_removes_an_assignment(w):
    assignment = Penugasan.objects.get(user=w.u.kabid)
    refused(lambda: penugasan_delete(user=w.u.perencana, obj=assignment), "Hanya admin")
    assert Penugasan.objects.filter(pk=assignment.pk).exists()
