"""An indicator's formula as data: its components and how they combine into the realisasi.

Pure functions, no Django (like ``indicators.engine``, which re-exports them): the kabid
records the components (84 desa maju, 153 desa) and this module computes the realisasi
(54,90 %), or says in Indonesian why it cannot (a penyebut of 0, a missing component) —
never a crash, never a silent 0.

Operators (``Operator``):

* ``rasio``: Σ pembilang / Σ penyebut × faktor (faktor 100 for a percentage, 1 for a plain
  ratio);
* ``per_100000``: the same ratio per 100.000 (penduduk), faktor fixed at 100.000;
* ``jumlah``: Σ suku (a count summed over its parts);
* ``selisih``: Σ suku − Σ pengurang (A − B).

It also reads a decree's *formulasi* text into a suggested formula (:func:`parse_formulasi`)
and infers polarity and satuan from an indicator's words (:func:`infer_polarity`,
:func:`infer_satuan`); each inference carries a "periksa" note for the planner.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from common.numbers import format_exact, format_number


class Operator(enum.StrEnum):
    RASIO = "rasio"
    PER_100000 = "per_100000"
    JUMLAH = "jumlah"
    SELISIH = "selisih"

    @property
    def label(self) -> str:
        return OPERATOR_LABELS[self]


OPERATOR_LABELS = {
    Operator.RASIO: "Rasio: pembilang / penyebut × faktor",
    Operator.PER_100000: "Angka per 100.000: pembilang / penyebut × 100.000",
    Operator.JUMLAH: "Jumlah: suku + suku + …",
    Operator.SELISIH: "Selisih: suku − pengurang",
}


class ComponentRole(enum.StrEnum):
    PEMBILANG = "pembilang"
    PENYEBUT = "penyebut"
    SUKU = "suku"
    PENGURANG = "pengurang"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    ComponentRole.PEMBILANG: "Pembilang",
    ComponentRole.PENYEBUT: "Penyebut",
    ComponentRole.SUKU: "Suku (dijumlahkan)",
    ComponentRole.PENGURANG: "Pengurang",
}

# Which roles each operator reads; a component of another role is a definition error.
ROLES_OF = {
    Operator.RASIO: (ComponentRole.PEMBILANG, ComponentRole.PENYEBUT),
    Operator.PER_100000: (ComponentRole.PEMBILANG, ComponentRole.PENYEBUT),
    Operator.JUMLAH: (ComponentRole.SUKU,),
    Operator.SELISIH: (ComponentRole.SUKU, ComponentRole.PENGURANG),
}

PER_100000 = Decimal(100000)
HUNDRED = Decimal(100)
# Realisasi is stored with six decimals (Realisasi.nilai): the computed value is rounded
# half-up to that before it is stored, so 84 / 153 × 100 is kept as 54,901961.
STORED_PLACES = Decimal("0.000001")

REASON_MISSING = "komponen «{nama}» belum diisi: realisasi tidak dapat dihitung"
REASON_ZERO_DENOMINATOR = "penyebut «{nama}» bernilai 0: realisasi tidak dapat dihitung"
REASON_NO_COMPONENTS = "rumus belum memiliki komponen"
REASON_BAD_ROLE = "komponen «{nama}» berperan {peran}, tidak dipakai rumus {operator}"
REASON_NOT_FINITE = "komponen «{nama}» bukan angka yang terhingga"


@dataclass(frozen=True)
class Component:
    nama: str
    peran: ComponentRole
    satuan: str = ""
    sumber_data: str = ""


@dataclass(frozen=True)
class Formula:
    operator: Operator
    components: tuple[Component, ...]
    factor: Decimal = HUNDRED

    @property
    def effective_factor(self) -> Decimal:
        if self.operator == Operator.PER_100000:
            return PER_100000
        return self.factor

    def problems(self) -> list[str]:
        """What makes this definition unusable, in Indonesian (empty when it is sound)."""
        found: list[str] = []
        if not self.components:
            return [REASON_NO_COMPONENTS]
        allowed = ROLES_OF[self.operator]
        for c in self.components:
            if c.peran not in allowed:
                found.append(
                    REASON_BAD_ROLE.format(
                        nama=c.nama, peran=c.peran.value, operator=self.operator.value
                    )
                )
        roles = {c.peran for c in self.components}
        if self.operator in (Operator.RASIO, Operator.PER_100000):
            for needed in (ComponentRole.PEMBILANG, ComponentRole.PENYEBUT):
                if needed not in roles:
                    found.append(f"rumus rasio memerlukan sedikitnya satu {needed.value}")
        elif ComponentRole.SUKU not in roles:
            found.append("rumus memerlukan sedikitnya satu suku")
        if self.operator == Operator.RASIO and (not self.factor.is_finite() or self.factor <= 0):
            found.append("faktor rumus harus angka lebih dari 0 (mis. 100)")
        return found


@dataclass(frozen=True)
class FormulaResult:
    value: Decimal | None
    reason: str | None
    # "84 / 153 × 100", with the values as entered (Indonesian format).
    text: str

    @property
    def computable(self) -> bool:
        return self.value is not None


def _ctx() -> Context:
    return Context(prec=50)


def _fmt(value: Decimal | None) -> str:
    return format_exact(value) if value is not None else "…"


def _factor_text(factor: Decimal) -> str:
    return (
        format_number(factor, places=0)
        if factor == factor.to_integral_value()
        else (format_exact(factor))
    )


def _side(values: Sequence[Decimal | None]) -> str:
    inner = " + ".join(_fmt(v) for v in values)
    return f"({inner})" if len(values) > 1 else inner


def formula_text(formula: Formula, values: Sequence[Decimal | None]) -> str:
    """The formula with its values: "84 / 153 × 100", "12 + 3", "40 − 5"."""
    by_role: dict[ComponentRole, list[Decimal | None]] = {r: [] for r in ComponentRole}
    for c, v in zip(formula.components, values, strict=False):
        by_role[c.peran].append(v)
    if formula.operator in (Operator.RASIO, Operator.PER_100000):
        text = (
            f"{_side(by_role[ComponentRole.PEMBILANG])} / {_side(by_role[ComponentRole.PENYEBUT])}"
        )
        factor = formula.effective_factor
        return text if factor == 1 else f"{text} × {_factor_text(factor)}"
    text = " + ".join(_fmt(v) for v in by_role[ComponentRole.SUKU])
    if formula.operator == Operator.SELISIH and by_role[ComponentRole.PENGURANG]:
        text = f"{text} − " + " − ".join(_fmt(v) for v in by_role[ComponentRole.PENGURANG])
    return text


def definition_text(formula: Formula) -> str:
    """The formula with its components' names: "jumlah desa maju / jumlah desa × 100"."""
    by_role: dict[ComponentRole, list[str]] = {r: [] for r in ComponentRole}
    for c in formula.components:
        by_role[c.peran].append(c.nama)

    def side(names: list[str]) -> str:
        return f"({' + '.join(names)})" if len(names) > 1 else "".join(names)

    if formula.operator in (Operator.RASIO, Operator.PER_100000):
        text = f"{side(by_role[ComponentRole.PEMBILANG])} / {side(by_role[ComponentRole.PENYEBUT])}"
        factor = formula.effective_factor
        return text if factor == 1 else f"{text} × {_factor_text(factor)}"
    text = " + ".join(by_role[ComponentRole.SUKU])
    if by_role[ComponentRole.PENGURANG]:
        text = f"{text} − " + " − ".join(by_role[ComponentRole.PENGURANG])
    return text


