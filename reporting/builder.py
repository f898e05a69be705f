"""Assemble the LAKIP of one OPD and year from the data, in a constant number of queries.

Its data classes live in ``reporting.lakip_data`` (re-exported here); the document the
renderers draw is laid out from them by ``reporting.chapters``.

Everything numeric comes from ``indicators.engine`` through ``indicators.selectors``; the
renderers (HTML/PDF, XLSX, JSON) only lay out what this module returns.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from django.utils import timezone

from common.numbers import format_rupiah
from indicators import engine
from indicators.models import (
    PRE_PERIOD_YEARS,
    DataPendukung,
    Indikator,
    JenisTarget,
    Pembanding,
    Realisasi,
    Target,
    effective_targets,
)
from indicators.provenance import provenance_for
from indicators.rencana_aksi import quarter_rows
from indicators.selectors import (
    IndicatorRow,
    YearRealisasi,
    budget_nodes,
    compute_for,
    engine_scale,
    iku_of_year,
    indicator_rows,
    measured_nodes,
    opd_settings,
    places_for,
    realisasi_by_year,
)
from renstra.models import (
    Anggaran,
    AnggaranPk,
    JenisOpd,
    Kegiatan,
    Level,
    Opd,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
)
from renstra.tree import node_chain

from . import narrative, pemda_chapter, printed
from .figures import Contradiction, Figures, contradictions, names_of
from .lakip_data import (
    LakipData,
    NodeLine,
    PkBudgetLine,
    PkBudgetReconciliation,
    PkTarget,
    PrintedCheck,
    SasaranBudget,
    SasaranSection,
    TargetSeries,
    YearPoint,
)
from .models import Bagian, Narasi, PengaturanLaporan

Progress = Callable[[int, str], None]


def _no_progress(_percent: int, _step: str) -> None:
    return None


def sasaran_budget(
    budgets: Sequence[Anggaran], summary: engine.AggregateResult, method: engine.EfficiencyMethod
) -> SasaranBudget | None:
    """The budgets of the programs serving a sasaran: their pagu and realisasi summed, against
    the sasaran's capaian (the mean of its IKU) by the OPD's efficiency method. None when none
    of its programs has a budget."""
    if not budgets:
        return None
    pagu = sum((b.pagu for b in budgets), Decimal(0))
    spent = [b.realisasi for b in budgets if b.realisasi is not None]
    realisasi = sum(spent, Decimal(0)) if spent else None
    absorption = engine.penyerapan(pagu, realisasi)
    return SasaranBudget(
        pagu=pagu,
        realisasi=realisasi,
        penyerapan=absorption,
        efisiensi=engine.efisiensi(
            capaian=summary.mean,
            penyerapan=absorption,
            method=method,
            pagu=pagu,
            realisasi_anggaran=realisasi,
        ),
    )


def build_lakip(
    opd: Opd,
    tahun: int,
    progress: Progress = _no_progress,
    *,
    sign_date: date | None = None,
) -> LakipData:
    """Queries (constant in the number of indicators): periode, scale (2), indicator rows (3),
    targets of every year, realisasi of every year, formula components and their values (2),
    the IKU's quarterly targets and realisasi (2), sasaran, programs, kegiatan, sub-kegiatan,
    budgets, PK budgets, comparisons, supporting tables, narratives, report settings.

    ``sign_date`` is the date printed above the signature when the report setting has none
    (finalising passes its own date); a draft without either prints a blank to fill in."""
    progress(5, "Mengambil data Renstra")
    periode = (
        PeriodeRenstra.objects.filter(opd=opd, tahun_awal__lte=tahun, tahun_akhir__gte=tahun)
        .order_by("-tahun_awal")
        .first()
    )
    if periode is None:
        raise ValueError(f"{opd.kode} tidak memiliki periode Renstra yang mencakup {tahun}.")
    settings = opd_settings(opd.pk)
    skala = settings.skala
    scale = engine_scale(skala)
    method = engine.EfficiencyMethod(settings.efficiency_method)
    bounds = settings.bounds

    progress(15, "Menghitung capaian indikator")
    rows = indicator_rows(
        opd.pk, tahun, indikator_qs=Indikator.objects.filter(periode=periode), scale=scale
    )
    top_ids = [r.indikator.pk for r in rows if r.indikator.tujuan_id or r.indikator.sasaran_id]

    progress(30, "Mengambil target dan realisasi tahun-tahun sebelumnya")
    # Every kind of target of every year in one query: Tabel 2.1/2.2 print the Renstra's,
    # Tabel 2.4 the PK and PK Perubahan, the analysis the effective one.
    target_list = list(Target.objects.filter(indikator_id__in=top_ids))
    targets_all = effective_targets(target_list)
    by_kind = {(t.indikator_id, t.tahun, t.jenis): t for t in target_list}
    realisasi_all = realisasi_by_year(top_ids)
    provenance = provenance_for(top_ids, tahun)
    # One number of decimals per indicator in every table: top indicators are inferred from
    # every year's values, so Tabel 2.1 does not mix "0,6674" and "0,80".
    values_of: dict[int, list[Decimal]] = defaultdict(list)
    for stored_target in target_list:
        if stored_target.nilai is not None:
            values_of[stored_target.indikator_id].append(stored_target.nilai)
    for (ind_id, _y), (year_annual, year_quarters) in realisasi_all.items():
        for stored_real in (year_annual, *year_quarters):
            if stored_real is not None and stored_real.nilai is not None:
                values_of[ind_id].append(stored_real.nilai)
    rows = [
        dataclasses.replace(r, places=places_for(r.indikator, values_of[r.indikator.pk]))
        if r.indikator.pk in values_of
        else r
        for r in rows
    ]

    sasaran_list = list(
        Sasaran.objects.filter(periode=periode)
        .select_related("tujuan")
        .order_by("tujuan__urutan", "urutan", "id")
    )
    programs = list(Program.objects.filter(periode=periode).order_by("urutan", "id"))
    kegiatan = list(Kegiatan.objects.filter(periode=periode).order_by("urutan", "id"))
    subs = list(SubKegiatan.objects.filter(periode=periode).order_by("urutan", "id"))
    budgets = list(
        Anggaran.objects.filter(periode=periode, tahun=tahun).select_related(
            "program", "kegiatan", "sub_kegiatan__kegiatan"
        )
    )
    pk_budgets = {
        b.sasaran_id: b.jumlah
        for b in AnggaranPk.objects.filter(sasaran__periode=periode, tahun=tahun)
    }
    setting = PengaturanLaporan.objects.filter(opd=opd, tahun=tahun).first()
    pembanding: dict[int, list[Pembanding]] = defaultdict(list)
    for comparison in Pembanding.objects.filter(indikator_id__in=top_ids).order_by(
        "tahun", "wilayah"
    ):
        pembanding[comparison.indikator_id].append(comparison)
    pendukung = list(DataPendukung.objects.filter(opd=opd, tahun=tahun).order_by("urutan"))
    # What the source printed is checked, not drawn as a supporting table.
    tercetak = [t for t in pendukung if printed.is_printed_table(t)]
    pendukung = [t for t in pendukung if not printed.is_printed_table(t)]
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
        aggregate = engine.aggregate([r.result for r in node_rows], scale=scale, bounds=bounds)
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
                    targets={
                        y: by_kind.get((r.indikator.pk, y, JenisTarget.RENSTRA))
                        for y in periode.years
                    },
                    places=r.places,
                )
            )
        return out

    tujuan_rows = [r for r in rows if r.indikator.tujuan_id]
    sasaran_rows = [r for r in rows if r.indikator.sasaran_id]
    iku = iku_of_year(sasaran_rows)
    rencana_aksi = [
        q
        for q in quarter_rows([r.indikator for r in iku], tahun, scale)
        if any(t is not None for t in q.targets) or any(r is not None for r in q.realisasi)
    ]

    # A supporting table belongs to the section of the sasaran its indicator serves (directly
    # or through its program); tables of no sasaran are shown after the sections.
    sasaran_of = {r.indikator.pk: _sasaran_id(r.indikator) for r in rows}
    table_sasaran = {d.pk: sasaran_of.get(d.indikator_id or 0) for d in pendukung}
    sections: list[SasaranSection] = []
    narasi_map = narrative.collect(stored_narasi)
    end_checks: list[PrintedCheck] = []
    for n, s in enumerate(sasaran_list, start=1):
        s_rows = [r for r in iku if r.indikator.sasaran_id == s.pk]
        history: dict[int, list[YearPoint]] = {}
        end_target: dict[int, Target | None] = {}
        end_result: dict[int, engine.CapaianResult] = {}
        for r in s_rows:
            ind = r.indikator
            points = []
            # The years before the period (history from earlier LKjIPs, the kondisi awal)
            # come first; they have no target of this period, hence no capaian.
            for y in history_years(periode, tahun):
                t = targets_all.get((ind.pk, y))
                stored = realisasi_all.get((ind.pk, y))
                if stored is None and y < periode.tahun_awal:
                    stored = kondisi_awal(ind, y)
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
            printed_end = r.realisasi.capaian_akhir_dilaporkan if r.realisasi is not None else None
            if printed_end is not None:
                computed = end_result[ind.pk].capaian
                end_checks.append(
                    PrintedCheck(
                        tabel="Capaian terhadap target akhir Renstra",
                        nama=ind.nama,
                        reported=printed_end,
                        computed=computed,
                        discrepant=engine.is_discrepant(printed_end, computed)
                        or engine.is_unverifiable(printed_end, computed),
                    )
                )
        raw = narasi_map.get((Bagian.ANALISIS_SASARAN, s.pk)) or narrative.default_sasaran_analysis(
            s, s_rows
        )
        summary = engine.aggregate([r.result for r in s_rows], scale=scale, bounds=bounds)
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
                narasi=raw,  # resolved below, once the figures are known
                narasi_raw=raw,
                pendukung=[d for d in pendukung if table_sasaran.get(d.pk) == s.pk],
                summary=summary,
                budget=sasaran_budget(
                    [
                        top.anggaran
                        for p in programs
                        if p.sasaran_id == s.pk
                        and (top := lines_by_program[p.pk][0]).anggaran is not None
                    ],
                    summary,
                    method,
                ),
                provenance={
                    r.indikator.pk: provenance[r.indikator.pk]
                    for r in s_rows
                    if r.indikator.pk in provenance
                },
            )
        )

    progress(75, "Menghitung ringkasan")
    total_pagu = sum((b.pagu for b in budgets if b.program_id), Decimal(0))
    total_real = sum((b.realisasi or Decimal(0) for b in budgets if b.program_id), Decimal(0))
    efficiency_checks = [
        PrintedCheck(
            tabel="Tabel 3.41 efisiensi",
            nama=ln.node.nama,
            reported=ln.anggaran.efisiensi_dilaporkan,
            computed=ln.efisiensi.value,
            discrepant=engine.is_discrepant(ln.anggaran.efisiensi_dilaporkan, ln.efisiensi.value)
            or engine.is_unverifiable(ln.anggaran.efisiensi_dilaporkan, ln.efisiensi.value),
        )
        for ln in program_lines
        if ln.anggaran is not None and ln.anggaran.efisiensi_dilaporkan is not None
    ]
    program_pagu = {b.program_id: b.pagu for b in budgets if b.program_id is not None}
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
        iku_summary=engine.aggregate([r.result for r in iku], scale=scale, bounds=bounds),
        pk_budget=[(s, pk_budgets[s.pk]) for s in sasaran_list if s.pk in pk_budgets],
        sections=sections,
        program_lines=program_lines,
        all_rows=rows,
        budget_link=engine.budget_link(budget_nodes(budgets), measured_nodes(rows)),
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
        bounds=bounds,
        aggregate_rule=engine.describe_aggregate_rule(bounds),
        provenance=provenance,
        rencana_aksi=rencana_aksi,
        pk_targets=[
            PkTarget(
                r,
                by_kind.get((r.indikator.pk, tahun, JenisTarget.PK)),
                by_kind.get((r.indikator.pk, tahun, JenisTarget.PK_PERUBAHAN)),
            )
            for r in iku
        ],
        pk_reconciliation=reconcile_pk_budget(
            [
                (
                    s,
                    pk_budgets.get(s.pk),
                    [
                        (p.nama, program_pagu[p.pk])
                        for p in programs
                        if p.sasaran_id == s.pk and p.pk in program_pagu
                    ],
                )
                for s in sasaran_list
            ],
            [
                (p.nama, program_pagu[p.pk])
                for p in programs
                if p.sasaran_id is None and p.pk in program_pagu
            ],
        )
        if pk_budgets
        else None,
        printed_checks=[c for c in (*end_checks, *efficiency_checks) if c.discrepant],
        flagged=[r for r in rows if r.flags],
        row_by_id={r.indikator.pk: r for r in rows},
        sign_place=(setting.tempat_ttd if setting is not None else "")
        or opd.tempat
        or opd.kabupaten,
        sign_date=(setting.tanggal_ttd if setting is not None else None) or sign_date,
    )
    data.figures = _figures(data, sections)
    data.printed_statements = printed.check(tercetak, data)
    data.narasi_raw = narrative.fill_raw(narasi_map, data)
    # "rata-rata capaian … %" in any text is about the agency's IKU mean (bounded or plain).
    overall = [
        Figures(
            "Rata-rata capaian IKU",
            data.iku_summary.mean,
            ("rata-rata capaian",),
            # The range itself ("dibatasi 0–120 %") is a true figure of such a sentence.
            [v for v in (data.iku_summary.mean, *(bounds or ())) if v is not None],
        )
    ]
    unknown: list[str] = []
    found: list[Contradiction] = []
    for bagian, raw_text in data.narasi_raw.items():
        resolved = narrative.resolve(raw_text, data)
        data.narasi[bagian] = resolved.text
        unknown.extend(resolved.unknown)
        found.extend(
            contradictions(
                resolved.text,
                bagian=Bagian(bagian).label,
                figures=list(data.figures.values()),
                overall=overall,
            )
        )
    for section in sections:
        resolved = narrative.resolve(section.narasi_raw, data)
        section.narasi = resolved.text
        unknown.extend(resolved.unknown)
        found.extend(
            contradictions(
                resolved.text,
                bagian=f"Analisis Sasaran {section.no}",
                figures=list(data.figures.values()),
                context=[data.figures[r.indikator.pk] for r in section.iku],
                overall=overall,
            )
        )
    data.contradictions = found
    data.unknown_placeholders = list(dict.fromkeys(unknown))
    chapter = pemda_chapter.registered()
    if opd.jenis == JenisOpd.PEMDA and opd.pemda is not None and chapter is not None:
        data.kabupaten = chapter.build(opd.pemda, tahun)
    progress(85, "Data laporan siap")
    return data


def history_years(periode: PeriodeRenstra, tahun: int) -> range:
    """The years of the "perbandingan dengan tahun sebelumnya": from the earliest year before
    the period that may hold realisasi (``PRE_PERIOD_YEARS``) to the report year."""
    return range(periode.tahun_awal - PRE_PERIOD_YEARS, tahun + 1)


def kondisi_awal(ind: Indikator, tahun: int) -> YearRealisasi | None:
    """The Renstra's kondisi awal (the indicator's baseline) as the realisasi of its year,
    when that year is before the period and has no realisasi recorded: the first point of the
    trend. Not saved; a row made for the comparison table only."""
    if ind.baseline_nilai is None or ind.baseline_tahun != tahun:
        return None
    row = Realisasi(indikator=ind, tahun=tahun, nilai=ind.baseline_nilai, sumber="kondisi awal")
    return row, (None, None, None, None)


def _figures(data: LakipData, sections: Sequence[SasaranSection]) -> dict[int, Figures]:
    """Every figure of each indicator a narrative may quote truthfully: its capaian first,
    then its target, realisasi, PK targets, capaian against the end-of-Renstra target and
    earlier years' figures."""
    out: dict[int, Figures] = {}
    for r in data.all_rows:
        values = [
            v
            for v in (
                r.result.capaian,
                r.target_value,
                r.realisasi_value,
                r.result.target_used,
            )
            if isinstance(v, Decimal)
        ]
        out[r.indikator.pk] = Figures(
            r.indikator.nama, r.result.capaian, names_of(r.indikator.nama), values
        )
    for s in sections:
        for r in s.iku:
            figures = out[r.indikator.pk]
            end = s.end_result.get(r.indikator.pk)
            if end is not None and end.capaian is not None:
                figures.values.append(end.capaian)
            target = s.end_target.get(r.indikator.pk)
            if target is not None and target.nilai is not None:
                figures.values.append(target.nilai)
            for p in s.history.get(r.indikator.pk, []):
                for v in (p.result.capaian, p.result.realisasi_used, p.result.target_used):
                    if v is not None:
                        figures.values.append(v)
    for pk in data.pk_targets:
        for t in (pk.pk, pk.pk_perubahan):
            if t is not None and t.nilai is not None:
                out[pk.row.indikator.pk].values.append(t.nilai)
    return out


