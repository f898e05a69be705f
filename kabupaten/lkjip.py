"""The LKjIP Pemda: the LAKIP of the Pemda's plan unit (RPJMD, IKU Pemda, PK of the kepala
daerah, capaian per sasaran RPJMD — the same builder, renderers and final-version mechanism as
an OPD's) plus the chapter only a Pemda has: every OPD's capaian, the OPDs that contribute to
each sasaran RPJMD, the budget of all OPDs and its efficiency.

``builder.build_lakip`` attaches :func:`lkjip_chapter` when the OPD is a plan unit, so every
path that builds a LAKIP (page, download, task, ``lakip_finalize``, ``manage.py lakip_pemda``)
builds the LKjIP Pemda the same way."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from common.numbers import json_number, round2
from indicators import engine
from renstra.models import Anggaran, Opd, Pemda

from .reader import Kabupaten, OpdLine, SasaranRpjmdLine, kabupaten_data


@dataclass
class OpdBudget:
    opd: Opd
    pagu: Decimal
    realisasi: Decimal
    penyerapan: Decimal | None
    capaian: Decimal | None
    efisiensi: engine.EfficiencyResult


@dataclass
class LkjipChapter:
    pemda: Pemda
    kabupaten: Kabupaten
    sasaran: list[SasaranRpjmdLine]
    budgets: list[OpdBudget]
    total_pagu: Decimal
    total_realisasi: Decimal
    total_penyerapan: Decimal | None

    @property
    def opds(self) -> list[OpdLine]:
        return self.kabupaten.opds


def lkjip_chapter(pemda: Pemda, tahun: int) -> LkjipChapter:
    """Queries: those of :func:`kabupaten.kabupaten_data` and the budgets of every OPD (1)."""
    data = kabupaten_data(pemda, tahun)
    # Program-level budgets only: a kegiatan's budget is part of its program's.
    sums: dict[int, tuple[Decimal, Decimal]] = defaultdict(lambda: (Decimal(0), Decimal(0)))
    for row in (
        Anggaran.objects.filter(periode__opd__pemda=pemda, tahun=tahun, program__isnull=False)
        .values("periode__opd_id")
        .annotate(pagu=Sum("pagu"), realisasi=Sum("realisasi"))
    ):
        sums[int(row["periode__opd_id"])] = (
            Decimal(row["pagu"] or 0),
            Decimal(row["realisasi"] or 0),
        )
    budgets = []
    for opd_line in data.opds:
        if opd_line.opd.pk not in sums:
            continue
        pagu, realisasi = sums[opd_line.opd.pk]
        absorbed = engine.penyerapan(pagu, realisasi)
        budgets.append(
            OpdBudget(
                opd=opd_line.opd,
                pagu=pagu,
                realisasi=realisasi,
                penyerapan=absorbed,
                capaian=opd_line.summary.mean,
                efisiensi=engine.efisiensi(capaian=opd_line.summary.mean, penyerapan=absorbed),
            )
        )
    total_pagu = sum((b.pagu for b in budgets), Decimal(0))
    total_realisasi = sum((b.realisasi for b in budgets), Decimal(0))
    return LkjipChapter(
        pemda=pemda,
        kabupaten=data,
        sasaran=data.sasaran_rpjmd,
        budgets=budgets,
        total_pagu=total_pagu,
        total_realisasi=total_realisasi,
        total_penyerapan=engine.penyerapan(total_pagu, total_realisasi),
    )


def _num(value: Decimal | None) -> Any:
    return json_number(value) if value is not None else None


def chapter_json(chapter: LkjipChapter) -> dict[str, Any]:
    """The Pemda chapter for the JSON export: stored values exact, computed capaian rounded
    to 2 decimals (as the OPD LAKIP's JSON)."""

    def pct(value: Decimal | None) -> Any:
        return _num(round2(value)) if value is not None else None

    return {
        "pemda": {"kode": chapter.pemda.kode, "nama": str(chapter.pemda)},
        "opd": [
            {
                "kode": line.opd.kode,
                "nama": line.opd.nama,
                "capaian_iku": pct(line.summary.mean),
                "kategori_iku": line.summary.kategori,
                "indikator": line.n_indikator,
                "indikator_berrealisasi": line.n_realisasi,
                "lakip_final": line.final is not None,
            }
            for line in chapter.opds
        ],
        "sasaran_rpjmd": [
            {
                "nama": s.nama,
                "pendukung": [
                    {
                        "opd": sup.opd.kode,
                        "nama": sup.nama,
                        "capaian": pct(sup.summary.mean),
                        "kategori": sup.summary.kategori,
                    }
                    for sup in s.supporting
                ],
                "iku": [
                    {
                        "indikator": line.row.indikator.nama,
                        "capaian": pct(line.row.result.capaian),
                        "kontribusi": [
                            {
                                "opd": c.opd.kode,
                                "indikator": c.nama,
                                "capaian": pct(c.capaian),
                            }
                            for c in line.contributions
                        ],
                    }
                    for line in s.iku
                ],
            }
            for s in chapter.sasaran
        ],
        "anggaran_opd": [
            {
                "opd": b.opd.kode,
                "pagu": _num(b.pagu),
                "realisasi": _num(b.realisasi),
                "penyerapan": pct(b.penyerapan),
                "efisiensi": pct(b.efisiensi.value),
            }
            for b in chapter.budgets
        ],
        "total_pagu": _num(chapter.total_pagu),
        "total_realisasi": _num(chapter.total_realisasi),
    }


def _names(chapter: LkjipChapter) -> list[list[Any]]:
    """Per RPJMD sasaran: each IKU Pemda with its capaian, then each supporting OPD sasaran
    or program with its bounded mean."""
    rows: list[list[Any]] = []
    for s in chapter.sasaran:
        for line in s.iku:
            rows.append([s.nama, f"IKU Pemda: {line.row.indikator.nama}", line.row.result.capaian])
        for sup in s.supporting:
            rows.append(
                [s.nama, f"{sup.opd.singkatan or sup.opd.kode}: {sup.nama}", sup.summary.mean]
            )
        if not s.iku and not s.supporting:
            rows.append([s.nama, "–", None])
    return rows


def xlsx_sheets(wb: Any, chapter: LkjipChapter, sheet: Any) -> None:
    """The Pemda chapter's sheets, with the workbook's own sheet writer."""
    from reporting.document import NUMBER, PERCENT, RUPIAH

    sheet(
        wb,
        "OPD",
        "Capaian IKU per perangkat daerah",
        ["Perangkat daerah", "Kode", "Indikator", "Berrealisasi", "Capaian IKU (%)", "Kategori"],
        [
            [
                line.opd.nama,
                line.opd.kode,
                line.n_indikator,
                line.n_realisasi,
                line.summary.mean,
                line.summary.kategori or "",
            ]
            for line in chapter.opds
        ],
        {5: PERCENT},
    )
    sheet(
        wb,
        "Sasaran RPJMD",
        "Capaian per sasaran RPJMD dan perangkat daerah yang berkontribusi",
        ["Sasaran RPJMD", "IKU Pemda / sasaran OPD pendukung", "Capaian (%)"],
        _names(chapter),
        {3: PERCENT},
    )
    sheet(
        wb,
        "Anggaran OPD",
        "Anggaran seluruh perangkat daerah dan efisiensi",
        ["Perangkat daerah", "Kode", "Pagu", "Realisasi", "Penyerapan (%)", "Efisiensi (%)"],
        [
            [b.opd.nama, b.opd.kode, b.pagu, b.realisasi, b.penyerapan, b.efisiensi.value]
            for b in chapter.budgets
        ],
        {3: RUPIAH, 4: RUPIAH, 5: PERCENT, 6: NUMBER},
    )


def docx_chapter(writer: Any, chapter: LkjipChapter) -> None:
    """The Pemda chapter in the Word document, with the document's own writer."""
    from common.numbers import format_percent, format_rupiah

    writer.heading(f"KINERJA PERANGKAT DAERAH {str(chapter.pemda).upper()}", 1)
    writer.table(
        "Capaian IKU per perangkat daerah",
        ["Perangkat daerah", "Indikator berrealisasi", "Capaian IKU", "Kategori"],
        [
            [
                line.opd.nama,
                f"{line.n_realisasi} dari {line.n_indikator}",
                format_percent(line.summary.mean),
                line.summary.kategori or "",
            ]
            for line in chapter.opds
        ],
        numeric=(1, 2),
    )
    writer.table(
        "Capaian per sasaran RPJMD dan perangkat daerah yang berkontribusi",
        ["Sasaran RPJMD", "IKU Pemda / sasaran OPD pendukung", "Capaian"],
        [[a, b, format_percent(c)] for a, b, c in _names(chapter)],
        numeric=(2,),
    )
    writer.table(
        "Anggaran seluruh perangkat daerah dan efisiensi",
        ["Perangkat daerah", "Pagu", "Realisasi", "Penyerapan", "Efisiensi"],
        [
            [
                b.opd.nama,
                format_rupiah(b.pagu),
                format_rupiah(b.realisasi),
                format_percent(b.penyerapan),
                format_percent(b.efisiensi.value),
            ]
            for b in chapter.budgets
        ],
        numeric=(1, 2, 3, 4),
    )
