"""Every role × object (own bidang / other bidang / other OPD of the Pemda / OPD of another
Pemda) × action on every write path.

"Allowed" is proven by the effect in the database, "denied" by the absence of any effect and
a refusing answer; a kabid writing to another bidang gets a 403 on every entry path, and
reading is allowed within the own OPD only (another OPD: 403). The roles across OPDs
(Bappeda, Inspektorat, Kepala Daerah) read every OPD of their own Pemda — realisasi,
evidence, the /pemda/ pages — and write none of the OPDs' data; the OPDs' own roles are
refused every /pemda/ page.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import JenisTarget, Periode, Realisasi, Target
from renstra.door import SystemActor
from renstra.models import Role
from renstra.pemda import plan_unit_ensure
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PemdaFactory,
    PeriodeFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

ROLES = ["admin", "perencana", "kabid", "pimpinan", "bappeda", "inspektorat", "kepala_daerah"]
PEMDA_ROLES = ("bappeda", "inspektorat", "kepala_daerah")
OBJECTS = ["own_bidang", "other_bidang", "other_opd", "other_pemda"]
ACTIONS = [
    "pemda_dashboard_view",
    "pemda_opd_view",
    "realisasi_view",
    "realisasi_create",
    "realisasi_update",
    "realisasi_delete",
    "evidence_view",
    "indikator_view_admin",
    "target_create_admin",
    "target_update_admin",
    "target_delete_admin",
]

REFUSED = {302, 403, 404}


def expected(role: str, obj: str, action: str) -> bool:
    if role == "admin":
        return True
    if role in PEMDA_ROLES:
        # Across the OPDs of their own Pemda: read only.
        return action in READS and obj != "other_pemda"
    if action.startswith("pemda_"):
        return False
    if action in ("realisasi_view", "evidence_view"):
        # Everyone reads their own OPD's realisasi and evidence, any bidang's (README).
        return obj in ("own_bidang", "other_bidang")
    realisasi_write = action.startswith("realisasi_")
    if realisasi_write:
        return role == "kabid" and obj == "own_bidang"
    # admin pages: definitions and targets are the perencana's, own OPD only
    return role == "perencana" and obj in ("own_bidang", "other_bidang")


READS = ("realisasi_view", "evidence_view", "pemda_dashboard_view", "pemda_opd_view")


@pytest.fixture
def world():
    opd = OpdFactory(kode="X")
    periode = PeriodeFactory(opd=opd)
    a = BidangFactory(opd=opd, kode="A")
    b = BidangFactory(opd=opd, kode="B")
    tujuan = TujuanFactory(periode=periode)
    other_opd = OpdFactory(kode="Y")
    other_periode = PeriodeFactory(opd=other_opd)
    yb = BidangFactory(opd=other_opd, kode="A")
    lain = PemdaFactory(kode="LAIN", nama="Lain")
    far_opd = OpdFactory(kode="Z", pemda=lain)
    far_periode = PeriodeFactory(opd=far_opd)
    zb = BidangFactory(opd=far_opd, kode="A")
    unit = plan_unit_ensure(user=SystemActor("uji"), pemda=opd.pemda)
    objects = {
        "own_bidang": IndikatorFactory(sasaran=SasaranFactory(tujuan=tujuan, bidang=a)),
        "other_bidang": IndikatorFactory(sasaran=SasaranFactory(tujuan=tujuan, bidang=b)),
        "other_opd": IndikatorFactory(
            sasaran=SasaranFactory(tujuan=TujuanFactory(periode=other_periode), bidang=yb)
        ),
        "other_pemda": IndikatorFactory(
            sasaran=SasaranFactory(tujuan=TujuanFactory(periode=far_periode), bidang=zb)
        ),
    }
    users = {
        "admin": make_user("admin", Role.ADMIN, opd=opd),
        "perencana": make_user("perencana", Role.PERENCANA, opd=opd),
        "kabid": make_user("kabid", Role.KABID, opd=opd, bidang=a),
        "pimpinan": make_user("pimpinan", Role.PIMPINAN, opd=opd),
        "bappeda": make_user("bappeda", Role.BAPPEDA, opd=unit),
        "inspektorat": make_user("inspektorat", Role.INSPEKTORAT, opd=unit),
        "kepala_daerah": make_user("bupati", Role.KEPALA_DAERAH, opd=unit),
    }
    return objects, users


def realisasi_post(client, ind, value, versi):
    fields = ("tahunan", "tw1", "tw2", "tw3", "tw4", "analisis", "hambatan", "tindak_lanjut")
    data = dict.fromkeys(fields, "")
    data.update({f"versi_{p}": 0 for p in ("tahunan", "tw1", "tw2", "tw3", "tw4")})
    data["tahunan"] = value
    data["versi_tahunan"] = versi
    return client.post(reverse("indicators:realisasi_edit", args=[2024, ind.pk]), data)


def seed_realisasi(ind) -> Realisasi:
    return Realisasi.objects.create(
        indikator=ind,
        tahun=2024,
        periode=Periode.TAHUNAN,
        nilai=Decimal(5),
        bukti=SimpleUploadedFile("b.pdf", b"%PDF-1.4 bukti"),
        bukti_nama="b.pdf",
    )


def perform(client, action, ind):
    """Run one action; return (response, effect) where effect says whether the DB changed."""
    opd = ind.periode.opd
    if action == "pemda_dashboard_view":
        # An admin names the Pemda; the others read their own (the parameter is ignored).
        r = client.get(reverse("pemda_dashboard", args=[2024]) + f"?pemda={opd.pemda.kode}")
        return r, r.status_code == 200 and f'data-opd="{opd.kode}"' in r.content.decode()
    if action == "pemda_opd_view":
        r = client.get(reverse("pemda_opd", args=[2024, opd.kode]) + f"?pemda={opd.pemda.kode}")
        return r, r.status_code == 200 and ind.nama in r.content.decode()
    if action == "realisasi_view":
        r = client.get(reverse("indicators:realisasi_edit", args=[2024, ind.pk]))
        return r, r.status_code == 200
    if action == "realisasi_create":
        r = realisasi_post(client, ind, "7", 0)
        return r, Realisasi.objects.filter(indikator=ind, nilai=7).exists()
    if action == "realisasi_update":
        row = seed_realisasi(ind)
        r = realisasi_post(client, ind, "9", row.versi)
        return r, Realisasi.objects.filter(pk=row.pk, nilai=9).exists()
    if action == "realisasi_delete":
        row = seed_realisasi(ind)
        r = realisasi_post(client, ind, "", row.versi)
        return r, not Realisasi.objects.filter(pk=row.pk, nilai=5).exists()
    if action == "evidence_view":
        row = seed_realisasi(ind)
        r = client.get(reverse("indicators:evidence", args=[row.pk]))
        return r, r.status_code == 200
    if action == "indikator_view_admin":
        r = client.get(reverse("admin:indicators_indikator_change", args=[ind.pk]))
        return r, r.status_code == 200
    if action == "target_create_admin":
        r = client.post(
            reverse("admin:indicators_target_add"),
            {
                "indikator": ind.pk,
                "tahun": 2024,
                "jenis": JenisTarget.PK,
                "nilai": "80",
                "nilai_teks": "",
                "sumber": "",
            },
        )
        return r, Target.objects.filter(indikator=ind, jenis=JenisTarget.PK).exists()
    target = TargetFactory(indikator=ind, tahun=2024, nilai=Decimal(50))
    if action == "target_update_admin":
        r = client.post(
            reverse("admin:indicators_target_change", args=[target.pk]),
            {
                "indikator": ind.pk,
                "tahun": 2024,
                "jenis": JenisTarget.RENSTRA,
                "nilai": "60",
                "nilai_teks": "",
                "sumber": "",
                "door_versi": target.versi,
            },
        )
        return r, Target.objects.filter(pk=target.pk, nilai=60).exists()
    assert action == "target_delete_admin"
    r = client.post(reverse("admin:indicators_target_delete", args=[target.pk]), {"post": "yes"})
    return r, not Target.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role, obj, action):
    objects, users = world
    client.force_login(users[role])
    response, effect = perform(client, action, objects[obj])
    if expected(role, obj, action):
        assert effect, f"{role} should be able to {action} on {obj} ({response.status_code})"
    else:
        assert not effect, f"{role} must not {action} on {obj}"
        assert response.status_code in REFUSED | {200}
        if role == "kabid" and action.startswith("realisasi_"):
            assert response.status_code == 403
        if obj in ("other_opd", "other_pemda") and action in ("realisasi_view", "evidence_view"):
            assert response.status_code == 403
        if role not in PEMDA_ROLES and action.startswith("pemda_"):
            assert response.status_code == 403
