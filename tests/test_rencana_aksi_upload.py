"""The rencana aksi workbook uploaded back: the page's "Unduh Excel", edited, uploaded, a
preview of each changed quarter (old → new) and of the refused rows, then "Terapkan" through
``target_triwulan_set_many``: all or nothing, checked again, the previewed file only."""

import html
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import TargetTriwulan
from indicators.rencana_aksi import QuarterTarget, target_triwulan_set
from intake.rencana_aksi_views import SESSION_KEY
from renstra.door import SystemActor
from renstra.models import Role
from renstra.services import year_lock
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    SasaranFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    opd = OpdFactory(kode="DP3")
    periode = PeriodeFactory(opd=opd)
    kb = BidangFactory(opd=opd, kode="PPKB")
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=periode), bidang=kb)
    peserta = IndikatorFactory(
        sasaran=sasaran, nama="Jumlah peserta KB baru", satuan="orang", akumulasi="jumlah"
    )
    cakupan = IndikatorFactory(sasaran=sasaran, nama="Cakupan layanan KB", satuan="%")
    other = OpdFactory(kode="DINKES")
    PeriodeFactory(opd=other)
    return {
        "opd": opd,
        "peserta": peserta,
        "cakupan": cakupan,
        "perencana": make_user("perencana", Role.PERENCANA, opd=opd),
        "kabid": make_user("kabid_kb", Role.KABID, opd=opd, bidang=kb),
        "perencana_lain": make_user("perencana_dinkes", Role.PERENCANA, opd=other),
    }


PAGE = reverse("indicators:rencana_aksi", args=[2024])
UPLOAD = reverse("intake:rencana_aksi_upload", args=[2024])


def set_targets(ind, **values) -> None:
    """Quarterly targets stored by the service, as the page would (tw1="120", …)."""
    stored = {t.periode: t.versi for t in TargetTriwulan.objects.filter(indikator=ind, tahun=2024)}
    target_triwulan_set(
        user=SystemActor("uji"),
        indikator=ind,
        tahun=2024,
        values=[
            QuarterTarget(q, Decimal(v) if v is not None else None, stored.get(q, 0))
            for q, v in values.items()
        ],
    )


def stored(ind) -> dict[str, Decimal]:
    return dict(
        TargetTriwulan.objects.filter(indikator=ind, tahun=2024).values_list("periode", "nilai")
    )


def download(client) -> bytes:
    response = client.get(PAGE, {"format": "xlsx"})
    assert response.status_code == 200
    return response.content


def edit(data: bytes, changes: dict[tuple[str, str], object]) -> bytes:
    """The workbook with the Target cell of (indicator name, "Triwulan I") set as given."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    col = {h: i for i, h in enumerate(headers)}
    found = set()
    for row in sheet.iter_rows(min_row=2):
        key = (row[col["Indikator"]].value, row[col["Triwulan"]].value)
        if key in changes:
            row[col["Target"]].value = changes[key]
            found.add(key)
    assert found == set(changes)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "rencana-aksi-2024.xlsx"):
    return client.post(UPLOAD, {"berkas": SimpleUploadedFile(name, data)})


def apply(client, response):
    sha = re.search(r'name="sha" value="([0-9a-f]{64})"', response.content.decode())
    assert sha, "the preview offers no Terapkan"
    return client.post(UPLOAD, {"terapkan": "1", "sha": sha[1]})


def changes(response) -> list[tuple[str, str, str, str]]:
    """The preview's table: (indicator, triwulan, stored, new) as shown."""
    page = response.content.decode()
    if 'id="perubahan"' not in page:
        return []
    table = page.split('id="perubahan"')[1].split("</table>")[0]
    return [
        tuple(html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in cells[1:])
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)
        )
        if cells
    ]


def refusals(response) -> str:
    page = html.unescape(response.content.decode())
    return page.split('id="penolakan"')[1].split("</div>")[0] if 'id="penolakan"' in page else ""


# --- the round trip -------------------------------------------------------------------------


