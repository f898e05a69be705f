"""The one parser and formatter for numbers written the Indonesian way.

Every number a person types or reads in Kinerja goes through this module: forms, spreadsheet
imports, templates, the LAKIP. Values are always :class:`decimal.Decimal`, never ``float``.

Indonesian convention: decimal comma, dot as thousands separator ("1.234,5", "98,96 %",
"Rp 97.000.169.679").

Parsing decisions (each is tested in ``common/tests/test_numbers.py``):

* A comma is always the decimal separator; at most one is allowed ("1,2,3" is refused).
  Whitespace may follow it ("31, 1"), because source documents are often typed that way.
* With a comma present, dots must be thousands separators in groups of three ("1.234,5").
* Without a comma, several dots must be thousands groups ("1.234.567"); "1.23.4" is refused.
* A single dot without a comma:
  - followed by 1, 2 or more than 3 digits ("2.33", "0.5", "3.14159") is a decimal point —
    it cannot be a thousands separator, so the reading is unambiguous;
  - followed by exactly 3 digits ("1.234") is ambiguous. We follow the Indonesian convention
    and read it as thousands (1234), since that is how it is written in the source documents
    and in Rupiah amounts. Exceptions: "0.123" is read as a decimal (no one writes a thousands
    group after a lone zero) and "1234.567" is refused (too many digits before the dot for
    thousands, yet written like thousands — we ask the user rather than guess).
* A leading sign ("+5", "-70", "−70" with U+2212 MINUS SIGN) may be followed by spaces
  ("- 70 %"); only one sign is allowed. A trailing "%" is accepted and ignored.
* "NaN", "Infinity", exponents ("1e5"), letters and non-ASCII digits are refused.

Rates (:func:`parse_rate`, :func:`parse_measure`): agencies write a rate with its
denominator, "75/100.000", "104,7/100.000 KH", "12 per 1.000". The number before the slash
(or "per") is the value that is stored; the denominator and its unit are the indicator's
satuan ("per 100.000 KH"), never multiplied in. The denominator must be a power of ten from
10 on: "84/153" is a ratio of two counts (its components), not a rate, and is refused rather
than divided. A satuan that names another denominator ("per 1.000" against "75/100.000") is a
conflict the user resolves (:func:`rate_conflict`): rescaling silently would change the figure
the LKjIP prints.

"Not available" (:func:`parse_not_available`): "n/a", "n.a.", "tidak tersedia", "data tidak
tersedia", optionally followed by the reason ("n/a: data BPS belum rilis"). A lone "-" is not
one of them: source tables write "-" for an empty cell (``common.cells.EMPTY_MARKERS``), for
zero and for "not applicable" alike, so reading it as "not available" would turn blank cells
into statements; "not available" is said in words and with a reason.

Display decisions:

* Rounding is ROUND_HALF_UP, i.e. halves round away from zero (the school rule the reports'
  readers apply by hand): 1,005 → 1,01 and −1,005 → −1,01.
* A value that rounds to zero is shown without a sign ("0,00", never "-0,00").
* ``None`` is shown as an en dash "–"; NaN as "–" and infinities as "∞" / "-∞".
* Percent: a plain space before the sign ("98,96 %") — a narrow no-break space would be
  typographically nicer but is invisible in spreadsheets and hard to type when searching.
* Rupiah: "Rp 97.000.169.679" (no decimals); a negative amount is "-Rp 1.000".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, localcontext

__all__ = [
    "NumberParseError",
    "Rate",
    "bounds_problem",
    "equal_as_printed",
    "format_exact",
    "format_number",
    "format_percent",
    "format_rupiah",
    "infer_places",
    "json_number",
    "parse_decimal",
    "parse_measure",
    "parse_not_available",
    "parse_optional_decimal",
    "parse_rate",
    "printed_places",
    "rate_conflict",
    "rate_of_satuan",
    "round2",
]

EXAMPLE = "Contoh: 74,04 atau 1.234,5"
EMPTY_DISPLAY = "–"

# U+2212 MINUS SIGN is what word processors insert; it must mean the same as "-".
_MINUS = ("-", "\u2212")
_PLUS = ("+",)
_SIGNS = _MINUS + _PLUS

# Digits are spelled [0-9]: Python's \d also matches Arabic-Indic and other digits, which
# Decimal() would accept but no Indonesian document uses.
_BODY = re.compile(r"^(?P<int>[0-9][0-9.]*)(?:,\s*(?P<frac>[0-9]+))?$")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")

# Beyond this many integer digits we stop writing every digit: such a value can only come
# from absurd input, and expanding 1E+999999999 would allocate a gigabyte.
_MAX_DISPLAY_DIGITS = 1000

_SHOWN_MAX = 40


class NumberParseError(ValueError):
    """Text that is not a number; the message is Indonesian and meant for the user."""

    def __init__(self, text: str, detail: str | None = None) -> None:
        self.text = text
        self.detail = detail
        shown = text.strip()
        if not shown:
            message = f"Angka belum diisi. {EXAMPLE}"
        else:
            if len(shown) > _SHOWN_MAX:
                shown = shown[: _SHOWN_MAX - 1] + "…"
            suffix = f": {detail}" if detail else ""
            message = f"«{shown}» bukan angka yang valid{suffix}. {EXAMPLE}"
        super().__init__(message)


def parse_decimal(text: str) -> Decimal:
    """Parse an Indonesian-written number; raise :class:`NumberParseError` otherwise."""
    if not isinstance(text, str):
        # Callers are typed, but a spreadsheet cell can smuggle anything in; the contract is
        # that this function only ever raises NumberParseError.
        raise NumberParseError(str(text), "bukan teks")
    s = text.strip()
    if not s:
        raise NumberParseError(text)
    if s.endswith("%"):
        s = s[:-1].rstrip()
    negative = False
    if s[:1] in _SIGNS:
        negative = s[0] in _MINUS
        s = s[1:].lstrip()
        if s[:1] in _SIGNS:
            raise NumberParseError(text, "tanda plus/minus hanya boleh satu")
    if not s:
        raise NumberParseError(text)
    if s.count(",") > 1:
        raise NumberParseError(text, "koma desimal hanya boleh satu")
    if "%" in s:
        raise NumberParseError(text, "tanda % hanya boleh di akhir")
    if any(c in _SIGNS for c in s):
        raise NumberParseError(text, "tanda plus/minus hanya boleh di depan")
    match = _BODY.match(s)
    if match is None:
        raise NumberParseError(text)
    int_text, frac = match["int"], match["frac"]
    if frac is not None:
        int_digits = _thousands(int_text, text) if "." in int_text else int_text
        digits = f"{int_digits}.{frac}"
    else:
        digits = _without_comma(int_text, text)
    return Decimal(("-" if negative else "") + digits)


def _thousands(int_text: str, original: str) -> str:
    if not _THOUSANDS.match(int_text):
        raise NumberParseError(original, "titik pemisah ribuan harus memisahkan tiga angka")
    return int_text.replace(".", "")


def _without_comma(int_text: str, original: str) -> str:
    """Digits and dots only: decide whether dots are thousands separators or a decimal point."""
    dots = int_text.count(".")
    if dots == 0:
        return int_text
    if dots > 1:
        return _thousands(int_text, original)
    left, right = int_text.split(".")
    if not right:
        raise NumberParseError(original, "tidak ada angka setelah titik")
    if len(right) != 3 or left.startswith("0"):
        # "2.33", "0.5", "3.14159", "0.123": cannot be a thousands group → decimal point.
        return int_text
    if len(left) <= 3:
        # "1.234": ambiguous; Indonesian convention says thousands (see module docstring).
        return left + right
    raise NumberParseError(
        original, "tidak jelas apakah titik itu desimal atau ribuan; gunakan koma untuk desimal"
    )


def parse_optional_decimal(text: str | None) -> Decimal | None:
    """Like :func:`parse_decimal`, but blank (or ``None``) means "no value"."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    return parse_decimal(text)


