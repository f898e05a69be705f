"""The document as HTML: the page WeasyPrint prints and the browser previews."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import escape

from .. import charts
from ..document import (
    Block,
    BulletList,
    Cell,
    Chart,
    Column,
    Cover,
    Document,
    Heading,
    Letterhead,
    PageBreak,
    Paragraph,
    Row,
    Section,
    Signature,
    SignaturePair,
    Table,
    Toc,
    cell_of,
    cell_text,
    signature_lines,
)


def _attr(name: str, value: str) -> str:
    return f' {name}="{escape(value)}"' if value else ""


def _cell(column: Column, cell: Cell) -> str:
    classes = " ".join(
        c for c in ("num" if column.numeric else "", cell.css, "muted" if cell.muted else "") if c
    )
    span = f' colspan="{cell.span}"' if cell.span > 1 else ""
    text: str = escape(cell_text(column, cell))
    if cell.aside:
        text += f" <em>{escape(cell.aside)}</em>"
    if cell.flags:
        text += f' <span class="periksa" title="{escape("; ".join(cell.flags))}">periksa</span>'
    return f"<td{span}{_attr('class', classes)}>{text}</td>"


def _row(columns: Sequence[Column], row: Row, style: str) -> str:
    cells: list[str] = []
    printed = [c for c in columns if c.print]
    pairs = list(zip(printed, _printed(columns, row), strict=True))
    skip = 0
    for column, value in pairs:
        if skip:
            skip -= 1
            continue
        cell = cell_of(value)
        skip = cell.span - 1
        cells.append(_cell(column, cell))
    return f"<tr{_attr('class', style)}>{''.join(cells)}</tr>"


def _printed(columns: Sequence[Column], row: Row) -> list[Any]:
    """The row's printed cells: those of printed columns (a span covers the following)."""
    return [v for c, v in zip(columns, _padded(columns, row), strict=True) if c.print]


def _padded(columns: Sequence[Column], row: Row) -> list[Any]:
    # A spanning cell stands for the cells it covers; pad so the row lines up with its columns.
    cells = list(row.cells)
    return cells + [None] * (len(columns) - len(cells))


def table(block: Table) -> str:
    columns = [c for c in block.columns if c.print]
    if not block.rows and block.empty is not None:
        return f"<p>{escape(block.empty)}</p>" if block.empty else ""
    head = "".join(
        f"<th{_attr('class', 'num' if c.numeric and not c.head_left else '')}>"
        f"{escape(c.label)}</th>"
        for c in columns
    )
    body = "".join(_row(block.columns, r, r.style) for r in block.rows)
    body += "".join(_row(block.columns, r, "total") for r in block.totals)
    return (
        f"<table{_attr('class', block.css)}{_attr('id', block.id)}>\n"
        f"  <caption>{escape(block.caption)}</caption>\n"
        f"  <thead><tr>{head}</tr></thead>\n"
        f"  <tbody>{body}</tbody>\n</table>"
    )


def _paragraph(block: Paragraph) -> str:
    text = "".join(
        f"<strong>{escape(r.text)}</strong>" if r.bold else escape(r.text) for r in block.runs
    )
    return f"<p{_attr('class', block.style)}>{text}</p>"


def _signature(block: Signature) -> str:
    lines = [
        f"<p>{escape(block.place)}, {escape(block.date)}</p>",
        f"<p>{escape(block.title)},</p>",
        '<div class="sign-space"></div>',
        f'<p class="sign-name">{escape(block.name)}</p>',
    ]
    if block.rank:
        lines.append(f"<p>{escape(block.rank)}</p>")
    if block.nip is not None:
        lines.append(f"<p>NIP. {escape(block.nip)}</p>")
    return '<div class="signature">\n  ' + "\n  ".join(lines) + "\n</div>"


