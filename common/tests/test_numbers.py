"""The Indonesian number parser and formatter: every accepted and refused form, and round trips."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.numbers import (
    NumberParseError,
    format_number,
    format_percent,
    format_rupiah,
    parse_decimal,
    parse_optional_decimal,
    round2,
)

# --- parse: accepted forms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("74,04", "74.04"),
        ("1.234,5", "1234.5"),
        ("1.234.567", "1234567"),
        ("1.234.567,89", "1234567.89"),
        ("5,50 %", "5.50"),
        ("5,50%", "5.50"),
        ("-70%", "-70"),
        ("- 70 %", "-70"),
        ("\u221270", "-70"),
        ("\u2212 1.272,73", "-1272.73"),
        ("+5", "5"),
        ("2.33", "2.33"),
        ("0.5", "0.5"),
        ("3.14159", "3.14159"),
        ("0.123", "0.123"),
        ("31, 1", "31.1"),
        ("  74,04  ", "74.04"),
        ("\u00a098,96\u00a0%", "98.96"),
        ("0", "0"),
        ("007", "7"),
        ("97000169679", "97000169679"),
    ],
)
def test_it_accepts_indonesian_forms(text: str, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


def test_it_reads_a_single_dot_with_three_digits_as_thousands() -> None:
    # Ambiguous: Indonesian convention (and Rupiah amounts) say thousands.
    assert parse_decimal("1.234") == Decimal(1234)
    assert parse_decimal("12.345") == Decimal(12345)


def test_it_keeps_the_digits_written_after_the_comma() -> None:
    value = parse_decimal("5,50")
    assert value.as_tuple().exponent == -2


def test_it_returns_none_for_blank_optional_values() -> None:
    assert parse_optional_decimal("") is None
    assert parse_optional_decimal("   ") is None
    assert parse_optional_decimal(None) is None


def test_it_parses_non_blank_optional_values() -> None:
    assert parse_optional_decimal("74,04") == Decimal("74.04")


# --- parse: refused forms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "1,2,3",
        "1.23.4",
        "1.2345.678",
        "abc",
        "12a",
        "7x,4",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "inf",
        "1e5",
        "--5",
        "+-5",
        "- -5",
        "−-5",
        "5-",
        "%",
        "-",
        "5%%",
        "%5",
        "5.",
        ".5",
        ",5",
        "5,",
        "1 234",
        "1.234,5.6",
        "12,34.5",
        "1234.567",
        "٣",
    ],
)
def test_it_refuses_malformed_text(text: str) -> None:
    with pytest.raises(NumberParseError):
        parse_decimal(text)


def test_it_explains_the_error_in_indonesian_with_an_example() -> None:
    with pytest.raises(NumberParseError) as exc:
        parse_decimal("abc")
    assert str(exc.value) == "«abc» bukan angka yang valid. Contoh: 74,04 atau 1.234,5"


def test_it_names_the_problem_when_there_are_several_commas() -> None:
    with pytest.raises(NumberParseError, match="koma desimal hanya boleh satu"):
        parse_decimal("1,2,3")


def test_it_names_the_problem_when_there_are_several_signs() -> None:
    with pytest.raises(NumberParseError, match="hanya boleh satu"):
        parse_decimal("--5")


def test_it_says_the_number_is_missing_for_empty_text() -> None:
    with pytest.raises(NumberParseError, match="Angka belum diisi"):
        parse_decimal("  ")


def test_it_is_a_value_error_for_callers_that_catch_those() -> None:
    assert issubclass(NumberParseError, ValueError)


def test_it_shortens_very_long_text_in_the_message() -> None:
    with pytest.raises(NumberParseError) as exc:
        parse_decimal("x" * 500)
    assert len(str(exc.value)) < 120


# --- format ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("98.96", 2, "98,96"),
        ("-1272.727272", 2, "-1.272,73"),
        ("1234567.891", 2, "1.234.567,89"),
        ("1234567.891", 0, "1.234.568"),
        ("0.005", 2, "0,01"),
        ("1.005", 2, "1,01"),
        ("-1.005", 2, "-1,01"),
        ("2.5", 0, "3"),
        ("-2.5", 0, "-3"),
        ("122", 2, "122,00"),
        ("0", 2, "0,00"),
        ("-0.001", 2, "0,00"),
        ("999.999", 2, "1.000,00"),
        ("1E+3", 0, "1.000"),
        ("5.5", 3, "5,500"),
    ],
)
def test_it_formats_with_comma_dot_and_half_up(value: str, places: int, expected: str) -> None:
    assert format_number(Decimal(value), places) == expected


def test_it_shows_a_dash_for_none() -> None:
    assert format_number(None) == "–"
    assert format_percent(None) == "–"
    assert format_rupiah(None) == "–"


def test_it_shows_non_finite_values_without_crashing() -> None:
    assert format_number(Decimal("NaN")) == "–"
    assert format_number(Decimal("Infinity")) == "∞"
    assert format_number(Decimal("-Infinity")) == "-∞"
    assert format_percent(Decimal("NaN")) == "–"


def test_it_formats_a_gigantic_value_compactly() -> None:
    assert format_number(Decimal("1E+5000")) == "1,00 × 10^5000"


def test_it_accepts_integers() -> None:
    assert format_number(1234) == "1.234,00"


def test_it_formats_percent_with_a_plain_space() -> None:
    assert format_percent(Decimal("98.95999")) == "98,96 %"


def test_it_formats_rupiah_without_decimals() -> None:
    assert format_rupiah(Decimal("97000169679")) == "Rp 97.000.169.679"
    assert format_rupiah(Decimal("1500.5")) == "Rp 1.501"


def test_it_puts_the_minus_before_rp() -> None:
    assert format_rupiah(Decimal("-1000")) == "-Rp 1.000"


def test_it_rounds_to_two_places_half_up() -> None:
    assert round2(Decimal("98.960021")) == Decimal("98.96")
    assert round2(Decimal("100.855")) == Decimal("100.86")
    assert round2(Decimal("-1272.725")) == Decimal("-1272.73")
    assert str(round2(Decimal("122"))) == "122.00"


def test_it_leaves_non_finite_values_alone_when_rounding() -> None:
    assert round2(Decimal("Infinity")) == Decimal("Infinity")
    assert round2(Decimal("NaN")).is_nan()


# --- properties --------------------------------------------------------------------------------

two_place_decimals = st.decimals(
    min_value=Decimal("-1E15"), max_value=Decimal("1E15"), places=2, allow_nan=False
)


@given(two_place_decimals)
def test_it_parses_back_what_it_formats(d: Decimal) -> None:
    assert parse_decimal(format_number(d)) == d


@given(st.decimals(min_value=Decimal("-1E15"), max_value=Decimal("1E15"), places=0))
def test_it_parses_back_whole_numbers_formatted_without_decimals(d: Decimal) -> None:
    assert parse_decimal(format_number(d, places=0)) == d


@given(two_place_decimals)
def test_it_parses_back_percentages(d: Decimal) -> None:
    assert parse_decimal(format_percent(d)) == d


@given(st.text())
def test_it_raises_only_number_parse_error_on_arbitrary_text(text: str) -> None:
    try:
        value = parse_decimal(text)
    except NumberParseError:
        return
    assert value.is_finite()


@given(st.text(alphabet="0123456789.,+-−% ", max_size=15))
def test_it_raises_only_number_parse_error_on_number_like_text(text: str) -> None:
    try:
        value = parse_decimal(text)
    except NumberParseError:
        return
    assert value.is_finite()


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_it_formats_any_decimal_without_raising(d: Decimal) -> None:
    assert isinstance(format_number(d), str)
    assert isinstance(round2(d), Decimal)


def test_natural_places_keep_what_was_entered_within_two_to_four_decimals() -> None:
    from common.numbers import natural_places

    assert natural_places(Decimal("74.04")) == 2
    assert natural_places(Decimal("0.7997")) == 4
    assert natural_places(Decimal("72")) == 2
    assert natural_places(Decimal("74.040000")) == 2
    assert natural_places(Decimal("1.123456")) == 4


# --- decimals per indicator and exact JSON numbers --------------------------------------------


def test_counts_show_no_decimals() -> None:
    from common.numbers import infer_places

    assert infer_places([Decimal("32"), Decimal("31")], "Perangkat Daerah") == 0
    assert infer_places([Decimal("8.000000")], "Laporan") == 0
    assert infer_places([Decimal("100"), Decimal("100.000000")], "%") == 0  # all whole


def test_an_index_shows_as_many_decimals_as_its_most_precise_published_value() -> None:
    from common.numbers import infer_places

    values = [Decimal(v) for v in ("0.667400", "0.729300", "0.800000", "0.810000")]
    assert infer_places(values, "indeks") == 4
    assert infer_places([Decimal("5.2"), Decimal("-70")], "%") == 2  # at least two
    assert infer_places([Decimal("1.2345678")], "indeks") == 4  # at most four
    assert infer_places([], "indeks") == 2


def test_json_numbers_keep_the_stored_digits() -> None:
    from common.numbers import json_number

    assert json_number(Decimal("0.799700")) == 0.7997
    assert json_number(Decimal("-70.000000")) == -70
    assert isinstance(json_number(Decimal("97000169679.00")), int)
