"""A locked (OPD, tahun) refuses every write path, including the indirect ones."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import JenisTarget, Realisasi, Target
from renstra.models import Anggaran, KunciTahun, Role
from renstra.services import year_lock, year_unlock
from reporting.models import Bagian, Narasi
from tests.factories import (
    AnggaranFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    ProgramFactory,
    SasaranFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    opd = OpdFactory(kode="X")
    periode = PeriodeFactory(opd=opd)
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=periode))
    indikator = IndikatorFactory(sasaran=sasaran)
    target = TargetFactory(indikator=indikator, tahun=2024, nilai=Decimal(50))
    program = ProgramFactory(sasaran=sasaran)
    budget = AnggaranFactory(program=program, tahun=2024)
    perencana = make_user("perencana", Role.PERENCANA, opd=opd)
    year_lock(user=perencana, opd=opd, tahun=2024, alasan="LAKIP final")
    return {
        "opd": opd,
        "indikator": indikator,
        "target": target,
        "program": program,
        "budget": budget,
        "perencana": perencana,
    }


def test_moving_a_target_out_of_a_locked_year_is_refused(client, world):
    client.force_login(world["perencana"])
    target = world["target"]
    response = client.post(
        reverse("admin:indicators_target_change", args=[target.pk]),
        {
            "indikator": target.indikator_id,
            "tahun": 2025,
            "jenis": JenisTarget.RENSTRA,
            "nilai": "99",
            "nilai_teks": "",
            "sumber": "",
            "door_versi": target.versi,
        },
    )
    assert response.status_code == 200
    assert "Tahun 2024 dikunci: LAKIP final" in response.content.decode()
    target.refresh_from_db()
    assert (target.tahun, target.nilai) == (2024, Decimal(50))


def test_moving_a_budget_out_of_a_locked_year_is_refused(world):
    from renstra.services import anggaran_save

    budget = world["budget"]
    budget.tahun = 2023
    with pytest.raises(ValidationError, match="Tahun 2024 dikunci"):
        anggaran_save(user=world["perencana"], obj=budget, versi=budget.versi)
    assert Anggaran.objects.get(pk=budget.pk).tahun == 2024


def test_deleting_an_indicator_with_targets_in_a_locked_year_is_refused(client, world):
    client.force_login(world["perencana"])
    response = client.post(
        reverse("admin:indicators_indikator_delete", args=[world["indikator"].pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Target.objects.filter(pk=world["target"].pk).exists()


def test_deleting_a_program_with_a_budget_in_a_locked_year_is_refused(client, world):
    client.force_login(world["perencana"])
    response = client.post(
        reverse("admin:renstra_program_delete", args=[world["program"].pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Anggaran.objects.filter(pk=world["budget"].pk).exists()


def test_narrative_of_a_locked_year_cannot_be_written(world):
    from reporting.services import narasi_save

    narasi = Narasi(opd=world["opd"], tahun=2024, bagian=Bagian.PENUTUP, teks="baru")
    with pytest.raises(ValidationError, match="Tahun 2024 dikunci"):
        narasi_save(user=world["perencana"], obj=narasi)
    assert not Narasi.objects.exists()


def test_unlocking_needs_a_reason_and_is_audited(world):
    with pytest.raises(ValidationError, match="Alasan membuka kunci wajib diisi"):
        year_unlock(user=world["perencana"], opd=world["opd"], tahun=2024, alasan=" ")
    year_unlock(user=world["perencana"], opd=world["opd"], tahun=2024, alasan="Koreksi data")
    assert not KunciTahun.objects.exists()
    deleted = KunciTahun.history.filter(history_type="-").get()
    assert deleted.history_user == world["perencana"]
    assert deleted.history_change_reason == "Dibuka: Koreksi data"


def test_a_kabid_cannot_lock_a_year(world):
    kabid = make_user("kabid", Role.KABID, opd=world["opd"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        year_lock(user=kabid, opd=world["opd"], tahun=2025, alasan="x")
    assert not KunciTahun.objects.filter(tahun=2025).exists()


def test_user_text_never_becomes_a_formula_in_the_lakip_workbook(world):
    from reporting.services import lakip_generate

    indikator = world["indikator"]
    indikator.nama = '=HYPERLINK("http://contoh.invalid","klik")'
    indikator.save()
    Realisasi.objects.create(indikator=indikator, tahun=2024, nilai=Decimal(40))
    workbook = load_workbook(io.BytesIO(lakip_generate(world["opd"], 2024, "xlsx")))
    cells = [cell for ws in workbook.worksheets for row in ws.iter_rows() for cell in row]
    values = [c.value for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert values
    # Every cell that holds the name itself is quoted; text that merely quotes it (the
    # narrative sheet: "Indikator =HYPERLINK(…) mencapai …") does not start with a formula
    # trigger; and no cell anywhere is a formula.
    assert any(v.startswith("'=") for v in values)
    assert all(v.startswith("'=") or not v.startswith(("=", "+", "-", "@")) for v in values)
    assert not any(c.data_type == "f" for c in cells)


def test_demo_users_are_refused_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="hanya untuk DEBUG"):
        call_command("demo_users")


def test_the_lock_form_offers_the_perencana_their_own_opd_already_chosen(client):
    """Issue #20: the Kunci tahun form made a perencana pick their only OPD from "---------"
    under "Opd:"."""
    from django.urls import reverse

    from renstra.models import KunciTahun, Role
    from tests.factories import OpdFactory, PeriodeFactory, make_user
    from tests.html_forms import form_data

    opd = OpdFactory(kode="KUNCI")
    PeriodeFactory(opd=opd)
    OpdFactory(kode="LAIN")
    client.force_login(make_user("perencana_kunci", Role.PERENCANA, opd=opd))
    html = client.get(reverse("admin:renstra_kuncitahun_add")).content.decode()
    assert "Perangkat daerah" in html and "---------" not in html
    assert "LAIN" not in html
    data = form_data(html, form_id="kuncitahun_form")
    assert data["opd"] == str(opd.pk)
    data.update({"tahun": "2024", "alasan": "LAKIP final"})
    assert client.post(reverse("admin:renstra_kuncitahun_add"), data).status_code == 302
    assert KunciTahun.objects.filter(opd=opd, tahun=2024).exists()
