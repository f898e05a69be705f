"""Load the seed dataset (fixtures/*.yaml) into the database, idempotently.

A row is written only when a value differs from what is stored, so a second run changes
nothing — not even the audit history. The YAML format is described in
``fixtures/dp3appkbpmd/FORMAT.md``; numbers are strings there so they load as exact Decimals.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from indicators.formula_services import (
    KomponenEntry,
    KomponenSpec,
    KomponenValue,
    komponen_record_many,
    rumus_set,
)
from indicators.models import (
    DataPendukung,
    Indikator,
    JenisTarget,
    Komponen,
    NilaiKomponen,
    Pembanding,
    Periode,
    Realisasi,
    Rumus,
    Target,
)
from nomenklatur.loader import read_dir
from nomenklatur.models import Nomenklatur, induk_of, tingkat_of
from nomenklatur.services import nomenklatur_load
from renstra.door import SystemActor, door_for
from renstra.models import (
    Anggaran,
    AnggaranPk,
    Bidang,
    Eselon,
    Kegiatan,
    Node,
    Opd,
    Pejabat,
    Pemda,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
)

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"


# The fixtures cite the seed documents by line ("002:1868-1874", fixtures/SOURCES.md) so a
# transcription can be checked; a component's source is read by leadership beside the
# figure, where a line number of a text extraction means nothing. It gets the document's name.
SEED_DOCUMENTS = {
    "000": "SK IKU DSPPPAPMD 2021",
    "002": "LAKIP 2024 DP3APPKBPMD",
}
CITATION = re.compile(r"^(\d{3}):\d+(?:-\d+)?\s*(?:\((.*)\))?$")


def readable_source(text: str) -> str:
    """ "002:1868-1874, 002:1800 (153 desa)" → "LAKIP 2024 DP3APPKBPMD (153 desa)"; text that
    is no citation is kept as it is."""
    if not any(CITATION.match(p.strip()) for p in text.split(",")):
        return text
    notes: dict[str, list[str]] = {}
    for piece in (p.strip() for p in text.split(",")):
        match = CITATION.match(piece)
        if match is None or match.group(1) not in SEED_DOCUMENTS:
            notes.setdefault(piece, [])
            continue
        found = notes.setdefault(SEED_DOCUMENTS[match.group(1)], [])
        if match.group(2):
            found.append(match.group(2))
    return "; ".join(
        f"{name} ({', '.join(extra)})" if extra else name for name, extra in notes.items() if name
    )


class SeedError(ValueError):
    pass


@dataclass
class SeedReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


# The seed is the source document itself: it writes through the same services as everyone
# (locks, periods, bounds apply), as a trusted command, and its values are taken as printed
# (a ×10 step between years in the source is not a typing error of ours).
SEED_ACTOR = SystemActor("load_seed")


def _save(obj: models.Model) -> None:
    door_for(type(obj)).save(user=SEED_ACTOR, obj=obj, confirm=True)


def upsert(
    report: SeedReport, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> Any:
    """Create or update one row, saving only when something differs."""
    name = model._meta.verbose_name_plural
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        _save(obj)
        report.created[str(name)] += 1
        return obj
    dirty = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            dirty = True
    if dirty:
        _save(obj)
        report.updated[str(name)] += 1
    else:
        report.unchanged[str(name)] += 1
    return obj


def dec(value: Any, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise SeedError(f"{where}: {value!r} is a float; write numbers as quoted strings")
    try:
        return Decimal(str(value))
    except ArithmeticError as exc:
        raise SeedError(f"{where}: {value!r} is not a number") from exc


def value_fields(value: Any, where: str) -> dict[str, Any]:
    """A target/realisasi value: numeric → nilai, anything else (WTP, 2.30-2.35) → nilai_teks."""
    if isinstance(value, float):
        raise SeedError(f"{where}: {value!r} is a float; write numbers as quoted strings")
    text = str(value).strip()
    try:
        return {"nilai": Decimal(text), "nilai_teks": ""}
    except ArithmeticError:
        return {"nilai": None, "nilai_teks": text}


class Loader:
    def __init__(self, report: SeedReport) -> None:
        self.report = report
        self.bidang: dict[str, Bidang] = {}
        self.sasaran_by_urutan: dict[int, Sasaran] = {}
        self.indicator_by_name: dict[str, Indikator] = {}

    def load_opd(self, data: dict[str, Any]) -> tuple[Opd, PeriodeRenstra]:
        o = data["opd"]
        # The seed names its regency as text; the Pemda is keyed by that name in capitals
        # ("Balangan" → BALANGAN), the same rule as the migration that made the FK.
        pemda = (
            upsert(
                self.report,
                Pemda,
                {"kode": o["kabupaten"].upper()},
                # The letterhead's first line, as the regency prints it; no address is
                # invented (the seed's sources print none).
                {"nama": o["kabupaten"], "kop": f"PEMERINTAH KABUPATEN {o['kabupaten'].upper()}"},
            )
            if o.get("kabupaten")
            else None
        )
        opd = upsert(
            self.report,
            Opd,
            {"kode": o["kode"]},
            {
                **{
                    k: o.get(k, "") or ""
                    for k in (
                        "nama",
                        "singkatan",
                        "alamat",
                        "tempat",
                        "kepala_nama",
                        "kepala_pangkat",
                        "kepala_nip",
                    )
                },
                "pemda": pemda,
                **({"jenis": o["jenis"]} if o.get("jenis") else {}),
            },
        )
        for b in data.get("bidang", []):
            self.bidang[b["kode"]] = upsert(
                self.report, Bidang, {"opd": opd, "kode": b["kode"]}, {"nama": b["nama"]}
            )
        p = data["periode"]
        periode = upsert(
            self.report,
            PeriodeRenstra,
            {"opd": opd, "tahun_awal": int(p["tahun_awal"])},
            {
                "tahun_akhir": int(p["tahun_akhir"]),
                "nomor_dokumen": p.get("nomor_dokumen") or "",
                "visi": p.get("visi") or "",
                "misi": p.get("misi") or "",
            },
        )
        return opd, periode

    def node_values(
        self, item: dict[str, Any], tingkat: str | None = None, induk_kode: str = ""
    ) -> dict[str, Any]:
        code = item.get("bidang")
        if code and code not in self.bidang:
            raise SeedError(f"unknown bidang {code!r} on {item.get('nama')!r}")
        return {
            "nama": item["nama"],
            "kode": _nomenclature_code(item, tingkat, induk_kode),
            "bidang": self.bidang.get(code) if code else None,
        }

    def load_tree(self, periode: PeriodeRenstra, data: dict[str, Any]) -> None:
        for t in data.get("tujuan", []):
            tujuan = upsert(
                self.report,
                Tujuan,
                {"periode": periode, "urutan": int(t["urutan"])},
                self.node_values(t),
            )
            self.load_indicators(tujuan, "tujuan", t)
            for s in t.get("sasaran", []):
                sasaran = upsert(
                    self.report,
                    Sasaran,
                    {"tujuan": tujuan, "urutan": int(s["urutan"])},
                    self.node_values(s),
                )
                self.sasaran_by_urutan[int(s["urutan"])] = sasaran
                self.load_indicators(sasaran, "sasaran", s)
                for tahun, jumlah in (s.get("anggaran_pk") or {}).items():
                    upsert(
                        self.report,
                        AnggaranPk,
                        {"sasaran": sasaran, "tahun": int(tahun)},
                        {"jumlah": dec(jumlah, f"anggaran_pk {tahun} of {s['nama']!r}")},
                    )

    def load_programs(self, periode: PeriodeRenstra, data: dict[str, Any]) -> None:
        for p in data.get("program", []):
            ref = p.get("sasaran")
            if ref is not None and int(ref) not in self.sasaran_by_urutan:
                raise SeedError(f"program {p['nama']!r} names unknown sasaran {ref!r}")
            program = upsert(
                self.report,
                Program,
                {"periode": periode, "urutan": int(p["urutan"])},
                {
                    **self.node_values(p, "program"),
                    "sasaran": self.sasaran_by_urutan[int(ref)] if ref is not None else None,
                },
            )
            self.load_indicators(program, "program", p)
            self.load_budget(program, "program", p)
            for k in p.get("kegiatan", []):
                kegiatan = upsert(
                    self.report,
                    Kegiatan,
                    {"program": program, "urutan": int(k["urutan"])},
                    self.node_values(k, "kegiatan", program.kode),
                )
                self.load_indicators(kegiatan, "kegiatan", k)
                self.load_budget(kegiatan, "kegiatan", k)
                for sk in k.get("sub_kegiatan", []):
                    sub = upsert(
                        self.report,
                        SubKegiatan,
                        {"kegiatan": kegiatan, "urutan": int(sk["urutan"])},
                        self.node_values(sk, "sub_kegiatan", kegiatan.kode),
                    )
                    self.load_indicators(sub, "sub_kegiatan", sk)
                    self.load_budget(sub, "sub_kegiatan", sk)

    def load_budget(self, node: Node, field_name: str, item: dict[str, Any]) -> None:
        # The printed Tabel 3.41 efficiency rides on the year's budget row; a node without a
        # budget row has nothing to check it against (fixtures/SOURCES.md, program §10).
        printed = item.get("efisiensi_dilaporkan") or {}
        for tahun, b in (item.get("anggaran") or {}).items():
            where = f"anggaran {tahun} of {item['nama']!r}"
            upsert(
                self.report,
                Anggaran,
                {field_name: node, "tahun": int(tahun)},
                {
                    "pagu": dec(b["pagu"], where),
                    "realisasi": dec(b.get("realisasi"), where),
                    "efisiensi_dilaporkan": dec(printed.get(tahun), f"efisiensi {where}"),
                    "sumber": b.get("sumber") or item.get("sumber") or "",
                },
            )

    def load_indicators(self, node: Node, field_name: str, item: dict[str, Any]) -> None:
        for i, ind in enumerate(item.get("indikator") or [], start=1):
            where = f"indikator {ind.get('nama')!r}"
            definisi = ind.get("definisi") or {}
            baseline = ind.get("baseline") or {}
            code = ind.get("bidang")
            if code and code not in self.bidang:
                raise SeedError(f"{where}: unknown bidang {code!r}")
            indikator = upsert(
                self.report,
                Indikator,
                {field_name: node, "urutan": int(ind.get("urutan", i))},
                {
                    "nama": ind["nama"],
                    "satuan": ind.get("satuan") or "",
                    "desimal": ind.get("desimal"),
                    "jenis": ind.get("jenis")
                    or ("IKU" if field_name in ("tujuan", "sasaran") else "IK"),
                    "polaritas": ind.get("polaritas") or "positif",
                    "metode_negatif": ind.get("metode_negatif") or "2T-R",
                    "akumulasi": ind.get("akumulasi") or "akhir",
                    "baseline_nilai": dec(baseline.get("nilai"), where),
                    "baseline_tahun": baseline.get("tahun"),
                    "makna": definisi.get("makna") or "",
                    "alasan": definisi.get("alasan") or "",
                    "formulasi": definisi.get("formulasi") or "",
                    "referensi": definisi.get("referensi") or "",
                    "sumber_data": definisi.get("sumber_data") or "",
                    "penanggung_jawab": definisi.get("penanggung_jawab") or "",
                    "bidang": self.bidang.get(code) if code else None,
                    "sumber": ind.get("sumber") or "",
                },
            )
            # Supporting tables link by indicator name; an IKU of a sasaran wins over a tujuan
            # indicator of the same name (kekerasan is measured on both).
            if field_name == "sasaran":
                self.indicator_by_name[ind["nama"]] = indikator
            else:
                self.indicator_by_name.setdefault(ind["nama"], indikator)
            for key, jenis in (
                ("target", JenisTarget.RENSTRA),
                ("target_pk", JenisTarget.PK),
                ("target_pk_perubahan", JenisTarget.PK_PERUBAHAN),
            ):
                for tahun, value in (ind.get(key) or {}).items():
                    upsert(
                        self.report,
                        Target,
                        {"indikator": indikator, "tahun": int(tahun), "jenis": jenis},
                        {
                            **value_fields(value, f"{where} {key} {tahun}"),
                            "sumber": ind.get("sumber") or "",
                        },
                    )
            computed_years = {int(t) for t in ((ind.get("rumus") or {}).get("nilai") or {})}
            for tahun, r in (ind.get("realisasi") or {}).items():
                if not isinstance(r, dict):
                    r = {"nilai": r}
                fields = (
                    value_fields(r["nilai"], f"{where} realisasi {tahun}")
                    if r.get("nilai") is not None
                    else {"nilai": None, "nilai_teks": ""}
                )
                if int(tahun) in computed_years:
                    # The engine computes this year's value from the components below.
                    fields = {}
                upsert(
                    self.report,
                    Realisasi,
                    {"indikator": indikator, "tahun": int(tahun), "periode": Periode.TAHUNAN},
                    {
                        **fields,
                        "capaian_dilaporkan": dec(r.get("capaian_dilaporkan"), where),
                        "capaian_akhir_dilaporkan": dec(r.get("capaian_akhir_dilaporkan"), where),
                        "kategori_dilaporkan": r.get("kategori_dilaporkan") or "",
                        "analisis": r.get("analisis") or "",
                        "hambatan": r.get("hambatan") or "",
                        "tindak_lanjut": r.get("tindak_lanjut") or "",
                        "sumber": r.get("sumber") or "",
                    },
                )
            if ind.get("rumus"):
                self.load_formula(indikator, ind["rumus"], where)
            for c in ind.get("pembanding") or []:
                upsert(
                    self.report,
                    Pembanding,
                    {"indikator": indikator, "tahun": int(c["tahun"]), "wilayah": c["wilayah"]},
                    {"nilai": dec(c["nilai"], where), "sumber": c.get("sumber") or ""},
                )

    def load_formula(self, indikator: Indikator, spec: dict[str, Any], where: str) -> None:
        """The indicator's formula and its components' values per year, through the formula
        services; the realisasi of those years is the engine's (recorded by them)."""
        specs = [
            KomponenSpec(k["nama"], k["peran"], k.get("satuan") or "", k.get("sumber_data") or "")
            for k in spec["komponen"]
        ]
        faktor = dec(spec.get("faktor", "100"), where) or Decimal(100)
        current = Rumus.objects.filter(indikator=indikator).first()
        wanted = (spec["operator"], faktor, spec.get("teks") or "", specs)
        stored = (
            (
                current.operator,
                current.faktor,
                current.teks,
                [
                    KomponenSpec(k.nama, k.peran, k.satuan, k.sumber_data)
                    for k in current.komponen_set.order_by("urutan", "id")
                ],
            )
            if current is not None
            else None
        )
        if stored != wanted:
            rumus_set(
                user=SEED_ACTOR,
                indikator=indikator,
                operator=spec["operator"],
                faktor=faktor,
                teks=spec.get("teks") or "",
                komponen=specs,
                dikonfirmasi=True,
            )
            key = "created" if current is None else "updated"
            getattr(self.report, key)[str(Rumus._meta.verbose_name_plural)] += 1
        else:
            self.report.unchanged[str(Rumus._meta.verbose_name_plural)] += 1
        components = list(Komponen.objects.filter(rumus__indikator=indikator).order_by("urutan"))
        stored_values = {
            (v.komponen_id, v.tahun): v
            for v in NilaiKomponen.objects.filter(komponen__in=components, periode=Periode.TAHUNAN)
        }
        entries = []
        name = str(NilaiKomponen._meta.verbose_name_plural)
        for tahun, item in (spec.get("nilai") or {}).items():
            numbers = [dec(v, f"{where} komponen {tahun}") for v in item["nilai"]]
            if len(numbers) != len(components):
                raise SeedError(f"{where}: {tahun} has {len(numbers)} values for {len(components)}")
            sumber = readable_source(item.get("sumber") or "")
            values = []
            for k, nilai in zip(components, numbers, strict=True):
                old = stored_values.get((k.pk, int(tahun)))
                if old is not None and (old.nilai, old.sumber) == (nilai, sumber):
                    self.report.unchanged[name] += 1
                    continue
                getattr(self.report, "created" if old is None else "updated")[name] += 1
                values.append(KomponenValue(k, nilai, sumber, versi=None))
            if values:
                entries.append(
                    KomponenEntry(indikator, int(tahun), ((Periode.TAHUNAN, tuple(values)),))
                )
        if entries:
            komponen_record_many(user=SEED_ACTOR, entries=entries, confirm=True)

    def load_supporting(self, opd: Opd, data: dict[str, Any]) -> None:
        for n, t in enumerate(data.get("data_pendukung") or [], start=1):
            linked = self.indicator_by_name.get(t["indikator"]) if t.get("indikator") else None
            upsert(
                self.report,
                DataPendukung,
                {"opd": opd, "tahun": int(t["tahun"]), "kode": t["kode"]},
                {
                    "judul": t["judul"],
                    "indikator": linked,
                    "kolom": [str(c) for c in t.get("kolom") or []],
                    "baris": [
                        {
                            "label": str(row.get("label", "")),
                            "nilai": [None if v is None else str(v) for v in row.get("nilai", [])],
                        }
                        for row in t.get("baris") or []
                    ],
                    "urutan": n,
                    "sumber": t.get("sumber") or "",
                },
            )


