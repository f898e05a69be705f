"""``manage.py demo_evaluasi`` (``make demo``): DP3APPKBPMD's Evaluasi AKIP 2024 in progress,
written through the services; a second run changes nothing."""

from __future__ import annotations

import io
import os
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from evaluasi.models import Evaluasi, Jawaban, StatusEvaluasi
from evaluasi.reader import scores_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(seed_module, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        call_command("demo_users", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():
        User.objects.all().delete()


def state() -> list[tuple]:
    return list(
        Jawaban.objects.order_by("kriteria__urutan").values_list(
            "kriteria__kode", "usulan", "penetapan", "catatan_penetapan", "versi"
        )
    )


def test_it_leaves_an_evaluation_in_progress_and_twice_changes_nothing(demo):
    out = io.StringIO()
    call_command("demo_evaluasi", stdout=out)
    assert "12 jawaban OPD, 4 jawaban Inspektorat (16 ditulis)" in out.getvalue()
    evaluasi = Evaluasi.objects.get(opd__kode="DP3APPKBPMD", tahun=2024)
    assert evaluasi.status == StatusEvaluasi.EVALUASI
    assert Jawaban.objects.filter(evaluasi=evaluasi).count() == 12
    assert Jawaban.objects.exclude(usulan="").count() == 12
    assert Jawaban.objects.exclude(penetapan="").count() == 4
    assert Jawaban.objects.get(kriteria__kode="1.a.7").usulan == "B"
    assert Jawaban.objects.get(kriteria__kode="1.a.7").penetapan == "C"
    scores = scores_of(evaluasi)
    # 1.a: (6 + 0,75)/7 × 6 = 5,7857; 1.b: (1 + 0 + 2 × 0,75 + 0,5)/10 × 9 = 2,7.
    assert round(scores.usulan.total, 4) == Decimal("8.4857")
    # 1.a: (3 + 0,5)/7 × 6 = 3,00; the rest not yet evaluated counts 0.
    assert round(scores.penetapan.total, 2) == Decimal("3.00")
    before = state(), evaluasi.history.count(), Jawaban.history.count()
    out = io.StringIO()
    call_command("demo_evaluasi", stdout=out)
    assert "(0 ditulis)" in out.getvalue()
    assert (state(), evaluasi.history.count(), Jawaban.history.count()) == before


def test_it_needs_the_seed_and_the_demo_users(demo):
    User.objects.filter(username="inspektorat").delete()  # rolled back after the test
    with pytest.raises(CommandError, match="jalankan load_seed dan demo_users"):
        call_command("demo_evaluasi", stdout=io.StringIO())
