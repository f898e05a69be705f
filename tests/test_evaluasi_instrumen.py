"""The LKE instrument as data (issue 23, part 1): the Inspektorat imports a later official
workbook as a new instrument version — every problem named with its row, a preview of what
changes against the instrument in force, then stored whole through ``instrumen_impor``; an
evaluation keeps the version it was opened with."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from evaluasi import defaults
from evaluasi.instrumen_services import instrumen_impor
from evaluasi.models import Evaluasi, Instrumen, Kriteria
from evaluasi.reader import instrument_of, scores_of
from evaluasi.services import evaluasi_open, instrument_for, jawaban_import
from evaluasi.workbook import CARRIED, FROM_FILE, InvalidWorkbook, Parsed, diff, parse_workbook
from renstra.permissions import SystemActor
from tests.kabupaten_world import kabupaten
from tests.services.test_evaluasi_service import all_answers

pytestmark = pytest.mark.django_db

REWORDED = "Terdapat pedoman teknis perencanaan kinerja yang ditetapkan kepala daerah"


def tsv_rows() -> list[list[object]]:
    """The default instrument's TSV as sheet rows, weights as numbers (as Excel holds them)."""
    lines = [ln.split("\t") for ln in defaults.TSV.read_text(encoding="utf-8").splitlines()]
    header, rows = lines[0], [ln for ln in lines[1:] if ln != [""]]
    return [header] + [
        [Decimal(v) if i in (2, 4) else v for i, v in enumerate(row)] for row in rows
    ]


def later_rows() -> list[list[object]]:
    """The 'later official workbook': 1.a weighs 5 and 1.b 10 (komponen 1 still 30), and
    1.a.1 is reworded."""
    rows = tsv_rows()
    for row in rows[1:]:
        if str(row[0]).startswith("1.a."):
            row[4] = 5
        if str(row[0]).startswith("1.b."):
            row[4] = 10
        if row[0] == "1.a.1":
            row[5] = REWORDED
    return rows


