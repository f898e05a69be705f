"""Lay out a built LAKIP as HTML (the exact document WeasyPrint renders), PDF, XLSX and JSON."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats

from common.numbers import format_number, json_number, round2
from indicators import engine
from indicators.models import DataPendukung

from . import charts, pemda_chapter
from .builder import LakipData, NodeLine, SasaranSection
from .logos import REPORT_BASE_URL, kop_for, report_fetcher

CSS_PATH = Path(__file__).resolve().parent / "lakip.css"
EFFICIENCY_LABELS = dict(engine.choices(engine.EfficiencyMethod))


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def band_range(band: engine.Band) -> str:
    def bound(v: Decimal | None) -> str:
        return format_number(v, places=0) if v is not None else ""

    if band.lower is None and band.upper is not None:
        return f"≤ {bound(band.upper)}" if band.upper_inclusive else f"< {bound(band.upper)}"
    if band.upper is None and band.lower is not None:
        return f"> {bound(band.lower)}" if not band.lower_inclusive else f"≥ {bound(band.lower)}"
    left = ">" if not band.lower_inclusive else "≥"
    right = "≤" if band.upper_inclusive else "<"
    return f"{left} {bound(band.lower)} – {right} {bound(band.upper)}"


_NUMBER_WITH_UNIT = re.compile(r"^(-?\d+(?:\.\d+)?)(\s*\S.*)?$")


def display_cell(value: str | None) -> str:
    """Supporting-table cells are stored as text exactly as the source printed them; a number
    (with or without a unit: "54.9 %", "30 orang") is shown the Indonesian way, prose as is."""
    if value is None:
        return "–"
    match = _NUMBER_WITH_UNIT.match(value.strip())
    if match is None or (match.group(2) and len(match.group(2).split()) > 2):
        return value
    try:
        number = Decimal(match.group(1))
    except (InvalidOperation, ValueError):
        return value
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(number, places=places) + (match.group(2) or "")


def pendukung_view(t: DataPendukung) -> dict[str, Any]:
    return {
        "judul": t.judul,
        "kode": t.kode,
        "kolom": t.kolom,
        "baris": [
            {"label": b.get("label", ""), "nilai": [display_cell(v) for v in b.get("nilai", [])]}
            for b in t.baris
        ],
    }


def section_view(s: SasaranSection, base: int) -> dict[str, Any]:
    items = []
    for r in s.iku:
        points = s.history.get(r.indikator.pk, [])
        chart = None
        if any(p.result.realisasi_used is not None for p in points):
            chart = charts.history_chart(
                [p.tahun for p in points],
                [p.target.nilai if p.target is not None else None for p in points],
                [p.result.realisasi_used for p in points],
                r.indikator.satuan,
            )
        items.append(
            {
                "row": r,
                "history": points,
                "chart": chart,
                "end_target": s.end_target.get(r.indikator.pk),
                "end_result": s.end_result.get(r.indikator.pk),
                "pembanding": s.pembanding.get(r.indikator.pk, []),
                "provenance": s.provenance.get(r.indikator.pk),
            }
        )
    return {
        "no": s.no,
        "sasaran": s.sasaran,
        "table_base": base,
        "items": items,
        "narasi": paragraphs(s.narasi),
        "pendukung": [pendukung_view(t) for t in s.pendukung],
        "programs": s.programs,
    }


def render_html(data: LakipData, *, inline_logo: bool = False) -> str:
    """The report as HTML. Its logo is named by its media URL (the preview's browser asks the
    permission-checked view, WeasyPrint the report fetcher); ``inline_logo`` puts it inside
    the document instead, for an HTML file read away from the server."""
    for series in (*data.tujuan_targets, *data.sasaran_targets):
        series.target_list = [series.targets.get(y) for y in data.years]
    context = {
        "d": data,
        "kop": kop_for(data.opd, inline=inline_logo),
        "css": CSS_PATH.read_text(encoding="utf-8"),
        "narasi": {k: paragraphs(v) for k, v in data.narasi.items()},
        "sections": [section_view(s, 2 + s.no) for s in data.sections],
        "bands": [{"label": b.label, "range": band_range(b)} for b in reversed(data.scale.bands)],
        "bidang": list(data.opd.bidang_set.all()),
        "aspek": [pendukung_view(t) for t in data.pendukung_umum if t.kode == "aspek_strategis"],
        "pendukung_umum": [
            pendukung_view(t) for t in data.pendukung_umum if t.kode != "aspek_strategis"
        ],
        "verifikasi": [
            {
                "row": r,
                "level": r.level.replace("_", " "),
                "diff": (r.capaian_dilaporkan - round2(r.result.capaian))
                if r.capaian_dilaporkan is not None and r.result.capaian is not None
                else None,
            }
            for r in data.discrepancies
        ],
        "engine_version": engine.ENGINE_VERSION,
        "efficiency_label": EFFICIENCY_LABELS.get(
            str(data.efficiency_method), str(data.efficiency_method)
        ),
        "printed_checks": [c for c in data.printed_checks if c.computed is not None],
        "printed_unverifiable": [c for c in data.printed_checks if c.computed is None],
        "place": data.sign_place,
        "sign_date": formats.date_format(data.sign_date, "j F Y") if data.sign_date else "",
        # A draft without a signing date leaves it blank, in the year after the report's.
        "sign_year": data.tahun + 1,
    }
    html = render_to_string("reporting/lakip.html", context)
    return html


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    # Relative URLs resolve against a reserved origin and the fetcher reads logo files under
    # MEDIA_ROOT only: no text in a report can make the renderer open a file or a URL.
    pdf: bytes = HTML(
        string=html, base_url=REPORT_BASE_URL, url_fetcher=report_fetcher()
    ).write_pdf()
    return pdf


def _num(value: Decimal | None) -> float | None:
    return float(round2(value)) if value is not None else None


def render_json(data: LakipData) -> dict[str, Any]:
    """:func:`_render_json`, with the LKjIP Pemda's own chapter under ``kabupaten``."""
    out = _render_json(data)
    if data.kabupaten is not None:
        out["kabupaten"] = pemda_chapter.get().json(data.kabupaten)
    return out


