"""Entry by components on the kabid's realisasi page: the form part that takes each
component's value per period (with its source and evidence), its history old → new, and the
provenance line shown beside the capaian. The view (``views.realisasi_edit``) only wires it.

Queries, for an indicator with a formula (the formula itself comes joined with the
indicator): its components (1), their values for the year (1), their history (1). An
indicator without a formula costs none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ObjectDoesNotExist

from common.fields import IndonesianDecimalField
from common.numbers import format_exact

from . import engine
from .evidence import validate_evidence
from .formula_services import KomponenEntry, KomponenValue, komponen_record_many
from .models import QUARTERS, Frekuensi, Indikator, Komponen, NilaiKomponen, Periode, Rumus

__all__ = ["ComponentPanel", "component_panel", "rumus_of"]


def rumus_of(indikator: Indikator) -> Rumus | None:
    """The indicator's formula (joined when read with ``select_related("rumus")``)."""
    try:
        return indikator.rumus
    except ObjectDoesNotExist:
        return None


def periods_of(indikator: Indikator) -> list[str]:
    if indikator.frekuensi == Frekuensi.TAHUNAN:
        return [Periode.TAHUNAN]
    return [Periode.TAHUNAN, *QUARTERS]


def column_name(periode: str) -> str:
    return str(Periode(periode).label)


def field_name(komponen: Komponen, periode: str) -> str:
    return f"k{komponen.pk}_{periode}"


