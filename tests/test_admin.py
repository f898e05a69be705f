"""Every admin changelist and add page answers 200 at a constant number of queries."""

import itertools
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import DataPendukung, JenisTarget, Pembanding, Periode
from renstra.models import AnggaranBulanan, Role
from tests.factories import (
    AnggaranFactory,
    BidangFactory,
    IndikatorFactory,
    KegiatanFactory,
    OpdFactory,
    PeriodeFactory,
    ProgramFactory,
    RealisasiFactory,
    SasaranFactory,
    SubKegiatanFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"renstra", "indicators"}
]


_serial = itertools.count()


def grow(periode, n: int) -> None:
    """Add n branches of the whole tree, each level with an indicator, target and budget."""
    opd = periode.opd
    for i in range(n):
        bidang = BidangFactory(opd=opd)
        tujuan = TujuanFactory(periode=periode, bidang=bidang)
        sasaran = SasaranFactory(tujuan=tujuan, bidang=bidang)
        program = ProgramFactory(sasaran=sasaran, bidang=bidang)
        ProgramFactory(sasaran=None, periode=periode)
        kegiatan = KegiatanFactory(program=program, bidang=bidang)
        sub = SubKegiatanFactory(kegiatan=kegiatan, bidang=bidang)
        for node in ("tujuan", "sasaran"):
            ind = IndikatorFactory(**{"sasaran": None, node: locals()[node]})
            TargetFactory(indikator=ind, jenis=JenisTarget.RENSTRA)
            TargetFactory(indikator=ind, jenis=JenisTarget.PK)
            RealisasiFactory(indikator=ind)
            RealisasiFactory(indikator=ind, periode=Periode.TW1)
            Pembanding.objects.create(indikator=ind, tahun=2024, wilayah=f"W{i}", nilai=1)
        for node in ("program", "kegiatan", "sub_kegiatan"):
            IndikatorFactory(
                **{
                    "sasaran": None,
                    "jenis": "IK",
                    node: locals()[node if node != "sub_kegiatan" else "sub"],
                }
            )
        AnggaranFactory(program=program)
        AnggaranFactory(program=None, kegiatan=kegiatan, pagu=Decimal(5))
        AnggaranFactory(program=None, sub_kegiatan=sub, pagu=Decimal(5))
        AnggaranBulanan.objects.create(sub_kegiatan=sub, tahun=2024, bulan=i % 12 + 1, realisasi=7)
        DataPendukung.objects.create(
            opd=opd, tahun=2024, kode=f"t{next(_serial)}", judul=f"Tabel {i}"
        )


@pytest.fixture
def world():
    opd = OpdFactory(kode="DEMO")
    periode = PeriodeFactory(opd=opd)
    other = PeriodeFactory(opd=OpdFactory(kode="LAIN"))
    grow(other, 2)  # another OPD's rows must not leak into a perencana's lists
    perencana = make_user("perencana", Role.PERENCANA, opd=opd)
    superuser = make_user("root", Role.ADMIN, opd=opd)
    return periode, perencana, superuser


def count_queries(client, url: str) -> int:
    # The first request of a session reads who is asking into it (accounts.identity): warm.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["perencana", "superuser"])
@pytest.mark.parametrize(("app_label", "model_name"), ADMIN_MODELS)
def test_changelist_runs_at_a_constant_number_of_queries(client, world, who, app_label, model_name):
    periode, perencana, superuser = world
    user = perencana if who == "perencana" else superuser
    client.force_login(user)
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    if not user.has_perm(f"{app_label}.view_{model_name}"):
        # Users, assignments and scales are the admin's: a perencana is refused outright.
        assert client.get(url).status_code == 403
        return
    grow(periode, 2)
    small = count_queries(client, url)
    grow(periode, 4)
    large = count_queries(client, url)
    assert large == small, f"{url}: {small} queries with 2 branches, {large} with 6"


# Written by the SIPD import only: the admin lists them and adds none.
READ_ONLY = {("renstra", "anggaranbulanan")}


@pytest.mark.parametrize(("app_label", "model_name"), ADMIN_MODELS)
def test_add_page_answers(client, world, app_label, model_name):
    _periode, _perencana, superuser = world
    client.force_login(superuser)
    response = client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert response.status_code == (403 if (app_label, model_name) in READ_ONLY else 200)


def test_the_indicator_changelist_costs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    periode, perencana, _ = world
    grow(periode, 3)
    client.force_login(perencana)
    url = reverse("admin:indicators_indikator_changelist")
    client.get(url)  # the session's first request reads who is asking into it
    # user, versions, permissions (2), count (filtered), count (total), the page with every
    # node joined, and the list filters' choices (OPD, bidang) — see CaptureQueriesContext
    # output when this changes.
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    n = len(ctx.captured_queries)
    grow(periode, 3)
    with django_assert_num_queries(n):
        response = client.get(url)
    assert response.status_code == 200