def _render_json(data: LakipData) -> dict[str, Any]:
    """The stable JSON interface: stored values (targets, realisasi, printed figures, Rupiah)
    exactly as stored, computed figures rounded to 2 decimals, null where not computable."""

    def value(v: Decimal | str | None) -> int | float | str | None:
        if isinstance(v, Decimal):
            return json_number(v)
        return v

    def stored(v: Decimal | None) -> int | float | None:
        return json_number(v) if v is not None else None

    def line_dict(ln: NodeLine) -> list[dict[str, Any]]:
        base = {
            "level": ln.level,
            "nama": ln.node.nama,
            "anggaran": stored(ln.anggaran.pagu) if ln.anggaran else None,
            "realisasi_anggaran": stored(ln.anggaran.realisasi) if ln.anggaran else None,
            "penyerapan": _num(ln.penyerapan),
            "efisiensi": _num(ln.efisiensi.value),
        }
        if not ln.rows:
            return [
                {
                    **base,
                    "indikator": None,
                    "satuan": None,
                    "target": None,
                    "realisasi": None,
                    "capaian": None,
                    "kategori": None,
                    "capaian_dilaporkan": None,
                    "selisih": False,
                }
            ]
        return [
            {
                **base,
                "indikator": r.indikator.nama,
                "satuan": r.indikator.satuan,
                "target": value(r.target_value),
                "realisasi": value(r.realisasi_value),
                "capaian": _num(r.result.capaian),
                "kategori": r.result.kategori,
                "capaian_dilaporkan": stored(r.capaian_dilaporkan),
                "selisih": r.discrepant,
            }
            for r in ln.rows
        ]

    return {
        "opd": {"kode": data.opd.kode, "nama": data.opd.nama},
        "tahun": data.tahun,
        "iku": [
            {
                "sasaran": r.indikator.sasaran.nama,
                "indikator": r.indikator.nama,
                "satuan": r.indikator.satuan,
                "polaritas": r.indikator.polaritas,
                "target": value(r.target_value),
                "realisasi": value(r.realisasi_value),
                "capaian": _num(r.result.capaian),
                "kategori": r.result.kategori,
                "capaian_dilaporkan": stored(r.capaian_dilaporkan),
                "selisih": r.discrepant,
                "periksa": [f.message for f in r.flags],
            }
            for r in data.iku
        ],
        "program": [item for ln in data.program_lines for item in line_dict(ln)],
        "ringkasan": {
            "capaian_iku": _num(data.iku_summary.mean),
            "kategori_iku": data.iku_summary.kategori,
            "indikator_dengan_data": data.iku_summary.n_with_data,
            "jumlah_indikator": data.iku_summary.n_total,
            "batas_rata_rata": [stored(b) for b in data.bounds] if data.bounds else None,
            "aturan_rata_rata": data.aggregate_rule,
            "jumlah_per_kategori": dict(data.iku_summary.counts),
            "anggaran": stored(data.total_pagu),
            "realisasi_anggaran": stored(data.total_realisasi),
            "penyerapan": _num(data.total_penyerapan),
        },
    }


def json_bytes(data: LakipData) -> bytes:
    return json.dumps(render_json(data), ensure_ascii=False, indent=2).encode("utf-8")


def render_docx(data: LakipData) -> bytes:
    from .word import render_docx as write

    return write(data)


def render_xlsx(data: LakipData) -> bytes:
    from . import xlsx

    buffer = io.BytesIO()
    xlsx.write_workbook(data, buffer)
    return buffer.getvalue()
