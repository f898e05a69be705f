"""Read paths: the indicators of an OPD and year with their effective target, realisasi and
the engine's capaian/kategori, in a constant number of queries.

This is the one way into the capaian engine from Django: pages, admin, importer, report,
dashboard and CLI all call :func:`indicator_rows` (or :func:`compute_for`), never the formula.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.db.models import Prefetch, Q, QuerySet

from common.numbers import infer_places
from nomenklatur.models import Nomenklatur, Tingkat
from renstra.models import (
    Anggaran,
    AnggaranBulanan,
    Opd,
    PeriodeRenstra,
    Role,
    SubKegiatan,
)
from renstra.permissions import AnyUser, user_bidang_id, user_opd_id, user_role
from renstra.tree import ancestors, tree_key

from . import engine
from .models import (
    NOT_AVAILABLE,
    QUARTERS,
    Indikator,
    Jenis,
    PengaturanOpd,
    Periode,
    Realisasi,
    Skala,
    SkalaBand,
    Target,
)
from .scales import scale_from_rows
from .services.indikator import keluaran_key

# Each level's structural chain up the tree: where an indicator without a bidang of its own
# takes its penanggung jawab from (Indikator.effective_bidang).
_BIDANG_CHAINS = {
    "tujuan": ("tujuan",),
    "sasaran": ("sasaran", "sasaran__tujuan"),
    "program": ("program",),
    "kegiatan": ("kegiatan", "kegiatan__program"),
    "sub_kegiatan": ("sub_kegiatan", "sub_kegiatan__kegiatan", "sub_kegiatan__kegiatan__program"),
}


def of_bidang(bidang_id: int) -> Q:
    """Indicators whose effective bidang is ``bidang_id``, as one SQL condition."""
    condition = Q(bidang_id=bidang_id)
    for level, chain in _BIDANG_CHAINS.items():
        unset = Q(bidang__isnull=True, **{f"{level}__isnull": False})
        for node in chain:
            condition |= unset & Q(**{f"{node}__bidang_id": bidang_id})
            unset &= Q(**{f"{node}__bidang__isnull": True})
    return condition


def indicators_for(user: AnyUser, opd_id: int | None = None) -> QuerySet[Indikator]:
    """The indicators a user works with: a kabid their bidang's (what they record), everyone
    else the whole of their OPD (``opd_id`` for an admin, who has none of their own). Reading
    permission is checked by the callers (``renstra.permissions``)."""
    role = user_role(user)
    target_opd = opd_id if role == Role.ADMIN and opd_id is not None else user_opd_id(user)
    qs = Indikator.objects.filter(periode__opd_id=target_opd or 0)
    if role == Role.ADMIN and opd_id is None:
        qs = Indikator.objects.all()
    if role == Role.KABID:
        qs = qs.filter(of_bidang(user_bidang_id(user) or 0))
    return qs


def engine_scale(skala: Skala) -> engine.Scale:
    bands: Sequence[SkalaBand] = list(skala.band_set.all())
    return scale_from_rows(
        skala,
        [
            {
                "urutan": b.urutan,
                "label": b.label,
                "batas_bawah": b.batas_bawah,
                "batas_atas": b.batas_atas,
                "bawah_inklusif": b.bawah_inklusif,
                "atas_inklusif": b.atas_inklusif,
                "warna": b.warna,
            }
            for b in bands
        ],
    )


@dataclass(frozen=True)
class OpdSettings:
    skala: Skala
    efficiency_method: str
    # engine.aggregate's range: each capaian is bounded to it before a mean.
    bounds: engine.Bounds
    # IKU with data before the headline shows a kategori (engine.headline_complete); None: all.
    min_iku: int | None = None


def opd_settings(opd_id: int) -> OpdSettings:
    """The OPD's scale, efficiency method and aggregate range; the defaults if none is set.

    Same queries as :func:`settings_for_opd` (the range lives on the same row)."""
    pengaturan = (
        PengaturanOpd.objects.select_related("skala")
        .prefetch_related(
            Prefetch("skala__band_set", queryset=SkalaBand.objects.order_by("urutan"))
        )
        .filter(opd_id=opd_id)
        .first()
    )
    if pengaturan is not None:
        return OpdSettings(
            pengaturan.skala,
            pengaturan.metode_efisiensi,
            pengaturan.aggregate_bounds,
            pengaturan.agregat_minimal_iku,
        )
    return OpdSettings(_default_scale(), "rasio", engine.DEFAULT_AGGREGATE_BOUNDS)


def _default_scale() -> Skala:
    bands = Prefetch("band_set", queryset=SkalaBand.objects.order_by("urutan"))
    skala = Skala.objects.prefetch_related(bands).filter(bawaan=True).first()
    if skala is None:
        # Only a database emptied after migrating (a flushed test database) lacks the presets.
        from .services.skala import scale_presets_ensure

        scale_presets_ensure()
        skala = Skala.objects.prefetch_related(bands).get(bawaan=True)
    return skala


def settings_for_opd(opd_id: int) -> tuple[Skala, str]:
    """The OPD's scale and efficiency method; the default scale if none is chosen (3 queries)."""
    settings = opd_settings(opd_id)
    return settings.skala, settings.efficiency_method


