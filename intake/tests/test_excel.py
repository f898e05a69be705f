"""Spreadsheet export/import: round trips with a dry-run preview, all-or-nothing imports,
per-row permissions and locks, formula neutralisation, and templates at a fixed query count."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export.exceptions import ImportError as ImportExportError
from openpyxl import load_workbook

from common.cells import cell_value, neutralise_formula
from common.numbers import NumberParseError, parse_decimal
from indicators.models import Frekuensi, Indikator, JenisTarget, Periode, Realisasi, Target
from intake.excel import read_xlsx, template_realisasi, template_targets, write_xlsx
from intake.resources.anggaran import AnggaranResource
from intake.resources.indikator import IndikatorResource
from intake.resources.realisasi import RealisasiResource
from intake.resources.target import TargetWideResource
from renstra.models import Anggaran, KunciTahun
from tests.factories import (
    AnggaranFactory,
    BidangFactory,
    IndikatorFactory,
    KegiatanFactory,
    ProgramFactory,
    RealisasiFactory,
    SasaranFactory,
    SubKegiatanFactory,
    TargetFactory,
    TujuanFactory,
)

pytestmark = pytest.mark.django_db


# --- helpers ----------------------------------------------------------------------------------


def edit(data: bytes, changes: dict[tuple[Any, str], Any], key: str = "Indikator") -> bytes:
    """Change cells of an xlsx: {(value in the `key` column, header): new value}."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    for (match, header), value in changes.items():
        if header not in headers:
            headers.append(header)
            sheet.cell(row=1, column=len(headers), value=header)
        column = headers.index(header) + 1
        rows = [
            r
            for r in range(2, sheet.max_row + 1)
            if sheet.cell(row=r, column=headers.index(key) + 1).value == match
        ]
        assert len(rows) == 1, (match, rows)
        sheet.cell(row=rows[0], column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cells(data: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def messages(result: Any) -> list[str]:
    found = [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    found += [str(e.error) for row in result.rows for e in row.errors]
    found += [str(e.error) for e in result.base_errors]
    return found


def target_values(ind: Indikator, jenis: str = JenisTarget.RENSTRA) -> dict[int, Any]:
    return {
        t.tahun: t.nilai if t.nilai is not None else t.nilai_teks
        for t in Target.objects.filter(indikator=ind, jenis=jenis)
    }


def import_targets(user: Any, data: bytes, dry_run: bool = False, **kwargs: Any) -> Any:
    return TargetWideResource(user=user).import_data(read_xlsx(data), dry_run=dry_run, **kwargs)


# --- round trip and preview -------------------------------------------------------------------


def test_a_target_round_trip_previews_in_a_dry_run_and_applies_on_import(w):
    exported = write_xlsx(TargetWideResource(user=w.perencana, periode=w.periode).export())
    changed = edit(exported, {("IDG", "2025"): "75,5", ("IDG", "2024"): 74.1})
    count, before = Target.objects.count(), target_values(w.idg)

    preview = import_targets(w.perencana, changed, dry_run=True)

    assert not preview.has_errors() and not preview.has_validation_errors()
    assert preview.totals["update"] == 1  # IDG; TFR's row is unchanged and skipped
    assert preview.totals["skip"] == 1
    row = next(r for r in preview.rows if r.object_repr == "IDG")
    # The preview names each changed cell, old → new; the unchanged years are not listed.
    assert [(c.column, c.old, c.new) for c in row.changes] == [
        ("2024", "74,04", "74,1"),
        ("2025", "–", "75,5"),
    ]
    assert Target.objects.count() == count
    assert target_values(w.idg) == before == {2024: Decimal("74.04")}

    result = import_targets(w.perencana, changed)

    assert not result.has_errors() and not result.has_validation_errors()
    assert target_values(w.idg) == {2024: Decimal("74.1"), 2025: Decimal("75.5")}
    assert Target.objects.count() == count + 1
    latest = Target.objects.get(indikator=w.idg, tahun=2025).history.latest()
    assert latest.history_user == w.perencana


def test_an_empty_cell_leaves_the_stored_target_alone(w):
    data = write_xlsx(TargetWideResource(user=w.perencana, periode=w.periode).export())
    result = import_targets(w.perencana, edit(data, {("IDG", "2024"): None, ("IDG", "2026"): "-"}))
    assert not result.has_validation_errors()
    assert target_values(w.idg) == {2024: Decimal("74.04")}


def test_qualitative_and_range_targets_are_kept_in_nilai_teks(w):
    data = template_targets(w.perencana, w.opd, w.periode)
    result = import_targets(
        w.perencana, edit(data, {("IDG", "2025"): "WTP", ("TFR", "2025"): "2,30–2,35"})
    )
    assert not result.has_validation_errors(), messages(result)
    wtp = Target.objects.get(indikator=w.idg, tahun=2025)
    assert (wtp.nilai, wtp.nilai_teks) == (None, "WTP")
    rentang = Target.objects.get(indikator=w.tfr, tahun=2025)
    assert (rentang.nilai, rentang.nilai_teks) == (None, "2,30–2,35")
    # Exported back as text, unchanged.
    assert "WTP" in cells(template_targets(w.perencana, w.opd, w.periode))[1]


def test_pk_targets_get_their_own_row_by_jenis(w):
    TargetFactory(indikator=w.idg, tahun=2024, jenis=JenisTarget.PK, nilai=Decimal("45"))
    data = template_targets(w.perencana, w.opd, w.periode)
    rows = [r for r in cells(data)[1:] if r[4] == "IDG"]
    assert [r[6] for r in rows] == ["Renstra", "PK"]
    line = next(i for i, r in enumerate(cells(data), start=1) if r[4] == "IDG" and r[6] == "PK")
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    sheet.cell(row=line, column=11, value=46)  # column 2024
    out = io.BytesIO()
    workbook.save(out)
    result = import_targets(w.perencana, out.getvalue())
    assert not result.has_validation_errors(), messages(result)
    assert target_values(w.idg, JenisTarget.PK) == {2024: Decimal("46")}
    assert target_values(w.idg) == {2024: Decimal("74.04")}


# --- all or nothing ---------------------------------------------------------------------------


def parser_message(text: str) -> str:
    """What common.numbers says about a bad number (its wording is the parser's to choose)."""
    try:
        parse_decimal(text)
    except NumberParseError as exc:
        return str(exc)
    raise AssertionError(f"{text!r} parsed")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda w: {("TFR", "2025"): "7x,4"},
            lambda w: f"Baris 3, kolom 2025: {parser_message('7x,4')}",
        ),
        (
            lambda w: {("TFR", "2030"): "2,1"},
            lambda w: "Baris 3, kolom 2030: Tahun 2030 di luar periode Renstra 2021–2026.",
        ),
        (
            lambda w: {("TFR", "ID Indikator"): w.foreign.pk},
            lambda w: (
                f"Baris 3, kolom ID Indikator: Indikator dengan ID {w.foreign.pk} "
                "tidak ditemukan di OPD Anda."
            ),
        ),
    ],
    ids=["bad-number", "year-outside-period", "other-opd-indicator"],
)
def test_one_failing_row_rolls_back_the_whole_import(w, change, expected):
    data = template_targets(w.perencana, w.opd, w.periode)
    data = edit(data, {("IDG", "2025"): 80, **change(w)})  # line 2 is valid, line 3 fails
    before = (Target.objects.count(), target_values(w.idg), target_values(w.foreign))

    result = import_targets(w.perencana, data)

    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]  # import-export's data row 2
    assert messages(result) == [expected(w)]
    after = (Target.objects.count(), target_values(w.idg), target_values(w.foreign))
    assert after == before


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rollback_on_validation_errors": False, "use_transactions": False},
        {"raise_errors": True},
    ],
    ids=["caller-asks-not-to-roll-back", "raise-errors"],
)
def test_the_import_rolls_back_whatever_the_caller_asks(w, kwargs):
    data = edit(
        template_targets(w.perencana, w.opd, w.periode),
        {("IDG", "2025"): 80, ("TFR", "2025"): "7x,4"},
    )
    before = target_values(w.idg)
    try:
        result = import_targets(w.perencana, data, **kwargs)
    except ImportExportError as exc:
        assert "Baris 3, kolom 2025" in str(exc.error)
    else:
        assert result.has_validation_errors()
    assert target_values(w.idg) == before


