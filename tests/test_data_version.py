"""Pages kept under the data version: a write anywhere raises it, so a kept page is never
shown stale; the reader's own parts (CSRF tokens, a kabid's bidang) are never shared."""

import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bench.synthetic import build_synthetic_opd
from indicators.models import Indikator, Jenis, Periode, Realisasi
from indicators.selectors import indicators_for
from indicators.services.realisasi import PeriodValue, realisasi_record
from indicators.services.target import target_set_many
from renstra.models import Bidang, Role
from renstra.permissions import SystemActor
from renstra.versions import opd_scope, read
from reporting.models import PembuatanLaporan
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

SYSTEM = SystemActor("uji")


@pytest.fixture
def opd():
    return build_synthetic_opd("VERSI", sasaran=3, programs=3, indicators=12)


def first_iku(opd):
    return Indikator.objects.filter(periode__opd=opd, jenis=Jenis.IKU).order_by("pk").first()


def test_a_write_raises_its_opds_version_after_commit_and_bookkeeping_does_not(
    opd, django_capture_on_commit_callbacks
):
    scope = opd_scope(opd.pk)
    before = read([scope])[scope]
    row = Realisasi.objects.filter(indikator__periode__opd=opd, tahun=2024).first()
    with django_capture_on_commit_callbacks(execute=True):
        realisasi_record(
            user=SYSTEM,
            indikator=row.indikator,
            tahun=2024,
            values=[PeriodValue(Periode.TAHUNAN, row.nilai + 1, "", row.versi)],
        )
        # Not before the transaction commits: other readers keep the previous figures.
        assert read([scope])[scope] == before
    after_save = read([scope])[scope]
    assert after_save == before + 1

    # A report job's progress and history records are not figures a page shows.
    with django_capture_on_commit_callbacks(execute=True):
        PembuatanLaporan.objects.create(opd=opd, tahun=2024, format="pdf")
    assert read([scope])[scope] == after_save


def test_a_kept_dashboard_shows_a_new_realisasi_at_once(client, opd):
    client.force_login(make_user("pimpinan_v", Role.PIMPINAN, opd=opd))
    url = reverse("dashboard", args=[2024])
    iku = first_iku(opd)
    client.get(url)  # kept
    row = Realisasi.objects.get(indikator=iku, tahun=2024, periode=Periode.TAHUNAN)

    realisasi_record(
        user=SYSTEM,
        indikator=iku,
        tahun=2024,
        values=[PeriodValue(Periode.TAHUNAN, Decimal("4321.5"), "", row.versi)],
        confirm=True,
    )

    assert "4.321,5" in client.get(url).content.decode()


def test_a_first_realisasi_of_a_year_shows_at_once(client, opd):
    # Inserted in bulk by the batch service (no post_save): the batch raises the version.
    client.force_login(make_user("pimpinan_v", Role.PIMPINAN, opd=opd))
    url = reverse("dashboard", args=[2026])
    iku = first_iku(opd)
    client.get(url)
    assert not Realisasi.objects.filter(indikator=iku, tahun=2026).exists()

    realisasi_record(
        user=SYSTEM,
        indikator=iku,
        tahun=2026,
        values=[PeriodValue(Periode.TAHUNAN, Decimal("4321.5"), "", 0)],
        confirm=True,
    )

    assert "4.321,5" in client.get(url).content.decode()


def test_a_bulk_workbook_write_raises_the_version_too(
    client, opd, django_capture_on_commit_callbacks
):
    from indicators.services.target import TargetChange

    iku = first_iku(opd)
    client.force_login(make_user("pimpinan_v", Role.PIMPINAN, opd=opd))
    url = reverse("dashboard", args=[2024])
    client.get(url)
    scope = opd_scope(opd.pk)
    before = read([scope])[scope]
    stored = iku.target_set.get(tahun=2024, jenis="renstra")

    # Bulk writes send no post_save: the batch notes its rows' OPD itself.
    with django_capture_on_commit_callbacks(execute=True):
        target_set_many(
            user=SYSTEM,
            changes=[TargetChange(iku, 2024, Decimal("87.25"), "", "renstra", stored.versi)],
            confirm=True,
        )

    assert read([scope])[scope] == before + 1
    assert "87,25" in client.get(url).content.decode()


