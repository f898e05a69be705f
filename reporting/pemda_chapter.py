"""The hook through which the LKjIP Pemda's own chapter is built and written into the plan
unit's LAKIP: the chapter lives in ``kabupaten.lkjip``, above reporting, which registers it at
start-up (``kabupaten.apps``); reporting never imports it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from renstra.models import Pemda

from .document import Block


@dataclass(frozen=True)
class PemdaChapter:
    build: Callable[[Pemda, int], Any]
    json: Callable[[Any], dict[str, Any]]
    # The chapter as blocks of the document, laid out by every renderer like the rest.
    blocks: Callable[[Any], list[Block]]


_registered: list[PemdaChapter] = []


def register(chapter: PemdaChapter) -> None:
    _registered[:] = [chapter]


def registered() -> PemdaChapter | None:
    """The chapter, or None when no app provides it (then a plan unit's LAKIP has none)."""
    return _registered[0] if _registered else None


def get() -> PemdaChapter:
    """The chapter of a LAKIP that carries one (it was built through :func:`registered`)."""
    chapter = registered()
    if chapter is None:
        raise RuntimeError("Bab LKjIP Pemda tidak terdaftar (aplikasi kabupaten tidak dimuat).")
    return chapter
