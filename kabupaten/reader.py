"""The kabupaten's read side: where every OPD of a Pemda stands in a year, the IKU Pemda with
the OPD indicators that contribute to them, and the pohon kinerja — each in a constant number
of queries whatever the number of OPDs and indicators.

Every figure comes from the one engine (``indicators.engine`` through ``compute_for``), with
each OPD's own scale and aggregate range, exactly as that OPD's dashboard and LAKIP show it.
:func:`compute_pemda` is the one reader of every OPD's figures at once: the dashboard, the
LKjIP Pemda (through :func:`kabupaten_data`) and the pohon kinerja all read through it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.utils import timezone

from common.numbers import format_number, format_percent
from indicators import engine
from indicators.models import (
    QUARTERS,
    Indikator,
    JenisTarget,
    PengaturanOpd,
    Periode,
    Realisasi,
    SkalaBand,
    Target,
    effective_targets,
)
from indicators.selectors import (
    _default_scale,
    compute_for,
    engine_scale,
    iku_of_year,
    indicator_order,
)
from renstra.models import (
    JenisOpd,
    Kegiatan,
    Opd,
    Pemda,
    PeriodeRenstra,
    Program,
    Sasaran,
    StatusTautan,
    SubKegiatan,
    TautanRpjmd,
)
from renstra.versions import cache_key, for_pemda, kept
from reporting.models import LakipVersi

from . import pohon_layout


def due_date(pemda: Pemda, tahun: int, *, of_pemda: bool = False) -> datetime.date:
    """When the report of ``tahun`` is due: the year after, on the Pemda's set day."""
    if of_pemda:
        return datetime.date(tahun + 1, pemda.tenggat_pemda_bulan, pemda.tenggat_pemda_hari)
    return datetime.date(tahun + 1, pemda.tenggat_opd_bulan, pemda.tenggat_opd_hari)


@dataclass
class Computed:
    indikator: Indikator
    target: Target | None
    result: engine.CapaianResult
    flags: tuple[engine.PlausibilityFlag, ...]
    discrepant: bool


@dataclass
class OpdLine:
    opd: Opd
    n_indikator: int
    n_realisasi: int
    pk: bool
    final: dict[str, object] | None
    due: datetime.date
    late: bool
    summary: engine.AggregateResult
    n_flags: int
    n_discrepant: int
    # Enough IKU have data for the kategori to be the year's verdict (engine.headline_complete).
    complete: bool = True

    @property
    def completeness(self) -> int:
        return round(self.n_realisasi * 100 / self.n_indikator) if self.n_indikator else 0

    @property
    def bar(self) -> int:
        mean = self.summary.mean
        if mean is None:
            return 0
        return int(max(Decimal(0), min(Decimal(100), mean / Decimal("1.2"))).to_integral_value())


@dataclass
class Contribution:
    """An OPD indicator contributing to an IKU Pemda: only what is shown (the dashboard's
    figures are cached; a whole indicator row per contribution would make them heavy)."""

    opd: Opd
    nama: str
    capaian: Decimal | None
    kategori: str | None


@dataclass
class IkuPemdaLine:
    row: Computed
    sasaran_nama: str
    contributions: list[Contribution] = field(default_factory=list)


@dataclass
class Supporting:
    """An OPD sasaran (or program) supporting an RPJMD sasaran: its own indicators' bounded
    mean, with the OPD's own range and scale."""

    opd: Opd
    nama: str
    summary: engine.AggregateResult
    # The link's ground, shown beside it: why this supports that (see TautanRpjmd.dasar).
    dasar: str = ""


@dataclass
class SasaranRpjmdLine:
    nama: str
    iku: list[IkuPemdaLine]
    supporting: list[Supporting]


@dataclass
class Kabupaten:
    pemda: Pemda
    tahun: int
    opds: list[OpdLine]
    iku: list[IkuPemdaLine]
    rpjmd: PeriodeRenstra | None
    due_pemda: datetime.date
    pemda_final: dict[str, object] | None
    links_pending: int
    sasaran_rpjmd: list[SasaranRpjmdLine] = field(default_factory=list)
    # What the page may key a cached rendering on: the computed figures' key with what was
    # read live (final versions, proposals waiting, the day); "" when the cache is off.
    cache_key: str = ""


