"""A built LAKIP in every format: its document through the renderers (HTML, PDF, DOCX, XLSX)
and the stable JSON interface."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from common.numbers import json_number, round2

from . import pemda_chapter
from .builder import LakipData, NodeLine
from .chapters import document_of
from .logos import REPORT_BASE_URL, kop_for, report_fetcher
from .renderers import docx, html, xlsx

CSS_PATH = Path(__file__).resolve().parent / "lakip.css"


def render_html(data: LakipData, *, inline_logo: bool = False) -> str:
    """The report as HTML. Its logo is named by its media URL (the preview's browser asks the
    permission-checked view, WeasyPrint the report fetcher); ``inline_logo`` puts it inside
    the document instead, for an HTML file read away from the server."""
    return html.render(
        document_of(data),
        kop=kop_for(data.opd, inline=inline_logo),
        css=CSS_PATH.read_text(encoding="utf-8"),
    )


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
    return docx.render(document_of(data), kop=kop_for(data.opd), stamp=_stamp(data))


def render_xlsx(data: LakipData) -> bytes:
    buffer = io.BytesIO()
    xlsx.render(document_of(data), buffer, stamp=_stamp(data))
    return buffer.getvalue()


def _stamp(data: LakipData) -> Any:
    # Fixed timestamps: the same data gives the same document bytes.
    return data.generated_at.replace(tzinfo=None, microsecond=0)
