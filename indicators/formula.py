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


# "× 100 %", "dikali 100%", "kali (100.000)", "x 10.000", or a bare "%" at the end.
_TAIL = re.compile(
    r"\s*(?:[x×*]|di\s*kali(?:kan)?|kali)\s*\(?\s*(100[.,]000|10[.,]000|1[.,]000|100)\s*\)?"
    r"\s*(?:%|persen)?\s*(?:penduduk\b.*)?$|\s*\(?\s*%\s*\)?\s*$",
    re.IGNORECASE,
)
# A division: " / ", ":", "dibagi (dengan)", "di bagi"; a slash without spaces only before
# "jumlah/total/seluruh" ("tepat waktu/Jumlah Desa"), since "berkembang/usaha" means "or" and
# "1/3[…]" is a coefficient.
_DIVIDE = re.compile(
    r"\s+/\s+|\s*:\s+|\s+di\s*bagi(?:\s+dengan)?\s+|/(?=\s*(?:jumlah|total|seluruh)\b)",
    re.IGNORECASE,
)
_MINUS = re.compile(r"\s+(?:−|–|-|dikurangi(?:\s+dengan)?)\s+", re.IGNORECASE)
# "Persentase (%) = …", "Rumus: …", "IKM = …": a label before the formula itself.
_LEAD = re.compile(r"^\s*(?:rumus\s*[:=]\s*|[^=]{1,40}=\s*)", re.IGNORECASE)
# "x dibagi y dikali 100 % Ket : x : Jumlah … y : Jumlah …": letters defined after "Ket".
_LETTERS = re.compile(
    r"^\s*([a-z])\s+(?:/|dibagi)\s+([a-z])\s*(?:[x×*]|dikali|kali)\s*100\s*%?\s*"
    r"(?:ket(?:erangan)?\s*[:.]?\s*)\1\s*[:=]\s*(.+?)\s+\2\s*[:=]\s*(.+)$",
    re.IGNORECASE,
)
# Anything still multiplying or dividing inside a part means a part is not one quantity.
_STILL_OPERATOR = re.compile(r"\s(?:[x×*]|kali|dikali|dibagi)\s|\s/\s|\d\s*/\s*\d", re.IGNORECASE)


def _clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" .;:,()[]\"'")
    text = re.sub(r"^(?:perbandingan|hasil)\s+", "", text, flags=re.IGNORECASE)
    # "Jumlah desa" → "jumlah desa"; an acronym ("BUMDES aktif", "PPKS") keeps its case.
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _counted_noun(name: str) -> str:
    words = re.sub(
        r"^(?:jumlah|total|banyaknya)\s+(?:seluruh\s+)?", "", name, flags=re.IGNORECASE
    ).split()
    return words[0].lower().strip(",.()") if words else ""


def _factor(match: re.Match[str] | None) -> Decimal:
    if match is None:
        return Decimal(1)
    digits = match.group(1)
    if digits is None:
        return HUNDRED  # a bare "%" at the end
    return Decimal(digits.replace(".", "").replace(",", ""))


def _ratio(a: str, b: str, factor: Decimal, raw: str) -> Suggestion | None:
    a, b = _clean_name(a), _clean_name(b)
    if b.lower().startswith("100%") or b.lower().startswith("100 %"):
        # "A dibagi 100% B": the decree's way of writing A / B × 100 %.
        b = _clean_name(re.sub(r"^100\s*%\s*", "", b))
        factor = HUNDRED if factor == 1 else factor
    if not a or not b or len(a) > 150 or len(b) > 150 or a.lower() == b.lower():
        return None
    if _STILL_OPERATOR.search(f" {a} ") or _STILL_OPERATOR.search(f" {b} "):
        return None
    operator = Operator.PER_100000 if factor == PER_100000 else Operator.RASIO
    return Suggestion(
        operator,
        (
            Component(a, ComponentRole.PEMBILANG, satuan=_counted_noun(a)),
            Component(b, ComponentRole.PENYEBUT, satuan=_counted_noun(b)),
        ),
        factor,
        f"periksa: rumus disarankan dari teks formulasi «{raw[:120]}»",
    )


