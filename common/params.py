"""Typed reading of query and form parameters: a value that is not what Kinerja's own pages
send answers 400 (``BadRequest``, rendered by ``config.errors``), never a ``ValueError`` deep
in a view or a query (a 500).

Python's ``str.isdigit()`` is true for "²" and "٣", which ``int()`` refuses or reads as 3:
every id and number here is ASCII digits only. An id beyond the largest primary key any
table has (a 64-bit ``BigAutoField``) names nothing and is refused before it reaches the
database driver, which raises ``OverflowError`` on SQLite."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import BadRequest

# The largest value of a BigAutoField, the widest primary key of every table.
MAX_ID = 2**63 - 1
# The years a page, a form or a query takes: a Renstra period starts in 2000 at the earliest
# (``PeriodeRenstra``'s own bound); four digits keep every date computed from a year valid.
MIN_YEAR = 2000
MAX_YEAR = 2999


def ascii_int(text: object) -> int | None:
    """The integer ``text`` spells in ASCII digits (an optional leading minus), else None."""
    if not isinstance(text, str):
        return None
    body = text[1:] if text.startswith("-") else text
    if not body or not body.isascii() or not body.isdigit() or len(body) > 30:
        return None
    return int(text)


def parse_id(text: object) -> int | None:
    """A primary key as typed in a URL, a form or a workbook cell: 1 … MAX_ID, else None."""
    value = ascii_int(text.strip() if isinstance(text, str) else text)
    return value if value is not None and 1 <= value <= MAX_ID else None


def param_int(
    data: Mapping[str, str],
    name: str,
    default: int | None = None,
    *,
    minimum: int = 0,
    maximum: int = MAX_ID,
) -> int | None:
    """The parameter ``name`` as a whole number within bounds; absent or empty is
    ``default``; anything else is a 400."""
    raw = data.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = ascii_int(raw.strip())
    if value is None or not minimum <= value <= maximum:
        raise BadRequest(f"Parameter «{name}» harus bilangan bulat {minimum}–{maximum}.")
    return value


def param_text(data: Mapping[str, str], name: str, default: str = "", max_length: int = 200) -> str:
    """The parameter ``name`` as text without control characters (PostgreSQL refuses a NUL
    in a query, a 500), at most ``max_length`` characters; otherwise a 400."""
    raw = data.get(name)
    if raw is None:
        return default
    if len(raw) > max_length or any(ord(c) < 32 and c not in "\t\n\r" for c in raw):
        raise BadRequest(f"Parameter «{name}» tidak sah.")
    return raw.strip()


def valid_or_400(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data, or a 400 saying what was wrong: for a page that posts a few
    fields of its own and shows no form to correct (a button, a hidden id)."""
    if form.is_valid():
        return form.cleaned_data
    reasons = [f"{name}: {e}" for name, errors in form.errors.items() for e in errors]
    raise BadRequest("Isian tidak sah — " + "; ".join(reasons))
