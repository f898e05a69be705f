"""Path converters of every URL with a year, an id or a code, registered once (importing this
module) and used by every ``urls.py``: a path value no page of Kinerja makes answers 404 at
the resolver, before a view computes dates from it or a driver overflows on it.

- ``<tahun:…>``: four ASCII digits, 2000–2999 (a Renstra period starts in 2000 at the
  earliest; ``PeriodeRenstra``'s own bound). A year picker may still link a year just outside
  (reversing accepts any four digits); opening it is a 404.
- ``<id:…>``: a primary key, 1 … 2**63 - 1 (``BigAutoField``); a larger one is a 404, not an
  ``OverflowError``. A smaller column (Django's ``User`` is 32-bit) answers the 404 itself:
  Django's exact lookup returns nothing for a value beyond the column.
- ``<kode:…>``: an OPD's code, 1–30 characters (``Opd.kode``), no "/" and no control
  character (PostgreSQL refuses a NUL in a query).
- ``<fmt:…>``: a file format name, lowercase letters."""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import IntConverter, StringConverter

from .params import MAX_ID, MAX_YEAR, MIN_YEAR


class YearConverter(IntConverter):
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(value)  # the resolver answers 404
        return year


class IdConverter(IntConverter):
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        pk = int(value)
        if not 1 <= pk <= MAX_ID:
            raise ValueError(value)
        return pk


class KodeConverter(StringConverter):
    regex = r"[^/\x00-\x1f\x7f]{1,30}"


class FormatConverter(StringConverter):
    regex = "[a-z]{1,10}"


register_converter(YearConverter, "tahun")
register_converter(IdConverter, "id")
register_converter(KodeConverter, "kode")
register_converter(FormatConverter, "fmt")
