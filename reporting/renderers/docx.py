"""The document as an editable Word file (python-docx), so an agency can finish the text in Word
or LibreOffice as LKjIPs are usually submitted."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .. import charts
from ..document import (
    Block,
    BulletList,
    Chart,
    Column,
    Cover,
    Document,
    Heading,
    Letterhead,
    PageBreak,
    Paragraph,
    Section,
    Signature,
    SignaturePair,
    Table,
    Toc,
    cell_of,
    cell_text,
    signature_lines,
)
from ..logos import logo_bytes

# The text block is 17 cm wide (A4 less the margins).
TEXT_WIDTH_CM = 17.0


def bookmark_name(target: str) -> str:
    """A Word bookmark name for a block id ("tabel-3-41" → "k_tabel_3_41"): letters, digits
    and underscores, starting with a letter, at most 40 characters."""
    return ("k_" + "".join(c if c.isalnum() else "_" for c in target))[:40]


def _widths(columns: Sequence[Column], text_width: float = TEXT_WIDTH_CM) -> list[Any]:
    """Narrow columns for numbers and "No", the rest shared by the text columns."""
    # "Tahun" needs 1,3 cm: at 0,8 cm a four-digit year fits but its header broke as "Ta/hu/n".
    narrow = {"No": 0.8, "Kode": 0.8, "Tahun": 1.3}
    fixed = {i: narrow[c.label] for i, c in enumerate(columns) if c.label in narrow}
    numeric = [i for i, c in enumerate(columns) if c.numeric]
    # Numbers get up to 1,8 cm but never more than 45 % of the width between them (Tabel 2.1
    # has six year columns).
    number_width = min(1.8, 0.45 * text_width / max(1, len(numeric)))
    fixed.update({i: number_width for i in numeric if i not in fixed})
    fixed.update({i: c.width for i, c in enumerate(columns) if c.width})
    free = [i for i in range(len(columns)) if i not in fixed]
    if not free:
        scale = text_width / sum(fixed.values())
        return [Cm(fixed[i] * scale) for i in range(len(columns))]
    rest = max(text_width - sum(fixed.values()), 2.0 * len(free))
    share = rest / len(free)
    return [Cm(fixed.get(i, share)) for i in range(len(columns))]


class _Writer:
    def __init__(self, document: Document, kop: Any) -> None:
        self.kop = kop
        self.pending: list[str] = []  # block ids waiting for their bookmark
        self.next_id = 0
        self.doc: WordDocument = new_document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin, section.right_margin = Cm(2.2), Cm(1.8)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
        normal = self.doc.styles["Normal"]
        normal.font.name = "DejaVu Sans"
        normal.font.size = Pt(9.5)
        header = section.header.paragraphs[0]
        header.text = document.running_header
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run("Halaman ")
        self.field(footer, "PAGE")

    # The width tables are laid out in (a landscape section is wider).
    text_width = TEXT_WIDTH_CM

    def landscape(self) -> None:
        """The rest of the document on A4 landscape pages (a wide annex, as in the PDF)."""
        from docx.enum.section import WD_SECTION

        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        self.text_width = 29.7 - 2.2 - 1.8

    # --- primitives -------------------------------------------------------------------------

    def field(self, paragraph: Any, instruction: str) -> None:
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

    def bookmark(self, paragraph: Any) -> None:
        """Mark ``paragraph`` with every block id waiting for one (a Section's id goes to its
        first heading or caption), so the contents can point at it with PAGEREF."""
        for target in self.pending:
            self.next_id += 1
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), str(self.next_id))
            start.set(qn("w:name"), bookmark_name(target))
            end = OxmlElement("w:bookmarkEnd")
            end.set(qn("w:id"), str(self.next_id))
            paragraph._p.insert(0 if paragraph._p.pPr is None else 1, start)
            paragraph._p.append(end)
        self.pending = []

    def page_ref(self, paragraph: Any, target: str) -> None:
        """A PAGEREF field to the bookmark of ``target``: Word and LibreOffice both compute it
        when they lay the document out (LibreOffice's PDF export included), unlike a TOC field,
        which stays empty until someone updates it in Word."""
        parts: list[tuple[str, str]] = [
            ("begin", ""),
            ("instr", f"PAGEREF {bookmark_name(target)} \\h"),
            ("separate", ""),
            ("text", "0"),
            ("end", ""),
        ]
        for kind, value in parts:
            run = paragraph.add_run()
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = value
            elif kind == "text":
                run.text = value
                continue
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            run._r.append(el)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def heading(self, text: str, level: int) -> None:
        h = self.doc.add_heading(text, level=level)
        self.bookmark(h)
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

    def paragraph(self, block: Paragraph) -> None:
        p = self.doc.add_paragraph()
        # A label ("a. Realisasi dibandingkan target") is bold throughout, as on the page.
        for r in block.runs:
            run = p.add_run(r.text)
            run.bold = r.bold or block.style == "label"
            run.italic = r.italic
        # "center": a title line of a signed document (its nomor, "TENTANG …").
        p.alignment = (
            WD_ALIGN_PARAGRAPH.CENTER if block.style == "center" else WD_ALIGN_PARAGRAPH.JUSTIFY
        )

    def table(self, block: Table) -> None:
        if not block.rows and block.empty is not None:
            if block.empty:
                self.para(block.empty)
            return
        columns = [c for c in block.columns if c.print]
        font = block.font
        # The caption is kept with the table's first row, as in the PDF.
        cap = self.doc.add_paragraph()
        cap.add_run(block.caption).bold = True
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.paragraph_format.keep_with_next = True
        if block.id:
            self.pending.append(block.id)
        self.bookmark(cap)
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for i, column in enumerate(columns):
            self._cell(table.rows[0].cells[i], column.label, True, column.numeric, font)
        self._repeat_header(table.rows[0])
        rows = [(r, False) for r in block.rows] + [(r, True) for r in block.totals]
        for row, bold in rows:
            cells = table.add_row().cells
            values = [
                v
                for c, v in zip(block.columns, _padded(block.columns, row.cells), strict=True)
                if c.print
            ]
            i = 0
            while i < len(columns):
                cell = cell_of(values[i])
                text = cell_text(columns[i], cell) + (" (periksa)" if cell.flags else "")
                target = cells[i]
                if cell.span > 1:
                    target = target.merge(cells[min(len(columns), i + cell.span) - 1])
                self._cell(target, text, bold, columns[i].numeric, font)
                i += max(1, cell.span)
        # Word reads the column grid, LibreOffice each cell's width: set both.
        for i, width in enumerate(_widths(columns, self.text_width)):
            table.columns[i].width = width
            for c in table.columns[i].cells:
                c.width = width
        self.doc.add_paragraph()

    def _cell(self, cell: Any, text: str, bold: bool, right: bool, font: float) -> None:
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

    def signature(self, block: Signature) -> None:
        # The closing sentence goes with the signature: a signature never stands alone on a page.
        if self.doc.paragraphs:
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        lines = [
            (f"{block.place}, {block.date}", False),
            (f"{block.title},", False),
            ("\n\n\n", False),
            (block.name, True),
        ]
        if block.rank:
            lines.append((block.rank, False))
        if block.nip is not None:
            lines.append((f"NIP. {block.nip}", False))
        for text, bold in lines:
            p = self.doc.add_paragraph()
            p.add_run(text).bold = bold
            p.paragraph_format.left_indent = Cm(9)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.keep_with_next = True

    def signature_pair(self, block: SignaturePair) -> None:
        """Two signatures side by side in a borderless table, line by line so that both
        names stand on one line; its rows are kept on one page."""
        left = signature_lines(block.left, block.left_role)
        right = signature_lines(block.right, block.right_role)
        table = self.doc.add_table(rows=len(left), cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for row, (css, a), (_, b) in zip(table.rows, left, right, strict=True):
            props = row._tr.get_or_add_trPr()
            cant_split = OxmlElement("w:cantSplit")
            cant_split.set(qn("w:val"), "true")
            props.append(cant_split)
            for cell, text in zip(row.cells, (a, b), strict=True):
                cell.width = Cm(TEXT_WIDTH_CM / 2)
                p = cell.paragraphs[0]
                run = p.add_run("\n\n\n" if css == "sign-space" else text)
                run.bold = css in ("sign-role", "sign-name")
                run.underline = css == "sign-name"
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.space_after = Pt(0)
                p.paragraph_format.keep_with_next = True
        for column in table.columns:
            column.width = Cm(TEXT_WIDTH_CM / 2)
        self.doc.add_paragraph()

    def chart(self, block: Chart) -> None:
        png = charts.history_chart_png(block.years, block.targets, block.realisasi, block.unit)
        self.doc.add_picture(io.BytesIO(png), width=Cm(15))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.para(block.caption, center=True)

    def cover(self, block: Cover) -> None:
        for _ in range(4):
            self.doc.add_paragraph()
        logo = self.logo_run(self.doc.add_paragraph(), Cm(3.6))
        if logo is not None:
            logo.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.doc.add_paragraph()
        for kind in block.kinds:
            self.para(kind, bold=True, center=True)
        title = self.para(block.title, bold=True, center=True)
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

    def toc(self, block: Toc) -> None:
        self.heading(block.title, 1)
        # Each entry with its page from a PAGEREF field to the bookmark of its heading or
        # caption, after a dotted tab: the page numbers match the footers in Word and in
        # LibreOffice's PDF without anyone updating a field.
        for entry in block.entries:
            p = self.doc.add_paragraph()
            fmt = p.paragraph_format
            fmt.space_after = Pt(1)
            if entry.sub:
                fmt.left_indent = Cm(0.8)
            fmt.tab_stops.add_tab_stop(
                Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
            )
            p.add_run(f"{entry.text}\t")
            self.page_ref(p, entry.target.lstrip("#"))

    # --- blocks -----------------------------------------------------------------------------

    def block(self, block: Block) -> None:
        if isinstance(block, Table):
            if block.print:
                self.table(block)
        elif isinstance(block, Heading):
            if block.id:
                self.pending.append(block.id)
            self.heading(block.text, block.level)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, BulletList):
            if block.intro:
                self.para(block.intro)
            for item in block.items:
                self.doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Chart):
            self.chart(block)
        elif isinstance(block, Signature):
            self.signature(block)
        elif isinstance(block, SignaturePair):
            self.signature_pair(block)
        elif isinstance(block, Cover):
            self.cover(block)
        elif isinstance(block, Letterhead):
            self.letterhead()
        elif isinstance(block, Toc):
            self.toc(block)
        elif isinstance(block, PageBreak):
            self.page_break()
        elif isinstance(block, Section):
            if block.id:
                self.pending.append(block.id)
            if "landscape" in block.css.split():
                self.landscape()
            for child in block.blocks:
                self.block(child)
            if block.break_after:
                self.page_break()
        else:
            raise TypeError(f"Blok tidak dikenal: {type(block).__name__}")


def _padded(columns: Sequence[Column], cells: Sequence[Any]) -> list[Any]:
    return list(cells) + [None] * (len(columns) - len(cells))


def render(document: Document, *, kop: Any, stamp: datetime) -> bytes:
    writer = _Writer(document, kop)
    for block in document.blocks:
        writer.block(block)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    writer.doc.settings.element.append(update)
    props = writer.doc.core_properties
    props.author = "Kinerja"
    props.title = document.title
    # Fixed timestamps: the same data gives the same document.
    props.created = stamp
    props.modified = stamp
    props.last_modified_by = "Kinerja"
    props.revision = 1
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    return buffer.getvalue()
