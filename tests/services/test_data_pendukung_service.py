"""data_pendukung_save / data_pendukung_delete: supporting tables of a year's LAKIP."""

import pytest

from indicators.models import DataPendukung
from indicators.services.pendukung import data_pendukung_delete, data_pendukung_save
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def table(w, opd=None, indikator=None, **kwargs) -> DataPendukung:
    return DataPendukung(
        opd=opd or w.x.opd,
        tahun=kwargs.get("tahun", 2024),
        kode=kwargs.get("kode", "desa"),
        judul="Status desa",
        indikator=indikator,
        kolom=kwargs.get("kolom", ["2024"]),
        baris=kwargs.get("baris", [{"label": "Maju", "nilai": ["84"]}]),
    )


def test_only_the_opds_perencana_writes_tables(w):
    refused(lambda: data_pendukung_save(user=w.u.perencana, obj=table(w, w.y.opd)), "Hanya")
    refused(lambda: data_pendukung_save(user=w.u.kabid, obj=table(w)), "Hanya perencana")
    data_pendukung_save(user=w.u.perencana, obj=table(w))
    assert DataPendukung.objects.get().opd == w.x.opd


def test_an_indicator_of_another_opd_is_refused(w):
    invalid(
        lambda: data_pendukung_save(user=w.u.perencana, obj=table(w, indikator=w.y.indikator)),
        "Indikator harus dari OPD yang sama",
    )


def test_a_table_whose_rows_do_not_match_its_columns_is_refused(w):
    bad = table(w, kolom=["2023", "2024"], baris=[{"label": "Maju", "nilai": ["84"]}])
    invalid(lambda: data_pendukung_save(user=w.u.perencana, obj=bad), "jumlah nilai")


def test_a_locked_year_is_refused_for_writing_and_deleting(w):
    row = data_pendukung_save(user=w.u.perencana, obj=table(w))
    refused(lambda: data_pendukung_delete(user=w.u.perencana_y, obj=row), "Hanya perencana")
    lock(w)
    invalid(lambda: data_pendukung_save(user=w.u.perencana, obj=table(w, kode="cpr")), "dikunci")
    invalid(lambda: data_pendukung_delete(user=w.u.perencana, obj=row), "Tahun 2024 dikunci")
    assert DataPendukung.objects.count() == 1