def _load_officials(
    loader: Loader, opd: Opd, periode: PeriodeRenstra, data: dict[str, Any]
) -> None:
    """The officials of ``pejabat.yaml`` (the Kepala Dinas from the OPD's head fields) and
    the programs and kegiatan each promises (their ``penanggung_jawab``)."""
    report = loader.report
    kepala_spec = data.get("kepala_dinas") or {}
    kepala = upsert(
        report,
        Pejabat,
        {"opd": opd, "nip": opd.kepala_nip},
        {
            "eselon": Eselon.II,
            "jabatan": kepala_spec.get("jabatan") or f"Kepala {opd.nama}",
            "nama": opd.kepala_nama,
            "pangkat": opd.kepala_pangkat,
            "atasan": None,
        },
    )
    by_nip: dict[str, Pejabat] = {}
    for n, item in enumerate(data.get("pejabat") or [], start=1):
        ref = str(item.get("atasan") or "")
        atasan = kepala if ref == "kepala" else by_nip.get(ref)
        if ref and atasan is None:
            raise SeedError(f"pejabat {item['nama']!r}: atasan {ref!r} not listed before it")
        code = item.get("bidang")
        if code and code not in loader.bidang:
            raise SeedError(f"pejabat {item['nama']!r}: unknown bidang {code!r}")
        # An eselon III promises to the Kepala Dinas without naming him (atasan empty).
        pejabat = upsert(
            report,
            Pejabat,
            {"opd": opd, "nip": str(item["nip"])},
            {
                "eselon": str(item["eselon"]),
                "jabatan": item["jabatan"],
                "nama": item["nama"],
                "pangkat": item.get("pangkat") or "",
                "bidang": loader.bidang.get(code) if code else None,
                "atasan": None if atasan is kepala else atasan,
                "urutan": n,
            },
        )
        by_nip[pejabat.nip] = pejabat
        for urutan in item.get("program") or []:
            upsert(
                report,
                Program,
                {"periode": periode, "urutan": int(urutan)},
                {"penanggung_jawab": pejabat},
            )
        for pair in item.get("kegiatan") or []:
            program_urutan, kegiatan_urutan = (int(x) for x in str(pair).split("."))
            upsert(
                report,
                Kegiatan,
                {
                    "program__periode": periode,
                    "program__urutan": program_urutan,
                    "urutan": kegiatan_urutan,
                },
                {"penanggung_jawab": pejabat},
            )