def test_blank_lines_are_skipped_and_messages_name_the_sheet_line(w):
    workbook = load_workbook(io.BytesIO(template_targets(w.perencana, w.opd, w.periode)))
    sheet = workbook.active
    sheet.insert_rows(2)  # an empty line 2: IDG moves to line 3, TFR to line 4
    sheet.cell(row=4, column=11, value="12a")  # TFR, column 2024
    out = io.BytesIO()
    workbook.save(out)
    result = import_targets(w.perencana, out.getvalue())
    assert messages(result) == [f"Baris 4, kolom 2024: {parser_message('12a')}"]


# --- formula injection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nama",
    ['=HYPERLINK("http://x.test","klik")', "+1", "-x", "@SUM(A1)", "\tx", "\rx"],
)
def test_exported_text_that_could_run_as_a_formula_is_prefixed_with_a_quote(w, nama):
    Indikator.objects.filter(pk=w.idg.pk).update(nama=nama)
    for data in (
        write_xlsx(IndikatorResource(user=w.perencana).export()),
        template_targets(w.perencana, w.opd, w.periode),
    ):
        workbook = load_workbook(io.BytesIO(data))
        sheet = workbook.active
        # Older openpyxl wrote a raw CR that XML reads back as LF; 3.1.5 escapes it (_x000D_)
        # and reads back the CR. Either way the quote is what matters.
        expected = {"'" + nama, ("'" + nama).replace("\r", "\n")}
        found = [c for row in sheet.iter_rows() for c in row if c.value in expected]
        assert len(found) == 1
        assert found[0].data_type == "s"  # text, not a formula
        assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_import_exports_own_formula_escape_stays_off(settings):
    # It deletes the "=" (changing the data), ignores + - @ and turns numbers into text; the
    # resources neutralise exports themselves.
    assert not getattr(settings, "IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT", False)


