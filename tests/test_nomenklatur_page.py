"""The perencana's page for nomenclature codes (intake/nomenklatur_views.py): proposals shown,
only the checked rows applied through the service, another OPD's Renstra a 404, bad input a
400 with nothing saved, constant queries, and under the form-field limit for 300 nodes."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nomenklatur.loader import read_dir
from nomenklatur.services import nomenklatur_load
from renstra.models import Kegiatan, Program, Role, SubKegiatan
from tests.factories import PeriodeFactory, make_user
from tests.test_field_limit import fields_per_form

pytestmark = pytest.mark.django_db

PROGRAM = "PROGRAM PERLINDUNGAN PEREMPUAN"
KEGIATAN = (
    "Penyediaan Layanan Rujukan Lanjutan bagi Perempuan Korban Kekerasan yang Memerlukan "
    "Koordinasi Kewenangan Kabupaten/Kota"
)
# The seed's spelling of 2.08.01.2.02.0001 (typo "Gaju" folded away) under a kegiatan with a
# word too many: an exact and a fuzzy proposal.
PENUNJANG = "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN / KOTA"
KEUANGAN = "ADMINISTRASI KEUANGAN DAN PERANGKAT DAERAH"
GAJI = "Penyediaan Gaju dan Tunjangan ASN"


def build(
    periode, names: list[tuple[str, str, str]]
) -> list[tuple[Program, Kegiatan, SubKegiatan]]:
    """One kegiatan and one sub-kegiatan under each program, bulk-created."""
    programs = Program.objects.bulk_create(
        [Program(periode=periode, urutan=i, nama=p) for i, (p, _, _) in enumerate(names, 1)]
    )
    kegiatan = Kegiatan.objects.bulk_create(
        [
            Kegiatan(periode=periode, program=p, urutan=1, nama=k)
            for p, (_, k, _) in zip(programs, names, strict=True)
        ]
    )
    subs = SubKegiatan.objects.bulk_create(
        [
            SubKegiatan(periode=periode, kegiatan=k, urutan=1, nama=s)
            for k, (_, _, s) in zip(kegiatan, names, strict=True)
        ]
    )
    return list(zip(programs, kegiatan, subs, strict=True))


@pytest.fixture
def world(db):
    nomenklatur_load(read_dir())
    x, y = PeriodeFactory(opd__kode="X"), PeriodeFactory(opd__kode="Y")
    # A second program of bidang 2.08 decides whose support program this is (2.08.01).
    [(penunjang, keuangan, gaji), _] = build(
        x, [(PENUNJANG, KEUANGAN, GAJI), (PROGRAM, KEGIATAN, "Sub apa saja")]
    )
    [(other, _, _)] = build(y, [(PROGRAM, KEGIATAN, "Sub apa saja")])
    return {
        "x": x,
        "y": y,
        "penunjang": penunjang,
        "keuangan": keuangan,
        "gaji": gaji,
        "other": other,
        "perencana": make_user("perencana", Role.PERENCANA, opd=x.opd),
        "perencana_y": make_user("perencana_y", Role.PERENCANA, opd=y.opd),
        "kabid": make_user("kabid", Role.KABID, opd=x.opd),
    }


def url(periode) -> str:
    return reverse("intake:nomenklatur", args=[periode.pk])


def codes(*nodes) -> list[str]:
    return [type(n).objects.get(pk=n.pk).kode for n in nodes]


def test_the_page_lists_the_proposals_exact_ones_checked(client, world):
    client.force_login(world["perencana"])
    assert client.get(reverse("intake:nomenklatur_now"))["Location"] == url(world["x"])
    html = client.get(url(world["x"])).content.decode()
    assert "4 sama persis, 1 mirip, 1 tanpa usulan." in html
    assert f'value="program:{world["penunjang"].pk}::2.08.01" id="pilih-1" checked' in html
    assert f'value="kegiatan:{world["keuangan"].pk}::2.08.01.2.02" id="pilih-2" aria' in html
    assert "Administrasi Keuangan Perangkat Daerah" in html and "95 (mirip)" in html
    assert "2.08.01.2.02.0001" in html


def test_only_the_checked_rows_are_applied(client, world):
    client.force_login(world["perencana"])
    response = client.post(
        url(world["x"]),
        {
            "pilih": [
                f"program:{world['penunjang'].pk}::2.08.01",
                f"kegiatan:{world['keuangan'].pk}::2.08.01.2.02",
            ]
        },
    )
    assert response.status_code == 302 and response["Location"] == url(world["x"])
    assert codes(world["penunjang"], world["keuangan"], world["gaji"]) == [
        "2.08.01",
        "2.08.01.2.02",
        "",
    ]
    html = client.get(url(world["x"])).content.decode()
    assert "Kode nomenklatur tersimpan untuk 2 simpul." in html
    assert "3 sama persis, 0 mirip, 1 tanpa usulan." in html


def test_another_opds_perencana_gets_404_and_saves_nothing(client, world):
    client.force_login(world["perencana_y"])
    assert client.get(url(world["x"])).status_code == 404
    post = client.post(url(world["x"]), {"pilih": f"program:{world['penunjang'].pk}::2.08.01"})
    assert post.status_code == 404
    assert codes(world["penunjang"]) == [""]
    client.force_login(world["kabid"])  # the OPD's kabid reads, but sets no code
    assert client.get(url(world["x"])).status_code == 403


@pytest.mark.parametrize(
    "pilih",
    [
        [],
        ["program:abc::2.08.01"],
        ["program:1::2.08.01; DROP"],
        ["tujuan:1::2.08.01"],
        ["OTHER"],  # replaced by another OPD's program below
        ["DUP", "DUP"],
    ],
)
def test_bad_input_is_a_400_and_saves_nothing(client, world, pilih):
    client.force_login(world["perencana"])
    other = f"program:{world['other'].pk}::2.08.03"
    own = f"program:{world['penunjang'].pk}::2.08.01"
    pilih = [other if p == "OTHER" else own if p == "DUP" else p for p in pilih]
    response = client.post(url(world["x"]), {"pilih": pilih})
    assert response.status_code == 400
    assert "Isian tidak sah" in response.content.decode()
    assert codes(world["penunjang"], world["other"]) == ["", ""]


def test_a_refusal_of_the_service_is_shown_and_saves_nothing(client, world):
    client.force_login(world["perencana"])
    response = client.post(
        url(world["x"]),
        {
            "pilih": [
                f"program:{world['penunjang'].pk}::2.08.01",
                # A sub-kegiatan code under another bidang's kegiatan than its parent's.
                f"kegiatan:{world['keuangan'].pk}::2.13.01.2.02",
            ]
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tidak ada yang disimpan." in html
    assert "kode 2.13.01.2.02 tidak berada di bawah kode 2.08.01" in html
    assert codes(world["penunjang"], world["keuangan"]) == ["", ""]


def big_tree(periode, n: int) -> None:
    from nomenklatur.models import Nomenklatur

    subs = list(
        Nomenklatur.objects.filter(tingkat="sub_kegiatan")
        .order_by("kode")
        .values_list("kode", "nama")
    )
    names = dict(Nomenklatur.objects.values_list("kode", "nama"))
    chosen, seen = [], set()
    for kode, nama in subs:
        program = ".".join(kode.split(".")[:3])
        if program in seen or program not in names:
            continue
        seen.add(program)
        chosen.append((names[program], names[".".join(kode.split(".")[:5])], nama))
    build(periode, (chosen * (n // len(chosen) + 1))[:n])


def test_queries_are_constant_and_300_nodes_stay_under_the_field_limit(
    client, world, django_assert_num_queries
):
    client.force_login(world["perencana"])
    page = url(world["x"])
    client.get(page)  # the session and the user warmed once
    # user and versions (who is asking from the session), the period; the refused proposals;
    # the three levels and the nomenclature; the coded sub-kegiatan, their codes' standard
    # outputs and their indicators' names; no query per node.
    with django_assert_num_queries(11):
        client.get(page)
    big_tree(world["x"], 98)  # 6 + 294 nodes
    with CaptureQueriesContext(connection) as big:
        html = client.get(page).content.decode()
    assert len(big.captured_queries) == 11
    fields = max(fields_per_form(html))  # the code form (the menu's sign-out form is tiny)
    assert "Usulan (300 simpul tanpa kode)" in html
    # One checkbox per node with a proposal, and the CSRF token.
    assert 250 < fields <= 301 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_applying_costs_the_same_queries_for_one_node_or_many(client, world):
    client.force_login(world["perencana"])
    page = url(world["x"])
    client.get(page)

    def cost(pilih: list[str]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.post(page, {"pilih": pilih}).status_code == 302
        return len(ctx.captured_queries)

    one = cost([f"program:{world['penunjang'].pk}::2.08.01"])
    rows = build(world["x"], [(PROGRAM, KEGIATAN, "x")] * 40)
    programs = cost([f"program:{p.pk}::2.08.03" for p, _, _ in rows])
    both = cost(
        [f"program:{p.pk}:2.08.03:2.08.01" for p, _, _ in rows]
        + [f"kegiatan:{k.pk}::2.08.01.2.02" for _, k, _ in rows]
    )
    # user and versions (who is asking from the session), the period; the nodes read by the
    # page, then locked by the service, per level; the codes named; one UPDATE per level; a
    # savepoint and its release (the OPD's version rises after commit): no query per node.
    assert one == programs == 9
    # A second level adds its read, its lock, its UPDATE and the parents' stored codes.
    assert both == 13
    assert set(
        Kegiatan.objects.filter(pk__in=[k.pk for _, k, _ in rows]).values_list("kode", flat=True)
    ) == {"2.08.01.2.02"}


# --- refusing a proposal ("Tolak usulan") ---------------------------------------------------


def tolak(client, periode, value):
    return client.post(reverse("intake:nomenklatur_tolak", args=[periode.pk]), {"tolak": value})


def test_a_refused_proposal_is_no_longer_shown_for_its_node_only(client, world):
    from renstra.models import UsulanKodeDitolak

    # The same names again: a second node the matcher proposes the same code for.
    [(_, twin, _)] = build(world["x"], [(PENUNJANG, KEUANGAN, GAJI)])
    client.force_login(world["perencana"])
    page = url(world["x"])
    html = client.get(page).content.decode()
    assert "6 sama persis, 2 mirip, 1 tanpa usulan." in html
    assert f'name="tolak" value="kegiatan:{world["keuangan"].pk}::2.08.01.2.02"' in html
    response = tolak(client, world["x"], f"kegiatan:{world['keuangan'].pk}::2.08.01.2.02")
    assert response.status_code == 302 and response["Location"] == page
    html = client.get(page).content.decode()
    said = "Usulan kode 2.08.01.2.02 untuk «ADMINISTRASI KEUANGAN DAN PERANGKAT DAERAH» ditolak"
    assert said in html
    assert "6 sama persis, 1 mirip, 1 tanpa usulan." in html
    assert "1 usulan yang ditolak tidak ditampilkan" in html
    assert f'value="kegiatan:{world["keuangan"].pk}::2.08.01.2.02"' not in html
    assert f'value="kegiatan:{twin.pk}::2.08.01.2.02"' in html  # the other node keeps it
    assert "Usulan yang ditolak (1)" in html
    # Kept in the database, by node and code; a second click adds nothing and says so.
    assert list(UsulanKodeDitolak.objects.values_list("kegiatan", "kode", "ditolak_oleh")) == [
        (world["keuangan"].pk, "2.08.01.2.02", world["perencana"].pk)
    ]
    tolak(client, world["x"], f"kegiatan:{world['keuangan'].pk}::2.08.01.2.02")
    assert "sudah ditolak" in client.get(page).content.decode()
    assert UsulanKodeDitolak.objects.count() == 1


def test_a_refused_proposal_is_restored(client, world):
    from renstra.models import UsulanKodeDitolak

    client.force_login(world["perencana"])
    tolak(client, world["x"], f"kegiatan:{world['keuangan'].pk}::2.08.01.2.02")
    refusal = UsulanKodeDitolak.objects.get()
    pulihkan = reverse("intake:nomenklatur_pulihkan", args=[world["x"].pk])
    response = client.post(pulihkan, {"pulihkan": refusal.pk})
    assert response.status_code == 302
    html = client.get(url(world["x"])).content.decode()
    assert "Usulan kode dipulihkan" in html
    assert "4 sama persis, 1 mirip, 1 tanpa usulan." in html
    assert 'id="ditolak"' not in html
    assert not UsulanKodeDitolak.objects.exists()
    assert client.post(pulihkan, {"pulihkan": refusal.pk}).status_code == 302  # once only
    assert "tidak (lagi) ditolak" in client.get(url(world["x"])).content.decode()


def test_another_opd_refuses_nothing(client, world):
    from renstra.models import UsulanKodeDitolak

    value = f"kegiatan:{world['keuangan'].pk}::2.08.01.2.02"
    client.force_login(world["perencana_y"])
    assert tolak(client, world["x"], value).status_code == 404
    # Through their own Renstra's address: the node is not theirs.
    response = tolak(client, world["y"], value)
    assert response.status_code == 400 and "tidak ada di Renstra ini" in response.content.decode()
    client.force_login(world["kabid"])
    assert tolak(client, world["x"], value).status_code == 403
    assert not UsulanKodeDitolak.objects.exists()
    # Nor restores the perencana's refusal.
    client.force_login(world["perencana"])
    tolak(client, world["x"], value)
    pk = UsulanKodeDitolak.objects.get().pk
    for user, status in ((world["perencana_y"], 404), (world["kabid"], 403)):
        client.force_login(user)
        pulihkan = reverse("intake:nomenklatur_pulihkan", args=[world["x"].pk])
        assert client.post(pulihkan, {"pulihkan": pk}).status_code == status
    client.force_login(world["perencana_y"])
    own = reverse("intake:nomenklatur_pulihkan", args=[world["y"].pk])
    assert client.post(own, {"pulihkan": pk}).status_code == 302  # not theirs: nothing found
    assert UsulanKodeDitolak.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("tolak", "", "tidak dikenal"),
        ("tolak", "tujuan:1::2.08.01", "tidak dikenal"),
        ("tolak", "program:999999999::2.08.01", "tidak ada di Renstra ini"),
        ("tolak", "program:99999999999999999::2.08.01", "tidak ada di Renstra ini"),
        ("tolak", "PROGRAM::2.08.01.2.02", "bukan kode program di nomenklatur"),
        ("pulihkan", "abc", "pilih usulan yang dipulihkan"),
    ],
)
def test_bad_refusals_are_a_400_and_save_nothing(client, world, field, value, error):
    from renstra.models import UsulanKodeDitolak

    client.force_login(world["perencana"])
    value = value.replace("PROGRAM:", f"program:{world['penunjang'].pk}:")
    name = "nomenklatur_tolak" if field == "tolak" else "nomenklatur_pulihkan"
    response = client.post(reverse(f"intake:{name}", args=[world["x"].pk]), {field: value})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not UsulanKodeDitolak.objects.exists()


def test_the_page_costs_the_same_queries_with_one_refusal_or_many(client, world):
    from renstra.services import usulan_kode_tolak

    client.force_login(world["perencana"])
    page = url(world["x"])
    tolak(client, world["x"], f"kegiatan:{world['keuangan'].pk}::2.08.01.2.02")
    client.get(page)  # the message shown once
    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    rows = build(world["x"], [(PROGRAM, KEGIATAN, "x")] * 30)
    for program, kegiatan, _ in rows:
        usulan_kode_tolak(user=world["perencana"], periode=world["x"], node=program, kode="2.08.03")
        usulan_kode_tolak(
            user=world["perencana"], periode=world["x"], node=kegiatan, kode="2.08.03.2.02"
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(page).content.decode()
    assert "Usulan yang ditolak (61)" in html
    # As the page without refusals (11 queries): the refusals, with their nodes and who
    # refused them, are one query whatever their number.
    assert len(one.captured_queries) == len(many.captured_queries) == 11