def test_round_trip_previews_exactly_the_edited_cells_then_applies_them(client, world):
    set_targets(world["peserta"], tw1="120", tw2="150")
    client.force_login(world["perencana"])
    page = client.get(PAGE).content.decode()
    assert 'id="rencana-aksi-unggah"' in page  # the upload is offered on the page itself
    data = edit(
        download(client),
        {
            ("Jumlah peserta KB baru", "Triwulan I"): 125,
            ("Cakupan layanan KB", "Triwulan III"): "12,5",
        },
    )

    preview = upload(client, data)

    assert preview.status_code == 200
    assert changes(preview) == [
        ("Jumlah peserta KB baru", "Triwulan I", "120", "125"),
        ("Cakupan layanan KB", "Triwulan III", "(kosong)", "12,5"),
    ]
    assert stored(world["peserta"]) == {"tw1": Decimal(120), "tw2": Decimal(150)}
    assert stored(world["cakupan"]) == {}

    response = apply(client, preview)

    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert stored(world["peserta"]) == {"tw1": Decimal(125), "tw2": Decimal(150)}
    assert stored(world["cakupan"]) == {"tw3": Decimal("12.5")}
    assert SESSION_KEY not in client.session
    page = client.get(PAGE).content.decode()
    assert "Target triwulan dari berkas tersimpan: 2 nilai pada 2 indikator." in page
    assert 'value="12,5"' in page


def test_an_unchanged_workbook_says_there_is_no_change_and_offers_no_apply(client, world):
    set_targets(world["peserta"], tw1="120", tw4="12.5")
    client.force_login(world["perencana"])

    response = upload(client, download(client))

    assert response.status_code == 200
    assert "Tidak ada perubahan" in response.content.decode()
    assert changes(response) == []
    assert 'name="terapkan"' not in response.content.decode()
    assert SESSION_KEY not in client.session


def test_an_emptied_cell_removes_that_quarters_target(client, world):
    set_targets(world["peserta"], tw1="120", tw2="150")
    client.force_login(world["perencana"])
    data = edit(download(client), {("Jumlah peserta KB baru", "Triwulan II"): None})

    preview = upload(client, data)

    assert changes(preview) == [("Jumlah peserta KB baru", "Triwulan II", "150", "(kosong)")]
    assert apply(client, preview).status_code == 302
    assert stored(world["peserta"]) == {"tw1": Decimal(120)}


def test_only_the_quarter_columns_are_read(client, world):
    """The download's other columns — name, unit, realisasi, capaian, and an annual target a
    planner may add — are ignored, wherever the columns stand."""
    client.force_login(world["perencana"])
    workbook = load_workbook(io.BytesIO(download(client)))
    sheet = workbook.worksheets[0]
    sheet.insert_cols(1)
    sheet.cell(1, 1).value = "Target tahunan"
    for r in range(2, sheet.max_row + 1):
        sheet.cell(r, 1).value = 999
        sheet.cell(r, 2).value = "nama diubah"  # the indicator name
        sheet.cell(r, 7).value = "bukan angka"  # Realisasi
    headers = [c.value for c in sheet[1]]
    sheet.cell(2, headers.index("Target") + 1).value = 7
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = upload(client, buffer.getvalue())

    assert preview.status_code == 200, refusals(preview)
    assert changes(preview) == [("Jumlah peserta KB baru", "Triwulan I", "(kosong)", "7")]


# --- refusals -------------------------------------------------------------------------------


def _zip_without_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bukan-excel.txt", "halo")
    return buffer.getvalue()


def _empty_workbook() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"Indikator;Target\nA;1\n", "bukan lembar kerja Excel"),
        (bytes(range(256)) * 40, "bukan lembar kerja Excel"),
        (b"PK\x03\x04" + bytes(range(256)) * 4, "tidak dapat dibaca sebagai lembar kerja Excel"),
        (_zip_without_a_workbook(), "tidak dapat dibaca sebagai lembar kerja Excel"),
        (_empty_workbook(), "tidak dapat dibaca sebagai lembar kerja Excel"),
    ],
    ids=["csv", "random", "broken-zip", "zip-without-workbook", "empty-workbook"],
)
def test_a_file_that_is_no_workbook_answers_400_with_the_reason(client, world, content, reason):
    client.force_login(world["perencana"])

    response = upload(client, content)

    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not TargetTriwulan.objects.exists()
    assert SESSION_KEY not in client.session