@dataclass(frozen=True)
class IndicatorRow:
    indikator: Indikator
    tahun: int
    target: Target | None
    realisasi: Realisasi | None
    quarters: tuple[Realisasi | None, ...]
    result: engine.CapaianResult
    discrepant: bool
    # A printed capaian with no target/realisasi recorded behind it: cannot be checked.
    unverifiable: bool = False
    jalur: list[tuple[str, str]] = field(default_factory=list)
    # The engine's plausibility warnings ("periksa"); the figures themselves are unchanged.
    flags: tuple[engine.PlausibilityFlag, ...] = ()
    # Decimals every table shows for this indicator's target and realisasi.
    places: int = 2

    @property
    def level(self) -> str:
        return self.indikator.level or ""

    @property
    def target_value(self) -> Decimal | str | None:
        return self.target.engine_value if self.target is not None else None

    @property
    def realisasi_value(self) -> Decimal | str | None:
        """The realisasi as tables show it: the number, a qualitative text, "tidak tersedia"
        when stated as not available (its reason is ``result.reason``)."""
        if self.result.unavailable:
            return NOT_AVAILABLE
        if self.realisasi is not None and self.realisasi.engine_value is not None:
            return self.realisasi.engine_value
        return self.result.realisasi_used

    @property
    def capaian_dilaporkan(self) -> Decimal | None:
        return self.realisasi.capaian_dilaporkan if self.realisasi is not None else None

    @property
    def reported(self) -> bool:
        """The bidang has answered for the year: a value, or "not available" with a reason
        (no data, yet not missing and not late)."""
        return self.result.realisasi_used is not None or self.result.unavailable


class _YearRow(Protocol):
    @property
    def indikator(self) -> Indikator: ...
    @property
    def target(self) -> Target | None: ...


_Row = TypeVar("_Row", bound=_YearRow)


def iku_of_year(rows: Iterable[_Row]) -> list[_Row]:
    """The IKU a year is measured by: the sasaran's IKU (those of the Perjanjian Kinerja;
    tujuan indicators are shown in the Renstra tables) that have a target for that year. An
    IKU added later with targets from 2025 on was never in the 2024 PK, so it is neither
    counted in 2024's "n dari m" nor shown there as a row of "–". The one rule for the
    dashboard, the LAKIP and the kabupaten."""
    return [
        r
        for r in rows
        if r.indikator.jenis == Jenis.IKU and r.indikator.sasaran_id and r.target is not None
    ]


YearRealisasi = tuple[Realisasi | None, tuple[Realisasi | None, ...]]