def parse_formulasi(text: str) -> Suggestion | None:
    """A suggested formula from the decree's words, or None when the text does not allow one.

    Understood: "A / B x 100%" (also "A dibagi B dikali 100 %", "A : B", "A/Jumlah B"), "A / B"
    (a plain ratio), "A / B x 100.000" (per 100.000; other factors such as 10.000 kept as the
    factor), "x dibagi y … Ket: x: A, y: B", "A − B" / "A dikurangi B". Anything with more
    than one division, a coefficient ("1/3[…]"), a product of parts, or an empty side is left
    as text."""
    raw = re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ")).strip()
    if not raw:
        return None
    letters = _LETTERS.match(raw)
    if letters:
        return _ratio(letters.group(3), letters.group(4), HUNDRED, raw)
    body = _LEAD.sub("", raw) if "=" in raw[:45] else raw
    body = re.sub(r"\brata\s*-\s*rata\b", "rata-rata", body, flags=re.IGNORECASE)
    tail = _TAIL.search(body)
    factor = _factor(tail)
    if tail is not None:
        body = body[: tail.start()]
    parts = _DIVIDE.split(body)
    if len(parts) == 2:
        return _ratio(parts[0], parts[1], factor, raw)
    if len(parts) > 2 or factor != 1:
        return None
    minus = _MINUS.split(body)
    if len(minus) == 2:
        a, b = (_clean_name(p) for p in minus)
        if not a or not b or len(a) > 150 or len(b) > 150 or len(a.split()) < 2:
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

# Lower is better when the indicator *measures* one of these (its name says so); each pattern
# names why, for the "periksa" note.
_NEGATIVE_NAME_CUES: tuple[tuple[str, str], ...] = (
    (r"\brasio\s+kekerasan\b", "rasio kekerasan"),
    (r"\bperkawinan\s+(?:usia\s+)?anak\b", "perkawinan anak"),
    (
        r"\bkawin\b.*\b(?:di\s*bawah|dibawah|sebelum|kurang\s+dari)\s+(?:umur\s+|usia\s+)?18\b",
        "kawin di bawah 18 tahun",
    ),
    (r"\bangka\s+kematian\b", "angka kematian"),
    (r"\bunmet\s+need\b", "unmet need"),
    (r"\b(?:angka|tingkat|persentase)\s+(?:penduduk\s+)?miskin\b|\bkemiskinan\b", "kemiskinan"),
    (r"\bpengangguran\b", "pengangguran"),
    (r"\bangka\s+kelahiran\s+total\b|\bTFR\b|\bASFR\b", "angka kelahiran"),
    (r"\bprevalensi\s+(?:balita\s+)?stunting\b", "stunting"),
    (r"^\s*menurun(?:nya)?\b", "«menurun»"),
    (r"\bsemakin\s+(?:kecil|rendah|sedikit)\b", "«semakin kecil»"),
)
# The indicator counts a service or an output (people reached, cases handled, documents):
# more is better even when its subject is kekerasan or kemiskinan.
_SERVICE_NAME = re.compile(
    r"^\s*(?:jumlah|cakupan|banyaknya)\b|\b(?:yang\s+)?(?:mendapat(?:kan)?|tertangani|ditangani|"
    r"penanganan|pencegahan|sosialisasi|pelayanan|layanan|bantuan|diverifikasi)\b|\bpenurunan\b",
    re.IGNORECASE,
)
# In makna/alasan only an explicit statement of direction counts, not a topic word.
_NEGATIVE_TEXT_CUES: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:semakin|makin)\s+(?:kecil|rendah|sedikit)\b[^.]{0,80}\b(?:semakin|makin)\s+baik\b",
        "«semakin kecil semakin baik»",
    ),
    (
        r"\bdiharapkan\s+(?:semakin\s+|terus\s+)?(?:menurun|turun|berkurang)\b",
        "«diharapkan menurun»",
    ),
)


@dataclass(frozen=True)
class Inference:
    value: str
    note: str


def infer_polarity(nama: str, makna: str = "", alasan: str = "") -> Inference | None:
    """``negatif`` with a "periksa" note when the words say lower is better; else None
    (the default, positif, stays without a note)."""
    name = nama or ""
    if not _SERVICE_NAME.search(name):
        for pattern, why in _NEGATIVE_NAME_CUES:
            if re.search(pattern, name, re.IGNORECASE):
                return Inference(
                    "negatif", f"periksa: polaritas negatif disimpulkan dari nama indikator ({why})"
                )
    for where, text in (("makna", makna or ""), ("alasan", alasan or "")):
        for pattern, why in _NEGATIVE_TEXT_CUES:
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
