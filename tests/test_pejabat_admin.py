"""The officials' admin (renstra.Pejabat) for the perencana: only its own OPD's officials,
the OPD of an official shown and never changed (the protected field), and a program's
penanggung jawab chosen only among its own OPD's eselon III officials — through the admin
URLs with the forms as served, plus forged values, asserting nothing changed."""

import re

import pytest
from django.urls import reverse

from renstra.models import Eselon, Pejabat, Program
from renstra.permissions import PROTECTED_FIELDS
from renstra.services import pejabat_save
from tests.html_forms import form_data
from tests.kabupaten_world import SYSTEM, kabupaten

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    k = kabupaten()
    k.kabid_x = pejabat_save(
        user=SYSTEM,
        obj=Pejabat(opd=k.x.opd, eselon=Eselon.III, jabatan="Kabid X", nama="Kabid X", nip="11"),
    )
    k.kabid_y = pejabat_save(
        user=SYSTEM,
        obj=Pejabat(opd=k.y.opd, eselon=Eselon.III, jabatan="Kabid Y", nama="Kabid Y", nip="22"),
    )
    return k


def test_the_officials_protected_field_is_its_opd():
    assert set(PROTECTED_FIELDS["renstra.pejabat"]) == {"opd"}


def test_the_perencana_lists_only_its_own_officials(client, k):
    client.force_login(k.u.perencana)
    html = client.get(reverse("admin:renstra_pejabat_changelist")).content.decode()
    assert "Kabid X" in html and "Kabid Y" not in html
    url = reverse("admin:renstra_pejabat_change", args=[k.kabid_y.pk])
    assert client.get(url).status_code in (302, 404)


def test_the_perencana_adds_an_official_to_its_own_opd(client, k):
    client.force_login(k.u.perencana)
    url = reverse("admin:renstra_pejabat_add")
    data = form_data(client.get(url).content.decode(), form_id="pejabat_form")
    assert data["opd"] == str(k.x.opd.pk)  # its own OPD chosen, the only one offered
    data.update({"eselon": "III", "jabatan": "Sekretaris", "nama": "Sekretaris X", "nip": "33"})
    assert client.post(url, data).status_code == 302
    assert Pejabat.objects.get(nip="33").opd == k.x.opd
    data.update({"opd": k.y.opd.pk, "nip": "44", "nama": "Ke OPD lain"})
    assert client.post(url, data).status_code == 200  # the choice is not offered
    assert not Pejabat.objects.filter(nip="44").exists()


def test_the_perencana_cannot_move_an_official_to_another_opd(client, k):
    client.force_login(k.u.perencana)
    url = reverse("admin:renstra_pejabat_change", args=[k.kabid_x.pk])
    html = client.get(url).content.decode()
    assert 'name="opd"' not in html  # shown, not offered
    data = form_data(html, form_id="pejabat_form")
    data.update({"opd": k.y.opd.pk, "nama": "Kabid X Baru"})
    assert client.post(url, data).status_code == 302
    stored = Pejabat.objects.get(pk=k.kabid_x.pk)
    assert (stored.opd_id, stored.nama) == (k.x.opd.pk, "Kabid X Baru")


def test_the_perencana_cannot_assign_a_program_to_another_opds_official(client, k):
    client.force_login(k.u.perencana)
    url = reverse("admin:renstra_program_change", args=[k.x.program.pk])
    html = client.get(url).content.decode()
    (choices,) = re.findall(r'<select name="penanggung_jawab".*?</select>', html, re.S)
    offered = set(re.findall(r'<option value="(\d+)"', choices))
    assert offered == {str(k.kabid_x.pk)}  # its own OPD's eselon III only
    data = form_data(html, form_id="program_form")
    data["penanggung_jawab"] = k.kabid_y.pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert Program.objects.get(pk=k.x.program.pk).penanggung_jawab_id is None
    data["penanggung_jawab"] = k.kabid_x.pk
    assert client.post(url, data).status_code == 302
    assert Program.objects.get(pk=k.x.program.pk).penanggung_jawab_id == k.kabid_x.pk
