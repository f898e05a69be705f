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
from reporting.document import Block, Cell, Column, Heading, Row, Section, Table

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


def _opd_rows(chapter: LkjipChapter) -> list[Row]:
    rows = []
    for line in chapter.opds:
        if line.complete:
            kategori = line.summary.kategori or ""
        else:
            kategori = f"belum lengkap — {line.summary.n_with_data} dari {line.summary.n_total}"
        rows.append(
            Row(
                (
                    line.opd.nama,
                    line.opd.kode,
                    line.n_indikator,
                    line.n_realisasi,
                    f"{line.n_realisasi} dari {line.n_indikator}",
                    line.summary.mean,
                    kategori,
                    f"final versi {line.final['nomor']}" if line.final else "draf",
                )
            )
        )
    return rows


def _sasaran_rows(chapter: LkjipChapter) -> list[Row]:
    """Per RPJMD sasaran: each IKU Pemda with its capaian, then each supporting OPD sasaran
    or program with its bounded mean."""
    rows: list[Row] = []
    for s in chapter.sasaran:
        for line in s.iku:
            rows.append(
                Row(
                    (
                        s.nama,
                        f"IKU Pemda: {line.row.indikator.nama}",
                        line.row.result.capaian,
                        line.row.result.kategori or "",
                    )
                )
            )
        for sup in s.supporting:
            label = f"{sup.opd.singkatan or sup.opd.kode}: {sup.nama}"
            rows.append(Row((s.nama, label, sup.summary.mean, sup.summary.kategori or "")))
        if not s.iku and not s.supporting:
            gap = "Belum ada IKU Pemda atau sasaran perangkat daerah pendukung."
            rows.append(Row((s.nama, Cell(gap, span=3))))
    return rows


def chapter_blocks(chapter: LkjipChapter) -> list[Block]:
    """The chapter as blocks of the report's document: each renderer (HTML/PDF, DOCX, XLSX)
    lays it out as it lays out the OPD chapters, so its numbers agree in every format."""
    tahun = chapter.kabupaten.tahun
    opds = Table(
        f"Capaian IKU per perangkat daerah tahun {tahun}",
        (
            Column("Perangkat daerah"),
            Column("Kode", print=False),
            Column("Indikator", "int", print=False),
            Column("Berrealisasi", "int", print=False),
            Column("Indikator berrealisasi", align="right", sheet=False),
            Column("Capaian IKU", "percent", sheet_label="Capaian IKU (%)"),
            Column("Kategori"),
            Column("LAKIP"),
        ),
        _opd_rows(chapter),
        id="lkjip-opd",
        sheet="OPD",
        sheet_caption="Capaian IKU per perangkat daerah",
    )
    sasaran = Table(
        "Capaian per sasaran RPJMD dan perangkat daerah pendukungnya",
        (
            Column("Sasaran RPJMD"),
            Column("IKU Pemda / sasaran perangkat daerah pendukung"),
            Column("Capaian", "percent", sheet_label="Capaian (%)"),
            Column("Kategori"),
        ),
        _sasaran_rows(chapter),
        id="lkjip-sasaran",
        sheet="Sasaran RPJMD",
        empty=f"RPJMD belum memiliki sasaran untuk tahun {tahun}.",
    )
    budgets = Table(
        f"Anggaran seluruh perangkat daerah tahun {tahun} dan efisiensi",
        (
            Column("Perangkat daerah"),
            Column("Kode", print=False),
            Column("Pagu", "rupiah"),
            Column("Realisasi", "rupiah"),
            Column("Penyerapan", "percent", sheet_label="Penyerapan (%)"),
            Column("Capaian IKU", "percent", sheet_label="Capaian IKU (%)"),
            Column("Efisiensi", "percent", sheet_label="Efisiensi (%)"),
        ),
        [
            Row(
                (
                    b.opd.nama,
                    b.opd.kode,
                    b.pagu,
                    b.realisasi,
                    b.penyerapan,
                    b.capaian,
                    b.efisiensi.value,
                )
            )
            for b in chapter.budgets
        ],
        totals=[
            Row(
                (
                    "Jumlah",
                    "",
                    chapter.total_pagu,
                    chapter.total_realisasi,
                    chapter.total_penyerapan,
                    None,
                    None,
                )
            )
        ],
        id="lkjip-anggaran",
        sheet="Anggaran OPD",
    )
    heading = Heading(1, f"KINERJA PERANGKAT DAERAH {str(chapter.pemda).upper()}")
    return [Section([heading, opds, sasaran, budgets], id="kabupaten", break_after=True)]
