"""Charts for the report as SVG (matplotlib), embedded as data URIs so the HTML is the
exact, self-contained document WeasyPrint renders.

Drawing a chart costs ~0,1 s of matplotlib; a page must not pay it on every request. Each chart
is drawn once per data version: the cache key is a hash of everything the chart shows (years,
targets, realisasi, unit, format, and the drawing code's version), so a changed target or
realisasi is a new key — nothing to invalidate — and the dashboard, the PDF and the DOCX share
the drawings. The cache is Django's ``charts`` cache (a file cache by default, shared by every
worker; see ``CACHES`` in settings)."""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers
import matplotlib.pyplot as plt
from django.core.cache import caches
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from common.numbers import format_number

# Raise when the drawing changes, so cached drawings of the old code are not served.
CHART_VERSION = "2"

# Figure widths in inches. The report's chart spans an A4 text column; the dashboard's sits in
# a card about 330 px wide on a phone and on a desktop alike, so it is drawn that narrow: its
# 9 pt text then shows at about 10 px instead of the 5 px of the report's chart scaled down.
REPORT_WIDTH = 6.2
CARD_WIDTH = 4.0

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        # Text stays text (DejaVu Sans, shipped with the project's system packages): smaller
        # SVG and a faster PDF than outlining every glyph.
        "svg.fonttype": "none",
        "svg.hashsalt": "kinerja",  # stable ids: the same data gives the same bytes
    }
)


def _float(value: Decimal | None) -> float | None:
    # Plotting only: every printed number comes from the Decimal values, not from this.
    return float(value) if value is not None else None


def _key(kind: str, *parts: Any) -> str:
    text = repr((CHART_VERSION, kind, *parts))
    return f"chart:{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


def _cached(key: str, draw: Callable[[], Any]) -> Any:
    cache = caches["charts"]
    found = cache.get(key)
    if found is None:
        found = draw()
        cache.set(key, found)
    return found


def _data(
    years: list[int], targets: list[Decimal | None], realisasi: list[Decimal | None], satuan: str
) -> tuple[Any, ...]:
    # Decimals as text: 74.04 and 74.040000 draw the same and must share a key.
    def norm(values: list[Decimal | None]) -> tuple[str | None, ...]:
        return tuple(str(v.normalize()) if v is not None else None for v in values)

    return (tuple(years), norm(targets), norm(realisasi), satuan)


def history_chart(
    years: list[int],
    targets: list[Decimal | None],
    realisasi: list[Decimal | None],
    satuan: str,
    width: float = REPORT_WIDTH,
) -> str:
    """A target-vs-realisasi chart per year, as an ``data:image/svg+xml`` URI."""
    key = _key("svg", width, *_data(years, targets, realisasi, satuan))
    return str(_cached(key, lambda: _draw_svg(years, targets, realisasi, satuan, width)))


def _draw_svg(
    years: list[int],
    targets: list[Decimal | None],
    realisasi: list[Decimal | None],
    satuan: str,
    width: float,
) -> str:
    fig = _history_figure(years, targets, realisasi, satuan, width)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue().encode()).decode()
    return f"data:image/svg+xml;base64,{encoded}"


def history_chart_png(
    years: list[int],
    targets: list[Decimal | None],
    realisasi: list[Decimal | None],
    satuan: str,
) -> bytes:
    """The same chart as PNG (Word and LibreOffice do not all show SVG)."""
    key = _key("png", *_data(years, targets, realisasi, satuan))
    return bytes(_cached(key, lambda: _draw_png(years, targets, realisasi, satuan)))