def realisasi_by_year(indicator_ids: Sequence[int]) -> dict[tuple[int, int], YearRealisasi]:
    """(indikator, tahun) → (annual row, quarter rows I–IV) for every year, in one query, so
    earlier years are computed like the report year (quarters included)."""
    grouped: dict[tuple[int, int], dict[str, Realisasi]] = defaultdict(dict)
    for r in Realisasi.objects.filter(indikator_id__in=indicator_ids):
        grouped[(r.indikator_id, r.tahun)][r.periode] = r
    return {
        key: (periods.get(Periode.TAHUNAN), tuple(periods.get(q) for q in QUARTERS))
        for key, periods in grouped.items()
    }


def compute_for(
    indikator: Indikator,
    target: Target | None,
    annual: Realisasi | None,
    quarters: Sequence[Realisasi | None],
    scale: engine.Scale,
) -> engine.CapaianResult:
    quarterly = [q.nilai if q is not None else None for q in quarters]
    return engine.compute_capaian(
        target=target.engine_value if target is not None else None,
        realisasi=annual.engine_value if annual is not None else None,
        polarity=engine.Polarity(indikator.polaritas),
        method=engine.NegativeMethod(indikator.metode_negatif),
        accumulation=engine.Accumulation(indikator.akumulasi),
        quarterly=quarterly if any(v is not None for v in quarterly) else None,
        scale=scale,
        unavailable=annual.unavailable_reason if annual is not None else None,
    )


def indicator_rows(
    opd: Opd | int,
    tahun: int,
    *,
    indikator_qs: QuerySet[Indikator] | None = None,
    scale: engine.Scale | None = None,
) -> list[IndicatorRow]:
    """Every indicator of the OPD (or of ``indikator_qs``) for one year, computed.

    Queries: the scale (3: settings, default scale, its bands), the indicators with their
    whole tree joined (1), the year's targets (1) and realisasi (1) — six, whatever the
    number of indicators.
    """
    opd_id = opd if isinstance(opd, int) else opd.pk
    qs = Indikator.objects.with_tree()
    qs = (
        qs.filter(pk__in=indikator_qs.values("pk"))
        if indikator_qs is not None
        else qs.for_opd(opd_id)
    )
    return rows_for(opd_id, tahun, sorted(qs, key=indicator_order), scale=scale)


def rows_for(
    opd_id: int,
    tahun: int,
    indicators: Sequence[Indikator],
    *,
    scale: engine.Scale | None = None,
) -> list[IndicatorRow]:
    """As :func:`indicator_rows` for indicators already read with their tree (a page that
    shows one indicator has it): the scale (2–3), the targets (1) and the realisasi (1) of the
    year and the year before."""
    if scale is None:
        skala, _method = settings_for_opd(opd_id)
        scale = engine_scale(skala)
    ids = [i.pk for i in indicators]
    # The previous year comes in the same two queries: the plausibility check compares with it.
    years = (tahun - 1, tahun)
    targets = Target.objects.filter(indikator_id__in=ids, tahun__in=years).effective()
    realisasi = _by_period(Realisasi.objects.filter(indikator_id__in=ids, tahun__in=years))
    return _computed(indicators, tahun, scale, targets, realisasi)


def rows_for_opds(tahun: int, by_opd: Mapping[int, Sequence[Indikator]]) -> list[IndicatorRow]:
    """The engine's figures (target, realisasi, capaian, kategori) of the indicators of
    several OPDs at once (an API page crosses OPDs): the chosen scales (2), the default scale
    if an OPD chose none (2), the targets (1) and the realisasi (1) — whatever the number of
    OPDs. Figures only, as :func:`rows_for` computes them: no path and no plausibility checks
    against the year before (which would read a second year and the whole tree), so the
    indicators need no more than their OPD and their own node."""
    chosen = {
        p.opd_id: p
        for p in PengaturanOpd.objects.select_related("skala")
        .prefetch_related(
            Prefetch("skala__band_set", queryset=SkalaBand.objects.order_by("urutan"))
        )
        .filter(opd_id__in=list(by_opd))
    }
    ids = [i.pk for indicators in by_opd.values() for i in indicators]
    targets = Target.objects.filter(indikator_id__in=ids, tahun=tahun).effective()
    realisasi = _by_period(Realisasi.objects.filter(indikator_id__in=ids, tahun=tahun))
    scales: dict[int | None, engine.Scale] = {}
    rows: list[IndicatorRow] = []
    for opd_id, indicators in by_opd.items():
        p = chosen.get(opd_id)
        key = p.skala_id if p is not None else None
        if key not in scales:
            scales[key] = engine_scale(p.skala if p is not None else _default_scale())
        rows += _computed(indicators, tahun, scales[key], targets, realisasi, checks=False)
    return rows


