"""pengaturan_save / pengaturan_delete: an OPD's computation settings are its perencana's."""

import pytest

from indicators.models import PengaturanOpd, Skala
from indicators.services.skala import pengaturan_delete, pengaturan_save, scale_presets_ensure
from tests.services.conftest import invalid, refused

pytestmark = pytest.mark.django_db


def setting(opd, metode="rasio") -> PengaturanOpd:
    scale_presets_ensure()
    return PengaturanOpd(opd=opd, skala=Skala.objects.get(bawaan=True), metode_efisiensi=metode)


def test_only_the_opds_perencana_chooses_its_settings(w):
    refused(lambda: pengaturan_save(user=w.u.perencana, obj=setting(w.y.opd)), "Hanya perencana")
    refused(lambda: pengaturan_save(user=w.u.pimpinan, obj=setting(w.x.opd)), "Hanya perencana")
    pengaturan_save(user=w.u.perencana, obj=setting(w.x.opd))
    assert PengaturanOpd.objects.get().opd == w.x.opd


def test_an_unknown_method_is_refused(w):
    invalid(
        lambda: pengaturan_save(user=w.u.perencana, obj=setting(w.x.opd, metode="sihir")),
        "metode_efisiensi|bukan pilihan",
    )


def test_settings_are_removed_only_by_their_perencana(w):
    row = pengaturan_save(user=w.u.perencana, obj=setting(w.x.opd))
    refused(lambda: pengaturan_delete(user=w.u.perencana_y, obj=row), "Hanya perencana")
    assert PengaturanOpd.objects.filter(pk=row.pk).exists()