# --- rates ("75/100.000 KH") --------------------------------------------------------------------

RATE_EXAMPLE = "rasio ditulis mis. 75/100.000 KH atau 12 per 1.000"
# The value, "/" or the word "per", the denominator, an optional unit in words ("KH",
# "kelahiran hidup", "penduduk"). The value part is checked by parse_decimal.
_RATE = re.compile(
    r"^(?P<value>.*?[0-9])\s*(?:/|\bper\b)\s*(?P<den>[0-9][0-9.,]*)\s*(?P<unit>[^\W\d_][\w .]*)?$",
    re.IGNORECASE,
)
# In a satuan: "per 100.000 KH", "/100.000 kelahiran hidup", "Per 1.000 penduduk".
_SATUAN_RATE = re.compile(
    r"(?:^|\s)?(?:\bper\s*|/\s*)(?P<den>[0-9][0-9.]*)\s*(?P<unit>[^\W\d_][\w .]*)?$", re.IGNORECASE
)
# Units written two ways for one thing; compared by their key.
_UNIT_ALIASES = {"kelahiran hidup": "kh", "k.h.": "kh", "k.h": "kh"}
_MAX_UNIT = 40


@dataclass(frozen=True)
class Rate:
    """A value typed with its denominator: ``value`` per ``denominator`` ``unit``."""

    value: Decimal
    denominator: Decimal
    unit: str = ""

    @property
    def satuan(self) -> str:
        """The satuan this rate is in, written as the LKjIP writes it: "per 100.000 KH"."""
        unit = f" {self.unit}" if self.unit else ""
        return f"per {format_number(self.denominator, 0)}{unit}"


