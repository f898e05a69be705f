"""The kabupaten pages: the dashboard across the OPDs of a Pemda (figures from the engine,
IKU Pemda with the OPDs that contribute, a constant number of queries for 40 OPDs), the pohon
kinerja, Bappeda's new OPD and cascading decisions, and who is refused."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from indicators.models import JenisTarget
from kabupaten.reader import kabupaten_data, pohon_kinerja
from renstra.models import Opd, StatusTautan, TautanRpjmd
from renstra.pemda import tautan_decide, tautan_propose
from tests.factories import (
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    RealisasiFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
)
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    return kabupaten()


def accept(k, node=None):
    link = tautan_propose(
        user=k.u.perencana, node=node or k.x.sasaran, sasaran_rpjmd=k.rpjmd.sasaran
    )
    return tautan_decide(user=k.u.bappeda, obj=link, terima=True)


def test_the_dashboard_lists_every_opd_of_the_pemda_with_engine_figures(k):
    data = kabupaten_data(k.pemda, 2024, today=datetime.date(2025, 1, 15))
    assert [line.opd.kode for line in data.opds] == ["X", "Y"]
    x = data.opds[0]
    # 45 of 50 = 90 %, one IKU with data: the bounded mean is the same 90 %, Tinggi (> 75–90).
    assert x.summary.mean == Decimal(90)
    assert x.summary.kategori == "Tinggi"
    assert (x.n_indikator, x.n_realisasi, x.completeness) == (1, 1, 100)
    assert (x.pk, x.final, x.late) == (False, None, False)
    assert x.due == datetime.date(2025, 2, 28)


def test_an_opd_without_a_final_lakip_after_the_due_date_is_late(k):
    data = kabupaten_data(k.pemda, 2024, today=datetime.date(2025, 3, 1))
    assert all(line.late for line in data.opds)


def test_a_just_created_opd_owes_no_lakip_of_a_past_year(k):
    """Issue #20: an OPD created through "OPD baru" was "terlambat" at once."""
    from renstra.pemda import opd_create_with_perencana

    opd_create_with_perencana(
        user=k.u.bappeda,
        pemda=k.pemda,
        kode="BARU",
        nama="Dinas Baru",
        username="perencana_baru",
        password="Sandi-kuat-2024!",
    )
    data = kabupaten_data(k.pemda, 2024, today=datetime.date(2025, 3, 1))
    late = {line.opd.kode: line.late for line in data.opds}
    assert late == {"BARU": False, "X": True, "Y": True}


def test_a_pk_target_shows_as_pk(k):
    TargetFactory(indikator=k.x.indikator, tahun=2024, jenis=JenisTarget.PK, nilai=Decimal(60))
    # By kode: the list is ordered by name, and the factory's names ("Dinas Contoh 9", "…10")
    # sort by the test session's sequence, not by creation.
    x = next(line for line in kabupaten_data(k.pemda, 2024).opds if line.opd.kode == "X")
    assert x.pk is True
    assert x.summary.mean == Decimal(75)  # 45 / 60


def test_iku_pemda_lists_the_contributing_opd_indicators_once_accepted(k):
    (iku,) = kabupaten_data(k.pemda, 2024).iku
    assert iku.row.indikator == k.rpjmd.iku
    assert iku.row.result.capaian == Decimal(90)  # 72 / 80
    assert iku.contributions == []
    link = tautan_propose(user=k.u.perencana, node=k.x.sasaran, sasaran_rpjmd=k.rpjmd.sasaran)
    assert kabupaten_data(k.pemda, 2024).iku[0].contributions == []  # only proposed
    tautan_decide(user=k.u.bappeda, obj=link, terima=True)
    (iku,) = kabupaten_data(k.pemda, 2024).iku
    assert [(c.opd.kode, c.nama, c.capaian) for c in iku.contributions] == [
        ("X", "IKU X", Decimal(90))
    ]
    (sasaran,) = kabupaten_data(k.pemda, 2024).sasaran_rpjmd
    assert sasaran.nama == "Sasaran RPJMD KAB"
    assert [(sup.opd.kode, sup.summary.mean) for sup in sasaran.supporting] == [("X", 90)]


def test_the_other_pemdas_opds_never_show(k):
    data = kabupaten_data(k.lain, 2024)
    assert [line.opd.kode for line in data.opds] == ["Z"]


