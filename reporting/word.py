"""The LAKIP as an editable Word document (python-docx): the same chapters, tables, charts and
numbers as the PDF, laid out from the same built data and formatted by the same functions, so
an agency can finish the text in Word or LibreOffice as LKjIPs are usually submitted."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import formats
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from common.numbers import format_number, format_percent, format_rupiah
from indicators.selectors import IndicatorRow

from . import charts, pemda_chapter
from .builder import LakipData, SasaranSection
from .logos import kop_for, logo_bytes
from .render import EFFICIENCY_LABELS, band_range, paragraphs, pendukung_view

Cell = str

CHAPTERS = (
    "Kata Pengantar",
    "Ikhtisar Eksekutif",
    "BAB I PENDAHULUAN",
    "BAB II PERENCANAAN KINERJA",
    "BAB III AKUNTABILITAS KINERJA",
    "BAB IV PENUTUP",
    "Catatan Metode",
    "Lampiran: Catatan Verifikasi",
    "Lampiran: Perjanjian Kinerja",
)


def _num(value: Decimal | str | None, places: int = 2) -> str:
    if isinstance(value, str):
        return value
    return format_number(value, places=places)


def _flags(row: IndicatorRow) -> str:
    return " (periksa)" if row.flags else ""


class _Writer:
    def __init__(self, data: LakipData) -> None:
        self.data = data
        self.kop = kop_for(data.opd)
        self.doc: DocumentObject = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin, section.right_margin = Cm(2.2), Cm(1.8)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
        normal = self.doc.styles["Normal"]
        normal.font.name = "DejaVu Sans"
        normal.font.size = Pt(9.5)
        header = section.header.paragraphs[0]
        header.text = f"Laporan Kinerja {data.opd.singkatan or data.opd.kode} Tahun {data.tahun}"
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._page_number(section.footer.paragraphs[0])

    # --- primitives ---------------------------------------------------------------------------

    def _page_number(self, paragraph: Any) -> None:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run("Halaman ")
        self._field(paragraph, "PAGE")

    def _field(self, paragraph: Any, instruction: str) -> None:
        run = paragraph.add_run()
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = instruction
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        run._r.append(begin)
        run._r.append(text)
        run._r.append(end)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def heading(self, text: str, level: int) -> None:
        h = self.doc.add_heading(text, level=level)
        if level == 1:
            h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in h.runs:
            run.font.color.rgb = RGBColor(0x11, 0x11, 0x11)

    def para(self, text: str, *, bold: bool = False, center: bool = False) -> Any:
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
        return p

    def texts(self, text: str) -> None:
        for p in paragraphs(text):
            self.para(p)

    def table(
        self,
        caption: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        numeric: Sequence[int] = (),
        *,
        bold_rows: Sequence[int] = (),
        font: float = 8,
    ) -> None:
        # The caption is kept with the table's first row, as in the PDF.
        cap = self.doc.add_paragraph()
        cap_run = cap.add_run(caption)
        cap_run.bold = True
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = _widths(headers, numeric)
        for i, text in enumerate(headers):
            self._cell(table.rows[0].cells[i], text, bold=True, right=i in numeric, font=font)
        self._repeat_header(table.rows[0])
        for n, values in enumerate(rows):
            cells = table.add_row().cells
            for i, text in enumerate(values):
                self._cell(cells[i], text, bold=n in bold_rows, right=i in numeric, font=font)
        # Word reads the column grid, LibreOffice each cell's width: set both.
        for i, width in enumerate(widths):
            table.columns[i].width = width
            for cell in table.columns[i].cells:
                cell.width = width
        self.doc.add_paragraph()

    def _cell(self, cell: Any, text: str, *, bold: bool, right: bool, font: float) -> None:
        p = cell.paragraphs[0]
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(font)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
        p.paragraph_format.keep_with_next = True

    def _repeat_header(self, row: Any) -> None:
        props = row._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        props.append(header)

    def signature(self) -> None:
        d = self.data
        date = formats.date_format(d.sign_date, "j F Y") if d.sign_date else f"……… {d.tahun + 1}"
        signer = d.opd.penandatangan
        lines = [
            (f"{d.sign_place}, {date}", False),
            (f"{signer.jabatan},", False),
            ("\n\n\n", False),
            (signer.nama or "(nama belum diisi)", True),
        ]
        if signer.pangkat:
            lines.append((signer.pangkat, False))
        if signer.nip or signer.nip_wajib:
            lines.append((f"NIP. {signer.nip or '–'}", False))
        for text, bold in lines:
            p = self.doc.add_paragraph()
            p.add_run(text).bold = bold
            p.paragraph_format.left_indent = Cm(9)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.keep_with_next = True

    def aggregate(self, summary: Any, what: str) -> None:
        counts = ", ".join(f"{k} {v}" for k, v in summary.counts.items() if v)
        bounds = ""
        if summary.bounds:
            low, high = summary.bounds
            bounds = (
                f" · capaian tiap indikator dibatasi {format_number(low, 0)}–"
                f"{format_number(high, 0)} % sebelum dirata-ratakan"
                + (f" ({summary.n_bounded} indikator dibatasi)" if summary.n_bounded else "")
            )
        self.para(
            f"Capaian {what}: {format_percent(summary.mean)}, kategori "
            f"{summary.kategori or '–'} · {summary.label}{bounds} · {counts}."
        )

    def image(self, png: bytes, caption: str) -> None:
        self.doc.add_picture(io.BytesIO(png), width=Cm(15))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.para(caption, center=True)

    # --- chapters -----------------------------------------------------------------------------

    def write(self) -> None:
        d = self.data
        self.cover()
        self.heading("KATA PENGANTAR", 1)
        self.texts(d.narasi.get("kata_pengantar", ""))
        self.signature()
        self.page_break()
        self.ikhtisar()
        self.page_break()
        self.heading("DAFTAR ISI", 1)
        toc = self.doc.add_paragraph()
        self._field(toc, 'TOC \\o "1-3" \\h \\z \\u')
        # Word fills the table of contents (with page numbers) when it opens the document
        # (updateFields); until then, and in viewers that do not update fields, the chapters:
        for title in CHAPTERS:
            self.para(title)
        self.para("(Nomor halaman: perbarui daftar isi — klik kanan → Perbarui Bidang.)")
        self.page_break()
        self.bab1()
        self.page_break()
        self.bab2()
        self.page_break()
        self.bab3()
        self.page_break()
        if d.kabupaten is not None:
            pemda_chapter.get().docx(self, d.kabupaten)
            self.page_break()
        self.heading("BAB IV PENUTUP", 1)
        self.texts(d.narasi.get("penutup", ""))
        self.signature()
        self.page_break()
        self.method_note()
        self.page_break()
        self.verification()
        self.page_break()
        self.letterhead()
        self.heading(f"LAMPIRAN: PERJANJIAN KINERJA TAHUN {d.tahun}", 1)
        self.pk_tables()
        self.signature()

    def cover(self) -> None:
        d = self.data
        for _ in range(4):
            self.doc.add_paragraph()
        logo = self.logo_run(self.doc.add_paragraph(), Cm(3.6))
        if logo is not None:
            logo.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.doc.add_paragraph()
        self.para("LAPORAN KINERJA INSTANSI PEMERINTAH", bold=True, center=True)
        self.para("(LKjIP)", bold=True, center=True)
        title = self.para(f"TAHUN {d.tahun}", bold=True, center=True)
        title.runs[0].font.size = Pt(24)
        for _ in range(3):
            self.doc.add_paragraph()
        for line in self.kop.baris:
            self.para(line.upper(), bold=True, center=True).paragraph_format.space_after = Pt(2)
        if self.kop.kontak:
            self.doc.add_paragraph()
            self.para(self.kop.kontak, center=True)
        self.page_break()

    def logo_run(self, paragraph: Any, box: Any) -> Any:
        """The logo as an inline picture in ``paragraph``, fitted into a square ``box``; when
        none is uploaded the paragraph is removed and nothing stands in its place."""
        data = logo_bytes(self.kop.logo_name) if self.kop.logo_name else None
        if not data:
            paragraph._p.getparent().remove(paragraph._p)
            return None
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
        size = {"width": box} if width >= height else {"height": box}
        paragraph.add_run().add_picture(io.BytesIO(data), **size)
        return paragraph

    def letterhead(self) -> None:
        """The kop above a signed page: logo at the left, lines centred, a double rule."""
        # Three columns, the outer two equal: the lines stay centred on the page whether or
        # not a logo sits at the left.
        table = self.doc.add_table(rows=1, cols=3)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        logo_cell, text_cell, _balance = table.rows[0].cells
        # Word reads the column grid, LibreOffice each cell's width: set both.
        for column, width in zip(table.columns, (Cm(2.6), Cm(11.8), Cm(2.6)), strict=True):
            column.width = width
            for cell in column.cells:
                cell.width = width
        if self.logo_run(logo_cell.paragraphs[0], Cm(2.1)) is None:
            logo_cell.add_paragraph()
        lines = [(line.upper(), True, 12.0) for line in self.kop.baris]
        if self.kop.kontak:
            lines.append((self.kop.kontak, False, 8.0))
        for i, (text, bold, size) in enumerate(lines):
            p = text_cell.paragraphs[0] if i == 0 else text_cell.add_paragraph()
            run = p.add_run(text)
            run.bold = bold
            run.font.size = Pt(size)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
        rule = self.doc.add_paragraph()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (
            ("w:val", "double"),
            ("w:sz", "6"),
            ("w:space", "1"),
            ("w:color", "111111"),
        ):
            bottom.set(qn(key), value)
        borders.append(bottom)
        rule._p.get_or_add_pPr().append(borders)

    def iku_rows(self) -> list[list[str]]:
        return [
            [
                r.indikator.sasaran.nama,
                r.indikator.nama,
                _num(r.target_value, r.places),
                _num(r.realisasi_value, r.places),
                format_percent(r.result.capaian) + _flags(r),
                r.result.kategori or (r.result.reason or "–"),
            ]
            for r in self.data.iku
        ]

    def ikhtisar(self) -> None:
        d = self.data
        self.heading("IKHTISAR EKSEKUTIF", 1)
        self.texts(d.narasi.get("ikhtisar", ""))
        headers = ["Sasaran", "Indikator", "Target", "Realisasi", "Capaian", "Kategori"]
        self.table(
            f"Ringkasan capaian Indikator Kinerja Utama Tahun {d.tahun}",
            headers,
            self.iku_rows(),
            (2, 3, 4),
        )
        self.aggregate(d.iku_summary, "IKU")
        counts = d.iku_summary.counts
        self.table("Jumlah IKU per kategori", list(counts), [[str(n) for n in counts.values()]])

    def bab1(self) -> None:
        d = self.data
        self.heading("BAB I PENDAHULUAN", 1)
        self.heading("1.1 Latar Belakang", 2)
        self.texts(d.narasi.get("latar_belakang", ""))
        self.heading("1.2 Tugas, Fungsi dan Struktur Organisasi", 2)
        self.texts(d.narasi.get("tugas_fungsi", ""))
        bidang = list(d.opd.bidang_set.all())
        if bidang:
            self.para("Unit kerja:")
            for b in bidang:
                self.doc.add_paragraph(b.nama, style="List Bullet")
        self.heading("1.3 Aspek Strategis dan Permasalahan", 2)
        aspek = [t for t in d.pendukung_umum if t.kode == "aspek_strategis"]
        for t in aspek:
            self.pendukung(t)
        if not aspek:
            self.para("Tidak ada data aspek strategis.")
        self.heading("1.4 Isu Strategis", 2)
        self.texts(d.narasi.get("isu_strategis", ""))
        self.heading("1.5 Landasan Hukum", 2)
        self.texts(d.narasi.get("landasan_hukum", ""))

    def pendukung(self, t: Any) -> None:
        view = pendukung_view(t)
        self.table(
            view["judul"],
            ["", *view["kolom"]],
            [
                [b["label"], *[v if v is not None else "–" for v in b["nilai"]]]
                for b in view["baris"]
            ],
            font=7,
        )

    def targets(self, title: str, head: str, series: Sequence[Any]) -> None:
        years = list(self.data.years)
        self.table(
            title,
            ["No", head, "Indikator", "Satuan", *[str(y) for y in years]],
            [
                [
                    str(s.no),
                    s.node,
                    s.indikator.nama,
                    s.indikator.satuan,
                    *[
                        _num(t.engine_value, s.places) if t is not None else "–"
                        for t in (s.targets.get(y) for y in years)
                    ],
                ]
                for s in series
            ],
            tuple(range(4, 4 + len(years))),
            font=7,
        )

    def bab2(self) -> None:
        d = self.data
        self.heading("BAB II PERENCANAAN KINERJA", 1)
        self.heading(f"2.1 Rencana Strategis {d.periode.tahun_awal}–{d.periode.tahun_akhir}", 2)
        if d.periode.visi:
            self.para(f"Visi: {d.periode.visi}")
        if d.periode.misi:
            self.para(f"Misi: {d.periode.misi}")
        self.targets("Tabel 2.1 Tujuan dan Target Kinerja Tujuan", "Tujuan", d.tujuan_targets)
        self.targets("Tabel 2.2 Sasaran dan Target Kinerja Sasaran", "Sasaran", d.sasaran_targets)
        self.para(
            f"Target Renstra {d.periode.tahun_awal}–{d.periode.tahun_akhir}; target Perjanjian "
            f"Kinerja tahun {d.tahun} pada Tabel 2.4."
        )
        self.heading("2.2 Indikator Kinerja Utama", 2)
        self.table(
            "Tabel 2.3 Indikator Kinerja Utama (IKU)",
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
                    str(n),
                    r.indikator.sasaran.nama,
                    r.indikator.nama,
                    r.indikator.alasan,
                    r.indikator.formulasi,
                    r.indikator.penanggung_jawab,
                    r.indikator.sumber_data,
                ]
                for n, r in enumerate(d.iku, start=1)
            ],
            font=7,
        )
        self.heading(f"2.3 Perjanjian Kinerja Tahun {d.tahun}", 2)
        self.pk_tables()

    def pk_tables(self) -> None:
        d = self.data

        def target(t: Any, row: IndicatorRow) -> str:
            if t is None:
                return "–"
            return f"{_num(t.engine_value, row.places)} {row.indikator.satuan}".strip()

        self.table(
            f"Tabel 2.4 Perjanjian Kinerja Tahun {d.tahun}",
            ["No", "Sasaran Strategis", "Indikator Kinerja", "Target PK", "Target PK Perubahan"],
            [
                [
                    str(n),
                    p.row.indikator.sasaran.nama,
                    p.row.indikator.nama,
                    target(p.pk, p.row),
                    target(p.pk_perubahan, p.row),
                ]
                for n, p in enumerate(d.pk_targets, start=1)
            ],
            (3, 4),
        )
        rec = d.pk_reconciliation
        if rec is not None:
            rows = [
                [ln.sasaran.nama, format_rupiah(ln.pk), format_rupiah(ln.pagu_program), ln.note]
                for ln in rec.lines
            ]
            rows.append(
                ["Jumlah", format_rupiah(rec.total_pk), format_rupiah(rec.total_program), ""]
            )
            self.table(
                f"Anggaran Perjanjian Kinerja Tahun {d.tahun}",
                [
                    "Sasaran Strategis",
                    "Anggaran PK (Rp)",
                    "Pagu program sasaran (Rp)",
                    "Keterangan",
                ],
                rows,
                (1, 2),
                bold_rows=(len(rows) - 1,),
            )
            self.para(rec.summary)

    def bab3(self) -> None:
        d = self.data
        self.heading("BAB III AKUNTABILITAS KINERJA", 1)
        self.heading(f"3.1 Capaian Kinerja Tahun {d.tahun}", 2)
        self.table(
            "Tabel 3.1 Capaian Indikator Kinerja Utama",
            ["Sasaran Strategis", "Indikator", "Target", "Realisasi", "Capaian", "Kategori"],
            self.iku_rows(),
            (2, 3, 4),
        )
        self.aggregate(d.iku_summary, "IKU")
        if d.rencana_aksi:
            self.table(
                "Tabel 3.1a Rencana Aksi dan Realisasi Triwulan IKU",
                ["Indikator", "Triwulan", "Target", "Realisasi", "Capaian", "Kategori"],
                [
                    [
                        q.indikator.nama if n == 0 else "",
                        c["label"],
                        _num(c["target"].nilai) if c["target"] is not None else "–",
                        _num(c["realisasi"].engine_value) if c["realisasi"] is not None else "–",
                        format_percent(c["result"].capaian),
                        c["result"].kategori or (c["result"].reason or "–"),
                    ]
                    for q in d.rencana_aksi
                    for n, c in enumerate(q.cells)
                ],
                (2, 3, 4),
            )
        self.table(
            f"Tabel 3.2 Skala Pengukuran Ordinal ({d.scale.name})",
            ["Rentang capaian", "Kategori"],
            [[band_range(b), b.label] for b in reversed(d.scale.bands)],
        )
        if d.scale_basis:
            self.para(f"Dasar: {d.scale_basis}.")
        self.heading("3.2 Analisis Capaian Kinerja per Sasaran Strategis", 2)
        for s in d.sections:
            self.sasaran(s)
        for t in d.pendukung_umum:
            if t.kode != "aspek_strategis":
                self.pendukung(t)
        self.heading("3.3 Realisasi Anggaran", 2)
        rows = [
            [
                ln.node.kode or "–",
                ln.node.nama,
                format_rupiah(ln.anggaran.pagu),
                format_rupiah(ln.anggaran.realisasi),
                format_percent(ln.penyerapan),
            ]
            for ln in d.program_lines
            if ln.anggaran is not None
        ]
        rows.append(
            [
                "",
                "Jumlah",
                format_rupiah(d.total_pagu),
                format_rupiah(d.total_realisasi),
                format_percent(d.total_penyerapan),
            ]
        )
        self.table(
            f"Tabel 3.31 Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan Tahun {d.tahun}",
            ["Kode", "Program / Kegiatan / Sub Kegiatan", "Anggaran (Rp)", "Realisasi (Rp)", "%"],
            rows,
            (2, 3, 4),
            bold_rows=(len(rows) - 1,),
            font=7,
        )
        self.heading("3.4 Analisis Efisiensi Penggunaan Sumber Daya", 2)
        label = EFFICIENCY_LABELS.get(str(d.efficiency_method), str(d.efficiency_method))
        self.para(f"Metode: {label}.")
        rows = [
            [
                ln.node.nama,
                format_percent(ln.capaian.mean),
                format_percent(ln.penyerapan),
                format_percent(ln.efisiensi.value),
                ln.efisiensi.kategori or (ln.efisiensi.reason or ""),
            ]
            for ln in d.program_lines
            if ln.anggaran is not None
        ]
        rows.append(["Rata-rata", "", "", format_percent(d.efisiensi_mean), ""])
        self.table(
            "Tabel 3.41 Analisis Efisiensi per Program, Kegiatan dan Sub Kegiatan",
            [
                "Program / Kegiatan / Sub Kegiatan",
                "Capaian Kinerja",
                "Penyerapan Anggaran",
                "Efisiensi",
                "Kategori",
            ],
            rows,
            (1, 2, 3),
            bold_rows=(len(rows) - 1,),
            font=7,
        )

    def sasaran(self, s: SasaranSection) -> None:
        d = self.data
        base = 2 + s.no
        self.heading(f"Sasaran Strategis {s.no}: {s.sasaran.nama}", 3)
        if s.summary is not None:
            self.aggregate(s.summary, "sasaran")
        for n, r in enumerate(s.iku, start=1):
            ind = r.indikator
            places = r.places
            self.heading(ind.nama, 4)
            self.para(f"a. Realisasi dibandingkan target {d.tahun}", bold=True)
            self.table(
                f"Tabel 3.{base}.{n}a Realisasi dan target {d.tahun}",
                ["Indikator", "Target", "Realisasi", "Capaian", "Kategori"],
                [
                    [
                        ind.nama,
                        _num(r.target_value, places),
                        _num(r.realisasi_value, places),
                        format_percent(r.result.capaian) + _flags(r),
                        r.result.kategori or (r.result.reason or "–"),
                    ]
                ],
                (1, 2, 3),
            )
            provenance = s.provenance.get(ind.pk)
            if provenance is not None:
                self.para(f"Realisasi {provenance.line}. Rumus: {provenance.definisi}.")
            points = s.history.get(ind.pk, [])
            self.para("b. Realisasi dibandingkan tahun-tahun sebelumnya", bold=True)
            self.table(
                f"Tabel 3.{base}.{n}b Perbandingan antartahun",
                ["Tahun", "Target", "Realisasi", "Capaian", "Kategori"],
                [
                    [
                        str(p.tahun),
                        _num(p.target.engine_value, places) if p.target is not None else "–",
                        _num(p.result.realisasi_used, places),
                        format_percent(p.result.capaian),
                        p.result.kategori or "–",
                    ]
                    for p in points
                ],
                (1, 2, 3),
            )
            if any(p.result.realisasi_used is not None for p in points):
                png = charts.history_chart_png(
                    [p.tahun for p in points],
                    [p.target.nilai if p.target is not None else None for p in points],
                    [p.result.realisasi_used for p in points],
                    ind.satuan,
                )
                self.image(png, f"Grafik target dan realisasi {ind.nama} per tahun")
            end_target = s.end_target.get(ind.pk)
            end_result = s.end_result.get(ind.pk)
            self.para(
                f"c. Realisasi dibandingkan target akhir Renstra ({d.periode.tahun_akhir})",
                bold=True,
            )
            self.table(
                f"Tabel 3.{base}.{n}c Terhadap target akhir Renstra",
                [
                    f"Realisasi {d.tahun}",
                    f"Target {d.periode.tahun_akhir}",
                    "Capaian terhadap target akhir",
                ],
                [
                    [
                        _num(r.realisasi_value, places),
                        _num(end_target.engine_value, places) if end_target else "–",
                        format_percent(end_result.capaian if end_result else None),
                    ]
                ],
                (0, 1, 2),
            )
            self.para("d. Perbandingan dengan daerah lain", bold=True)
            comparisons = s.pembanding.get(ind.pk, [])
            if comparisons:
                self.table(
                    f"Tabel 3.{base}.{n}d Perbandingan dengan daerah lain",
                    ["Wilayah", "Tahun", "Nilai"],
                    [
                        [
                            d.opd.kabupaten or "Daerah ini",
                            str(d.tahun),
                            _num(r.realisasi_value, places),
                        ],
                        *[[c.wilayah, str(c.tahun), _num(c.nilai, places)] for c in comparisons],
                    ],
                    (2,),
                )
            else:
                self.para("Tidak ada data pembanding yang tercatat.")
        self.para("Analisis", bold=True)
        self.texts(s.narasi)
        for t in s.pendukung:
            self.pendukung(t)
        if s.programs:
            rows: list[list[str]] = []
            for ln in s.programs:
                if not ln.rows:
                    rows.append([ln.node.nama, "tanpa indikator", "", "", ""])
                for i, pr in enumerate(ln.rows):
                    unit = pr.indikator.satuan
                    rows.append(
                        [
                            ln.node.nama if i == 0 else "",
                            pr.indikator.nama,
                            f"{_num(pr.target_value, pr.places)} {unit}".strip(),
                            f"{_num(pr.realisasi_value, pr.places)} {unit}".strip(),
                            format_percent(pr.result.capaian) + _flags(pr),
                        ]
                    )
            self.table(
                f"Tabel 3.{base}.p Program, kegiatan dan sub kegiatan yang menunjang sasaran",
                [
                    "Program / Kegiatan / Sub Kegiatan",
                    "Indikator",
                    "Target",
                    "Realisasi",
                    "Capaian",
                ],
                rows,
                (2, 3, 4),
                font=7,
            )

    def method_note(self) -> None:
        d = self.data
        self.heading("CATATAN METODE", 1)
        self.para(
            "Capaian dihitung oleh mesin capaian Kinerja dari target efektif (PK Perubahan "
            "terakhir, jika tidak ada PK, jika tidak ada Renstra) dan realisasi:"
        )
        for m in [*d.methods, d.aggregate_rule]:
            self.doc.add_paragraph(m, style="List Bullet")
        label = EFFICIENCY_LABELS.get(str(d.efficiency_method), str(d.efficiency_method))
        self.para(
            f"Kategori memakai skala «{d.scale.name}» (kode {d.scale.code}, versi "
            f"{d.scale.version}). Angka dibulatkan ke dua desimal (setengah ke atas) hanya saat "
            f"ditampilkan. Efisiensi: {label}. Tanda «periksa» adalah peringatan kewajaran; "
            "angkanya tidak diubah."
        )

    def verification(self) -> None:
        d = self.data
        self.heading("LAMPIRAN: CATATAN VERIFIKASI", 1)
        if d.discrepancies:
            self.table(
                "Capaian dilaporkan dibandingkan capaian hasil hitung",
                ["Tingkat", "Indikator", "Dilaporkan", "Hasil hitung", "Rumus"],
                [
                    [
                        r.level.replace("_", " "),
                        r.indikator.nama,
                        format_percent(r.capaian_dilaporkan),
                        format_percent(r.result.capaian),
                        r.result.formula,
                    ]
                    for r in d.discrepancies
                ],
                (2, 3),
                font=7,
            )
        else:
            self.para("Tidak ada selisih antara capaian dilaporkan dan hasil hitung.")
        checked = [c for c in d.printed_checks if c.computed is not None]
        if checked:
            self.table(
                "Angka tercetak lainnya yang berbeda dari hasil hitung",
                ["Tabel", "Program / Indikator", "Dilaporkan", "Hasil hitung", "Selisih"],
                [
                    [
                        c.tabel,
                        c.nama,
                        format_percent(c.reported),
                        format_percent(c.computed),
                        format_number(c.diff),
                    ]
                    for c in checked
                ],
                (2, 3, 4),
                font=7,
            )
        unverified = [c for c in d.printed_checks if c.computed is None]
        if unverified:
            self.table(
                "Efisiensi dilaporkan tanpa capaian yang dapat dihitung",
                ["Tabel", "Program / Kegiatan / Sub Kegiatan", "Dilaporkan"],
                [[c.tabel, c.nama, format_percent(c.reported)] for c in unverified],
                (2,),
                font=7,
            )
        if d.contradictions:
            self.table(
                "Angka dalam narasi yang tidak sesuai dengan data indikator",
                ["Bagian", "Indikator", "Disebut", "Hasil hitung", "Kalimat"],
                [
                    [
                        c.bagian,
                        c.indikator,
                        format_percent(c.stated),
                        format_percent(c.computed),
                        c.sentence,
                    ]
                    for c in d.contradictions
                ],
                (2, 3),
                font=7,
            )
        if d.flagged:
            self.table(
                "Angka yang perlu diperiksa (periksa)",
                ["Indikator", "Target", "Realisasi", "Capaian", "Peringatan"],
                [
                    [
                        r.indikator.nama,
                        _num(r.target_value, r.places),
                        _num(r.realisasi_value, r.places),
                        format_percent(r.result.capaian),
                        "; ".join(f.message for f in r.flags),
                    ]
                    for r in d.flagged
                ],
                (1, 2, 3),
                font=7,
            )
        if d.unverifiable:
            self.table(
                "Capaian dilaporkan yang tidak dapat diverifikasi",
                ["Tingkat", "Indikator", "Dilaporkan", "Alasan"],
                [
                    [
                        r.level.replace("_", " "),
                        r.indikator.nama,
                        format_percent(r.capaian_dilaporkan),
                        r.result.reason or "",
                    ]
                    for r in d.unverifiable
                ],
                (2,),
                font=7,
            )


# The text block is 17 cm wide (A4 less the margins).
TEXT_WIDTH_CM = 17.0


def _widths(headers: Sequence[str], numeric: Sequence[int]) -> list[Any]:
    """Narrow columns for numbers and "No", the rest shared by the text columns."""
    fixed = {i: 0.8 for i, h in enumerate(headers) if h in ("No", "Kode", "Tahun")}
    # Numbers get up to 1,8 cm but never more than 45 % of the width between them (Tabel 2.1
    # has six year columns).
    number_width = min(1.8, 0.45 * TEXT_WIDTH_CM / max(1, len(numeric)))
    fixed.update({i: number_width for i in numeric if i not in fixed})
    free = [i for i in range(len(headers)) if i not in fixed]
    rest = max(TEXT_WIDTH_CM - sum(fixed.values()), 2.0 * len(free))
    share = rest / len(free) if free else 0
    if not free:
        scale = TEXT_WIDTH_CM / sum(fixed.values())
        return [Cm(fixed[i] * scale) for i in range(len(headers))]
    return [Cm(fixed.get(i, share)) for i in range(len(headers))]


def render_docx(data: LakipData) -> bytes:
    writer = _Writer(data)
    writer.write()
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    writer.doc.settings.element.append(update)
    props = writer.doc.core_properties
    props.author = "Kinerja"
    props.title = f"Laporan Kinerja {data.opd.singkatan or data.opd.kode} Tahun {data.tahun}"
    # Fixed timestamps: the same data gives the same document.
    stamp = data.generated_at.replace(tzinfo=None, microsecond=0)
    props.created = stamp
    props.modified = stamp
    props.last_modified_by = "Kinerja"
    props.revision = 1
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    return buffer.getvalue()