def reconcile_pk_budget(
    sasaran: Sequence[tuple[Sasaran, Decimal | None, list[tuple[str, Decimal]]]],
    outside_sasaran: list[tuple[str, Decimal]],
) -> PkBudgetReconciliation:
    """Explain the PK budget against the pagu of the programs of each sasaran (pure).

    A PK amount above its sasaran's programs that equals the programs of sasaran without a PK
    amount covers them (the seed's one row for sasaran 1 and 2); a PK amount below them by
    exactly one program's pagu leaves that program out of the PK (the seed's Kerja Sama Desa).
    """
    no_pk = [(s, sum((p for _n, p in progs), Decimal(0))) for s, a, progs in sasaran if a is None]
    covered_by: dict[int, Sasaran] = {}
    lines: list[PkBudgetLine] = []
    outside_pk: list[tuple[str, Decimal]] = []
    for s, amount, progs in sasaran:
        pagu = sum((p for _n, p in progs), Decimal(0))
        if amount is None:
            lines.append(PkBudgetLine(s, None, pagu, ""))
            continue
        diff = amount - pagu
        if diff == 0:
            note = "sama dengan pagu program sasaran ini"
        elif diff > 0:
            extra = [(o, total) for o, total in no_pk if total > 0]
            if extra and sum((t for _o, t in extra), Decimal(0)) == diff:
                for o, _t in extra:
                    covered_by[o.pk] = s
                names = ", ".join(o.nama for o, _t in extra)
                note = f"mencakup juga pagu program sasaran tanpa anggaran PK sendiri: {names}"
            else:
                note = f"melebihi pagu program sasaran ini sebesar {format_rupiah(diff)}"
        else:
            missing = [(n, p) for n, p in progs if p == -diff]
            if len(missing) == 1:
                outside_pk.append(missing[0])
                note = (
                    f"tidak memuat pagu {missing[0][0]} ({format_rupiah(missing[0][1])}), "
                    "program sasaran ini yang tidak tercantum dalam baris PK"
                )
            else:
                note = f"kurang {format_rupiah(-diff)} dari pagu program sasaran ini"
        lines.append(PkBudgetLine(s, amount, pagu, note))
    lines = [
        dataclasses.replace(
            ln,
            note=(
                f"termasuk dalam anggaran PK sasaran «{covered_by[ln.sasaran.pk].nama}»"
                if ln.sasaran.pk in covered_by
                else "tidak ada anggaran PK"
            ),
        )
        if ln.pk is None
        else ln
        for ln in lines
    ]
    total_pk = sum((ln.pk for ln in lines if ln.pk is not None), Decimal(0))
    total_program = sum((ln.pagu_program for ln in lines), Decimal(0))
    parts = [
        f"Jumlah baris anggaran PK {format_rupiah(total_pk)}, sedangkan pagu seluruh program "
        f"yang menunjang sasaran (Tabel 3.31) {format_rupiah(total_program)}."
    ]
    if outside_pk:
        names = "; ".join(f"{n} ({format_rupiah(p)})" for n, p in outside_pk)
        parts.append(
            f"Selisih {format_rupiah(total_program - total_pk)}: {names}, "
            "tidak tercantum dalam baris PK."
        )
    if outside_sasaran:
        names = "; ".join(f"{n} ({format_rupiah(p)})" for n, p in outside_sasaran)
        parts.append(f"Program yang tidak menunjang sasaran berada di luar PK: {names}.")
    return PkBudgetReconciliation(
        lines=lines,
        total_pk=total_pk,
        total_program=total_program,
        outside_sasaran=outside_sasaran,
        outside_pk=outside_pk,
        summary=" ".join(parts),
    )


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


