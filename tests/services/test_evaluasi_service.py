"""Evaluasi AKIP through its services: the OPD's self-assessment, the Inspektorat's answers,
finalising, the answer-sheet import and the commands; every guard refuses with its reason
and saves nothing."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from evaluasi.models import Evaluasi, Instrumen, Jawaban, StatusEvaluasi
from evaluasi.proposals import propose
from evaluasi.reader import instrument_of, scores_of
from evaluasi.services import (
    SheetRow,
    evaluasi_finalize,
    evaluasi_open,
    instrument_for,
    jawaban_import,
    jawaban_terima_semua,
    jawaban_tetapkan,
    jawaban_usul,
)
from renstra.door import StaleEdit
from renstra.models import Role
from tests.factories import make_user
from tests.kabupaten_world import kabupaten

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(db):
    world = kabupaten()
    world.u.inspektorat_lain = make_user("insp_lain", Role.INSPEKTORAT, opd=world.rpjmd_lain.unit)
    world.ev = evaluasi_open(user=world.u.perencana, opd=world.x.opd, tahun=2024)
    return world


def all_answers(instrumen: Instrumen, yt: str, ae: str) -> list[SheetRow]:
    return [
        SheetRow(i, c.kode, yt if c.skala == "Y/T" else ae)
        for i, c in enumerate(instrument_of(instrumen).criteria, start=2)
    ]


def test_the_default_instrument_is_loaded_by_the_migration():
    instrumen = Instrumen.objects.get(kode="PERMENPANRB-88-2021")
    lke = instrument_of(instrumen)
    assert len(lke.criteria) == 80 and len(lke.subs) == 12 and len(lke.rules) == 6
    assert lke.scales["A-E"] == {
        "A": Decimal(1),
        "B": Decimal("0.75"),
        "C": Decimal("0.5"),
        "D": Decimal("0.25"),
        "E": Decimal(0),
    }


def test_instrument_is_read_in_six_queries(django_assert_num_queries):
    instrumen = instrument_for(2024)  # stored again if a flushed database lost it
    # components, subs, criteria, scales + their values (prefetch), bands, rules.
    with django_assert_num_queries(7):
        instrument_of(instrumen)


def test_opening_keeps_the_instrument_in_force_and_is_idempotent(k):
    assert k.ev.instrumen.kode == "PERMENPANRB-88-2021"
    assert k.ev.status == StatusEvaluasi.PENILAIAN_MANDIRI
    assert evaluasi_open(user=k.u.inspektorat, opd=k.x.opd, tahun=2024) == k.ev
    # A later instrument does not rescore an evaluation opened before it.
    Instrumen.objects.create(kode="BARU", nama="LKE baru", tahun_mulai=2024)
    assert Evaluasi.objects.get(pk=k.ev.pk).instrumen.kode == "PERMENPANRB-88-2021"


def test_others_cannot_open_an_evaluation(k):
    for user in (k.u.kabid, k.u.pimpinan, k.u.perencana_y, k.u.inspektorat_lain):
        with pytest.raises(PermissionDenied):
            evaluasi_open(user=user, opd=k.x.opd, tahun=2025)
    with pytest.raises(ValidationError, match="di luar periode Renstra"):
        evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=1999)
    assert Evaluasi.objects.count() == 1


def test_the_opd_answers_its_self_assessment(k):
    row = jawaban_usul(
        user=k.u.perencana,
        evaluasi=k.ev,
        kode="1.b.5",
        jawaban=" b ",
        catatan="4 dari 4 IKU lengkap",
        tautan_bukti="/dasbor/2024/",
    )
    assert (row.usulan, row.catatan_usulan, row.penetapan) == ("B", "4 dari 4 IKU lengkap", "")
    assert row.history.count() == 1
    again = jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="1.b.5", jawaban="A", versi=1)
    assert (again.usulan, again.versi, again.history.count()) == ("A", 2, 2)
    scores = scores_of(k.ev)
    assert scores.usulan.subs["1.b"] == Decimal("0.9")  # 1 of 10 criteria at 1 × 9
    assert scores.penetapan.total == Decimal(0)


def test_a_self_assessment_is_refused_to_others_and_outside_the_scale(k):
    for user in (k.u.inspektorat, k.u.kabid, k.u.pimpinan, k.u.perencana_y, k.u.bappeda):
        with pytest.raises(PermissionDenied, match="Hanya perencana OPD ini"):
            jawaban_usul(user=user, evaluasi=k.ev, kode="1.a.1", jawaban="Y")
    with pytest.raises(ValidationError, match=r"«B» untuk 1\.a\.1 di luar skala Y/T"):
        jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", jawaban="B")
    with pytest.raises(
        ValidationError, match=r"Kriteria 9\.z\.9 tidak ada pada instrumen evaluasi"
    ):
        jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="9.z.9", jawaban="Y")
    with pytest.raises(ValidationError, match=r"Pilih jawaban untuk 1\.a\.1"):
        jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", jawaban=" ")
    jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", jawaban="Y")
    with pytest.raises(StaleEdit):
        jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", jawaban="T", versi=0)
    assert list(Jawaban.objects.values_list("kriteria__kode", "usulan")) == [("1.a.1", "Y")]


def test_the_inspektorat_sets_the_nilai_and_the_evaluation_moves_on(k):
    jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="3.a.1", jawaban="Y")
    row = jawaban_tetapkan(
        user=k.u.inspektorat, evaluasi=k.ev, kode="3.a.1", jawaban="t", catatan="LKjIP tidak ada"
    )
    assert (row.usulan, row.penetapan, row.catatan_penetapan) == ("Y", "T", "LKjIP tidak ada")
    assert Evaluasi.objects.get(pk=k.ev.pk).status == StatusEvaluasi.EVALUASI
    for user in (k.u.perencana, k.u.bappeda, k.u.inspektorat_lain, k.u.kepala_daerah):
        with pytest.raises(PermissionDenied, match="Hanya Inspektorat"):
            jawaban_tetapkan(user=user, evaluasi=k.ev, kode="3.a.1", jawaban="Y")
    with pytest.raises(ValidationError, match="di luar skala"):
        jawaban_tetapkan(user=k.u.inspektorat, evaluasi=k.ev, kode="3.a.1", jawaban="A")
    with pytest.raises(StaleEdit, match=r"3\.a\.1: T"):
        jawaban_tetapkan(user=k.u.inspektorat, evaluasi=k.ev, kode="3.a.1", jawaban="Y", versi=1)
    assert Jawaban.objects.get().penetapan == "T"


def test_finalising_needs_every_criterion_then_locks(k):
    with pytest.raises(ValidationError, match="80 kriteria belum ditetapkan"):
        evaluasi_finalize(user=k.u.inspektorat, evaluasi=k.ev)
    jawaban_import(user=k.u.inspektorat, evaluasi=k.ev, rows=all_answers(k.ev.instrumen, "Y", "B"))
    with pytest.raises(PermissionDenied):
        evaluasi_finalize(user=k.u.perencana, evaluasi=k.ev)
    final = evaluasi_finalize(user=k.u.inspektorat, evaluasi=k.ev)
    assert final.status == StatusEvaluasi.FINAL and final.final_pada is not None
    with pytest.raises(ValidationError, match="sudah final"):
        jawaban_tetapkan(user=k.u.inspektorat, evaluasi=k.ev, kode="1.a.1", jawaban="T")
    with pytest.raises(ValidationError, match="sudah final"):
        jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", jawaban="T")
    assert Jawaban.objects.get(kriteria__kode="1.a.1").penetapan == "Y"
    result = scores_of(k.ev).penetapan
    assert result.total.quantize(Decimal("0.0001")) == Decimal("78.2774")
    assert result.predikat.predikat == "BB"


def test_the_import_refuses_the_whole_sheet_naming_each_row(k, django_assert_num_queries):
    rows = all_answers(k.ev.instrumen, "Y", "A")
    rows[3] = SheetRow(5, "1.a.4", "B")
    rows[10] = SheetRow(12, "9.x.1", "A")
    rows.append(SheetRow(99, "1.a.1", "Y"))
    with pytest.raises(ValidationError) as refused:
        jawaban_import(user=k.u.inspektorat, evaluasi=k.ev, rows=rows)
    assert refused.value.messages == [
        "Baris 5: Jawaban «B» untuk 1.a.4 di luar skala Y/T (Y/T).",
        "Baris 12: Kriteria 9.x.1 tidak ada pada instrumen ini.",
        "Baris 99: kriteria 1.a.1 muncul lebih dari sekali.",
    ]
    assert not Jawaban.objects.exists()
    with pytest.raises(PermissionDenied):
        jawaban_import(
            user=k.u.perencana, evaluasi=k.ev, rows=all_answers(k.ev.instrumen, "Y", "A")
        )
    sheet = all_answers(k.ev.instrumen, "Y", "A")
    # Savepoint, the evaluation locked and its instrument (2), the instrument's rows (7), the
    # criteria and stored answers (2), an insert and a history row per answer (80 + 80), the
    # evaluation moved to "dievaluasi" with its history (2), release: constant but the writes.
    with django_assert_num_queries(1 + 2 + 7 + 2 + 160 + 2 + 1):
        jawaban_import(user=k.u.inspektorat, evaluasi=k.ev, rows=sheet)
    assert scores_of(k.ev).penetapan.total == Decimal(100)


def _sheet(rows: list[tuple[object, ...]], path) -> None:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    wb.save(path)


def test_the_commands_import_a_sheet_and_print_the_nilai(k, tmp_path):
    criteria = instrument_of(k.ev.instrumen).criteria
    rows = [("Kode", "Jawaban", "Catatan")] + [
        (c.kode, "Y" if c.skala == "Y/T" else "B", "") for c in criteria
    ]
    _sheet(rows, tmp_path / "lke.xlsx")
    out = io.StringIO()
    call_command("lke_import", "X", "2024", str(tmp_path / "lke.xlsx"), stdout=out)
    assert "80 jawaban tersimpan untuk Evaluasi AKIP" in out.getvalue()
    out = io.StringIO()
    call_command("lke_nilai", "X", "2024", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["nilai"] == 78.28 and data["predikat"] == "BB"
    assert data["komponen"] == [
        {"kode": "1", "nilai": 24.24},
        {"kode": "2", "nilai": 23.0},
        {"kode": "3", "nilai": 11.88},
        {"kode": "4", "nilai": 19.17},
    ]
    assert {"kode": "1.b", "nilai": 7.2} in data["sub_komponen"]
    assert data["belum_dijawab"] == [] and data["uji_logika"] == []
    out = io.StringIO()
    call_command("lke_nilai", "X", "2024", stdout=out)
    assert "nilai 78,28 (BB, Sangat Baik)" in out.getvalue()


def test_the_import_command_refuses_bad_sheets_and_saves_nothing(k, tmp_path):
    _sheet(
        [("kode", "jawaban"), ("1.a.1", "Y"), ("1.b.5", "F"), ("0.0.0", "A")], tmp_path / "a.xlsx"
    )
    with pytest.raises(CommandError) as refused:
        call_command("lke_import", "X", "2024", str(tmp_path / "a.xlsx"))
    assert "tidak ada yang disimpan" in str(refused.value)
    assert "Baris 3: Jawaban «F» untuk 1.b.5 di luar skala A-E" in str(refused.value)
    assert "Baris 4: Kriteria 0.0.0 tidak ada" in str(refused.value)
    _sheet([("kriteria", "nilai"), ("1.a.1", "Y")], tmp_path / "b.xlsx")
    with pytest.raises(CommandError, match="Kolom kode, jawaban tidak ada"):
        call_command("lke_import", "X", "2024", str(tmp_path / "b.xlsx"))
    (tmp_path / "c.xlsx").write_bytes(b"bukan excel")
    with pytest.raises(CommandError, match="bukan buku kerja Excel"):
        call_command("lke_import", "X", "2024", str(tmp_path / "c.xlsx"))
    with pytest.raises(CommandError, match="OPD TIDAKADA tidak ditemukan"):
        call_command("lke_import", "TIDAKADA", "2024", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match="belum ada"):
        call_command("lke_nilai", "Y", "2024")
    assert not Jawaban.objects.exists()


def test_an_emptied_instrument_table_gets_the_regulations_default_again(k):
    Evaluasi.objects.all().delete()
    Instrumen.objects.all().delete()
    evaluasi = evaluasi_open(user=k.u.perencana, opd=k.x.opd, tahun=2024)
    assert evaluasi.instrumen.kode == "PERMENPANRB-88-2021"
    assert len(instrument_of(evaluasi.instrumen).criteria) == 80


def test_the_inspektorat_accepts_the_rest_from_the_opd_or_the_system(k):
    lke = instrument_of(k.ev.instrumen)
    offered = propose(k.x.opd, 2024, lke.thresholds, lke)
    assert "1.a.3" in offered and "1.a.1" not in offered and "2.b.1" not in offered
    jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="1.a.1", jawaban="Y")
    jawaban_usul(user=k.u.perencana, evaluasi=k.ev, kode="1.a.3", jawaban="T")
    jawaban_tetapkan(user=k.u.inspektorat, evaluasi=k.ev, kode="2.b.1", jawaban="C", catatan="x")
    # Nobody else accepts for the Inspektorat; nothing is written.
    for other in (k.u.perencana, k.u.inspektorat_lain, k.u.bappeda):
        with pytest.raises(PermissionDenied):
            jawaban_terima_semua(user=other, evaluasi=k.ev)
    assert Jawaban.objects.exclude(penetapan="").count() == 1
    # What the system offers at that moment (4.b.5 counts the criteria answered so far).
    offered = propose(k.x.opd, 2024, lke.thresholds, lke)
    accepted, unset = jawaban_terima_semua(user=k.u.inspektorat, evaluasi=k.ev)
    rows = {j.kriteria.kode: j for j in Jawaban.objects.filter(evaluasi=k.ev)}
    # The OPD's answers win over the system's (1.a.3: the OPD says T); what the Inspektorat
    # set stays; every other proposal is accepted with its figures as the note.
    assert (rows["1.a.1"].penetapan, rows["1.a.1"].catatan_penetapan) == (
        "Y",
        "Diterima dari jawaban OPD.",
    )
    assert rows["1.a.3"].penetapan == "T"
    assert (rows["2.b.1"].penetapan, rows["2.b.1"].catatan_penetapan) == ("C", "x")
    others = set(offered) - {"1.a.3"}
    for kode in others:
        assert rows[kode].penetapan == offered[kode].jawaban
        assert (
            rows[kode].catatan_penetapan == f"Diterima dari usulan Kinerja: {offered[kode].alasan}"
        )
    assert accepted == 2 + len(others)
    assert unset == 80 - 3 - len(others)
    assert Evaluasi.objects.get(pk=k.ev.pk).status == StatusEvaluasi.EVALUASI
    # Again: nothing left to accept.
    assert jawaban_terima_semua(user=k.u.inspektorat, evaluasi=k.ev) == (0, unset)
    # Final: refused.
    jawaban_import(user=k.u.inspektorat, evaluasi=k.ev, rows=all_answers(k.ev.instrumen, "Y", "A"))
    evaluasi_finalize(user=k.u.inspektorat, evaluasi=k.ev)
    with pytest.raises(ValidationError, match="sudah final"):
        jawaban_terima_semua(user=k.u.inspektorat, evaluasi=k.ev)


def test_the_opd_links_a_page_of_kinerja_as_evidence(k):
    row = jawaban_usul(
        user=k.u.perencana, evaluasi=k.ev, kode="3.a.1", jawaban="Y", tautan_bukti=" /lakip/2024/ "
    )
    assert Jawaban.objects.get(pk=row.pk).tautan_bukti == "/lakip/2024/"
    # Another site, a scheme-relative host, a script or an overlong path is refused with its
    # reason; the stored link stays.
    for bad, reason in (
        ("https://contoh.id/x", "diawali “/”"),
        ("//contoh.id/x", "diawali “/”"),
        ("javascript:alert(1)", "diawali “/”"),
        ("/\\contoh.id", "diawali “/”"),
        ("/" + "a" * 300, "terlalu panjang"),
    ):
        with pytest.raises(ValidationError, match=reason):
            jawaban_usul(
                user=k.u.perencana, evaluasi=k.ev, kode="3.a.1", jawaban="T", tautan_bukti=bad
            )
        stored = Jawaban.objects.get(pk=row.pk)
        assert (stored.usulan, stored.tautan_bukti) == ("Y", "/lakip/2024/")
