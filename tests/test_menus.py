"""Every role has a home and a menu, and no menu item answers with an empty or a refused page
(issue #20, items 2–3): on the Balangan seed with the demo users, each role signs in, lands
on its page, and follows every item of its menu. A perencana created through Bappeda's "OPD
baru" opens the admin like the seed's (entry follows the role)."""

import os
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from renstra.door import SystemActor
from renstra.models import Pemda
from renstra.pemda import opd_create_with_perencana

pytestmark = pytest.mark.django_db

# Words of a page that has nothing for its reader, or refuses them.
EMPTY = (
    "0 dari 0",
    "Belum ada indikator untuk Anda",
    "Tidak ada periode Renstra yang mencakup",
    "Akses ditolak",
)

EXPECTED = {
    "admin": ["Dasbor", "Realisasi", "LAKIP", "Kabupaten", "Admin", "Akun"],
    "perencana": [
        "Dasbor",
        "Realisasi",
        "Rencana aksi",
        "LAKIP",
        "Dokumen",
        "Register Dokumen",
        "Evaluasi AKIP",
        "Tautan ke RPJMD",
        "Anggaran SIPD",
        "Kode nomenklatur",
        "Admin",
        "Akun",
    ],
    "pimpinan": [
        "Dasbor",
        "Realisasi",
        "Rencana aksi",
        "LAKIP",
        "Dokumen",
        "Register Dokumen",
        "Evaluasi AKIP",
        "Akun",
    ],
    "kabid_ppkb": ["Dasbor", "Realisasi", "Rencana aksi", "LAKIP", "Akun"],
    "bappeda": [
        "Kabupaten",
        "Pohon kinerja",
        "Tautan RPJMD",
        "OPD baru",
        "LKjIP Pemda",
        "Register Dokumen",
        "Evaluasi AKIP",
        "Admin",
        "Akun",
    ],
    "inspektorat": ["Kabupaten", "Pohon kinerja", "LKjIP Pemda", "Evaluasi AKIP", "Akun"],
    "bupati": ["Kabupaten", "Pohon kinerja", "LKjIP Pemda", "Evaluasi AKIP", "Akun"],
}


@pytest.fixture(scope="module")
def demo(seed_module, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        call_command("demo_users", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():
        User.objects.all().delete()


@pytest.fixture(autouse=True)
def demo_mode(settings):
    # As in `make demo`: the shared demo password is not forced to change (own tests).
    settings.KINERJA_FORCE_PASSWORD_CHANGE = False


def menu_links(html: str) -> list[tuple[str, str]]:
    nav = html.split('<nav aria-label="Navigasi utama">')[1].split("</nav>")[0]
    return [
        (re.sub(r"\s+", " ", label).strip(), href)
        for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)
    ]


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_every_menu_item_of_every_role_opens_a_page_with_its_work(client, demo, username):
    client.force_login(User.objects.get(username=username))
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    links = menu_links(home.content.decode())
    assert [label for label, _ in links] == EXPECTED[username]
    for label, href in links:
        response = client.get(href, follow=True)
        assert response.status_code == 200, (username, label, href, response.status_code)
        body = response.content.decode()
        shown = [word for word in EMPTY if word in body]
        assert shown == [], (username, label, response.request["PATH_INFO"], shown)


@pytest.mark.parametrize(
    ("username", "lands_on"),
    [
        ("perencana", r"^/dasbor/\d{4}/$"),
        ("pimpinan", r"^/dasbor/\d{4}/$"),
        ("kabid_ppkb", r"^/realisasi/\d{4}/$"),
        ("bappeda", r"^/pemda/\d{4}/$"),
        ("inspektorat", r"^/pemda/\d{4}/$"),
        ("bupati", r"^/pemda/\d{4}/$"),
    ],
)
def test_each_role_lands_where_its_work_is(client, demo, username, lands_on):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("home"), follow=True)
    assert re.match(lands_on, response.request["PATH_INFO"])


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("perencana", 200),
        ("bappeda", 200),
        ("admin", 200),
        ("kabid_ppkb", 403),
        ("pimpinan", 403),
        ("inspektorat", 403),
        ("bupati", 403),
    ],
)
def test_the_admin_opens_for_the_roles_that_keep_a_plan(client, demo, username, status):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("admin:index"))
    assert response.status_code == status
    if status == 403:
        assert "hanya untuk admin, perencana dan Bappeda" in response.content.decode()


def test_a_perencana_created_by_bappeda_opens_the_admin(client, demo):
    new = opd_create_with_perencana(
        user=SystemActor("uji"),
        pemda=Pemda.objects.get(kode="BALANGAN"),
        kode="DINKES",
        nama="Dinas Kesehatan",
        username="perencana_dinkes",
        password="Sandi-kuat-2024!",
    )
    assert not new.perencana.is_staff
    client.force_login(new.perencana)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Periode Renstra" in response.content.decode()
    home = client.get(reverse("account")).content.decode()
    assert "Admin" in [label for label, _ in menu_links(home)]


def test_bappeda_edits_the_rpjmd_in_the_admin_and_nothing_of_an_opd(client, demo):
    """The README promises Bappeda keeps the RPJMD (its plan unit's tree) in the admin."""
    from renstra.models import JenisOpd, Sasaran

    client.force_login(User.objects.get(username="bappeda"))
    rpjmd = Sasaran.objects.get(tujuan__periode__opd__jenis=JenisOpd.PEMDA)
    opd_sasaran = Sasaran.objects.exclude(tujuan__periode__opd__jenis=JenisOpd.PEMDA).first()
    listing = client.get(reverse("admin:renstra_sasaran_changelist")).content.decode()
    assert rpjmd.nama[:40] in listing
    assert opd_sasaran.nama[:40] not in listing
    assert (
        client.get(reverse("admin:renstra_sasaran_change", args=[opd_sasaran.pk])).status_code
        == 302  # Django's answer for a row outside the user's queryset: back to the index
    )

    url = reverse("admin:renstra_sasaran_change", args=[rpjmd.pk])
    from tests.html_forms import form_data

    data = form_data(client.get(url).content.decode(), form_id="sasaran_form")
    data["nama"] = "Meningkatnya kualitas infrastruktur (diperbarui)"
    response = client.post(url, data)

    assert response.status_code == 302
    rpjmd.refresh_from_db()
    assert rpjmd.nama == "Meningkatnya kualitas infrastruktur (diperbarui)"


def test_the_perencana_opens_rumus_indikator_and_a_refusal_names_the_admin(client, demo):
    """Issue #20: the README gives the perencana "Rumus indikator", which answered 403 telling
    them to "hubungi perencana"."""
    client.force_login(User.objects.get(username="perencana"))
    response = client.get(reverse("admin:indicators_rumus_changelist"))
    assert response.status_code == 200
    assert "Rumus" in response.content.decode()
    refused = client.get(reverse("pemda_now"))
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "hubungi admin Kinerja" in body and "hubungi perencana" not in body


def test_the_readme_says_which_kabid_records_how_many_indicators(demo):
    """The README's table of demo kabid (issue #20) is the seed's, counted the way the kabid's
    own Realisasi page counts them."""
    from pathlib import Path

    from indicators.selectors import indicators_for

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    rows = re.findall(r"^\| `(kabid_[a-z]+)` \| [^|]+ \| (\d+) \|", readme, re.MULTILINE)
    assert len(rows) == 7
    for username, count in rows:
        user = User.objects.get(username=username)
        assert indicators_for(user).count() == int(count), username