def test_control_characters_do_not_break_a_template(w):
    Indikator.objects.filter(pk=w.idg.pk).update(nama="IDG\x0bbaru")
    rows = cells(template_targets(w.perencana, w.opd, w.periode))
    assert "IDG\ufffdbaru" in [r[4] for r in rows]


def test_importing_an_exported_formula_text_restores_it_without_the_quote(w):
    Indikator.objects.filter(pk=w.idg.pk).update(nama="=1+1", makna="@x")
    data = write_xlsx(IndikatorResource(user=w.perencana).export())
    result = IndikatorResource(user=w.perencana).import_data(read_xlsx(data))
    assert not result.has_validation_errors()
    assert result.totals["skip"] == 2  # nothing changed, no quote piled up
    w.idg.refresh_from_db()
    assert (w.idg.nama, w.idg.makna) == ("=1+1", "@x")


def test_a_negative_number_stays_a_number(w):
    RealisasiFactory(indikator=w.idg, tahun=2024, nilai=Decimal("-70"))
    w.idg.bidang = w.pppa
    w.idg.save()
    data = template_realisasi(w.kabid_pppa, 2024)
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("Tahunan") + 1)
    assert cell.value == -70
    assert cell.data_type == "n"
    exported = RealisasiResource(user=w.kabid_pppa, tahun=2024).export()
    assert exported.dict[0]["Tahunan"] == Decimal("-70")
    assert neutralise_formula(Decimal("-70")) == Decimal("-70")
    assert neutralise_formula("-70") == "'-70"


# --- permissions per row ----------------------------------------------------------------------


def test_a_kabid_cannot_import_targets(w):
    data = edit(template_targets(w.perencana, w.opd, w.periode), {("IDG", "2025"): 80})
    result = import_targets(w.kabid_pppa, data)
    assert result.has_validation_errors()
    assert any("Hanya perencana OPD ini" in m for m in messages(result))
    assert target_values(w.idg) == {2024: Decimal("74.04")}


def test_a_kabid_cannot_download_the_target_template(w):
    with pytest.raises(PermissionDenied):
        template_targets(w.kabid_pppa, w.opd, w.periode)


def test_a_kabid_imports_realisasi_for_their_own_bidang(w):
    data = template_realisasi(w.kabid_pppa, 2024)
    assert [r[4] for r in cells(data)[1:]] == ["IDG"]  # TFR belongs to PPKB
    data = edit(
        data,
        {
            ("IDG", "Tahunan"): "73,27",
            ("IDG", "TW I"): 70,
            ("IDG", "Analisis"): "Keterwakilan perempuan di DPRD naik.",
        },
    )
    result = RealisasiResource(user=w.kabid_pppa).import_data(read_xlsx(data))
    assert not result.has_validation_errors(), messages(result)
    annual = Realisasi.objects.get(indikator=w.idg, tahun=2024, periode=Periode.TAHUNAN)
    assert annual.nilai == Decimal("73.27")
    assert annual.analisis == "Keterwakilan perempuan di DPRD naik."
    assert annual.diisi_oleh == w.kabid_pppa
    assert annual.history.latest().history_user == w.kabid_pppa
    tw1 = Realisasi.objects.get(indikator=w.idg, tahun=2024, periode=Periode.TW1)
    assert tw1.nilai == Decimal("70")


