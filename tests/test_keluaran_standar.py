"""A sub-kegiatan's standard output indicator (the nomenclature's, per code) offered on the
Kode nomenklatur page and created with one click through indikator_keluaran_buat: an IK with
the standard name and satuan, by the OPD's perencana only, once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indikator
from indicators.services.indikator import indikator_keluaran_buat
from nomenklatur.loader import read_dir
from nomenklatur.models import Nomenklatur
from nomenklatur.services import nomenklatur_load
from renstra.models import Role, SubKegiatan
from tests.factories import IndikatorFactory, KegiatanFactory, PeriodeFactory, make_user

pytestmark = pytest.mark.django_db

PUG = "2.08.02.2.01.0007"
PUG_INDIKATOR = "Jumlah laporan hasil koordinasi dan sinkronisasi penyelenggaraan PUG"
NO_STANDARD = "2.08.02.2.01.0001"  # a code the Kepmendagri gives no output indicator


def sub(periode, kode, nama="Sub"):
    kegiatan = KegiatanFactory(program__periode=periode, program__sasaran=None)
    return SubKegiatan.objects.create(kegiatan=kegiatan, kode=kode, nama=nama, urutan=1)


@pytest.fixture
def world(db):
    nomenklatur_load(read_dir())
    x, y = PeriodeFactory(opd__kode="X"), PeriodeFactory(opd__kode="Y")
    return {
        "x": x,
        "y": y,
        "pug": sub(x, PUG, "Koordinasi PUG"),
        "tanpa": sub(x, NO_STANDARD, "Perumusan Kebijakan PUG"),
        "tanpa_kode": sub(x, "", "Sub tanpa kode"),
        "pug_y": sub(y, PUG, "Koordinasi PUG Y"),
        "perencana": make_user("perencana", Role.PERENCANA, opd=x.opd),
        "perencana_y": make_user("perencana_y", Role.PERENCANA, opd=y.opd),
        "kabid": make_user("kabid", Role.KABID, opd=x.opd),
    }


def page(periode) -> str:
    return reverse("intake:nomenklatur", args=[periode.pk])


def buat(client, periode, node):
    url = reverse("intake:nomenklatur_keluaran", args=[periode.pk])
    return client.post(url, {"sub_kegiatan": node.pk})


def test_the_page_offers_the_missing_standard_output_and_one_click_creates_it(client, world):
    client.force_login(world["perencana"])
    html = client.get(page(world["x"])).content.decode()
    assert "Indikator keluaran standar (1 belum dibuat)" in html
    assert PUG_INDIKATOR in html and "Laporan" in html
    assert f'name="sub_kegiatan" value="{world["pug"].pk}"' in html
    # No row for a code without a standard output, nor for a node without a code.
    assert f'name="sub_kegiatan" value="{world["tanpa"].pk}"' not in html
    assert f'name="sub_kegiatan" value="{world["tanpa_kode"].pk}"' not in html
    response = buat(client, world["x"], world["pug"])
    assert response.status_code == 302 and response["Location"] == page(world["x"])
    made = Indikator.objects.get(sub_kegiatan=world["pug"])
    assert (made.nama, made.satuan, made.jenis, made.periode_id, made.urutan) == (
        PUG_INDIKATOR,
        "Laporan",
        "IK",
        world["x"].pk,
        1,
    )
    assert made.sumber == f"Nomenklatur Kemendagri {PUG}"
    assert made.history.get().history_user == world["perencana"]
    html = client.get(page(world["x"])).content.decode()
    said = f"Indikator keluaran «{PUG_INDIKATOR}» dibuat untuk sub kegiatan «Koordinasi PUG»."
    assert said in html
    assert "Indikator keluaran standar (0 belum dibuat)" in html


def test_a_second_click_creates_nothing_and_says_so(client, world):
    client.force_login(world["perencana"])
    assert buat(client, world["x"], world["pug"]).status_code == 302
    client.get(page(world["x"]))  # the first message shown
    assert buat(client, world["x"], world["pug"]).status_code == 302
    html = client.get(page(world["x"])).content.decode()
    assert "sudah mempunyai indikator keluaran standarnya; tidak ada yang dibuat." in html
    assert Indikator.objects.filter(sub_kegiatan=world["pug"]).count() == 1


def test_an_indicator_of_the_same_name_typed_otherwise_counts_as_the_standard_one(world):
    IndikatorFactory(
        sasaran=None, jenis="IK", sub_kegiatan=world["pug"], nama=f"  {PUG_INDIKATOR.upper()} "
    )
    from indicators.selectors import keluaran_standar_belum

    assert keluaran_standar_belum(world["x"]) == []
    assert indikator_keluaran_buat(user=world["perencana"], sub_kegiatan=world["pug"]) is None
    assert Indikator.objects.filter(sub_kegiatan=world["pug"]).count() == 1


def test_another_opds_perencana_and_a_kabid_are_refused(client, world):
    for user in (world["perencana_y"], world["kabid"]):
        with pytest.raises(PermissionDenied, match="Hanya perencana OPD ini"):
            indikator_keluaran_buat(user=user, sub_kegiatan=world["pug"])
    client.force_login(world["perencana_y"])
    assert buat(client, world["x"], world["pug"]).status_code == 404
    # Through their own Renstra's address: the node is not in it.
    response = buat(client, world["y"], world["pug"])
    assert response.status_code == 400
    client.force_login(world["kabid"])
    assert buat(client, world["x"], world["pug"]).status_code == 403
    assert not Indikator.objects.filter(sub_kegiatan=world["pug"]).exists()


def test_the_refusal_comes_before_what_the_node_has(world):
    """Another OPD learns nothing of the node: refused before "has it already" (no write to
    refuse) or "has no standard output" is looked at."""
    indikator_keluaran_buat(user=world["perencana"], sub_kegiatan=world["pug"])
    for node in (world["pug"], world["tanpa"]):
        for user in (world["perencana_y"], world["kabid"]):
            with pytest.raises(PermissionDenied, match="Hanya perencana OPD ini"):
                indikator_keluaran_buat(user=user, sub_kegiatan=node)
    assert Indikator.objects.filter(sub_kegiatan=world["pug"]).count() == 1


def test_a_code_without_a_standard_output_is_refused_with_the_reason(client, world):
    with pytest.raises(ValidationError, match="tidak berkode nomenklatur yang mempunyai"):
        indikator_keluaran_buat(user=world["perencana"], sub_kegiatan=world["tanpa_kode"])
    client.force_login(world["perencana"])
    response = buat(client, world["x"], world["tanpa"])
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tidak ada yang disimpan." in html
    assert "Sub kegiatan «Perumusan Kebijakan PUG» tidak berkode nomenklatur" in html
    assert not Indikator.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "0", "99999999999999999999"])
def test_bad_input_is_a_400(client, world, value):
    client.force_login(world["perencana"])
    url = reverse("intake:nomenklatur_keluaran", args=[world["x"].pk])
    response = client.post(url, {"sub_kegiatan": value})
    assert response.status_code == 400
    assert "Isian tidak sah" in response.content.decode()
    assert not Indikator.objects.exists()


def test_a_get_or_a_post_without_the_csrf_token_creates_nothing(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["perencana"])
    url = reverse("intake:nomenklatur_keluaran", args=[world["x"].pk])
    assert strict.get(url).status_code == 405
    assert strict.post(url, {"sub_kegiatan": world["pug"].pk}).status_code == 403
    assert not Indikator.objects.exists()


def test_the_page_costs_the_same_queries_for_one_coded_sub_kegiatan_or_many(client, world):
    client.force_login(world["perencana"])
    client.get(page(world["x"]))
    with CaptureQueriesContext(connection) as one:
        client.get(page(world["x"]))
    codes = list(
        Nomenklatur.objects.filter(tingkat="sub_kegiatan")
        .exclude(indikator="")
        .exclude(kode=PUG)
        .values_list("kode", flat=True)[:40]
    )
    kegiatan = KegiatanFactory(program__periode=world["x"], program__sasaran=None)
    SubKegiatan.objects.bulk_create(
        [
            SubKegiatan(kegiatan=kegiatan, periode=world["x"], kode=k, nama=f"Sub {k}", urutan=i)
            for i, k in enumerate(codes, 1)
        ]
    )
    for made in SubKegiatan.objects.filter(kode__in=codes[:10]):
        indikator_keluaran_buat(user=world["perencana"], sub_kegiatan=made)
    with CaptureQueriesContext(connection) as many:
        html = client.get(page(world["x"])).content.decode()
    assert "Indikator keluaran standar (31 belum dibuat)" in html
    # user and versions (who is asking from the session), the period; the refused proposals;
    # the three levels and the nomenclature (the matcher); the coded sub-kegiatan, their
    # codes' standard outputs, their indicators' names: none per node.
    assert len(one.captured_queries) == len(many.captured_queries) == 11