def _by_period(rows: Iterable[Realisasi]) -> dict[tuple[int, int], dict[str, Realisasi]]:
    grouped: dict[tuple[int, int], dict[str, Realisasi]] = defaultdict(dict)
    for r in rows:
        grouped[(r.indikator_id, r.tahun)][r.periode] = r
    return grouped


def _computed(
    indicators: Sequence[Indikator],
    tahun: int,
    scale: engine.Scale,
    targets: dict[tuple[int, int], Target],
    realisasi: dict[tuple[int, int], dict[str, Realisasi]],
    *,
    checks: bool = True,
) -> list[IndicatorRow]:
    rows = []
    for ind in indicators:
        target = targets.get((ind.pk, tahun))
        by_period = realisasi.get((ind.pk, tahun), {})
        annual = by_period.get(Periode.TAHUNAN)
        quarters = tuple(by_period.get(q) for q in QUARTERS)
        result = compute_for(ind, target, annual, quarters, scale)
        reported = annual.capaian_dilaporkan if annual is not None else None
        rows.append(
            IndicatorRow(
                indikator=ind,
                tahun=tahun,
                target=target,
                realisasi=annual,
                quarters=quarters,
                result=result,
                discrepant=engine.is_discrepant(reported, result.capaian),
                unverifiable=engine.is_unverifiable(reported, result.capaian),
                **(_checked(ind, tahun, scale, targets, realisasi, result) if checks else {}),
            )
        )
    return rows


def _checked(
    ind: Indikator,
    tahun: int,
    scale: engine.Scale,
    targets: dict[tuple[int, int], Target],
    realisasi: dict[tuple[int, int], dict[str, Realisasi]],
    result: engine.CapaianResult,
) -> dict[str, Any]:
    """A row's path, its plausibility checks against the year before and its decimals."""
    target = targets.get((ind.pk, tahun))
    by_period = realisasi.get((ind.pk, tahun), {})
    annual = by_period.get(Periode.TAHUNAN)
    quarters = [by_period.get(q) for q in QUARTERS]
    prev_target = targets.get((ind.pk, tahun - 1))
    prev_by_period = realisasi.get((ind.pk, tahun - 1), {})
    previous = (
        compute_for(
            ind,
            prev_target,
            prev_by_period.get(Periode.TAHUNAN),
            tuple(prev_by_period.get(q) for q in QUARTERS),
            scale,
        )
        if prev_by_period
        else None
    )
    return {
        "jalur": ancestors(ind.node),
        "flags": engine.plausibility(
            capaian=result.capaian,
            target=_number(target.engine_value if target is not None else None),
            realisasi=_number(result.realisasi_used),
            previous_target=_number(prev_target.engine_value if prev_target is not None else None),
            previous_realisasi=_number(previous.realisasi_used if previous is not None else None),
            satuan=ind.satuan,
            previous_year=tahun - 1,
        ),
        "places": places_for(
            ind,
            [
                v
                for v in (
                    target.nilai if target is not None else None,
                    annual.nilai if annual is not None else None,
                    *(q.nilai for q in quarters if q is not None),
                )
                if v is not None
            ],
        ),
    }


