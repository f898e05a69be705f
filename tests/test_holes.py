"""The seven holes found by trying the product as an attacker, a hurried kabid and a stale
spreadsheet would (issue #10), each tried again through the real path — the admin URL, the
kabid's form, the workbook upload — and each refused, with nothing saved."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Indikator, Periode, Realisasi, Target
from renstra.models import (
    Anggaran,
    AnggaranPk,
    Kegiatan,
    KunciTahun,
    PeriodeRenstra,
    Program,
    Role,
    Sasaran,
    SubKegiatan,
    Tujuan,
)
from renstra.services import year_lock
from reporting.models import Bagian, Narasi
from tests.factories import (
    AnggaranFactory,
    BidangFactory,
    IndikatorFactory,
    KegiatanFactory,
    OpdFactory,
    PeriodeFactory,
    ProgramFactory,
    RealisasiFactory,
    SasaranFactory,
    SubKegiatanFactory,
    TargetFactory,
    TujuanFactory,
    make_user,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _agency(kode: str):
    opd = OpdFactory(kode=kode)
    periode = PeriodeFactory(opd=opd)
    bidang = BidangFactory(opd=opd, kode="A")
    tujuan = TujuanFactory(periode=periode, bidang=bidang)
    sasaran = SasaranFactory(tujuan=tujuan)
    indikator = IndikatorFactory(sasaran=sasaran, nama=f"Indeks {kode}", satuan="indeks")
    target = TargetFactory(indikator=indikator, tahun=2024, nilai=Decimal("2.34"))
    TargetFactory(indikator=indikator, tahun=2023, nilai=Decimal("2.30"))
    realisasi = RealisasiFactory(
        indikator=indikator,
        tahun=2024,
        nilai=Decimal("2.31"),
        bukti=SimpleUploadedFile("bukti.pdf", PDF),
        bukti_nama="bukti.pdf",
    )
    program = ProgramFactory(sasaran=sasaran)
    kegiatan = KegiatanFactory(program=program)
    sub = SubKegiatanFactory(kegiatan=kegiatan)
    IndikatorFactory(sasaran=None, sub_kegiatan=sub, jenis="IK", nama=f"Peserta {kode}")
    anggaran = AnggaranFactory(program=program, tahun=2024)
    anggaran_pk = AnggaranPk.objects.create(sasaran=sasaran, tahun=2024, jumlah=Decimal(500))
    narasi = Narasi.objects.create(opd=opd, tahun=2024, bagian=Bagian.PENUTUP, teks=f"{kode}.")
    return {
        "opd": opd,
        "periode": periode,
        "bidang": bidang,
        "tujuan": tujuan,
        "indikator": indikator,
        "target": target,
        "realisasi": realisasi,
        "anggaran": anggaran,
        "anggaran_pk": anggaran_pk,
        "narasi": narasi,
    }


@pytest.fixture
def world():
    own, other = _agency("X"), _agency("Y")
    users = {
        "admin": make_user("admin", Role.ADMIN),
        "perencana": make_user("perencana", Role.PERENCANA, opd=own["opd"]),
        "kabid": make_user("kabid_a", Role.KABID, opd=own["opd"], bidang=own["bidang"]),
        "perencana_y": make_user("perencana_y", Role.PERENCANA, opd=other["opd"]),
    }
    year_lock(user=users["perencana_y"], opd=other["opd"], tahun=2024, alasan="LAKIP final")
    return own, other, users


def admin_url(obj, view: str, *args) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def everything():
    return {
        model.__name__: model._default_manager.count()
        for model in (
            PeriodeRenstra,
            Tujuan,
            Sasaran,
            Program,
            Kegiatan,
            SubKegiatan,
            Indikator,
            Target,
            Realisasi,
            Anggaran,
            AnggaranPk,
            Narasi,
        )
    }


# --- 1. history revert writes ------------------------------------------------------------------


def test_1_a_history_revert_post_is_refused_and_changes_nothing(client, world):
    own, _other, users = world
    realisasi = own["realisasi"]
    old = realisasi.history.earliest("history_date")
    realisasi.nilai = Decimal("2.50")
    realisasi.save()
    client.force_login(users["perencana"])
    url = admin_url(realisasi, "simple_history", old.history_id)
    response = client.post(url, {**form_data(client.get(url).content.decode()), "nilai": "9"})
    assert response.status_code == 403
    assert "Memulihkan dari riwayat tidak tersedia" in response.content.decode()
    realisasi.refresh_from_db()
    assert (realisasi.nilai, realisasi.versi) == (Decimal("2.50"), 1)


def test_1_a_revert_cannot_move_another_opds_rows_into_mine(client, world):
    own, other, users = world
    client.force_login(users["perencana"])
    for obj in (other["narasi"], other["indikator"], other["realisasi"]):
        record = obj.history.earliest("history_date")
        url = admin_url(obj, "simple_history", record.history_id)
        response = client.post(url, {"opd": own["opd"].pk, "sasaran": own["indikator"].sasaran_id})
        assert response.status_code == 403, obj
        assert client.get(url).status_code == 404, obj
    other["narasi"].refresh_from_db()
    other["indikator"].refresh_from_db()
    assert other["narasi"].opd == other["opd"]
    assert other["indikator"].periode == other["periode"]
    evidence = reverse("indicators:evidence", args=[other["realisasi"].pk])
    assert client.get(evidence).status_code == 403


def test_1_an_own_history_entry_is_readable_but_offers_no_revert(client, world):
    own, _other, users = world
    client.force_login(users["perencana"])
    record = own["target"].history.earliest("history_date")
    response = client.get(admin_url(own["target"], "simple_history", record.history_id))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


# --- 2. another OPD's history ------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["anggaran", "anggaran_pk", "indikator", "target", "realisasi", "narasi", "lock"]
)
def test_2_another_opds_history_is_not_found_and_own_is_shown(client, world, key):
    own, other, users = world
    year_lock(user=users["perencana"], opd=own["opd"], tahun=2025, alasan="uji")
    lock_of = {"X": own, "Y": other}
    objects = {
        name: (KunciTahun.objects.get(opd=side["opd"]) if key == "lock" else side[key])
        for name, side in lock_of.items()
    }
    client.force_login(users["perencana"])
    assert client.get(admin_url(objects["Y"], "history")).status_code == 404
    assert client.get(admin_url(objects["X"], "history")).status_code == 200


def test_2_a_deleted_row_of_another_opd_keeps_its_history_hidden(client, world):
    _own, other, users = world
    narasi = Narasi.objects.create(opd=other["opd"], tahun=2025, bagian=Bagian.IKHTISAR, teks="r")
    pk = narasi.pk
    narasi.delete()
    client.force_login(users["perencana"])
    assert client.get(reverse("admin:reporting_narasi_history", args=[pk])).status_code == 404


# --- 3. inline delete of locked years ----------------------------------------------------------


def _post_with_inline_delete(client, url: str, form_id: str, prefix: str):
    data = form_data(client.get(url).content.decode(), form_id)
    assert f"{prefix}-0-id" in data
    data[f"{prefix}-0-DELETE"] = "on"
    return client.post(url, data)


@pytest.mark.parametrize("who", ["perencana", "admin"])
def test_3_deleting_a_tujuan_inline_with_a_locked_year_beneath_removes_nothing(client, world, who):
    own, _other, users = world
    year_lock(user=users["perencana"], opd=own["opd"], tahun=2024, alasan="LAKIP final")
    before = everything()
    client.force_login(users[who])
    url = admin_url(own["periode"], "change")
    response = _post_with_inline_delete(client, url, "perioderenstra_form", "tujuan_set")
    assert response.status_code == 200
    assert "Penghapusan ditolak" in response.content.decode()
    assert everything() == before


def test_3_a_planner_cannot_take_realisasi_with_a_tujuan_even_in_an_open_year(client, world):
    own, _other, users = world
    before = everything()
    client.force_login(users["perencana"])
    url = admin_url(own["periode"], "change")
    response = _post_with_inline_delete(client, url, "perioderenstra_form", "tujuan_set")
    body = response.content.decode()
    assert response.status_code == 200
    assert "ikut terhapus 1 realisasi" in body and "tidak berhak menghapus realisasi" in body
    assert everything() == before


def test_3_deleting_a_period_inline_on_the_opd_page_removes_nothing(client, world):
    own, _other, users = world
    year_lock(user=users["perencana"], opd=own["opd"], tahun=2024, alasan="LAKIP final")
    before = everything()
    client.force_login(users["admin"])
    url = admin_url(own["opd"], "change")
    response = _post_with_inline_delete(client, url, "opd_form", "periode_set")
    assert response.status_code == 200
    assert "Tahun 2024 dikunci: LAKIP final" in response.content.decode()
    assert everything() == before


def test_3_bulk_delete_of_a_program_with_a_locked_budget_is_refused(client, world):
    own, _other, users = world
    year_lock(user=users["perencana"], opd=own["opd"], tahun=2024, alasan="LAKIP final")
    program = own["anggaran"].program
    client.force_login(users["admin"])
    response = client.post(
        reverse("admin:renstra_program_changelist"),
        {"action": "delete_selected", "_selected_action": [program.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Program.objects.filter(pk=program.pk).exists()
    assert Anggaran.objects.filter(pk=own["anggaran"].pk).exists()


# --- 4. a number SQLite cannot hold ------------------------------------------------------------


def _realisasi_form(client, ind, **values):
    url = reverse("indicators:realisasi_edit", args=[2024, ind.pk])
    data = form_data(client.get(url).content.decode())
    data.update(values)
    return client.post(url, data)


def test_4_a_value_beyond_what_the_column_holds_is_refused_at_the_field(client, world):
    own, _other, users = world
    client.force_login(users["kabid"])
    response = _realisasi_form(client, own["indikator"], tahunan="99999999999999,999999")
    assert response.status_code == 400
    assert "paling banyak 15 angka bermakna" in response.content.decode()
    own["realisasi"].refresh_from_db()
    assert own["realisasi"].nilai == Decimal("2.31")
    for url in (
        reverse("indicators:realisasi_list", args=[2024]),
        reverse("indicators:realisasi_edit", args=[2024, own["indikator"].pk]),
        reverse("dashboard", args=[2024]),
        reverse("intake:realisasi_template", args=[2024]),
    ):
        assert client.get(url).status_code == 200, url


def test_4_the_admin_refuses_it_too_naming_the_field(client, world):
    own, _other, users = world
    client.force_login(users["perencana"])
    url = admin_url(own["target"], "change")
    data = form_data(client.get(url).content.decode(), "target_form")
    data["nilai"] = "99999999999999,999999"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "paling banyak 15 angka bermakna" in response.content.decode()
    assert Target.objects.get(pk=own["target"].pk).nilai == Decimal("2.34")
    assert client.get(reverse("admin:indicators_target_changelist")).status_code == 200


# --- 5. text in a numeric indicator's workbook -------------------------------------------------


def _template(client) -> bytes:
    response = client.get(reverse("intake:realisasi_template", args=[2024]))
    assert response.status_code == 200
    return response.content


def _set_cell(data: bytes, indicator_name: str, column: str, value) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=headers.index("Indikator") + 1).value == indicator_name:
            sheet.cell(row=row, column=headers.index(column) + 1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client, data: bytes):
    url = reverse("intake:realisasi_spreadsheet", args=[2024])
    return client.post(url, {"berkas": SimpleUploadedFile("r.xlsx", data)})


def test_5_text_in_a_numeric_indicator_is_refused_in_the_workbook_as_in_the_form(client, world):
    own, _other, users = world
    client.force_login(users["kabid"])
    data = _set_cell(_template(client), own["indikator"].nama, "Tahunan", "abc")
    response = _upload(client, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "«abc» bukan angka; indikator ini diisi dengan angka" in body
    assert "Terapkan impor" not in body
    own["realisasi"].refresh_from_db()
    assert (own["realisasi"].nilai, own["realisasi"].nilai_teks) == (Decimal("2.31"), "")
    form = _realisasi_form(client, own["indikator"], tahunan="abc")
    assert form.status_code == 400 and "bukan angka yang valid" in form.content.decode()


# --- 6. an old workbook -----------------------------------------------------------------------


def test_6_an_old_workbook_cannot_undo_a_newer_value(client, world):
    own, _other, users = world
    client.force_login(users["kabid"])
    old = _template(client)
    assert _realisasi_form(client, own["indikator"], tahunan="2,40").status_code == 302
    response = _upload(client, old)
    body = response.content.decode()
    assert response.status_code == 400
    assert "sudah diubah oleh kabid_a menjadi 2,4" in body
    own["realisasi"].refresh_from_db()
    assert (own["realisasi"].nilai, own["realisasi"].versi) == (Decimal("2.40"), 2)


def test_6_the_preview_lists_each_change_old_to_new_and_skips_unchanged_rows(client, world):
    own, _other, users = world
    client.force_login(users["kabid"])
    data = _set_cell(_template(client), own["indikator"].nama, "Tahunan", "2,32")
    response = _upload(client, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hanya perubahan" in body
    assert "<td>Tahunan</td><td>2,31</td><td><strong>2,32</strong></td>" in body
    assert Realisasi.objects.get(pk=own["realisasi"].pk).nilai == Decimal("2.31")


def test_6_an_unchanged_old_workbook_writes_nothing(client, world):
    own, _other, users = world
    client.force_login(users["kabid"])
    response = _upload(client, _template(client))
    assert response.status_code == 200
    assert "Tidak ada nilai yang berubah" in response.content.decode()
    history = Realisasi.history.filter(id=own["realisasi"].pk).count()
    client.post(
        reverse("intake:realisasi_spreadsheet", args=[2024]),
        {"terapkan": "1", "sha": response.context["sha"]},
    )
    assert Realisasi.history.filter(id=own["realisasi"].pk).count() == history


# --- 7. "2,30" in the admin ---------------------------------------------------------------------


def test_7_the_admin_shows_and_reads_numbers_the_indonesian_way(client, world):
    own, _other, users = world
    client.force_login(users["perencana"])
    url = admin_url(own["target"], "change")
    html = client.get(url).content.decode()
    (nilai,) = re.findall(r'<input[^>]*name="nilai"[^>]*>', html)
    assert 'type="text"' in nilai and 'inputmode="decimal"' in nilai
    assert 'value="2,34"' in nilai
    data = form_data(html, "target_form")
    data["nilai"] = "2,30"
    assert client.post(url, data).status_code == 302
    assert Target.objects.get(pk=own["target"].pk).nilai == Decimal("2.30")


def test_7_a_hundredfold_jump_is_saved_only_after_confirmation(client, world):
    own, _other, users = world
    client.force_login(users["perencana"])
    url = admin_url(own["target"], "change")
    data = form_data(client.get(url).content.decode(), "target_form")
    data["nilai"] = "234"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "234 adalah ×100,00 dari 2,34" in response.content.decode()
    assert Target.objects.get(pk=own["target"].pk).nilai == Decimal("2.34")
    data["konfirmasi_lonjakan"] = "on"
    assert client.post(url, data).status_code == 302
    assert Target.objects.get(pk=own["target"].pk).nilai == Decimal("234")


def test_7_the_kabid_form_asks_for_confirmation_of_a_jump_too(client, world):
    own, _other, users = world
    client.force_login(users["kabid"])
    response = _realisasi_form(client, own["indikator"], tahunan="231")
    assert response.status_code == 400
    assert "231 adalah ×100,00 dari 2,31" in response.content.decode()
    assert Realisasi.objects.get(pk=own["realisasi"].pk).nilai == Decimal("2.31")
    response = _realisasi_form(client, own["indikator"], tahunan="231", konfirmasi_lonjakan="on")
    assert response.status_code == 302
    realisasi = Realisasi.objects.get(indikator=own["indikator"], periode=Periode.TAHUNAN)
    assert realisasi.nilai == Decimal("231")
