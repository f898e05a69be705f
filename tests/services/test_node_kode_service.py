"""node_kode_set_many: the nomenclature codes a perencana confirms, all or nothing."""

import pytest
from django.core.exceptions import ValidationError

from nomenklatur.models import Nomenklatur
from renstra.models import Kegiatan, Program, SubKegiatan
from renstra.services import KodeChange, node_kode_set_many
from tests.services.conftest import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(db):
    for kode, tingkat, nama in [
        ("2.08.02", "program", "PROGRAM PENGARUSUTAMAAN GENDER DAN PEMBERDAYAAN PEREMPUAN"),
        ("2.08.03", "program", "PROGRAM PERLINDUNGAN PEREMPUAN"),
        ("2.08.02.2.01", "kegiatan", "Pelembagaan PUG"),
        ("2.08.03.2.02", "kegiatan", "Penyediaan Layanan Rujukan Lanjutan"),
        ("2.08.02.2.01.0007", "sub_kegiatan", "Koordinasi dan Sinkronisasi PUG"),
    ]:
        Nomenklatur.objects.create(kode=kode, tingkat=tingkat, nama=nama)


def stored(*nodes) -> list[str]:
    return [type(n).objects.get(pk=n.pk).kode for n in nodes]


def test_the_perencana_sets_codes_parent_and_child_in_one_batch(w, codes):
    sub = SubKegiatan.objects.create(kegiatan=w.x.kegiatan, nama="Koordinasi PUG")
    n = node_kode_set_many(
        user=w.u.perencana,
        periode=w.x.periode,
        changes=[
            KodeChange(w.x.program, "", "2.08.02"),
            KodeChange(w.x.kegiatan, "", "2.08.02.2.01"),
            KodeChange(sub, "", "2.08.02.2.01.0007"),
        ],
    )
    assert n == 3
    assert stored(w.x.program, w.x.kegiatan, sub) == [
        "2.08.02",
        "2.08.02.2.01",
        "2.08.02.2.01.0007",
    ]


def test_only_the_opds_perencana(w, codes):
    change = [KodeChange(w.x.program, "", "2.08.02")]
    for user in (w.u.perencana_y, w.u.kabid, w.u.pimpinan):
        refused(
            lambda user=user: node_kode_set_many(user=user, periode=w.x.periode, changes=change),
            "Hanya perencana OPD ini",
        )
    assert stored(w.x.program) == [""]


def test_a_node_of_another_renstra_is_refused_and_nothing_is_saved(w, codes):
    refused(
        lambda: node_kode_set_many(
            user=w.u.perencana,
            periode=w.x.periode,
            changes=[
                KodeChange(w.x.program, "", "2.08.02"),
                KodeChange(w.y.program, "", "2.08.03"),
            ],
        ),
        "bukan program, kegiatan, atau sub kegiatan Renstra ini",
        ValidationError,
    )
    assert stored(w.x.program, w.y.program) == ["", ""]


def test_a_stale_page_is_refused(w, codes):
    Program.objects.filter(pk=w.x.program.pk).update(kode="2.08.03")
    refused(
        lambda: node_kode_set_many(
            user=w.u.perencana,
            periode=w.x.periode,
            changes=[KodeChange(w.x.program, "", "2.08.02")],
        ),
        "telah diubah menjadi «2.08.03»",
        ValidationError,
    )
    assert stored(w.x.program) == ["2.08.03"]


@pytest.mark.parametrize("kode", ["9.99.99", "2.08.02.2.01", ""])
def test_a_code_not_of_the_nodes_level_is_refused(w, codes, kode):
    refused(
        lambda: node_kode_set_many(
            user=w.u.perencana, periode=w.x.periode, changes=[KodeChange(w.x.program, "", kode)]
        ),
        "bukan kode program di nomenklatur",
        ValidationError,
    )
    assert stored(w.x.program) == [""]


def test_a_code_outside_the_parents_is_refused(w, codes):
    Program.objects.filter(pk=w.x.program.pk).update(kode="2.08.03")
    refused(
        lambda: node_kode_set_many(
            user=w.u.perencana,
            periode=w.x.periode,
            changes=[KodeChange(w.x.kegiatan, "", "2.08.02.2.01")],
        ),
        "tidak berada di bawah kode 2.08.03",
        ValidationError,
    )
    assert stored(w.x.kegiatan) == [""]
    # Under the parent's new code, given in the same batch, it is accepted.
    node_kode_set_many(
        user=w.u.perencana,
        periode=w.x.periode,
        changes=[
            KodeChange(Program.objects.get(pk=w.x.program.pk), "2.08.03", "2.08.02"),
            KodeChange(w.x.kegiatan, "", "2.08.02.2.01"),
        ],
    )
    assert stored(w.x.kegiatan) == ["2.08.02.2.01"]
    assert Kegiatan.objects.get(pk=w.x.kegiatan.pk).program.kode == "2.08.02"