def _number(value: Decimal | str | None) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def places_for(indikator: Indikator, values: Iterable[Decimal]) -> int:
    """Decimals shown for an indicator's target and realisasi in every table: the declared
    number (``Indikator.desimal``), else inferred from ``values`` (common.numbers)."""
    if indikator.desimal is not None:
        return int(indikator.desimal)
    return infer_places(values, indikator.satuan)


def indicator_order(ind: Indikator) -> tuple[int, ...]:
    """The Renstra order of indicators (:func:`renstra.tree.tree_key`)."""
    return tree_key(ind.node, ind.urutan, ind.pk)


def annotate_capaian(rows: Sequence[Realisasi]) -> None:
    """Set ``computed`` (the engine's result for that indicator-year) on each realisasi row,
    for admin lists: targets, quarters and scales in a fixed number of queries."""
    if not rows:
        return
    ids = {r.indikator_id for r in rows}
    years = {r.tahun for r in rows}
    targets = Target.objects.filter(indikator_id__in=ids, tahun__in=years).effective()
    by_year = {
        key: value for key, value in realisasi_by_year(sorted(ids)).items() if key[1] in years
    }
    scales: dict[int, engine.Scale] = {}
    for r in rows:
        opd_id = r.indikator.periode.opd_id
        if opd_id not in scales:
            skala, _method = settings_for_opd(opd_id)
            scales[opd_id] = engine_scale(skala)
        annual, quarters = by_year.get((r.indikator_id, r.tahun), (None, (None,) * 4))
        r.computed = compute_for(  # type: ignore[attr-defined]
            r.indikator, targets.get((r.indikator_id, r.tahun)), annual, quarters, scales[opd_id]
        )


def budget_nodes(budgets: Iterable[Anggaran]) -> list[engine.BudgetNode]:
    """The year's budget rows for :func:`engine.budget_link`, read with
    ``select_related("program", "kegiatan", "sub_kegiatan__kegiatan")`` (no query here)."""
    nodes = []
    for a in budgets:
        chain: tuple[tuple[str, int], ...]
        if a.sub_kegiatan_id:
            sub = a.sub_kegiatan
            assert sub is not None
            node: Any = sub
            chain = (
                ("sub_kegiatan", sub.pk),
                ("kegiatan", sub.kegiatan_id),
                ("program", sub.kegiatan.program_id),
            )
        elif a.kegiatan_id:
            node = a.kegiatan
            chain = (("kegiatan", node.pk), ("program", node.program_id))
        else:
            node = a.program
            chain = (("program", node.pk),)
        nodes.append(engine.BudgetNode(chain=chain, nama=node.nama, kode=node.kode, pagu=a.pagu))
    return nodes


def measured_nodes(rows: Iterable[IndicatorRow]) -> set[tuple[str, int]]:
    """The plan nodes with at least one indicator among ``rows``."""
    keys = set()
    for r in rows:
        level = r.indikator.level
        if level:
            keys.add((level, int(getattr(r.indikator, f"{level}_id"))))
    return keys


# --- budget absorption per triwulan (SIPD's monthly realisasi) ---------------------------------


@dataclass
class QuarterAbsorption:
    """The penyerapan at the end of each triwulan of an OPD's year, per budget node and for
    the OPD, from the monthly realisasi of its sub-kegiatan (``renstra.AnggaranBulanan``) over
    each node's pagu. A sasaran's is that of the programs serving it, a tujuan's that of its
    sasaran's programs; an indicator's is that of the node it measures."""

    by_node: dict[tuple[str, int], list[Decimal | None]] = field(default_factory=dict)
    opd: list[Decimal | None] = field(default_factory=lambda: [None] * 4)

    def for_indicator(self, indikator: Indikator) -> list[Decimal | None]:
        for level in LEVELS_UP:
            node_id = getattr(indikator, f"{level}_id", None)
            if node_id is not None:
                return self.by_node.get((level, node_id), [None] * 4)
        return [None] * 4

    @property
    def any(self) -> bool:
        return any(v is not None for v in self.opd)


