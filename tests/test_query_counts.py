"""The kabid's pages read only what they show: a constant, pinned number of queries whatever
the size of the OPD or of the bidang."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.synthetic import build_synthetic_opd
from indicators.models import Indikator
from indicators.selectors import indicators_for
from renstra.models import Bidang, Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def kabid_of(opd, name):
    bidang = Bidang.objects.filter(opd=opd).order_by("kode").first()
    return make_user(name, Role.KABID, opd=opd, bidang=bidang)


def count(client, user, url, kept=False):
    """Queries of a request; with ``kept`` the page's figures are already kept for this data
    version (renstra.versions), else they are computed."""
    client.force_login(user)
    client.get(url)  # warm the per-process caches (content types, the default scale)
    if not kept:
        caches["pages"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), ctx.captured_queries


@pytest.fixture
def two_sizes():
    small = build_synthetic_opd("KECIL", sasaran=4, programs=8, indicators=40)
    large = build_synthetic_opd("BESAR", sasaran=8, programs=24, indicators=160)
    return kabid_of(small, "kabid_kecil"), kabid_of(large, "kabid_besar")


@pytest.mark.cache
def test_the_kabid_list_costs_the_same_queries_for_a_small_and_a_large_opd(client, two_sizes):
    small, large = two_sizes
    url = reverse("indicators:realisasi_list", args=[2024])

    n_small, _ = count(client, small, url)
    n_large, _ = count(client, large, url)

    # 10 computed: the user and the versions (who is asking — role, OPD, bidang, devices —
    # comes from the session, itself read from the cache), the bidang's indicators with their
    # tree (one SQL filter on the effective bidang), the scale (settings, skala, bands), the
    # targets and the realisasi of the year and the year before (2), the lock and the Renstra
    # years for the picker. No session save: a session is renewed at most every ten minutes.
    assert n_large == n_small
    assert n_small == 10
    # 2 once kept for the OPD's version: the user and the versions.
    assert count(client, large, url, kept=True)[0] == 2


def test_the_kabid_list_fetches_only_the_bidangs_indicators(client, two_sizes):
    _small, large = two_sizes
    client.force_login(large)
    response = client.get(reverse("indicators:realisasi_list", args=[2024]))
    own = set(indicators_for(large).values_list("pk", flat=True))
    assert 0 < len(own) < Indikator.objects.filter(periode__opd=large.penugasan.opd).count()
    shown = {int(pk) for pk in response.context["writable"]}
    assert shown == own


@pytest.mark.cache
def test_the_edit_page_reads_its_indicator_in_a_fixed_number_of_queries(client, two_sizes):
    small, large = two_sizes
    counts = []
    for user in (small, large):
        indikator = indicators_for(user).order_by("pk").first()
        url = reverse("indicators:realisasi_edit", args=[2024, indikator.pk])
        counts.append(count(client, user, url)[0])

    # 13 computed = the request's 2 (the user and the versions; who is asking from the
    # session) and the view's 11: the indicator's OPD with its version, the indicator with its
    # tree for the permission checks, the indicator with its tree, formula and the year's lock
    # as a subquery, the scale (settings, skala, bands), the targets and the realisasi of the
    # year and the year before (2), the history, and the definition's context (every year's
    # annual realisasi, the final year's targets: 2).
    assert counts[0] == counts[1]
    assert counts[0] == 13
    # 3 once kept for the OPD's version: the request's 2 and the indicator's OPD with its
    # version (the page knows the indicator, not its OPD).
    assert count(client, large, url, kept=True)[0] == 3