def evaluate(formula: Formula, values: Sequence[Decimal | None]) -> FormulaResult:
    """The realisasi from the components' values (in the order of ``formula.components``).

    Unrounded; :func:`stored_value` rounds it for storage. Never raises: a missing value, a
    penyebut summing to 0, or a non-finite value gives ``value=None`` with the reason."""
    text = formula_text(formula, values)
    problems = formula.problems()
    if problems:
        return FormulaResult(None, problems[0], text)
    if len(values) != len(formula.components):
        return FormulaResult(None, "jumlah nilai tidak sama dengan jumlah komponen", text)
    for c, v in zip(formula.components, values, strict=True):
        if v is None:
            return FormulaResult(None, REASON_MISSING.format(nama=c.nama), text)
        if not v.is_finite():
            return FormulaResult(None, REASON_NOT_FINITE.format(nama=c.nama), text)
    with localcontext(_ctx()):
        sums: dict[ComponentRole, Decimal] = {r: Decimal(0) for r in ComponentRole}
        for c, v in zip(formula.components, values, strict=True):
            assert v is not None
            sums[c.peran] += v
        if formula.operator in (Operator.RASIO, Operator.PER_100000):
            if sums[ComponentRole.PENYEBUT] == 0:
                names = " + ".join(
                    c.nama for c in formula.components if c.peran == ComponentRole.PENYEBUT
                )
                return FormulaResult(None, REASON_ZERO_DENOMINATOR.format(nama=names), text)
            value = (
                sums[ComponentRole.PEMBILANG]
                / sums[ComponentRole.PENYEBUT]
                * formula.effective_factor
            )
        elif formula.operator == Operator.JUMLAH:
            value = sums[ComponentRole.SUKU]
        else:
            value = sums[ComponentRole.SUKU] - sums[ComponentRole.PENGURANG]
    return FormulaResult(value, None, text)