# Per OPD: scale, aggregate range, IKU with data before a kategori (None: all).
Settings = dict[int, tuple[engine.Scale, engine.Bounds, int | None]]


def _settings(opd_ids: list[int]) -> Settings:
    """Each OPD's scale and aggregate range (3 queries for all OPDs; 2 more for the default
    scale, shared by the OPDs that chose none)."""
    pengaturan = PengaturanOpd.objects.select_related("skala").prefetch_related(
        Prefetch("skala__band_set", queryset=SkalaBand.objects.order_by("urutan"))
    )
    chosen = {p.opd_id: p for p in pengaturan.filter(opd_id__in=opd_ids)}
    default = _default_scale()
    default_scale = engine_scale(default)
    scales: dict[int, engine.Scale] = {}
    out: Settings = {}
    for opd_id in opd_ids:
        p = chosen.get(opd_id)
        if p is None:
            out[opd_id] = (default_scale, engine.DEFAULT_AGGREGATE_BOUNDS, None)
            continue
        if p.skala_id not in scales:
            scales[p.skala_id] = engine_scale(p.skala)
        out[opd_id] = (scales[p.skala_id], p.aggregate_bounds, p.agregat_minimal_iku)
    return out


def _number(value: Decimal | str | None) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


_LEVELS = ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")


def _order(ind: Indikator) -> tuple[int, int, int, int, int]:
    """OPD, level, the sasaran's or program's place, the indicator's own place: the Renstra
    order as far as the figures need it (the tree pages sort their nodes themselves)."""
    level = _LEVELS.index(ind.level or "tujuan")
    node = ind.sasaran if ind.sasaran_id else ind.program if ind.program_id else None
    return (ind.periode.opd_id, level, node.urutan if node else 0, ind.urutan, ind.pk)


def compute_pemda(
    pemda: Pemda, tahun: int, opds: list[Opd] | None = None
) -> tuple[list[Opd], dict[int, list[Computed]], Settings]:
    """Every indicator of every OPD of the Pemda (plan unit included) whose Renstra period
    covers ``tahun``, computed for that year. Queries: OPDs (1, unless given), settings and
    scales (4), indicators (1), targets (1), realisasi (1)."""
    if opds is None:
        opds = list(Opd.objects.filter(pemda=pemda).order_by("nama"))
    settings = _settings([o.pk for o in opds])
    # Only the joins the figures need (not the whole tree of ``with_tree``): building 8 000
    # indicators with fourteen related rows each is most of the time at a kabupaten's size.
    indicators = list(
        Indikator.objects.select_related("periode", "sasaran", "program").filter(
            periode__opd__pemda=pemda,
            periode__tahun_awal__lte=tahun,
            periode__tahun_akhir__gte=tahun,
        )
    )
    indicators.sort(key=_order)
    years = (tahun - 1, tahun)
    # Filtered by the Pemda, not by a list of ids: 40 OPDs × 200 indicators would exceed the
    # bound-parameter limit of SQLite.
    of_pemda = {
        "indikator__periode__opd__pemda": pemda,
        "indikator__periode__tahun_awal__lte": tahun,
        "indikator__periode__tahun_akhir__gte": tahun,
        "tahun__in": years,
    }
    targets = effective_targets(
        Target.objects.filter(**of_pemda).only(
            "indikator_id", "tahun", "jenis", "nilai", "nilai_teks"
        )
    )
    realisasi: dict[tuple[int, int], dict[str, Realisasi]] = defaultdict(dict)
    for r in Realisasi.objects.filter(**of_pemda).only(
        "indikator_id",
        "tahun",
        "periode",
        "nilai",
        "nilai_teks",
        "capaian_dilaporkan",
        "tidak_tersedia",
        "alasan_tidak_tersedia",
    ):
        realisasi[(r.indikator_id, r.tahun)][r.periode] = r
    by_opd: dict[int, list[Computed]] = defaultdict(list)
    for ind in indicators:
        opd_id = ind.periode.opd_id
        scale, _bounds, _min = settings[opd_id]
        target = targets.get((ind.pk, tahun))
        periods = realisasi.get((ind.pk, tahun), {})
        annual = periods.get(Periode.TAHUNAN)
        result = compute_for(ind, target, annual, tuple(periods.get(q) for q in QUARTERS), scale)
        prev = realisasi.get((ind.pk, tahun - 1), {})
        prev_target = targets.get((ind.pk, tahun - 1))
        prev_annual = prev.get(Periode.TAHUNAN)
        flags = engine.plausibility(
            capaian=result.capaian,
            target=_number(target.engine_value if target is not None else None),
            realisasi=_number(result.realisasi_used),
            previous_target=_number(prev_target.engine_value if prev_target else None),
            previous_realisasi=_number(prev_annual.engine_value if prev_annual else None),
            satuan=ind.satuan,
            previous_year=tahun - 1,
        )
        reported = annual.capaian_dilaporkan if annual is not None else None
        by_opd[opd_id].append(
            Computed(ind, target, result, flags, engine.is_discrepant(reported, result.capaian))
        )
    return opds, by_opd, settings


