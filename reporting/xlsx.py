"""The LAKIP tables as a workbook: one sheet per table, numbers stored as numbers with an
Indonesian-looking display format (Excel itself shows separators per the user's locale)."""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.sheets import SafeWorkbook, SafeWorksheet

from . import pemda_chapter
from .builder import LakipData
from .models import Bagian

NUMBER = "#,##0.00"
PERCENT = '#,##0.00" %"'
RUPIAH = '"Rp "#,##0'
HEADER_FILL = PatternFill("solid", fgColor="DFE7EF")
_BAGIAN = {str(b): b.label for b in Bagian}


def _cell_value(value: Any) -> Any:
    # Text typed by users (indicator names, qualitative realisasi) is escaped by the sheet
    # itself (common.sheets), so it never becomes a formula.
    if isinstance(value, Decimal):
        # openpyxl writes floats; the stored Decimal is exact to 6 places, well inside a double.
        return float(value)
    return value


def _sheet(
    wb: SafeWorkbook,
    title: str,
    heading: str,
    headers: list[str],
    rows: list[list[Any]],
    formats: dict[int, str] | None = None,
) -> SafeWorksheet:
    ws = wb.create_sheet(title=title[:31])
    ws.append([heading])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(headers)
    for col in range(1, len(headers) + 1):
        cell = ws.cell(row=2, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([_cell_value(v) for v in row])
    for col, fmt in (formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=3, min_col=col, max_col=col):
            if isinstance(cell.value, (int, float)):
                cell.number_format = fmt
    for col in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14 if col > 2 else 45
    ws.freeze_panes = "A3"
    return ws


def _target(t: Any) -> Any:
    if t is None:
        return None
    return t.nilai if t.nilai is not None else t.nilai_teks


def write_workbook(data: LakipData, stream: IO[bytes]) -> None:
    wb = SafeWorkbook()
    wb.remove(wb.first_sheet)
    years = list(data.years)
    for title, heading, series in (
        ("Tabel 2.1", "Tabel 2.1 Tujuan dan Target Kinerja Tujuan", data.tujuan_targets),
        ("Tabel 2.2", "Tabel 2.2 Sasaran dan Target Kinerja Sasaran", data.sasaran_targets),
    ):
        _sheet(
            wb,
            title,
            heading,
            ["No", "Tujuan/Sasaran", "Indikator", "Satuan", *[str(y) for y in years]],
            [
                [s.no, s.node, s.indikator.nama, s.indikator.satuan]
                + [_target(s.targets.get(y)) for y in years]
                for s in series
            ],
            {5 + i: NUMBER for i in range(len(years))},
        )
    _sheet(
        wb,
        "Tabel 2.3",
        "Tabel 2.3 Indikator Kinerja Utama",
        [
            "No",
            "Kinerja Utama",
            "Indikator",
            "Alasan",
            "Formula",
            "Penanggung Jawab",
            "Sumber Data",
        ],
        [
            [
                n,
                r.indikator.sasaran.nama,
                r.indikator.nama,
                r.indikator.alasan,
                r.indikator.formulasi,
                r.indikator.penanggung_jawab,
                r.indikator.sumber_data,
            ]
            for n, r in enumerate(data.iku, start=1)
        ],
    )
    _sheet(
        wb,
        "Tabel 2.4",
        f"Tabel 2.4 Perjanjian Kinerja Tahun {data.tahun}",
        [
            "No",
            "Sasaran Strategis",
            "Indikator Kinerja",
            "Target PK",
            "Target PK Perubahan",
            "Satuan",
            "Anggaran (Rp)",
        ],
        [
            [
                n,
                p.row.indikator.sasaran.nama,
                p.row.indikator.nama,
                _target(p.pk),
                _target(p.pk_perubahan),
                p.row.indikator.satuan,
                {s.pk: a for s, a in data.pk_budget}.get(p.row.indikator.sasaran_id or 0),
            ]
            for n, p in enumerate(data.pk_targets, start=1)
        ],
        {4: NUMBER, 5: NUMBER, 7: RUPIAH},
    )
    _sheet(
        wb,
        "Tabel 3.1",
        "Tabel 3.1 Capaian Indikator Kinerja Utama",
        [
            "Sasaran",
            "Indikator",
            "Polaritas",
            "Target",
            "Realisasi",
            "Capaian (%)",
            "Kategori",
            "Capaian dilaporkan (%)",
            "Selisih",
            "Asal realisasi (rumus dan sumber)",
        ],
        [
            [
                r.indikator.sasaran.nama,
                r.indikator.nama,
                r.indikator.polaritas,
                r.target_value,
                r.realisasi_value,
                r.result.capaian,
                r.result.kategori or r.result.reason,
                r.capaian_dilaporkan,
                "ya" if r.discrepant else "tidak",
                data.provenance[r.indikator.pk].line if r.indikator.pk in data.provenance else "",
            ]
            for r in data.iku
        ],
        {4: NUMBER, 5: NUMBER, 6: PERCENT, 8: PERCENT},
    )
    if data.rencana_aksi:
        _sheet(
            wb,
            "Rencana Aksi",
            "Tabel 3.1a Rencana Aksi dan Realisasi Triwulan IKU",
            ["Indikator", "Triwulan", "Target", "Realisasi", "Capaian (%)", "Kategori"],
            [
                [
                    q.indikator.nama,
                    c["label"],
                    c["target"].nilai if c["target"] is not None else None,
                    c["realisasi"].engine_value if c["realisasi"] is not None else None,
                    c["result"].capaian,
                    c["result"].kategori or c["result"].reason,
                ]
                for q in data.rencana_aksi
                for c in q.cells
            ],
            {3: NUMBER, 4: NUMBER, 5: PERCENT},
        )
    _sheet(
        wb,
        "Tabel 3.2",
        f"Tabel 3.2 Skala ({data.scale.name})",
        ["Kategori", "Batas bawah", "Batas atas"],
        [[b.label, b.lower, b.upper] for b in reversed(data.scale.bands)],
        {2: NUMBER, 3: NUMBER},
    )
    budget_rows = [
        [
            ln.level,
            ln.node.kode,
            ln.node.nama,
            ln.anggaran.pagu,
            ln.anggaran.realisasi,
            ln.penyerapan,
        ]
        for ln in data.program_lines
        if ln.anggaran is not None
    ]
    budget_rows.append(
        ["jumlah", "", "Jumlah", data.total_pagu, data.total_realisasi, data.total_penyerapan]
    )
    _sheet(
        wb,
        "Tabel 3.31",
        f"Tabel 3.31 Realisasi Anggaran Tahun {data.tahun}",
        [
            "Tingkat",
            "Kode",
            "Program/Kegiatan/Sub Kegiatan",
            "Anggaran (Rp)",
            "Realisasi (Rp)",
            "%",
        ],
        budget_rows,
        {4: RUPIAH, 5: RUPIAH, 6: PERCENT},
    )
    efficiency_rows = [
        [
            ln.level,
            ln.node.nama,
            ln.capaian.mean,
            ln.penyerapan,
            ln.efisiensi.value,
            ln.efisiensi.kategori or ln.efisiensi.reason,
        ]
        for ln in data.program_lines
        if ln.anggaran is not None
    ]
    efficiency_rows.append(["rata-rata", "Rata-rata", None, None, data.efisiensi_mean, None])
    _sheet(
        wb,
        "Tabel 3.41",
        "Tabel 3.41 Analisis Efisiensi",
        [
            "Tingkat",
            "Program/Kegiatan/Sub Kegiatan",
            "Capaian (%)",
            "Penyerapan (%)",
            "Efisiensi (%)",
            "Kategori",
        ],
        efficiency_rows,
        {3: PERCENT, 4: PERCENT, 5: PERCENT},
    )
    _sheet(
        wb,
        "Verifikasi",
        "Catatan verifikasi: capaian dilaporkan berbeda dari hasil hitung",
        [
            "Tingkat",
            "Indikator",
            "Target",
            "Realisasi",
            "Dilaporkan (%)",
            "Hasil hitung (%)",
            "Rumus",
        ],
        [
            [
                r.level,
                r.indikator.nama,
                r.target_value,
                r.realisasi_value,
                r.capaian_dilaporkan,
                r.result.capaian,
                r.result.formula,
            ]
            for r in data.discrepancies
        ],
        {3: NUMBER, 4: NUMBER, 5: PERCENT, 6: PERCENT},
    )
    _sheet(
        wb,
        "Narasi",
        f"Narasi LAKIP {data.tahun} (angka dari data saat laporan dibuat)",
        ["Bagian", "Teks"],
        [
            *[[_BAGIAN.get(k, k), v] for k, v in data.narasi.items() if k != "penutup"],
            *[[f"Analisis Sasaran {s.no}: {s.sasaran.nama}", s.narasi] for s in data.sections],
            ["Penutup", data.narasi.get("penutup", "")],
        ],
    ).column_dimensions["B"].width = 120
    sasaran_rows: list[list[Any]] = []
    for s in data.sections:
        for r in s.iku:
            ind = r.indikator
            sasaran_rows.append(
                [
                    s.no,
                    ind.nama,
                    f"a. Target {data.tahun}",
                    data.tahun,
                    r.target_value,
                    r.realisasi_value,
                    r.result.capaian,
                    r.result.kategori or r.result.reason,
                ]
            )
            for p in s.history.get(ind.pk, []):
                sasaran_rows.append(
                    [
                        s.no,
                        ind.nama,
                        "b. Antartahun",
                        p.tahun,
                        _target(p.target),
                        p.result.realisasi_used,
                        p.result.capaian,
                        p.result.kategori,
                    ]
                )
            end = s.end_result.get(ind.pk)
            sasaran_rows.append(
                [
                    s.no,
                    ind.nama,
                    f"c. Target akhir Renstra {data.periode.tahun_akhir}",
                    data.periode.tahun_akhir,
                    _target(s.end_target.get(ind.pk)),
                    r.realisasi_value,
                    end.capaian if end is not None else None,
                    end.kategori if end is not None else None,
                ]
            )
            for c in s.pembanding.get(ind.pk, []):
                sasaran_rows.append(
                    [
                        s.no,
                        ind.nama,
                        f"d. Pembanding: {c.wilayah}",
                        c.tahun,
                        None,
                        c.nilai,
                        None,
                        None,
                    ]
                )
    _sheet(
        wb,
        "Analisis Sasaran",
        "Analisis capaian per sasaran strategis (a–d)",
        [
            "Sasaran",
            "Indikator",
            "Tabel",
            "Tahun",
            "Target",
            "Realisasi",
            "Capaian (%)",
            "Kategori",
        ],
        sasaran_rows,
        {5: NUMBER, 6: NUMBER, 7: PERCENT},
    )
    _sheet(
        wb,
        "Program per Sasaran",
        "Program, kegiatan dan sub kegiatan yang menunjang sasaran",
        [
            "Sasaran",
            "Tingkat",
            "Kode",
            "Program/Kegiatan/Sub Kegiatan",
            "Indikator",
            "Satuan",
            "Target",
            "Realisasi",
            "Capaian (%)",
        ],
        [
            [
                s.no,
                ln.level,
                ln.node.kode,
                ln.node.nama,
                r.indikator.nama,
                r.indikator.satuan,
                r.target_value,
                r.realisasi_value,
                r.result.capaian,
            ]
            for s in data.sections
            for ln in s.programs
            for r in ln.rows
        ],
        {7: NUMBER, 8: NUMBER, 9: PERCENT},
    )
    _sheet(
        wb,
        "Angka Tercetak",
        "Angka tercetak lain (target akhir Renstra, Tabel 3.41) dibandingkan hasil hitung",
        ["Tabel", "Program/Indikator", "Dilaporkan (%)", "Hasil hitung (%)"],
        [[c.tabel, c.nama, c.reported, c.computed] for c in data.printed_checks],
        {3: PERCENT, 4: PERCENT},
    )
    _sheet(
        wb,
        "Periksa",
        "Peringatan kewajaran (angka tidak diubah)",
        ["Indikator", "Target", "Realisasi", "Capaian (%)", "Peringatan"],
        [
            [
                r.indikator.nama,
                r.target_value,
                r.realisasi_value,
                r.result.capaian,
                "; ".join(f.message for f in r.flags),
            ]
            for r in data.flagged
        ],
        {2: NUMBER, 3: NUMBER, 4: PERCENT},
    )
    if data.kabupaten is not None:
        pemda_chapter.get().xlsx(wb, data.kabupaten, _sheet)
    wb.properties.creator = "Kinerja"
    # Fixed timestamps: the same data gives the same workbook bytes.
    wb.properties.created = data.generated_at.replace(tzinfo=None, microsecond=0)
    wb.properties.modified = wb.properties.created
    wb.save(stream)
