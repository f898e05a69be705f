"""bidang_save / bidang_delete: the perencana of the bidang's OPD, in and out."""

import pytest

from renstra.models import Bidang
from renstra.services import bidang_delete, bidang_save
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


def test_a_bidang_is_added_only_to_the_perencanas_own_opd(w):
    refused(
        lambda: bidang_save(user=w.u.perencana, obj=Bidang(opd=w.y.opd, kode="Z", nama="Z")),
        "Hanya perencana OPD ini",
    )
    bidang_save(user=w.u.perencana, obj=Bidang(opd=w.x.opd, kode="Z", nama="Bidang Z"))
    assert list(Bidang.objects.filter(kode="Z").values_list("opd__kode", flat=True)) == ["X"]


def test_a_bidang_cannot_be_moved_out_of_another_opd(w):
    w.y.a.opd = w.x.opd
    refused(lambda: bidang_save(user=w.u.perencana, obj=w.y.a), "Hanya perencana OPD ini")
    assert Bidang.objects.get(pk=w.y.a.pk).opd == w.y.opd


def test_a_bidang_needs_a_name(w):
    invalid(
        lambda: bidang_save(user=w.u.perencana, obj=Bidang(opd=w.x.opd, kode="K", nama="")),
        "nama",
    )


def test_a_bidang_is_deleted_only_by_its_opds_perencana(w):
    refused(lambda: bidang_delete(user=w.u.perencana, obj=w.y.b), "Hanya perencana OPD ini")
    refused(lambda: bidang_delete(user=w.u.kabid, obj=w.x.b), "Hanya perencana OPD ini")
    assert Bidang.objects.filter(pk=w.y.b.pk).exists()


def test_a_bidang_delete_passes_the_removal_guard(w, monkeypatch):
    import renstra.services as services

    calls = []
    monkeypatch.setattr(services, "removal_guard", lambda actor, objs: calls.append(objs))
    bidang_delete(user=w.u.perencana, obj=w.x.b)
    assert calls == [[w.x.b]]