def test_a_kabid_cannot_import_realisasi_of_another_bidang_and_nothing_is_saved(w):
    own = RealisasiResource(user=w.kabid_pppa, tahun=2024).export(Indikator.objects.all())
    other = RealisasiResource(user=w.perencana, tahun=2024).export(
        Indikator.objects.filter(pk=w.tfr.pk)
    )
    own.dict = [{**own.dict[0], "Tahunan": 73}, {**other.dict[0], "Tahunan": "2,1"}]
    result = RealisasiResource(user=w.kabid_pppa).import_data(own)
    assert messages(result) == [
        "Baris 3: Anda hanya dapat mengisi realisasi indikator bidang Anda sendiri."
    ]
    assert not Realisasi.objects.exists()


def test_a_perencana_of_one_opd_cannot_touch_another_opds_rows(w):
    foreign_targets = TargetWideResource(user=w.perencana_lain).export()
    assert [r["Indikator"] for r in foreign_targets.dict] == ["Asing"]
    foreign_targets.dict = [{**foreign_targets.dict[0], "2024": 99}]
    result = TargetWideResource(user=w.perencana).import_data(foreign_targets)
    assert messages(result) == [
        f"Baris 2, kolom ID Indikator: Indikator dengan ID {w.foreign.pk} "
        "tidak ditemukan di OPD Anda."
    ]
    assert target_values(w.foreign) == {2024: Decimal("10")}

    definitions = IndikatorResource(user=w.perencana_lain).export()
    definitions.dict = [{**definitions.dict[0], "Nama Indikator": "Dibajak"}]
    result = IndikatorResource(user=w.perencana).import_data(definitions)
    assert result.has_validation_errors()
    w.foreign.refresh_from_db()
    assert w.foreign.nama == "Asing"


def test_exports_hold_only_the_users_own_opd(w):
    names = {r["Indikator"] for r in TargetWideResource(user=w.perencana).export().dict}
    assert names == {"IDG", "TFR"}
    assert IndikatorResource(user=None).export().dict == []


# --- year locks -------------------------------------------------------------------------------


def test_rows_writing_into_a_locked_year_are_refused_with_the_reason(w):
    KunciTahun.objects.create(opd=w.opd, tahun=2024, alasan="LAKIP 2024 final")
    data = template_targets(w.perencana, w.opd, w.periode)
    # An unchanged locked cell is not a write: only the changed one is refused.
    result = import_targets(w.perencana, edit(data, {("IDG", "2024"): 80, ("IDG", "2025"): 81}))
    assert messages(result) == ["Baris 2, kolom 2024: Tahun 2024 dikunci: LAKIP 2024 final"]
    assert target_values(w.idg) == {2024: Decimal("74.04")}

    w.idg.bidang = w.pppa
    w.idg.save()
    realisasi = edit(template_realisasi(w.kabid_pppa, 2024), {("IDG", "Tahunan"): 73})
    result = RealisasiResource(user=w.kabid_pppa).import_data(read_xlsx(realisasi))
    assert messages(result) == ["Baris 2: Tahun 2024 dikunci: LAKIP 2024 final"]
    assert not Realisasi.objects.exists()


def test_a_budget_in_a_locked_year_is_refused(w):
    program = ProgramFactory(sasaran=w.idg.sasaran)
    budget = AnggaranFactory(program=program, tahun=2024, pagu=Decimal("1000"))
    KunciTahun.objects.create(opd=w.opd, tahun=2024, alasan="Audit BPK")
    dataset = AnggaranResource(user=w.perencana).export()
    dataset.dict = [{**dataset.dict[0], "Pagu (Rp)": "2.000"}]
    result = AnggaranResource(user=w.perencana).import_data(dataset)
    assert messages(result) == ["Baris 2: Tahun 2024 dikunci: Audit BPK"]
    budget.refresh_from_db()
    assert budget.pagu == Decimal("1000")


# --- definitions and budgets ------------------------------------------------------------------