def test_a_workbook_without_the_quarter_columns_answers_400(client, world):
    client.force_login(world["perencana"])
    workbook = load_workbook(io.BytesIO(download(client)))
    workbook.worksheets[0].delete_cols(9, 2)  # ID Indikator and Versi
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(client, buffer.getvalue())

    assert response.status_code == 400
    assert "Kolom «ID Indikator», «Versi» tidak ditemukan" in html.unescape(
        response.content.decode()
    )


def test_a_cell_that_is_no_number_refuses_the_row_and_nothing_is_applied(client, world):
    client.force_login(world["perencana"])
    data = edit(
        download(client),
        {
            ("Jumlah peserta KB baru", "Triwulan I"): "12x",
            ("Cakupan layanan KB", "Triwulan II"): 40,
        },
    )

    preview = upload(client, data)

    assert preview.status_code == 400
    reasons = refusals(preview)
    assert "Baris 2 (Jumlah peserta KB baru, Triwulan I): «12x» bukan angka yang valid" in reasons
    assert 'name="terapkan"' not in preview.content.decode()
    assert SESSION_KEY not in client.session
    # Nothing kept to apply: a hand-made "Terapkan" is refused as well.
    response = client.post(UPLOAD, {"terapkan": "1", "sha": "0" * 64})
    assert response.status_code == 400
    assert not TargetTriwulan.objects.exists()


def test_unknown_indicators_quarters_versions_and_duplicates_are_refused_with_the_reason(
    client, world
):
    client.force_login(world["perencana"])
    workbook = load_workbook(io.BytesIO(download(client)))
    sheet = workbook.worksheets[0]
    # Rows 2–5: Jumlah peserta TW I–IV (the first indicator); an ID, a quarter and a version
    # spoiled, and TW IV appended a second time.
    sheet["I2"].value = "abc"
    sheet["D3"].value = "Triwulan V"
    sheet["J4"].value = "abc"
    sheet.append(list(next(sheet.iter_rows(min_row=5, max_row=5, values_only=True))))
    sheet.cell(sheet.max_row, 5).value = 3
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = upload(client, buffer.getvalue())

    assert preview.status_code == 400
    reasons = refusals(preview)
    assert "Baris 2: ID Indikator «abc» tidak dikenal" in reasons
    assert "Triwulan «Triwulan V» tidak dikenal" in reasons
    assert "kolom Versi kosong atau diubah" in reasons
    assert "tercantum dua kali (juga baris 5)" in reasons
    assert not TargetTriwulan.objects.exists()


def test_a_locked_year_is_refused_at_the_preview_and_at_the_apply(client, world):
    client.force_login(world["perencana"])
    data = edit(download(client), {("Jumlah peserta KB baru", "Triwulan I"): 5})
    preview = upload(client, data)
    assert preview.status_code == 200
    # Locked between the preview and "Terapkan": the apply checks again.
    year_lock(user=SystemActor("uji"), opd=world["opd"], tahun=2024, alasan="LAKIP final")

    response = apply(client, preview)

    assert response.status_code == 400
    assert "Tahun 2024 dikunci: LAKIP final" in refusals(response)
    assert not TargetTriwulan.objects.exists()
    # And a new upload is refused at its preview.
    again = upload(client, data)
    assert again.status_code == 400
    assert "Jumlah peserta KB baru: Tahun 2024 dikunci: LAKIP final" in refusals(again)
    assert not TargetTriwulan.objects.exists()


def test_a_kabid_cannot_upload(client, world):
    client.force_login(world["perencana"])
    data = edit(download(client), {("Jumlah peserta KB baru", "Triwulan I"): 5})
    client.force_login(world["kabid"])

    assert client.get(UPLOAD).status_code == 403
    assert upload(client, data).status_code == 403
    assert client.post(UPLOAD, {"terapkan": "1", "sha": "0" * 64}).status_code == 403
    assert not TargetTriwulan.objects.exists()


def test_another_opds_planner_cannot_set_these_targets(client, world):
    client.force_login(world["perencana"])
    data = edit(download(client), {("Jumlah peserta KB baru", "Triwulan I"): 5})
    client.force_login(world["perencana_lain"])

    preview = upload(client, data)

    assert preview.status_code == 400
    assert f"ID Indikator «{world['peserta'].pk}» tidak dikenal" in refusals(preview)
    assert 'name="terapkan"' not in preview.content.decode()
    assert not TargetTriwulan.objects.exists()