def small_opd(i, pemda):
    opd = OpdFactory(kode=f"OPD{i:02}", pemda=pemda)
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=PeriodeFactory(opd=opd)))
    for j in range(3):
        ind = IndikatorFactory(sasaran=sasaran, nama=f"I{i}-{j}")
        TargetFactory(indikator=ind, tahun=2024, nilai=Decimal(100))
        TargetFactory(indikator=ind, tahun=2023, nilai=Decimal(100))
        RealisasiFactory(indikator=ind, tahun=2024, nilai=Decimal(90 + j))
        RealisasiFactory(indikator=ind, tahun=2023, nilai=Decimal(80))
    return opd


def test_the_dashboard_page_costs_the_same_queries_for_40_opds(
    k, client, django_assert_num_queries
):
    for i in range(38):
        small_opd(i, k.pemda)
    accept(k)
    client.force_login(k.u.bappeda)
    client.get(reverse("pemda_dashboard", args=[2024]))  # who is asking, kept in the session
    # Who is asking: the user and the versions (2; the session from the cache, the role and
    # assignment from the session). The page: the Pemda (1); OPDs (1), their settings (1; the
    # scale bands' prefetch runs only when an OPD chose a scale), the default scale (1) and its
    # bands (1), indicators with their tree (1), targets (1), realisasi (1); accepted links
    # (1), the RPJMD sasaran (1); final LAKIP versions (1), proposals waiting (1). 14 — for 2
    # OPDs as for 40 (computed: the tests keep nothing, KINERJA_KABUPATEN_CACHE_SECONDS=0).
    with django_assert_num_queries(14):
        response = client.get(reverse("pemda_dashboard", args=[2024]))
    assert response.status_code == 200
    assert response.content.decode().count('<tr data-opd="') == 40


def test_the_dashboard_sorts_by_capaian_and_filters_by_name(k, client):
    client.force_login(k.u.kepala_daerah)
    RealisasiFactory(indikator=k.y.indikator, tahun=2023, nilai=Decimal(1))
    from indicators.models import Realisasi

    Realisasi.objects.filter(indikator=k.y.indikator, tahun=2024).update(nilai=Decimal(50))
    page = client.get(reverse("pemda_dashboard", args=[2024]) + "?urut=capaian").content.decode()
    assert page.index('data-opd="Y"') < page.index('data-opd="X"')  # 100 % before 90 %
    page = client.get(reverse("pemda_dashboard", args=[2024]) + "?cari=Y").content.decode()
    assert 'data-opd="Y"' in page and 'data-opd="X"' not in page


def test_the_opd_chart_is_a_bar_chart_best_first_coloured_by_kategori(k, client):
    # It was a bullet list with a thin bar in each item.
    import base64
    import re as regex

    from indicators.models import Realisasi
    from reporting import charts

    realisasi = Realisasi.objects.get(indikator=k.y.indikator, tahun=2024)
    realisasi.nilai = Decimal(50)
    realisasi.save()  # (a save raises the data version the kabupaten's figures are kept by)
    client.force_login(k.u.kepala_daerah)
    page = client.get(reverse("pemda_dashboard", args=[2024])).content.decode()
    section = page.split('id="grafik-h"')[1].split("</section>")[0]
    uri = regex.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', section).group(1)
    svg = base64.b64decode(uri).decode()
    # Y (50 of 50: 100 %) above X (45 of 50: 90 %): labels are drawn bottom-up, so the best
    # comes last; each bar says its figure in Indonesian, in its kategori's colour.
    assert svg.index(">Y</text>") > svg.index(">X</text>")
    assert ">100,00 %</text>" in svg and ">90,00 %</text>" in svg
    assert ">capaian IKU (%)</text>" in svg
    assert charts.KATEGORI_COLOURS["sangat tinggi"] in svg


@pytest.mark.parametrize("role", ["perencana", "kabid", "pimpinan"])
def test_an_opd_role_is_refused_every_pemda_page(k, client, role):
    client.force_login(getattr(k.u, role))
    for url in (
        reverse("pemda_dashboard", args=[2024]),
        reverse("pemda_opd", args=[2024, "X"]),
        reverse("pemda_pohon", args=[2024]),
        reverse("pemda_opd_new"),
        reverse("pemda_links"),
    ):
        assert client.get(url).status_code == 403, url


def test_inspektorat_reads_any_opd_of_its_pemda_but_not_another_pemdas(k, client):
    client.force_login(k.u.inspektorat)
    page = client.get(reverse("pemda_opd", args=[2024, "Y"]))
    assert page.status_code == 200 and "IKU Y" in page.content.decode()
    assert client.get(reverse("pemda_opd", args=[2024, "Z"])).status_code == 404
    assert client.get(reverse("pemda_opd_new")).status_code == 403


