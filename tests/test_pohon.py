"""The pohon kinerja of a kabupaten (issue #20, item 5): a tree of labelled boxes, two levels
open by default, an OPD picker, the SVG to print, and each cascading link's ground."""

from decimal import Decimal

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from kabupaten.reader import pohon_kinerja
from renstra.pemda import tautan_decide, tautan_propose
from tests.factories import IndikatorFactory, KegiatanFactory, SubKegiatanFactory, TargetFactory
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db

DASAR = "LAKIP 2024 (002:317–323): misi ke 4"


@pytest.fixture
def k(db):
    k = kabupaten()
    kegiatan = KegiatanFactory(program=k.x.program, nama="Kegiatan PUG")
    SubKegiatanFactory(kegiatan=kegiatan, nama="Sub PUG")
    # A program indicator with a target and no realisasi, a kegiatan one with neither.
    prog = IndikatorFactory(program=k.x.program, sasaran=None, nama="Ind program", satuan="%")
    TargetFactory(indikator=prog, tahun=2024, nilai=Decimal("12.5"))
    IndikatorFactory(kegiatan=kegiatan, sasaran=None, nama="Ind kegiatan", satuan="dok")
    for perencana, node in ((k.u.perencana, k.x.sasaran), (k.u.perencana_y, k.y.sasaran)):
        link = tautan_propose(user=perencana, node=node, sasaran_rpjmd=k.rpjmd.sasaran, dasar=DASAR)
        tautan_decide(user=k.u.bappeda, obj=link, terima=True)
    return k


def url(**query):
    from urllib.parse import urlencode

    return reverse("pemda_pohon", args=[2024]) + ("?" + urlencode(query) if query else "")


def test_the_tree_runs_through_five_labelled_levels(k):
    (root,) = pohon_kinerja(k.pemda, 2024)
    x = next(c for c in root.children if c.opd == k.x.opd)
    program = x.children[0]
    kegiatan = program.children[0]
    sub = kegiatan.children[0]
    assert [n.label for n in (root, x, program, kegiatan, sub)] == [
        "Sasaran RPJMD",
        "Sasaran OPD",
        "Program",
        "Kegiatan",
        "Sub-kegiatan",
    ]
    assert sub.nama == "Sub PUG"
    assert root.children_text == "2 Sasaran OPD"
    assert root.size == 1 + 2 * 2 + 2  # the root, two sasaran with a program each, X's pair


def test_only_the_rpjmd_sasaran_are_open_by_default(k):
    (root,) = pohon_kinerja(k.pemda, 2024)
    opened = []

    def walk(node):
        opened.append((node.level, node.terbuka))
        for child in node.children:
            walk(child)

    walk(root)
    assert [level for level, is_open in opened if is_open] == ["sasaran_rpjmd"]
    (root,) = pohon_kinerja(k.pemda, 2024, buka_semua=True)
    assert root.children[0].terbuka and root.children[0].children[0].terbuka


def test_a_missing_target_or_realisasi_is_said_in_words(k):
    (root,) = pohon_kinerja(k.pemda, 2024, buka_semua=True)
    x = next(c for c in root.children if c.opd == k.x.opd)
    (iku,) = x.lines
    assert (iku.target, iku.realisasi, iku.capaian, iku.kategori) == (
        "target 50,00 %",
        "realisasi 45,00 %",
        "90,00 %",
        "Tinggi",
    )
    (prog,) = x.children[0].lines
    assert (prog.target, prog.realisasi) == ("target 12,50 %", "belum ada realisasi")
    (keg,) = x.children[0].children[0].lines
    assert (keg.target, keg.realisasi) == ("belum ada target", "belum ada realisasi")


