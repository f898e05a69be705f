"""The built LAKIP's data: what ``reporting.builder`` assembles and every layout reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from common.numbers import round2
from indicators import engine
from indicators.models import (
    NOT_AVAILABLE,
    DataPendukung,
    Indikator,
    Pembanding,
    Realisasi,
    Target,
)
from indicators.provenance import Provenance
from indicators.rencana_aksi import QuarterRow
from indicators.selectors import IndicatorRow
from renstra.models import Anggaran, Kegiatan, Opd, PeriodeRenstra, Program, Sasaran, SubKegiatan

from .figures import Contradiction, Figures


@dataclass
class TargetSeries:
    """One row of Tabel 2.1 / 2.2: a tujuan or sasaran indicator with its Renstra target per
    year (the PK restates a year's target in Tabel 2.4; it never replaces the plan's)."""

    no: int
    node: str
    indikator: Indikator
    targets: dict[int, Target | None]
    target_list: list[Target | None] = field(default_factory=list)  # in the period's year order
    places: int = 2


@dataclass(frozen=True)
class PkTarget:
    """One row of Tabel 2.4: the year's PK target and, when revised, the PK Perubahan."""

    row: IndicatorRow
    pk: Target | None
    pk_perubahan: Target | None


@dataclass(frozen=True)
class PrintedCheck:
    """A figure the source document printed beside the one the engine computes from the data:
    the capaian against the end-of-Renstra target (Tabel 3.12/3.14), a Tabel 3.41 efficiency."""

    tabel: str
    nama: str
    reported: Decimal
    computed: Decimal | None
    discrepant: bool

    @property
    def diff(self) -> Decimal | None:
        # Against the figure the reader sees beside it (rounded), as for a printed capaian.
        return self.reported - round2(self.computed) if self.computed is not None else None


@dataclass(frozen=True)
class PrintedStatement:
    """One printed kategori, count sentence or figure beside what the data give."""

    jenis: str
    bagian: str  # where it is printed ("Ikhtisar Eksekutif", "Tabel 3.1")
    pokok: str  # what it is about (an indicator, a node, "IKU", "Total")
    tercetak: str  # as printed
    hasil_hitung: str  # the computed counterpart, as the report shows it ("" when none)
    sumber: str  # seed line(s)
    agrees: bool
    keterangan: str = ""


@dataclass(frozen=True)
class PkBudgetLine:
    """One sasaran of the PK budget against the pagu of its programs (Tabel 3.31)."""

    sasaran: Sasaran
    pk: Decimal | None
    pagu_program: Decimal
    note: str

    @property
    def diff(self) -> Decimal | None:
        return self.pk - self.pagu_program if self.pk is not None else None


@dataclass(frozen=True)
class PkBudgetReconciliation:
    lines: list[PkBudgetLine]
    total_pk: Decimal
    total_program: Decimal  # pagu of every program that supports a sasaran
    outside_sasaran: list[tuple[str, Decimal]]  # programs of no sasaran (e.g. the secretariat)
    outside_pk: list[tuple[str, Decimal]]  # programs of a sasaran in no PK row
    summary: str


@dataclass
class YearPoint:
    tahun: int
    target: Target | None
    realisasi: Realisasi | None
    result: engine.CapaianResult

    @property
    def realisasi_shown(self) -> Decimal | str | None:
        """The realisasi cell: the value, or "tidak tersedia" when stated so."""
        return NOT_AVAILABLE if self.result.unavailable else self.result.realisasi_used

    @property
    def keterangan(self) -> str:
        """The kategori column: the kategori, else why there is none when the realisasi is
        not available ("realisasi tidak tersedia: data BPS belum rilis"), else "–"."""
        if self.result.kategori:
            return self.result.kategori
        return self.result.reason or "–" if self.result.unavailable else "–"


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
    summary: engine.AggregateResult | None = None
    narasi_raw: str = ""
    # Indicator id → where its realisasi came from, when computed from components.
    provenance: dict[int, Provenance] = field(default_factory=dict)
    # The budget behind the sasaran: its programs' pagu and realisasi, against its capaian.
    budget: SasaranBudget | None = None


@dataclass(frozen=True)
class SasaranBudget:
    pagu: Decimal
    realisasi: Decimal | None
    penyerapan: Decimal | None
    efisiensi: engine.EfficiencyResult


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
    bounds: engine.Bounds | None = None
    aggregate_rule: str = ""
    pk_targets: list[PkTarget] = field(default_factory=list)
    pk_reconciliation: PkBudgetReconciliation | None = None
    printed_checks: list[PrintedCheck] = field(default_factory=list)
    flagged: list[IndicatorRow] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    # Kategori, count sentences, totals and penyerapan the source printed (reporting.printed),
    # each beside its computed counterpart; Catatan Verifikasi lists those that disagree.
    printed_statements: list[PrintedStatement] = field(default_factory=list)
    unknown_placeholders: list[str] = field(default_factory=list)
    narasi_raw: dict[str, str] = field(default_factory=dict)
    provenance: dict[int, Provenance] = field(default_factory=dict)
    # Rencana aksi: the IKU with a quarterly target or realisasi, per triwulan.
    rencana_aksi: list[QuarterRow] = field(default_factory=list)
    row_by_id: dict[int, IndicatorRow] = field(default_factory=dict)
    figures: dict[int, Figures] = field(default_factory=dict)
    sign_place: str = ""
    sign_date: date | None = None
    # The LKjIP Pemda's own chapter (kabupaten.lkjip through reporting.pemda_chapter), for the
    # plan unit of a Pemda only.
    kabupaten: Any = None
    # The pagu that serves an indicator of the plan, and the rows that serve none.
    budget_link: engine.BudgetLink | None = None
    # The report as blocks (reporting.chapters.document_of lays it out once, on first use).
    document: Any = None

    @property
    def years(self) -> range:
        return self.periode.years

    @property
    def n_sasaran(self) -> int:
        return len(self.sections)

    @property
    def total_pk_budget(self) -> Decimal:
        return sum((amount for _s, amount in self.pk_budget), Decimal(0))