def _nomenclature_code(item: dict[str, Any], tingkat: str | None, induk_kode: str) -> str:
    """A program/kegiatan/sub-kegiatan's ``kode``, checked for shape: its level's and under its
    parent's code. Codes the (partial) nomenclature lacks are accepted (FORMAT.md)."""
    kode = str(item.get("kode") or "").strip()
    if not kode or tingkat is None:
        return kode
    if tingkat_of(kode) != tingkat:
        raise SeedError(f"kode {kode!r} of {item['nama']!r} is not a {tingkat} code")
    if induk_kode and induk_of(kode) != induk_kode:
        raise SeedError(f"kode {kode!r} of {item['nama']!r} is not under {induk_kode!r}")
    return kode


def seed_load_nomenklatur(report: SeedReport) -> None:
    """The Kemendagri nomenclature (fixtures/nomenklatur/), before the trees whose codes it
    explains; merged, so a second run writes nothing."""
    result = nomenklatur_load(read_dir())
    name = str(Nomenklatur._meta.verbose_name_plural)
    report.created[name] += result.ditambah
    report.updated[name] += result.diubah
    report.unchanged[name] += result.tetap


def read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise SeedError(f"{path}: expected a mapping at the top level")
    return data


@transaction.atomic
def seed_load_renstra(directory: Path, report: SeedReport) -> Opd:
    """Load one OPD from ``renstra.yaml`` (+ optional ``program.yaml``) in ``directory``."""
    from indicators.services.skala import scale_presets_ensure

    scale_presets_ensure()
    loader = Loader(report)
    renstra = read_yaml(directory / "renstra.yaml")
    opd, periode = loader.load_opd(renstra)
    loader.load_tree(periode, renstra)
    program_file = directory / "program.yaml"
    if program_file.exists():
        loader.load_programs(periode, read_yaml(program_file))
    loader.load_supporting(opd, renstra)
    officials = directory / "pejabat.yaml"
    if officials.exists():
        _load_officials(loader, opd, periode, read_yaml(officials))
    return opd


