"""The figures a narrative may state about an indicator, and the check that a percentage
typed as digits agrees with one of them (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from common.numbers import NumberParseError, equal_as_printed, format_percent, parse_decimal

_PERCENT = re.compile(r"(?<![\w.,])([-−]\s?)?(\d{1,3}(?:\.\d{3})+|\d+)(,\d+)?\s?%")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_ALIAS = re.compile(r"\(\s*([^()]{2,60}?)\s*\)")


@dataclass(frozen=True)
class Contradiction:
    """A percentage the narrative states that matches none of the indicator's figures."""

    bagian: str
    indikator: str
    stated: Decimal
    computed: Decimal | None
    sentence: str

    @property
    def message(self) -> str:
        return (
            f"{self.indikator}: narasi menyebut {format_percent(self.stated)}, hasil hitung "
            f"{format_percent(self.computed)}"
        )


@dataclass(eq=False)  # compared by identity: one Figures per indicator
class Figures:
    """What a narrative may truthfully quote about one indicator (or the agency's mean)."""

    label: str
    capaian: Decimal | None
    names: tuple[str, ...]
    values: list[Decimal] = field(default_factory=list)


def names_of(nama: str) -> tuple[str, ...]:
    """The ways a sentence names an indicator: its full name, the name without a parenthesis
    and the parenthesis itself when it is an abbreviation or a name ("IDG (Indeks
    Pemberdayaan Gender)" → also "IDG" and "Indeks Pemberdayaan Gender")."""
    out = [nama]
    bare = _ALIAS.sub(" ", nama)
    out.append(" ".join(bare.split()))
    for alias in _ALIAS.findall(nama):
        alias = " ".join(alias.split())
        if (alias.isupper() and len(alias) >= 2) or len(alias.split()) >= 2:
            out.append(alias)
    return tuple(dict.fromkeys(n for n in out if len(n) >= 2))


def _names_in(sentence: str, figures: Iterable[Figures]) -> list[Figures]:
    folded = sentence.casefold()
    named = []
    for f in figures:
        for name in f.names:
            if name.isupper():
                if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", sentence):
                    named.append(f)
                    break
            elif len(name) >= 12 and name.casefold() in folded:
                named.append(f)
                break
    return named


def _stated(match: re.Match[str]) -> Decimal | None:
    sign = "-" if match.group(1) else ""
    try:
        return parse_decimal(sign + match.group(2) + (match.group(3) or ""))
    except NumberParseError:
        return None


def _agrees(stated: Decimal, figure: Decimal) -> bool:
    # A figure quoted with fewer decimals ("122 %" for 122,00; "54,9" for 54,90) agrees when it
    # is the figure rounded to those decimals: the one printed-precision rule of every check.
    # The decimals are the ones the sentence wrote (parsed from the text, zeros kept).
    exponent = stated.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return equal_as_printed(stated, figure, places=places)


def contradictions(
    text: str,
    *,
    bagian: str,
    figures: Sequence[Figures],
    context: Sequence[Figures] = (),
    overall: Sequence[Figures] = (),
) -> list[Contradiction]:
    """Percentages in sentences about capaian that none of the named indicator's figures
    explain. A sentence names an indicator by name or abbreviation; one that names none is
    about ``context`` (the IKU of the sasaran whose analysis it is)."""
    found: list[Contradiction] = []
    for sentence in _SENTENCE.split(text):
        if "capai" not in sentence.casefold():
            continue
        named = _names_in(sentence, [*figures, *overall])
        # An indicator measured on two levels under one name (kekerasan): the sentence of a
        # sasaran's analysis is about that sasaran's IKU.
        in_context = [f for f in named if f in context]
        named = in_context or named or list(context)
        if not named:
            continue
        for match in _PERCENT.finditer(sentence):
            stated = _stated(match)
            if stated is None:
                continue
            if any(_agrees(stated, v) for f in named for v in f.values):
                continue
            first = named[0]
            found.append(
                Contradiction(
                    bagian=bagian,
                    indikator=first.label,
                    stated=stated,
                    computed=first.capaian,
                    sentence=" ".join(sentence.split())[:300],
                )
            )
    return found