def kabupaten_data(pemda: Pemda, tahun: int, today: datetime.date | None = None) -> Kabupaten:
    """The kabupaten dashboard, kept for ``KINERJA_KABUPATEN_CACHE_SECONDS`` in the pages cache
    under the Pemda, year, day and the Pemda's version (``renstra.versions``: raised after
    every write in one of its OPDs — the plan, a final LAKIP, a link — and by an OPD added or
    moved, so a write shows at once and a write in another Pemda changes nothing). A kept
    dashboard costs no query beyond the versions the request read with who is asking. On a
    miss one process computes it (the others wait): the OPDs (1), the seven of
    :func:`compute_pemda`, the accepted links (1) and the RPJMD sasaran (1), the final LAKIP
    versions (1, no file bytes) and the proposals waiting (1)."""
    today = today or datetime.date.today()
    seconds = int(getattr(django_settings, "KINERJA_KABUPATEN_CACHE_SECONDS", 0))
    if seconds <= 0:
        return _assembled(pemda, tahun, today, "")
    version = for_pemda(pemda.pk)
    key = cache_key("kinerja:kabupaten", pemda.pk, tahun, today.isoformat(), version)
    data: Kabupaten = kept(
        ("kabupaten", pemda.pk, tahun, today.isoformat()),
        lambda: _assembled(pemda, tahun, today, key),
        version,
        timeout=seconds,
    )
    return data


def _assembled(pemda: Pemda, tahun: int, today: datetime.date, key: str) -> Kabupaten:
    opds = list(Opd.objects.filter(pemda=pemda).order_by("nama"))
    data = _computed(pemda, tahun, opds)
    finals: dict[int, dict[str, object]] = {}
    for v in (
        LakipVersi.objects.filter(opd__pemda=pemda, tahun=tahun)
        .order_by("opd_id", "nomor")
        .values("opd_id", "nomor", "dibuat_pada", "sha256_pdf")
    ):
        finals[int(v["opd_id"])] = dict(v)  # the highest nomor wins
    pending = TautanRpjmd.objects.filter(
        status=StatusTautan.DIAJUKAN, sasaran_rpjmd__periode__opd__pemda=pemda
    ).count()
    lines = [
        dataclasses.replace(
            line,
            final=finals.get(line.opd.pk),
            # An OPD with nothing to report for the year (created since, no Renstra covering
            # it) is not late: it owes no LAKIP of that year.
            late=line.opd.pk not in finals and today > line.due and line.n_indikator > 0,
        )
        for line in data.opds
    ]
    unit_id = next((o.pk for o in opds if o.jenis == JenisOpd.PEMDA), None)
    return dataclasses.replace(
        data,
        opds=lines,
        pemda_final=finals.get(unit_id) if unit_id is not None else None,
        links_pending=pending,
        cache_key=key,
    )


