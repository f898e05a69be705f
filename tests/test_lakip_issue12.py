"""Issue 12 on a small OPD: the aggregate range as a setting, signing place and date through
the service, live placeholders and contradictions in the narrative (report and editor), the
instant preview, DOCX in final versions and downloads, "periksa" on the entry page."""

import datetime
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from indicators.models import JenisTarget, PengaturanOpd, Skala
from renstra.models import Role
from renstra.services import YearLocked
from reporting.builder import build_lakip
from reporting.models import Bagian, LakipVersi, Narasi, PengaturanLaporan
from reporting.services import (
    lakip_download,
    lakip_finalize,
    lakip_generate,
    lakip_settings_save,
)
from tests.factories import (
    AnggaranFactory,
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    ProgramFactory,
    RealisasiFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small() -> SimpleNamespace:
    """Two IKU: one at 90 % (72 of 80), one far above its target (300 of 2 → 15.000 %)."""
    opd = OpdFactory(kode="KECIL", tempat="Paringin")
    periode = PeriodeFactory(opd=opd)
    bidang = BidangFactory(opd=opd)
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=periode), bidang=bidang)
    AnggaranFactory(program=ProgramFactory(sasaran=sasaran), tahun=2024)
    indeks = IndikatorFactory(sasaran=sasaran, nama="Indeks Contoh", satuan="indeks", urutan=1)
    TargetFactory(indikator=indeks, jenis=JenisTarget.PK, nilai=Decimal("80"))
    realisasi = RealisasiFactory(indikator=indeks, nilai=Decimal("72"))
    jumlah = IndikatorFactory(sasaran=sasaran, nama="Jumlah Laporan", satuan="Laporan", urutan=2)
    TargetFactory(indikator=jumlah, jenis=JenisTarget.PK, nilai=Decimal("2"))
    RealisasiFactory(indikator=jumlah, nilai=Decimal("300"))
    return SimpleNamespace(
        opd=opd,
        sasaran=sasaran,
        indeks=indeks,
        jumlah=jumlah,
        realisasi=realisasi,
        perencana=make_user("perencana_kecil", Role.PERENCANA, opd=opd),
        pimpinan=make_user("kadis_kecil", Role.PIMPINAN, opd=opd),
        kabid=make_user("kabid_kecil", Role.KABID, opd=opd, bidang=bidang),
    )


# --- the aggregate range is a per-OPD setting ----------------------------------------------


def test_the_headline_bounds_each_capaian_to_0_120_by_default(small):
    summary = build_lakip(small.opd, 2024).iku_summary

    assert summary.mean == Decimal("105")  # (90 + 120) / 2, not (90 + 15.000) / 2
    assert summary.bounds == (Decimal(0), Decimal(120))
    assert summary.n_bounded == 1


def test_an_opd_sets_its_own_range(small):
    PengaturanOpd.objects.create(
        opd=small.opd,
        skala=Skala.objects.get(bawaan=True),
        agregat_batas_bawah=Decimal("0"),
        agregat_batas_atas=Decimal("100"),
    )

    data = build_lakip(small.opd, 2024)

    assert data.iku_summary.mean == Decimal("95")
    assert "dibatasi 0–100 %" in data.aggregate_rule


def test_a_range_whose_low_is_not_below_its_high_is_refused(small):
    setting = PengaturanOpd(
        opd=small.opd,
        skala=Skala.objects.get(bawaan=True),
        agregat_batas_bawah=Decimal("120"),
        agregat_batas_atas=Decimal("0"),
    )

    with pytest.raises(ValidationError) as excinfo:
        setting.full_clean()
    assert "harus lebih kecil" in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        setting.save()
    assert not PengaturanOpd.objects.filter(opd=small.opd).exists()


# --- signing place and date ----------------------------------------------------------------


