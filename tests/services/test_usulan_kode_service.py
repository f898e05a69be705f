"""usulan_kode_tolak / usulan_kode_pulihkan: a matcher proposal the perencana refuses for one
node, kept per node and code, by the OPD's perencana only; taken back the same way."""

import pytest
from django.core.exceptions import ValidationError

from renstra.models import SubKegiatan, Tujuan, UsulanKodeDitolak
from renstra.services import usulan_kode_pulihkan, usulan_kode_tolak
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


def refusals() -> set[tuple[str, int, str]]:
    return {(r.tingkat, r.node.pk, r.kode) for r in UsulanKodeDitolak.objects.all()}


def test_a_refusal_is_kept_per_node_and_a_second_one_changes_nothing(w):
    sub = SubKegiatan.objects.create(kegiatan=w.x.kegiatan, nama="Sub")
    tolak = usulan_kode_tolak
    assert tolak(user=w.u.perencana, periode=w.x.periode, node=w.x.kegiatan, kode="2.08.01.2.02")
    assert tolak(user=w.u.perencana, periode=w.x.periode, node=sub, kode="2.08.01.2.02.0001")
    assert not tolak(
        user=w.u.perencana, periode=w.x.periode, node=w.x.kegiatan, kode="2.08.01.2.02"
    )
    assert refusals() == {
        ("kegiatan", w.x.kegiatan.pk, "2.08.01.2.02"),
        ("sub_kegiatan", sub.pk, "2.08.01.2.02.0001"),
    }
    row = UsulanKodeDitolak.objects.get(kegiatan=w.x.kegiatan)
    assert (row.periode_id, row.ditolak_oleh) == (w.x.periode.pk, w.u.perencana)


def test_only_the_opds_perencana_refuses_or_restores(w):
    call = {"periode": w.x.periode, "node": w.x.program, "kode": "2.08.01"}
    for user in (w.u.perencana_y, w.u.kabid, w.u.pimpinan):
        refused(
            lambda user=user: usulan_kode_tolak(user=user, **call),
            "Hanya perencana OPD ini yang dapat menolak atau memulihkan usulan kode.",
        )
    assert refusals() == set()
    usulan_kode_tolak(user=w.u.perencana, **call)
    pk = UsulanKodeDitolak.objects.get().pk
    for user in (w.u.perencana_y, w.u.kabid):
        refused(
            lambda user=user: usulan_kode_pulihkan(user=user, periode=w.x.periode, pk=pk),
            "Hanya perencana OPD ini",
        )
    assert UsulanKodeDitolak.objects.filter(pk=pk).exists()


def test_a_node_of_another_renstra_or_level_is_refused(w):
    invalid(
        lambda: usulan_kode_tolak(
            user=w.u.perencana, periode=w.x.periode, node=w.y.program, kode="2.08.01"
        ),
        "bukan program, kegiatan, atau sub kegiatan Renstra ini",
    )
    invalid(
        lambda: usulan_kode_tolak(
            user=w.u.perencana, periode=w.x.periode, node=w.x.tujuan, kode="2.08.01"
        ),
        "bukan program, kegiatan, atau sub kegiatan Renstra ini",
    )
    assert isinstance(w.x.tujuan, Tujuan) and refusals() == set()


@pytest.mark.parametrize("kode", ["2.08.01.2.02", "abc", ""])
def test_a_code_not_of_the_nodes_level_is_refused(w, kode):
    with pytest.raises(ValidationError, match="bukan kode program di nomenklatur"):
        usulan_kode_tolak(user=w.u.perencana, periode=w.x.periode, node=w.x.program, kode=kode)
    assert refusals() == set()


def test_restoring_takes_the_refusal_back_once_and_only_in_its_renstra(w):
    usulan_kode_tolak(user=w.u.perencana, periode=w.x.periode, node=w.x.program, kode="2.08.01")
    usulan_kode_tolak(user=w.u.perencana_y, periode=w.y.periode, node=w.y.program, kode="2.08.01")
    mine = UsulanKodeDitolak.objects.get(periode=w.x.periode).pk
    theirs = UsulanKodeDitolak.objects.get(periode=w.y.periode).pk
    # Another Renstra's refusal is not found through this one (nothing removed).
    assert not usulan_kode_pulihkan(user=w.u.perencana, periode=w.x.periode, pk=theirs)
    assert usulan_kode_pulihkan(user=w.u.perencana, periode=w.x.periode, pk=mine)
    assert not usulan_kode_pulihkan(user=w.u.perencana, periode=w.x.periode, pk=mine)
    assert refusals() == {("program", w.y.program.pk, "2.08.01")}