def _computed(pemda: Pemda, tahun: int, opds: list[Opd]) -> Kabupaten:
    """Everything of the dashboard the engine computes (nothing finalised or waiting)."""
    opds, by_opd, settings = compute_pemda(pemda, tahun, opds)
    links = list(
        TautanRpjmd.objects.filter(
            status=StatusTautan.DITERIMA, sasaran_rpjmd__periode__opd__pemda=pemda
        ).values(
            "sasaran_id",
            "program_id",
            "sasaran_rpjmd_id",
            "sasaran__nama",
            "program__nama",
            "sasaran__periode__opd_id",
            "program__periode__opd_id",
            "dasar",
        )
    )
    rpjmd_sasaran = list(
        Sasaran.objects.filter(
            periode__opd__pemda=pemda,
            periode__opd__jenis=JenisOpd.PEMDA,
            periode__tahun_awal__lte=tahun,
            periode__tahun_akhir__gte=tahun,
        )
        .select_related("periode")
        .order_by("tujuan__urutan", "urutan", "id")
    )
    due = due_date(pemda, tahun)
    lines: list[OpdLine] = []
    unit: Opd | None = None
    opd_by_id = {o.pk: o for o in opds}
    for opd in opds:
        if opd.jenis == JenisOpd.PEMDA:
            unit = opd
            continue
        rows = by_opd.get(opd.pk, [])
        scale, bounds, min_iku = settings[opd.pk]
        iku = [r.result for r in iku_of_year(rows)]
        summary = engine.aggregate(iku, scale, bounds)
        lines.append(
            OpdLine(
                opd=opd,
                n_indikator=len(rows),
                n_realisasi=sum(
                    1 for r in rows if r.result.realisasi_used is not None or r.result.unavailable
                ),
                pk=any(
                    r.target is not None
                    and r.target.jenis in (JenisTarget.PK, JenisTarget.PK_PERUBAHAN)
                    for r in rows
                ),
                final=None,
                due=due,
                late=False,
                summary=summary,
                n_flags=sum(1 for r in rows if r.flags),
                n_discrepant=sum(1 for r in rows if r.discrepant),
                complete=engine.headline_complete(summary, min_iku),
            )
        )
    # Which OPD indicators contribute to which RPJMD sasaran: those of an accepted linked
    # sasaran, and of an accepted linked program (and of the programs of a linked sasaran).
    by_target_sasaran: dict[int, set[int]] = defaultdict(set)
    by_target_program: dict[int, set[int]] = defaultdict(set)
    for link in links:
        if link["sasaran_id"]:
            by_target_sasaran[int(link["sasaran_rpjmd_id"])].add(int(link["sasaran_id"]))
        else:
            by_target_program[int(link["sasaran_rpjmd_id"])].add(int(link["program_id"]))
    iku_lines: list[IkuPemdaLine] = []
    rpjmd: PeriodeRenstra | None = None
    if unit is not None:
        opd_rows = [r for o in opds if o.jenis == JenisOpd.OPD for r in by_opd.get(o.pk, [])]
        for row in by_opd.get(unit.pk, []):
            rpjmd = row.indikator.periode
            if row.indikator.sasaran_id is None:
                continue
            target_id = row.indikator.sasaran_id
            sasaran_ids = by_target_sasaran.get(target_id, set())
            program_ids = by_target_program.get(target_id, set())
            line = IkuPemdaLine(row=row, sasaran_nama=row.indikator.sasaran.nama)
            for r in opd_rows:
                ind = r.indikator
                # An indicator of the linked sasaran, of a linked program, or of a program
                # of the linked sasaran.
                reached = {ind.sasaran_id} & sasaran_ids or {ind.program_id} & program_ids
                if not reached and ind.program is not None:
                    reached = {ind.program.sasaran_id} & sasaran_ids
                if reached:
                    line.contributions.append(
                        Contribution(
                            opd_by_id[ind.periode.opd_id],
                            ind.nama,
                            r.result.capaian,
                            r.result.kategori,
                        )
                    )
            iku_lines.append(line)
    # Each RPJMD sasaran with its IKU Pemda and the OPD sasaran/programs supporting it.
    own_rows: dict[tuple[str, int], list[engine.CapaianResult]] = defaultdict(list)
    for rows in by_opd.values():
        for r in rows:
            if r.indikator.sasaran_id:
                own_rows[("sasaran", r.indikator.sasaran_id)].append(r.result)
            elif r.indikator.program_id:
                own_rows[("program", r.indikator.program_id)].append(r.result)
    sasaran_lines = []
    for target in rpjmd_sasaran:
        supporting = []
        for link in links:
            if link["sasaran_rpjmd_id"] != target.pk:
                continue
            if link["sasaran_id"]:
                level, node_id, nama = "sasaran", link["sasaran_id"], link["sasaran__nama"]
                opd_id = link["sasaran__periode__opd_id"]
            else:
                level, node_id, nama = "program", link["program_id"], link["program__nama"]
                opd_id = link["program__periode__opd_id"]
            if opd_id not in opd_by_id:
                continue
            scale, bounds, _min = settings[opd_id]
            supporting.append(
                Supporting(
                    opd=opd_by_id[opd_id],
                    nama=str(nama),
                    summary=engine.aggregate(own_rows[(level, int(node_id))], scale, bounds),
                    dasar=str(link["dasar"] or ""),
                )
            )
        sasaran_lines.append(
            SasaranRpjmdLine(
                nama=target.nama,
                iku=[line for line in iku_lines if line.row.indikator.sasaran_id == target.pk],
                supporting=supporting,
            )
        )
    if rpjmd is None and rpjmd_sasaran:
        rpjmd = rpjmd_sasaran[0].periode
    return Kabupaten(
        pemda=pemda,
        tahun=tahun,
        opds=lines,
        iku=iku_lines,
        rpjmd=rpjmd,
        due_pemda=due_date(pemda, tahun, of_pemda=True),
        pemda_final=None,
        links_pending=0,
        sasaran_rpjmd=sasaran_lines,
    )