def test_indicators_are_updated_by_id_and_created_on_a_node_by_level_and_id(w):
    program = ProgramFactory(sasaran=w.idg.sasaran, kode="2.08.02")
    dataset = IndikatorResource(user=w.perencana).export()
    idg = next(r for r in dataset.dict if r["ID"] == w.idg.pk)
    new = dict.fromkeys(dataset.headers, "")
    new.update(
        {
            "Tingkat": "Program",
            "ID Node": program.pk,
            "Nama Indikator": "Persentase desa maju",
            "Satuan": "%",
            "Jenis": "IK",
            "Polaritas": "Positif",
            "Baseline": "33,77",
            "Formulasi Perhitungan": "desa maju / jumlah desa × 100",
            "Kode Bidang": "pppa",
        }
    )
    dataset.dict = [{**idg, "Makna Indikator": "Kesetaraan gender", "Urutan": 4}, new]

    result = IndikatorResource(user=w.perencana).import_data(dataset)

    assert not result.has_validation_errors(), messages(result)
    assert result.totals["new"] == 1 and result.totals["update"] == 1
    w.idg.refresh_from_db()
    assert (w.idg.makna, w.idg.urutan) == ("Kesetaraan gender", 4)
    created = Indikator.objects.get(nama="Persentase desa maju")
    assert (created.program, created.periode, created.bidang) == (program, w.periode, w.pppa)
    assert created.baseline_nilai == Decimal("33.77")
    assert created.history.latest().history_user == w.perencana


def test_model_validation_errors_become_row_errors_naming_the_column(w):
    kegiatan = KegiatanFactory(program=ProgramFactory(sasaran=w.idg.sasaran))
    dataset = IndikatorResource(user=w.perencana).export()
    new = dict.fromkeys(dataset.headers, "")
    new.update(
        {"Tingkat": "kegiatan", "ID Node": kegiatan.pk, "Nama Indikator": "X", "Jenis": "IKU"}
    )
    dataset.dict = [new]
    result = IndikatorResource(user=w.perencana).import_data(dataset)
    assert messages(result) == [
        "Baris 2, kolom Jenis: IKU hanya untuk indikator tujuan atau sasaran."
    ]
    assert not Indikator.objects.filter(nama="X").exists()


def test_budgets_are_updated_and_created_from_indonesian_numbers(w):
    program = ProgramFactory(sasaran=w.idg.sasaran)
    sub = SubKegiatanFactory(kegiatan=KegiatanFactory(program=program))
    AnggaranFactory(program=program, tahun=2024, pagu=Decimal("1000"), realisasi=None)
    dataset = AnggaranResource(user=w.perencana).export()
    assert dataset.dict[0]["Pagu (Rp)"] == Decimal("1000")
    dataset.dict = [
        {**dataset.dict[0], "Realisasi (Rp)": "900,50"},
        {
            **dict.fromkeys(dataset.headers, ""),
            "Tingkat": "Sub Kegiatan",
            "ID Node": sub.pk,
            "Tahun": 2025,
            "Pagu (Rp)": "97.000.169.679",
        },
    ]
    result = AnggaranResource(user=w.perencana).import_data(dataset)
    assert not result.has_validation_errors(), messages(result)
    assert Anggaran.objects.get(program=program).realisasi == Decimal("900.50")
    created = Anggaran.objects.get(sub_kegiatan=sub, tahun=2025)
    assert created.pagu == Decimal("97000169679")
    assert created.history.latest().history_user == w.perencana


def test_a_kabid_cannot_import_budgets(w):
    program = ProgramFactory(sasaran=w.idg.sasaran)
    AnggaranFactory(program=program, tahun=2024, pagu=Decimal("1000"))
    dataset = AnggaranResource(user=w.perencana).export()
    dataset.dict = [{**dataset.dict[0], "Pagu (Rp)": 5}]
    result = AnggaranResource(user=w.kabid_pppa).import_data(dataset)
    assert messages(result) == ["Baris 2: Hanya perencana OPD ini yang dapat mengubah anggaran."]


def test_quarterly_realisasi_of_an_annual_only_indicator_is_a_row_error(w):
    Indikator.objects.filter(pk=w.idg.pk).update(frekuensi=Frekuensi.TAHUNAN, bidang=w.pppa)
    data = edit(template_realisasi(w.kabid_pppa, 2024), {("IDG", "TW II"): 5})
    result = RealisasiResource(user=w.kabid_pppa).import_data(read_xlsx(data))
    assert messages(result) == [
        "Baris 2, kolom TW II: Indikator ini hanya dilaporkan tahunan; "
        "realisasi triwulan tidak dapat diisi."
    ]


# --- templates --------------------------------------------------------------------------------


