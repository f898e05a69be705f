"""The monthly realisasi SIPD's import writes (AnggaranBulanan) in the admin: listed for the
user's own OPD, filtered by year and month, in rupiah, and read-only (the SIPD import alone
writes it)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from renstra.models import AnggaranBulanan, Role
from tests.factories import KegiatanFactory, PeriodeFactory, ProgramFactory, make_user

pytestmark = pytest.mark.django_db


def sub_of(periode, nama):
    from renstra.models import SubKegiatan

    kegiatan = KegiatanFactory(program=ProgramFactory(periode=periode, sasaran=None))
    return SubKegiatan.objects.create(kegiatan=kegiatan, nama=nama, kode="", urutan=1)


@pytest.fixture
def world(db):
    x, y = PeriodeFactory(opd__kode="X"), PeriodeFactory(opd__kode="Y")
    own, other = sub_of(x, "Sub Milik X"), sub_of(y, "Sub Milik Y")
    rows = {
        "maret": AnggaranBulanan.objects.create(
            sub_kegiatan=own, tahun=2024, bulan=3, realisasi=Decimal("97000169679.40")
        ),
        "juli": AnggaranBulanan.objects.create(
            sub_kegiatan=own, tahun=2024, bulan=7, realisasi=Decimal("1250000")
        ),
        "lalu": AnggaranBulanan.objects.create(
            sub_kegiatan=own, tahun=2023, bulan=3, realisasi=Decimal("5135000")
        ),
        "lain": AnggaranBulanan.objects.create(
            sub_kegiatan=other, tahun=2024, bulan=3, realisasi=Decimal("4444444")
        ),
    }
    return {
        **rows,
        "perencana": make_user("perencana", Role.PERENCANA, opd=x.opd),
        "kabid": make_user("kabid", Role.KABID, opd=x.opd),
        "admin": make_user("root", Role.ADMIN),
    }


LIST = "admin:renstra_anggaranbulanan_changelist"


def shown(response) -> set[int]:
    return {row.pk for row in response.context["cl"].result_list}


def test_the_perencana_lists_their_own_opds_months_in_rupiah(client, world):
    client.force_login(world["perencana"])
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert shown(response) == {world[k].pk for k in ("maret", "juli", "lalu")}
    html = response.content.decode()
    assert "Realisasi anggaran bulanan" in html or "realisasi anggaran bulanan" in html
    assert "Rp 97.000.169.679" in html and "Rp 1.250.000" in html
    assert ">Maret<" in html and ">Juli<" in html
    assert "Rp 4.444.444" not in html  # another OPD's row
    client.force_login(world["admin"])
    assert world["lain"].pk in shown(client.get(reverse(LIST)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?tahun=2024", {"maret", "juli"}),
        ("?bulan=3", {"maret", "lalu"}),
        ("?tahun=2024&bulan=7", {"juli"}),
        ("?bulan=abc", {"maret", "juli", "lalu"}),  # a hand-typed month filters nothing
        ("?bulan=13", {"maret", "juli", "lalu"}),
    ],
)
def test_filters_by_year_and_month(client, world, query, expected):
    client.force_login(world["perencana"])
    response = client.get(reverse(LIST) + query)
    assert response.status_code == 200
    assert shown(response) == {world[k].pk for k in expected}


def test_the_rows_are_read_only_edits_stay_with_the_sipd_import(client, world):
    row = world["maret"]
    client.force_login(world["perencana"])
    change = reverse("admin:renstra_anggaranbulanan_change", args=[row.pk])
    page = client.get(change)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rp 97.000.169.679" in html and 'name="realisasi"' not in html
    assert client.get(reverse("admin:renstra_anggaranbulanan_add")).status_code == 403
    assert client.post(change, {"realisasi": "1", "sumber": "tangan"}).status_code == 403
    delete = reverse("admin:renstra_anggaranbulanan_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    stored = AnggaranBulanan.objects.get(pk=row.pk)
    assert (stored.realisasi, stored.sumber) == (Decimal("97000169679.40"), "")
    # Another OPD's row does not exist for this perencana; the kabid has no admin at all.
    other = reverse("admin:renstra_anggaranbulanan_change", args=[world["lain"].pk])
    assert client.get(other).status_code == 302  # Django: "does not exist", to the index
    client.force_login(world["kabid"])
    assert client.get(reverse(LIST)).status_code == 403
