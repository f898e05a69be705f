"""A realisasi stated "tidak tersedia" in the engine: no data, never 0 — no capaian, no
kategori, left out of the bounded mean's indicators with data yet counted among the total.

Pure tests — no database."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from indicators import engine
from indicators.engine import SCALE_SEED_3_2, Polarity


def unavailable(reason: str = "data BPS belum rilis", **kwargs):
    return engine.compute_capaian(
        target=kwargs.pop("target", Decimal(75)),
        realisasi=kwargs.pop("realisasi", None),
        polarity=kwargs.pop("polarity", Polarity.NEGATIF),
        unavailable=reason,
        **kwargs,
    )


def test_not_available_has_no_capaian_and_says_why():
    result = unavailable()
    assert (result.capaian, result.kategori, result.band, result.realisasi_used) == (
        None,
        None,
        None,
        None,
    )
    assert result.reason == "realisasi tidak tersedia: data BPS belum rilis"
    assert result.unavailable is True
    assert result.formula == "(2T − R) / T × 100"


def test_not_available_without_a_reason_still_says_so():
    assert unavailable("").reason == engine.REASON_NOT_AVAILABLE == "realisasi tidak tersedia"


def test_not_available_wins_over_quarters_and_a_stray_value():
    # Quarters would otherwise derive a realisasi; a 0 would otherwise be a capaian of 200 %.
    result = unavailable(
        realisasi=Decimal(0), quarterly=[Decimal(10), None, None, None], polarity="positif"
    )
    assert (result.capaian, result.realisasi_used, result.unavailable) == (None, None, True)


def test_a_missing_realisasi_is_not_marked_unavailable():
    result = engine.compute_capaian(target=Decimal(75), realisasi=None, polarity=Polarity.POSITIF)
    assert (result.reason, result.unavailable) == ("belum ada realisasi", False)


def test_the_bounded_mean_counts_not_available_as_no_data():
    results = [
        engine.compute_capaian(target=Decimal(100), realisasi=Decimal(80), polarity="positif"),
        engine.compute_capaian(target=Decimal(100), realisasi=Decimal(100), polarity="positif"),
        unavailable(),
    ]
    summary = engine.aggregate(results, SCALE_SEED_3_2, engine.DEFAULT_AGGREGATE_BOUNDS)
    assert (summary.mean, summary.n_with_data, summary.n_total, summary.n_unavailable) == (
        Decimal(90),
        2,
        3,
        1,
    )
    assert summary.label == "2 dari 3 indikator memiliki data (1 tidak tersedia)"
    assert sum(summary.counts.values()) == 2
    assert summary.kategori == "Tinggi"


def test_only_not_available_gives_no_mean():
    summary = engine.aggregate([unavailable(), unavailable("survei ditunda")], SCALE_SEED_3_2)
    assert (summary.mean, summary.kategori, summary.n_with_data, summary.n_unavailable) == (
        None,
        None,
        0,
        2,
    )


@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000),
    st.sampled_from(list(Polarity)),
)
def test_not_available_is_never_a_number(target, realisasi, polarity):
    result = unavailable(target=target, realisasi=realisasi, polarity=polarity)
    assert result.capaian is None and result.kategori is None and result.unavailable
