"""Spreadsheet cells read and written the same way by every workbook (targets, realisasi,
budgets, definitions, the LAKIP workbook). Django-free.

Reading: a number cell is a real number or Indonesian text ("74,04", "1.234,5", "5,50 %",
parsed by :mod:`common.numbers`); text starting with a formula trigger that our own export
quoted is restored. Writing: text a spreadsheet would run as a formula is quoted
(OWASP "CSV injection"), numbers stay numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .numbers import NumberParseError, Rate, parse_decimal, parse_not_available, parse_rate

# OWASP "CSV injection": a cell starting with one of these may be run as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Source tables write "-" for "no value"; in a data cell it means the same as blank.
EMPTY_MARKERS = frozenset({"", "-", "–", "—"})
# The database keeps 6 decimals (VALUE_DIGITS); digits beyond that in an Excel float are noise
# of the binary double (0.1 + 0.2 = 0.30000000000000004), not data.
FLOAT_PLACES = Decimal("0.000001")
FLOAT_EXPONENT = -6


def neutralise_formula(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with ``'``; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore_text(value: Any) -> str:
    """A text cell as it should be stored: stripped, without the quote our export added."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def export_number(value: Decimal | int | None) -> Decimal | int | str:
    """A number for a cell: plain notation without trailing zeros (74.040000 → 74.04)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        normal = value.normalize()
        exponent = normal.as_tuple().exponent
        # normalize() writes 1000000 as 1E+6; a cell (and the preview) wants the digits.
        return normal.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else normal
    return value


def cell_decimal(value: Any) -> Decimal | None:
    """A number cell: a real number, or Indonesian text ("74,04", "1.234,5", "5,50 %")."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"«{value}» bukan angka.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Nilai sel bukan angka yang sah.")
        number = Decimal(repr(value))
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < FLOAT_EXPONENT:
            number = number.quantize(FLOAT_PLACES, rounding=ROUND_HALF_UP)
        return number
    if isinstance(value, datetime | date | time):
        raise ValueError(
            "Sel berisi tanggal atau waktu, bukan angka; ubah format sel menjadi angka atau teks."
        )
    text = restore_text(value)
    if text in EMPTY_MARKERS:
        return None
    return parse_decimal(text)


_RANGE = re.compile(r"^(?P<low>.+?)\s*(?:–|—|s/d|s\.d\.?|sampai|-)\s*(?P<high>.+)$", re.IGNORECASE)
_NUMERIC_START = re.compile(r"^[\s+\-−.,]*\d")


@dataclass(frozen=True)
class NotAvailable:
    """A realisasi cell saying "not available" ("n/a: data BPS belum rilis"), with the reason
    written after it ("" when none: the service refuses it and asks for one)."""

    reason: str

    def __str__(self) -> str:
        return f"tidak tersedia: {self.reason}" if self.reason else "tidak tersedia"


CellValue = Decimal | Rate | NotAvailable | str


def cell_value(
    value: Any, *, allow_range: bool, allow_not_available: bool = False
) -> CellValue | None:
    """A target or realisasi cell: a number, a rate "75/100.000 KH" (:class:`Rate`, read by
    ``common.numbers``), a range "2,30–2,35" (targets), "n/a" with its reason (realisasi,
    ``allow_not_available``) or qualitative text.

    Text that *starts* like a number ("7x,4", "3 dokumen") is a mistyped number and refused with
    the parser's message; text starting otherwise ("WTP", "BB", "Level 3", "Tersedia") is
    qualitative and kept as written. "-" stays an empty cell, never "not available" (see
    ``common.numbers``).
    """
    if not isinstance(value, str):
        return cell_decimal(value)
    text = restore_text(value)
    if text in EMPTY_MARKERS:
        return None
    if allow_not_available:
        reason = parse_not_available(text)
        if reason is not None:
            return NotAvailable(reason)
    try:
        return parse_decimal(text)
    except NumberParseError:
        if not _NUMERIC_START.match(text):
            return text
        rate = parse_rate(text)
        if rate is not None:
            return rate
        match = _RANGE.match(text) if allow_range else None
        if match is None:
            raise
    # A range: both bounds must be numbers; the parser's message names the bad one.
    parse_decimal(match["low"])
    parse_decimal(match["high"])
    return text


def cell_integer(value: Any, label: str) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{label} harus bilangan bulat, bukan «{value}».")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = restore_text(value)
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise ValueError(f"{label} harus bilangan bulat, bukan «{text}».")