def test_inspektorat_reads_an_opds_realisasi_page_read_only(k, client):
    client.force_login(k.u.inspektorat)
    url = reverse("indicators:realisasi_edit", args=[2024, k.x.indikator.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Simpan" not in page.content.decode()


def test_bappeda_creates_an_opd_with_its_perencana_from_the_page(k, client):
    client.force_login(k.u.bappeda)
    response = client.post(
        reverse("pemda_opd_new"),
        {
            "kode": "DINKES",
            "nama": "Dinas Kesehatan",
            "username": "perencana_dinkes",
            "password": "Rahasia-Dinkes-2025",
        },
    )
    assert response.status_code == 302
    assert Opd.objects.get(kode="DINKES").pemda == k.pemda
    assert User.objects.filter(username="perencana_dinkes").exists()
    # Bappeda lands where the new OPD is listed, told what the perencana needs.
    page = client.get(response.url, follow=True).content.decode()
    assert 'data-opd="DINKES"' in page
    assert "Sampaikan nama pengguna dan kata sandi awal kepada perencana" in page


def test_a_weak_password_on_the_page_says_why_and_saves_nothing(k, client):
    client.force_login(k.u.bappeda)
    response = client.post(
        reverse("pemda_opd_new"),
        {"kode": "DINKES", "nama": "Dinas Kesehatan", "username": "p_dinkes", "password": "1"},
    )
    assert response.status_code == 200
    assert "Kata sandi" in response.content.decode() or "kata sandi" in response.content.decode()
    assert not Opd.objects.filter(kode="DINKES").exists()


def test_the_perencana_proposes_and_bappeda_decides_on_the_pages(k, client):
    client.force_login(k.u.perencana)
    client.post(
        reverse("link_propose"),
        {"sasaran": k.x.sasaran.pk, "sasaran_rpjmd": k.rpjmd.sasaran.pk, "versi": 0},
    )
    link = TautanRpjmd.objects.get(sasaran=k.x.sasaran)
    assert link.status == StatusTautan.DIAJUKAN
    client.force_login(k.u.bappeda)
    client.post(
        reverse("pemda_link_decide", args=[link.pk]),
        {"keputusan": "tolak", "alasan": "", "versi": link.versi},
    )
    assert TautanRpjmd.objects.get(pk=link.pk).status == StatusTautan.DIAJUKAN
    client.post(
        reverse("pemda_link_decide", args=[link.pk]),
        {"keputusan": "terima", "versi": link.versi},
    )
    assert TautanRpjmd.objects.get(pk=link.pk).status == StatusTautan.DITERIMA


def test_the_tautan_page_keeps_an_accepted_link_and_its_ground_on_a_second_click(k, client):
    """Issue #20: one click on "Ajukan" turned an accepted link back to "diajukan"; the page
    now sends the link's ground (dasar) as shown, so the same link is refused, not reset."""
    from tests.html_forms import form_data

    client.force_login(k.u.perencana)
    client.post(
        reverse("link_propose"),
        {
            "sasaran": k.x.sasaran.pk,
            "sasaran_rpjmd": k.rpjmd.sasaran.pk,
            "versi": 0,
            "dasar": "RPJMD 2021–2026 hlm. 12, misi IV",
        },
    )
    link = TautanRpjmd.objects.get(sasaran=k.x.sasaran)
    assert link.dasar == "RPJMD 2021–2026 hlm. 12, misi IV"
    tautan_decide(user=k.u.bappeda, obj=link, terima=True, versi=link.versi)

    page = client.get(reverse("link_propose")).content.decode()
    assert 'value="RPJMD 2021–2026 hlm. 12, misi IV"' in page
    assert "Ajukan perubahan" in page
    row = page.split(f"<td>{k.x.sasaran.nama}</td>")[1].split("</tr>")[0]
    data = form_data(row)  # the row's form, as the browser submits it
    assert data["sasaran_rpjmd"] == str(k.rpjmd.sasaran.pk)  # the accepted one, preselected
    response = client.post(reverse("link_propose"), data, follow=True)

    assert "sudah diterima Bappeda" in response.content.decode()
    stored = TautanRpjmd.objects.get(pk=link.pk)
    assert (stored.status, stored.dasar) == (StatusTautan.DITERIMA, link.dasar)


def test_the_pohon_kinerja_runs_from_rpjmd_to_sub_kegiatan(k, client):
    from tests.factories import KegiatanFactory, SubKegiatanFactory

    kegiatan = KegiatanFactory(program=k.x.program, nama="Kegiatan PUG")
    SubKegiatanFactory(kegiatan=kegiatan, nama="Sub PUG")
    accept(k)
    (root,) = pohon_kinerja(k.pemda, 2024)
    assert root.nama == "Sasaran RPJMD KAB"
    (sasaran,) = root.children
    assert (sasaran.opd.kode, sasaran.nama, sasaran.status) == ("X", k.x.sasaran.nama, "Diterima")
    assert [r.result.capaian for r in sasaran.rows] == [Decimal(90)]
    (program,) = sasaran.children
    assert [c.nama for c in program.children] == ["Kegiatan PUG"]
    assert [s.nama for s in program.children[0].children] == ["Sub PUG"]
    client.force_login(k.u.kepala_daerah)
    page = client.get(reverse("pemda_pohon", args=[2024])).content.decode()
    assert "<details" in page and "Sub PUG" in page


def test_inspektorat_writes_a_review_note_on_the_opd_page(k, client):
    from reporting.models import CatatanReviu

    client.force_login(k.u.inspektorat)
    url = reverse("pemda_opd", args=[2024, "X"])
    client.post(url, {"teks": "Bukti dukung IKU belum lengkap."})
    (note,) = CatatanReviu.objects.all()
    assert (note.opd, note.penulis, note.teks) == (k.x.opd, k.u.inspektorat, note.teks)
    page = client.get(url).content.decode()
    assert "Bukti dukung IKU belum lengkap." in page


def test_bappeda_sees_notes_but_cannot_write_one(k, client):
    from reporting.models import CatatanReviu

    client.force_login(k.u.bappeda)
    url = reverse("pemda_opd", args=[2024, "X"])
    assert "Catatan reviu baru" not in client.get(url).content.decode()
    response = client.post(url, {"teks": "Tidak boleh"})
    assert response.status_code == 403
    assert "Hanya Inspektorat" in response.content.decode()
    assert not CatatanReviu.objects.exists()


def test_the_reminder_lists_who_has_not_reported_a_triwulan_and_mails_them(k):
    import io

    from django.core import mail
    from django.core.management import call_command

    from indicators.models import Periode

    k.u.kabid.email = "kabid@example.go.id"
    k.u.kabid.save()
    k.u.perencana_y.email = "perencana.y@example.go.id"
    k.u.perencana_y.save()
    # X reported the annual 2024 value already (world); Y too: remove Y's, report X's tw2 only.
    from indicators.models import Realisasi

    Realisasi.objects.filter(indikator=k.y.indikator, tahun=2024).delete()
    out = io.StringIO()
    call_command("belum_lapor", "KAB", "2024", "2", "--kirim", stdout=out)
    text = out.getvalue()
    assert "Y — " in text and "IKU Y" in text
    assert "IKU X" not in text  # its annual value answers every quarter
    assert "1 indikator di 1 bidang belum diisi (triwulan II 2024)" in text
    (message,) = mail.outbox
    assert message.to == ["perencana.y@example.go.id"]  # Y's bidang has no staff with e-mail
    assert "IKU Y" in message.body
    Realisasi.objects.create(indikator=k.y.indikator, tahun=2024, periode=Periode.TW2, nilai=1)
    out = io.StringIO()
    call_command("belum_lapor", "KAB", "2024", "2", stdout=out)
    assert "Semua OPD sudah mengisi realisasi triwulan II 2024" in out.getvalue()


@pytest.mark.cache
def test_the_cached_dashboard_costs_fewer_queries_and_a_write_shows_at_once(
    k, client, settings, django_assert_num_queries
):
    from django.core.cache import cache

    from indicators.models import Periode
    from indicators.services.realisasi import PeriodValue, realisasi_record

    settings.KINERJA_KABUPATEN_CACHE_SECONDS = 60
    cache.clear()
    client.force_login(k.u.bappeda)
    url = reverse("pemda_dashboard", args=[2024])
    client.get(url)  # fills the cache
    # Kept whole under the Pemda's version: the user and the versions (2, read with who is
    # asking), the Pemda (1).
    with django_assert_num_queries(3):
        page = client.get(url).content.decode()
    assert "90,00 %" in page
    realisasi_record(
        user=k.u.kabid,
        indikator=k.x.indikator,
        tahun=2024,
        values=[PeriodValue(Periode.TAHUNAN, Decimal(40), "", 1)],
    )
    page = client.get(url).content.decode()
    assert "80,00 %" in page  # 40 / 50, not the cached 90 %


def test_the_kabupaten_year_picker_is_the_labelled_one_of_every_page(client, k):
    """Issue #20: the /pemda/ year picker had no label."""
    from django.urls import reverse

    client.force_login(k.u.bappeda)
    html = client.get(reverse("pemda_dashboard", args=[2024])).content.decode()
    assert '<nav class="years" aria-label="Pilih tahun">Tahun:' in html
    assert '<strong aria-current="page">2024</strong>' in html
