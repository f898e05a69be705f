"""The register's pages (issue 22, item 3): the 19 ESR rows of an OPD and year, the upload of
the signed scan, publication, the scans as checked downloads, the ESR package (page and
command), and the Pemda's public page (item 4) — what it shows and what it must not."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from dokumen.models import DokumenRegister
from dokumen.services import dokumen_publish, dokumen_save
from indicators.models import Realisasi
from kabupaten.reader import kabupaten_data
from renstra.services import year_lock
from reporting.models import LakipVersi
from tests import evidence_files
from tests.kabupaten_world import SYSTEM, kabupaten

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PENETAPAN = datetime.date(2024, 1, 20)


@pytest.fixture
def k(db):
    return kabupaten()


def formal(k, opd=None, jenis=6, nomor="800/6/X/2024", publish=False, tahun=2024):
    opd = opd or k.x.opd
    entry = dokumen_save(
        user=SYSTEM,
        opd=opd,
        tahun=tahun,
        jenis=jenis,
        nomor=nomor,
        tanggal_penetapan=PENETAPAN,
        berkas=io.BytesIO(evidence_files.pdf()),
        berkas_nama=f"scan-{jenis}.pdf",
    )
    if publish:
        entry = dokumen_publish(
            user=SYSTEM, opd=opd, tahun=tahun, jenis=jenis, tanggal=datetime.date(2024, 2, 10)
        )
    return entry


def rows():
    return list(DokumenRegister.objects.order_by("pk").values())


def pdf_upload(content=None, name="pk-signed.pdf"):
    f = io.BytesIO(content if content is not None else evidence_files.pdf())
    f.name = name
    return f


# --- the register page ---------------------------------------------------------------------------


def test_the_perencana_opens_the_register_with_the_nineteen_esr_types(
    k, client, django_assert_num_queries
):
    client.force_login(k.u.perencana)
    formal(k, jenis=2)  # the Renstra: no due date, so ditetapkan whatever today is
    url = reverse("register:register", args=[2024])
    client.get(url)  # the session and the user's role read once before counting
    # Signing in: the user and the versions (who is asking, kept in the session); the page:
    # the OPD with its Pemda, the 19 rows' entries (one), the year lock, the Renstra years.
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<tr id="jenis-') == 19
    assert "06 · Perjanjian Kinerja" in page and "19 · TL LHE KemenPANRB" in page
    assert "800/6/X/2024" in page
    assert 'class="badge status-ditetapkan"' in page
    assert 'name="berkas"' in page and 'value="terbitkan"' in page
    # The LAKIP row links Kinerja's own draft (the LAKIP page); the IKU, PK and Rencana Aksi
    # rows the documents dokumen generates.
    assert f'href="{reverse("lakip", args=[2024])}"' in page
    for jenis in ("sk-iku", "pk", "rencana-aksi"):
        draft = reverse("dokumen:dokumen_file", args=[2024, k.x.opd.kode, jenis, "pdf"])
        assert f'href="{draft}"' in page, jenis


def test_the_menu_opens_the_register(k, client):
    client.force_login(k.u.perencana)
    response = client.get(reverse("register:now"), follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"].startswith("/register/")
    assert ">Register Dokumen</a>" in response.content.decode()


def test_another_opds_perencana_is_refused_its_register_scan_and_package(k, client):
    formal(k)
    client.force_login(k.u.perencana_y)
    for url in (
        reverse("register:register_opd", args=[2024, "X"]),
        reverse("register:scan", args=[2024, "X", 6]),
        reverse("register:package", args=[2024, "X"]),
    ):
        assert client.get(url).status_code == 403, url
    before = rows()
    response = client.post(
        reverse("register:register_opd", args=[2024, "X"]),
        {"aksi": "simpan", "jenis": 6, "nomor": "curang"},
    )
    assert response.status_code == 403
    assert rows() == before


def test_the_pimpinan_and_the_pemda_read_without_forms(k, client):
    formal(k)
    for user, url in (
        (k.u.pimpinan, reverse("register:register", args=[2024])),
        (k.u.inspektorat, reverse("register:register_opd", args=[2024, "X"])),
        (k.u.bappeda, reverse("register:register_opd", args=[2024, "X"])),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "800/6/X/2024" in page
        assert 'name="berkas"' not in page
    client.force_login(k.u.pimpinan)
    response = client.post(
        reverse("register:register", args=[2024]), {"aksi": "simpan", "jenis": 6, "nomor": "x"}
    )
    assert response.status_code == 403
    assert DokumenRegister.objects.get().nomor == "800/6/X/2024"


def test_bappeda_keeps_the_pemdas_own_register(k, client):
    client.force_login(k.u.bappeda)
    response = client.post(
        reverse("register:register", args=[2024]),
        {
            "aksi": "simpan",
            "jenis": 1,
            "nomor": "Perda 2/2021",
            "tanggal_penetapan": "2021-06-01",
            "berkas": pdf_upload(),
        },
    )
    assert response.status_code == 302
    entry = DokumenRegister.objects.get()
    assert entry.opd == k.rpjmd.unit and entry.jenis == 1


def test_upload_nomor_tanggal_then_publish_through_the_page(k, client):
    client.force_login(k.u.perencana)
    url = reverse("register:register", args=[2024])
    response = client.post(
        url,
        {
            "aksi": "simpan",
            "jenis": 6,
            "nomor": "800/6/2024",
            "tanggal_penetapan": "2024-01-20",
            "berkas": pdf_upload(),
        },
    )
    assert response.status_code == 302
    entry = DokumenRegister.objects.get()
    assert (entry.nomor, entry.tanggal_penetapan) == ("800/6/2024", PENETAPAN)
    assert entry.sha256 == hashlib.sha256(evidence_files.pdf()).hexdigest()
    response = client.post(
        url, {"aksi": "terbitkan", "jenis": 6, "tanggal_publikasi": "2024-02-10"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.tanggal_publikasi == datetime.date(2024, 2, 10)
    page = client.get(url).content.decode()
    assert 'class="badge status-dipublikasikan"' in page
    assert "Batalkan publikasi" in page


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (evidence_files.png(), "scan.pdf", "harus berupa berkas PDF"),
        (b"%PDF-1.7\n<html><script>alert(1)</script>", "scan.pdf", "HTML, skrip"),
        (b"%PDF-1.4\n1 0 obj garbage", "scan.pdf", "bukan PDF yang utuh"),
        (b"MZ\x90\x00 not a document", "scan.exe", "harus berupa berkas PDF"),
    ],
)
def test_a_non_pdf_or_fake_pdf_upload_is_refused_with_the_reason_and_nothing_saved(
    k, client, settings, content, name, message
):
    client.force_login(k.u.perencana)
    response = client.post(
        reverse("register:register", args=[2024]),
        {
            "aksi": "simpan",
            "jenis": 6,
            "nomor": "800/6/2024",
            "tanggal_penetapan": "2024-01-20",
            "berkas": pdf_upload(content, name),
        },
        follow=True,
    )
    assert message in response.content.decode()
    assert rows() == []
    assert not (settings.MEDIA_ROOT / "dokumen").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"aksi": "simpan", "jenis": "abc"},
        {"aksi": "simpan", "jenis": "20"},
        {"aksi": "hapus", "jenis": "6"},
        {"aksi": "simpan", "jenis": "6", "tanggal_penetapan": "2024-02-30"},
        {"aksi": "terbitkan", "jenis": "6", "tanggal_publikasi": "0000-00-00"},
    ],
)
def test_hostile_form_values_answer_400_and_save_nothing(k, client, data):
    client.force_login(k.u.perencana)
    response = client.post(reverse("register:register", args=[2024]), data)
    assert response.status_code == 400
    assert rows() == []


def test_publishing_a_document_not_yet_ditetapkan_is_refused_on_the_page(k, client):
    client.force_login(k.u.perencana)
    url = reverse("register:register", args=[2024])
    client.post(url, {"aksi": "simpan", "jenis": 7, "nomor": "RA/2024"})
    response = client.post(url, {"aksi": "terbitkan", "jenis": 7}, follow=True)
    assert "belum ditetapkan" in response.content.decode()
    assert DokumenRegister.objects.get().tanggal_publikasi is None


def test_the_scan_is_an_attachment_with_nosniff_for_readers(k, client):
    formal(k)
    client.force_login(k.u.inspektorat)
    response = client.get(reverse("register:scan", args=[2024, "X", 6]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "06_Perjanjian_Kinerja_X_2024.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == evidence_files.pdf()
    assert client.get(reverse("register:scan", args=[2024, "X", 7])).status_code == 404
    assert client.get("/register/2024/opd/X/pindaian/99999999999999999999/").status_code == 404


def test_the_register_shows_late_when_the_due_date_passed_unpublished(k, client):
    # The PK of 2024 is due at the end of February 2024; today is later: terlambat.
    formal(k, jenis=6)
    client.force_login(k.u.perencana)
    page = client.get(reverse("register:register", args=[2024])).content.decode()
    row = page.split('<tr id="jenis-6">')[1].split("</tr>")[0]
    assert 'status-terlambat">Terlambat' in row
    assert "29 Feb 2024" in row


# --- the ESR package -----------------------------------------------------------------------------


def _zip(content: bytes) -> tuple[zipfile.ZipFile, dict]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return archive, json.loads(archive.read("manifest.json"))


def test_the_esr_package_holds_each_scan_named_by_type_and_a_manifest_with_hashes(k, client):
    formal(k, jenis=6, publish=True)
    formal(k, jenis=7, nomor="RA/2024")
    LakipVersi.objects.create(
        opd=k.x.opd,
        tahun=2024,
        nomor=1,
        pdf=b"%PDF-1.4 lakip final",
        xlsx=b"PK",
        sha256_pdf="0" * 64,
        sha256_xlsx="0" * 64,
        engine_version="1",
        skala_kode="uji",
        skala_versi="1",
    )
    client.force_login(k.u.pimpinan)
    response = client.get(reverse("register:package", args=[2024, "X"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="Paket_ESR_X_2024.zip"' in response["Content-Disposition"]
    archive, manifest = _zip(response.content)
    assert sorted(archive.namelist()) == [
        "06_Perjanjian_Kinerja_X_2024.pdf",
        "07_Rencana_Aksi_X_2024.pdf",
        "08_Laporan_Kinerja_X_2024.pdf",
        "manifest.json",
    ]
    assert manifest["opd"] == {"kode": "X", "nama": "Dinas X"} and manifest["tahun"] == 2024
    docs = {d["jenis"]: d for d in manifest["dokumen"]}
    assert sorted(docs) == list(range(1, 20))
    assert docs[6] | {"tenggat": None} == {
        "jenis": 6,
        "nama_jenis": "Perjanjian Kinerja",
        "nomor": "800/6/X/2024",
        "tanggal_penetapan": "2024-01-20",
        "tanggal_publikasi": "2024-02-10",
        "tenggat": None,
        "status": "dipublikasikan",
        "berkas": "06_Perjanjian_Kinerja_X_2024.pdf",
        "sumber": "pindaian bertanda tangan",
        "sha256": hashlib.sha256(evidence_files.pdf()).hexdigest(),
    }
    assert docs[6]["tenggat"] == "2024-02-29"
    assert docs[8]["sumber"] == "dokumen Kinerja (belum dipindai)"
    assert docs[8]["status"] == "terlambat"  # due 28 Feb 2025, nothing published
    assert archive.read("08_Laporan_Kinerja_X_2024.pdf") == b"%PDF-1.4 lakip final"
    for name in archive.namelist():
        if name != "manifest.json":
            entry = next(d for d in docs.values() if d["berkas"] == name)
            assert hashlib.sha256(archive.read(name)).hexdigest() == entry["sha256"]
    assert docs[1] == {
        "jenis": 1,
        "nama_jenis": "RPJMD",
        "nomor": "",
        "tanggal_penetapan": None,
        "tanggal_publikasi": None,
        "tenggat": None,
        "status": "draft",
        "berkas": None,
        "sumber": None,
        "sha256": None,
    }


def test_the_paket_esr_command_writes_the_same_package(k, tmp_path):
    formal(k, jenis=6)
    out = tmp_path / "paket.zip"
    call_command("paket_esr", "X", "2024", "-o", str(out), stdout=io.StringIO())
    archive, manifest = _zip(out.read_bytes())
    assert archive.namelist() == ["06_Perjanjian_Kinerja_X_2024.pdf", "manifest.json"]
    assert manifest["dokumen"][5]["sha256"] == hashlib.sha256(evidence_files.pdf()).hexdigest()


def test_the_paket_esr_command_refuses_an_unknown_opd(k, tmp_path):
    with pytest.raises(CommandError, match="OPD dengan kode 'TIDAKADA' tidak ditemukan"):
        call_command("paket_esr", "TIDAKADA", "2024", "-o", str(tmp_path / "p.zip"))
    assert not (tmp_path / "p.zip").exists()


# --- the public page -----------------------------------------------------------------------------


def test_the_public_page_shows_published_documents_only_without_sign_in(k, client):
    published = formal(k, jenis=6, nomor="PK-TERBIT", publish=True)
    formal(k, jenis=7, nomor="RA-BELUM-TERBIT")  # ditetapkan, unpublished
    dokumen_save(
        user=SYSTEM, opd=k.y.opd, tahun=2024, jenis=3, nomor="IKU-DRAF", tanggal_penetapan=None
    )
    formal(k, opd=k.z.opd, jenis=6, nomor="PK-PEMDA-LAIN", publish=True)
    response = client.get(reverse("register:publik", args=["KAB"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "PK-TERBIT" in page
    assert reverse("register:publik_scan", args=["KAB", published.pk]) in page
    for hidden in ("RA-BELUM-TERBIT", "IKU-DRAF", "PK-PEMDA-LAIN", "/register/", "/realisasi/"):
        assert hidden not in page
    assert 'name="berkas"' not in page


def test_the_public_download_serves_published_scans_and_404s_everything_else(k, client):
    published = formal(k, jenis=6, publish=True)
    ditetapkan = formal(k, jenis=7)
    draft = dokumen_save(
        user=SYSTEM,
        opd=k.x.opd,
        tahun=2024,
        jenis=3,
        nomor="",
        tanggal_penetapan=None,
        berkas=io.BytesIO(evidence_files.pdf()),
    )
    other = formal(k, opd=k.z.opd, jenis=6, publish=True)
    ok = client.get(reverse("register:publik_scan", args=["KAB", published.pk]))
    assert ok.status_code == 200
    assert ok["Content-Disposition"].startswith("attachment;")
    assert ok["X-Content-Type-Options"] == "nosniff"
    assert b"".join(ok.streaming_content) == evidence_files.pdf()
    for entry in (ditetapkan, draft):
        assert (
            client.get(reverse("register:publik_scan", args=["KAB", entry.pk])).status_code == 404
        )
    # Another Pemda's document is not this Pemda's page's (its own page serves it).
    assert client.get(reverse("register:publik_scan", args=["KAB", other.pk])).status_code == 404
    assert client.get(reverse("register:publik_scan", args=["LAIN", other.pk])).status_code == 200
    assert client.get(reverse("register:publik", args=["TIDAKADA"])).status_code == 404


def test_private_evidence_is_never_reachable_from_the_public_page(k, client):
    realisasi = Realisasi.objects.filter(indikator=k.x.indikator).first()
    realisasi.bukti.save("bukti.pdf", ContentFile(evidence_files.pdf()), save=True)
    formal(k, jenis=6, publish=True)
    page = client.get(reverse("register:publik", args=["KAB"])).content.decode()
    assert "bukti" not in page.lower()
    evidence = reverse("indicators:evidence", args=[realisasi.pk])
    assert evidence not in page
    # Without signing in, the evidence answers the sign-in page.
    response = client.get(evidence)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_public_capaian_comes_from_the_kabupaten_reader_only_for_final_years(k, client):
    client_page = lambda: client.get(reverse("register:publik", args=["KAB"])).content.decode()  # noqa: E731
    assert "Capaian kinerja utama" not in client_page()
    LakipVersi.objects.create(
        opd=k.x.opd,
        tahun=2024,
        nomor=1,
        pdf=b"%PDF-1.4",
        xlsx=b"PK",
        sha256_pdf="0" * 64,
        sha256_xlsx="0" * 64,
        engine_version="1",
        skala_kode="uji",
        skala_versi="1",
    )
    page = client_page()
    line = next(o for o in kabupaten_data(k.pemda, 2024).opds if o.opd.pk == k.x.opd.pk)
    assert line.summary.mean == Decimal("90.00")  # 45 of 50
    section = page.split("Dinas X")[1]
    assert "Capaian kinerja utama" in section and "90,00 %" in section
    # Y's LAKIP is not final: its figures stay private.
    assert "Dinas Y" not in page


@pytest.mark.cache
def test_the_public_page_is_kept_and_moves_with_a_publication(k, client, django_assert_num_queries):
    formal(k, jenis=6, nomor="PK-SATU", publish=True)
    url = reverse("register:publik", args=["KAB"])
    client.get(url)
    # The Pemda (1) and the data version (1): the body is kept under the version.
    with django_assert_num_queries(2):
        page = client.get(url).content.decode()
    assert "PK-SATU" in page
    formal(k, jenis=7, nomor="RA-DUA", publish=True)
    assert "RA-DUA" in client.get(url).content.decode()


def test_the_public_page_is_linked_from_the_sign_in_page(k, client):
    login = client.get(reverse("login")).content.decode()
    index = reverse("register:publik_index")
    assert f'href="{index}"' in login
    listing = client.get(index).content.decode()
    assert f'href="{reverse("register:publik", args=["KAB"])}"' in listing


def test_a_locked_year_still_lets_the_signed_lakip_be_registered_and_published(k, client):
    year_lock(user=SYSTEM, opd=k.x.opd, tahun=2024, alasan="LAKIP final")
    client.force_login(k.u.perencana)
    url = reverse("register:register", args=[2024])
    client.post(
        url,
        {
            "aksi": "simpan",
            "jenis": 8,
            "nomor": "050/8/2025",
            "tanggal_penetapan": "2025-02-20",
            "berkas": pdf_upload(),
        },
    )
    client.post(url, {"aksi": "terbitkan", "jenis": 8, "tanggal_publikasi": "2025-02-25"})
    entry = DokumenRegister.objects.get()
    assert entry.tanggal_publikasi == datetime.date(2025, 2, 25)
    assert "dikunci" in client.get(url).content.decode()


def test_the_pemdas_page_of_an_opd_links_its_register(k, client):
    client.force_login(k.u.inspektorat)
    page = client.get(reverse("pemda_opd", args=[2024, "X"])).content.decode()
    assert f'href="{reverse("register:register_opd", args=[2024, "X"])}"' in page


def test_a_public_page_computed_afresh_reads_the_kabupaten_once_per_final_year(
    k, client, django_assert_num_queries
):
    formal(k, jenis=6, publish=True)
    LakipVersi.objects.create(
        opd=k.x.opd,
        tahun=2024,
        nomor=1,
        pdf=b"%PDF-1.4",
        xlsx=b"PK",
        sha256_pdf="0" * 64,
        sha256_xlsx="0" * 64,
        engine_version="1",
        skala_kode="uji",
        skala_versi="1",
    )
    # The Pemda, the data version; on a miss: the published documents with their OPDs, the
    # years with a final LAKIP, then the kabupaten reader for 2024 (its OPDs, the seven of
    # compute_pemda, the accepted links, the RPJMD sasaran, the final versions, the links
    # waiting).
    with django_assert_num_queries(15):
        response = client.get(reverse("register:publik", args=["KAB"]))
    assert response.status_code == 200


def test_an_impossible_date_answers_400_with_the_field_and_reason(k, client):
    client.force_login(k.u.perencana)
    response = client.post(
        reverse("register:register", args=[2024]),
        {"aksi": "simpan", "jenis": "6", "nomor": "1", "tanggal_penetapan": "2024-02-30"},
    )
    assert response.status_code == 400
    assert "Tanggal penetapan: Tanggal tidak valid (format tahun-bulan-tanggal)." in (
        response.content.decode()
    )
    assert rows() == []