class KomponenForm(forms.Form):
    """One value field per component and period, a source and an evidence file per
    component, and the version each value was shown at."""

    def __init__(
        self,
        *args: Any,
        components: list[Komponen],
        periods: list[str],
        stored: dict[tuple[int, str], NilaiKomponen],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.components, self.periods = components, periods
        self.stored = stored
        for k in components:
            sumber = ""
            for p in periods:
                row = stored.get((k.pk, p))
                name = field_name(k, p)
                self.fields[name] = IndonesianDecimalField(
                    label=f"{k.nama} ({Periode(p).label.lower()})",
                    required=False,
                    max_digits=20,
                    decimal_places=6,
                    initial=format_exact(row.nilai) if row is not None else None,
                )
                self.fields[f"{name}_versi"] = forms.IntegerField(
                    widget=forms.HiddenInput,
                    min_value=0,
                    required=False,
                    initial=row.versi if row is not None else 0,
                )
                if row is not None and row.sumber and not sumber:
                    sumber = row.sumber
            self.fields[f"k{k.pk}_sumber"] = forms.CharField(
                label=f"Sumber «{k.nama}»",
                required=False,
                max_length=300,
                initial=sumber or k.sumber_data,
            )
            self.fields[f"k{k.pk}_bukti"] = forms.FileField(
                label=f"Bukti «{k.nama}»",
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for k in self.components:
            upload = data.get(f"k{k.pk}_bukti")
            if upload:
                validate_evidence(upload, upload.size)
        return data

    def rows(self) -> list[dict[str, Any]]:
        """The table the template draws: a row per component, a cell per period."""
        return [
            {
                "komponen": k,
                # Each cell with its column's name: on a phone the table stacks and the cell
                # says "Triwulan I" itself (the row's own header already names the component).
                "cells": [
                    {"column": column_name(p), "field": self[field_name(k, p)]}
                    for p in self.periods
                ],
                "versi": [self[f"{field_name(k, p)}_versi"] for p in self.periods],
                "sumber": self[f"k{k.pk}_sumber"],
                "bukti": self[f"k{k.pk}_bukti"],
                # The evidence kept with the annual value (where an upload is stored), to
                # read back: uploaded once, it could not be opened again by anyone.
                "tersimpan": (
                    stored_value
                    if (stored_value := self.stored.get((k.pk, Periode.TAHUNAN))) is not None
                    and stored_value.bukti
                    else None
                ),
            }
            for k in self.components
        ]

    def entry(self, indikator: Indikator, tahun: int, narrative: dict[str, Any]) -> KomponenEntry:
        data = self.cleaned_data
        periods = []
        for p in self.periods:
            values = []
            for k in self.components:
                name = field_name(k, p)
                values.append(
                    KomponenValue(
                        komponen=k,
                        nilai=data.get(name),
                        sumber=data.get(f"k{k.pk}_sumber") or "",
                        versi=data.get(f"{name}_versi") or 0,
                        bukti=(data.get(f"k{k.pk}_bukti") or None)
                        if p == Periode.TAHUNAN
                        else None,
                    )
                )
            periods.append((p, tuple(values)))
        return KomponenEntry(indikator, tahun, tuple(periods), **narrative)


@dataclass
class ComponentPanel:
    indikator: Indikator
    tahun: int
    rumus: Rumus
    components: list[Komponen]
    stored: dict[tuple[int, str], NilaiKomponen]
    form: KomponenForm

    @property
    def definition(self) -> str:
        return engine.definition_text(self.rumus.engine_formula(self.components))

    @property
    def provenance(self) -> str:
        """ "54,90 % = 84 / 153 × 100 (sumber: …)" for the annual components, or ""."""
        values = [self.stored.get((k.pk, Periode.TAHUNAN)) for k in self.components]
        if not any(v is not None for v in values):
            return ""
        result = engine.evaluate(
            self.rumus.engine_formula(self.components),
            [v.nilai if v is not None else None for v in values],
        )
        return provenance_line(
            result, self.indikator.satuan, [v.sumber for v in values if v is not None]
        )

    def history(self) -> list[dict[str, Any]]:
        """Every change of this year's component values, newest first, old → new."""
        names = {k.pk: k.nama for k in self.components}
        records = (
            NilaiKomponen.history.filter(komponen_id__in=list(names), tahun=self.tahun)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        last: dict[tuple[int, str], Decimal | None] = {}
        entries = []
        for rec in records:
            key = (rec.komponen_id, rec.periode)
            old = last.get(key)
            new = None if rec.history_type == "-" else rec.nilai
            entries.append(
                {
                    "when": rec.history_date,
                    "who": rec.history_user,
                    "komponen": names.get(rec.komponen_id, "?"),
                    "periode": Periode(rec.periode).label,
                    "old": format_exact(old) if old is not None else "–",
                    "new": format_exact(new) if new is not None else "(dihapus)",
                    "sumber": rec.sumber,
                }
            )
            last[key] = new
        entries.reverse()
        return entries

    def record(self, user: Any, narrative: dict[str, Any], *, confirm: bool) -> list[NilaiKomponen]:
        entry = self.form.entry(self.indikator, self.tahun, narrative)
        return komponen_record_many(user=user, entries=[entry], confirm=confirm)


def provenance_line(result: engine.FormulaResult, satuan: str, sources: list[str]) -> str:
    from common.numbers import format_number

    unit = " %" if engine.is_percent_unit(satuan) else (f" {satuan}" if satuan else "")
    value = format_number(result.value) + unit if result.value is not None else "–"
    sumber = "; ".join(dict.fromkeys(s for s in sources if s))
    text = f"{value} = {result.text}"
    if result.value is None and result.reason:
        text = f"{text} ({result.reason})"
    return f"{text} (sumber: {sumber})" if sumber else text


def component_panel(
    indikator: Indikator, tahun: int, data: Any = None, files: Any = None
) -> ComponentPanel | None:
    """The component part of the page, or None for an indicator entered directly."""
    rumus = rumus_of(indikator)
    # A formula suggested from the decree's text is used once the planner confirms it.
    if rumus is None or not rumus.dikonfirmasi:
        return None
    components = list(rumus.komponen_set.order_by("urutan", "id"))
    if not components:
        return None
    stored = {
        (v.komponen_id, v.periode): v
        for v in NilaiKomponen.objects.filter(komponen__rumus=rumus, tahun=tahun)
    }
    form = KomponenForm(
        data,
        files,
        components=components,
        periods=periods_of(indikator),
        stored=stored,
        prefix="komponen",
    )
    return ComponentPanel(indikator, tahun, rumus, components, stored, form)
