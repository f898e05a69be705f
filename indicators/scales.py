"""Engine scales from band rows (stored bands or the admin's form data), for reads and writes."""

from __future__ import annotations

from collections.abc import Iterable

from . import engine
from .models import Skala


def scale_from_rows(skala: Skala | None, rows: Iterable[dict[str, object]]) -> engine.Scale:
    """Build an engine scale from band rows (model instances' values or admin form data)."""
    bands = []
    for row in sorted(rows, key=lambda r: int(str(r.get("urutan") or 0))):
        bands.append(
            engine.Band(
                label=str(row["label"]),
                lower=row.get("batas_bawah"),  # type: ignore[arg-type]
                upper=row.get("batas_atas"),  # type: ignore[arg-type]
                lower_inclusive=bool(row.get("bawah_inklusif")),
                upper_inclusive=bool(row.get("atas_inklusif")),
                color=str(row.get("warna") or "#888888"),
            )
        )
    return engine.Scale(
        code=skala.kode if skala is not None else "",
        name=skala.nama if skala is not None else "",
        version=skala.versi if skala is not None else "",
        bands=tuple(bands),
    )