def _unit_key(unit: str) -> str:
    key = " ".join(unit.split()).casefold()
    return _UNIT_ALIASES.get(key, key)


def _denominator(text: str, original: str) -> Decimal:
    try:
        value = parse_decimal(text)
    except NumberParseError as exc:
        raise NumberParseError(
            original, f"penyebut (angka setelah / atau per) tidak valid; {RATE_EXAMPLE}"
        ) from exc
    digits = f"{value.normalize():f}" if value == value.to_integral_value() else ""
    if not (digits.startswith("1") and set(digits[1:]) == {"0"}):
        raise NumberParseError(
            original,
            "penyebut rasio harus 10, 100, 1.000, 10.000, 100.000 …; untuk pembagian dua "
            "jumlah (mis. 84/153) isi hasilnya atau komponennya",
        )
    return value


def parse_rate(text: str) -> Rate | None:
    """A rate "75/100.000", "104,7/100.000 KH", "12 per 1.000"; ``None`` when the text is not
    written as a rate at all (a plain number, a word). Raises :class:`NumberParseError` when it
    is written as one but cannot be read (a value or denominator that is not a number)."""
    if not isinstance(text, str):
        return None
    s = " ".join(text.split())
    match = _RATE.match(s)
    if match is None:
        return None
    unit = " ".join((match["unit"] or "").split())
    if len(unit) > _MAX_UNIT:
        raise NumberParseError(text, f"satuan setelah penyebut paling panjang {_MAX_UNIT} huruf")
    value = parse_decimal(match["value"])
    return Rate(value, _denominator(match["den"], text), unit)


def parse_measure(text: str) -> Decimal | Rate:
    """The one reading of a typed target or realisasi: a number, or a rate with its
    denominator. Raises :class:`NumberParseError` (with the rate example when the text looks
    like a rate) otherwise."""
    try:
        return parse_decimal(text)
    except NumberParseError:
        rate = parse_rate(text)
        if rate is None:
            raise
        return rate


def rate_of_satuan(satuan: str) -> tuple[Decimal, str] | None:
    """The denominator and unit a satuan names ("per 100.000 KH" → (100000, "KH")); ``None``
    for a satuan that is not a rate ("%", "indeks", "")."""
    match = _SATUAN_RATE.search(" ".join((satuan or "").split()))
    if match is None:
        return None
    try:
        return _denominator(match["den"], satuan), " ".join((match["unit"] or "").split())
    except NumberParseError:
        return None


def rate_conflict(rate: Rate, satuan: str) -> str | None:
    """Why ``rate`` cannot be stored against an indicator of ``satuan`` (Indonesian), or
    ``None`` when it can. An empty satuan takes the rate's (the caller records it)."""
    if not (satuan or "").strip():
        return None
    stated = rate_of_satuan(satuan)
    typed = format_number(rate.value, places=natural_places(rate.value, minimum=0, maximum=6))
    if stated is None:
        return (
            f"«{typed}/{format_number(rate.denominator, 0)}» ditulis sebagai rasio "
            f"{rate.satuan}, tetapi satuan indikator ini «{satuan}». Isi angkanya saja, atau "
            f"minta perencana mengubah satuan indikator menjadi «{rate.satuan}»."
        )
    denominator, unit = stated
    units_differ = bool(unit and rate.unit) and _unit_key(unit) != _unit_key(rate.unit)
    if denominator != rate.denominator or units_differ:
        return (
            f"Penyebut yang diketik ({rate.satuan}) berbeda dengan satuan indikator «{satuan}». "
            "Kinerja tidak mengubah skala angka; ketik nilainya per "
            f"{format_number(denominator, 0)}{' ' + unit if unit else ''}, atau minta "
            "perencana membetulkan satuan indikator."
        )
    return None


