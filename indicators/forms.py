"""Forms for the entry pages. Numbers are typed the Indonesian way and parsed by the one
shared parser (``common.numbers``); capaian is never a form field."""

from __future__ import annotations

from typing import Any

from django import forms

from common.fields import MeasureField
from common.numbers import format_exact

from .evidence import validate_evidence
from .models import QUARTERS, Frekuensi, Indikator, Periode, Realisasi

PERIOD_FIELDS = {
    Periode.TAHUNAN: "tahunan",
    Periode.TW1: "tw1",
    Periode.TW2: "tw2",
    Periode.TW3: "tw3",
    Periode.TW4: "tw4",
}


class RealisasiForm(forms.Form):
    """The annual value, quarters I–IV, narrative and evidence of one indicator-year."""

    tahunan = MeasureField(
        label="Realisasi tahunan", required=False, max_digits=20, decimal_places=6
    )
    tw1 = MeasureField(label="Triwulan I", required=False, max_digits=20, decimal_places=6)
    tw2 = MeasureField(label="Triwulan II", required=False, max_digits=20, decimal_places=6)
    tw3 = MeasureField(label="Triwulan III", required=False, max_digits=20, decimal_places=6)
    tw4 = MeasureField(label="Triwulan IV", required=False, max_digits=20, decimal_places=6)
    tahunan_teks = forms.CharField(
        label="Realisasi kualitatif",
        required=False,
        max_length=120,
        help_text="Hanya untuk target kualitatif (mis. WTP, BB, Tersedia).",
    )
    tidak_tersedia = forms.BooleanField(
        label="Data tahun ini tidak tersedia",
        required=False,
        help_text="Centang bila datanya belum/tidak ada (mis. data BPS belum rilis): dihitung "
        "sebagai tidak ada data, bukan 0. Alasan wajib diisi.",
    )
    alasan_tidak_tersedia = forms.CharField(
        label="Alasan tidak tersedia",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "mis. data BPS belum rilis"}),
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
    konfirmasi_lonjakan = forms.BooleanField(
        label="Nilai ini memang benar",
        required=False,
        help_text="Centang hanya bila Kinerja memperingatkan lonjakan ×10 dan nilainya benar.",
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
        computed: bool = False,
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {}
        for periode, name in PERIOD_FIELDS.items():
            row = existing.get(periode)
            initial[f"versi_{name}"] = row.versi if row is not None else 0
            if row is not None and row.nilai is not None:
                initial[name] = format_exact(row.nilai)
        annual = existing.get(Periode.TAHUNAN)
        if annual is not None:
            initial.update(
                tidak_tersedia=annual.tidak_tersedia,
                alasan_tidak_tersedia=annual.alasan_tidak_tersedia,
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
        if not qualitative or computed:
            del self.fields["tahunan_teks"]
        if computed:
            # The engine computes the values from the components (komponen_entry).
            for name in PERIOD_FIELDS.values():
                self.fields.pop(name, None)
                self.fields.pop(f"versi_{name}", None)
            del self.fields["tidak_tersedia"]
            del self.fields["alasan_tidak_tersedia"]

    @property
    def quarter_fields(self) -> list[forms.BoundField]:
        return [self[PERIOD_FIELDS[q]] for q in QUARTERS if PERIOD_FIELDS[q] in self.fields]

    def clean_bukti(self) -> Any:
        upload = self.cleaned_data.get("bukti")
        if upload:
            validate_evidence(upload, upload.size)
        return upload