def final_blockers(data: LakipData) -> list[str]:
    """What a signed LAKIP must not carry as a placeholder (issue #20: an empty LKjIP Pemda was
    finalised with "anggaran … Rp 0", "0 indikator kinerja utama" and "(nama kepala) NIP. –").
    Each is named so the page can say what to complete; an empty list means it may be final."""
    missing: list[str] = []
    if not data.iku:
        missing.append(f"indikator kinerja utama (IKU) tahun {data.tahun}")
    pagu = data.total_pagu + (data.kabupaten.total_pagu if data.kabupaten is not None else 0)
    if pagu <= 0:
        missing.append(f"anggaran tahun {data.tahun} (pagu masih Rp 0)")
    signer = data.opd.penandatangan
    if not signer.nama.strip():
        missing.append(f"nama penandatangan ({signer.jabatan})")
    if signer.nip_wajib and not signer.nip.strip():
        missing.append(f"NIP penandatangan ({signer.jabatan})")
    return missing


__all__ = [
    "LakipData",
    "NodeLine",
    "PkBudgetLine",
    "PkBudgetReconciliation",
    "PkTarget",
    "PrintedCheck",
    "SasaranSection",
    "TargetSeries",
    "YearPoint",
    "build_lakip",
    "final_blockers",
    "reconcile_pk_budget",
]
