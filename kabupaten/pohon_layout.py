"""The pohon kinerja drawn for print: boxes placed left to right by level (RPJMD sasaran in the
first column, sub-kegiatan in the fifth) with elbow lines from each parent to its children,
rendered as one SVG. Pure Python, no Django: the page's data is turned into :class:`Box`
values by ``kabupaten.reader.pohon_boxes`` and everything here is plain values.

Left to right rather than top down because a kabupaten's tree is wide (dozens of
sub-kegiatan) and shallow (five levels): five columns fit an A3 or A4 landscape sheet, and the
sheet grows downwards only, which is how a cascading document is printed and read."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

# The kategori colours of static/kinerja.css (.kategori-*), so the print and the page agree.
KATEGORI_COLOURS = {
    "Sangat Tinggi": "#1e5b2a",
    "Tinggi": "#2e7d32",
    "Sedang": "#8a6a00",
    "Rendah": "#a35200",
    "Sangat Rendah": "#b3261e",
}
# One frame colour per level, darkest at the root, so a column reads as one level in grey
# print too.
LEVEL_COLOURS = ("#1f3a5f", "#2f5d8a", "#4a6f8f", "#6b8299", "#8795a3")

BOX_WIDTH = 300
COLUMN_GAP = 48
ROW_GAP = 14
MARGIN = 24
TITLE_HEIGHT = 56
LINE_HEIGHT = 14
PADDING = 8
# DejaVu Sans at 11 px averages about 6,2 px a character, bold about 7: the wrap widths that
# keep a line inside the box without measuring fonts (checked on the seed's longest names).
CHARS_PER_LINE = 43
HEADING_CHARS = 37


@dataclass(frozen=True)
class Box:
    """One box as printed: its level's label, heading, the lines under it (indicators, the
    link's ground), the summary kategori that colours its band, and its children."""

    label: str
    heading: str
    lines: tuple[str, ...] = ()
    capaian: str = ""
    kategori: str | None = None
    children: tuple[Box, ...] = ()


@dataclass
class Placed:
    box: Box
    depth: int
    x: float
    y: float
    height: float
    heading_lines: list[str] = field(default_factory=list)
    body_lines: list[str] = field(default_factory=list)
    children: list[Placed] = field(default_factory=list)

    @property
    def width(self) -> float:
        return BOX_WIDTH


@dataclass
class Layout:
    width: float
    height: float
    boxes: list[Placed]
    # Elbow lines parent → child: (x1, y1, x_mid, x2, y2).
    edges: list[tuple[float, float, float, float, float]]


def _wrap(text: str, width: int = CHARS_PER_LINE) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True) or [""]


def _shift(node: Placed, dy: float) -> None:
    node.y += dy
    for child in node.children:
        _shift(child, dy)


def layout(roots: list[Box]) -> Layout:
    """Each level in its own column; a leaf takes the next free row, a parent is centred on
    its children (or, when taller than them, its children are centred on it), so no two boxes
    overlap and every line runs right then down or up then right."""
    boxes: list[Placed] = []
    edges: list[tuple[float, float, float, float, float]] = []

    def place(box: Box, depth: int, top: float) -> tuple[Placed, float]:
        heading = _wrap(box.heading, HEADING_CHARS)
        body = [wrapped for line in box.lines for wrapped in _wrap(line)]
        # label row + heading + capaian row + body, each a line, plus padding
        rows = 1 + len(heading) + (1 if box.capaian else 0) + len(body)
        height = rows * LINE_HEIGHT + 2 * PADDING + (4 if body else 0)
        node = Placed(box, depth, MARGIN + depth * (BOX_WIDTH + COLUMN_GAP), top, height)
        node.heading_lines, node.body_lines = heading, body
        boxes.append(node)
        if not box.children:
            return node, top + height + ROW_GAP
        bottom = top
        for child in box.children:
            placed, bottom = place(child, depth + 1, bottom)
            node.children.append(placed)
        first, last = node.children[0], node.children[-1]
        centre = (first.y + last.y + last.height) / 2
        # A parent taller than its children's span would start above ``top``: the children
        # move down instead, by just enough.
        dy = max(0.0, top - (centre - height / 2))
        if dy:
            for moved in node.children:
                _shift(moved, dy)
        node.y = centre + dy - height / 2
        return node, max(bottom + dy, node.y + height + ROW_GAP)

    bottom = float(MARGIN + TITLE_HEIGHT)
    roots_placed = []
    for root in roots:
        placed, bottom = place(root, 0, bottom)
        roots_placed.append(placed)
    for node in boxes:
        for child in node.children:
            x1 = node.x + BOX_WIDTH
            edges.append(
                (
                    x1,
                    node.y + node.height / 2,
                    x1 + COLUMN_GAP / 2,
                    child.x,
                    child.y + child.height / 2,
                )
            )
    depth = max((b.depth for b in boxes), default=0)
    width = 2 * MARGIN + (depth + 1) * BOX_WIDTH + depth * COLUMN_GAP
    return Layout(width=width, height=bottom - ROW_GAP + MARGIN, boxes=boxes, edges=edges)


