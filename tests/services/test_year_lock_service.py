"""year_lock / year_unlock: the perencana of the OPD, with a reason, once."""

import pytest

from renstra.models import KunciTahun
from renstra.services import year_lock, year_unlock
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


def test_only_the_opds_perencana_locks_and_unlocks(w):
    refused(
        lambda: year_lock(user=w.u.perencana, opd=w.y.opd, tahun=2024, alasan="x"),
        "Hanya perencana OPD ini yang dapat mengunci",
    )
    year_lock(user=w.u.perencana, opd=w.x.opd, tahun=2024, alasan="LAKIP final")
    refused(
        lambda: year_unlock(user=w.u.kabid, opd=w.x.opd, tahun=2024, alasan="x"),
        "Hanya perencana OPD ini yang dapat membuka",
    )
    assert KunciTahun.objects.get().dikunci_oleh == w.u.perencana


def test_locking_needs_a_reason_and_happens_once(w):
    invalid(lambda: year_lock(user=w.u.perencana, opd=w.x.opd, tahun=2024, alasan=" "), "Alasan")
    year_lock(user=w.u.perencana, opd=w.x.opd, tahun=2024, alasan="final")
    invalid(
        lambda: year_lock(user=w.u.perencana, opd=w.x.opd, tahun=2024, alasan="lagi"),
        "sudah dikunci",
    )
    assert KunciTahun.objects.count() == 1


def test_unlocking_needs_a_reason_and_is_recorded(w):
    year_lock(user=w.u.perencana, opd=w.x.opd, tahun=2024, alasan="final")
    invalid(lambda: year_unlock(user=w.u.perencana, opd=w.x.opd, tahun=2024, alasan=""), "Alasan")
    assert KunciTahun.objects.exists()
    year_unlock(user=w.u.perencana, opd=w.x.opd, tahun=2024, alasan="Koreksi")
    record = KunciTahun.history.filter(history_type="-").get()
    assert (record.history_user, record.history_change_reason) == (w.u.perencana, "Dibuka: Koreksi")
