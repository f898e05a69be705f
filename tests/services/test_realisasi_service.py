"""realisasi_record(_many) / realisasi_save / realisasi_delete: the bidang's own indicators,
open years of the period, versions, evidence opened by content, numbers (not text) for a
numeric indicator, annual-only indicators, bounds, and the ×10 confirmation."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Frekuensi, Periode, Realisasi
from indicators.services.realisasi import (
    PeriodValue,
    RealisasiEntry,
    realisasi_delete,
    realisasi_record,
    realisasi_record_many,
    realisasi_save,
)
from renstra.door import NeedsConfirmation
from tests.factories import IndikatorFactory, TargetFactory
from tests.services.conftest import invalid, lock, refused

pytestmark = pytest.mark.django_db


def annual(ind) -> Realisasi | None:
    return Realisasi.objects.filter(indikator=ind, tahun=2024, periode=Periode.TAHUNAN).first()


def record(w, user, value: str | None, *, versi: int = 1, text: str = "", **kwargs):
    return realisasi_record(
        user=user,
        indikator=kwargs.pop("ind", w.x.indikator),
        tahun=kwargs.pop("tahun", 2024),
        values=[
            PeriodValue(Periode.TAHUNAN, Decimal(value) if value is not None else None, text, versi)
        ],
        **kwargs,
    )


def test_only_the_indicators_own_bidang_records(w):
    for user in (w.u.kabid_b, w.u.perencana, w.u.pimpinan, w.u.perencana_y):
        refused(
            lambda user=user: record(w, user, "74"),
            "Anda hanya dapat mengisi realisasi indikator bidang Anda sendiri",
        )
    record(w, w.u.kabid, "74")
    assert annual(w.x.indikator).nilai == Decimal(74)


def test_a_locked_year_and_a_year_outside_the_period_are_refused(w):
    invalid(lambda: record(w, w.u.kabid, "1", tahun=2030, versi=0), "di luar periode Renstra")
    lock(w)
    invalid(lambda: record(w, w.u.kabid, "74"), "Tahun 2024 dikunci: LAKIP final")
    assert annual(w.x.indikator).nilai == Decimal("73.27")


def test_a_stale_form_is_refused_with_the_newer_value(w):
    record(w, w.u.kabid, "74")
    invalid(lambda: record(w, w.u.kabid, "75"), "sudah diubah oleh kabid menjadi 74")
    assert (annual(w.x.indikator).nilai, annual(w.x.indikator).versi) == (74, 2)


def test_text_is_refused_unless_the_years_target_is_qualitative(w):
    invalid(lambda: record(w, w.u.kabid, None, text="abc"), "«abc» bukan angka")
    qualitative = IndikatorFactory(sasaran=w.x.sasaran, nama="Opini BPK")
    TargetFactory(indikator=qualitative, tahun=2024, nilai=None, nilai_teks="WTP")
    record(w, w.u.kabid, None, text="WTP", ind=qualitative, versi=0)
    assert annual(qualitative).nilai_teks == "WTP"
    assert annual(w.x.indikator).nilai_teks == ""


def test_quarters_of_an_annual_only_indicator_are_refused(w):
    ind = IndikatorFactory(sasaran=w.x.sasaran, frekuensi=Frekuensi.TAHUNAN)
    invalid(
        lambda: realisasi_record(
            user=w.u.kabid,
            indikator=ind,
            tahun=2024,
            values=[PeriodValue(Periode.TW1, Decimal(5), "", 0)],
        ),
        "hanya dilaporkan tahunan",
    )
    assert not Realisasi.objects.filter(indikator=ind).exists()


def test_a_value_the_column_cannot_hold_is_refused(w):
    invalid(lambda: record(w, w.u.kabid, "99999999999999.999999"), "15 angka bermakna")
    assert annual(w.x.indikator).nilai == Decimal("73.27")


def test_evidence_is_checked_by_its_content(w):
    fake = SimpleUploadedFile("bukti.pdf", b"<html>not a pdf</html>")
    invalid(lambda: record(w, w.u.kabid, "74", bukti=fake), "Jenis berkas tidak diizinkan")
    assert not annual(w.x.indikator).bukti


def test_a_tenfold_jump_waits_for_confirmation(w):
    with pytest.raises(NeedsConfirmation, match="732,7 adalah ×10,00 dari 73,27"):
        record(w, w.u.kabid, "732.7")
    with pytest.raises(NeedsConfirmation, match=r"7,3 adalah .* \(realisasi 2024\)"):
        record(w, w.u.kabid, "7.3", tahun=2025, versi=0)
    assert annual(w.x.indikator).nilai == Decimal("73.27")
    record(w, w.u.kabid, "732.7", confirm=True)
    assert annual(w.x.indikator).nilai == Decimal("732.7")


def test_many_entries_cost_a_fixed_number_of_queries(w):
    def run(n):
        indicators = [IndikatorFactory(sasaran=w.x.sasaran) for _ in range(n)]
        entries = [
            RealisasiEntry(ind, 2024, (PeriodValue(Periode.TAHUNAN, Decimal(5), "", 0),))
            for ind in indicators
        ]
        with CaptureQueriesContext(connection) as queries:
            # A fresh user each run: the role is read once per user object.
            realisasi_record_many(user=User.objects.get(pk=w.u.kabid.pk), entries=entries)
        return len(queries)

    # 13 whatever the number of rows: the user, the transaction's savepoint and its release,
    # the indicators locked (two first saves at once), the indicators with their tree, the
    # stored rows (locked), the year's targets, the previous year's values, the role and the
    # OPD (2), the lock, the rows inserted in bulk and their history in bulk (the OPD's
    # version is raised after the commit, renstra.versions).
    assert run(2) == run(6) == 13


def test_the_admin_form_is_held_to_the_same_rules(w):
    row = annual(w.x.indikator)
    row.nilai_teks, row.nilai = "abc", None
    invalid(lambda: realisasi_save(user=w.u.admin, obj=row, versi=1), "bukan angka")
    row = annual(w.x.indikator)
    row.nilai = Decimal("99999999999999.999999")
    invalid(lambda: realisasi_save(user=w.u.admin, obj=row, versi=1), "15 angka bermakna")
    row = annual(w.x.indikator)
    row.nilai = Decimal(74)
    invalid(lambda: realisasi_save(user=w.u.admin, obj=row, versi=0), "sudah diubah")
    refused(lambda: realisasi_save(user=w.u.kabid_b, obj=row, versi=1), "bidang Anda sendiri")
    row.tahun = 2025
    lock(w)
    invalid(lambda: realisasi_save(user=w.u.admin, obj=row, versi=1), "Tahun 2024 dikunci")
    assert annual(w.x.indikator).nilai == Decimal("73.27")


def test_a_realisasi_is_deleted_only_by_its_bidang_in_an_open_year(w):
    refused(lambda: realisasi_delete(user=w.u.perencana, obj=annual(w.x.indikator)), "bidang")
    lock(w)
    invalid(lambda: realisasi_delete(user=w.u.kabid, obj=annual(w.x.indikator)), "dikunci")
    assert annual(w.x.indikator) is not None