def test_a_perencana_sees_only_their_own_opd(client, world):
    periode, perencana, _ = world
    grow(periode, 1)
    client.force_login(perencana)
    response = client.get(reverse("admin:renstra_tujuan_changelist"))
    shown = list(response.context["cl"].result_list)
    assert shown
    assert all(t.periode.opd_id == periode.opd_id for t in shown)


def test_programs_without_sasaran_can_be_listed_for_linking(client, world):
    periode, perencana, _ = world
    grow(periode, 2)
    client.force_login(perencana)
    response = client.get(reverse("admin:renstra_program_changelist") + "?tertaut=tidak")
    shown = list(response.context["cl"].result_list)
    assert len(shown) == 2
    assert all(p.sasaran_id is None for p in shown)
    assert "belum tertaut" in response.content.decode()


def test_the_tree_change_pages_show_children_inline(client, world):
    periode, perencana, _ = world
    grow(periode, 1)
    client.force_login(perencana)
    sasaran = periode.sasaran_set.first()
    response = client.get(reverse("admin:renstra_sasaran_change", args=[sasaran.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert sasaran.program_set.first().nama in html
    assert sasaran.indikator_set.first().nama in html


def test_the_realisasi_admin_shows_the_engines_capaian_read_only(client, world):
    periode, perencana, _ = world
    indikator = IndikatorFactory(sasaran=SasaranFactory(tujuan=TujuanFactory(periode=periode)))
    TargetFactory(indikator=indikator, tahun=2024, nilai=Decimal("74.04"))
    realisasi = RealisasiFactory(indikator=indikator, tahun=2024, nilai=Decimal("73.27"))
    client.force_login(perencana)
    listing = client.get(reverse("admin:indicators_realisasi_changelist")).content.decode()
    assert "98,96 %" in listing
    assert "Sangat Tinggi" in listing
    detail = client.get(reverse("admin:indicators_realisasi_change", args=[realisasi.pk]))
    assert "98,96 %" in detail.content.decode()
    assert "capaian" not in detail.context["adminform"].form.fields  # never typed in


def test_the_admin_history_shows_who_changed_a_target_from_what_to_what(client, world):
    periode, perencana, _ = world
    indikator = IndikatorFactory(sasaran=SasaranFactory(tujuan=TujuanFactory(periode=periode)))
    target = TargetFactory(indikator=indikator, tahun=2024, nilai=Decimal("33.77"))
    client.force_login(perencana)
    response = client.post(
        reverse("admin:indicators_target_change", args=[target.pk]),
        {
            "indikator": indikator.pk,
            "tahun": 2024,
            "jenis": "renstra",
            "nilai": "45",
            "nilai_teks": "",
            "sumber": "",
            "door_versi": target.versi,
        },
    )
    assert response.status_code == 302
    history = client.get(reverse("admin:indicators_target_history", args=[target.pk]))
    html = history.content.decode()
    assert "perencana" in html
    import re

    change = re.search(
        r'<strong>Nilai:</strong> <span class="old">([^<]+)</span> &rarr; '
        r'<span class="new">([^<]+)</span>',
        html,
    )
    assert change is not None
    # In Indonesian numbers, as stored (not "33.770000"), and no "None" for who or what.
    assert change.groups() == ("33,77", "45")
    assert "None" not in html


def test_a_positive_indicators_form_does_not_offer_the_negative_formula(client):
    """Issue #20: the indicator form showed the negative formula on a positive indicator."""
    from django.urls import reverse

    from renstra.models import Role
    from tests.factories import (
        IndikatorFactory,
        OpdFactory,
        PeriodeFactory,
        SasaranFactory,
        TujuanFactory,
        make_user,
    )

    opd = OpdFactory(kode="POL")
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=PeriodeFactory(opd=opd)))
    positif = IndikatorFactory(sasaran=sasaran, polaritas="positif")
    negatif = IndikatorFactory(sasaran=sasaran, polaritas="negatif")
    client.force_login(make_user("perencana_pol", Role.PERENCANA, opd=opd))

    def offered(ind):
        url = reverse("admin:indicators_indikator_change", args=[ind.pk])
        return 'name="metode_negatif"' in client.get(url).content.decode()

    assert (offered(positif), offered(negatif)) == (False, True)
    add = client.get(reverse("admin:indicators_indikator_add")).content.decode()
    assert "Dipakai hanya bila polaritas negatif" in add