# --- "not available" ----------------------------------------------------------------------------

_NOT_AVAILABLE = re.compile(
    r"^(?:n\s*/\s*a|n\.\s*a\.?|(?:data\s+)?tidak\s+tersedia)"
    r"(?:\s*(?:[:;(—–-]|karena\b)\s*(?P<reason>.*?)\)?)?\s*$",
    re.IGNORECASE,
)


def parse_not_available(text: str) -> str | None:
    """For text saying "not available" ("n/a", "N/A: data BPS belum rilis", "tidak tersedia
    (data BPS belum rilis)"): the reason given, "" when none. ``None`` for any other text."""
    if not isinstance(text, str):
        return None
    match = _NOT_AVAILABLE.match(" ".join(text.split()))
    if match is None:
        return None
    return (match["reason"] or "").strip()


def _quantize(value: Decimal, places: int) -> Decimal:
    # The context is sized to the value so quantize never signals for lack of precision.
    prec = max(28, value.adjusted() + places + 5)
    ctx = Context(prec=prec, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
    with localcontext(ctx):
        return value.quantize(Decimal(1).scaleb(-places))


def round2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimals (JSON and spreadsheet exports store this, not the display)."""
    if not value.is_finite() or value.adjusted() > _MAX_DISPLAY_DIGITS:
        # Non-finite values cannot be quantized; gigantic ones have no fractional digits.
        return value
    return _quantize(value, 2)


def printed_places(printed: Decimal | str) -> int:
    """How many decimals a printed figure carries: "88,02" → 2, "102" → 0, "127,20" → 2.

    A string keeps what was printed, trailing zeros included. A Decimal read back from the
    database (``DecimalField`` pads to its ``decimal_places``: 102 comes back as 102.000000) has
    lost its trailing zeros, so its places are counted without them: 88,20 stored counts as
    88,2, one decimal, which at worst lets a computed 88,15–88,25 pass, the same half-unit a
    reader allows a figure printed with one decimal.
    """
    if isinstance(printed, str):
        printed = parse_decimal(printed)
        exponent = printed.as_tuple().exponent
    else:
        if not printed.is_finite():
            return 0
        exponent = printed.normalize().as_tuple().exponent if printed else 0
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def equal_as_printed(printed: Decimal | str, computed: Decimal, places: int | None = None) -> bool:
    """Is ``computed``, rounded half-up to the decimals ``printed`` carries, the printed figure?

    The one rule for every printed figure the LAKIP checks (capaian, efisiensi, penyerapan,
    totals): a source that prints whole numbers is not contradicted by the decimals it left
    out (102 against 102,32), and one that prints two decimals is by any other second decimal
    (88,02 against 88,0296 → 88,03). ``places`` overrides what ``printed`` carries (a figure
    quoted in a sentence, whose decimals were parsed from the text). Not finite on either side
    never agrees.
    """
    value = parse_decimal(printed) if isinstance(printed, str) else printed
    if not value.is_finite() or not computed.is_finite():
        return False
    n = printed_places(printed) if places is None else places
    if computed.adjusted() > _MAX_DISPLAY_DIGITS or value.adjusted() > _MAX_DISPLAY_DIGITS:
        return computed == value
    return _quantize(computed, n) == _quantize(value, n)


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


def format_number(value: Decimal | int | None, places: int = 2) -> str:
    """Indonesian display: ROUND_HALF_UP, decimal comma, dot thousands ("-1.272,73")."""
    if value is None:
        return EMPTY_DISPLAY
    if isinstance(value, int):
        value = Decimal(value)
    if value.is_nan():
        return EMPTY_DISPLAY
    if value.is_infinite():
        return "-∞" if value < 0 else "∞"
    places = max(0, int(places))
    if value.adjusted() > _MAX_DISPLAY_DIGITS:
        sign = "-" if value < 0 else ""
        mantissa = format_number(abs(value).scaleb(-value.adjusted()), places)
        return f"{sign}{mantissa} × 10^{value.adjusted()}"
    rounded = _quantize(value, places)
    text = f"{abs(rounded):f}"
    int_part, _, frac = text.partition(".")
    sign = "-" if rounded < 0 else ""  # a rounded -0,00 compares equal to 0: no sign
    return f"{sign}{_group(int_part)}{',' + frac if frac else ''}"


def format_percent(value: Decimal | int | None, places: int = 2) -> str:
    """ "98,96 %" (plain space before the sign); ``None`` → "–"."""
    if value is None:
        return EMPTY_DISPLAY
    number = format_number(value, places)
    return number if number == EMPTY_DISPLAY else f"{number} %"


def format_rupiah(value: Decimal | int | None) -> str:
    """ "Rp 97.000.169.679": whole rupiah, half-up; "-Rp 1.000" when negative."""
    if value is None:
        return EMPTY_DISPLAY
    number = format_number(value, 0)
    if number == EMPTY_DISPLAY:
        return number
    if number.startswith("-"):
        return f"-Rp {number[1:]}"
    return f"Rp {number}"


def natural_places(value: Decimal, minimum: int = 2, maximum: int = 4) -> int:
    """Decimals worth showing for a stored value: 74,04 → 2, 0,7997 → 4, 72 → 2.

    Targets and realisasi are shown as entered (within reason); computed percentages always
    use two places.
    """
    if not value.is_finite():
        return minimum
    exponent = value.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return max(minimum, min(maximum, decimals))


# Units that count things: a count is shown without decimals ("32 Perangkat Daerah", never
# "32,00"), whatever its stored scale.
COUNT_UNITS = frozenset(
    {
        "orang",
        "jiwa",
        "desa",
        "kelurahan",
        "kecamatan",
        "dokumen",
        "laporan",
        "unit",
        "lembaga",
        "kegiatan",
        "kali",
        "paket",
        "buah",
        "kelompok",
        "organisasi",
        "perangkat daerah",
        "opd",
        "skpd",
        "media",
        "sekolah",
        "satuan pendidikan",
        "keluarga",
        "rumah",
        "kasus",
    }
)

# More decimals than this in a table is noise; the exact value stays in the JSON and forms.
MAX_TABLE_PLACES = 4


def infer_places(values: Iterable[Decimal], satuan: str = "") -> int:
    """Decimals to show for one indicator's values: 0 for counts (a count unit, or every value
    whole), otherwise the most decimals any published value has, at least the report's usual
    2 and at most :data:`MAX_TABLE_PLACES` (0,6674 and 0,80 both print with 4; 5,5 as 5,50).
    No values: 2."""
    finite = [v for v in values if v.is_finite()]
    if " ".join(satuan.split()).casefold() in COUNT_UNITS:
        return 0
    if not finite:
        return 2
    places = 0
    for value in finite:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            places = max(places, -exponent)
    if places == 0:
        return 0
    return min(max(places, 2), MAX_TABLE_PLACES)


# A double (SQLite's REAL, where Django keeps a DecimalField) holds 15 significant decimal
# digits exactly. Beyond that a stored value reads back changed, or not at all: SQLite's
# rounding of 99999999999999,999999 gives 21 digits, which Django cannot read into the
# column's Decimal, and every page showing the row fails. The same limit applies on
# PostgreSQL, so a value means the same on both.
SAFE_SIGNIFICANT_DIGITS = 15


def bounds_problem(value: Decimal, *, max_digits: int, decimal_places: int) -> str | None:
    """Why ``value`` cannot be stored exactly in a decimal column of that size (Indonesian),
    or ``None`` when it can."""
    if not value.is_finite():
        return "harus angka terhingga"
    if value == 0:
        return None
    _sign, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)
    if -exponent > decimal_places:
        return f"paling banyak {decimal_places} angka di belakang koma"
    integer_digits = max(0, len(digits) + exponent)
    limit = max_digits - decimal_places
    if integer_digits > limit:
        return f"terlalu besar; paling banyak {limit} angka sebelum koma"
    if len(digits) > SAFE_SIGNIFICANT_DIGITS:
        return (
            f"terlalu panjang; paling banyak {SAFE_SIGNIFICANT_DIGITS} angka bermakna "
            "(mis. 123.456.789,123456)"
        )
    return None


def json_number(value: Decimal) -> int | float:
    """A stored value as a JSON number with exactly its own digits: 0,7997 → 0.7997 (never
    0.8), 32,000000 → 32. Stored values have at most 15 significant digits
    (:data:`SAFE_SIGNIFICANT_DIGITS`), which a double prints back exactly."""
    if value == value.to_integral_value():
        return int(value)
    return float(str(value.normalize()))


def format_exact(value: Decimal | None) -> str:
    """A stored value with exactly its own decimals, for editing and audit: 2,340000 → "2,34",
    100,000000 → "100", 0,7997 → "0,7997"; ``None`` → ""."""
    if value is None:
        return ""
    if not value.is_finite():
        return format_number(value)
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(value, places=places)
