"""The one parser's rates ("75/100.000 KH") and "not available" ("n/a: alasan"), and the
satuan check that refuses another denominator rather than rescaling."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.cells import NotAvailable, cell_value
from common.numbers import (
    NumberParseError,
    Rate,
    format_number,
    parse_measure,
    parse_not_available,
    parse_rate,
    rate_conflict,
    rate_of_satuan,
)


@pytest.mark.parametrize(
    ("text", "value", "denominator", "unit", "satuan"),
    [
        ("75/100.000", "75", 100000, "", "per 100.000"),
        ("104,7/100.000 KH", "104.7", 100000, "KH", "per 100.000 KH"),
        ("12 per 1.000", "12", 1000, "", "per 1.000"),
        ("12/1.000 KH", "12", 1000, "KH", "per 1.000 KH"),
        (" 104,7 / 100.000  kelahiran   hidup ", "104.7", 100000, "kelahiran hidup", None),
        ("12 PER 1000", "12", 1000, "", "per 1.000"),
        ("1.234,5/100.000 penduduk", "1234.5", 100000, "penduduk", "per 100.000 penduduk"),
        ("-3,5/100", "-3.5", 100, "", "per 100"),
        ("0,8 per 10", "0.8", 10, "", "per 10"),
    ],
)
def test_it_reads_a_rate_as_its_value_and_its_denominator(
    text: str, value: str, denominator: int, unit: str, satuan: str | None
) -> None:
    rate = parse_measure(text)
    assert rate == Rate(Decimal(value), Decimal(denominator), unit)
    assert isinstance(rate, Rate)
    if satuan is not None:
        assert rate.satuan == satuan


def test_a_plain_number_stays_a_number() -> None:
    assert parse_measure("74,04") == Decimal("74.04")
    assert parse_rate("74,04") is None
    assert parse_rate("WTP") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("84/153", "penyebut rasio harus 10, 100, 1.000"),
        ("75/0", "penyebut rasio harus"),
        ("75/1", "penyebut rasio harus"),
        ("75/1.000,5", "penyebut rasio harus"),
        ("7x/100.000", "bukan angka yang valid"),
        ("75/100.000/1", "bukan angka yang valid"),
        ("75/1.00.0", "penyebut (angka setelah / atau per) tidak valid; rasio ditulis"),
    ],
)
def test_it_refuses_a_rate_it_cannot_read_with_an_indonesian_message(
    text: str, message: str
) -> None:
    with pytest.raises(NumberParseError, match=re.escape(message)):
        parse_measure(text)


def test_a_ratio_of_two_counts_is_not_divided_silently() -> None:
    with pytest.raises(NumberParseError, match="untuk pembagian dua jumlah"):
        parse_measure("84/153")


@pytest.mark.parametrize(
    ("satuan", "expected"),
    [
        ("per 100.000 KH", (Decimal(100000), "KH")),
        ("/100.000 kelahiran hidup", (Decimal(100000), "kelahiran hidup")),
        ("Per 1.000 penduduk", (Decimal(1000), "penduduk")),
        ("kasus/100.000 penduduk", (Decimal(100000), "penduduk")),
        ("%", None),
        ("indeks", None),
        ("", None),
        ("100.000 KH", None),  # no "per" or "/": not read as a denominator
    ],
)
def test_it_reads_the_denominator_a_satuan_names(
    satuan: str, expected: tuple[Decimal, str] | None
) -> None:
    assert rate_of_satuan(satuan) == expected


def test_a_rate_agrees_with_a_satuan_of_the_same_denominator() -> None:
    rate = Rate(Decimal("104.7"), Decimal(100000), "KH")
    assert rate_conflict(rate, "per 100.000 KH") is None
    assert rate_conflict(rate, "per 100.000 kelahiran hidup") is None  # KH is its short form
    assert rate_conflict(Rate(Decimal(75), Decimal(100000)), "per 100.000 KH") is None
    assert rate_conflict(rate, "") is None  # the caller proposes the satuan


def test_another_denominator_is_refused_never_rescaled() -> None:
    message = rate_conflict(Rate(Decimal(75), Decimal(100000)), "per 1.000")
    assert message == (
        "Penyebut yang diketik (per 100.000) berbeda dengan satuan indikator «per 1.000». "
        "Kinerja tidak mengubah skala angka; ketik nilainya per 1.000, atau minta perencana "
        "membetulkan satuan indikator."
    )
    assert "berbeda" in (
        rate_conflict(Rate(Decimal(75), Decimal(100000), "KH"), "per 100.000 penduduk") or ""
    )


def test_a_rate_against_a_satuan_that_is_no_rate_is_refused() -> None:
    message = rate_conflict(Rate(Decimal(75), Decimal(100000), "KH"), "%")
    assert message == (
        "«75/100.000» ditulis sebagai rasio per 100.000 KH, tetapi satuan indikator ini «%». "
        "Isi angkanya saja, atau minta perencana mengubah satuan indikator menjadi "
        "«per 100.000 KH»."
    )


@given(
    st.decimals(min_value=Decimal(0), max_value=Decimal(10**6), places=2),
    st.integers(min_value=1, max_value=7),
)
def test_any_value_written_over_a_power_of_ten_reads_back(value: Decimal, power: int) -> None:
    denominator = Decimal(10) ** power
    text = f"{format_number(value, 2)}/{format_number(denominator, 0)} KH"
    assert parse_measure(text) == Rate(value, denominator, "KH")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("n/a", ""),
        ("N/A", ""),
        ("n.a.", ""),
        ("tidak tersedia", ""),
        ("Data tidak tersedia", ""),
        ("N/A: data BPS belum rilis", "data BPS belum rilis"),
        ("n/a - data BPS belum rilis", "data BPS belum rilis"),
        ("tidak tersedia (data BPS belum rilis)", "data BPS belum rilis"),
        ("tidak tersedia karena survei ditunda", "survei ditunda"),
    ],
)
def test_it_reads_not_available_with_its_reason(text: str, reason: str) -> None:
    assert parse_not_available(text) == reason


@pytest.mark.parametrize("text", ["-", "–", "NA", "na", "tersedia", "n/abc", "0", "Tersedia"])
def test_other_text_is_not_read_as_not_available(text: str) -> None:
    assert parse_not_available(text) is None


def test_a_cell_reads_rates_and_not_available_where_allowed() -> None:
    assert cell_value("75/100.000", allow_range=True) == Rate(Decimal(75), Decimal(100000))
    assert cell_value("n/a: belum rilis", allow_range=False, allow_not_available=True) == (
        NotAvailable("belum rilis")
    )
    # A target cell: "n/a" is no statement there, it stays text (refused by the service).
    assert cell_value("n/a", allow_range=True) == "n/a"
    # "-" is an empty cell in every workbook, never "not available".
    assert cell_value("-", allow_range=False, allow_not_available=True) is None