def test_each_reader_gets_their_own_csrf_token_in_the_kept_page(
    opd, django_capture_on_commit_callbacks
):
    url = reverse("dashboard", args=[2024])
    for name in ("pimpinan_a", "pimpinan_b"):
        reader = Client(enforce_csrf_checks=True)
        reader.force_login(make_user(name, Role.PIMPINAN, opd=opd))
        html = reader.get(url).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        with django_capture_on_commit_callbacks(execute=False):
            response = reader.post(
                reverse("lakip_file", args=[2024, "pdf"]), {"csrfmiddlewaretoken": token}
            )
        # The token of the kept page was this reader's: the request is accepted (queued).
        assert response.status_code == 302, name


def test_a_kabid_and_the_pimpinan_of_one_opd_keep_separate_pages(client, opd):
    url = reverse("dashboard", args=[2024])
    pimpinan = make_user("pimpinan_v", Role.PIMPINAN, opd=opd)
    client.force_login(pimpinan)
    everything = client.get(url).content.decode()

    bidang = Bidang.objects.filter(opd=opd).order_by("kode").first()
    kabid = make_user("kabid_v", Role.KABID, opd=opd, bidang=bidang)
    client.force_login(kabid)
    own = client.get(url).content.decode()

    theirs = set(indicators_for(kabid).values_list("nama", flat=True))
    others = set(
        Indikator.objects.filter(periode__opd=opd, jenis=Jenis.IKU)
        .exclude(nama__in=theirs)
        .values_list("nama", flat=True)
    )
    assert others
    shown = lambda html, name: f">{name}<" in html  # noqa: E731
    assert any(shown(everything, name) for name in others)
    assert not any(shown(own, name) for name in others)


def test_a_renamed_indicator_and_a_deleted_comparison_show_at_once(client, opd):
    # Plain saves and deletes (post_save, post_delete) raise the version.
    from indicators.models import Pembanding
    from indicators.services.indikator import indikator_save
    from indicators.services.pendukung import pembanding_delete

    client.force_login(make_user("pimpinan_v", Role.PIMPINAN, opd=opd))
    url = reverse("dashboard", args=[2024])
    iku = first_iku(opd)
    assert "Kabupaten Tetangga" in client.get(url).content.decode()

    iku.nama = "Indikator yang baru dinamai"
    indikator_save(user=SYSTEM, obj=iku)
    assert "Indikator yang baru dinamai" in client.get(url).content.decode()

    for comparison in Pembanding.objects.filter(indikator__periode__opd=opd):
        pembanding_delete(user=SYSTEM, obj=comparison)
    assert "Kabupaten Tetangga" not in client.get(url).content.decode()


def test_the_kabid_list_shows_a_value_saved_through_the_form_at_once(client, opd):
    bidang = Indikator.objects.with_tree().filter(periode__opd=opd).first().effective_bidang
    kabid = make_user("kabid_v", Role.KABID, opd=opd, bidang=bidang)
    client.force_login(kabid)
    url = reverse("indicators:realisasi_list", args=[2026])
    indikator = indicators_for(kabid).order_by("pk").first()
    assert "98,76" not in client.get(url).content.decode()  # kept

    fields = ("tahunan", "tw1", "tw2", "tw3", "tw4", "analisis", "hambatan", "tindak_lanjut")
    data = dict.fromkeys(fields, "")
    data.update({f"versi_{p}": 0 for p in ("tahunan", "tw1", "tw2", "tw3", "tw4")})
    data["tahunan"] = "98,76"
    response = client.post(reverse("indicators:realisasi_edit", args=[2026, indikator.pk]), data)
    assert response.status_code == 302

    assert "98,76" in client.get(url).content.decode()


def edit_form(html: str, tahunan: str) -> dict[str, str]:
    """The form as the browser would send it: its hidden fields (token, versions) and a value."""
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    for name in ("tw1", "tw2", "tw3", "tw4", "analisis", "hambatan", "tindak_lanjut"):
        data.setdefault(name, "")
    data["tahunan"] = tahunan
    return data


