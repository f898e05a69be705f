"""Where a realisasi computed from components came from: the formula with its values
("84 / 153 × 100"), each component's value, satuan and source, and the line every output
shows ("54,90 % = 84 / 153 × 100 (sumber: …)").

One read for many indicators (the CLI, the dashboard, the LAKIP): components (1) and their
values for the year (1), whatever the number of indicators. The engine computes; this module
only gathers and words it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from common.numbers import format_number, json_number

from . import engine
from .models import Komponen, NilaiKomponen, Periode


@dataclass(frozen=True)
class Provenance:
    # "84 / 153 × 100": the formula with this year's values.
    rumus: str
    # "jumlah desa maju / jumlah desa × 100": the formula with its components' names.
    definisi: str
    komponen: tuple[dict[str, Any], ...]
    value: Decimal | None
    reason: str | None
    satuan: str

    @property
    def sumber(self) -> str:
        return "; ".join(dict.fromkeys(str(k["sumber"]) for k in self.komponen if k["sumber"]))

    @property
    def line(self) -> str:
        """ "54,90 % = 84 / 153 × 100 (sumber: IDM Kemendes; …)"."""
        unit = (
            " %"
            if engine.is_percent_unit(self.satuan)
            else (f" {self.satuan}" if self.satuan else "")
        )
        value = format_number(self.value) + unit if self.value is not None else "–"
        text = f"{value} = {self.rumus}"
        if self.value is None and self.reason:
            text = f"{text} ({self.reason})"
        return f"{text} (sumber: {self.sumber})" if self.sumber else text

    def as_json(self) -> list[dict[str, Any]]:
        return [
            {
                "nama": k["nama"],
                "nilai": json_number(k["nilai"]) if isinstance(k["nilai"], Decimal) else None,
                "satuan": k["satuan"],
                "sumber": k["sumber"],
            }
            for k in self.komponen
        ]


def provenance_for(
    indicator_ids: Iterable[int], tahun: int, periode: str = Periode.TAHUNAN
) -> dict[int, Provenance]:
    """Indicator id → its provenance for the year, for indicators with a formula whose
    components have at least one value recorded (2 queries)."""
    ids = list(indicator_ids)
    if not ids:
        return {}
    components: dict[int, list[Komponen]] = defaultdict(list)
    for k in (
        Komponen.objects.filter(rumus__indikator_id__in=ids)
        .select_related("rumus__indikator")
        .order_by("urutan", "id")
    ):
        components[k.rumus.indikator_id].append(k)
    # Asked even when no indicator has a formula, so a page costs the same queries either way.
    values = {
        v.komponen_id: v
        for v in NilaiKomponen.objects.filter(
            komponen__rumus__indikator_id__in=ids, tahun=tahun, periode=periode
        )
    }
    found: dict[int, Provenance] = {}
    for ind_id, comps in components.items():
        rows = [values.get(k.pk) for k in comps]
        if all(r is None for r in rows):
            continue
        rumus = comps[0].rumus
        formula = rumus.engine_formula(comps)
        numbers = [r.nilai if r is not None else None for r in rows]
        result = engine.evaluate(formula, numbers)
        found[ind_id] = Provenance(
            rumus=result.text,
            definisi=engine.definition_text(formula),
            komponen=tuple(
                {
                    "nama": k.nama,
                    "nilai": r.nilai if r is not None else None,
                    "satuan": k.satuan,
                    "sumber": (r.sumber if r is not None and r.sumber else k.sumber_data),
                }
                for k, r in zip(comps, rows, strict=True)
            ),
            value=result.value,
            reason=result.reason,
            satuan=rumus.indikator.satuan,
        )
    return found
