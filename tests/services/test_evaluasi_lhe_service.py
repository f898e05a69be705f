"""The LHE's services: the Inspektorat sets the letter (nomor, tanggal, tempat, signer) until
the evaluation is final; finalising stores the LHE once, with its hashes, nilai and predikat.
Every guard refuses with its reason and saves nothing."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluasi.models import Evaluasi, LheVersi, StatusEvaluasi
from evaluasi.services import (
    evaluasi_finalize,
    evaluasi_open,
    jawaban_import,
    lhe_simpan_final,
    lhe_surat_atur,
)
from renstra.door import StaleEdit
from renstra.models import Role
from tests.factories import make_user
from tests.kabupaten_world import kabupaten
from tests.services.test_evaluasi_service import all_answers

pytestmark = pytest.mark.django_db

LETTER = {
    "nomor": " 700/012/LHE-AKIP/ITDA/2025 ",
    "tanggal": datetime.date(2025, 3, 10),
    "tempat": "Paringin",
    "nama": "Drs. H. Inspektur Contoh",
    "nip": "19680101  199003 1 010",
    "jabatan": "Inspektur Kabupaten Contoh",
}


@pytest.fixture
def k(db):
    world = kabupaten()
    world.u.inspektorat_lain = make_user("insp_lain", Role.INSPEKTORAT, opd=world.rpjmd_lain.unit)
    world.ev = evaluasi_open(user=world.u.perencana, opd=world.x.opd, tahun=2024)
    return world


def stored(k) -> Evaluasi:
    return Evaluasi.objects.get(pk=k.ev.pk)


def test_the_inspektorat_sets_the_letter(k):
    ev = lhe_surat_atur(user=k.u.inspektorat, evaluasi=k.ev, **LETTER, versi=1)
    assert (ev.lhe_nomor, ev.lhe_tanggal, ev.penandatangan_nip, ev.versi) == (
        "700/012/LHE-AKIP/ITDA/2025",
        datetime.date(2025, 3, 10),
        "19680101 199003 1 010",
        2,
    )
    assert stored(k).history.first().history_user == k.u.inspektorat


def test_only_the_opds_inspektorat_sets_the_letter(k):
    for user in (k.u.perencana, k.u.bappeda, k.u.kepala_daerah, k.u.inspektorat_lain):
        with pytest.raises(PermissionDenied, match="Hanya Inspektorat"):
            lhe_surat_atur(user=user, evaluasi=k.ev, **LETTER)
    assert stored(k).lhe_nomor == ""


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"versi": 0}, StaleEdit, "telah diubah sejak formulir"),
        (
            {"tanggal": datetime.date(2024, 12, 31)},
            ValidationError,
            r"harus sesudah tahun yang dievaluasi \(2024\)",
        ),
        ({"nip": "19680101-1990"}, ValidationError, "NIP hanya berisi angka"),
        ({"jabatan": "  "}, ValidationError, "Isi jabatan penandatangan"),
    ],
)
def test_a_bad_letter_is_refused_and_nothing_saved(k, change, error, message):
    with pytest.raises(error, match=message):
        lhe_surat_atur(user=k.u.inspektorat, evaluasi=k.ev, **{**LETTER, "versi": 1, **change})
    assert (stored(k).lhe_nomor, stored(k).versi) == ("", 1)


def test_finalising_stores_the_lhe_once_and_freezes_the_letter(k):
    jawaban_import(user=k.u.inspektorat, evaluasi=k.ev, rows=all_answers(k.ev.instrumen, "Y", "B"))
    with pytest.raises(ValidationError, match="setelah evaluasi difinalkan"):
        lhe_simpan_final(user=k.u.inspektorat, evaluasi=k.ev)
    assert not LheVersi.objects.exists()
    final = evaluasi_finalize(user=k.u.inspektorat, evaluasi=k.ev)
    # Dated the day it is final when the Inspektorat set no date.
    assert final.lhe_tanggal is not None
    versi = LheVersi.objects.get()
    assert (versi.evaluasi, versi.nomor, versi.nilai, versi.predikat) == (
        final,
        1,
        Decimal("78.28"),
        "BB",
    )
    assert versi.sha256_pdf == hashlib.sha256(bytes(versi.pdf)).hexdigest()
    assert versi.sha256_docx == hashlib.sha256(bytes(versi.docx)).hexdigest()
    assert bytes(versi.pdf).startswith(b"%PDF") and bytes(versi.docx).startswith(b"PK")
    with pytest.raises(ValidationError, match="sudah tersimpan"):
        lhe_simpan_final(user=k.u.inspektorat, evaluasi=final)
    with pytest.raises(ValidationError, match="sudah final"):
        lhe_surat_atur(user=k.u.inspektorat, evaluasi=final, **LETTER)
    assert LheVersi.objects.count() == 1 and stored(k).lhe_nomor == ""


def test_only_the_inspektorat_stores_the_final_lhe(k):
    # A final evaluation without its LHE (finalised before the LHE was kept).
    Evaluasi.objects.filter(pk=k.ev.pk).update(status=StatusEvaluasi.FINAL)
    for user in (k.u.perencana, k.u.inspektorat_lain, k.u.bappeda):
        with pytest.raises(PermissionDenied, match="Hanya Inspektorat"):
            lhe_simpan_final(user=user, evaluasi=k.ev)
    assert not LheVersi.objects.exists()
    versi = lhe_simpan_final(user=k.u.inspektorat, evaluasi=k.ev)
    assert (versi.nilai, versi.predikat, versi.dibuat_oleh) == (Decimal(0), "D", k.u.inspektorat)