def test_the_page_opens_two_levels_and_says_what_is_missing(k, client, django_assert_num_queries):
    client.force_login(k.u.bappeda)
    client.get(url())  # who is asking, read once into the session
    # User and versions (2; who is asking, kept in the session); the Pemda (1);
    # the tree (12: the engine's OPDs, settings, scales, bands, indicators, targets,
    # realisasi; RPJMD sasaran, links with their proposer and decider, programs, kegiatan,
    # sub-kegiatan); the picker's OPDs (1). The same whatever the size of the tree.
    with django_assert_num_queries(16):
        page = client.get(url()).content.decode()
    assert page.count("<details open>") == 1
    assert page.count("<details>") == 4  # X and Y's sasaran, closed; their programs, closed
    assert "Sasaran RPJMD" in page and "Sasaran OPD" in page and "Sub-kegiatan" in page
    assert "belum ada realisasi" in page and "belum ada target" in page
    assert "target ," not in page
    assert 'class="kategori kategori-tinggi"' in page
    opened = client.get(url(buka="1")).content.decode()
    assert opened.count("<details open>") == 5 and "<details>" not in opened


def test_the_picker_lists_the_pemdas_opds_and_keeps_one(k, client):
    client.force_login(k.u.bappeda)
    page = client.get(url()).content.decode()
    assert '<select name="opd"' in page
    assert '<option value="X"' in page and '<option value="Y"' in page
    assert '<option value="Z"' not in page  # another Pemda's OPD
    only_y = client.get(url(opd="Y")).content.decode()
    assert '<option value="Y" selected>' in only_y
    assert k.y.sasaran.nama in only_y and k.x.sasaran.nama not in only_y


@pytest.mark.parametrize("value", ["Z", "TIDAK-ADA", "X\x00", "x" * 500])
def test_an_opd_the_picker_does_not_offer_is_a_400(k, client, value):
    client.force_login(k.u.bappeda)
    assert client.get(url(opd=value)).status_code == 400
    svg = reverse("pemda_pohon_svg", args=[2024])
    assert client.get(svg, {"opd": value}).status_code == 400


def test_the_svg_download_is_the_whole_tree_to_print(k, client):
    client.force_login(k.u.kepala_daerah)
    page = client.get(url(opd="X")).content.decode()
    assert reverse("pemda_pohon_svg", args=[2024]) + "?opd=X" in page and "Unduh SVG" in page
    response = client.get(reverse("pemda_pohon_svg", args=[2024]), {"opd": "X"})
    assert response["Content-Type"].startswith("image/svg+xml")
    assert 'filename="pohon-kinerja-KAB-2024-X.svg"' in response["Content-Disposition"]
    root = ElementTree.fromstring(response.content)
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for expected in ("Sasaran RPJMD KAB", k.x.sasaran.nama, "Kegiatan PUG", "Sub PUG"):
        assert expected in texts
    assert "belum ada target" in texts and "SUB-KEGIATAN" in texts
    assert k.y.sasaran.nama not in texts
    assert "Pohon Kinerja Contoh 2024" in texts


def test_each_link_shows_who_proposed_and_accepted_it_and_its_ground(k, client):
    client.force_login(k.u.bappeda)
    page = client.get(url()).content.decode()
    assert page.count(f"Dasar tautan: {DASAR}") == 2
    assert "Diajukan oleh perencana" in page and "Diterima oleh bappeda" in page
    dashboard = client.get(reverse("pemda_dashboard", args=[2024])).content.decode()
    assert dashboard.count(f"Dasar tautan: {DASAR}") == 2
    svg = client.get(reverse("pemda_pohon_svg", args=[2024])).content.decode()
    # The box wraps its lines at spaces: read back joined by spaces.
    texts = " ".join(
        t.text or "" for t in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    )
    assert texts.count(f"Dasar: {DASAR}") == 2


def test_the_seeds_links_cite_the_seed_document(db):
    """The seed cascades four gender and family-planning sasaran to an infrastructure one;
    the links say the seed states it so (fixtures/pemda/renstra.yaml)."""
    import io

    from django.core.management import call_command

    from renstra.models import TautanRpjmd

    call_command("load_seed", stdout=io.StringIO())
    links = TautanRpjmd.objects.filter(sasaran__periode__opd__kode="DP3APPKBPMD")
    assert links.count() == 4
    (ground,) = set(links.values_list("dasar", flat=True))
    assert "002:317–323" in ground and "misi ke 4" in ground
