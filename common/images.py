"""Decoding an uploaded image strictly, shared by evidence (indicators) and logos (renstra)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import ImageFile

_STRICT_IMAGES = threading.Lock()


@contextmanager
def strict_images() -> Iterator[None]:
    """Decode with truncated data refused. WeasyPrint sets Pillow's process-wide
    ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` when imported (a gunicorn worker that has
    rendered a LAKIP), which pads a half-uploaded JPEG silently; the check switches it off
    for its own decode. The lock keeps two checks from restoring each other's value; a report
    rendered at that moment only sees our own charts and logo, never a truncated image."""
    with _STRICT_IMAGES:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before