SORTS = {
    "nama": lambda line: line.opd.nama.casefold(),
    "capaian": lambda line: (line.summary.mean is None, -(line.summary.mean or 0)),
    "kelengkapan": lambda line: -line.completeness,
    "periksa": lambda line: -line.n_flags,
}


def sort_lines(lines: list[OpdLine], key: str) -> list[OpdLine]:
    return sorted(lines, key=SORTS.get(key, SORTS["capaian"]))


LEVEL_LABELS = {
    "sasaran_rpjmd": "Sasaran RPJMD",
    "sasaran": "Sasaran OPD",
    "program": "Program",
    "kegiatan": "Kegiatan",
    "sub_kegiatan": "Sub-kegiatan",
}


@dataclass
class IndicatorLine:
    """One indicator of a tree node as read: a missing target or realisasi says so in words
    (the page used to print "target , realisasi –")."""

    nama: str
    target: str
    realisasi: str
    capaian: str
    kategori: str | None

    def __str__(self) -> str:
        capaian = f", capaian {self.capaian}" if self.capaian else ""
        return f"{self.nama}: {self.target}, {self.realisasi}{capaian}"


def _value_text(value: Decimal | str | None, satuan: str) -> str:
    if value is None or value == "":
        return ""
    text = value if isinstance(value, str) else format_number(value)
    return f"{text} {satuan}".strip() if not isinstance(value, str) else text


def indicator_line(row: Computed) -> IndicatorLine:
    ind, result = row.indikator, row.result
    target = _value_text(row.target.engine_value if row.target else None, ind.satuan)
    realisasi = _value_text(result.realisasi_used, ind.satuan)
    if realisasi:
        said = f"realisasi {realisasi}"
    else:
        # "realisasi tidak tersedia: <alasan>" — stated, not missing.
        said = (result.reason or "") if result.unavailable else "belum ada realisasi"
    return IndicatorLine(
        nama=ind.nama,
        target=f"target {target}" if target else "belum ada target",
        realisasi=said,
        capaian=format_percent(result.capaian) if result.capaian is not None else "",
        kategori=result.kategori,
    )


@dataclass
class TreeNode:
    """One node of the pohon kinerja with its indicators computed and its children; an OPD
    node hung on an RPJMD sasaran carries its cascading ``link`` (who proposed and decided
    it, when, on what ground). ``terbuka``: shown open on the page."""

    level: str
    nama: str
    kode: str = ""
    opd: Opd | None = None
    status: str = ""
    rows: list[Computed] = field(default_factory=list)
    children: list[TreeNode] = field(default_factory=list)
    link: TautanRpjmd | None = None
    terbuka: bool = False

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def summary(self) -> engine.AggregateResult:
        return engine.aggregate(
            [r.result for r in self.rows], bounds=engine.DEFAULT_AGGREGATE_BOUNDS
        )

    @property
    def lines(self) -> list[IndicatorLine]:
        return [indicator_line(r) for r in self.rows]

    @property
    def children_text(self) -> str:
        """What opening the box shows: "4 Sasaran OPD", "12 Sub-kegiatan"."""
        labels = {child.label for child in self.children}
        return f"{len(self.children)} " + (labels.pop() if len(labels) == 1 else "tautan")

    @property
    def link_who(self) -> str:
        return link_text(self.link, with_ground=False) if self.link is not None else ""

    @property
    def size(self) -> int:
        """This node and everything under it."""
        return 1 + sum(child.size for child in self.children)