def test_the_perencana_sets_the_signing_place_and_date(small):
    lakip_settings_save(
        user=small.perencana,
        opd=small.opd,
        tahun=2024,
        tempat_ttd="  Paringin   Selatan ",
        tanggal_ttd=datetime.date(2025, 2, 14),
    )

    html = lakip_generate(small.opd, 2024, "html").decode()
    assert "Paringin Selatan, 14 Februari 2025" in html
    versi = lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024)
    assert (versi.tempat_ttd, versi.tanggal_ttd) == ("Paringin Selatan", datetime.date(2025, 2, 14))


def test_a_pimpinan_may_not_set_the_signing_date(small):
    with pytest.raises(PermissionDenied):
        lakip_settings_save(
            user=small.pimpinan, opd=small.opd, tahun=2024, tempat_ttd="X", tanggal_ttd=None
        )
    assert not PengaturanLaporan.objects.exists()


def test_the_signing_date_cannot_change_in_a_locked_year(small):
    lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024)

    with pytest.raises(YearLocked):
        lakip_settings_save(
            user=small.perencana,
            opd=small.opd,
            tahun=2024,
            tempat_ttd="Paringin",
            tanggal_ttd=datetime.date(2025, 3, 1),
        )
    assert not PengaturanLaporan.objects.exists()


def test_a_signing_date_before_the_report_year_is_refused(small):
    with pytest.raises(ValidationError) as excinfo:
        lakip_settings_save(
            user=small.perencana,
            opd=small.opd,
            tahun=2024,
            tempat_ttd="Paringin",
            tanggal_ttd=datetime.date(2023, 12, 31),
        )
    assert excinfo.value.messages == [
        "Tanggal penandatanganan LAKIP 2024 tidak boleh sebelum tahun 2024."
    ]
    assert not PengaturanLaporan.objects.exists()


def test_the_settings_form_goes_through_the_service(client, small):
    client.force_login(small.perencana)

    response = client.post(
        reverse("lakip_settings", args=[2024]),
        {"tempat_ttd": "Paringin", "tanggal_ttd": "2025-02-14"},
    )

    assert response.status_code == 302
    setting = PengaturanLaporan.objects.get(opd=small.opd, tahun=2024)
    assert setting.tanggal_ttd == datetime.date(2025, 2, 14)
    client.post(reverse("lakip_settings", args=[2024]), {"tanggal_ttd": "14/02/2025"})
    assert PengaturanLaporan.objects.get(pk=setting.pk).tanggal_ttd == datetime.date(2025, 2, 14)


def test_a_final_version_is_signed_on_the_day_it_is_finalised(small):
    versi = lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024)

    assert versi.tanggal_ttd == timezone.localdate()
    assert versi.tempat_ttd == "Paringin"


# --- narrative: live placeholders and contradictions ---------------------------------------


def test_placeholders_are_resolved_from_the_live_figures(small):
    Narasi.objects.create(
        opd=small.opd,
        tahun=2024,
        bagian=Bagian.PENUTUP,
        teks=(
            f"Capaian indeks {{capaian:{small.indeks.pk}}} ({{kategori:{small.indeks.pk}}}); "
            "rata-rata {capaian_iku}, {jumlah_iku}. Tanda {tidak_ada}."
        ),
    )
    before = build_lakip(small.opd, 2024)
    small.realisasi.__class__.objects.filter(pk=small.realisasi.pk).update(nilai=Decimal("76"))
    after = build_lakip(small.opd, 2024)

    assert before.narasi["penutup"].startswith(
        "Capaian indeks 90,00 % (Tinggi); rata-rata 105,00 %, 2 dari 2 indikator"
    )
    assert after.narasi["penutup"].startswith("Capaian indeks 95,00 % (Sangat Tinggi)")
    assert after.unknown_placeholders == ["{tidak_ada}"]


def test_the_prefilled_narrative_stores_placeholders_not_figures(small):
    from renstra.door import SystemActor
    from reporting.services import narasi_prefill

    narasi_prefill(user=SystemActor("uji"), opd=small.opd, tahun=2024)

    penutup = Narasi.objects.get(opd=small.opd, tahun=2024, bagian=Bagian.PENUTUP).teks
    assert "{capaian_iku}" in penutup
    assert "105" not in penutup
    analysis = Narasi.objects.get(opd=small.opd, bagian=Bagian.ANALISIS_SASARAN).teks
    assert f"{{capaian:{small.indeks.pk}}}" in analysis


