"""The report's narrative: stored text per (OPD, tahun) where a planner edited it, otherwise a
default generated from the data (numbers formatted, never computed, here).

Text cannot go stale: generated defaults (and any planner's text) name figures with
placeholders — ``{capaian:<indikator id>}``, ``{capaian_iku}`` … (:data:`PLACEHOLDERS`) — that
are resolved each time the report is built, from the same data as its tables. Numbers typed as
digits are checked instead (:func:`contradictions`): a percentage in a sentence about capaian
that matches none of the named indicator's figures is listed in the narrative editor and in
Catatan Verifikasi.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from common.numbers import (
    format_number,
    format_percent,
    format_rupiah,
)
from indicators.selectors import IndicatorRow
from renstra.models import Sasaran

from .figures import Contradiction as Contradiction
from .figures import Figures as Figures
from .figures import contradictions as contradictions
from .figures import names_of as names_of
from .models import Bagian, Narasi

if TYPE_CHECKING:
    from .lakip_data import LakipData

Key = tuple[str, int | None]


def collect(stored: list[Narasi]) -> dict[Key, str]:
    return {(n.bagian, n.sasaran_id): n.teks for n in stored if n.teks.strip()}


def fill_raw(stored: dict[Key, str], data: LakipData) -> dict[str, str]:
    """Every non-sasaran section, unresolved: the stored text, else the generated default."""
    out = {}
    for bagian in Bagian:
        if bagian == Bagian.ANALISIS_SASARAN:
            continue
        out[str(bagian)] = stored.get((bagian, None)) or DEFAULTS[bagian](data)
    return out


def fill(stored: dict[Key, str], data: LakipData) -> dict[str, str]:
    """Every non-sasaran section with its placeholders resolved from ``data``."""
    return {k: resolve(v, data).text for k, v in fill_raw(stored, data).items()}


# --- placeholders ------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([^{}\s]+))?\}")


@dataclass(frozen=True)
class Resolved:
    text: str
    unknown: tuple[str, ...] = ()


def _row_by_ref(data: LakipData, ref: str | None) -> IndicatorRow | None:
    if ref is None or not (ref.isascii() and ref.isdigit()):  # "²".isdigit() is true
        return None
    return data.row_by_id.get(int(ref))


def _per_indicator(
    render: Callable[[IndicatorRow], str],
) -> Callable[[LakipData, str | None], str | None]:
    def value(data: LakipData, ref: str | None) -> str | None:
        row = _row_by_ref(data, ref)
        return render(row) if row is not None else None

    return value


def _global(render: Callable[[LakipData], str]) -> Callable[[LakipData, str | None], str | None]:
    def value(data: LakipData, ref: str | None) -> str | None:
        return render(data) if ref is None else None

    return value


def _value_text(row: IndicatorRow, value: Decimal | str | None) -> str:
    if isinstance(value, Decimal):
        return format_number(value, places=row.places)
    return value or "–"


# Every placeholder a narrative may use; the help text of the narrative editor lists them.
PLACEHOLDERS: dict[str, tuple[str, Callable[[LakipData, str | None], str | None]]] = {
    "capaian": (
        "capaian indikator, mis. {capaian:12} → 98,96 %",
        _per_indicator(lambda r: format_percent(r.result.capaian)),
    ),
    "kategori": (
        "kategori capaian indikator",
        _per_indicator(lambda r: r.result.kategori or "belum dapat ditentukan"),
    ),
    "target": ("target indikator", _per_indicator(lambda r: _value_text(r, r.target_value))),
    "realisasi": (
        "realisasi indikator",
        _per_indicator(lambda r: _value_text(r, r.realisasi_value)),
    ),
    "capaian_iku": (
        "rata-rata capaian IKU (dibatasi sesuai aturan rata-rata)",
        _global(lambda d: format_percent(d.iku_summary.mean)),
    ),
    "kategori_iku": (
        "kategori rata-rata capaian IKU",
        _global(lambda d: d.iku_summary.kategori or "belum dapat ditentukan"),
    ),
    "jumlah_iku": (
        "«n dari m indikator memiliki data»",
        _global(lambda d: d.iku_summary.label),
    ),
    "rincian_kategori_iku": (
        "jumlah IKU per kategori",
        _global(lambda d: counts_sentence(d)),
    ),
    "anggaran": ("pagu anggaran", _global(lambda d: format_rupiah(d.total_pagu))),
    "realisasi_anggaran": (
        "realisasi anggaran",
        _global(lambda d: format_rupiah(d.total_realisasi)),
    ),
    "penyerapan": ("penyerapan anggaran", _global(lambda d: format_percent(d.total_penyerapan))),
}


def resolve(text: str, data: LakipData) -> Resolved:
    """``text`` with every known placeholder replaced by its live figure; unknown ones (or an
    indicator id not in this report) are left as typed and named in ``unknown``."""
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name, ref = match.group(1), match.group(2)
        entry = PLACEHOLDERS.get(name)
        value = entry[1](data, ref) if entry is not None else None
        if value is None:
            unknown.append(match.group(0))
            return match.group(0)
        return value

    return Resolved(_PLACEHOLDER.sub(replace, text), tuple(unknown))


# --- contradictions ----------------------------------------------------------------------------


# A percentage as narratives write it: "98,62%", "- 70 %", "1.272,73 %", "−127,2%".
def _nama(data: LakipData) -> str:
    return data.opd.nama


def kata_pengantar(data: LakipData) -> str:
    return (
        f"Puji syukur dipanjatkan ke hadirat Tuhan Yang Maha Esa sehingga Laporan Kinerja "
        f"{_nama(data)} Tahun {data.tahun} dapat disusun. Laporan ini merupakan bentuk "
        f"pertanggungjawaban atas pencapaian sasaran strategis dalam Rencana Strategis "
        f"{data.periode.tahun_awal}–{data.periode.tahun_akhir}, khususnya tahun ke-"
        f"{data.tahun - data.periode.tahun_awal + 1} pelaksanaannya.\n\n"
        "Pengukuran kinerja dilakukan terhadap Indikator Kinerja Utama sebagaimana ditetapkan "
        f"dalam Perjanjian Kinerja Tahun {data.tahun}. Seluruh angka capaian dalam laporan ini "
        "dihitung dari data target dan realisasi dengan satu metode yang dijelaskan pada "
        "Catatan Metode. Semoga laporan ini bermanfaat bagi perbaikan kinerja secara "
        "berkelanjutan."
    )


def counts_sentence(data: LakipData) -> str:
    counts = data.iku_summary.counts
    parts = [f"{n} indikator berkategori {label}" for label, n in counts.items() if n]
    return ", ".join(parts) if parts else "belum ada indikator yang dapat dihitung"


def _bounds_text(data: LakipData) -> str:
    if data.bounds is None:
        return "tanpa batas"
    low, high = data.bounds
    return (
        f"capaian tiap indikator dibatasi {format_number(low, places=0)}–"
        f"{format_number(high, places=0)} %"
    )


def ikhtisar(data: LakipData) -> str:
    return (
        f"Pada tahun {data.tahun} {_nama(data)} mengelola anggaran sebesar "
        "{anggaran} dengan realisasi {realisasi_anggaran} (penyerapan {penyerapan}).\n\n"
        f"Perjanjian Kinerja Tahun {data.tahun} memuat {data.n_sasaran} sasaran strategis dan "
        f"{len(data.iku)} indikator kinerja utama; {{jumlah_iku}}. Hasil pengukuran: "
        "{rincian_kategori_iku}. Rata-rata capaian IKU {capaian_iku} (aturan rata-rata: "
        f"{_bounds_text(data)}), kategori {{kategori_iku}}."
    )


def latar_belakang(data: LakipData) -> str:
    return (
        f"{_nama(data)} merupakan perangkat daerah di lingkungan Pemerintah "
        f"{(data.opd.kabupaten and 'Kabupaten ' + data.opd.kabupaten) or 'Daerah'}. Laporan "
        "Kinerja disusun sebagai wujud akuntabilitas pelaksanaan tugas dan fungsi sesuai "
        "Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi "
        "Pemerintah."
    )


def tugas_fungsi(data: LakipData) -> str:
    return (
        f"Tugas, fungsi dan struktur organisasi {_nama(data)} mengikuti peraturan bupati "
        "yang berlaku."
    )


def isu_strategis(data: LakipData) -> str:
    return "Isu strategis perangkat daerah sebagaimana tercantum dalam Renstra."


def landasan_hukum(data: LakipData) -> str:
    return (
        "1. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah.\n"
        "2. Peraturan Pemerintah Nomor 8 Tahun 2006 tentang Pelaporan Keuangan dan Kinerja "
        "Instansi Pemerintah.\n"
        "3. Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja "
        "Instansi Pemerintah.\n"
        "4. Peraturan Menteri PANRB Nomor 53 Tahun 2014 tentang Petunjuk Teknis Perjanjian "
        "Kinerja, Pelaporan Kinerja dan Tata Cara Reviu atas Laporan Kinerja Instansi "
        "Pemerintah.\n"
        "5. Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017."
    )


def penutup(data: LakipData) -> str:
    return (
        f"Secara keseluruhan capaian kinerja {_nama(data)} Tahun {data.tahun} berkategori "
        "{kategori_iku} dengan rata-rata capaian IKU {capaian_iku} ({jumlah_iku}; "
        f"{_bounds_text(data)}); {{rincian_kategori_iku}}. Indikator yang belum mencapai "
        "target menjadi prioritas perbaikan pada tahun berikutnya melalui penguatan koordinasi, "
        "pemantauan triwulanan dan ketepatan data realisasi."
    )


DEFAULTS = {
    Bagian.KATA_PENGANTAR: kata_pengantar,
    Bagian.IKHTISAR: ikhtisar,
    Bagian.LATAR_BELAKANG: latar_belakang,
    Bagian.TUGAS_FUNGSI: tugas_fungsi,
    Bagian.ISU_STRATEGIS: isu_strategis,
    Bagian.LANDASAN_HUKUM: landasan_hukum,
    Bagian.PENUTUP: penutup,
}


def default_sasaran_analysis(sasaran: Sasaran, rows: list[IndicatorRow]) -> str:
    """The analysis recorded with the IKU realisasi, else a sentence from the numbers."""
    parts: list[str] = []
    for r in rows:
        real = r.realisasi
        recorded = [
            (title, text)
            for title, text in (
                ("Analisis", real.analisis if real else ""),
                ("Hambatan", real.hambatan if real else ""),
                ("Tindak lanjut", real.tindak_lanjut if real else ""),
            )
            if text.strip()
        ]
        if recorded:
            parts.extend(f"{title}: {text}" for title, text in recorded)
        elif r.result.capaian is not None:
            pk = r.indikator.pk
            parts.append(
                f"Indikator {r.indikator.nama} mencapai {{realisasi:{pk}}} dari target "
                f"{{target:{pk}}} (capaian {{capaian:{pk}}}, kategori {{kategori:{pk}}})."
            )
        else:
            parts.append(f"Indikator {r.indikator.nama}: {r.result.reason}.")
    return "\n\n".join(parts)


def placeholder_help() -> str:
    return "; ".join(f"{{{name}}}: {text}" for name, (text, _f) in PLACEHOLDERS.items())
