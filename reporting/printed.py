"""Kategori, count sentences, totals and percentages the source document printed, checked
against the figures the report computes (the "tercetak" table of a year's data pendukung)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from common.numbers import (
    NumberParseError,
    equal_as_printed,
    format_number,
    format_rupiah,
    parse_decimal,
    printed_places,
)
from indicators import engine
from indicators.models import DataPendukung
from indicators.selectors import IndicatorRow

from .lakip_data import LakipData, PrintedStatement

# A data pendukung table whose kode starts with this holds what the source printed, for
# Catatan Verifikasi only: it is never drawn as a supporting table.
KODE_PREFIX = "tercetak"

# What each row of the table states (its first column), and what it is checked against.
KATEGORI = "kategori"  # an indicator's kategori capaian
KATEGORI_KESELURUHAN = "kategori_keseluruhan"  # the agency's overall kategori
JUMLAH_KATEGORI = "jumlah_kategori"  # "1 sangat tinggi, 2 tinggi, 1 rendah"
REALISASI_ANGGARAN = "realisasi_anggaran"  # the year's total realisasi anggaran (Rp)
JUMLAH_ANGGARAN_PK = "jumlah_anggaran_pk"  # the PK budget's printed total (Rp)
PENYERAPAN = "penyerapan"  # a program/kegiatan/sub-kegiatan's penyerapan anggaran (%)
JENIS = (
    KATEGORI,
    KATEGORI_KESELURUHAN,
    JUMLAH_KATEGORI,
    REALISASI_ANGGARAN,
    JUMLAH_ANGGARAN_PK,
    PENYERAPAN,
)

# "1 (satu) indikator berkategori sangat tinggi", "3 indikator dengan kategori sangat tinggi".
_COUNT = re.compile(
    r"(\d+)\s*(?:\([^)]*\)\s*)?indikator\b[^\d]*?kategori\s+"
    r"(sangat\s+tinggi|sangat\s+rendah|tinggi|sedang|rendah)",
    re.IGNORECASE,
)


def is_printed_table(table: DataPendukung) -> bool:
    return table.kode.startswith(KODE_PREFIX)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def counts_in(sentence: str) -> dict[str, int]:
    """The kategori counts a sentence states, keyed by kategori folded to lower case
    ("1 (satu) indikator berkategori sangat tinggi, dan 2 (dua) indikator kinerja yang
    berkategori Tinggi" → {"sangat tinggi": 1, "tinggi": 2})."""
    out: dict[str, int] = {}
    for n, label in _COUNT.findall(sentence):
        key = _fold(label)
        out[key] = out.get(key, 0) + int(n)
    return out


def _kategori(
    jenis: str,
    bagian: str,
    pokok: str,
    printed: str,
    sumber: str,
    kategori: str | None,
    note: str,
) -> PrintedStatement:
    """A printed kategori against the computed one (case and spacing aside)."""
    agrees = kategori is not None and _fold(kategori) == _fold(printed)
    return PrintedStatement(jenis, bagian, pokok, printed, kategori or "–", sumber, agrees, note)


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {label}" for label, n in counts.items() if n) or "–"


def _number(text: str) -> Decimal | None:
    try:
        return parse_decimal(text)
    except NumberParseError:
        return None


def _rupiah(
    jenis: str,
    bagian: str,
    pokok: str,
    printed: str,
    computed: Decimal,
    sumber: str,
    keterangan: str,
) -> PrintedStatement:
    value = _number(printed)
    agrees = value is not None and equal_as_printed(printed, computed)
    return PrintedStatement(
        jenis,
        bagian,
        pokok,
        format_rupiah(value) if value is not None else printed,
        format_rupiah(computed),
        sumber,
        agrees,
        "" if agrees else keterangan,
    )


def check(tables: Iterable[DataPendukung], data: LakipData) -> list[PrintedStatement]:
    """Every row of the year's "tercetak" tables against the computed counterpart, then the
    kategori each indicator's realisasi recorded as printed (Tabel 3.1)."""
    by_name = {_fold(r.indikator.nama): r for r in data.all_rows}
    nodes = {_fold(ln.node.nama): ln for ln in data.program_lines}
    summary = data.iku_summary
    computed_counts = {_fold(k): n for k, n in summary.counts.items() if n}
    out: list[PrintedStatement] = []
    for table in tables:
        for row in table.baris:
            jenis, bagian, printed, sumber = (list(row.get("nilai") or []) + [""] * 4)[:4]
            pokok = str(row.get("label") or "")
            jenis, bagian, printed, sumber = (
                str(v or "") for v in (jenis, bagian, printed, sumber)
            )
            if jenis == KATEGORI:
                ind = by_name.get(_fold(pokok))
                note = "" if ind is not None else "indikator tidak ditemukan dalam data"
                kategori = ind.result.kategori if ind is not None else None
                out.append(_kategori(jenis, bagian, pokok, printed, sumber, kategori, note))
            elif jenis == KATEGORI_KESELURUHAN:
                mean = summary.mean
                note = f"rata-rata capaian IKU {format_number(mean)} %" if mean is not None else ""
                out.append(_kategori(jenis, bagian, pokok, printed, sumber, summary.kategori, note))
            elif jenis == JUMLAH_KATEGORI:
                stated = counts_in(printed)
                out.append(
                    PrintedStatement(
                        jenis,
                        bagian,
                        pokok,
                        printed,
                        _counts_text(summary.counts),
                        sumber,
                        stated == computed_counts,
                        f"tercetak {_counts_text(stated)}" if stated != computed_counts else "",
                    )
                )
            elif jenis == REALISASI_ANGGARAN:
                out.append(
                    _rupiah(
                        jenis,
                        bagian,
                        pokok,
                        printed,
                        data.total_realisasi,
                        sumber,
                        "jumlah realisasi anggaran seluruh program (Tabel 3.31)",
                    )
                )
            elif jenis == JUMLAH_ANGGARAN_PK:
                out.append(
                    _rupiah(
                        jenis,
                        bagian,
                        pokok,
                        printed,
                        data.total_pk_budget,
                        sumber,
                        "jumlah baris anggaran PK (per sasaran)",
                    )
                )
            elif jenis == PENYERAPAN:
                ln = nodes.get(_fold(pokok))
                computed = ln.penyerapan if ln is not None else None
                agrees = (
                    computed is not None
                    and _number(printed) is not None
                    and equal_as_printed(printed, computed)
                )
                out.append(
                    PrintedStatement(
                        jenis,
                        bagian,
                        pokok,
                        printed,
                        format_number(computed, places=2) if computed is not None else "–",
                        sumber,
                        agrees,
                        ""
                        if agrees
                        else "realisasi ÷ pagu × 100 (Tabel 3.31), dibulatkan ke "
                        f"{printed_places(printed) if _number(printed) is not None else 2} desimal",
                    )
                )
            else:
                out.append(
                    PrintedStatement(
                        jenis,
                        bagian,
                        pokok,
                        printed,
                        "",
                        sumber,
                        False,
                        f"jenis «{jenis}» tidak dikenal (pilihan: {', '.join(JENIS)})",
                    )
                )
    return tabel_31_kategori(data.iku, data.scale) + out


def tabel_31_kategori(rows: Sequence[IndicatorRow], scale: engine.Scale) -> list[PrintedStatement]:
    """The kategori printed beside each capaian (stored on the realisasi as printed). When it
    disagrees, the note says which kategori the printed capaian itself falls in: Tabel 3.1's
    "Rendah" beside its own −127,20 % is Sangat Rendah even by the printed figure."""
    out = []
    for r in rows:
        printed = r.realisasi.kategori_dilaporkan if r.realisasi is not None else ""
        if not printed:
            continue
        kategori = r.result.kategori
        agrees = kategori is not None and _fold(kategori) == _fold(printed)
        note = ""
        reported = r.capaian_dilaporkan
        if not agrees and reported is not None and reported.is_finite():
            own = scale.classify(reported).label
            note = f"capaian tercetak {format_number(reported)} % berkategori {own}"
        out.append(
            PrintedStatement(
                KATEGORI,
                "Tabel 3.1",
                r.indikator.nama,
                printed,
                kategori or "–",
                r.realisasi.sumber if r.realisasi is not None else "",
                agrees,
                note,
            )
        )
    return out
