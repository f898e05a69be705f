"""The default instrument (PermenPANRB 88/2021) as the project's fixture files hold it:
``fixtures/lke/lke-88-2021.tsv`` (criteria, weights) and ``instrumen-88-2021.yaml`` (scales,
bands, logic checks); read by the data migration and by the pure tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .scoring import Band, Instrument, Rule, parse_tsv

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lke"
TSV = FIXTURES / "lke-88-2021.tsv"
META = FIXTURES / "instrumen-88-2021.yaml"


def meta() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(META.read_text(encoding="utf-8"))
    return data


def instrument_88_2021() -> Instrument:
    data = meta()
    scales = {
        name: {str(k): Decimal(str(v)) for k, v in values.items()}
        for name, values in data["skala"].items()
    }
    bands = [Band(b["predikat"], b["label"], Decimal(str(b["di_atas"]))) for b in data["predikat"]]
    rules = [
        Rule(str(r["syarat"]), tuple(str(t) for t in r["terikat"]), r["pesan"])
        for r in data["logika"]
    ]
    thresholds = {str(k): Decimal(str(v)) for k, v in data["ambang"].items()}
    return parse_tsv(TSV.read_text(encoding="utf-8"), scales, bands, rules, thresholds)


def store(get_model: Any, instrument: Instrument, *, kode: str, nama: str, tahun_mulai: int) -> Any:
    """Write an instrument as rows (the data migration passes its historical models'
    ``apps.get_model``, the import the real ones); returns the Instrumen row."""

    def model(name: str) -> Any:
        return get_model("evaluasi", name)

    row = model("Instrumen").objects.create(
        kode=kode,
        nama=nama,
        tahun_mulai=tahun_mulai,
        ambang={k: str(v) for k, v in instrument.thresholds.items()},
    )
    scales = {}
    for name, values in instrument.scales.items():
        scales[name] = model("Skala").objects.create(instrumen=row, kode=name)
        model("NilaiSkala").objects.bulk_create(
            model("NilaiSkala")(skala=scales[name], jawaban=answer, nilai=value, urutan=i)
            for i, (answer, value) in enumerate(values.items())
        )
    components = {
        c.kode: model("Komponen").objects.create(
            instrumen=row, kode=c.kode, nama=c.nama, bobot=c.bobot
        )
        for c in instrument.components
    }
    subs = {
        s.kode: model("SubKomponen").objects.create(
            komponen=components[s.komponen], kode=s.kode, nama=s.nama, bobot=s.bobot
        )
        for s in instrument.subs
    }
    model("Kriteria").objects.bulk_create(
        model("Kriteria")(
            sub=subs[c.sub], kode=c.kode, uraian=c.uraian, skala=scales[c.skala], urutan=i
        )
        for i, c in enumerate(instrument.criteria)
    )
    model("Predikat").objects.bulk_create(
        model("Predikat")(instrumen=row, predikat=b.predikat, label=b.label, di_atas=b.above)
        for b in instrument.bands
    )
    model("Logika").objects.bulk_create(
        model("Logika")(
            instrumen=row, syarat=r.condition, terikat=", ".join(r.bound), pesan=r.message, urutan=i
        )
        for i, r in enumerate(instrument.rules)
    )
    return row
