"""Importing SIPD's DPA and realisasi into one OPD's budget of one year.

The file (read by :mod:`intake.sipd`) is planned against the OPD's tree: each sub-kegiatan,
kegiatan and program is found by its code, by its name where the tree has no code yet (the
code is then attached), or created from the nomenclature when the user asks for it. The pagu
(perubahan and murni) of a sub-kegiatan is its DPA rows' sum, rolled up to its kegiatan and
program; its realisasi is the sum of its documents, per month and for the year. The plan is
shown as a preview (old → new per node, with totals) and written in one transaction through
the budget's batch service (``renstra.services.anggaran_batch_save``: permission, year lock,
period). Any bad row stops the whole file: nothing is saved.

The number of queries is fixed per file: the tree, its budgets and months, the nomenclature
and the locks are each read once.
"""

from __future__ import annotations

import copy
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

# Names compared as the nomenclature matcher compares them (case, punctuation, known typos).
from nomenklatur.matcher import fold as fold_name
from nomenklatur.models import Nomenklatur
from renstra.door import Actor, Locks
from renstra.models import (
    BULAN,
    Anggaran,
    AnggaranBulanan,
    Kegiatan,
    Level,
    Node,
    Opd,
    PeriodeRenstra,
    Program,
    SubKegiatan,
)
from renstra.services import BudgetBatch, anggaran_batch_check, anggaran_batch_save

from .sipd import DpaRow, Problem, RealisasiRow, SipdFile

ZERO = Decimal(0)
SUMBER = "SIPD"
LEVEL_OF: dict[type[Node], Level] = {
    Program: Level.PROGRAM,
    Kegiatan: Level.KEGIATAN,
    SubKegiatan: Level.SUB_KEGIATAN,
}


# --- the plan ---------------------------------------------------------------------------------


@dataclass
class Line:
    """One node of the preview: its budget before and after the import."""

    tingkat: str
    kode: str
    nama: str
    status: str  # "" (found by code), "kode dipasang" (found by name), "baru"
    pagu: tuple[Decimal | None, Decimal | None]
    pagu_murni: tuple[Decimal | None, Decimal | None]
    realisasi: tuple[Decimal | None, Decimal | None]

    @property
    def cells(self) -> tuple[tuple[Decimal | None, Decimal | None], ...]:
        return (self.pagu, self.pagu_murni, self.realisasi)

    @property
    def changed(self) -> bool:
        return bool(self.status) or any(
            old != new for old, new in (self.pagu, self.pagu_murni, self.realisasi)
        )


@dataclass
class SipdPlan:
    opd: Opd
    tahun: int
    lines: list[Line] = field(default_factory=list)
    # Per month: the OPD's realisasi before and after (the sub-kegiatan the file gives).
    months: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    batch: BudgetBatch | None = None
    saved: bool = False

    @property
    def changed_lines(self) -> list[Line]:
        return [line for line in self.lines if line.changed]

    @property
    def unchanged(self) -> bool:
        return not self.problems and (self.batch is None or self.batch.empty)

    def total(self, name: str, index: int) -> Decimal:
        """The OPD's total (the sum of its programs: each program is its sub-kegiatan's sum)."""
        return sum(
            (
                getattr(line, name)[index] or ZERO
                for line in self.lines
                if line.tingkat == Level.PROGRAM.label
            ),
            ZERO,
        )

    @property
    def totals(self) -> list[tuple[str, Decimal, Decimal]]:
        """The preview's totals: (label, stored, after the import)."""
        return [
            (label, self.total(name, 0), self.total(name, 1))
            for label, name in (
                ("Pagu (DPA berlaku)", "pagu"),
                ("Pagu murni", "pagu_murni"),
                ("Realisasi", "realisasi"),
            )
        ]

    @property
    def counts(self) -> dict[str, int]:
        batch = self.batch or BudgetBatch(periode=PeriodeRenstra(), tahun=self.tahun)
        return {
            "node_baru": len(batch.nodes),
            "kode_dipasang": len(batch.coded),
            "anggaran": len(batch.anggaran),
            "bulanan": len(batch.bulanan),
        }

    @property
    def fingerprint(self) -> str:
        """What the preview showed: a confirmation applies only the same changes."""
        digest = hashlib.sha256()
        for line in self.changed_lines:
            digest.update(
                repr(
                    (
                        line.tingkat,
                        line.kode,
                        line.status,
                        line.pagu,
                        line.pagu_murni,
                        line.realisasi,
                    )
                ).encode()
            )
        for month in self.months:
            digest.update(repr(month).encode())
        return digest.hexdigest()[:32]


