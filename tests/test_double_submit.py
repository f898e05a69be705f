"""A double click on a realisasi that does not exist yet (issue #19, finding 4): two requests
saving the first value of the same indicator-year at once. On PostgreSQL both read "no row",
both inserted, and the second answered 500 (IntegrityError on the unique key). Now the writer
locks the indicator first: the second waits, reads the first's row and gets the usual "data
telah diubah" answer.

The requests run outside a wrapping transaction, as in production. On PostgreSQL they run in
two threads forced to overlap (each waits for the other inside the service, up to a second);
SQLite has no row locks and one writer at a time, so there the two clicks arrive one after
the other and the same outcome is asserted."""

import contextlib
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from indicators.models import Periode, Realisasi
from indicators.services import realisasi as realisasi_services
from indicators.services import skala as skala_services
from renstra.models import Role
from tests.factories import (
    BidangFactory,
    IndikatorFactory,
    OpdFactory,
    PeriodeFactory,
    SasaranFactory,
    TujuanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

POSTGRES = connection.vendor == "postgresql"


def _post(user, indikator) -> tuple[int, str]:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    data = dict.fromkeys(
        ("tahunan", "tw1", "tw2", "tw3", "tw4", "analisis", "hambatan", "tindak_lanjut"), ""
    )
    data.update({f"versi_{p}": 0 for p in ("tahunan", "tw1", "tw2", "tw3", "tw4")})
    data["tahunan"] = "12,5"
    try:
        response = client.post(
            reverse("indicators:realisasi_edit", args=[2024, indikator.pk]), data, follow=False
        )
        # A refusal re-renders the form (400) with the message on it.
        return response.status_code, response.content.decode()
    finally:
        connection.close()


def test_a_double_click_on_a_new_realisasi_answers_the_stale_message_not_500(monkeypatch):
    opd = OpdFactory(kode="X")
    bidang = BidangFactory(opd=opd, kode="A")
    sasaran = SasaranFactory(tujuan=TujuanFactory(periode=PeriodeFactory(opd=opd)), bidang=bidang)
    indikator = IndikatorFactory(sasaran=sasaran, nama="Indeks uji", satuan="indeks")
    kabid = make_user("kabid", Role.KABID, opd=opd, bidang=bidang)
    # The flushed test database lacks the preset scales the first page creates: made here, so
    # the two requests race only on the realisasi (the presets' own race has its test).
    skala_services.scale_presets_ensure()

    results: list[tuple[int, str]] = []
    if POSTGRES:
        meet = threading.Barrier(2)
        check = realisasi_services.RealisasiBatch.check

        def overlapping_check(self, entry):
            # Without the indicator lock both requests get here having read "no row"; with
            # it the second is still waiting for the lock, so the first waits in vain.
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait(timeout=1)
            return check(self, entry)

        monkeypatch.setattr(realisasi_services.RealisasiBatch, "check", overlapping_check)
        threads = [
            threading.Thread(target=lambda: results.append(_post(kabid, indikator)))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:
        results = [_post(kabid, indikator), _post(kabid, indikator)]

    statuses = sorted(status for status, _ in results)
    assert statuses == [302, 400], statuses
    refused = next(body for status, body in results if status == 400)
    assert "Data ini telah diubah sejak formulir atau berkas dibuka" in refused
    assert "sudah diubah oleh kabid menjadi 12,5" in refused
    rows = Realisasi.objects.filter(indikator=indikator, tahun=2024, periode=Periode.TAHUNAN)
    assert [r.nilai for r in rows] == [Decimal("12.5")]
    assert rows.get().versi == 1


def test_two_first_requests_creating_the_preset_scales_at_once_do_not_fail(monkeypatch):
    """Found by the test above on PostgreSQL: in a database without the preset scales (a
    flushed one) two first pages both created them, and the second hit the unique kode.
    Without the savepoint this fails on PostgreSQL with that IntegrityError."""
    from indicators.models import Skala

    errors: list[BaseException] = []
    meet = threading.Barrier(2)
    save = skala_services._preset_save

    def both_found_it_missing(*args, **kwargs):
        # Each waits (up to a second) until the other has also checked and found it missing.
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=1)
        return save(*args, **kwargs)

    monkeypatch.setattr(skala_services, "_preset_save", both_found_it_missing)
    Skala.objects.all().delete()  # a database without them (the migrations made them)

    def first_page() -> None:
        try:
            skala_services.scale_presets_ensure()
        except BaseException as exc:  # the assertion below names it
            errors.append(exc)
        finally:
            connection.close()

    if POSTGRES:
        threads = [threading.Thread(target=first_page) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:  # SQLite: one writer at a time, as in the test above
        monkeypatch.setattr(skala_services, "_preset_save", save)
        first_page()
        first_page()

    assert errors == []
    assert Skala.objects.filter(bawaan=True).count() == 1


def test_two_first_saves_of_one_register_entry_at_once_both_succeed(monkeypatch):
    """The document register (issue #22): two saves of an entry that does not exist yet, at
    once. The OPD is locked before the entry is read, so the second waits and updates the
    first's row instead of breaking the unique key."""
    import datetime

    from dokumen import services as dokumen_services
    from dokumen.models import DokumenRegister

    opd = OpdFactory(kode="X")
    perencana = make_user("perencana", Role.PERENCANA, opd=opd)
    results: list[str] = []
    if POSTGRES:
        meet = threading.Barrier(2)
        entry = dokumen_services._entry

        def overlapping_entry(*args, **kwargs):
            found = entry(*args, **kwargs)
            # Without the OPD lock both saves get here having read "no row".
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait(timeout=1)
            return found

        monkeypatch.setattr(dokumen_services, "_entry", overlapping_entry)

    def save(nomor: str) -> None:
        try:
            dokumen_services.dokumen_save(
                user=perencana,
                opd=opd,
                tahun=2024,
                jenis=6,
                nomor=nomor,
                tanggal_penetapan=datetime.date(2024, 2, 1),
            )
            results.append("ok")
        except Exception as exc:  # the test reports whatever broke
            results.append(type(exc).__name__)
        finally:
            connection.close()

    if POSTGRES:
        threads = [threading.Thread(target=save, args=(n,)) for n in ("1/PK/2024", "2/PK/2024")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        save("1/PK/2024")
        save("2/PK/2024")
    assert results == ["ok", "ok"]
    (row,) = DokumenRegister.objects.filter(opd=opd, tahun=2024, jenis=6)
    assert row.nomor in ("1/PK/2024", "2/PK/2024")
