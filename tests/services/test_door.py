"""renstra.door: the removal guard (everything a delete takes with it) and the registry that
every admin, inline, import and command reaches the services through."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from indicators.models import Realisasi, Target
from renstra.admin_base import DoorAdmin, DoorInline
from renstra.door import DOORS, YearLocked, door_for, removal_guard
from renstra.models import Tujuan
from tests.services.conftest import lock

pytestmark = pytest.mark.django_db


def test_a_delete_is_refused_when_it_would_take_rows_the_user_may_not_delete(w):
    with pytest.raises(PermissionDenied, match="ikut terhapus 2 realisasi"):
        removal_guard(w.u.perencana, [w.x.tujuan])
    removal_guard(w.u.admin, [w.x.tujuan])  # the admin may, in an open year


def test_a_delete_is_refused_when_it_would_take_another_opds_rows(w):
    with pytest.raises(PermissionDenied, match="milik OPD lain"):
        removal_guard(w.u.perencana_y, [Target.objects.get(pk=w.x.target.pk)])


def test_a_delete_is_refused_when_it_would_take_a_locked_years_rows(w):
    lock(w)
    with pytest.raises(YearLocked, match=r"Penghapusan ditolak: ikut terhapus .* tahun 2024"):
        removal_guard(w.u.admin, [w.x.tujuan])
    assert Tujuan.objects.filter(pk=w.x.tujuan.pk).exists()
    assert Realisasi.objects.filter(indikator=w.x.indikator).count() == 2


def test_every_model_in_the_admin_has_a_write_service_and_a_door_admin():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"renstra", "indicators", "reporting"}:
            continue
        assert model in DOORS, model
        assert isinstance(model_admin, DoorAdmin), model
        for inline in model_admin.inlines:
            if inline.model in DOORS:
                assert issubclass(inline, DoorInline), (model, inline)
    for model in DOORS:
        assert door_for(model).save is not None and door_for(model).delete is not None
