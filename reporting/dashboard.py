"""The leadership dashboard: where the agency stands in a year, in a constant number of
queries whatever the number of indicators."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from indicators import engine
from indicators.models import PRE_PERIOD_YEARS, Indikator, Pembanding, Target
from indicators.provenance import Provenance, provenance_for
from indicators.rencana_aksi import quarter_monitoring
from indicators.selectors import (
    IndicatorRow,
    budget_nodes,
    compute_for,
    engine_scale,
    iku_of_year,
    indicator_rows,
    indicators_for,
    measured_nodes,
    opd_settings,
    realisasi_by_year,
)
from renstra.models import Anggaran, Opd, PeriodeRenstra, Role
from renstra.permissions import user_bidang_id, user_opd_id, user_role
from renstra.services import lock_for
from renstra.versions import cached_page, for_opd
from renstra.years import renstra_years

from . import charts, dashboard_panels
from .builder import sasaran_budget
from .lakip_data import SasaranBudget
from .models import CatatanReviu, LakipVersi, StatusReviu
from .mulai import setup_steps


@dataclass
class IkuCard:
    row: IndicatorRow
    chart: str | None
    trajectory: engine.Trajectory | None
    final_target: Target | None
    pembanding: list[Pembanding]
    # "54,90 % = 84 / 153 × 100 (sumber: …)" when the realisasi is computed from components.
    provenance: Provenance | None = None


@dataclass
class GroupCapaian:
    """A bidang or a program: the bounded mean of its indicators, with the counts."""

    nama: str
    summary: engine.AggregateResult


@dataclass
class PrintedEfficiency:
    """A printed figure (Tabel 3.41 efficiency, capaian against the end target) and ours."""

    nama: str
    reported: Decimal
    computed: Decimal | None


# Where the download forms (with the reader's CSRF token) go in the kept figures.
DOWNLOADS_MARK = "<!--kinerja:unduh-->"
# Where the planner's "Mulai" checklist goes: read on every request, not kept with the figures,
# because a kabid's account (one of its steps) is no plan data and raises no data version.
MULAI_MARK = "<!--kinerja:mulai-->"
# Where the panels of the apps above reporting go (reporting.dashboard_panels): read on every
# request too, since their rows (the evaluation's recommendations) raise no data version.
PANELS_MARK = "<!--kinerja:panel-->"


@dataclass
class BidangProgress:
    nama: str
    filled: int
    total: int

    @property
    def percent(self) -> int:
        return round(self.filled * 100 / self.total) if self.total else 0


def dashboard_data(
    opd: Opd, tahun: int, indikator_qs: QuerySet[Indikator] | None = None
) -> dict[str, object]:
    """Queries: periode, scale (2), indicator rows (3), targets and realisasi of every year for
    the IKU (2), the IKU's formula components and their values (2),
    comparisons of the IKU (1), the year's budgets of every node (1), the latest
    final version (1)."""
    periode = (
        PeriodeRenstra.objects.filter(opd=opd, tahun_awal__lte=tahun, tahun_akhir__gte=tahun)
        .order_by("-tahun_awal")
        .first()
    )
    if periode is None:
        return {"periode": None}
    settings = opd_settings(opd.pk)
    scale = engine_scale(settings.skala)
    bounds = settings.bounds
    method = engine.EfficiencyMethod(settings.efficiency_method)
    shown = (indikator_qs if indikator_qs is not None else Indikator.objects).filter(
        periode=periode
    )
    rows = indicator_rows(opd.pk, tahun, indikator_qs=shown, scale=scale)

    iku = iku_of_year(rows)
    iku_ids = [r.indikator.pk for r in iku]
    targets = Target.objects.filter(indikator_id__in=iku_ids).effective()
    realisasi = realisasi_by_year(iku_ids)
    provenance = provenance_for(iku_ids, tahun)
    comparisons: dict[int, list[Pembanding]] = defaultdict(list)
    for c in Pembanding.objects.filter(indikator_id__in=iku_ids).order_by("tahun", "wilayah"):
        comparisons[c.indikator_id].append(c)
    cards = []
    printed_end_checks: list[PrintedEfficiency] = []
    for r in iku:
        ind = r.indikator
        years, t_values, r_values, points = [], [], [], []
        # From the years before the period (history the perencana recorded) to its end.
        for y in range(periode.tahun_awal - PRE_PERIOD_YEARS, periode.tahun_akhir + 1):
            t = targets.get((ind.pk, y))
            annual, quarters = realisasi.get((ind.pk, y), (None, (None,) * 4))
            result = r.result if y == tahun else compute_for(ind, t, annual, quarters, scale)
            if y <= tahun and (result.realisasi_used is not None or t is not None):
                years.append(y)
                t_values.append(t.nilai if t is not None else None)
                r_values.append(result.realisasi_used)
            if y <= tahun and result.realisasi_used is not None:
                points.append((y, result.realisasi_used))
        final = targets.get((ind.pk, periode.tahun_akhir))
        trajectory = engine.trajectory(
            points=points,
            final_year=periode.tahun_akhir,
            final_target=final.nilai if final is not None else None,
            polarity=engine.Polarity(ind.polaritas),
        )
        chart = (
            charts.history_chart(years, t_values, r_values, ind.satuan, width=charts.CARD_WIDTH)
            if years
            else None
        )
        cards.append(
            IkuCard(
                r, chart, trajectory, final, comparisons.get(ind.pk, []), provenance.get(ind.pk)
            )
        )
        printed_end = r.realisasi.capaian_akhir_dilaporkan if r.realisasi is not None else None
        if printed_end is not None:
            end = compute_for(ind, final, r.realisasi, r.quarters, scale).capaian
            if engine.is_discrepant(printed_end, end) or engine.is_unverifiable(printed_end, end):
                printed_end_checks.append(
                    PrintedEfficiency(
                        f"{ind.nama} (terhadap target akhir Renstra)", printed_end, end
                    )
                )

    progress: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        b = r.indikator.effective_bidang
        key = b.nama if b is not None else "Tanpa bidang"
        progress[key][1] += 1
        if r.reported:  # "tidak tersedia" with a reason is reported, not late
            progress[key][0] += 1

    # Capaian per bidang and per program: the same bounded mean as the headline. A program's
    # figure is the mean of its own indicators (the level Tabel 3.41 reports it at).
    by_bidang: dict[str, list[engine.CapaianResult]] = defaultdict(list)
    by_program: dict[int, tuple[str, list[engine.CapaianResult]]] = {}
    rows_by_node: dict[tuple[str, int], list[engine.CapaianResult]] = defaultdict(list)
    for r in rows:
        b = r.indikator.effective_bidang
        by_bidang[b.nama if b is not None else "Tanpa bidang"].append(r.result)
        node = r.indikator.node
        if node is not None:
            rows_by_node[(r.level, node.pk)].append(r.result)
        if r.indikator.program_id and r.indikator.program is not None:
            by_program.setdefault(r.indikator.program_id, (r.indikator.program.nama, []))[1].append(
                r.result
            )

    budgets = list(
        Anggaran.objects.filter(periode=periode, tahun=tahun).select_related(
            "program__sasaran", "kegiatan", "sub_kegiatan__kegiatan"
        )
    )
    program_budgets = [a for a in budgets if a.program_id]
    pagu = sum((a.pagu for a in program_budgets), Decimal(0))
    real = sum((a.realisasi or Decimal(0) for a in program_budgets), Decimal(0))
    # The printed Tabel 3.41 efficiency goes through the same check as a printed capaian.
    printed_efficiency: list[PrintedEfficiency] = []
    for budget in budgets:
        printed = budget.efisiensi_dilaporkan
        if printed is None:
            continue
        level, node = (
            ("program", budget.program)
            if budget.program_id
            else ("kegiatan", budget.kegiatan)
            if budget.kegiatan_id
            else ("sub_kegiatan", budget.sub_kegiatan)
        )
        mean = engine.aggregate(
            rows_by_node.get((level, node.pk), []), scale=scale, bounds=bounds
        ).mean
        value = engine.efisiensi(
            capaian=mean,
            penyerapan=engine.penyerapan(budget.pagu, budget.realisasi),
            method=method,
            pagu=budget.pagu,
            realisasi_anggaran=budget.realisasi,
        ).value
        if engine.is_discrepant(printed, value) or engine.is_unverifiable(printed, value):
            printed_efficiency.append(PrintedEfficiency(node.nama, printed, value))
    summary = engine.aggregate([r.result for r in iku], scale=scale, bounds=bounds)
    return {
        "per_sasaran": _per_sasaran(iku, program_budgets, scale, bounds, method),
        "periode": periode,
        "scale": scale,
        "cards": cards,
        "summary": summary,
        "headline_complete": engine.headline_complete(summary, settings.min_iku),
        "all_summary": engine.aggregate([r.result for r in rows], scale=scale, bounds=bounds),
        "aggregate_rule": engine.describe_aggregate_rule(bounds),
        "per_bidang": [
            GroupCapaian(k, engine.aggregate(v, scale=scale, bounds=bounds))
            for k, v in sorted(by_bidang.items())
        ],
        "per_program": [
            GroupCapaian(nama, engine.aggregate(results, scale=scale, bounds=bounds))
            for nama, results in by_program.values()
        ],
        "flagged": [r for r in rows if r.flags],
        "printed_end": printed_end_checks,
        "printed_efficiency": [p for p in printed_efficiency if p.computed is not None],
        "printed_efficiency_unverifiable": [p for p in printed_efficiency if p.computed is None],
        "progress": [BidangProgress(k, v[0], v[1]) for k, v in sorted(progress.items())],
        # Which bidang has not yet reported triwulan N (from the rows read above: no query).
        "monitoring_triwulan": quarter_monitoring(
            [r.indikator for r in rows], {r.indikator.pk: r.quarters for r in rows}
        ),
        "discrepancies": [r for r in rows if r.discrepant],
        # The heading counts every line listed under it: the yearly discrepancies and the
        # end-of-Renstra ones (it showed 11 above a list of 13).
        "selisih_count": sum(1 for r in rows if r.discrepant) + len(printed_end_checks),
        # No budget rows is "no data yet", not a budget of Rp 0.
        "has_budget": bool(budgets),
        "pagu": pagu,
        "realisasi_anggaran": real,
        "penyerapan": engine.penyerapan(pagu, real),
        "penyerapan_bar": _bar(engine.penyerapan(pagu, real)),
        # The pagu that serves no indicator of the plan (LKE 1.c.1), from the rows read above.
        "budget_link": engine.budget_link(budget_nodes(budgets), measured_nodes(rows)),
        "final_version": LakipVersi.objects.filter(opd=opd, tahun=tahun)
        .defer("pdf", "xlsx", "docx")
        .order_by("-nomor")
        .first(),
    }


@dataclass(frozen=True)
class SasaranLine:
    nama: str
    summary: engine.AggregateResult
    budget: SasaranBudget | None


def _per_sasaran(
    iku: Sequence[IndicatorRow],
    program_budgets: Sequence[Anggaran],
    scale: engine.Scale,
    bounds: engine.Bounds | None,
    method: engine.EfficiencyMethod,
) -> list[SasaranLine]:
    """Each sasaran (of an IKU of the year, or served by a budgeted program): its capaian,
    the budget of its programs and the efficiency, as the LAKIP's chapter 3.2 gives them."""
    names: dict[int, tuple[int, str]] = {}
    results: dict[int, list[engine.CapaianResult]] = defaultdict(list)
    for r in iku:
        sasaran = r.indikator.sasaran
        if sasaran is not None:
            names[sasaran.pk] = (sasaran.urutan, sasaran.nama)
            results[sasaran.pk].append(r.result)
    budgets: dict[int, list[Anggaran]] = defaultdict(list)
    for a in program_budgets:
        sasaran = a.program.sasaran if a.program is not None else None
        if sasaran is not None:
            names.setdefault(sasaran.pk, (sasaran.urutan, sasaran.nama))
            budgets[sasaran.pk].append(a)
    lines = []
    for pk, (_urutan, nama) in sorted(names.items(), key=lambda item: item[1]):
        summary = engine.aggregate(results[pk], scale=scale, bounds=bounds)
        lines.append(SasaranLine(nama, summary, sasaran_budget(budgets[pk], summary, method)))
    return lines


