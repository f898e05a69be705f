"""Forms for the entry pages. Numbers are typed the Indonesian way and parsed by the one
shared parser (``common.numbers``); capaian is never a form field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from common.numbers import NumberParseError, parse_optional_decimal

from .evidence import validate_evidence
from .models import QUARTERS, Frekuensi, Indikator, Periode, Realisasi


class IndonesianDecimalField(forms.CharField):
    """A text input that accepts "74,04", "1.234,5", "5,50 %", "-70%"; blank means empty."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        # No max_length: its validator would run on the parsed Decimal, not the text.
        self.widget.attrs.setdefault("maxlength", "40")
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        try:
            return parse_optional_decimal(text)
        except NumberParseError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


PERIOD_FIELDS = {
    Periode.TAHUNAN: "tahunan",
    Periode.TW1: "tw1",
    Periode.TW2: "tw2",
    Periode.TW3: "tw3",
    Periode.TW4: "tw4",
}


class RealisasiForm(forms.Form):
    """The annual value, quarters I–IV, narrative and evidence of one indicator-year."""

    tahunan = IndonesianDecimalField(label="Realisasi tahunan")
    tw1 = IndonesianDecimalField(label="Triwulan I")
    tw2 = IndonesianDecimalField(label="Triwulan II")
    tw3 = IndonesianDecimalField(label="Triwulan III")
    tw4 = IndonesianDecimalField(label="Triwulan IV")
    tahunan_teks = forms.CharField(
        label="Realisasi kualitatif",
        required=False,
        max_length=120,
        help_text="Hanya untuk target kualitatif (mis. WTP, BB, Tersedia).",
    )
    analisis = forms.CharField(
        label="Analisis", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    hambatan = forms.CharField(
        label="Hambatan", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tindak_lanjut = forms.CharField(
        label="Tindak lanjut", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    bukti = forms.FileField(
        label="Bukti dukung",
        required=False,
        help_text="PDF, JPEG, PNG, atau XLSX; maksimal 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx"}),
    )
    versi_tahunan = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
    versi_tw1 = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
    versi_tw2 = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
    versi_tw3 = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
    versi_tw4 = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(
        self,
        *args: Any,
        indikator: Indikator,
        existing: dict[str, Realisasi],
        qualitative: bool,
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {}
        for periode, name in PERIOD_FIELDS.items():
            row = existing.get(periode)
            initial[f"versi_{name}"] = row.versi if row is not None else 0
            if row is not None and row.nilai is not None:
                initial[name] = _display(row.nilai)
        annual = existing.get(Periode.TAHUNAN)
        if annual is not None:
            initial.update(
                analisis=annual.analisis,
                hambatan=annual.hambatan,
                tindak_lanjut=annual.tindak_lanjut,
                tahunan_teks=annual.nilai_teks,
            )
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.indikator = indikator
        if indikator.frekuensi == Frekuensi.TAHUNAN:
            for q in QUARTERS:
                del self.fields[PERIOD_FIELDS[q]]
        if not qualitative:
            del self.fields["tahunan_teks"]

    @property
    def quarter_fields(self) -> list[forms.BoundField]:
        return [self[PERIOD_FIELDS[q]] for q in QUARTERS if PERIOD_FIELDS[q] in self.fields]

    def clean_bukti(self) -> Any:
        upload = self.cleaned_data.get("bukti")
        if upload:
            validate_evidence(upload, upload.size)
        return upload


def _display(value: Decimal) -> str:
    from common.numbers import format_number

    # Show what was stored without inventing or dropping decimals: 74,04 stays 74,04.
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -int(exponent)) if isinstance(exponent, int) else 2
    return format_number(value, places=min(places, 6))