def test_a_value_changed_since_the_download_is_refused_not_overwritten(client, world):
    set_targets(world["peserta"], tw1="120")
    client.force_login(world["perencana"])
    data = edit(download(client), {("Jumlah peserta KB baru", "Triwulan I"): 125})
    set_targets(world["peserta"], tw1="130")  # someone else, after the download

    preview = upload(client, data)

    assert preview.status_code == 400
    assert "Data ini telah diubah sejak formulir dibuka" in refusals(preview)
    assert "Triwulan I: 130" in refusals(preview)
    assert stored(world["peserta"]) == {"tw1": Decimal(130)}


# --- the preview's token ----------------------------------------------------------------------


def test_a_tampered_or_spent_preview_token_is_refused(client, world):
    client.force_login(world["perencana"])
    data = edit(download(client), {("Jumlah peserta KB baru", "Triwulan I"): 5})
    preview = upload(client, data)

    tampered = client.post(UPLOAD, {"terapkan": "1", "sha": "f" * 64})
    assert tampered.status_code == 400
    assert "Pratinjau sudah kedaluwarsa" in refusals(tampered)
    assert not TargetTriwulan.objects.exists()
    # The refused attempt spent the preview: its own token no longer applies either.
    spent = apply(client, preview)
    assert spent.status_code == 400
    assert "Pratinjau sudah kedaluwarsa" in refusals(spent)
    assert not TargetTriwulan.objects.exists()
    # A token that is no digest at all is a bad request, said as such.
    for sha in ("abc", "", "²" * 64, "F" * 64):
        response = client.post(UPLOAD, {"terapkan": "1", "sha": sha})
        assert response.status_code == 400
    # Once applied, the same token cannot apply again.
    preview = upload(client, data)
    assert apply(client, preview).status_code == 302
    assert apply(client, preview).status_code == 400
    assert stored(world["peserta"]) == {"tw1": Decimal(5)}


def test_an_expired_session_refuses_the_apply(client, world):
    client.force_login(world["perencana"])
    data = edit(download(client), {("Jumlah peserta KB baru", "Triwulan I"): 5})
    preview = upload(client, data)
    session = client.session
    del session[SESSION_KEY]
    session.save()

    response = apply(client, preview)

    assert response.status_code == 400
    assert not TargetTriwulan.objects.exists()


def test_data_changed_since_the_preview_refuses_the_apply(client, world):
    client.force_login(world["perencana"])
    data = edit(download(client), {("Jumlah peserta KB baru", "Triwulan I"): 5})
    preview = upload(client, data)
    set_targets(world["peserta"], tw1="5")  # someone set the same value meanwhile
    versi = TargetTriwulan.objects.get(indikator=world["peserta"]).versi

    response = apply(client, preview)

    assert response.status_code == 400
    assert "telah berubah sejak pratinjau" in refusals(response)
    assert stored(world["peserta"]) == {"tw1": Decimal(5)}
    assert TargetTriwulan.objects.get(indikator=world["peserta"]).versi == versi


# --- cost -------------------------------------------------------------------------------------


def test_the_preview_and_the_apply_cost_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    set_targets(world["peserta"], tw1="120")
    client.force_login(world["perencana"])
    data = edit(
        download(client),
        {
            ("Jumlah peserta KB baru", "Triwulan I"): 125,
            ("Cakupan layanan KB", "Triwulan II"): 7,
        },
    )
    # user and versions (2; who is asking, kept in the session); the year lock for the page's
    # notice (1); the user's quarterly indicators with their tree (1); the stored quarterly
    # targets (1); the service's dry run: a savepoint around it all (1), per changed
    # indicator a savepoint, the year lock, its targets read for update, the write, its
    # history, the release (6 × 2), then the rollback and release (2); the session keeping
    # the file: savepoint, update, release (3). The OPD's version rises after a commit only.
    with django_assert_num_queries(23):
        preview = upload(client, data)
    assert preview.status_code == 200
    # The same reads (2 + 1 + 1 + 1 + 1), then target_triwulan_set_many for real: its
    # savepoint (1), the same 6 per indicator (6 × 2), its release (1); the session, the
    # preview spent (3). No dry run: a refusal of the service writes nothing by itself.
    with django_assert_num_queries(22):
        response = apply(client, preview)
    assert response.status_code == 302