@transaction.atomic
def seed_load_decree(spec: Path, report: SeedReport) -> Opd:
    """Load an OPD whose Renstra comes from its IKU/IK decree (``fixtures/decree/*.yaml``),
    through the decree importer planners use; re-running creates nothing new."""
    from .decree_import import decree_import

    data = read_yaml(spec)
    loader = Loader(report)
    opd, periode = loader.load_opd({**data, "bidang": []})
    result = decree_import(
        path=spec.parent / data["decree"],
        opd_kode=opd.kode,
        periode=f"{periode.tahun_awal}-{periode.tahun_akhir}",
    )
    for level, n in result.created.items():
        report.created[f"{level} (keputusan)"] += n
    for level, n in result.existing.items():
        report.unchanged[f"{level} (keputusan)"] += n
    if result.problems:
        raise SeedError("; ".join(f"baris {p.number}: {p.message}" for p in result.problems))
    return opd


@transaction.atomic
def seed_load_pemda(directory: Path, report: SeedReport) -> Opd:
    """The Pemda's plan unit and its RPJMD (``fixtures/pemda/renstra.yaml``), loaded like an
    OPD's Renstra, then the cascading links its ``tautan`` lists, accepted (after the OPDs,
    whose sasaran they link). A link already accepted to the same sasaran is left alone."""
    from renstra.models import StatusTautan, TautanRpjmd
    from renstra.pemda import tautan_decide, tautan_propose

    unit = seed_load_renstra(directory, report)
    data = read_yaml(directory / "renstra.yaml")
    rpjmd_sasaran = {
        s.urutan: s for s in Sasaran.objects.filter(periode__opd=unit).order_by("urutan")
    }
    for item in data.get("tautan") or []:
        node = Sasaran.objects.filter(
            periode__opd__kode=item["opd"], urutan=int(item["sasaran"])
        ).first()
        target = rpjmd_sasaran.get(int(item["sasaran_rpjmd"]))
        if node is None or target is None:
            raise SeedError(f"tautan {item!r}: sasaran not found")
        dasar = str(item.get("dasar") or "").strip()
        link = TautanRpjmd.objects.filter(sasaran=node).first()
        name = str(TautanRpjmd._meta.verbose_name_plural)
        if (
            link is not None
            and link.sasaran_rpjmd_id == target.pk
            and link.status == StatusTautan.DITERIMA
            and link.dasar == dasar
        ):
            report.unchanged[name] += 1
            continue
        link = tautan_propose(user=SEED_ACTOR, node=node, sasaran_rpjmd=target, dasar=dasar)
        tautan_decide(user=SEED_ACTOR, obj=link, terima=True)
        report.created[name] += 1
    return unit