def render_svg(tree: Layout, title: str, subtitle: str = "") -> str:
    """The layout as a standalone SVG document (text is text, so it prints sharp at A3 and a
    reader can search it)."""
    width = max(tree.width, 700)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
        f'height="{tree.height:.0f}" viewBox="0 0 {width:.0f} {tree.height:.0f}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width:.0f}" height="{tree.height:.0f}" fill="#fff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 18}" font-size="18" font-weight="bold" '
        f'fill="#1f3a5f">{escape(title)}</text>',
    ]
    if subtitle:
        out.append(
            f'<text x="{MARGIN}" y="{MARGIN + 38}" font-size="11" fill="#555">'
            f"{escape(subtitle)}</text>"
        )
    for x1, y1, xm, x2, y2 in tree.edges:
        out.append(
            f'<path d="M{x1:.1f},{y1:.1f} H{xm:.1f} V{y2:.1f} H{x2:.1f}" fill="none" '
            'stroke="#8795a3" stroke-width="1.5"/>'
        )
    for node in tree.boxes:
        out.append(_render_box(node))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _render_box(node: Placed) -> str:
    colour = LEVEL_COLOURS[min(node.depth, len(LEVEL_COLOURS) - 1)]
    x, y = node.x, node.y
    parts = [
        f'<g class="kotak">'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_WIDTH}" height="{node.height:.1f}" '
        f'rx="4" fill="#fff" stroke="{colour}" stroke-width="1.5"/>',
        f'<rect x="{x:.1f}" y="{y:.1f}" width="5" height="{node.height:.1f}" fill="{colour}"/>',
    ]
    tx = x + PADDING + 4
    ty = y + PADDING + LINE_HEIGHT - 3
    parts.append(
        f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="9" fill="{colour}" '
        f'font-weight="bold" letter-spacing="0.5">{escape(node.box.label.upper())}</text>'
    )
    for line in node.heading_lines:
        ty += LINE_HEIGHT
        parts.append(
            f'<text x="{tx:.1f}" y="{ty:.1f}" font-weight="bold" fill="#111">{escape(line)}</text>'
        )
    if node.box.capaian:
        ty += LINE_HEIGHT
        fill = KATEGORI_COLOURS.get(node.box.kategori or "", "#555")
        parts.append(
            f'<rect x="{tx - 2:.1f}" y="{ty - 10:.1f}" width="{BOX_WIDTH - 2 * PADDING - 8}" '
            f'height="13" rx="2" fill="{fill}"/>'
            f'<text x="{tx + 2:.1f}" y="{ty:.1f}" fill="#fff" font-weight="bold">'
            f"{escape(node.box.capaian)}</text>"
        )
    if node.body_lines:
        ty += 4
    for line in node.body_lines:
        ty += LINE_HEIGHT
        parts.append(f'<text x="{tx:.1f}" y="{ty:.1f}" fill="#333">{escape(line)}</text>')
    parts.append("</g>")
    return "".join(parts)