def stored_value(value: Decimal) -> Decimal:
    """The computed realisasi as stored (six decimals, half-up)."""
    with localcontext(_ctx()):
        return value.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)


# --- reading a decree's formulasi ----------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A formula read from a decree's text, for the planner to confirm or edit."""

    operator: Operator
    components: tuple[Component, ...]
    factor: Decimal
    note: str


_PERCENT_TAIL = re.compile(
    r"\s*(?:[x×*]\s*100\s*%?|[x×*]\s*100\s*persen|\(\s*%\s*\)|%)\s*$", re.IGNORECASE
)
_PER_100K_TAIL = re.compile(r"\s*[x×*]\s*100[.,]?000\s*(?:penduduk)?\s*$", re.IGNORECASE)
_TAIL_1000 = re.compile(r"\s*[x×*]\s*1[.,]?000\s*$", re.IGNORECASE)
_DIVIDE = re.compile(r"\s+(?:/|:|dibagi(?:\s+dengan)?)\s+|\s*/\s*", re.IGNORECASE)
_MINUS = re.compile(r"\s+(?:−|–|-|dikurangi(?:\s+dengan)?)\s+", re.IGNORECASE)
_LEAD = re.compile(r"^\s*(?:rumus\s*[:=]?\s*|[a-z\s]{0,40}=\s*)", re.IGNORECASE)


def _clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" .;:,()\"'")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _counted_noun(name: str) -> str:
    words = re.sub(r"^(?:jumlah|total|banyaknya)\s+", "", name, flags=re.IGNORECASE).split()
    return words[0].lower() if words else ""


def parse_formulasi(text: str) -> Suggestion | None:
    """A suggested formula from the decree's words, or None when the text does not allow one.

    Understood: "A / B x 100%" (and "A dibagi B", ": "), "A / B" (a plain ratio), "A / B x
    100.000" (per 100.000), "A − B" / "A dikurangi B". A text with more than one division, or
    one side empty, is left as text."""
    raw = re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ")).strip()
    if not raw:
        return None
    body = _LEAD.sub("", raw) if "=" in raw[:45] or raw.lower().startswith("rumus") else raw
    factor = Decimal(1)
    operator = Operator.RASIO
    if _PER_100K_TAIL.search(body):
        body = _PER_100K_TAIL.sub("", body)
        operator = Operator.PER_100000
        factor = PER_100000
    elif _PERCENT_TAIL.search(body):
        body = _PERCENT_TAIL.sub("", body)
        factor = HUNDRED
    elif _TAIL_1000.search(body):
        body = _TAIL_1000.sub("", body)
        factor = Decimal(1000)
    parts = list(_DIVIDE.split(body))
    if len(parts) == 2 and all(_clean_name(p) for p in parts):
        a, b = (_clean_name(p) for p in parts)
        if len(a) > 150 or len(b) > 150:
            return None
        return Suggestion(
            operator,
            (
                Component(a, ComponentRole.PEMBILANG, satuan=_counted_noun(a)),
                Component(b, ComponentRole.PENYEBUT, satuan=_counted_noun(b)),
            ),
            factor,
            f"periksa: rumus disarankan dari teks formulasi «{raw[:120]}»",
        )
    if len(parts) > 2:
        return None
    minus = _MINUS.split(body)
    if len(minus) == 2 and all(_clean_name(p) for p in minus) and factor == 1:
        a, b = (_clean_name(p) for p in minus)
        if len(a) > 150 or len(b) > 150:
            return None
        return Suggestion(
            Operator.SELISIH,
            (
                Component(a, ComponentRole.SUKU, satuan=_counted_noun(a)),
                Component(b, ComponentRole.PENGURANG, satuan=_counted_noun(b)),
            ),
            Decimal(1),
            f"periksa: rumus selisih disarankan dari teks formulasi «{raw[:120]}»",
        )
    return None


