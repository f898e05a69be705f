"""The capaian of every OPD of the kabupaten in one read (``kabupaten.reader.compute_pemda``,
the one reader of the dashboard, the LKjIP Pemda and the pohon kinerja): the same figures as
each OPD's own read, at a constant number of queries whatever the number of OPDs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.synthetic import build_synthetic_opd
from indicators.models import PengaturanOpd, Skala
from indicators.selectors import indicator_rows
from indicators.services.skala import scale_presets_ensure
from kabupaten.reader import compute_pemda
from renstra.models import Pemda

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _presets():
    # A transactional test elsewhere may have flushed the migrated preset scales.
    scale_presets_ensure()


def summary(rows):
    # By indicator: the kabupaten read orders its rows only as far as its figures need
    # (reader._order), not in the tree pages' full order.
    return sorted(
        (r.indikator.pk, r.result.capaian, r.result.kategori, r.discrepant, len(r.flags))
        for r in rows
    )


def test_every_opd_is_computed_as_its_own_read_computes_it():
    pemda = Pemda.objects.create(kode="KAB", nama="Kabupaten")
    opds = [
        build_synthetic_opd(f"K{n}", sasaran=2, programs=3, indicators=15, seed=n, pemda=pemda)
        for n in range(3)
    ]
    # One OPD has its own scale: the kabupaten read must use it for that OPD only.
    other_scale = Skala.objects.exclude(bawaan=True).first()
    assert other_scale is not None
    PengaturanOpd.objects.create(opd=opds[1], skala=other_scale)

    _opds, together, _settings = compute_pemda(pemda, 2024)

    assert sorted(together) == sorted(o.pk for o in opds)
    for opd in opds:
        assert summary(together[opd.pk]) == summary(indicator_rows(opd, 2024))
    assert all(len(rows) == 15 for rows in together.values())


def test_the_kabupaten_read_costs_the_same_queries_for_two_and_five_opds():
    small = Pemda.objects.create(kode="KECIL", nama="Kecil")
    large = Pemda.objects.create(kode="BESAR", nama="Besar")
    first = [
        build_synthetic_opd(f"S{n}", sasaran=2, programs=2, indicators=8, pemda=small)
        for n in range(2)
    ]
    second = [
        build_synthetic_opd(f"L{n}", sasaran=3, programs=4, indicators=20, pemda=large)
        for n in range(5)
    ]
    # Each Pemda has an OPD with its own settings (else the bands' prefetch is not run).
    for opd in (first[0], second[0]):
        PengaturanOpd.objects.create(opd=opd, skala=Skala.objects.get(bawaan=True))
    counts = []
    for pemda, n in ((small, 2), (large, 5)):
        with CaptureQueriesContext(connection) as ctx:
            _opds, rows, _settings = compute_pemda(pemda, 2024)
        assert len(rows) == n
        counts.append(len(ctx.captured_queries))

    # 8 (the deleted second reader, indicators.selectors.kabupaten_rows, took 14: it read the
    # whole tree, 8 queries, where this one joins only the period, sasaran and program the
    # figures need): the Pemda's OPDs (1), their settings with their scales (1) and bands
    # (prefetch, 1), the default scale and its bands (2), the indicators (1), the targets (1)
    # and the realisasi (1) of the year and the year before.
    assert counts[0] == counts[1] == 8
