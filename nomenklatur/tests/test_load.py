"""The nomenclature loads from its lists, exactly, and loads again without change."""

import re
from dataclasses import replace

import pytest
from django.core.management import call_command

from nomenklatur.loader import BadRecord, read_dir, read_tsv
from nomenklatur.models import Nomenklatur, Tingkat, induk_of, tingkat_of
from nomenklatur.services import nomenklatur_load

pytestmark = pytest.mark.django_db


def test_code_shapes():
    assert tingkat_of("2.08.02") == Tingkat.PROGRAM
    assert tingkat_of("2.08.02.2.01") == Tingkat.KEGIATAN
    assert tingkat_of("2.08.02.2.01.0007") == Tingkat.SUB_KEGIATAN
    assert tingkat_of("2.08") is None
    assert induk_of("2.08.02.2.01.0007") == "2.08.02.2.01"
    assert induk_of("2.08.02.2.01") == "2.08.02"
    assert induk_of("2.08.02") == ""


def test_lists_load_exactly_and_twice_change_nothing(capsys):
    call_command("load_nomenklatur")
    assert "1566 ditambah, 0 diubah, 0 tetap" in capsys.readouterr().out
    counts = {t: Nomenklatur.objects.filter(tingkat=t).count() for t in Tingkat.values}
    assert counts == {"program": 197, "kegiatan": 384, "sub_kegiatan": 985}
    sub = Nomenklatur.objects.get(kode="1.01.02.2.01.0006")
    assert sub.nama == "Pembangunan Sarana, Prasarana dan Utilitas Sekolah"
    assert sub.satuan == "Unit"
    assert sub.indikator.startswith("Jumlah Sarana, Prasarana")
    assert "Operasionalisasi" in sub.definisi  # the quoted multi-line cell stays one record
    call_command("load_nomenklatur")
    assert "0 ditambah, 0 diubah, 1566 tetap, 0 dinonaktifkan" in capsys.readouterr().out


def test_a_new_list_updates_and_a_complete_one_retires_what_it_lacks():
    records = read_dir()
    nomenklatur_load(records)
    first = records[0]
    result = nomenklatur_load([replace(first, nama="Nama Baru")], lengkap=True)
    assert (result.ditambah, result.diubah, result.dinonaktifkan) == (0, 1, 1565)
    kept = Nomenklatur.objects.get(kode=first.kode)
    assert kept.nama == "Nama Baru" and kept.aktif
    assert Nomenklatur.objects.filter(aktif=True).count() == 1


def test_a_bad_line_is_named(tmp_path):
    path = tmp_path / "program.tsv"
    path.write_text("2.08.02\tPROGRAM A\n2.08\tBUKAN PROGRAM\n", encoding="utf-8")
    with pytest.raises(BadRecord, match=re.escape("program.tsv baris 2: kode «2.08»")):
        list(read_tsv(path))
