"""The LAKIP's annexes as blocks (Catatan Metode, Catatan Verifikasi, the narratives as data)
and the cells every chapter's tables share."""

from __future__ import annotations

from typing import Any

from common.numbers import round2
from indicators import engine
from indicators.models import Target
from indicators.selectors import IndicatorRow

from .document import Block, BulletList, Cell, Column, Heading, Row, Section, Table, para
from .lakip_data import LakipData
from .models import Bagian

EFFICIENCY_LABELS = dict(engine.choices(engine.EfficiencyMethod))
BAGIAN = {str(b): b.label for b in Bagian}


def flags(row: IndicatorRow) -> tuple[str, ...]:
    return tuple(f.message for f in row.flags)


def num(value: Any, places: int, suffix: str = "") -> Cell:
    return Cell(value, places=places, suffix=suffix)


def target(t: Target | None, places: int, suffix: str = "") -> Cell:
    # A missing target prints "–"; a qualitative one its text (engine_value).
    return Cell(t.engine_value, places=places, suffix=suffix) if t is not None else Cell("–")


def capaian(row: IndicatorRow) -> Cell:
    return Cell(row.result.capaian, flags=flags(row))


def stated(row: IndicatorRow) -> tuple[Cell, Cell]:
    return num(row.target_value, row.places), num(row.realisasi_value, row.places)


def efficiency_label(d: LakipData) -> str:
    return EFFICIENCY_LABELS.get(str(d.efficiency_method), str(d.efficiency_method))


def efficiency_note(d: LakipData) -> str:
    """The method and which capaian it divides (the bounded mean when the agency bounds)."""
    return engine.describe_efficiency_method(d.efficiency_method, d.bounds)


def method(d: LakipData) -> Section:
    return Section(
        [
            Heading(1, "CATATAN METODE"),
            para(
                f"Capaian dihitung oleh mesin capaian Kinerja versi {engine.ENGINE_VERSION} dari "
                "target efektif (PK Perubahan terakhir, jika tidak ada PK, jika tidak ada "
                "Renstra) dan realisasi:"
            ),
            BulletList([*d.methods, d.aggregate_rule]),
            para(
                "Tanda «periksa» di samping angka adalah peringatan kewajaran dari mesin capaian "
                "(capaian di atas 150 % atau di bawah 0, target atau realisasi berbeda sepuluh "
                "kali lipat atau lebih dari tahun sebelumnya, persentase di atas 100 %); "
                "angkanya tidak diubah."
            ),
            para(
                f"Kategori memakai skala «{d.scale.name}» (kode {d.scale.code}, versi "
                f"{d.scale.version}). Angka dibulatkan ke dua desimal (setengah ke atas) hanya "
                f"saat ditampilkan. {efficiency_note(d)} Capaian dan efisiensi yang "
                "tercetak di dokumen sumber dicatat sebagai «dilaporkan» dan dibandingkan dengan "
                "hasil hitung pada ketelitian cetaknya (hasil hitung dibulatkan setengah ke atas "
                "ke jumlah desimal yang tercetak: 102 sama dengan 102,32, sedangkan 88,02 "
                "berbeda dari 88,03); yang berbeda dicantumkan pada Catatan Verifikasi, "
                "begitu pula angka dalam narasi yang tidak sesuai dengan hasil hitung."
            ),
        ],
        id="metode",
        break_after=True,
    )