def _bar(percent: Decimal | None) -> int:
    """Width of a progress bar in whole percent (display only), clamped to 0–100."""
    if percent is None:
        return 0
    return int(max(Decimal(0), min(Decimal(100), percent)).to_integral_value())


@login_required
def dashboard(request: HttpRequest, tahun: int) -> HttpResponse:
    """The figures are rendered once per OPD version and kind of reader (renstra.versions): a
    request that finds them costs the user, the versions (read with who is asking) and the
    panels of the apps above; the OPD's row is read only to compute them."""
    opd_id = user_opd_id(request.user)
    if opd_id is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah.")
    role = user_role(request.user)
    is_perencana = role in (Role.PERENCANA, Role.ADMIN)
    # What differs between readers of one OPD: a kabid sees their bidang's indicators.
    bidang = user_bidang_id(request.user) if role == Role.KABID else None

    def figures() -> str:
        opd = Opd.objects.get(pk=opd_id)
        context = dashboard_data(opd, tahun, indikator_qs=indicators_for(request.user, opd.pk))
        context.update(
            {
                "opd": opd,
                "tahun": tahun,
                "years": renstra_years(opd.pk, tahun),
                "role": role,
                "is_perencana": is_perencana,
                "lock": lock_for(opd.pk, tahun),
                # The Inspektorat's notes on this year's LAKIP: how many still wait for the
                # OPD (answered on the LAKIP page) or for the Inspektorat to close them.
                "reviu": CatatanReviu.objects.filter(opd=opd, tahun=tahun).aggregate(
                    total=Count("pk"),
                    terbuka=Count("pk", filter=Q(status=StatusReviu.TERBUKA)),
                    ditindaklanjuti=Count("pk", filter=Q(status=StatusReviu.DITINDAKLANJUTI)),
                ),
            }
        )
        return render_to_string("reporting/_dashboard_body.html", context)

    body = cached_page(("dasbor", opd_id, tahun, bidang, is_perencana), figures, for_opd(opd_id))
    downloads = render_to_string(
        "reporting/_download_buttons.html", {"tahun": tahun}, request=request
    )
    # The planner's way from an empty OPD to its first LAKIP, shown until every step is done
    # (one query; the other roles cannot act on it).
    steps = setup_steps(opd_id, tahun) if is_perencana else []
    mulai = (
        render_to_string(
            "reporting/_mulai.html",
            {"steps": steps, "done": sum(1 for s in steps if s.done)},
        )
        if not all(s.done for s in steps)
        else ""
    )
    shown = dashboard_panels.panels(request.user, opd_id)
    panels = (
        render_to_string("reporting/_dashboard_panels.html", {"panels": shown}) if shown else ""
    )
    return render(
        request,
        "reporting/dashboard.html",
        {
            "tahun": tahun,
            "body": mark_safe(  # noqa: S308
                body.replace(DOWNLOADS_MARK, downloads)
                .replace(MULAI_MARK, mulai)
                .replace(PANELS_MARK, panels)
            ),
        },
    )
