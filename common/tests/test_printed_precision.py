"""Equal at printed precision: the one rule by which the LAKIP compares a printed figure with
the computed one (common.numbers.equal_as_printed / printed_places)."""

from decimal import Decimal

import pytest

from common.numbers import NumberParseError, equal_as_printed, printed_places

D = Decimal


@pytest.mark.parametrize(
    ("printed", "places"),
    [
        ("102", 0),
        ("88,02", 2),
        ("127,20", 2),  # a string keeps the zero it printed
        ("−127,2", 1),
        ("1.011", 0),  # thousands dot, Indonesian
        ("149,54 %", 2),
        (D("102.000000"), 0),  # a DecimalField pads to six places; the padding is not printed
        (D("88.020000"), 2),
        (D("88.200000"), 1),  # its own trailing zero is lost with the padding
        (D("-127.200000"), 1),
        (D("0"), 0),
        (D("0.000000"), 0),
        (D("1E+2"), 0),
    ],
)
def test_it_counts_the_decimals_a_figure_was_printed_with(printed, places) -> None:
    assert printed_places(printed) == places


def test_a_whole_number_is_not_contradicted_by_the_decimals_it_left_out() -> None:
    assert equal_as_printed(D("102.000000"), D("102.3213978"))
    assert equal_as_printed("109", D("108.6145"))  # rounds up to the printed figure
    assert not equal_as_printed("102", D("102.5"))  # half-up: 102,5 is 103
    assert equal_as_printed("103", D("102.5"))
    assert not equal_as_printed(D("70"), D("104.76"))


def test_two_printed_decimals_are_contradicted_by_any_other_second_decimal() -> None:
    # Tabel 3.31 prints 88,02 where 233.126.382 / 264.826.900 × 100 = 88,0296.
    computed = D(233126382) / D(264826900) * 100
    assert not equal_as_printed("88,02", computed)
    assert equal_as_printed("88,03", computed)
    assert not equal_as_printed(D("96.460000"), D("96.58"))
    assert equal_as_printed("100,86", D("100.855"))  # half-up at the second decimal
    assert not equal_as_printed("100,85", D("100.855"))


def test_negative_figures_round_half_up_away_from_zero() -> None:
    assert equal_as_printed("-127,20", D("-127.195"))
    assert not equal_as_printed("-127,20", D("-127.2050001"))
    assert equal_as_printed("−1.273", D("-1272.727"))
    # The printed −127,20 is a tenth of the ratio −1.272,73: no precision makes them agree.
    assert not equal_as_printed("-127,20", D("-1272.727"))


def test_one_printed_decimal() -> None:
    assert equal_as_printed("54,9", D("54.901961"))
    assert not equal_as_printed("54,9", D("54.95"))
    assert equal_as_printed(D("54.9"), D("54.949"))


def test_places_given_override_what_the_figure_carries() -> None:
    assert equal_as_printed(D("122"), D("122.004"), places=2)
    assert not equal_as_printed(D("122"), D("122.4"), places=2)
    assert equal_as_printed(D("122"), D("122.4"), places=0)


def test_it_never_agrees_with_a_figure_that_is_not_finite() -> None:
    assert not equal_as_printed(D("100"), D("NaN"))
    assert not equal_as_printed(D("Infinity"), D("100"))


def test_a_printed_string_that_is_no_number_is_refused_in_indonesian() -> None:
    with pytest.raises(NumberParseError, match="bukan angka yang valid"):
        equal_as_printed("sembilan puluh", D("90"))