def link_text(link: TautanRpjmd, *, with_ground: bool = True) -> str:
    """Who proposed and who decided a cascading link, when, and its ground, in one line (the
    print carries it under the box). A link written by a command (the seed) has no user:
    "sistem"."""
    parts = [f"Diajukan {_by(link.diajukan_oleh, link.diajukan_pada)}"]
    if link.status == StatusTautan.DIAJUKAN:
        parts.append("menunggu keputusan Bappeda")
    else:
        parts.append(
            f"{link.get_status_display()} {_by(link.diputuskan_oleh, link.diputuskan_pada)}"
        )
    if link.dasar and with_ground:
        parts.append(f"Dasar: {link.dasar}")
    return "; ".join(parts)


def _by(user: User | None, moment: datetime.datetime | None) -> str:
    who = (user.get_full_name() or user.username) if user is not None else "sistem"
    return f"oleh {who}" + (f", {_date(moment)}" if moment else "")


def _date(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%d-%m-%Y}" if moment else ""


def pohon_boxes(tree: list[TreeNode]) -> list[pohon_layout.Box]:
    """The tree as the print draws it, every level shown."""

    def box(node: TreeNode) -> pohon_layout.Box:
        heading = " ".join(filter(None, [node.kode, node.nama]))
        label = node.label + (f" · {node.opd.singkatan or node.opd.kode}" if node.opd else "")
        summary = node.summary
        lines = [f"• {line}" for line in node.lines]
        if node.link is not None:
            lines.append(link_text(node.link))
        return pohon_layout.Box(
            label=label,
            heading=heading,
            lines=tuple(lines),
            capaian=(
                f"Capaian {format_percent(summary.mean)}"
                + (f" ({summary.kategori})" if summary.kategori else "")
                if summary.mean is not None
                else ""
            ),
            kategori=summary.kategori,
            children=tuple(box(child) for child in node.children),
        )

    return [box(node) for node in tree]


