"""The admin picks program, kegiatan and sub-kegiatan codes from the nomenclature (a datalist of
the level, under the parent's code), fills an empty name from the code, shows a sub-kegiatan's
standard output; the nomenclature itself is read-only but for an admin (nomenklatur_save)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nomenklatur.loader import read_dir
from nomenklatur.models import Nomenklatur
from nomenklatur.services import nomenklatur_load, nomenklatur_save
from renstra.models import Role, SubKegiatan
from tests.factories import KegiatanFactory, PeriodeFactory, ProgramFactory, make_user
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    nomenklatur_load(read_dir())
    periode = PeriodeFactory(opd__kode="X")
    program = ProgramFactory(periode=periode, sasaran=None, kode="2.08.01", nama="Penunjang")
    kegiatan = KegiatanFactory(program=program, kode="2.08.01.2.02", nama="Keuangan")
    pug = ProgramFactory(periode=periode, sasaran=None, kode="2.08.02", nama="PUG")
    return {
        "pug": KegiatanFactory(program=pug, kode="2.08.02.2.01", nama="Pelembagaan PUG"),
        "program": program,
        "kegiatan": kegiatan,
        "perencana": make_user("perencana", Role.PERENCANA, opd=periode.opd),
        "admin": make_user("root", Role.ADMIN),
    }


def test_the_kode_field_offers_the_levels_codes_under_the_parents(client, world):
    client.force_login(world["perencana"])
    program = client.get(reverse("admin:renstra_program_change", args=[world["program"].pk]))
    html = program.content.decode()
    assert 'list="nomenklatur-program"' in html
    assert '<option value="2.08.03">PROGRAM PERLINDUNGAN PEREMPUAN</option>' in html
    kegiatan = client.get(reverse("admin:renstra_kegiatan_change", args=[world["kegiatan"].pk]))
    html = kegiatan.content.decode()
    assert '<option value="2.08.01.2.06">Administrasi Umum Perangkat Daerah</option>' in html
    assert 'value="2.13.01.2.06"' not in html  # another bidang's support program
    add = client.get(reverse("admin:renstra_subkegiatan_add")).content.decode()
    # A new sub-kegiatan: its standard output indicator is offered with each code.
    assert "2.08.01.2.02.0001" in add and "keluaran: " in add


def add_sub(client, world, kegiatan="kegiatan", **values):
    url = reverse("admin:renstra_subkegiatan_add")
    data = form_data(client.get(url).content.decode(), form_id="subkegiatan_form")
    data.update({"kegiatan": world[kegiatan].pk, "urutan": "1", **values})
    return client.post(url, data)


def test_an_empty_name_is_the_codes_and_the_output_is_shown(client, world):
    client.force_login(world["perencana"])
    response = add_sub(client, world, "pug", kode="2.08.02.2.01.0007", nama="")
    assert response.status_code == 302
    sub = SubKegiatan.objects.get(kegiatan=world["pug"])
    assert (sub.kode, sub.nama) == (
        "2.08.02.2.01.0007",
        "Koordinasi dan Sinkronisasi Pelaksanaan PUG Kewenangan Kabupaten/Kota",
    )
    page = client.get(reverse("admin:renstra_subkegiatan_change", args=[sub.pk])).content
    assert (
        "indikator: Jumlah laporan hasil koordinasi dan sinkronisasi penyelenggaraan PUG "
        "(Laporan)." in page.decode()
    )


@pytest.mark.parametrize(
    ("kode", "nama", "error"),
    [
        ("2.08.01.2.02", "Sub", "2.08.01.2.02 adalah kode Kegiatan, bukan Sub Kegiatan."),
        ("2.13.01.2.02.0001", "Sub", "tidak berada di bawah kode induknya (2.08.01.2.02)"),
        ("", "", "Isi nama, atau pilih kode dari nomenklatur."),
    ],
)
def test_a_code_of_another_level_or_parent_is_refused(client, world, kode, nama, error):
    client.force_login(world["perencana"])
    response = add_sub(client, world, kode=kode, nama=nama)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not SubKegiatan.objects.exists()


def test_the_nomenclature_is_read_only_but_for_an_admin(client, world):
    entry = Nomenklatur.objects.get(kode="2.08.03")
    change = reverse("admin:nomenklatur_nomenklatur_change", args=[entry.pk])
    client.force_login(world["perencana"])
    assert client.get(reverse("admin:nomenklatur_nomenklatur_changelist")).status_code == 200
    page = client.get(change).content.decode()
    assert 'name="nama"' not in page  # shown, not editable
    assert client.post(change, {"kode": "2.08.03", "nama": "X"}).status_code == 403
    assert client.get(reverse("admin:nomenklatur_nomenklatur_add")).status_code == 403
    client.force_login(world["admin"])
    data = form_data(client.get(change).content.decode(), form_id="nomenklatur_form")
    data["nama"] = "PROGRAM PERLINDUNGAN PEREMPUAN (BARU)"
    assert client.post(change, data).status_code == 302
    assert Nomenklatur.objects.get(pk=entry.pk).nama.endswith("(BARU)")
    delete = reverse("admin:nomenklatur_nomenklatur_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Nomenklatur.objects.filter(pk=entry.pk).exists()


def test_nomenklatur_save_guards(world):
    entry = Nomenklatur.objects.get(kode="2.08.03")
    entry.nama = "Diubah"
    with pytest.raises(PermissionDenied, match="Hanya admin"):
        nomenklatur_save(user=world["perencana"], obj=entry)
    bad = Nomenklatur(kode="2.08", nama="Bidang")
    with pytest.raises(ValidationError, match="bukan kode program, kegiatan, atau sub kegiatan"):
        nomenklatur_save(user=world["admin"], obj=bad)
    empty = Nomenklatur(kode="9.99.99", nama="")
    with pytest.raises(ValidationError, match="nama"):
        nomenklatur_save(user=world["admin"], obj=empty)
    assert Nomenklatur.objects.get(pk=entry.pk).nama == "PROGRAM PERLINDUNGAN PEREMPUAN"
    assert not Nomenklatur.objects.filter(kode__in=["2.08", "9.99.99"]).exists()
    saved = nomenklatur_save(user=world["admin"], obj=Nomenklatur(kode=" 9.99.99 ", nama="Baru"))
    assert (saved.kode, saved.tingkat) == ("9.99.99", "program")


# --- inline rows ---------------------------------------------------------------------------


def test_inline_rows_offer_the_levels_codes_once_per_page(client, world):
    """A program's page lists its kegiatan inline: each row's code input points at one list of
    the kegiatan under the program's code (written once, not once per row)."""
    KegiatanFactory(program=world["program"], kode="", nama="Kegiatan tanpa kode")
    client.force_login(world["perencana"])
    html = client.get(
        reverse("admin:renstra_program_change", args=[world["program"].pk])
    ).content.decode()
    assert 'name="kegiatan_set-0-kode"' in html and 'name="kegiatan_set-1-kode"' in html
    # Two rows and the template row of "add another" point at the list; it is written once.
    assert html.count('list="nomenklatur-kegiatan"') == 3
    assert html.count('<datalist id="nomenklatur-kegiatan">') == 1
    assert '<option value="2.08.01.2.06">Administrasi Umum Perangkat Daerah</option>' in html
    assert 'value="2.13.01.2.06"' not in html  # another bidang's support program
    kegiatan_page = client.get(reverse("admin:renstra_kegiatan_change", args=[world["pug"].pk]))
    html = kegiatan_page.content.decode()
    # A kegiatan's sub-kegiatan rows: the codes under 2.08.02.2.01, with their standard output.
    assert 'list="nomenklatur-sub_kegiatan"' in html
    assert '<option value="2.08.02.2.01.0007">' in html and "keluaran: " in html
    assert 'value="2.08.01.2.02.0001"' not in html


