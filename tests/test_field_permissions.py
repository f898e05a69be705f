"""Every protected field (``renstra.permissions.PROTECTED_FIELDS``) × every role that may edit
the row it sits on: who may change an OPD's Pemda, kode and kind, and a Pemda's kode and kind.

Issue #19, finding 1: a perencana posted its OPD's admin form with ``pemda`` set to another
Pemda and the OPD moved — the door checked which OPD a row belongs to, not a change of who owns
the OPD. Each case is tried through the service (the rule's home) and, for the OPD, through the
admin URL with the form as served plus the forged field, asserting nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from renstra.models import JenisOpd, Opd, Pemda
from renstra.pemda import opd_create_with_perencana, pemda_save
from renstra.permissions import PROTECTED_FIELDS
from renstra.services import opd_save
from tests.html_forms import form_data
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    return kabupaten()


def _opd_of(k, role: str) -> Opd:
    """The OPD row the role may otherwise edit: the perencana its own OPD, Bappeda its plan
    unit (the RPJMD's), the admin any."""
    return {"admin": k.x.opd, "perencana": k.x.opd, "bappeda": k.rpjmd.unit}[role]


def _forged(k, opd: Opd, field: str):
    return {
        "pemda": k.lain.pk if opd.pemda_id != k.lain.pk else k.pemda.pk,
        "kode": "DIPINDAH",
        "jenis": JenisOpd.PEMDA if opd.jenis == JenisOpd.OPD else JenisOpd.OPD,
    }[field]


OPD_CASES = [
    (role, field, role == "admin")
    for role in ("admin", "perencana", "bappeda")
    for field in ("pemda", "kode", "jenis")
]


def test_every_protected_field_has_a_case():
    # renstra.pejabat's OPD: tests/services/test_pejabat_service.py and
    # tests/test_pejabat_admin.py.
    assert set(PROTECTED_FIELDS) == {"renstra.opd", "renstra.pemda", "renstra.pejabat"}
    assert {f for r, f, _ in OPD_CASES} == set(PROTECTED_FIELDS["renstra.opd"])
    assert {f for f, _ in PEMDA_CASES} == set(PROTECTED_FIELDS["renstra.pemda"])


@pytest.mark.parametrize(("role", "field", "allowed"), OPD_CASES)
def test_opd_protected_field_through_the_service(k, role, field, allowed):
    user = getattr(k.u, role)
    opd = _opd_of(k, role)
    if field == "jenis" and opd.jenis == JenisOpd.OPD and allowed:
        # An OPD becomes a plan unit only where its Pemda has none: free that place first.
        Opd.objects.filter(pk=k.rpjmd_lain.unit.pk).update(jenis=JenisOpd.OPD)
        opd.pemda = k.lain
    stored = Opd.objects.values(field).get(pk=opd.pk)[field]
    value = _forged(k, opd, field)
    setattr(opd, "pemda_id" if field == "pemda" else field, value)
    if allowed:
        opd_save(user=user, obj=opd)
        assert Opd.objects.values(field).get(pk=opd.pk)[field] == value
    else:
        with pytest.raises(PermissionDenied, match="tidak berhak mengubah"):
            opd_save(user=user, obj=opd)
        assert Opd.objects.values(field).get(pk=opd.pk)[field] == stored


def test_the_other_fields_of_its_own_opd_stay_the_perencanas(k):
    k.x.opd.nama = "Dinas X yang baru"
    k.x.opd.kepala_nama = "Drs. Kepala"
    opd_save(user=k.u.perencana, obj=k.x.opd)
    stored = Opd.objects.get(pk=k.x.opd.pk)
    assert (stored.nama, stored.kepala_nama) == ("Dinas X yang baru", "Drs. Kepala")


def test_a_perencana_detaching_its_opd_from_its_pemda_is_refused(k):
    k.x.opd.pemda = None
    with pytest.raises(PermissionDenied, match="tidak berhak mengubah pemerintah daerah"):
        opd_save(user=k.u.perencana, obj=k.x.opd)
    assert Opd.objects.get(pk=k.x.opd.pk).pemda_id == k.pemda.pk


def test_a_perencana_moving_its_opd_to_another_pemda_through_the_admin_is_refused(client, k):
    """The reproduction: the change form as served, with ``pemda`` (and kode, jenis) forged."""
    client.force_login(k.u.perencana)
    url = reverse("admin:renstra_opd_change", args=[k.x.opd.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # Shown, not offered: no input for the fields the perencana may not change.
    assert 'name="pemda"' not in html and 'name="kode"' not in html
    data = form_data(html, form_id="opd_form")
    data.update({"pemda": k.lain.pk, "kode": "DIPINDAH", "jenis": JenisOpd.PEMDA})
    data["nama"] = "Nama baru"

    response = client.post(url, data)

    assert response.status_code == 302
    stored = Opd.objects.get(pk=k.x.opd.pk)
    assert (stored.pemda_id, stored.kode, stored.jenis) == (k.pemda.pk, "X", JenisOpd.OPD)
    assert stored.nama == "Nama baru"
    # The other Pemda's Bupati still cannot read it; Balangan's Bappeda still can.
    client.force_login(k.u.bappeda)
    assert client.get(reverse("pemda_opd", args=[2024, "X"])).status_code == 200


def test_bappeda_moving_its_plan_unit_through_the_admin_is_refused(client, k):
    client.force_login(k.u.bappeda)
    url = reverse("admin:renstra_opd_change", args=[k.rpjmd.unit.pk])
    page = client.get(url)
    if page.status_code == 200:
        data = form_data(page.content.decode(), form_id="opd_form")
    else:
        data = {"nama": k.rpjmd.unit.nama}
    data.update({"pemda": k.lain.pk, "kode": "LAIN2", "jenis": JenisOpd.OPD})
    client.post(url, data)
    stored = Opd.objects.get(pk=k.rpjmd.unit.pk)
    assert (stored.pemda_id, stored.kode, stored.jenis) == (k.pemda.pk, "KAB", JenisOpd.PEMDA)


def test_an_admin_moves_an_opd_through_the_admin(client, k):
    client.force_login(k.u.admin)
    url = reverse("admin:renstra_opd_change", args=[k.x.opd.pk])
    data = form_data(client.get(url).content.decode(), form_id="opd_form")
    data["pemda"] = k.lain.pk
    assert client.post(url, data).status_code == 302
    assert Opd.objects.get(pk=k.x.opd.pk).pemda_id == k.lain.pk


def test_bappeda_sets_its_own_pemda_only_on_an_opd_it_creates(k):
    new = opd_create_with_perencana(
        user=k.u.bappeda,
        pemda=k.pemda,
        kode="DINKES",
        nama="Dinas Kesehatan",
        username="perencana_dinkes",
        password="Sandi-kuat-2024!",
    )
    assert new.opd.pemda_id == k.pemda.pk
    new.opd.pemda = k.lain
    with pytest.raises(PermissionDenied):
        opd_save(user=k.u.bappeda, obj=new.opd)
    assert Opd.objects.get(kode="DINKES").pemda_id == k.pemda.pk
    # Nor can it claim an OPD that belongs to no Pemda.
    stray = Opd.objects.create(kode="LEPAS", nama="Tanpa pemda")
    stray.pemda = k.pemda
    with pytest.raises(PermissionDenied):
        opd_save(user=k.u.bappeda, obj=stray)
    assert Opd.objects.get(kode="LEPAS").pemda_id is None


PEMDA_CASES = [("kode", "BARU"), ("jenis", "kota")]


@pytest.mark.parametrize(("field", "value"), PEMDA_CASES)
def test_pemda_identity_fields_are_the_admins(k, field, value):
    k.pemda.kepala_daerah_nama = "H. Bupati Baru"
    setattr(k.pemda, field, value)
    with pytest.raises(PermissionDenied, match="tidak berhak mengubah"):
        pemda_save(user=k.u.bappeda, obj=k.pemda)
    stored = Pemda.objects.get(pk=k.pemda.pk)
    assert getattr(stored, field) != value and stored.kepala_daerah_nama == "H. Bupati"

    pemda_save(user=k.u.admin, obj=k.pemda)
    assert getattr(Pemda.objects.get(pk=k.pemda.pk), field) == value
