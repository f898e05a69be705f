"""Panels an app above reporting adds to an OPD's dashboard (the evaluation's open
recommendations): the app registers a provider at start-up (``evaluasi.apps``), since
reporting may not import it. A provider reads what it shows (one query, ideally) on every
request; the dashboard's kept figures never hold it, as its rows raise no data version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PanelItem:
    text: str
    href: str
    note: str = ""


@dataclass(frozen=True)
class Panel:
    """What the dashboard draws: a heading with the count, the items and one link."""

    key: str  # the section's id
    title: str
    count: int
    items: list[PanelItem] = field(default_factory=list)
    link_text: str = ""
    link_href: str = ""
    # Items beyond those listed, said as "dan N lainnya".
    more: int = 0


# user, the OPD's id → the panel, or None when there is nothing to show.
Provider = Callable[[Any, int], Panel | None]

_registered: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    """Register (or replace, on a second ``ready()``) the provider named ``key``."""
    _registered[key] = provider


def panels(user: Any, opd_id: int) -> list[Panel]:
    """The panels with something to show, in the order their apps registered them."""
    shown = []
    for provider in _registered.values():
        panel = provider(user, opd_id)
        if panel is not None:
            shown.append(panel)
    return shown