def _draw_png(
    years: list[int],
    targets: list[Decimal | None],
    realisasi: list[Decimal | None],
    satuan: str,
) -> bytes:
    fig = _history_figure(years, targets, realisasi, satuan)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _history_figure(
    years: list[int],
    targets: list[Decimal | None],
    realisasi: list[Decimal | None],
    satuan: str,
    width: float = REPORT_WIDTH,
) -> Figure:
    fig, ax = plt.subplots(figsize=(width, 2.6), dpi=100)
    xs = [str(y) for y in years]
    t = [_float(v) for v in targets]
    r = [_float(v) for v in realisasi]
    bar = 0.38
    positions = range(len(xs))
    ax.bar(
        [p - bar / 2 for p in positions],
        [v if v is not None else 0 for v in t],
        bar,
        label="Target",
        color="#9fb7d0",
        edgecolor="#3b5b7a",
    )
    ax.bar(
        [p + bar / 2 for p in positions],
        [v if v is not None else 0 for v in r],
        bar,
        label="Realisasi",
        color="#1f5f99",
        hatch="//",
        edgecolor="#0d2f4f",
    )
    for p, value in zip(positions, r, strict=True):
        if value is not None:
            ax.annotate(
                format_number(Decimal(str(value))),
                (p + bar / 2, value),
                ha="center",
                va="bottom" if value >= 0 else "top",
                # The text's size, not smaller: a value read off a bar must stay legible.
                fontsize=9,
            )
    ax.set_xticks(list(positions), xs)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(Decimal(str(v)))))
    ax.set_ylabel(satuan or "nilai")
    ax.axhline(0, color="#555", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, ncols=2, loc="upper left", bbox_to_anchor=(0, 1.18))
    # Fixed margins instead of tight_layout(), which draws the whole figure a second time.
    # The axis labels take the same inches whatever the width, so a narrower figure gives them
    # a larger share.
    fig.subplots_adjust(left=0.68 / width, right=0.98, top=0.84, bottom=0.12)
    return fig


# The kategori colours of the product's badges (static/kinerja.css), so a bar reads like the
# badge beside it in the table; grey when an OPD has no kategori yet.
KATEGORI_COLOURS = {
    "sangat tinggi": "#1e5b2a",
    "tinggi": "#2e7d32",
    "sedang": "#8a6a00",
    "rendah": "#a35200",
    "sangat rendah": "#b3261e",
}
NO_KATEGORI = "#9aa3ad"


def opd_chart(bars: list[tuple[str, Decimal | None, str | None]], width: float = 6.2) -> str:
    """The kabupaten's OPDs by capaian IKU as horizontal bars (label, capaian, kategori), best
    on top, a line at 100 %; an ``data:image/svg+xml`` URI, cached like the other charts."""
    data = tuple((label, str(v.normalize()) if v is not None else None, k) for label, v, k in bars)
    key = _key("opd", width, data)
    return str(_cached(key, lambda: _draw_opd_chart(bars, width)))


def _draw_opd_chart(bars: list[tuple[str, Decimal | None, str | None]], width: float) -> str:
    # One bar a third of an inch tall: 40 OPDs make a 14-inch figure, read by scrolling.
    height = 0.6 + 0.32 * max(len(bars), 1)
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    labels = [label for label, _v, _k in bars][::-1]
    values = [_float(v) or 0.0 for _label, v, _k in bars][::-1]
    colours = [
        KATEGORI_COLOURS.get((k or "").casefold(), NO_KATEGORI) if v is not None else NO_KATEGORI
        for _label, v, k in bars
    ][::-1]
    positions = range(len(labels))
    ax.barh(list(positions), values, 0.7, color=colours)
    for p, (_label, value, _k) in zip(positions, bars[::-1], strict=True):
        text = f"{format_number(value)} %" if value is not None else "belum ada data"
        ax.annotate(
            text,
            (max(_float(value) or 0.0, 0.0), p),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.set_yticks(list(positions), labels)
    ax.axvline(100, color="#333", linewidth=0.8, linestyle="--")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}"))
    ax.set_xlabel("capaian IKU (%)")
    top = max([100.0, *values]) * 1.18
    ax.set_xlim(min(0.0, *values), top)
    ax.spines[["top", "right"]].set_visible(False)
    # The labels are OPD short names: about 1,3 inches leave room for 14 characters.
    fig.subplots_adjust(left=1.3 / width, right=0.97, top=1 - 0.1 / height, bottom=0.5 / height)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue().encode()).decode()
    return f"data:image/svg+xml;base64,{encoded}"