def test_the_kept_edit_page_carries_each_readers_own_token_and_current_versions(opd):
    bidang = Indikator.objects.with_tree().filter(periode__opd=opd).first().effective_bidang
    indikator = next(
        i
        for i in Indikator.objects.with_tree().filter(periode__opd=opd)
        if i.effective_bidang_id == bidang.pk
    )
    url = reverse("indicators:realisasi_edit", args=[2026, indikator.pk])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_user("kabid_1", Role.KABID, opd=opd, bidang=bidang))
    second.force_login(make_user("kabid_2", Role.KABID, opd=opd, bidang=bidang))

    first_page = first.get(url).content.decode()  # kept here
    assert first.post(url, edit_form(first_page, "61,5")).status_code == 302

    # The second reader's page is the kept one for the new version: their own token, the
    # stored value and its version, so their save is accepted, not refused as stale.
    second_page = second.get(url).content.decode()
    assert 'value="61,5"' in second_page
    assert second.post(url, edit_form(second_page, "62,5")).status_code == 302
    row = Realisasi.objects.get(indikator=indikator, tahun=2026, periode=Periode.TAHUNAN)
    assert row.nilai == Decimal("62.5") and row.versi == 2


def test_a_reader_and_a_writer_of_one_indicator_keep_separate_pages(client, opd):
    bidang = Indikator.objects.with_tree().filter(periode__opd=opd).first().effective_bidang
    indikator = next(
        i
        for i in Indikator.objects.with_tree().filter(periode__opd=opd)
        if i.effective_bidang_id == bidang.pk
    )
    url = reverse("indicators:realisasi_edit", args=[2026, indikator.pk])
    client.force_login(make_user("pimpinan_v", Role.PIMPINAN, opd=opd))
    assert "Simpan realisasi" not in client.get(url).content.decode()
    client.force_login(make_user("kabid_v", Role.KABID, opd=opd, bidang=bidang))
    assert "Simpan realisasi" in client.get(url).content.decode()


def test_every_tracked_model_says_how_its_opd_is_reached():
    """A new model of the plan must name its OPD's anchor (renstra.versions.ANCHOR), or every
    write to it would throw away every OPD's kept pages."""
    from django.apps import apps

    from renstra.versions import ANCHOR, PATH, tracked

    # Written rarely, shown everywhere: their writes raise every version.
    everywhere = {"renstra.pemda", "indicators.skala", "indicators.skalaband"}
    for model in apps.get_models():
        label = model._meta.label_lower
        if not tracked(model) or label in everywhere:
            continue
        assert label in ANCHOR, f"{label}: no anchor in renstra.versions.ANCHOR"
        field, target = ANCHOR[label]
        assert target in PATH, label
        names = {f.attname for f in model._meta.concrete_fields} | {"pk"}
        assert field in names, f"{label}.{field}"


def test_a_write_to_the_rpjmd_raises_every_opd_of_its_pemda(django_capture_on_commit_callbacks):
    from bench.synthetic import build_synthetic_opd
    from renstra.models import JenisOpd, Opd, Pemda, PeriodeRenstra

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = build_synthetic_opd("SATU", sasaran=1, programs=1, indicators=1)
        second = build_synthetic_opd("DUA", sasaran=1, programs=1, indicators=1, pemda=first.pemda)
        unit = Opd.objects.create(
            kode="UNIT", nama="Pemda", pemda=first.pemda, jenis=JenisOpd.PEMDA
        )
        other_pemda = Pemda.objects.create(kode="LAIN", nama="Kabupaten Lain")
        elsewhere = build_synthetic_opd(
            "JAUH", sasaran=1, programs=1, indicators=1, pemda=other_pemda
        )
    scopes = [opd_scope(o.pk) for o in (first, second, unit)]
    before = read([*scopes, opd_scope(elsewhere.pk)])

    # In its own transaction, as a service writes (the test's own runs around it).
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        PeriodeRenstra.objects.create(opd=unit, tahun_awal=2021, tahun_akhir=2026)

    after = read([*scopes, opd_scope(elsewhere.pk)])
    assert all(after[s] == before[s] + 1 for s in scopes)
    assert after[opd_scope(elsewhere.pk)] == before[opd_scope(elsewhere.pk)]