def test_the_target_template_has_a_bold_frozen_header_and_numbers_as_numbers(w):
    sheet = load_workbook(io.BytesIO(template_targets(w.perencana, w.opd, w.periode))).active
    headers = [c.value for c in sheet[1]]
    assert headers[:7] == [
        "ID Indikator",
        "Kode OPD",
        "Tingkat",
        "Jalur",
        "Indikator",
        "Satuan",
        "Jenis Target",
    ]
    # The version each row was made from rides along, hidden, after the years.
    assert headers[7:] == ["2021", "2022", "2023", "2024", "2025", "2026", "Versi"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "H2"
    assert sheet.column_dimensions["A"].hidden
    assert sheet.column_dimensions["N"].hidden
    assert sheet.cell(row=2, column=14).value == "2024:1"
    value = sheet.cell(row=2, column=headers.index("2024") + 1)
    assert (value.value, value.data_type, value.number_format) == (74.04, "n", "#,##0.00")
    assert sheet.cell(row=2, column=headers.index("2025") + 1).number_format == "#,##0.00"


def _branch(periode: Any, bidang: Any) -> None:
    """One indicator at every level of a new branch, with targets and realisasi."""
    # Bidang on tujuan and program: effective_bidang walks up to either, never across.
    tujuan = TujuanFactory(periode=periode, bidang=bidang)
    sasaran = SasaranFactory(tujuan=tujuan)
    program = ProgramFactory(sasaran=sasaran, bidang=bidang)
    kegiatan = KegiatanFactory(program=program)
    sub = SubKegiatanFactory(kegiatan=kegiatan)
    for node in (tujuan, sasaran, program, kegiatan, sub):
        ind = IndikatorFactory(
            **{"sasaran": None, "jenis": "IK", node.LEVEL: node}  # type: ignore[arg-type]
        )
        TargetFactory(indikator=ind, tahun=2024)
        TargetFactory(indikator=ind, tahun=2024, jenis=JenisTarget.PK)
        RealisasiFactory(indikator=ind, tahun=2024)
        RealisasiFactory(indikator=ind, tahun=2024, periode=Periode.TW1)


def _count(build: Any, user: Any) -> int:
    # A fresh user each time, as in a request: nothing cached on it from the previous run.
    fresh = get_user_model().objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as ctx:
        build(fresh)
    return len(ctx.captured_queries)


def test_the_target_template_costs_the_same_queries_when_indicators_double(w):
    # permission (role, assignment), the user's role again for scoping, indicators with every
    # node joined, their targets.
    for _ in range(2):
        _branch(w.periode, w.pppa)
    small = _count(lambda u: template_targets(u, w.opd, w.periode), w.perencana)
    for _ in range(2):
        _branch(w.periode, w.ppkb)
    large = _count(lambda u: template_targets(u, w.opd, w.periode), w.perencana)
    assert Indikator.objects.filter(periode=w.periode).count() == 22
    assert large == small


def test_the_realisasi_template_costs_the_same_queries_when_indicators_double(w):
    for _ in range(2):
        _branch(w.periode, w.pppa)
        _branch(w.periode, BidangFactory(opd=w.opd))
    small = _count(lambda u: template_realisasi(u, 2024), w.kabid_pppa)
    for _ in range(2):
        _branch(w.periode, w.pppa)
        _branch(w.periode, BidangFactory(opd=w.opd))
    large = _count(lambda u: template_realisasi(u, 2024), w.kabid_pppa)
    assert large == small
    rows = cells(template_realisasi(w.kabid_pppa, 2024))[1:]
    # The kabid's own bidang only: IDG and 4 branches × 5 levels.
    assert len(rows) == 1 + 4 * 5


# --- cell rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (74.04, Decimal("74.04")),
        (0.1 + 0.2, Decimal("0.300000")),
        (-70, Decimal("-70")),
        ("1.234,5", Decimal("1234.5")),
        ("5,50 %", Decimal("5.50")),
        ("'-5", Decimal("-5")),
        ("WTP", "WTP"),
        ("Level 3", "Level 3"),
        ("2,30–2,35", "2,30–2,35"),
        ("2,30 - 2,35", "2,30 - 2,35"),
        ("", None),
        ("-", None),
        (None, None),
    ],
)
def test_a_target_cell_is_a_number_a_range_or_qualitative_text(cell, expected):
    assert cell_value(cell, allow_range=True) == expected


@pytest.mark.parametrize("cell", ["7x,4", "3 dokumen", "2,30–2,3x"])
def test_a_cell_starting_like_a_number_must_be_one(cell):
    with pytest.raises(ValueError, match=r"\S"):
        cell_value(cell, allow_range=True)