def _signature_pair(block: SignaturePair) -> str:
    # A table, row by row: WeasyPrint keeps it on one page and the names on one line.
    left = signature_lines(block.left, block.left_role)
    right = signature_lines(block.right, block.right_role)
    rows = []
    for (css, a), (_, b) in zip(left, right, strict=True):
        if css == "sign-space":
            rows.append('<tr class="sign-space"><td></td><td></td><td></td></tr>')
            continue
        cls = _attr("class", css)
        rows.append(f"<tr{cls}><td>{escape(a)}</td><td></td><td>{escape(b)}</td></tr>")
    return '<table class="signature-pair">' + "".join(rows) + "</table>"


def _cover(block: Cover, kop: Any) -> str:
    parts = ['<section class="cover">']
    if kop.logo_src:
        parts.append(
            f'  <img class="cover-logo" src="{escape(kop.logo_src)}" alt="Logo '
            f'{escape(kop.pemilik)}">'
        )
    parts += [f'  <p class="cover-kind">{escape(k)}</p>' for k in block.kinds]
    parts.append(f'  <h1 class="cover-title">{escape(block.title)}</h1>')
    parts.append('  <div class="cover-kop">')
    parts += [f'    <p class="cover-opd">{escape(b.upper())}</p>' for b in kop.baris]
    if kop.kontak:
        parts.append(f'    <p class="cover-address">{escape(kop.kontak)}</p>')
    parts += ["  </div>", "</section>"]
    return "\n".join(parts)


def _letterhead(kop: Any) -> str:
    parts = [f'<header class="kop{" with-logo" if kop.logo_src else ""}">']
    if kop.logo_src:
        parts.append(
            f'  <img class="kop-logo" src="{escape(kop.logo_src)}" alt="Logo '
            f'{escape(kop.pemilik)}">'
        )
    parts += [f'  <p class="kop-line">{escape(b.upper())}</p>' for b in kop.baris]
    if kop.kontak:
        parts.append(f'  <p class="kop-contact">{escape(kop.kontak)}</p>')
    parts.append("</header>")
    return "\n".join(parts)


def _toc(block: Toc) -> str:
    items = "".join(
        f"\n    <li{_attr('class', 'sub' if e.sub else '')}>"
        f"<a{_attr('class', 'front' if e.front else '')}"
        f' href="{escape(e.target)}">{escape(e.text)}</a></li>'
        for e in block.entries
    )
    return f"<h1>{escape(block.title)}</h1>\n  <ul>{items}\n  </ul>"


def block_html(block: Block, kop: Any, year: int) -> str:
    if isinstance(block, Table):
        return table(block) if block.print else ""
    if isinstance(block, Heading):
        return f"<h{block.level}{_attr('id', block.id)}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return _paragraph(block)
    if isinstance(block, BulletList):
        items = "".join(f"<li>{escape(i)}</li>" for i in block.items)
        intro = f"<p>{escape(block.intro)}</p>" if block.intro else ""
        return f"{intro}<ul>{items}</ul>"
    if isinstance(block, Chart):
        src = charts.history_chart(block.years, block.targets, block.realisasi, block.unit)
        return (
            f'<figure class="chart"><img src="{escape(src)}" alt="{escape(block.alt)}">'
            f"<figcaption>{escape(block.caption)}</figcaption></figure>"
        )
    if isinstance(block, Signature):
        return _signature(block)
    if isinstance(block, SignaturePair):
        return _signature_pair(block)
    if isinstance(block, Cover):
        return _cover(block, kop)
    if isinstance(block, Letterhead):
        return _letterhead(kop)
    if isinstance(block, Toc):
        return _toc(block)
    if isinstance(block, PageBreak):
        return '<div style="break-after: page"></div>'
    if isinstance(block, Section):
        inner = "\n  ".join(h for h in (block_html(b, kop, year) for b in block.blocks) if h)
        return (
            f"<{block.tag}{_attr('class', block.css)}{_attr('id', block.id)}>\n  {inner}\n"
            f"</{block.tag}>"
        )
    raise TypeError(f"Blok tidak dikenal: {type(block).__name__}")


def render(document: Document, *, kop: Any, css: str) -> str:
    body = "\n\n".join(h for h in (block_html(b, kop, document.year) for b in document.blocks) if h)
    return render_to_string(
        "reporting/lakip.html",
        {"title": document.title, "header": document.running_header, "css": css, "body": body},
    )