def book(rows: list[list[object]], **extra: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "LKE"
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for title, extra_rows in extra.items():
        other = workbook.create_sheet(title)
        for row in extra_rows:
            other.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def current():
    return instrument_of(instrument_for(2024))


def refusals(data: bytes, current) -> list[str]:
    with pytest.raises(InvalidWorkbook) as caught:
        parse_workbook(data, current)
    return caught.value.errors


# --- the parser ---------------------------------------------------------------------------


def test_the_default_tsv_as_a_workbook_reads_back_unchanged(current):
    parsed = parse_workbook(book(tsv_rows()), current)
    assert len(parsed.instrument.criteria) == 80 and len(parsed.instrument.subs) == 12
    assert diff(current, parsed.instrument) == []
    assert parsed.sources == dict.fromkeys(("skala", "predikat", "logika", "ambang"), CARRIED)
    assert parsed.rows["1.a.1"] == 2 and parsed.rows["4.c.5"] == 81


def test_a_sub_weight_that_does_not_add_up_is_refused_with_its_row(current):
    rows = tsv_rows()
    for row in rows[1:]:
        if str(row[0]).startswith("1.a."):
            row[4] = 7
    assert refusals(book(rows), current) == [
        "Baris 2: bobot sub-komponen 1 berjumlah 31, harus 30 (bobot komponen 1): "
        "1.a = 7, 1.b = 9, 1.c = 15."
    ]


def test_komponen_weights_must_add_up_to_100(current):
    rows = [r for r in tsv_rows() if not str(r[0]).startswith("4.")]
    errors = refusals(book(rows), current)
    assert errors[0] == (
        "Bobot komponen berjumlah 75, harus 100: 1 = 30 (baris 2); 2 = 30 (baris 27); "
        "3 = 15 (baris 47)."
    )
    # The carried logic check on 4.a.2 names a criterion the new instrument lacks.
    assert errors[1].startswith("Uji logika yang dibawa dari instrumen berlaku «SALAH, evaluasi")
    assert errors[1].endswith("4.a.2, 4.b.*, 4.c.*; tambahkan lembar «logika».")


def test_each_row_problem_is_named_with_its_row(current):
    rows = tsv_rows()
    rows[3][0] = "1.a.1"  # a duplicate of row 2
    rows[4][0] = "1-a-4"  # malformed
    rows[5][6] = "1-5"  # an unknown scale
    rows[6][4] = "enam"  # not a number
    rows[7][5] = ""  # no wording
    assert refusals(book(rows), current) == [
        "Baris 5: kode «1-a-4» tidak sah (contoh 1.a.1, atau 1 / a / 1 bertingkat dengan "
        "skala pada baris kriteria).",
        "Baris 7: bobot sub-komponen: «enam» bukan angka yang valid. Contoh: 74,04 atau 1.234,5.",
        "Baris 8: uraian kriteria 1.a.7 kosong.",
        "Baris 4: kode 1.a.1 sudah dipakai pada baris 2.",
    ]


def test_an_unknown_scale_is_refused_with_its_row(current):
    rows = tsv_rows()
    rows[5][6] = "1-5"
    assert refusals(book(rows), current) == ["Baris 6: skala «1-5» tidak dikenal (A-E, Y/T)."]


def test_formula_text_is_neutralised_and_a_title_row_skipped(current):
    rows = tsv_rows()
    rows[1][5] = "@SUM(1+1) Terdapat pedoman"
    parsed = parse_workbook(book([["LKE AKIP 2026"], [], *rows]), current)
    assert parsed.instrument.criterion("1.a.1").uraian == "'@SUM(1+1) Terdapat pedoman"
    assert parsed.rows["1.a.1"] == 4
    # A formula cell is read as its value; one saved without a value is an empty cell.
    rows[1][5] = '=HYPERLINK("http://x","klik")'
    assert refusals(book(rows), current) == ["Baris 2: uraian kriteria 1.a.1 kosong."]


def test_a_sheet_without_the_columns_or_not_a_workbook_is_refused(current):
    assert refusals(book([["nomor urut", "uraian"], ["1", "x"]]), current) == [
        "Lembar «LKE»: baris judul dengan kolom kode, skala tidak ditemukan pada 10 baris pertama."
    ]
    assert refusals(b"PK\x03\x04 bukan zip", current) == [
        "Berkas bukan buku kerja Excel (.xlsx) yang dapat dibaca."
    ]


def test_the_official_layout_komponen_sub_and_numbered_criteria(current):
    """The official workbook's listing: a komponen row, its sub-komponen rows and the criteria
    numbered within each, names in the Uraian column, one Bobot column."""
    rows: list[list[object]] = [["No", "Uraian", "Bobot", "Skala"]]
    last_k = last_s = ""
    for kode, komponen, bk, sub, bs, kriteria, skala in tsv_rows()[1:]:
        k, s, n = str(kode).split(".")
        if k != last_k:
            rows.append([k, komponen, bk, None])
        if f"{k}.{s}" != last_s:
            rows.append([s, sub, bs, None])
        rows.append([n, kriteria, None, skala])
        last_k, last_s = k, f"{k}.{s}"
    parsed = parse_workbook(book(rows), current)
    assert diff(current, parsed.instrument) == []
    assert parsed.rows["1"] == 2 and parsed.rows["1.a"] == 3 and parsed.rows["1.a.1"] == 4


def test_optional_sheets_replace_the_carried_parts(current):
    skala = [["Skala", "Jawaban", "Nilai"], ["Y/T", "Y", 1], ["Y/T", "T", 0]]
    skala += [["A-E", a, v] for a, v in (("A", 1), ("B", 0.66), ("C", 0.33), ("D", 0), ("E", 0))]
    predikat = [["Predikat", "Sebutan", "Di atas"], ["A", "Baik", 50], ["D", "Kurang", 0]]
    parsed = parse_workbook(book(tsv_rows(), skala=skala, predikat=predikat), current)
    assert parsed.sources["skala"] == FROM_FILE and parsed.sources["logika"] == CARRIED
    assert parsed.instrument.scales["A-E"]["B"] == Decimal("0.66")
    changes = {(c.bagian, c.kode, c.jenis) for c in diff(current, parsed.instrument)}
    assert ("Skala", "A-E", "diubah") in changes and ("Predikat", "AA", "dihapus") in changes
    bad = [["Skala", "Jawaban", "Nilai"], ["Y/T", "Y", 2]]
    assert "Lembar «skala» baris 2: nilai 2 di luar 0–1." in refusals(
        book(tsv_rows(), skala=bad), current
    )


def test_the_preview_diff_names_the_weights_and_the_rewording(current):
    parsed = parse_workbook(book(later_rows()), current)
    assert [
        (c.bagian, c.kode, c.jenis, c.lama, c.baru) for c in diff(current, parsed.instrument)
    ] == [
        ("Bobot sub-komponen", "1.a", "diubah", "6", "5"),
        ("Bobot sub-komponen", "1.b", "diubah", "9", "10"),
        (
            "Kriteria",
            "1.a.1",
            "diubah",
            "Terdapat pedoman teknis perencanaan kinerja",
            REWORDED,
        ),
    ]


# --- the service --------------------------------------------------------------------------


@pytest.fixture
def k(db):
    return kabupaten()


def later(current) -> Parsed:
    return parse_workbook(book(later_rows()), current)


def test_the_inspektorat_stores_a_new_version_whole(k, current):
    row = instrumen_impor(
        user=k.u.inspektorat,
        parsed=later(current),
        kode="permenpanrb-xx-2024",
        nama="LKE AKIP 2024",
        tahun_mulai=2024,
    )
    assert row.kode == "PERMENPANRB-XX-2024" and row.ambang == {
        "A": "90",
        "B": "75",
        "C": "50",
        "D": "25",
    }
    stored = instrument_of(row)
    assert len(stored.criteria) == 80 and len(stored.rules) == 6
    assert stored.criterion("1.a.1").uraian == REWORDED
    assert {s.kode: s.bobot for s in stored.subs}["1.a"] == Decimal(5)
    assert instrument_for(2024) == row and instrument_for(2023).kode == "PERMENPANRB-88-2021"


def _refused(k, current, exc=ValidationError, **changes):
    fields = {
        "user": k.u.inspektorat,
        "parsed": later(current),
        "kode": "LKE-2024",
        "nama": "LKE 2024",
        "tahun_mulai": 2024,
        **changes,
    }
    before = (Instrumen.objects.count(), Kriteria.objects.count())
    with pytest.raises(exc) as caught:
        instrumen_impor(**fields)
    assert (Instrumen.objects.count(), Kriteria.objects.count()) == before
    return caught.value


def test_only_the_inspektorat_or_admin_imports(k, current):
    for user in (k.u.perencana, k.u.bappeda, k.u.kepala_daerah, k.u.pimpinan):
        assert "Hanya Inspektorat" in str(_refused(k, current, PermissionDenied, user=user))
    assert instrumen_impor(
        user=k.u.admin, parsed=later(current), kode="LKE-A", nama="x", tahun_mulai=2024
    )


def test_kode_unique_and_well_formed_nama_and_year_bounded(k, current):
    assert _refused(k, current, kode="permenpanrb-88-2021").message_dict == {
        "kode": ["Kode instrumen PERMENPANRB-88-2021 sudah dipakai."]
    }
    assert "kode" in _refused(k, current, kode="LKE 2024!").message_dict
    assert "nama" in _refused(k, current, nama="  ").message_dict
    assert _refused(k, current, tahun_mulai=2101).message_dict == {
        "tahun_mulai": ["Tahun mulai 2000–2100."]
    }


def test_the_start_year_is_not_before_the_instrument_in_force(k, current):
    assert (
        _refused(k, current, tahun_mulai=2020)
        .message_dict["tahun_mulai"][0]
        .startswith(
            "Tahun mulai 2020 sebelum instrumen yang berlaku (LKE AKIP PermenPANRB 88/2021, mulai"
        )
    )


def test_invalid_data_is_refused_by_the_service_too(k, current):
    """A caller that skips the parser's checks (hand-built data) meets them in the service."""
    parsed = later(current)
    broken = Parsed(
        parsed.instrument.__class__(
            components=parsed.instrument.components,
            subs=parsed.instrument.subs[1:],
            criteria=tuple(c for c in parsed.instrument.criteria if c.sub != "1.a"),
            scales=parsed.instrument.scales,
            bands=parsed.instrument.bands,
            rules=(),
        ),
        parsed.rows,
        parsed.sources,
    )
    assert _refused(k, current, parsed=broken).messages == [
        "Baris 2: bobot sub-komponen 1 berjumlah 25, harus 30 (bobot komponen 1): "
        "1.b = 10, 1.c = 15."
    ]


def test_a_dry_run_checks_and_stores_nothing(k, current):
    assert (
        instrumen_impor(
            user=k.u.inspektorat,
            parsed=later(current),
            kode="LKE-2024",
            nama="LKE 2024",
            tahun_mulai=2024,
            dry_run=True,
        )
        is None
    )
    assert Instrumen.objects.count() == 1


def test_evaluations_keep_the_version_they_were_opened_with(k, current):
    before = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    jawaban_import(
        user=k.u.inspektorat, evaluasi=before, rows=all_answers(before.instrumen, "Y", "B")
    )
    nilai = scores_of(before).penetapan.total
    row = instrumen_impor(
        user=k.u.inspektorat, parsed=later(current), kode="LKE-2024", nama="LKE", tahun_mulai=2024
    )
    before.refresh_from_db()
    assert before.instrumen.kode == "PERMENPANRB-88-2021"
    assert scores_of(before).penetapan.total == nilai
    after = evaluasi_open(user=k.u.perencana_y, opd=k.y.opd, tahun=2024)
    assert after.instrumen == row
    older_year = evaluasi_open(user=k.u.perencana_y, opd=k.y.opd, tahun=2023)
    assert older_year.instrumen.kode == "PERMENPANRB-88-2021"


# --- the command --------------------------------------------------------------------------


def test_the_command_previews_and_stores(tmp_path: Path, current):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(book(later_rows()))
    out = io.StringIO()
    args = [str(path), "--kode", "LKE-2025", "--nama", "LKE 2025", "--tahun-mulai", "2025"]
    call_command("lke_instrumen", *args, "--dry-run", stdout=out)
    assert "Bobot sub-komponen 1.a diubah: 6 → 5" in out.getvalue()
    assert "3 perubahan, 80 kriteria." in out.getvalue() and Instrumen.objects.count() == 1
    call_command("lke_instrumen", *args, stdout=out)
    assert instrument_for(2025).kode == "LKE-2025"
    bad = tmp_path / "bad.xlsx"
    rows = tsv_rows()
    rows[2][4] = 7
    bad.write_bytes(book(rows))
    with pytest.raises(CommandError, match=r"Baris 3: bobot sub-komponen 1\.a = 7, berbeda"):
        call_command(
            "lke_instrumen", str(bad), "--kode", "X-2026", "--nama", "X", "--tahun-mulai", "2026"
        )


# --- the pages ----------------------------------------------------------------------------

LIST = "/evaluasi/instrumen/"
IMPOR = "/evaluasi/instrumen/impor/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, data: bytes, **fields):
    payload = {"kode": "LKE-2025", "nama": "LKE AKIP 2025", "tahun_mulai": "2025", **fields}
    payload["berkas"] = io.BytesIO(data)
    payload["berkas"].name = "lke.xlsx"
    return client.post(IMPOR, payload)


def test_the_urls_are_the_named_ones():
    assert reverse("evaluasi:instrumen") == LIST and reverse("evaluasi:instrumen_impor") == IMPOR


def test_pages_are_the_inspektorats(k):
    assert Client().get(LIST).status_code == 302  # to the login
    for user in (k.u.perencana, k.u.bappeda, k.u.kepala_daerah, k.u.kabid):
        client = client_for(user)
        assert client.get(LIST).status_code == 403
        assert client.get(IMPOR).status_code == 403
        assert upload(client, book(later_rows())).status_code == 403
    assert client_for(k.u.admin).get(LIST).status_code == 200
    index = client_for(k.u.inspektorat).get("/evaluasi/2024/").content.decode()
    assert 'id="tautan-instrumen"' in index
    assert (
        'id="tautan-instrumen"'
        not in client_for(k.u.bappeda).get("/evaluasi/2024/").content.decode()
    )


def test_the_list_shows_versions_at_constant_queries(k, django_assert_num_queries):
    client = client_for(k.u.inspektorat)
    evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    current = instrument_of(instrument_for(2024))
    instrumen_impor(user=k.u.admin, parsed=later(current), kode="LKE-B", nama="B", tahun_mulai=2030)
    client.get(LIST)
    # user and data versions (who is asking, kept in the session), the instrument versions
    # with their counts, the evaluations per version: 4 whatever the versions
    with django_assert_num_queries(4):
        page = client.get(LIST).content.decode()
    assert "LKE AKIP PermenPANRB 88/2021" in page and ">2021<" in page
    assert (
        ">80<" in page
        and ">12<" in page
        and "A&nbsp;≥&nbsp;90&nbsp;%; B&nbsp;≥&nbsp;75&nbsp;%; C&nbsp;≥&nbsp;50&nbsp;%" in page
    )
    assert 'data-label="Evaluasi" class="num">1<' in page


def test_upload_preview_then_apply(k):
    client = client_for(k.u.inspektorat)
    response = upload(client, book(later_rows()))
    page = response.content.decode()
    assert response.status_code == 200 and "Pratinjau (belum disimpan)" in page
    assert "3 perubahan" in page and REWORDED in page
    assert "Bobot sub-komponen" in page and "dibawa dari instrumen yang berlaku" in page
    assert Instrumen.objects.count() == 1  # nothing saved by the preview
    sha = page.split('name="sha" value="')[1].split('"')[0]
    response = client.post(IMPOR, {"terapkan": "1", "sha": sha})
    assert response.status_code == 302 and response["Location"] == LIST
    assert instrument_for(2025).kode == "LKE-2025"
    assert Kriteria.objects.filter(sub__komponen__instrumen__kode="LKE-2025").count() == 80
    # The preview is single use.
    assert client.post(IMPOR, {"terapkan": "1", "sha": sha}).status_code == 400
    assert Instrumen.objects.count() == 2


def test_bad_input_answers_400_and_saves_nothing(k):
    client = client_for(k.u.inspektorat)
    assert client.post(IMPOR, {"kode": "X"}).status_code == 400
    assert upload(client, b"bukan excel").status_code == 400
    rows = later_rows()
    rows[2][4] = 7
    response = upload(client, book(rows))
    assert response.status_code == 400
    assert "Baris 3: bobot sub-komponen 1.a = 7, berbeda dengan 5 pada baris 2." in (
        response.content.decode()
    )
    response = upload(client, book(later_rows()), kode="PERMENPANRB-88-2021")
    assert response.status_code == 400 and "sudah dipakai" in response.content.decode()
    assert client.post(IMPOR, {"terapkan": "1", "sha": "x"}).status_code == 400
    assert client.post(IMPOR, {"terapkan": "1", "sha": "a" * 64}).status_code == 400
    assert Instrumen.objects.count() == 1


def test_the_command_and_the_page_share_the_service():
    actor = SystemActor("test")
    current = instrument_of(instrument_for(2024))
    row = instrumen_impor(
        user=actor, parsed=later(current), kode="LKE-CLI", nama="LKE", tahun_mulai=2024
    )
    assert Evaluasi.objects.filter(instrumen=row).count() == 0