# --- polarity and satuan from the words ----------------------------------------------------------

# Lower is better: each pattern names why, for the "periksa" note.
_NEGATIVE_CUES: tuple[tuple[str, str], ...] = (
    (r"\brasio\s+kekerasan\b", "rasio kekerasan"),
    (r"\bkekerasan\s+terhadap\b", "kasus kekerasan"),
    (r"\bperkawinan\s+(?:usia\s+)?anak\b", "perkawinan anak"),
    (
        r"\bkawin\b.*\b(?:di\s*bawah|dibawah|sebelum)\s+(?:umur\s+|usia\s+)?18\b",
        "kawin di bawah 18 tahun",
    ),
    (r"\bangka\s+kematian\b", "angka kematian"),
    (r"\bunmet\s+need\b", "unmet need"),
    (r"\bkemiskinan\b|\bpenduduk\s+miskin\b", "kemiskinan"),
    (r"\bpengangguran\b", "pengangguran"),
    (r"\bangka\s+kelahiran\s+total\b|\btotal\s+fertility\b|\bTFR\b", "angka kelahiran total"),
    (r"\bstunting\b|\bgizi\s+buruk\b", "stunting/gizi buruk"),
    (r"\bsemakin\s+(?:kecil|rendah|sedikit)\b|\bmakin\s+(?:kecil|rendah)\b", "«semakin kecil»"),
    (r"\bmenurun(?:nya)?\b|\bberkurang(?:nya)?\b", "«menurun»"),
)
# A "penurunan" indicator counts the fall itself: higher is better, whatever it falls from.
_POSITIVE_OVERRIDE = re.compile(r"\b(?:persentase\s+)?penurunan\b", re.IGNORECASE)


@dataclass(frozen=True)
class Inference:
    value: str
    note: str


def infer_polarity(nama: str, makna: str = "", alasan: str = "") -> Inference | None:
    """``negatif`` with a "periksa" note when the words say lower is better; else None
    (the default, positif, stays without a note)."""
    in_name = nama or ""
    if _POSITIVE_OVERRIDE.search(in_name):
        return None
    for where, text in (("nama", in_name), ("makna", makna or ""), ("alasan", alasan or "")):
        for pattern, why in _NEGATIVE_CUES:
            if re.search(pattern, text, re.IGNORECASE):
                return Inference(
                    "negatif",
                    f"periksa: polaritas negatif disimpulkan dari {where} indikator ({why})",
                )
    return None


_SATUAN_RULES: tuple[tuple[str, str], ...] = (
    (r"^\s*(?:persentase|prosentase|presentase|proporsi|cakupan|tingkat\s+partisipasi)\b", "%"),
    (r"^\s*(?:rasio|angka)\b.*\bper\s*100[.,]?000\b|\bper\s*100[.,]?000\b", "rasio"),
    (r"^\s*(?:indeks|index)\b", "indeks"),
    (r"^\s*rasio\b", "rasio"),
    (r"^\s*(?:nilai|skor)\b", "nilai"),
    (r"^\s*(?:predikat|opini)\b", "predikat"),
)


def infer_satuan(nama: str, formulasi: str = "") -> Inference | None:
    """The satuan from the indicator's name and formula: Persentase → %, Rasio … per
    100.000 → rasio, Indeks → indeks, Jumlah X → the counted noun (X)."""
    name = re.sub(r"\s+", " ", nama or "").strip()
    for pattern, satuan in _SATUAN_RULES:
        if re.search(pattern, name, re.IGNORECASE):
            return Inference(satuan, f"periksa: satuan «{satuan}» disimpulkan dari nama indikator")
    match = re.match(r"^\s*(?:jumlah|banyaknya|total)\s+(\w+)", name, re.IGNORECASE)
    if match:
        noun = match.group(1).lower()
        return Inference(noun, f"periksa: satuan «{noun}» (yang dihitung) dari nama indikator")
    if re.search(r"[x×*]\s*100\s*%|\bx\s*100\b", formulasi or "", re.IGNORECASE):
        return Inference("%", "periksa: satuan «%» disimpulkan dari formulasi (× 100 %)")
    return None


@dataclass
class DecreeCounts:
    """What the decree import inferred, for its closing note."""

    parsed: int = 0
    as_text: int = 0
    empty: int = 0
    negatif: int = 0
    satuan: int = 0
    notes: list[str] = field(default_factory=list)
