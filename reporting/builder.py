"""Assemble the LAKIP of one OPD and year from the data, in a constant number of queries.

Everything numeric comes from ``indicators.engine`` through ``indicators.selectors``; the
renderers (HTML/PDF, XLSX, JSON) only lay out what this module returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from indicators import engine
from indicators.models import (
    DataPendukung,
    Indikator,
    Jenis,
    Pembanding,
    Realisasi,
    Target,
)
from indicators.selectors import (
    IndicatorRow,
    compute_for,
    engine_scale,
    indicator_rows,
    realisasi_by_year,
    settings_for_opd,
)
from renstra.models import (
    Anggaran,
    AnggaranPk,
    Kegiatan,
    Level,
    Opd,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
)
from renstra.tree import node_chain

from . import narrative
from .models import Bagian, Narasi

Progress = Callable[[int, str], None]


def _no_progress(_percent: int, _step: str) -> None:
    return None


@dataclass
class TargetSeries:
    """One row of Tabel 2.1 / 2.2: a tujuan or sasaran indicator with a target per year."""

    no: int
    node: str
    indikator: Indikator
    targets: dict[int, Target | None]
    target_list: list[Target | None] = field(default_factory=list)  # in the period's year order


@dataclass
class YearPoint:
    tahun: int
    target: Target | None
    realisasi: Realisasi | None
    result: engine.CapaianResult


@dataclass
class NodeLine:
    """A program / kegiatan / sub-kegiatan row with its indicators and budget."""

    level: str
    node: Program | Kegiatan | SubKegiatan
    rows: list[IndicatorRow]
    anggaran: Anggaran | None
    capaian: engine.AggregateResult
    penyerapan: Decimal | None
    efisiensi: engine.EfficiencyResult


@dataclass
class SasaranSection:
    no: int
    sasaran: Sasaran
    iku: list[IndicatorRow]
    history: dict[int, list[YearPoint]]  # indikator id → every year with data
    end_target: dict[int, Target | None]
    end_result: dict[int, engine.CapaianResult]
    pembanding: dict[int, list[Pembanding]]
    programs: list[NodeLine]
    narasi: str
    pendukung: list[DataPendukung]


@dataclass
class LakipData:
    opd: Opd
    periode: PeriodeRenstra
    tahun: int
    generated_at: datetime
    scale: engine.Scale
    scale_basis: str
    efficiency_method: engine.EfficiencyMethod
    tujuan_targets: list[TargetSeries]
    sasaran_targets: list[TargetSeries]
    iku: list[IndicatorRow]
    iku_summary: engine.AggregateResult
    pk_budget: list[tuple[Sasaran, Decimal]]
    sections: list[SasaranSection]
    program_lines: list[NodeLine]
    all_rows: list[IndicatorRow]
    total_pagu: Decimal
    total_realisasi: Decimal
    total_penyerapan: Decimal | None
    efisiensi_mean: Decimal | None
    discrepancies: list[IndicatorRow]
    unverifiable: list[IndicatorRow]
    methods: list[str]
    narasi: dict[str, str] = field(default_factory=dict)
    pendukung_umum: list[DataPendukung] = field(default_factory=list)

    @property
    def years(self) -> range:
        return self.periode.years

    @property
    def n_sasaran(self) -> int:
        return len(self.sections)

    @property
    def total_pk_budget(self) -> Decimal:
        return sum((amount for _s, amount in self.pk_budget), Decimal(0))


def build_lakip(opd: Opd, tahun: int, progress: Progress = _no_progress) -> LakipData:
    """Queries (constant in the number of indicators): periode, scale (2), indicator rows (3),
    sasaran, programs, kegiatan, sub-kegiatan, budgets, PK budgets, targets of every
    year, realisasi of every year, comparisons, supporting tables, narratives."""
    progress(5, "Mengambil data Renstra")
    periode = (
        PeriodeRenstra.objects.filter(opd=opd, tahun_awal__lte=tahun, tahun_akhir__gte=tahun)
        .order_by("-tahun_awal")
        .first()
    )
    if periode is None:
        raise ValueError(f"{opd.kode} tidak memiliki periode Renstra yang mencakup {tahun}.")
    skala, method_code = settings_for_opd(opd.pk)
    scale = engine_scale(skala)
    method = engine.EfficiencyMethod(method_code)

    progress(15, "Menghitung capaian indikator")
    rows = indicator_rows(
        opd.pk, tahun, indikator_qs=Indikator.objects.filter(periode=periode), scale=scale
    )
    top_ids = [r.indikator.pk for r in rows if r.indikator.tujuan_id or r.indikator.sasaran_id]

    progress(30, "Mengambil target dan realisasi tahun-tahun sebelumnya")
    targets_all = Target.objects.filter(indikator_id__in=top_ids).effective()
    realisasi_all = realisasi_by_year(top_ids)

    sasaran_list = list(
        Sasaran.objects.filter(periode=periode)
        .select_related("tujuan")
        .order_by("tujuan__urutan", "urutan", "id")
    )
    programs = list(Program.objects.filter(periode=periode).order_by("urutan", "id"))
    kegiatan = list(Kegiatan.objects.filter(periode=periode).order_by("urutan", "id"))
    subs = list(SubKegiatan.objects.filter(periode=periode).order_by("urutan", "id"))
    budgets = list(Anggaran.objects.filter(periode=periode, tahun=tahun))
    pk_budgets = {
        b.sasaran_id: b.jumlah
        for b in AnggaranPk.objects.filter(sasaran__periode=periode, tahun=tahun)
    }
    pembanding: dict[int, list[Pembanding]] = defaultdict(list)
    for comparison in Pembanding.objects.filter(indikator_id__in=top_ids).order_by(
        "tahun", "wilayah"
    ):
        pembanding[comparison.indikator_id].append(comparison)
    pendukung = list(DataPendukung.objects.filter(opd=opd, tahun=tahun).order_by("urutan"))
    stored_narasi = list(Narasi.objects.filter(opd=opd, tahun=tahun))

    progress(45, "Menyusun tabel program dan anggaran")
    rows_by_node: dict[tuple[str, int], list[IndicatorRow]] = defaultdict(list)
    for r in rows:
        level = r.level
        node = r.indikator.node
        if node is not None:
            rows_by_node[(level, node.pk)].append(r)
    budget_by_node: dict[tuple[str, int | None], Anggaran] = {}
    for b in budgets:
        if b.program_id:
            budget_by_node[("program", b.program_id)] = b
        elif b.kegiatan_id:
            budget_by_node[("kegiatan", b.kegiatan_id)] = b
        else:
            budget_by_node[("sub_kegiatan", b.sub_kegiatan_id)] = b

    def line(level: str, node: Program | Kegiatan | SubKegiatan) -> NodeLine:
        node_rows = rows_by_node.get((level, node.pk), [])
        aggregate = engine.aggregate([r.result for r in node_rows], scale=scale)
        anggaran = budget_by_node.get((level, node.pk))
        absorption = (
            engine.penyerapan(anggaran.pagu, anggaran.realisasi) if anggaran is not None else None
        )
        efficiency = engine.efisiensi(
            capaian=aggregate.mean,
            penyerapan=absorption,
            method=method,
            pagu=anggaran.pagu if anggaran is not None else None,
            realisasi_anggaran=anggaran.realisasi if anggaran is not None else None,
        )
        return NodeLine(level, node, node_rows, anggaran, aggregate, absorption, efficiency)

    kegiatan_by_program: dict[int, list[Kegiatan]] = defaultdict(list)
    for k in kegiatan:
        kegiatan_by_program[k.program_id].append(k)
    subs_by_kegiatan: dict[int, list[SubKegiatan]] = defaultdict(list)
    for sub in subs:
        subs_by_kegiatan[sub.kegiatan_id].append(sub)
    lines_by_program: dict[int, list[NodeLine]] = {}
    program_lines: list[NodeLine] = []
    for p in programs:
        block = [line("program", p)]
        for k in kegiatan_by_program.get(p.pk, []):
            block.append(line("kegiatan", k))
            block.extend(line("sub_kegiatan", sk) for sk in subs_by_kegiatan.get(k.pk, []))
        lines_by_program[p.pk] = block
        program_lines.extend(block)

    progress(60, "Menyusun analisis per sasaran")

    def series(
        node_rows: list[IndicatorRow], label: Callable[[IndicatorRow], str]
    ) -> list[TargetSeries]:
        out = []
        for n, r in enumerate(node_rows, start=1):
            out.append(
                TargetSeries(
                    no=n,
                    node=label(r),
                    indikator=r.indikator,
                    targets={y: targets_all.get((r.indikator.pk, y)) for y in periode.years},
                )
            )
        return out

    tujuan_rows = [r for r in rows if r.indikator.tujuan_id]
    sasaran_rows = [r for r in rows if r.indikator.sasaran_id]
    iku = [r for r in sasaran_rows if r.indikator.jenis == Jenis.IKU]

    # A supporting table belongs to the section of the sasaran its indicator serves (directly
    # or through its program); tables of no sasaran are shown after the sections.
    sasaran_of = {r.indikator.pk: _sasaran_id(r.indikator) for r in rows}
    table_sasaran = {d.pk: sasaran_of.get(d.indikator_id or 0) for d in pendukung}
    sections: list[SasaranSection] = []
    narasi_map = narrative.collect(stored_narasi)
    for n, s in enumerate(sasaran_list, start=1):
        s_rows = [r for r in iku if r.indikator.sasaran_id == s.pk]
        history: dict[int, list[YearPoint]] = {}
        end_target: dict[int, Target | None] = {}
        end_result: dict[int, engine.CapaianResult] = {}
        for r in s_rows:
            ind = r.indikator
            points = []
            for y in periode.years:
                t = targets_all.get((ind.pk, y))
                stored = realisasi_all.get((ind.pk, y))
                if stored is None and y != tahun:
                    continue
                if y == tahun:
                    points.append(YearPoint(y, r.target, r.realisasi, r.result))
                elif stored is not None:
                    annual, quarters = stored
                    result = compute_for(ind, t, annual, quarters, scale)
                    points.append(YearPoint(y, t, annual, result))
            history[ind.pk] = points
            final = targets_all.get((ind.pk, periode.tahun_akhir))
            end_target[ind.pk] = final
            end_result[ind.pk] = compute_for(ind, final, r.realisasi, r.quarters, scale)
        sections.append(
            SasaranSection(
                no=n,
                sasaran=s,
                iku=s_rows,
                history=history,
                end_target=end_target,
                end_result=end_result,
                pembanding={r.indikator.pk: pembanding.get(r.indikator.pk, []) for r in s_rows},
                programs=[
                    ln for p in programs if p.sasaran_id == s.pk for ln in lines_by_program[p.pk]
                ],
                narasi=narasi_map.get((Bagian.ANALISIS_SASARAN, s.pk))
                or narrative.default_sasaran_analysis(s, s_rows),
                pendukung=[d for d in pendukung if table_sasaran.get(d.pk) == s.pk],
            )
        )

    progress(75, "Menghitung ringkasan")
    total_pagu = sum((b.pagu for b in budgets if b.program_id), Decimal(0))
    total_real = sum((b.realisasi or Decimal(0) for b in budgets if b.program_id), Decimal(0))
    data = LakipData(
        opd=opd,
        periode=periode,
        tahun=tahun,
        generated_at=timezone.localtime(),
        scale=scale,
        scale_basis=skala.dasar_hukum,
        efficiency_method=method,
        tujuan_targets=series(tujuan_rows, lambda r: r.indikator.tujuan.nama),
        sasaran_targets=series(sasaran_rows, lambda r: r.indikator.sasaran.nama),
        iku=iku,
        iku_summary=engine.aggregate([r.result for r in iku], scale=scale),
        pk_budget=[(s, pk_budgets[s.pk]) for s in sasaran_list if s.pk in pk_budgets],
        sections=sections,
        program_lines=program_lines,
        all_rows=rows,
        total_pagu=total_pagu,
        total_realisasi=total_real,
        total_penyerapan=engine.penyerapan(total_pagu, total_real),
        efisiensi_mean=engine.efisiensi_mean(
            [ln.efisiensi for ln in program_lines if ln.anggaran is not None]
        ),
        discrepancies=[r for r in rows if r.discrepant],
        unverifiable=[r for r in rows if r.unverifiable],
        methods=_method_notes(rows, method),
        pendukung_umum=[d for d in pendukung if table_sasaran.get(d.pk) is None],
    )
    data.narasi = narrative.fill(narasi_map, data)
    progress(85, "Data laporan siap")
    return data


def _sasaran_id(ind: Indikator) -> int | None:
    """The sasaran an indicator serves: its own, or its program's (joined by with_tree)."""
    return next((n.pk for n in node_chain(ind.node) if n.LEVEL == Level.SASARAN), None)


def _method_notes(rows: list[IndicatorRow], method: engine.EfficiencyMethod) -> list[str]:
    seen: list[str] = []
    for r in rows:
        text = engine.describe_method(
            engine.Polarity(r.indikator.polaritas),
            engine.NegativeMethod(r.indikator.metode_negatif),
        )
        if text not in seen:
            seen.append(text)
    return seen
