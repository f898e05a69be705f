"""The report's narrative: stored text per (OPD, tahun) where a planner edited it, otherwise a
sensible default generated from the data (numbers formatted, never computed, here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from common.numbers import format_number, format_percent, format_rupiah
from indicators.selectors import IndicatorRow
from renstra.models import Sasaran

from .models import Bagian, Narasi

if TYPE_CHECKING:
    from .builder import LakipData

Key = tuple[str, int | None]


def collect(stored: list[Narasi]) -> dict[Key, str]:
    return {(n.bagian, n.sasaran_id): n.teks for n in stored if n.teks.strip()}


def fill(stored: dict[Key, str], data: LakipData) -> dict[str, str]:
    """Every non-sasaran section: the stored text, else the generated default."""
    out = {}
    for bagian in Bagian:
        if bagian == Bagian.ANALISIS_SASARAN:
            continue
        out[str(bagian)] = stored.get((bagian, None)) or DEFAULTS[bagian](data)
    return out


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


def ikhtisar(data: LakipData) -> str:
    summary = data.iku_summary
    overall = summary.kategori or "belum dapat ditentukan"
    return (
        f"Pada tahun {data.tahun} {_nama(data)} mengelola anggaran sebesar "
        f"{format_rupiah(data.total_pagu)} dengan realisasi {format_rupiah(data.total_realisasi)} "
        f"(penyerapan {format_percent(data.total_penyerapan)}).\n\n"
        f"Perjanjian Kinerja Tahun {data.tahun} memuat {data.n_sasaran} sasaran strategis dan "
        f"{len(data.iku)} indikator kinerja utama; {summary.label}. Hasil pengukuran: "
        f"{counts_sentence(data)}. Rata-rata capaian IKU {format_percent(summary.mean)}, "
        f"kategori {overall}."
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
    summary = data.iku_summary
    return (
        f"Secara keseluruhan capaian kinerja {_nama(data)} Tahun {data.tahun} berkategori "
        f"{summary.kategori or 'belum dapat ditentukan'} dengan rata-rata capaian IKU "
        f"{format_percent(summary.mean)} ({summary.label}). Indikator yang belum mencapai "
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
            parts.append(
                f"Indikator {r.indikator.nama} mencapai {format_number(r.result.realisasi_used)} "
                f"dari target {r.target.display_value if r.target else '–'} "
                f"(capaian {format_percent(r.result.capaian)}, kategori {r.result.kategori})."
            )
        else:
            parts.append(f"Indikator {r.indikator.nama}: {r.result.reason}.")
    return "\n\n".join(parts)
