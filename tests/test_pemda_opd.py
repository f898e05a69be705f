"""The Pemda's page of one OPD (issue #20, item 4): the indicators grouped sasaran → program,
each linked to its realisasi page and its evidence, the OPD's LAKIP downloads, a constant
number of queries; an OPD's own roles are refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Jenis, Realisasi
from renstra.services import year_lock
from renstra.tree import node_label
from reporting.models import LakipVersi, PembuatanLaporan
from tests.factories import IndikatorFactory, KegiatanFactory, ProgramFactory, SasaranFactory
from tests.kabupaten_world import SYSTEM, kabupaten

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    return kabupaten()


def ik(nama, **node):
    """An IK on a program or kegiatan (the factory's default is an IKU on a new sasaran)."""
    return IndikatorFactory(sasaran=None, jenis=Jenis.IK, nama=nama, **node)


def opd_page(client, k, tahun=2024):
    client.force_login(k.u.inspektorat)
    response = client.get(reverse("pemda_opd", args=[tahun, "X"]))
    assert response.status_code == 200
    return response.content.decode()


def test_indicators_are_grouped_by_sasaran_then_program_in_the_trees_order(k, client):
    x = k.x
    ik("IK program satu", program=x.program)
    kegiatan = KegiatanFactory(program=x.program)
    ik("IK kegiatan satu", kegiatan=kegiatan)
    kedua = SasaranFactory(tujuan=x.tujuan, nama="Sasaran kedua", urutan=2)
    ik("IK program kedua", program=ProgramFactory(sasaran=kedua))
    ik("IK lepas", program=ProgramFactory(sasaran=None, periode=x.periode))

    page = opd_page(client, k)
    order = [
        f"Sasaran: {x.sasaran.nama}",
        "IKU X",
        f"Program: {node_label(x.program)} {x.program.nama}",
        "IK program satu",
        "IK kegiatan satu",  # a kegiatan's indicator under its program
        "Sasaran: Sasaran kedua",
        "IK program kedua",
        "Program belum tertaut ke sasaran",
        "IK lepas",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))
    assert page.count('<section class="card sasaran-group">') == 3
    # Each program folds (the sasaran's IKU stay in view): 41.000 px on a phone unfolded.
    assert page.count('<details class="program-group"><summary><h4>Program') == 3
    assert "IKU X" not in page.split('<details class="program-group">')[1]


def test_each_indicator_links_to_its_realisasi_and_its_evidence_when_there_is_one(k, client):
    realisasi = Realisasi.objects.get(indikator=k.x.indikator, tahun=2024)
    Realisasi.objects.filter(pk=realisasi.pk).update(bukti="bukti/laporan.pdf")
    tanpa = ik("IK tanpa bukti", program=k.x.program)

    page = opd_page(client, k)
    for ind in (k.x.indikator, tanpa):
        assert reverse("indicators:realisasi_edit", args=[2024, ind.pk]) in page
    assert page.count(reverse("indicators:evidence", args=[realisasi.pk])) == 1
    assert page.count('href="/realisasi/bukti/') == 1  # none for the indicator without
    # The link leads somewhere the Inspektorat may read.
    edit = client.get(reverse("indicators:realisasi_edit", args=[2024, tanpa.pk]))
    assert edit.status_code == 200


def test_the_draft_lakip_is_built_for_the_inspektorat(k, client):
    client.force_login(k.u.inspektorat)
    page = opd_page(client, k)
    url = reverse("pemda_opd_lakip", args=[2024, "X", "pdf"])
    assert f'action="{url}"' in page
    assert "Unduh draf PDF" in page and "Versi final" not in page

    response = client.post(url)
    job = PembuatanLaporan.objects.get()
    assert response.url == reverse("job_status", args=[job.pk])
    assert (job.opd, job.tahun, job.format, job.final) == (k.x.opd, 2024, "pdf", False)
    assert job.diminta_oleh == k.u.inspektorat
    # A GET builds nothing (links, prefetchers): back to the OPD's page.
    again = client.get(url)
    assert again.url == reverse("pemda_opd", args=[2024, "X"])
    assert PembuatanLaporan.objects.count() == 1


def test_a_locked_years_final_lakip_is_served_as_stored(k, client):
    LakipVersi.objects.create(
        opd=k.x.opd,
        tahun=2024,
        nomor=1,
        pdf=b"%PDF-1.4 final X",
        xlsx=b"PK",
        sha256_pdf="0" * 64,
        sha256_xlsx="0" * 64,
        engine_version="1",
        skala_kode="s",
        skala_versi="1",
        agregat_batas_bawah=Decimal(0),
        agregat_batas_atas=Decimal(120),
        dibuat_oleh=k.u.perencana,
    )
    year_lock(user=SYSTEM, opd=k.x.opd, tahun=2024, alasan="LAKIP final")

    page = opd_page(client, k)
    link = reverse("pemda_opd_lakip", args=[2024, "X", "pdf"]) + "?versi=1"
    assert link in page and "Unduh PDF final" in page
    response = client.get(link)
    assert response.status_code == 200
    assert bytes(response.content) == b"%PDF-1.4 final X"
    assert response["Content-Disposition"].endswith('LAKIP-X-2024-v1.pdf"')


@pytest.mark.parametrize("role", ["perencana", "kabid", "pimpinan"])
def test_an_opd_role_is_refused_the_page_and_the_download(k, client, role):
    client.force_login(getattr(k.u, role))
    assert client.get(reverse("pemda_opd", args=[2024, "X"])).status_code == 403
    assert client.post(reverse("pemda_opd_lakip", args=[2024, "X", "pdf"])).status_code == 403
    assert not PembuatanLaporan.objects.exists()


def test_another_pemdas_opd_is_not_found(k, client):
    client.force_login(k.u.inspektorat)
    assert client.post(reverse("pemda_opd_lakip", args=[2024, "Z", "pdf"])).status_code == 404
    assert not PembuatanLaporan.objects.exists()


def test_the_page_costs_the_same_queries_for_2_or_40_indicators(
    k, client, django_assert_num_queries
):
    client.force_login(k.u.inspektorat)
    url = reverse("pemda_opd", args=[2024, "X"])
    client.get(url)  # warm the session and the role caches of the first request
    ik("IK 2", program=k.x.program)
    # 16 queries: user, its two-factor devices (2), groups, role (assignment),
    # Pemda, OPD, the read check, the indicators with their whole tree, the scale (3: the
    # OPD's settings, the default scale, its bands), targets, realisasi, the year lock,
    # review notes. A locked year reads its final versions too (18); no query per indicator.
    with django_assert_num_queries(QUERIES):
        client.get(url)
    kegiatan = KegiatanFactory(program=k.x.program)
    for i in range(38):
        ik(f"IK {i}", **({"kegiatan": kegiatan} if i % 2 else {"program": k.x.program}))
    with django_assert_num_queries(QUERIES):
        page = client.get(url).content.decode()
    assert page.count("data-indikator=") == 40


QUERIES = 16