def test_the_kegiatan_page_offers_program_codes_for_its_program_rows(client, world):
    from tests.factories import SasaranFactory, TujuanFactory

    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=world["program"].periode))
    ProgramFactory(periode=sasaran.periode, sasaran=sasaran, kode="", nama="Program X")
    client.force_login(world["perencana"])
    html = client.get(reverse("admin:renstra_sasaran_change", args=[sasaran.pk])).content
    html = html.decode()
    assert 'name="program_set-0-kode"' in html
    assert html.count('<datalist id="nomenklatur-program">') == 1
    assert '<option value="2.08.03">PROGRAM PERLINDUNGAN PEREMPUAN</option>' in html


def post_row(client, world, **row):
    """The program's page posted as the browser sends it, with one new kegiatan row."""
    url = reverse("admin:renstra_program_change", args=[world["program"].pk])
    data = form_data(client.get(url).content.decode(), form_id="program_form")
    n = int(data["kegiatan_set-TOTAL_FORMS"])
    data["kegiatan_set-TOTAL_FORMS"] = str(n + 1)
    data.update({f"kegiatan_set-{n}-{k}": v for k, v in {"urutan": "5", **row}.items()})
    return client.post(url, data)


@pytest.mark.parametrize(
    ("kode", "error"),
    [
        # The nomenclature has no such kegiatan: the code page's service says it so.
        ("2.08.01.2.99", "«2.08.01.2.99» bukan kode kegiatan di nomenklatur."),
        ("abc", "«abc» bukan kode kegiatan di nomenklatur."),
        ("2.08.01.2.02.0001", "2.08.01.2.02.0001 adalah kode Sub Kegiatan, bukan Kegiatan."),
        ("2.13.01.2.02", "tidak berada di bawah kode induknya (2.08.01)"),
    ],
)
def test_an_inline_row_with_an_unknown_code_is_refused_and_nothing_saved(
    client, world, kode, error
):
    from renstra.models import Kegiatan

    client.force_login(world["perencana"])
    before = set(Kegiatan.objects.values_list("pk", flat=True))
    response = post_row(client, world, kode=kode, nama="Kegiatan Baru")
    assert response.status_code == 200
    assert error in response.content.decode()
    assert set(Kegiatan.objects.values_list("pk", flat=True)) == before