class _Tree:
    """The OPD's program, kegiatan and sub-kegiatan of the period, read once, indexed by code
    and (for nodes without a code) by folded name under their parent."""

    def __init__(self, periode: PeriodeRenstra) -> None:
        self.periode = periode
        self.by_code: dict[tuple[type[Node], str], Node] = {}
        self.by_name: dict[tuple[type[Node], int | None, str], list[Node]] = defaultdict(list)
        self.next_urutan: dict[tuple[type[Node], int | None], int] = defaultdict(lambda: 1)
        self.by_pk: dict[tuple[type[Node], int], Node] = {}
        for model in (Program, Kegiatan, SubKegiatan):
            parent_field = model.PARENT_FIELD
            columns = ["id", "kode", "nama", "urutan", "periode_id"]
            if parent_field:
                columns.append(f"{parent_field}_id")
            for node in model._default_manager.filter(periode=periode).only(*columns):
                node.periode = periode
                self.by_pk[(model, node.pk)] = node
                parent_id = getattr(node, f"{parent_field}_id") if parent_field else None
                if node.kode:
                    self.by_code[(model, node.kode)] = node
                else:
                    self.by_name[(model, parent_id, fold_name(node.nama))].append(node)
                key = (model, parent_id)
                self.next_urutan[key] = max(self.next_urutan[key], node.urutan + 1)

    def parent(self, node: Node) -> Node:
        """A stored node's parent in the tree (a sub-kegiatan's kegiatan, a kegiatan's
        program), without a query."""
        if isinstance(node, SubKegiatan):
            return self.by_pk[(Kegiatan, node.kegiatan_id)]
        assert isinstance(node, Kegiatan)
        return self.by_pk[(Program, node.program_id)]


