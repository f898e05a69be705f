"""narasi_save / narasi_delete / narasi_prefill: the LAKIP's text is the perencana's and
freezes with its year."""

import pytest

from reporting.models import Bagian, Narasi
from reporting.services import narasi_delete, narasi_prefill, narasi_save
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def fresh(row: Narasi) -> Narasi:
    return Narasi.objects.get(pk=row.pk)


def test_only_the_opds_perencana_writes_the_narrative(w):
    for user in (w.u.kabid, w.u.pimpinan, w.u.perencana_y):
        row = fresh(w.x.narasi)
        row.teks = "Diubah"
        refused(lambda user=user, row=row: narasi_save(user=user, obj=row, versi=1), "Hanya")
    assert fresh(w.x.narasi).teks == "Penutup."


def test_a_narrative_cannot_be_moved_from_another_opd(w):
    row = fresh(w.y.narasi)
    row.opd = w.x.opd
    refused(lambda: narasi_save(user=w.u.perencana, obj=row, versi=1), "Hanya perencana")
    assert fresh(w.y.narasi).opd == w.y.opd


def test_a_sasaran_of_another_opd_is_refused(w):
    row = Narasi(
        opd=w.x.opd, tahun=2024, bagian=Bagian.ANALISIS_SASARAN, sasaran=w.y.sasaran, teks="x"
    )
    invalid(lambda: narasi_save(user=w.u.perencana, obj=row), "Sasaran harus dari OPD yang sama")


def test_a_stale_narrative_is_refused(w):
    row = fresh(w.x.narasi)
    row.teks = "Satu"
    narasi_save(user=w.u.perencana, obj=row, versi=1)
    row = fresh(w.x.narasi)
    row.teks = "Dua"
    invalid(lambda: narasi_save(user=w.u.perencana, obj=row, versi=1), "sudah diubah")
    assert fresh(w.x.narasi).teks == "Satu"


def test_an_empty_narrative_is_refused(w):
    row = fresh(w.x.narasi)
    row.teks = ""
    invalid(lambda: narasi_save(user=w.u.perencana, obj=row, versi=1), "teks")


@pytest.fixture
def no_build(monkeypatch):
    """Refused before the report is built (building it costs seconds)."""
    import reporting.builder

    def fail(*args, **kwargs):
        raise AssertionError("the report was built for a refused prefill")

    monkeypatch.setattr(reporting.builder, "build_lakip", fail)


def test_a_locked_year_freezes_its_narrative(w, no_build):
    lock(w)
    row = fresh(w.x.narasi)
    row.teks = "Diubah"
    invalid(lambda: narasi_save(user=w.u.perencana, obj=row, versi=1), "Tahun 2024 dikunci")
    invalid(lambda: narasi_delete(user=w.u.perencana, obj=fresh(w.x.narasi)), "dikunci")
    invalid(lambda: narasi_prefill(user=w.u.perencana, opd=w.x.opd, tahun=2024), "dikunci")
    assert fresh(w.x.narasi).teks == "Penutup."


def test_a_prefill_by_someone_else_is_refused_before_building_anything(w, no_build):
    refused(lambda: narasi_prefill(user=w.u.kabid, opd=w.x.opd, tahun=2024), "Hanya perencana")
    refused(lambda: narasi_delete(user=w.u.perencana_y, obj=w.x.narasi), "Hanya perencana")


def test_prefill_is_the_perencanas_and_creates_only_what_is_missing(w):
    created = narasi_prefill(user=w.u.perencana, opd=w.x.opd, tahun=2024)
    assert created == Narasi.objects.filter(opd=w.x.opd, tahun=2024).count() - 1
    assert fresh(w.x.narasi).teks == "Penutup."
