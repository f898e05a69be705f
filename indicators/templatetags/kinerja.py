"""Template filters that display numbers the Indonesian way (98,96 %, Rp 97.000.169.679).

They only format; every value they receive was computed by the engine.
"""

from decimal import Decimal

from django import template

from common.numbers import format_number, format_percent, format_rupiah

register = template.Library()


@register.filter
def angka(value: Decimal | str | None, places: int = 2) -> str:
    if isinstance(value, str):
        return value
    return format_number(value, places=int(places))


@register.filter
def persen(value: Decimal | None) -> str:
    return format_percent(value)


@register.filter
def rupiah(value: Decimal | None) -> str:
    return format_rupiah(value)


@register.filter
def kategori_slug(label: str | None) -> str:
    return (label or "tanpa").lower().replace(" ", "-")
