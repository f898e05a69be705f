"""The kabid's entry pages: record, see capaian, history, evidence, locks, stale edits."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Frekuensi, JenisTarget, Periode, Realisasi
from renstra.models import KunciTahun, Role
from tests import evidence_files
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    opd = OpdFactory(kode="DP3")
    periode = PeriodeFactory(opd=opd)
    pppa = BidangFactory(opd=opd, kode="PPPA")
    ppkb = BidangFactory(opd=opd, kode="PPKB")
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=periode), bidang=pppa)
    idg = IndikatorFactory(sasaran=sasaran, nama="IDG", satuan="indeks")
    TargetFactory(indikator=idg, tahun=2024, jenis=JenisTarget.PK, nilai=Decimal("74.04"))
    tfr = IndikatorFactory(
        sasaran=SasaranFactory(tujuan=sasaran.tujuan, bidang=ppkb), nama="TFR", polaritas="negatif"
    )
    TargetFactory(indikator=tfr, tahun=2024, nilai=Decimal("2.33"))
    kabid = make_user("kabid_pppa", Role.KABID, opd=opd, bidang=pppa)
    other_kabid = make_user("kabid_ppkb", Role.KABID, opd=opd, bidang=ppkb)
    return {"opd": opd, "idg": idg, "tfr": tfr, "kabid": kabid, "other": other_kabid}


def edit_url(ind, tahun=2024):
    return reverse("indicators:realisasi_edit", args=[tahun, ind.pk])


def post_values(client, ind, tahun=2024, **fields):
    data = {
        "tahunan": "",
        "tw1": "",
        "tw2": "",
        "tw3": "",
        "tw4": "",
        "analisis": "",
        "hambatan": "",
        "tindak_lanjut": "",
        "versi_tahunan": 0,
        "versi_tw1": 0,
        "versi_tw2": 0,
        "versi_tw3": 0,
        "versi_tw4": 0,
    }
    data.update(fields)
    return client.post(edit_url(ind, tahun), data)


def test_a_kabid_records_a_realisasi_typed_the_indonesian_way_and_sees_the_capaian(client, setup):
    client.force_login(setup["kabid"])
    response = post_values(client, setup["idg"], tahunan="73,27", analisis="Naik 3 poin")
    assert response.status_code == 302
    realisasi = Realisasi.objects.get(indikator=setup["idg"], tahun=2024, periode=Periode.TAHUNAN)
    assert realisasi.nilai == Decimal("73.27")
    assert realisasi.diisi_oleh == setup["kabid"]
    page = client.get(response["Location"]).content.decode()
    # 73,27 / 74,04 × 100 = 98,96 (the seed LAKIP printed 98,62).
    assert "98,96 %" in page
    assert "Sangat Tinggi" in page
    assert "Naik 3 poin" in page


def test_the_list_shows_only_the_kabids_own_indicators(client, setup):
    client.force_login(setup["kabid"])
    page = client.get(reverse("indicators:realisasi_list", args=[2024])).content.decode()
    assert "IDG" in page
    assert "TFR" not in page


def test_a_kabid_reads_another_bidangs_indicator_but_cannot_post_to_it(client, setup):
    client.force_login(setup["kabid"])
    page = client.get(edit_url(setup["tfr"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>Hanya baca:</strong>" in html
    assert "<fieldset disabled>" in html
    assert "Simpan realisasi" not in html
    assert 'type="file"' not in html
    response = post_values(client, setup["tfr"], tahunan="2,31")
    assert response.status_code == 403
    assert "Anda hanya dapat mengisi realisasi indikator bidang Anda sendiri." in (
        response.content.decode()
    )
    assert not Realisasi.objects.filter(indikator=setup["tfr"]).exists()


def test_a_read_only_realisasi_says_who_fills_it_and_where_a_missing_bidang_is_set(client, setup):
    client.force_login(setup["kabid"])
    html = client.get(edit_url(setup["tfr"])).content.decode()
    assert f"diisi oleh kabid {setup['tfr'].effective_bidang.nama}.</p>" in html
    # No bidang anywhere up its tree: the perencana reads where to set one (a new OPD's
    # perencana saw "diisi oleh bidang penanggung jawabnya" and no way on).
    lepas = IndikatorFactory(
        sasaran=SasaranFactory(tujuan=setup["idg"].sasaran.tujuan, bidang=None), nama="Lepas"
    )
    client.force_login(make_user("perencana_dp3", Role.PERENCANA, opd=setup["opd"]))
    html = client.get(edit_url(lepas)).content.decode()
    assert "belum ada bidang yang ditetapkan" in html
    assert "Admin → Sasaran atau Program, kolom Bidang" in html


def test_a_kabid_lists_every_bidang_of_their_opd_on_request_read_only(client, setup):
    client.force_login(setup["kabid"])
    html = client.get(
        reverse("indicators:realisasi_list", args=[2024]), {"tampil": "semua"}
    ).content.decode()
    assert "IDG" in html and "TFR" in html
    assert f'href="{edit_url(setup["idg"])}">Isi<' in html
    assert f'href="{edit_url(setup["tfr"])}">Lihat<' in html


def test_a_kabid_cannot_read_another_opds_realisasi(client, setup):
    stranger = make_user("kabid_luar", Role.KABID, opd=OpdFactory(), bidang=None)
    client.force_login(stranger)
    response = client.get(edit_url(setup["tfr"]))
    assert response.status_code == 403
    assert "Anda tidak berhak melihat realisasi perangkat daerah lain." in (
        response.content.decode()
    )


def test_a_bad_number_is_refused_with_an_indonesian_message_and_nothing_saved(client, setup):
    client.force_login(setup["kabid"])
    response = post_values(client, setup["idg"], tahunan="7x,4", tw1="10")
    assert response.status_code == 400
    assert "bukan angka yang valid" in response.content.decode()
    assert not Realisasi.objects.exists()


def test_capaian_typed_into_the_form_is_ignored(client, setup):
    client.force_login(setup["kabid"])
    post_values(client, setup["idg"], tahunan="73,27", capaian="150", capaian_dilaporkan="150")
    realisasi = Realisasi.objects.get(indikator=setup["idg"])
    assert realisasi.capaian_dilaporkan is None


def test_quarters_accumulate_into_the_year_when_no_annual_value_is_given(client, setup):
    client.force_login(setup["kabid"])
    post_values(client, setup["idg"], tw1="70", tw2="71", tw3="72,5", tw4="73,27")
    page = client.get(edit_url(setup["idg"])).content.decode()
    assert Realisasi.objects.filter(indikator=setup["idg"]).count() == 4
    assert "98,96 %" in page  # nilai akhir: the last quarter, 73,27
    assert "dari triwulan" in page


def test_a_quarter_on_an_annual_only_indicator_is_not_offered(client, setup):
    setup["idg"].frekuensi = Frekuensi.TAHUNAN
    setup["idg"].save()
    client.force_login(setup["kabid"])
    page = client.get(edit_url(setup["idg"])).content.decode()
    assert 'name="tw1"' not in page


def test_a_locked_year_shows_its_reason_and_refuses_the_edit(client, setup):
    KunciTahun.objects.create(opd=setup["opd"], tahun=2024, alasan="LAKIP 2024 final")
    client.force_login(setup["kabid"])
    page = client.get(edit_url(setup["idg"])).content.decode()
    assert "LAKIP 2024 final" in page
    # Read-only: nothing invites a submit the server would refuse.
    assert "<fieldset disabled>" in page
    assert "Simpan realisasi" not in page
    assert 'type="file"' not in page
    response = post_values(client, setup["idg"], tahunan="73,27")
    assert response.status_code == 400
    assert "Tahun 2024 dikunci: LAKIP 2024 final" in response.content.decode()
    assert not Realisasi.objects.exists()


def test_a_stale_form_is_refused_and_shows_the_newer_value(client, setup):
    client.force_login(setup["kabid"])
    post_values(client, setup["idg"], tahunan="70")
    stored = Realisasi.objects.get(indikator=setup["idg"])
    assert stored.versi == 1
    post_values(client, setup["idg"], tahunan="71", versi_tahunan=1)  # someone else, newer
    response = post_values(client, setup["idg"], tahunan="72", versi_tahunan=1)  # stale form
    assert response.status_code == 400
    body = response.content.decode()
    assert "telah diubah sejak formulir atau berkas dibuka" in body
    assert "71,00" in body
    stored.refresh_from_db()
    assert stored.nilai == Decimal("71")
    assert stored.versi == 2


def test_every_change_is_in_the_history_with_who_and_old_to_new(client, setup):
    client.force_login(setup["kabid"])
    post_values(client, setup["idg"], tahunan="70")
    post_values(client, setup["idg"], tahunan="73,27", versi_tahunan=1)
    page = client.get(edit_url(setup["idg"])).content.decode()
    assert "diubah: 70,00 → 73,27" in page
    assert "kabid_pppa" in page
    records = Realisasi.history.filter(indikator_id=setup["idg"].pk)
    assert records.count() == 2
    assert {r.history_user for r in records} == {setup["kabid"]}


def pdf_bytes() -> bytes:
    return evidence_files.pdf()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bukti.pdf", evidence_files.pdf()),
        ("foto.jpg", evidence_files.jpeg()),
        ("foto.png", evidence_files.png()),
        ("data.xlsx", evidence_files.xlsx()),
    ],
)
def test_allowed_evidence_is_stored_under_a_random_name(client, setup, name, content):
    client.force_login(setup["kabid"])
    upload = SimpleUploadedFile(name, content)
    response = post_values(client, setup["idg"], tahunan="73,27", bukti=upload)
    assert response.status_code == 302
    realisasi = Realisasi.objects.get(indikator=setup["idg"], periode=Periode.TAHUNAN)
    assert realisasi.bukti_nama == name
    stored_as = realisasi.bukti.name.rsplit("/", 1)[-1]
    assert name.split(".")[0] not in stored_as
    assert len(stored_as.split(".")[0]) == 32  # a random uuid4 hex
    download = client.get(reverse("indicators:evidence", args=[realisasi.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("palsu.pdf", b"MZ\x90\x00 this is an exe", "Jenis berkas tidak diizinkan"),
        ("dok.docx", b"PK\x03\x04" + b"0" * 40, "Jenis berkas tidak diizinkan"),
        ("skrip.png", b"<script>alert(1)</script>", "Jenis berkas tidak diizinkan"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + evidence_files.SVG, "bukan gambar PNG yang utuh"),
        (
            "data.xlsx",
            evidence_files.zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
            "bukan XLSX yang utuh",
        ),
        ("laporan.html", evidence_files.pdf() + evidence_files.HTML, "memuat HTML"),
        ("laporan.html", evidence_files.pdf(), "berakhiran .html, tetapi isinya PDF"),
        ("besar.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "terlalu besar"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_saved(client, setup, name, content, message):
    client.force_login(setup["kabid"])
    response = post_values(
        client, setup["idg"], tahunan="73,27", bukti=SimpleUploadedFile(name, content)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Realisasi.objects.exists()


def test_evidence_is_served_only_to_users_of_the_same_opd(client, setup):
    client.force_login(setup["kabid"])
    post_values(client, setup["idg"], tahunan="1", bukti=SimpleUploadedFile("b.pdf", pdf_bytes()))
    realisasi = Realisasi.objects.get()
    url = reverse("indicators:evidence", args=[realisasi.pk])
    outsider = make_user("luar", Role.PIMPINAN, opd=OpdFactory())
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user("pimpinan", Role.PIMPINAN, opd=setup["opd"]))
    assert client.get(url).status_code == 200


def test_evidence_is_served_as_an_attachment_named_after_its_real_kind(client, setup):
    # A row stored before the content checks, with the uploader's ".html" name.
    realisasi = Realisasi.objects.create(
        indikator=setup["idg"],
        tahun=2024,
        nilai=Decimal(1),
        bukti=SimpleUploadedFile("a1b2.pdf", evidence_files.pdf()),
        bukti_nama="laporan.html",
    )
    client.force_login(setup["kabid"])
    response = client.get(reverse("indicators:evidence", args=[realisasi.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_menu_links_open_the_latest_year_with_data(client, setup):
    client.force_login(setup["kabid"])
    Realisasi.objects.create(indikator=setup["idg"], tahun=2023, nilai=Decimal(1))
    assert client.get(reverse("indicators:realisasi_now"))["Location"] == reverse(
        "indicators:realisasi_list", args=[2023]
    )
    assert client.get(reverse("lakip_now"))["Location"] == reverse("lakip", args=[2023])
