"""The "Mulai" checklist: a new OPD's perencana, created by Bappeda's "OPD baru", lands on a
dashboard listing the steps to a first LAKIP, each read from the data and each link open to
them; a complete OPD's perencana is not shown it."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from renstra.models import Bidang, Opd, PeriodeRenstra, Role
from renstra.pemda import opd_create_with_perencana
from renstra.services import periode_save
from tests.factories import make_user
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db

STEPS = [
    "Periode Renstra",
    "Pohon kinerja dan IKU",
    "Target",
    "Bidang dan akun kabid",
    "Perjanjian Kinerja",
    "Draf LAKIP pertama",
]


@pytest.fixture
def baru(db):
    k = kabupaten()
    made = opd_create_with_perencana(
        user=k.u.bappeda,
        pemda=k.pemda,
        kode="DINKES",
        nama="Dinas Kesehatan",
        username="perencana_dinkes",
        password="Rahasia-Dinkes-2025",
    )
    return made


def landing(client: Client, user) -> str:
    """Where the user lands after signing in, followed to the page."""
    client.force_login(user)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def checklist(html: str) -> list[tuple[str, str]]:
    """(step, selesai/belum) in page order; [] when the checklist is not shown."""
    if 'id="mulai"' not in html:
        return []
    section = html.split('id="mulai"')[1].split("</section>")[0]
    return re.findall(
        r"<strong>([^<]+)</strong> — <span class=\"status-\w+\">(selesai|belum)</span>", section
    )


def test_a_new_opds_perencana_lands_on_the_checklist_with_every_step_open(client, baru):
    html = landing(client, baru.perencana)

    assert checklist(html) == [(step, "belum") for step in STEPS]
    assert "0 dari 6 langkah selesai" in html


def test_every_link_of_the_checklist_opens_for_the_new_perencana(client, baru):
    html = landing(client, baru.perencana)
    section = html.split('id="mulai"')[1].split("</section>")[0]
    links = re.findall(r'<a href="([^"]+)">', section)

    assert len(links) == 10
    for url in links:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def test_the_first_step_is_done_once_the_period_exists(client, baru):
    periode_save(
        user=baru.perencana,
        obj=PeriodeRenstra(opd=baru.opd, tahun_awal=2025, tahun_akhir=2029),
    )

    html = landing(client, baru.perencana)

    assert checklist(html) == [("Periode Renstra", "selesai")] + [
        (step, "belum") for step in STEPS[1:]
    ]
    assert "1 dari 6 langkah selesai" in html


def test_bidang_alone_is_not_the_kabid_step(client, baru):
    Bidang.objects.create(opd=baru.opd, kode="YANKES", nama="Pelayanan Kesehatan")
    assert dict(checklist(landing(client, baru.perencana)))["Bidang dan akun kabid"] == "belum"

    bidang = Bidang.objects.get(opd=baru.opd)
    make_user("kabid_yankes", Role.KABID, opd=baru.opd, bidang=bidang)
    assert dict(checklist(landing(client, baru.perencana)))["Bidang dan akun kabid"] == "selesai"


def test_the_pimpinan_of_a_new_opd_is_not_given_the_planners_checklist(client, baru):
    pimpinan = make_user("kadis_dinkes", Role.PIMPINAN, opd=baru.opd)

    html = landing(client, pimpinan)

    assert checklist(html) == []
    assert "Tidak ada periode Renstra yang mencakup tahun" in html


def test_the_seeds_perencana_does_not_see_the_checklist(client):
    call_command("load_seed", stdout=io.StringIO())
    opd = Opd.objects.get(kode="DP3APPKBPMD")
    make_user("kabid_pppa", Role.KABID, opd=opd, bidang=Bidang.objects.get(opd=opd, kode="PPPA"))
    perencana = make_user("perencana_seed", Role.PERENCANA, opd=opd)

    html = landing(client, perencana)

    assert "Capaian IKU" in html
    assert checklist(html) == []
    assert "Mulai: dari OPD baru" not in html


def test_the_steps_are_read_in_one_query_whatever_the_opd_holds(baru, django_assert_num_queries):
    from reporting.mulai import setup_steps

    # One SELECT of the OPD's row with an EXISTS per step.
    with django_assert_num_queries(1):
        steps = setup_steps(baru.opd.pk, 2025)
    assert [s.done for s in steps] == [False] * 6
