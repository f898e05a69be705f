"""skala_save / skala_delete: scales are the admin's; bands are one gapless whole, and
changing them raises the scale's version."""

from decimal import Decimal

import pytest

from indicators.models import Skala
from indicators.services.skala import scale_presets_ensure, skala_delete, skala_save
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db

BANDS = [
    {
        "urutan": 1,
        "label": "Rendah",
        "batas_bawah": None,
        "batas_atas": Decimal(50),
        "bawah_inklusif": False,
        "atas_inklusif": True,
    },
    {
        "urutan": 2,
        "label": "Tinggi",
        "batas_bawah": Decimal(50),
        "batas_atas": None,
        "bawah_inklusif": False,
        "atas_inklusif": False,
    },
]


def test_only_an_admin_changes_a_scale(w):
    refused(
        lambda: skala_save(user=w.u.perencana, obj=Skala(kode="dua", nama="Dua"), bands=BANDS),
        "Hanya admin",
    )
    skala_save(user=w.u.admin, obj=Skala(kode="dua", nama="Dua"), bands=BANDS)
    assert Skala.objects.get(kode="dua").band_set.count() == 2


def test_bands_with_a_gap_are_refused(w):
    gap = [BANDS[0], {**BANDS[1], "batas_bawah": Decimal(60)}]
    invalid(
        lambda: skala_save(user=w.u.admin, obj=Skala(kode="c", nama="C"), bands=gap),
        "ada celah antara «Rendah» dan «Tinggi»",
    )
    assert not Skala.objects.filter(kode="c").exists()


def test_a_scale_needs_a_code_and_name(w):
    invalid(lambda: skala_save(user=w.u.admin, obj=Skala(kode="", nama="")), "kode")


def test_changing_the_bands_raises_the_version(w):
    skala = skala_save(user=w.u.admin, obj=Skala(kode="dua", nama="Dua"), bands=BANDS)
    moved = [{**BANDS[0], "batas_atas": Decimal(60)}, {**BANDS[1], "batas_bawah": Decimal(60)}]
    skala_save(user=w.u.admin, obj=skala, bands=moved)
    assert Skala.objects.get(pk=skala.pk).versi == "2"


def test_a_scale_in_use_is_not_deleted(w):
    scale_presets_ensure()
    default = Skala.objects.get(bawaan=True)
    refused(lambda: skala_delete(user=w.u.perencana, obj=default), "Hanya admin")
    invalid(lambda: skala_delete(user=w.u.admin, obj=default), "sedang dipakai")
    assert Skala.objects.filter(pk=default.pk).exists()