def pohon_kinerja(
    pemda: Pemda, tahun: int, opd_kode: str | None = None, *, buka_semua: bool = False
) -> list[TreeNode]:
    """RPJMD sasaran → the OPD sasaran linked to it → program → kegiatan → sub-kegiatan, each
    with its indicators and capaian; ``opd_kode`` keeps one OPD's branches. Only the RPJMD
    sasaran are open (two levels shown) unless ``buka_semua``: a kabupaten's full tree is
    hundreds of boxes. Queries: the eight of :func:`compute_pemda`, the RPJMD sasaran (1), the
    links with who proposed and decided them (1), the OPDs' programs, kegiatan and
    sub-kegiatan (3) — thirteen, whatever the size of the tree."""
    _opds, by_opd, _settings = compute_pemda(pemda, tahun)
    rows_by_node: dict[tuple[str, int], list[Computed]] = defaultdict(list)
    for rows in by_opd.values():
        for r in rows:
            ind = r.indikator
            for level in ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"):
                node_id = getattr(ind, f"{level}_id")
                if node_id:
                    rows_by_node[(level, node_id)].append(r)
    rpjmd_sasaran = list(
        Sasaran.objects.filter(
            periode__opd__pemda=pemda,
            periode__opd__jenis=JenisOpd.PEMDA,
            periode__tahun_awal__lte=tahun,
            periode__tahun_akhir__gte=tahun,
        ).order_by("tujuan__urutan", "urutan", "id")
    )
    links = list(
        TautanRpjmd.objects.filter(sasaran_rpjmd__in=[s.pk for s in rpjmd_sasaran])
        .exclude(status=StatusTautan.DITOLAK)
        .select_related(
            "sasaran__periode__opd", "program__periode__opd", "diajukan_oleh", "diputuskan_oleh"
        )
        .order_by("id")
    )
    if opd_kode:
        links = [link for link in links if link.node.periode.opd.kode == opd_kode]
    sasaran_ids = [link.sasaran_id for link in links if link.sasaran_id]
    programs = list(
        Program.objects.filter(**{"sasaran_id__in": sasaran_ids}).order_by("urutan", "id")
    ) + [link.program for link in links if link.program is not None]
    program_ids = [p.pk for p in programs]
    kegiatan = list(Kegiatan.objects.filter(program_id__in=program_ids).order_by("urutan", "id"))
    subs = list(
        SubKegiatan.objects.filter(kegiatan_id__in=[k.pk for k in kegiatan]).order_by(
            "urutan", "id"
        )
    )
    subs_of: dict[int, list[SubKegiatan]] = defaultdict(list)
    for sub in subs:
        subs_of[sub.kegiatan_id].append(sub)
    kegiatan_of: dict[int, list[Kegiatan]] = defaultdict(list)
    for k in kegiatan:
        kegiatan_of[k.program_id].append(k)
    programs_of: dict[int, list[Program]] = defaultdict(list)
    for p in programs:
        if p.sasaran_id:
            programs_of[p.sasaran_id].append(p)

    def program_node(
        p: Program, opd: Opd | None = None, status: str = "", link: TautanRpjmd | None = None
    ) -> TreeNode:
        return TreeNode(
            "program",
            p.nama,
            p.kode,
            opd=opd,
            status=status,
            link=link,
            terbuka=buka_semua,
            rows=rows_by_node[("program", p.pk)],
            children=[
                TreeNode(
                    "kegiatan",
                    k.nama,
                    k.kode,
                    terbuka=buka_semua,
                    rows=rows_by_node[("kegiatan", k.pk)],
                    children=[
                        TreeNode(
                            "sub_kegiatan",
                            s.nama,
                            s.kode,
                            rows=rows_by_node[("sub_kegiatan", s.pk)],
                        )
                        for s in subs_of[k.pk]
                    ],
                )
                for k in kegiatan_of[p.pk]
            ],
        )

    tree: list[TreeNode] = []
    for target in rpjmd_sasaran:
        node = TreeNode(
            "sasaran_rpjmd", target.nama, rows=rows_by_node[("sasaran", target.pk)], terbuka=True
        )
        for link in links:
            if link.sasaran_rpjmd_id != target.pk:
                continue
            status = link.get_status_display()
            if link.sasaran_id:
                s = link.sasaran
                node.children.append(
                    TreeNode(
                        "sasaran",
                        s.nama,
                        opd=s.periode.opd,
                        status=status,
                        link=link,
                        terbuka=buka_semua,
                        rows=rows_by_node[("sasaran", s.pk)],
                        children=[program_node(p) for p in programs_of[s.pk]],
                    )
                )
            elif link.program is not None:
                node.children.append(
                    program_node(link.program, link.program.periode.opd, status, link)
                )
        tree.append(node)
    return tree


@dataclass
class Unreported:
    """The indicators of one OPD bidang with no realisasi of a triwulan yet."""

    opd: Opd
    bidang: str
    bidang_id: int | None
    indicators: list[Indikator]


def unreported(pemda: Pemda, tahun: int, triwulan: int) -> list[Unreported]:
    """Who has not reported triwulan ``triwulan`` of ``tahun``: quarterly indicators of the
    Pemda's OPDs (plan unit excluded) with neither that quarter's realisasi nor an annual one.
    Queries: indicators with their tree (1), the realisasi that answer (1)."""
    from indicators.models import Frekuensi

    quarter = QUARTERS[triwulan - 1]
    indicators = list(
        Indikator.objects.with_tree().filter(
            periode__opd__pemda=pemda,
            periode__opd__jenis=JenisOpd.OPD,
            periode__tahun_awal__lte=tahun,
            periode__tahun_akhir__gte=tahun,
            frekuensi=Frekuensi.TRIWULANAN,
        )
    )
    answered = set(
        Realisasi.objects.filter(
            indikator__periode__opd__pemda=pemda,
            tahun=tahun,
            periode__in=[quarter, Periode.TAHUNAN],
        ).values_list("indikator_id", flat=True)
    )
    groups: dict[tuple[int, int | None], Unreported] = {}
    for ind in sorted(indicators, key=lambda i: (i.periode.opd.nama, indicator_order(i))):
        if ind.pk in answered:
            continue
        bidang = ind.effective_bidang
        key = (ind.periode.opd_id, bidang.pk if bidang else None)
        if key not in groups:
            groups[key] = Unreported(
                ind.periode.opd, bidang.nama if bidang else "(tanpa bidang)", key[1], []
            )
        groups[key].indicators.append(ind)
    return list(groups.values())