def verification(d: LakipData) -> Section:
    small = {"css": "data small", "font": 7.0}
    blocks: list[Block] = [Heading(1, "LAMPIRAN: CATATAN VERIFIKASI")]
    if d.discrepancies:
        blocks += [
            Heading(2, "Capaian dilaporkan yang berbeda dari hasil hitung"),
            para("Angka capaian yang dilaporkan berikut berbeda dari hasil perhitungan data:"),
        ]
    blocks.append(
        Table(
            "Capaian dilaporkan dibandingkan capaian hasil hitung",
            (
                Column("Tingkat"),
                Column("Indikator"),
                Column("Target", "number"),
                Column("Realisasi", "number"),
                Column("Dilaporkan", "percent", sheet_label="Dilaporkan (%)"),
                Column("Hasil hitung", "percent", sheet_label="Hasil hitung (%)"),
                Column("Selisih", "number"),
                Column("Rumus"),
            ),
            [
                Row(
                    (
                        r.level.replace("_", " "),
                        r.indikator.nama,
                        *stated(r),
                        r.capaian_dilaporkan,
                        r.result.capaian,
                        (r.capaian_dilaporkan - round2(r.result.capaian))
                        if r.capaian_dilaporkan is not None and r.result.capaian is not None
                        else None,
                        r.result.formula,
                    )
                )
                for r in d.discrepancies
            ],
            sheet="Verifikasi",
            sheet_caption="Catatan verifikasi: capaian dilaporkan berbeda dari hasil hitung",
            empty="Tidak ada selisih antara capaian dilaporkan dan hasil hitung.",
            **small,  # type: ignore[arg-type]
        )
    )
    blocks += _printed_statements(d, small)
    checked = [c for c in d.printed_checks if c.computed is not None]
    if checked:
        blocks.append(Heading(2, "Angka tercetak lainnya yang berbeda dari hasil hitung"))
    blocks.append(
        Table(
            "Capaian terhadap target akhir Renstra dan efisiensi (Tabel 3.41) dilaporkan "
            "dibandingkan hasil hitung",
            (
                Column("Tabel"),
                Column("Program / Indikator"),
                Column("Dilaporkan", "percent", sheet_label="Dilaporkan (%)"),
                Column("Hasil hitung", "percent", sheet_label="Hasil hitung (%)"),
                Column("Selisih", "number"),
            ),
            [Row((c.tabel, c.nama, c.reported, c.computed, c.diff)) for c in checked],
            sheet="Angka Tercetak",
            empty="",
            **small,  # type: ignore[arg-type]
        )
    )
    unverified = [c for c in d.printed_checks if c.computed is None]
    if unverified:
        blocks += [
            Heading(2, "Efisiensi dilaporkan yang tidak dapat diverifikasi"),
            para(
                "Dokumen sumber mencetak efisiensi berikut, tetapi capaian kinerja program/"
                "kegiatan/sub kegiatannya tidak dapat dihitung dari data (indikatornya tanpa "
                "target atau realisasi):"
            ),
            Table(
                "Efisiensi dilaporkan tanpa capaian yang dapat dihitung",
                (
                    Column("Tabel"),
                    Column("Program / Kegiatan / Sub Kegiatan"),
                    Column("Dilaporkan", "percent", sheet_label="Dilaporkan (%)"),
                ),
                [Row((c.tabel, c.nama, c.reported)) for c in unverified],
                sheet="Angka Tercetak",
                **small,  # type: ignore[arg-type]
            ),
        ]
    if d.contradictions or d.unknown_placeholders:
        blocks.append(Heading(2, "Narasi yang bertentangan dengan hasil hitung"))
        if d.contradictions:
            blocks.append(
                Table(
                    "Angka dalam narasi yang tidak sesuai dengan data indikator",
                    (
                        Column("Bagian"),
                        Column("Indikator"),
                        Column("Disebut", "percent"),
                        Column("Hasil hitung", "percent"),
                        Column("Kalimat"),
                    ),
                    [
                        Row((c.bagian, c.indikator, c.stated, c.computed, c.sentence))
                        for c in d.contradictions
                    ],
                    sheet="Narasi Bertentangan",
                    **small,  # type: ignore[arg-type]
                )
            )
        if d.unknown_placeholders:
            names = ", ".join(d.unknown_placeholders)
            blocks.append(para(f"Penanda yang tidak dikenal dalam narasi: {names}."))
    if d.flagged:
        blocks.append(Heading(2, "Angka yang perlu diperiksa (periksa)"))
    blocks.append(
        Table(
            "Peringatan kewajaran dari mesin capaian (angka tidak diubah)",
            (
                Column("Tingkat"),
                Column("Indikator"),
                Column("Target", "number"),
                Column("Realisasi", "number"),
                Column("Capaian", "percent", sheet_label="Capaian (%)"),
                Column("Peringatan"),
            ),
            [
                Row(
                    (
                        r.level.replace("_", ""),
                        r.indikator.nama,
                        *stated(r),
                        r.result.capaian,
                        "; ".join(f.message for f in r.flags),
                    )
                )
                for r in d.flagged
            ],
            sheet="Periksa",
            empty="",
            **small,  # type: ignore[arg-type]
        )
    )
    if d.unverifiable:
        blocks += [
            Heading(2, "Capaian dilaporkan tanpa data target/realisasi"),
            para(
                "Dokumen sumber mencetak capaian berikut, tetapi target dan/atau realisasinya "
                "tidak tercatat sehingga tidak dapat diperiksa ulang:"
            ),
            Table(
                "Capaian dilaporkan yang tidak dapat diverifikasi",
                (
                    Column("Tingkat"),
                    Column("Indikator"),
                    Column("Dilaporkan", "percent", sheet_label="Dilaporkan (%)"),
                    Column("Alasan"),
                ),
                [
                    Row(
                        (
                            r.level.replace("_", ""),
                            r.indikator.nama,
                            r.capaian_dilaporkan,
                            r.result.reason or "",
                        )
                    )
                    for r in d.unverifiable
                ],
                sheet="Tak Terverifikasi",
                **small,  # type: ignore[arg-type]
            ),
        ]
    return Section(blocks, id="verifikasi", break_after=True)


