"""Entry by components on the kabid's page: 85 and 153 desa give 55,56 % and the engine's
capaian; history per component old → new; a penyebut of 0 is refused with the reason."""

from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse

from indicators.formula_services import KomponenSpec, rumus_set
from indicators.models import JenisTarget, NilaiKomponen, Periode, Realisasi
from renstra.door import SystemActor
from renstra.models import Role
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
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def desa():
    opd = OpdFactory(kode="DP3")
    periode = PeriodeFactory(opd=opd)
    pmd = BidangFactory(opd=opd, kode="PMD")
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=periode), bidang=pmd)
    ind = IndikatorFactory(
        sasaran=sasaran, nama="Persentase Desa dengan Klasifikasi Desa Maju", satuan="%"
    )
    TargetFactory(indikator=ind, tahun=2024, jenis=JenisTarget.PK, nilai=Decimal(45))
    rumus = rumus_set(
        user=SystemActor("uji"),
        indikator=ind,
        operator="rasio",
        komponen=[
            KomponenSpec("jumlah desa maju", "pembilang", "desa", "IDM Kemendes"),
            KomponenSpec("jumlah desa", "penyebut", "desa", "Kode wilayah Kemendagri"),
        ],
        dikonfirmasi=True,
    )
    maju, semua = rumus.komponen_set.order_by("urutan")
    kabid = make_user("kabid_pmd", Role.KABID, opd=opd, bidang=pmd)
    return {"ind": ind, "maju": maju, "semua": semua, "kabid": kabid}


def url(ind):
    return reverse("indicators:realisasi_edit", args=[2024, ind.pk])


def submit(client, desa, maju, semua, **extra):
    page = client.get(url(desa["ind"])).content.decode()
    data = form_data(page)
    data[f"komponen-k{desa['maju'].pk}_tahunan"] = maju
    data[f"komponen-k{desa['semua'].pk}_tahunan"] = semua
    data.update(extra)
    return client.post(url(desa["ind"]), data)


def test_85_and_153_give_55_56_and_the_engines_capaian(client, desa):
    client.force_login(desa["kabid"])
    response = submit(client, desa, "84", "153")
    assert response.status_code == 302
    response = submit(client, desa, "85", "153", analisis="Dua desa naik status")
    assert response.status_code == 302
    annual = Realisasi.objects.get(indikator=desa["ind"], tahun=2024, periode=Periode.TAHUNAN)
    assert annual.nilai == Decimal("55.555556")
    assert annual.analisis == "Dua desa naik status"
    page = client.get(url(desa["ind"])).content.decode()
    assert "55,56 % = 85 / 153 × 100 (sumber: IDM Kemendes; Kode wilayah Kemendagri)" in page
    # 55,555556 / 45 × 100 = 123,46 (PK target 45 %).
    assert "123,46 %" in page
    assert "Sangat Tinggi" in page
    # History per component, old → new.
    assert "84 → 85" in page
    assert "– → 153" in page
    assert list(
        NilaiKomponen.objects.filter(komponen=desa["maju"]).values_list("nilai", flat=True)
    ) == [Decimal(85)]


def test_a_penyebut_of_0_is_refused_with_the_reason_and_nothing_is_saved(client, desa):
    client.force_login(desa["kabid"])
    response = submit(client, desa, "3", "0")
    assert response.status_code == 400
    assert "penyebut «jumlah desa» bernilai 0: realisasi tidak dapat dihitung" in (
        response.content.decode()
    )
    assert not NilaiKomponen.objects.exists()
    assert not Realisasi.objects.exists()


def test_the_page_has_no_direct_value_field_for_a_formula_indicator(client, desa):
    client.force_login(desa["kabid"])
    data = form_data(client.get(url(desa["ind"])).content.decode())
    assert "tahunan" not in data
    assert f"komponen-k{desa['maju'].pk}_tw1" in data


@pytest.mark.cache
def test_the_formula_page_costs_a_fixed_number_of_queries(client, desa, django_assert_num_queries):
    client.force_login(desa["kabid"])
    submit(client, desa, "84", "153")
    client.get(url(desa["ind"]))  # warm the session
    caches["pages"].clear()
    # Computed: user and versions (2; who is asking, kept in the session); the indicator's
    # OPD with its version (1); the indicator with its tree for the permission checks (1); the
    # indicator with tree, formula and lock joined (1); the indicator row: settings, scale,
    # bands, targets, realisasi (5); components (1); their values (1); realisasi history (1);
    # component history (1); definition context: every year's annual realisasi, the final
    # year's targets (2). An indicator without a formula costs the two component queries less.
    with django_assert_num_queries(16):
        client.get(url(desa["ind"]))
    # Kept for the OPD's version: the request's 2, the indicator's OPD with its version.
    with django_assert_num_queries(3):
        client.get(url(desa["ind"]))


def test_a_suggested_formula_keeps_direct_entry_until_confirmed(client, desa):
    desa["ind"].rumus.dikonfirmasi = False
    desa["ind"].rumus.save()
    client.force_login(desa["kabid"])
    data = form_data(client.get(url(desa["ind"])).content.decode())
    assert "tahunan" in data
    assert f"komponen-k{desa['maju'].pk}_tahunan" not in data


def test_the_page_gives_the_definition_previous_years_and_the_end_target(client, desa):
    from indicators.formula_services import KomponenValue, komponen_record

    ind = desa["ind"]
    ind.makna = "Desa berstatus maju menurut IDM."
    ind.sumber_data = "Bidang PMD"
    ind.penanggung_jawab = "Kepala Dinas"
    ind.save()
    TargetFactory(indikator=ind, tahun=2026, nilai=Decimal("44.16"))
    komponen_record(
        user=desa["kabid"],
        indikator=ind,
        tahun=2023,
        values=[
            KomponenValue(desa["maju"], Decimal(103), "IDM 2023"),
            KomponenValue(desa["semua"], Decimal(154), "IDM 2023"),
        ],
    )
    client.force_login(desa["kabid"])
    page = client.get(url(ind)).content.decode()
    konteks = page.split('id="konteks"')[1].split("</section>")[0]
    assert "Desa berstatus maju menurut IDM." in konteks
    assert "jumlah desa maju / jumlah desa × 100" in konteks
    assert "Bidang PMD" in konteks and "Kepala Dinas" in konteks
    assert "2023: 66,88" in konteks
    assert "Target akhir Renstra (2026)</dt><dd>44,16 %" in konteks


def test_a_components_evidence_is_linked_on_its_row_and_served_to_its_opd_only(client, desa):
    # Uploaded with the annual value, it could not be opened again by anyone.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import evidence_files

    client.force_login(desa["kabid"])
    bukti = SimpleUploadedFile("status-desa.pdf", evidence_files.pdf())
    extra = {f"komponen-k{desa['maju'].pk}_bukti": bukti}
    assert submit(client, desa, "85", "153", **extra).status_code == 302
    value = NilaiKomponen.objects.get(komponen=desa["maju"], periode=Periode.TAHUNAN)
    link = reverse("indicators:komponen_evidence", args=[value.pk])
    page = client.get(url(desa["ind"])).content.decode()
    assert f'<a href="{link}">status-desa.pdf<span class="visually-hidden">' in page
    assert page.count(link) == 1  # the penyebut has none
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(make_user("luar", Role.PIMPINAN, opd=OpdFactory()))
    assert client.get(link).status_code == 403
    client.force_login(desa["kabid"])
    semua = NilaiKomponen.objects.get(komponen=desa["semua"], periode=Periode.TAHUNAN)
    assert client.get(reverse("indicators:komponen_evidence", args=[semua.pk])).status_code == 404