class _Planner:
    def __init__(
        self, *, user: Actor, opd: Opd, tahun: int, parsed: SipdFile, buat_node: bool
    ) -> None:
        self.user, self.opd, self.tahun, self.buat_node = user, opd, tahun, buat_node
        self.plan = SipdPlan(opd=opd, tahun=tahun)
        self.problems: list[Problem] = list(parsed.problems)
        self.parsed = parsed
        self.status: dict[int, str] = {}  # id(node) → status
        self.batch: BudgetBatch | None = None
        self.locks = Locks()

    def problem(self, row: DpaRow | RealisasiRow, column: str, reason: str) -> None:
        self.problems.append(Problem(row.sheet, row.row, column, reason))

    # --- nodes --------------------------------------------------------------------------------

    def node(
        self,
        model: type[Node],
        kode: str,
        nama: str,
        parent: Node | None,
        row: DpaRow,
        column: str,
    ) -> Node | None:
        tree = self.tree
        found = tree.by_code.get((model, kode))
        label = str(LEVEL_OF[model].label).lower()
        if found is not None:
            if parent is not None and model.PARENT_FIELD:
                parent_id = getattr(found, f"{model.PARENT_FIELD}_id")
                if parent_id != parent.pk or parent.pk is None:
                    self.problem(
                        row,
                        column,
                        f"{label.capitalize()} {kode} ada di pohon kinerja di bawah "
                        f"{model.PARENT_FIELD} lain, bukan {parent.kode}.",
                    )
                    return None
            return found
        parent_id = parent.pk if parent is not None else None
        # A new parent has no children to match by name.
        fresh_parent = parent is not None and parent.pk is None
        name_key = (model, parent_id, fold_name(nama))
        candidates = [] if fresh_parent else tree.by_name.get(name_key, [])
        if len(candidates) > 1:
            self.problem(
                row,
                column,
                f"Nama {label} «{nama}» cocok dengan {len(candidates)} node tanpa kode.",
            )
            return None
        if candidates:
            node = candidates[0]
            tree.by_name[name_key] = []
            node.kode = kode
            tree.by_code[(model, kode)] = node
            self.coded.append(node)
            self.status[id(node)] = "kode dipasang"
            return node
        return self._new(model, kode, nama, parent, row, column, label)

    def _new(
        self,
        model: type[Node],
        kode: str,
        nama: str,
        parent: Node | None,
        row: DpaRow,
        column: str,
        label: str,
    ) -> Node | None:
        if not self.buat_node:
            self.problem(
                row,
                column,
                f"Kode {label} {kode} («{nama[:60]}») tidak ada di pohon kinerja OPD. "
                "Pilih “buat node baru” untuk membuatnya dari nomenklatur.",
            )
            return None
        reference = self.nomenklatur.get(kode)
        if reference is None or reference.tingkat != LEVEL_OF[model]:
            self.problem(
                row, column, f"Kode {label} {kode} tidak ada di pohon kinerja maupun nomenklatur."
            )
            return None
        key = (model, parent.pk if parent is not None and parent.pk else id(parent))
        urutan = self.tree.next_urutan[key]
        self.tree.next_urutan[key] = urutan + 1
        node = model(periode=self.tree.periode, kode=kode, nama=reference.nama, urutan=urutan)
        if model.PARENT_FIELD:
            setattr(node, model.PARENT_FIELD, parent)
        self.tree.by_code[(model, kode)] = node
        self.new_nodes.append(node)
        self.status[id(node)] = "baru"
        return node

    # --- the whole plan -----------------------------------------------------------------------

    def run(self) -> SipdPlan:
        periode = (
            PeriodeRenstra.objects.filter(
                opd=self.opd, tahun_awal__lte=self.tahun, tahun_akhir__gte=self.tahun
            )
            .select_related("opd")
            .first()
        )
        if periode is None:
            self.plan.problems = [
                f"{self.opd} tidak memiliki periode Renstra yang memuat {self.tahun}."
            ]
            return self.plan
        # Who may write and whether the year is open, before anything else is read: a
        # locked year is refused by its reason, whatever the file holds.
        try:
            anggaran_batch_check(
                user=self.user,
                batch=BudgetBatch(periode=periode, tahun=self.tahun),
                locks=self.locks,
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            self.plan.problems = [" ".join(exc.messages)]
            return self.plan
        dpa, documents = self.parsed.rows_of(self.opd.kode)
        if (self.parsed.dpa or self.parsed.realisasi) and not (dpa or documents):
            self.plan.problems = [
                f"Berkas memuat beberapa SKPD, tidak ada yang berkode {self.opd.kode}."
            ]
            return self.plan
        self.tree = _Tree(periode)
        self.coded: list[Node] = []
        self.new_nodes: list[Node] = []
        wanted = {r.kode_program for r in dpa} | {r.kode_giat for r in dpa}
        wanted |= {r.kode_sub_giat for r in dpa}
        unknown = {k for k in wanted if not any((m, k) in self.tree.by_code for m in LEVEL_OF)}
        self.nomenklatur: dict[str, Nomenklatur] = {}
        if self.buat_node and unknown:
            self.nomenklatur = {
                n.kode: n for n in Nomenklatur.objects.filter(kode__in=unknown, aktif=True)
            }

        # Pagu per sub-kegiatan (a sub-kegiatan in several sub-units: their sum).
        pagu: dict[int, Decimal] = defaultdict(Decimal)
        murni: dict[int, Decimal | None] = {}
        subs: dict[int, Node] = {}
        parent_of: dict[int, Node] = {}
        for row in dpa:
            program = self.node(
                Program, row.kode_program, row.nama_program, None, row, "kode_program"
            )
            if program is None:
                continue
            kegiatan = self.node(Kegiatan, row.kode_giat, row.nama_giat, program, row, "kode_giat")
            if kegiatan is None:
                continue
            sub = self.node(
                SubKegiatan, row.kode_sub_giat, row.nama_sub_giat, kegiatan, row, "kode_sub_giat"
            )
            if sub is None:
                continue
            subs[id(sub)] = sub
            parent_of[id(sub)], parent_of[id(kegiatan)] = kegiatan, program
            pagu[id(sub)] += row.pagu
            if row.pagu_murni is not None:
                murni[id(sub)] = (murni.get(id(sub)) or ZERO) + row.pagu_murni

        # Realisasi per sub-kegiatan and month, from its documents.
        monthly: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for doc in documents:
            if doc.tanggal.year != self.tahun:
                self.problem(
                    doc,
                    "tanggal_sp2d",
                    f"Tanggal {doc.tanggal:%d-%m-%Y} bukan tahun {self.tahun}.",
                )
                continue
            sub = self.tree.by_code.get((SubKegiatan, doc.kode_sub_giat))
            if sub is None:
                self.problem(
                    doc,
                    "kode_sub_giat",
                    f"Kode sub kegiatan {doc.kode_sub_giat} tidak ada di pohon kinerja OPD "
                    "maupun di DPA berkas ini.",
                )
                continue
            subs[id(sub)] = sub
            monthly[id(sub)][doc.tanggal.month] += doc.nilai
        for key, months in monthly.items():
            for bulan, total in months.items():
                if total < 0:
                    self.problems.append(
                        Problem(
                            "",
                            0,
                            "nilai_realisasi",
                            f"Realisasi {subs[key].kode} bulan {BULAN[bulan - 1]} negatif "
                            f"({total}).",
                        )
                    )
        if self.problems:
            self.plan.problems = [str(p) for p in self.problems]
            return self.plan
        return self._budgets(periode, dpa, documents, subs, parent_of, pagu, murni, monthly)

    def _budgets(
        self,
        periode: PeriodeRenstra,
        dpa: list[DpaRow],
        documents: list[RealisasiRow],
        subs: dict[int, Node],
        parent_of: dict[int, Node],
        pagu: dict[int, Decimal],
        murni: dict[int, Decimal | None],
        monthly: dict[int, dict[int, Decimal]],
    ) -> SipdPlan:
        stored: dict[tuple[str, int], Anggaran] = {}
        for budget in Anggaran.objects.select_for_update().filter(
            periode=periode, tahun=self.tahun
        ):
            for name in ("program", "kegiatan", "sub_kegiatan"):
                node_id = getattr(budget, f"{name}_id")
                if node_id is not None:
                    stored[(name, node_id)] = budget
        stored_months = {
            (m.sub_kegiatan_id, m.bulan): m
            for m in AnggaranBulanan.objects.select_for_update().filter(
                periode=periode, tahun=self.tahun
            )
        }
        has_realisasi = bool(self.parsed.realisasi)
        # Values per node: pagu, murni, realisasi (None = leave as stored).
        values: dict[int, list[Decimal | None]] = {}
        nodes: dict[int, Node] = {}
        for key, sub in subs.items():
            realisasi = sum(monthly[key].values(), ZERO) if has_realisasi else None
            values[key] = [pagu.get(key), murni.get(key), realisasi]
            nodes[key] = sub
        # Roll up: a kegiatan is its sub-kegiatan's sum, a program its kegiatan's.
        for level in (SubKegiatan, Kegiatan):
            for key in [k for k, n in nodes.items() if type(n) is level]:
                parent = parent_of.get(key) or self.tree.parent(nodes[key])
                total = values.setdefault(id(parent), [None, None, None])
                nodes[id(parent)] = parent
                for i, value in enumerate(values[key]):
                    if value is not None:
                        total[i] = (total[i] or ZERO) + value
        order = list(nodes.values())
        batch = BudgetBatch(
            periode=periode, tahun=self.tahun, nodes=self.new_nodes, coded=self.coded
        )
        lines: list[Line] = []
        problems: list[str] = []
        rank = {Program: 0, Kegiatan: 1, SubKegiatan: 2}
        order.sort(key=lambda n: (rank[type(n)], n.kode))
        for node in order:
            new_values = values[id(node)]
            name = LEVEL_OF[type(node)]
            current = stored.get((str(name), node.pk)) if node.pk else None
            old = (
                (current.pagu, current.pagu_murni, current.realisasi)
                if current is not None
                else (None, None, None)
            )
            wanted = tuple(
                new if new is not None else was for new, was in zip(new_values, old, strict=True)
            )
            if wanted[0] is None:
                problems.append(
                    f"{name.label} {node.kode}: tidak ada pagu di DPA berkas maupun di Kinerja; "
                    "sertakan lembar DPA."
                )
                continue
            lines.append(
                Line(
                    tingkat=str(name.label),
                    kode=node.kode,
                    nama=node.nama,
                    status=self.status.get(id(node), ""),
                    pagu=(old[0], wanted[0]),
                    pagu_murni=(old[1], wanted[1]),
                    realisasi=(old[2], wanted[2]),
                )
            )
            if current is None:
                budget = Anggaran(periode=periode, tahun=self.tahun, sumber=SUMBER)
                setattr(budget, str(name), node)
            elif old != wanted:
                budget = copy.copy(current)
            else:
                continue
            budget.pagu, budget.pagu_murni, budget.realisasi = wanted
            batch.anggaran.append(budget)
        if problems:
            self.plan.problems = problems
            return self.plan
        totals = [[ZERO, ZERO] for _ in range(12)]
        for key, months in monthly.items():
            sub = subs[key]
            for bulan in range(1, 13):
                new = months.get(bulan, ZERO)
                current_month = stored_months.get((sub.pk, bulan)) if sub.pk else None
                old_value = current_month.realisasi if current_month is not None else ZERO
                totals[bulan - 1][0] += old_value
                totals[bulan - 1][1] += new
                if current_month is None:
                    if new:
                        batch.bulanan.append(
                            AnggaranBulanan(
                                sub_kegiatan=sub,  # type: ignore[misc]
                                periode=periode,
                                tahun=self.tahun,
                                bulan=bulan,
                                realisasi=new,
                                sumber=SUMBER,
                            )
                        )
                elif current_month.realisasi != new:
                    changed = copy.copy(current_month)
                    changed.realisasi = new
                    batch.bulanan.append(changed)
        if has_realisasi:
            self.plan.months = [(BULAN[i], old, new) for i, (old, new) in enumerate(totals)]
        self.plan.lines = lines
        self.plan.batch = batch
        return self.plan


def plan_sipd(
    *, user: Actor, opd: Opd, tahun: int, parsed: SipdFile, buat_node: bool = False
) -> SipdPlan:
    """What importing the file would change (nothing is written)."""
    return _Planner(user=user, opd=opd, tahun=tahun, parsed=parsed, buat_node=buat_node).run()


def import_sipd(
    *,
    user: Actor,
    opd: Opd,
    tahun: int,
    parsed: SipdFile,
    buat_node: bool = False,
    dry_run: bool = False,
    fingerprint: str | None = None,
) -> SipdPlan:
    """Plan the file and, unless it is a dry run, has a problem or changes nothing, write it
    in one transaction (the stored rows read for update). With ``fingerprint`` (the
    preview's) the write happens only if the plan is still the one the user confirmed."""
    with transaction.atomic():
        planner = _Planner(user=user, opd=opd, tahun=tahun, parsed=parsed, buat_node=buat_node)
        plan = planner.run()
        if dry_run or plan.problems or plan.unchanged or plan.batch is None:
            return plan
        if fingerprint is not None and fingerprint != plan.fingerprint:
            raise ValidationError(
                "Data anggaran berubah sejak pratinjau ditampilkan; unggah ulang berkas."
            )
        anggaran_batch_save(user=user, batch=plan.batch, locks=planner.locks, reason="Impor SIPD")
        plan.saved = True
        return plan