JENIS_LABEL = {
    "kategori": "Kategori capaian",
    "kategori_keseluruhan": "Kategori keseluruhan",
    "jumlah_kategori": "Jumlah indikator per kategori",
    "realisasi_anggaran": "Realisasi anggaran",
    "jumlah_anggaran_pk": "Total anggaran PK",
    "penyerapan": "Penyerapan anggaran (%)",
}


def _printed_statements(d: LakipData, small: dict[str, Any]) -> list[Block]:
    """The kategori, count sentences, totals and penyerapan the source printed that the data
    contradict (reporting.printed): each with where it is printed and its seed line."""
    if not d.printed_statements:
        return []
    differ = [s for s in d.printed_statements if not s.agrees]
    blocks: list[Block] = [
        Heading(2, "Kategori, jumlah dan total tercetak yang berbeda dari hasil hitung"),
        para(
            f"Dari {len(d.printed_statements)} kategori, kalimat jumlah, total dan persentase "
            f"penyerapan yang tercetak di dokumen sumber, {len(differ)} berbeda dari hasil "
            "hitung. Angka dibandingkan pada ketelitian cetaknya (102 sama dengan 102,32; "
            "88,02 berbeda dari 88,03); total dibandingkan dengan jumlah barisnya."
        ),
    ]
    if differ:
        blocks.append(
            Table(
                "Kategori, jumlah dan total tercetak dibandingkan hasil hitung",
                (
                    Column("Bagian"),
                    Column("Pokok"),
                    Column("Tercetak"),
                    Column("Hasil hitung"),
                    Column("Keterangan"),
                    Column("Sumber"),
                ),
                [
                    Row(
                        (
                            s.bagian,
                            f"{JENIS_LABEL.get(s.jenis, s.jenis)}: {s.pokok}",
                            s.tercetak,
                            s.hasil_hitung,
                            s.keterangan,
                            s.sumber,
                        )
                    )
                    for s in differ
                ],
                sheet="Tercetak",
                **small,
            )
        )
    return blocks


def narasi(d: LakipData) -> Table:
    """The narratives as data, for the workbook only (the printed chapters carry them)."""
    return Table(
        f"Narasi LAKIP {d.tahun} (angka dari data saat laporan dibuat)",
        (Column("Bagian"), Column("Teks")),
        [
            *[Row((BAGIAN.get(k, k), v)) for k, v in d.narasi.items() if k != "penutup"],
            *[Row((f"Analisis Sasaran {s.no}: {s.sasaran.nama}", s.narasi)) for s in d.sections],
            Row(("Penutup", d.narasi.get("penutup", ""))),
        ],
        sheet="Narasi",
        print=False,
    )