def test_an_inline_row_picked_from_the_nomenclature_is_saved_with_its_name(client, world):
    from renstra.models import Kegiatan

    client.force_login(world["perencana"])
    response = post_row(client, world, kode="2.08.01.2.06", nama="")
    assert response.status_code == 302
    new = Kegiatan.objects.get(program=world["program"], kode="2.08.01.2.06")
    assert new.nama == "Administrasi Umum Perangkat Daerah"


def test_the_main_form_refuses_a_new_unknown_code_and_keeps_a_stored_one(client, world):
    client.force_login(world["perencana"])
    response = add_sub(client, world, kode="2.08.01.2.02.9999", nama="Sub")
    assert response.status_code == 200
    assert (
        "«2.08.01.2.02.9999» bukan kode sub kegiatan di nomenklatur." in response.content.decode()
    )
    assert not SubKegiatan.objects.exists()
    # A code stored before (a decree's, or one since retired) stays while the name changes.
    from renstra.models import Kegiatan

    Kegiatan.objects.filter(pk=world["kegiatan"].pk).update(kode="2.08.01.2.98")
    url = reverse("admin:renstra_kegiatan_change", args=[world["kegiatan"].pk])
    data = form_data(client.get(url).content.decode(), form_id="kegiatan_form")
    data["nama"] = "Keuangan (diubah)"
    assert client.post(url, data).status_code == 302
    assert Kegiatan.objects.get(pk=world["kegiatan"].pk).nama == "Keuangan (diubah)"