def test_a_stated_capaian_the_data_contradict_is_listed(small):
    Narasi.objects.create(
        opd=small.opd,
        tahun=2024,
        bagian=Bagian.ANALISIS_SASARAN,
        sasaran=small.sasaran,
        teks="Indeks Contoh mencapai capaian 95 % dari targetnya.",
    )

    data = build_lakip(small.opd, 2024)

    assert [c.message for c in data.contradictions] == [
        "Indeks Contoh: narasi menyebut 95,00 %, hasil hitung 90,00 %"
    ]
    html = lakip_generate(small.opd, 2024, "html").decode()
    assert "Narasi yang bertentangan dengan hasil hitung" in html


def test_the_narrative_editor_lists_the_contradictions(client, small):
    narasi = Narasi.objects.create(
        opd=small.opd,
        tahun=2024,
        bagian=Bagian.PENUTUP,
        teks="Secara keseluruhan rata-rata capaian IKU -237,73 %.",
    )
    client.force_login(small.perencana)

    response = client.get(reverse("admin:reporting_narasi_change", args=[narasi.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Rata-rata capaian IKU: narasi menyebut -237,73 %, hasil hitung 105,00 %" in html
    assert "{capaian_iku}" in html  # the placeholders it may use


# --- preview, DOCX, periksa --------------------------------------------------------------


def test_the_preview_is_the_html_the_pdf_is_made_from(client, small):
    client.force_login(small.pimpinan)

    response = client.get(reverse("lakip_preview", args=[2024]))

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response.content == lakip_generate(small.opd, 2024, "html")


def test_the_lakip_page_embeds_the_preview_and_offers_docx(client, small):
    client.force_login(small.pimpinan)

    html = client.get(reverse("lakip", args=[2024])).content.decode()

    assert f'<iframe class="lakip-preview" src="{reverse("lakip_preview", args=[2024])}"' in html
    assert f'action="{reverse("lakip_file", args=[2024, "docx"])}"' in html


def test_a_final_version_serves_its_stored_docx(small):
    versi = lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024)

    download = lakip_download(user=small.pimpinan, opd=small.opd, tahun=2024, fmt="docx")

    assert download.content == bytes(LakipVersi.objects.get(pk=versi.pk).docx)
    assert download.sha256 == versi.sha256_docx
    assert download.filename == "LAKIP-KECIL-2024-v1.docx"


def test_a_version_finalised_before_docx_says_so(small):
    versi = lakip_finalize(user=small.perencana, opd=small.opd, tahun=2024)
    LakipVersi.objects.filter(pk=versi.pk).update(docx=b"", sha256_docx="")

    with pytest.raises(ValidationError) as excinfo:
        lakip_download(user=small.pimpinan, opd=small.opd, tahun=2024, fmt="docx")
    assert excinfo.value.messages == ["Versi 1 ditetapkan sebelum ada DOCX."]


def test_the_json_counts_print_as_whole_numbers_and_carry_periksa(small):
    iku = json.loads(lakip_generate(small.opd, 2024, "json"))["iku"]

    jumlah = next(i for i in iku if i["indikator"] == "Jumlah Laporan")
    assert (jumlah["target"], jumlah["realisasi"]) == (2, 300)
    assert jumlah["periksa"] == [
        "capaian 15.000,00 % di atas 150 %: periksa target, realisasi dan satuannya"
    ]


def test_the_entry_page_shows_periksa_beside_an_implausible_capaian(client, small):
    client.force_login(small.kabid)

    html = client.get(reverse("indicators:realisasi_list", args=[2024])).content.decode()

    assert "15.000,00 %" in html
    assert 'class="periksa" title="capaian 15.000,00 % di atas 150 %' in html
    assert '<td class="num" data-label="Realisasi">300</td>' in html  # a count, without ",00"