LEVELS_UP = ("sub_kegiatan", "kegiatan", "program", "sasaran", "tujuan")


def quarter_absorption(opd_id: int, tahun: int) -> QuarterAbsorption:
    """Two queries: the year's pagu per node, and the months with their sub-kegiatan's place
    in the tree."""
    months = list(
        AnggaranBulanan.objects.filter(periode__opd_id=opd_id, tahun=tahun).values_list(
            "bulan",
            "realisasi",
            "sub_kegiatan_id",
            "sub_kegiatan__kegiatan_id",
            "sub_kegiatan__kegiatan__program_id",
            "sub_kegiatan__kegiatan__program__sasaran_id",
            "sub_kegiatan__kegiatan__program__sasaran__tujuan_id",
        )
    )
    result = QuarterAbsorption()
    bulanan: dict[tuple[str, int], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    total: dict[int, Decimal] = defaultdict(Decimal)
    for bulan, realisasi, *nodes in months:
        total[bulan] += realisasi
        for level, node_id in zip(LEVELS_UP, nodes, strict=True):
            if node_id is not None:
                bulanan[(level, node_id)][bulan] += realisasi
    pagu: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for sub_id, kegiatan_id, program_id, sasaran_id, tujuan_id, amount in Anggaran.objects.filter(
        periode__opd_id=opd_id, tahun=tahun
    ).values_list(
        "sub_kegiatan_id",
        "kegiatan_id",
        "program_id",
        "program__sasaran_id",
        "program__sasaran__tujuan_id",
        "pagu",
    ):
        if sub_id is not None:
            pagu[("sub_kegiatan", sub_id)] = amount
        elif kegiatan_id is not None:
            pagu[("kegiatan", kegiatan_id)] = amount
        elif program_id is not None:
            pagu[("program", program_id)] = amount
            pagu[("opd", 0)] += amount
            if sasaran_id is not None:
                pagu[("sasaran", sasaran_id)] += amount
                pagu[("tujuan", tujuan_id)] += amount
    result.by_node = {
        key: engine.penyerapan_triwulan(pagu.get(key), spent) for key, spent in bulanan.items()
    }
    result.opd = engine.penyerapan_triwulan(pagu.get(("opd", 0)), total)
    return result


# --- standard output indicators not yet on their sub-kegiatan -----------------------------------


@dataclass(frozen=True)
class KeluaranStandar:
    """A coded sub-kegiatan and the standard output indicator its code carries (Kepmendagri),
    which the node has no indicator of yet."""

    sub_kegiatan: SubKegiatan
    kode: str
    indikator: str
    satuan: str


def keluaran_standar_belum(periode: PeriodeRenstra) -> list[KeluaranStandar]:
    """The Renstra's sub-kegiatan whose code has a standard output indicator the node lacks
    (compared by name, whatever the case and spacing), in code order: three queries whatever
    the size (the coded nodes, their codes' entries, the names of their indicators)."""
    subs = list(SubKegiatan.objects.filter(periode=periode).exclude(kode="").order_by("kode", "pk"))
    entries = {
        e.kode: e
        for e in Nomenklatur.objects.filter(
            tingkat=Tingkat.SUB_KEGIATAN,
            kode__in=SubKegiatan.objects.filter(periode=periode).values("kode"),
        ).exclude(indikator="")
    }
    have: dict[int, set[str]] = defaultdict(set)
    for sub_id, nama in Indikator.objects.filter(
        periode=periode, sub_kegiatan__isnull=False
    ).values_list("sub_kegiatan_id", "nama"):
        have[sub_id].add(keluaran_key(nama))
    found = []
    for sub in subs:
        entry = entries.get(sub.kode)
        if entry is None or not entry.indikator.strip():
            continue
        if keluaran_key(entry.indikator) in have[sub.pk]:
            continue
        indikator = " ".join(entry.indikator.split())
        found.append(KeluaranStandar(sub, entry.kode, indikator, entry.satuan.strip()))
    return found
