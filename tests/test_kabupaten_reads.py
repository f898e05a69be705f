"""The capaian of every OPD of the kabupaten in one read: the same figures as each OPD's
own read, at a constant number of queries whatever the number of OPDs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.synthetic import build_synthetic_opd
from indicators.models import PengaturanOpd, Skala
from indicators.selectors import indicator_rows, kabupaten_rows
from indicators.services.skala import scale_presets_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _presets():
    # A transactional test elsewhere may have flushed the migrated preset scales.
    scale_presets_ensure()


def summary(rows):
    return [
        (r.indikator.pk, r.result.capaian, r.result.kategori, r.discrepant, len(r.flags))
        for r in rows
    ]


def test_every_opd_is_computed_as_its_own_read_computes_it():
    opds = [
        build_synthetic_opd(f"K{n}", sasaran=2, programs=3, indicators=15, seed=n) for n in range(3)
    ]
    # One OPD has its own scale: the kabupaten read must use it for that OPD only.
    other_scale = Skala.objects.exclude(bawaan=True).first()
    assert other_scale is not None
    PengaturanOpd.objects.create(opd=opds[1], skala=other_scale)

    together = kabupaten_rows(2024, opd_ids=[o.pk for o in opds])

    assert sorted(together) == sorted(o.pk for o in opds)
    for opd in opds:
        assert summary(together[opd.pk]) == summary(indicator_rows(opd, 2024))
    assert all(len(rows) == 15 for rows in together.values())


def test_the_kabupaten_read_costs_the_same_queries_for_two_and_five_opds():
    small = [build_synthetic_opd(f"S{n}", sasaran=2, programs=2, indicators=8) for n in range(2)]
    large = small + [
        build_synthetic_opd(f"L{n}", sasaran=3, programs=4, indicators=20) for n in range(3)
    ]
    PengaturanOpd.objects.create(opd=small[0], skala=Skala.objects.get(bawaan=True))
    counts = []
    for opds in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            rows = kabupaten_rows(2024, opd_ids=[o.pk for o in opds])
        assert len(rows) == len(opds)
        counts.append(len(ctx.captured_queries))

    # 14: the OPDs' settings with their scales (1) and bands (prefetch, 1), the default scale
    # and its bands (2), the tree read once and shared (periods with their OPD, bidang,
    # tujuan, sasaran, program, kegiatan, sub kegiatan, indicators: 8), the targets (1) and
    # the realisasi (1) of the year and the year before.
    assert counts[0] == counts[1] == 14
