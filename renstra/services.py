"""Write services of the plan tree: OPD, bidang, Renstra period, every tree node, budgets, PK
budgets, user assignments and year locks. Every adapter calls these (``renstra.door``); each
guard line ends with ``# guard``.

Each ``<entity>_check`` validates without writing (a form calls it for an early message);
``<entity>_save`` runs the same check inside the transaction, on the row locked, then writes
with history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from common.numbers import format_rupiah
from nomenklatur.models import Nomenklatur, tingkat_of

from .door import (
    Actor,
    Locks,
    YearLocked,
    as_user,
    bulk_save_with_history,
    bump_version,
    check_version,
    ensure_in_period,
    ensure_unlocked,
    guard_fields,
    refuse_unless,
    register,
    removal_guard,
    stamp,
    stored_row,
)
from .models import (
    ESELON_ATASAN,
    Anggaran,
    AnggaranBulanan,
    AnggaranPk,
    Bidang,
    Eselon,
    Kegiatan,
    KunciTahun,
    Node,
    Opd,
    Pejabat,
    Penugasan,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
    UsulanKodeDitolak,
)
from .permissions import can_administer, can_manage_plan

__all__ = [
    "YearLocked",
    "ensure_unlocked",
    "lock_for",
    "year_lock",
    "year_unlock",
]

PLAN_ONLY = "Hanya perencana OPD ini yang dapat mengubah Renstra."
BUDGET_ONLY = "Hanya perencana OPD ini yang dapat mengubah anggaran."


def lock_for(opd_id: int, tahun: int) -> KunciTahun | None:
    return KunciTahun.objects.filter(opd_id=opd_id, tahun=tahun).first()


def _plan_guard(actor: Actor, *opd_ids: int | None, message: str = PLAN_ONLY) -> None:
    """The actor manages the plan of every OPD the write touches (the row's new OPD and, for
    a stored row, the one it is in now: nothing moves in from or out to another OPD)."""
    known: set[int | None] = {o for o in opd_ids if o is not None} or {None}
    for opd_id in known:
        refuse_unless(can_manage_plan(actor, opd_id), message)  # guard


# --- OPD ---------------------------------------------------------------------------------------


def opd_check(*, user: Actor, obj: Opd, for_update: bool = False, **_: Any) -> Opd | None:
    stored = stored_row(obj, for_update=for_update)
    if stored is None:
        refuse_unless(  # guard
            can_administer(user), "Hanya admin yang dapat membuat perangkat daerah baru."
        )
    else:
        _plan_guard(  # guard
            user, stored.pk, message="Hanya perencana OPD ini yang dapat mengubahnya."
        )
    guard_fields(user, obj, stored)  # guard
    obj.full_clean()  # guard
    return stored


@transaction.atomic
def opd_save(*, user: Actor, obj: Opd, **_: Any) -> Opd:
    opd_check(user=user, obj=obj, for_update=True)
    obj.save()
    _kepala_to_pejabat(user, obj)
    return obj


def _kepala_to_pejabat(user: Actor, opd: Opd) -> None:
    """The OPD's head as typed on the OPD is its active eselon II official: one person, so
    the LAKIP's signature and the Kepala Dinas's Perjanjian Kinerja agree. Only an existing
    official is updated (an OPD without officials keeps none)."""
    kepala = Pejabat.objects.filter(opd=opd, eselon=Eselon.II, aktif=True).first()
    if kepala is None:
        return
    wanted = {"nama": opd.kepala_nama, "pangkat": opd.kepala_pangkat, "nip": opd.kepala_nip}
    if all(getattr(kepala, k) == v for k, v in wanted.items()):
        return
    for key, value in wanted.items():
        setattr(kepala, key, value)
    kepala.full_clean()  # guard
    kepala.versi += 1
    stamp(kepala, user, "Kepala OPD diubah")
    kepala.save()


@transaction.atomic
def opd_delete(*, user: Actor, obj: Opd, **_: Any) -> None:
    refuse_unless(can_administer(user), "Hanya admin yang dapat menghapus OPD.")  # guard
    removal_guard(user, [obj])  # guard
    obj.delete()


# --- bidang and period -------------------------------------------------------------------------


def bidang_check(*, user: Actor, obj: Bidang, for_update: bool = False, **_: Any) -> Any:
    stored = stored_row(obj, for_update=for_update)
    _plan_guard(user, obj.opd_id, stored.opd_id if stored else None)  # guard
    obj.full_clean()  # guard
    return stored


@transaction.atomic
def bidang_save(*, user: Actor, obj: Bidang, **_: Any) -> Bidang:
    bidang_check(user=user, obj=obj, for_update=True)
    obj.save()
    return obj


@transaction.atomic
def bidang_delete(*, user: Actor, obj: Bidang, **_: Any) -> None:
    _plan_guard(user, obj.opd_id)  # guard
    removal_guard(user, [obj])  # guard
    obj.delete()


def _years_with_data(periode: PeriodeRenstra) -> set[int]:
    from django.apps import apps

    years: set[int] = set(Anggaran.objects.filter(periode=periode).values_list("tahun", flat=True))
    years |= set(
        AnggaranPk.objects.filter(sasaran__periode=periode).values_list("tahun", flat=True)
    )
    # Targets and realisasi live in indicators, above this app: reached through the registry.
    for label in ("indicators.Target", "indicators.Realisasi"):
        model = apps.get_model(label)
        years |= set(
            model._default_manager.filter(indikator__periode=periode).values_list(
                "tahun", flat=True
            )
        )
    return years


def periode_check(
    *, user: Actor, obj: PeriodeRenstra, for_update: bool = False, **_: Any
) -> PeriodeRenstra | None:
    stored = stored_row(obj, for_update=for_update)
    _plan_guard(user, obj.opd_id, stored.opd_id if stored else None)  # guard
    obj.full_clean()  # guard
    if stored is not None and (stored.tahun_awal, stored.tahun_akhir) != (
        obj.tahun_awal,
        obj.tahun_akhir,
    ):
        outside = sorted(y for y in _years_with_data(stored) if not obj.contains_year(y))
        if outside:  # guard
            raise ValidationError(
                f"Periode tidak dapat dipersempit: ada target, realisasi, atau anggaran tahun "
                f"{', '.join(map(str, outside))} di luar {obj.tahun_awal}–{obj.tahun_akhir}."
            )
    return stored


@transaction.atomic
def periode_save(*, user: Actor, obj: PeriodeRenstra, **_: Any) -> PeriodeRenstra:
    periode_check(user=user, obj=obj, for_update=True)
    obj.save()
    return obj


@transaction.atomic
def periode_delete(*, user: Actor, obj: PeriodeRenstra, **_: Any) -> None:
    _plan_guard(user, obj.opd_id)  # guard
    removal_guard(user, [obj])  # guard
    obj.delete()


# --- tree nodes --------------------------------------------------------------------------------


def node_check(*, user: Actor, obj: Node, for_update: bool = False, **_: Any) -> Node | None:
    obj.sync_periode()
    stored = stored_row(obj, for_update=for_update)
    new_opd = obj.periode.opd_id if obj.periode_id else None
    _plan_guard(user, new_opd, stored.periode.opd_id if stored else None)  # guard
    obj.full_clean()  # guard
    _penanggung_jawab_guard(obj)  # guard
    return stored


# The eselon whose Perjanjian Kinerja carries a node of each level (PK berjenjang).
NODE_ESELON: dict[type[Node], str] = {Program: Eselon.III, Kegiatan: Eselon.IV}


def _penanggung_jawab_guard(node: Node) -> None:
    """A program's official is an active eselon III, a kegiatan's an active eselon IV, both
    of the node's own OPD."""
    pejabat_id = getattr(node, "penanggung_jawab_id", None)
    if pejabat_id is None:
        return
    wanted = NODE_ESELON[type(node)]
    pejabat = Pejabat.objects.get(pk=pejabat_id)
    level = type(node)._meta.verbose_name
    if pejabat.opd_id != node.periode.opd_id:  # guard
        raise ValidationError(
            {"penanggung_jawab": f"Pejabat {pejabat.nama} bukan pejabat OPD {level} ini."}
        )
    if pejabat.eselon != wanted:  # guard
        raise ValidationError(
            {
                "penanggung_jawab": f"Penanggung jawab {level} harus pejabat eselon {wanted}; "
                f"{pejabat.nama} adalah pejabat eselon {pejabat.eselon}."
            }
        )
    if not pejabat.aktif:  # guard
        raise ValidationError({"penanggung_jawab": f"Pejabat {pejabat.nama} tidak aktif."})


@transaction.atomic
def node_save(*, user: Actor, obj: Node, **_: Any) -> Node:
    node_check(user=user, obj=obj, for_update=True)
    obj.save()
    return obj


@transaction.atomic
def node_delete(*, user: Actor, obj: Node, **_: Any) -> None:
    _plan_guard(user, obj.periode.opd_id)  # guard
    removal_guard(user, [obj])  # guard
    obj.delete()


@transaction.atomic
def penanggung_jawab_set(
    *, user: Actor, node: Program | Kegiatan, pejabat: Pejabat | None
) -> Program | Kegiatan:
    """Assign a program to its eselon III official or a kegiatan to its eselon IV one (None
    clears it), through the node's own service: every guard of a node write applies."""
    node.penanggung_jawab = pejabat
    node_save(user=user, obj=node)
    return node


@dataclass(frozen=True)
class KodeChange:
    """One node's nomenclature code: ``lama`` is the code the user saw (a stale page is
    refused), ``kode`` the one to store."""

    node: Node
    lama: str
    kode: str


CODED_LEVELS: dict[type[Node], str] = {
    Program: "program",
    Kegiatan: "kegiatan",
    SubKegiatan: "sub_kegiatan",
}


def kode_unknown(model: type[Node], kode: str) -> str:
    """The refusal of a code the nomenclature does not hold for the node's level, in the same
    words wherever a code is set (the code page here, the admin's forms and inline rows)."""
    return f"«{kode}» bukan kode {model._meta.verbose_name} di nomenklatur."


def node_kode_check_many(
    *, user: Actor, periode: PeriodeRenstra, changes: list[KodeChange], for_update: bool = False
) -> list[str]:
    """Every reason the batch is refused (empty: it may be written). Permission refuses the
    whole batch; the rest names the node. Constant queries: the nodes (locked when writing),
    their parents' codes and the codes named, one query each per level."""
    _plan_guard(user, periode.opd_id)  # guard
    problems: list[str] = []
    stored: dict[tuple[type[Node], int], Node] = {}
    for model in CODED_LEVELS:
        ids = [c.node.pk for c in changes if type(c.node) is model]
        if not ids:
            continue
        manager = model._default_manager
        qs = manager.select_for_update() if for_update else manager.all()
        for node in qs.filter(pk__in=ids):
            stored[(model, node.pk)] = node
    known = {
        n.kode: n
        for n in Nomenklatur.objects.filter(kode__in={c.kode for c in changes}, aktif=True)
    }
    new_code = {(type(c.node), c.node.pk): c.kode for c in changes}
    parent_code = _parent_codes(changes, new_code)
    for change in changes:
        node, key = change.node, (type(change.node), change.node.pk)
        level = CODED_LEVELS.get(type(node))
        row = stored.get(key)
        if level is None or row is None or row.periode_id != periode.pk:  # guard
            problems.append(f"{node}: bukan program, kegiatan, atau sub kegiatan Renstra ini.")
            continue
        if row.kode != change.lama:  # guard
            problems.append(
                f"{row.nama}: kodenya telah diubah menjadi «{row.kode or 'kosong'}» sejak "
                "halaman dibuka; muat ulang."
            )
            continue
        entry = known.get(change.kode)
        if entry is None or entry.tingkat != level:  # guard
            problems.append(f"{row.nama}: {kode_unknown(type(node), change.kode)}")
            continue
        induk = parent_code.get(key, "")
        if induk and entry.induk_kode != induk:  # guard
            problems.append(f"{row.nama}: kode {change.kode} tidak berada di bawah kode {induk}.")
    return problems


def _parent_codes(
    changes: list[KodeChange], new_code: dict[tuple[type[Node], int], str]
) -> dict[tuple[type[Node], int], str]:
    """Each changed node's parent code after the batch (the parent's new code when it is in
    the batch too, else its stored one); one query per parent level."""
    wanted: dict[type[Node], set[int]] = {Program: set(), Kegiatan: set()}
    for change in changes:
        field = type(change.node).PARENT_FIELD
        if field in ("program", "kegiatan"):
            wanted[Program if field == "program" else Kegiatan].add(
                getattr(change.node, f"{field}_id")
            )
    stored = {
        (model, pk): kode
        for model, ids in wanted.items()
        if ids
        for pk, kode in model._default_manager.filter(pk__in=ids).values_list("pk", "kode")
    }
    result = {}
    for change in changes:
        field = type(change.node).PARENT_FIELD
        if field not in ("program", "kegiatan"):
            continue
        parent = (Program if field == "program" else Kegiatan, getattr(change.node, f"{field}_id"))
        result[(type(change.node), change.node.pk)] = new_code.get(parent, stored.get(parent, ""))
    return result


@transaction.atomic
def node_kode_set_many(*, user: Actor, periode: PeriodeRenstra, changes: list[KodeChange]) -> int:
    """Give program, kegiatan and sub-kegiatan of one Renstra their nomenclature codes (the
    matcher's proposals the perencana confirmed), all or nothing. Nodes carry no year, so no
    year lock applies (as in ``node_save``); the codes only name what the tree already is."""
    problems = node_kode_check_many(user=user, periode=periode, changes=changes, for_update=True)
    if problems:  # guard
        raise ValidationError(problems)
    for model in CODED_LEVELS:
        rows = [c for c in changes if type(c.node) is model]
        for change in rows:
            change.node.kode = change.kode
        if rows:
            model._default_manager.bulk_update([c.node for c in rows], ["kode"])
    if changes:
        # Bulk writes send no post_save: the OPD's version is raised here (after commit).
        from .versions import note_ids

        note_ids("renstra.perioderenstra", {c.node.periode_id for c in changes})
    return len(changes)


# --- refused code proposals ------------------------------------------------------------------

KODE_ONLY = "Hanya perencana OPD ini yang dapat menolak atau memulihkan usulan kode."


@transaction.atomic
def usulan_kode_tolak(*, user: Actor, periode: PeriodeRenstra, node: Node, kode: str) -> bool:
    """Refuse the matcher's proposal ``kode`` for ``node`` (a program, kegiatan or
    sub-kegiatan of ``periode``): the code page stops proposing it for that node. True when
    refused now, False when it was refused already (a second click changes nothing)."""
    _plan_guard(user, periode.opd_id, message=KODE_ONLY)  # guard
    level = CODED_LEVELS.get(type(node))
    stored = (
        type(node)._default_manager.filter(pk=node.pk, periode=periode).first()
        if level is not None
        else None
    )
    if level is None or stored is None:  # guard
        raise ValidationError(f"{node}: bukan program, kegiatan, atau sub kegiatan Renstra ini.")
    if tingkat_of(kode) != level:  # guard
        raise ValidationError(kode_unknown(type(node), kode))
    _, created = UsulanKodeDitolak.objects.get_or_create(
        periode=periode,
        kode=kode,
        **{level: stored},
        defaults={"ditolak_oleh": as_user(user)},
    )
    return created


@transaction.atomic
def usulan_kode_pulihkan(*, user: Actor, periode: PeriodeRenstra, pk: int) -> bool:
    """Take a refusal back: the code is proposed for its node again. False when there was no
    such refusal in ``periode`` (restored already, or another Renstra's)."""
    _plan_guard(user, periode.opd_id, message=KODE_ONLY)  # guard
    deleted, _ = UsulanKodeDitolak.objects.filter(pk=pk, periode=periode).delete()
    return bool(deleted)


# --- officials ---------------------------------------------------------------------------------

PEJABAT_ONLY = "Hanya perencana OPD ini yang dapat mengubah data pejabat."


def pejabat_check(
    *,
    user: Actor,
    obj: Pejabat,
    versi: int | None = None,
    for_update: bool = False,
    **_: Any,
) -> Pejabat | None:
    stored = stored_row(obj, for_update=for_update)
    # Whose official it is decides who edits it (the OPD it is in now); moving it to another
    # OPD is the field-level rule's (``PROTECTED_FIELDS``: an admin only).
    _plan_guard(  # guard
        user, stored.opd_id if stored else obj.opd_id, message=PEJABAT_ONLY
    )
    guard_fields(user, obj, stored)  # guard
    obj.full_clean()  # guard
    wanted = ESELON_ATASAN[obj.eselon]
    if obj.atasan_id is not None:
        atasan = Pejabat.objects.get(pk=obj.atasan_id)
        if wanted is None:  # guard
            raise ValidationError(
                {
                    "atasan": "Kepala Dinas (eselon II) berjanji kepada kepala daerah; "
                    "atasan dikosongkan."
                }
            )
        if atasan.opd_id != obj.opd_id:  # guard
            raise ValidationError({"atasan": "Atasan harus pejabat OPD yang sama."})
        if atasan.eselon != wanted:  # guard
            raise ValidationError(
                {"atasan": f"Atasan pejabat eselon {obj.eselon} harus pejabat eselon {wanted}."}
            )
    elif obj.eselon == Eselon.IV:  # guard
        raise ValidationError(
            {"atasan": "Pejabat eselon IV memerlukan atasan langsung (pejabat eselon III)."}
        )
    if stored is not None and stored.eselon != obj.eselon:
        held = stored.program_set.count() + stored.kegiatan_set.count()
        if held:  # guard
            raise ValidationError(
                {
                    "eselon": f"Eselon tidak dapat diubah: pejabat ini masih penanggung jawab "
                    f"{held} program/kegiatan. Alihkan dahulu."
                }
            )
    check_version(stored, versi, shown=str(stored) if stored else "")  # guard
    return stored


@transaction.atomic
def pejabat_save(*, user: Actor, obj: Pejabat, versi: int | None = None, **_: Any) -> Pejabat:
    stored = pejabat_check(user=user, obj=obj, versi=versi, for_update=True)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    if obj.eselon == Eselon.II and obj.aktif:
        # The OPD's head fields are this person (the LAKIP's signature reads them).
        Opd.objects.filter(pk=obj.opd_id).update(
            kepala_nama=obj.nama, kepala_pangkat=obj.pangkat, kepala_nip=obj.nip
        )
    return obj


@transaction.atomic
def pejabat_delete(*, user: Actor, obj: Pejabat, **_: Any) -> None:
    _plan_guard(user, obj.opd_id, message=PEJABAT_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


# --- budgets -----------------------------------------------------------------------------------


def _yearly_guards(
    obj: Anggaran | AnggaranBulanan | AnggaranPk,
    stored: Anggaran | AnggaranBulanan | AnggaranPk | None,
    periode: PeriodeRenstra,
    *,
    versi: int | None,
    locks: Locks | None,
    shown: str,
) -> None:
    ensure_in_period(periode, obj.tahun)  # guard
    keys = {obj.lock_key(), *([stored.lock_key()] if stored is not None else [])}
    for opd_id, tahun in sorted(keys):
        ensure_unlocked(opd_id=opd_id, tahun=tahun, locks=locks)  # guard
    check_version(stored, versi, shown=shown)  # guard


def anggaran_check(
    *,
    user: Actor,
    obj: Anggaran,
    versi: int | None = None,
    for_update: bool = False,
    locks: Locks | None = None,
    **_: Any,
) -> Anggaran | None:
    obj.sync_periode()
    stored = stored_row(obj, for_update=for_update)
    node = obj.node
    if node is None:
        raise ValidationError(
            "Anggaran harus terhubung ke tepat satu program, kegiatan, atau sub kegiatan."
        )
    _plan_guard(  # guard
        user, node.periode.opd_id, stored.periode.opd_id if stored else None, message=BUDGET_ONLY
    )
    obj.full_clean()  # guard
    _yearly_guards(  # guard
        obj,
        stored,
        node.periode,
        versi=versi,
        locks=locks,
        shown=f"pagu {format_rupiah(stored.pagu)}" if stored else "",
    )
    return stored


@transaction.atomic
def anggaran_save(
    *, user: Actor, obj: Anggaran, versi: int | None = None, locks: Locks | None = None, **_: Any
) -> Anggaran:
    stored = anggaran_check(user=user, obj=obj, versi=versi, for_update=True, locks=locks)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def anggaran_delete(*, user: Actor, obj: Anggaran, **_: Any) -> None:
    _plan_guard(user, obj.periode.opd_id, message=BUDGET_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


# --- monthly realisasi of a sub-kegiatan ------------------------------------------------------


def anggaran_bulanan_check(
    *,
    user: Actor,
    obj: AnggaranBulanan,
    versi: int | None = None,
    for_update: bool = False,
    locks: Locks | None = None,
    **_: Any,
) -> AnggaranBulanan | None:
    obj.sync_periode()
    stored = stored_row(obj, for_update=for_update)
    periode = obj.sub_kegiatan.periode
    _plan_guard(  # guard
        user, periode.opd_id, stored.periode.opd_id if stored else None, message=BUDGET_ONLY
    )
    obj.full_clean()  # guard
    _yearly_guards(  # guard
        obj,
        stored,
        periode,
        versi=versi,
        locks=locks,
        shown=f"realisasi {format_rupiah(stored.realisasi)}" if stored else "",
    )
    return stored


@transaction.atomic
def anggaran_bulanan_save(
    *,
    user: Actor,
    obj: AnggaranBulanan,
    versi: int | None = None,
    locks: Locks | None = None,
    **_: Any,
) -> AnggaranBulanan:
    stored = anggaran_bulanan_check(user=user, obj=obj, versi=versi, for_update=True, locks=locks)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def anggaran_bulanan_delete(*, user: Actor, obj: AnggaranBulanan, **_: Any) -> None:
    _plan_guard(user, obj.periode.opd_id, message=BUDGET_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


# --- a whole budget of one OPD and year at once (the SIPD import) -----------------------------


@dataclass
class BudgetBatch:
    """The budget writes of one OPD's Renstra period in one year, planned by an import: the
    nodes to create (programs, kegiatan, sub-kegiatan; a child names its parent as an object,
    which may be one of the new nodes), the codes to attach to nodes matched by name, and the
    budget and monthly realisasi rows, new (no pk) or changed (a stored row's copy with the
    new values; its ``versi`` is the one read)."""

    periode: PeriodeRenstra
    tahun: int
    nodes: list[Node] = field(default_factory=list)
    coded: list[Node] = field(default_factory=list)
    anggaran: list[Anggaran] = field(default_factory=list)
    bulanan: list[AnggaranBulanan] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.nodes or self.coded or self.anggaran or self.bulanan)


BATCH_LEVELS: tuple[type[Node], ...] = (Program, Kegiatan, SubKegiatan)


def anggaran_batch_check(*, user: Actor, batch: BudgetBatch, locks: Locks | None = None) -> None:
    """Every rule of the budget's single-row services, checked for the whole batch at a fixed
    number of queries: the actor plans this OPD, the year is in the period and not locked, and
    every row is of this period and year with values in bounds."""
    periode, tahun = batch.periode, batch.tahun
    _plan_guard(user, periode.opd_id, message=BUDGET_ONLY)  # guard
    ensure_in_period(periode, tahun)  # guard
    ensure_unlocked(opd_id=periode.opd_id, tahun=tahun, locks=locks)  # guard
    for node in [*batch.nodes, *batch.coded]:
        if type(node) not in BATCH_LEVELS or node.periode_id != periode.pk:  # guard
            raise ValidationError(f"{node} bukan program/kegiatan/sub kegiatan periode ini.")
        if not node.nama.strip() or len(node.kode) > 40:  # guard
            raise ValidationError(f"Nama atau kode tidak valid: {node.kode} {node.nama}.")
    rows: list[Anggaran | AnggaranBulanan] = [*batch.anggaran, *batch.bulanan]
    for row in rows:
        if row.periode_id != periode.pk or row.tahun != tahun:  # guard
            raise ValidationError(f"{row} bukan anggaran {periode.opd} tahun {tahun}.")
    for budget in batch.anggaran:
        values = (budget.pagu, budget.pagu_murni, budget.realisasi)
        if budget.pagu is None or any(v is not None and v < 0 for v in values):  # guard
            raise ValidationError(f"{budget}: pagu wajib diisi dan tidak boleh negatif.")
    for month in batch.bulanan:
        if not 1 <= month.bulan <= 12 or month.realisasi < 0:  # guard
            raise ValidationError(f"{month}: bulan 1–12 dan realisasi tidak negatif.")


@transaction.atomic
def anggaran_batch_save(
    *, user: Actor, batch: BudgetBatch, locks: Locks | None = None, reason: str = ""
) -> None:
    """Write a checked batch: the new nodes level by level (a parent before its children),
    the codes, then the budgets and months with history and a new version."""
    anggaran_batch_check(user=user, batch=batch, locks=locks)
    for level in BATCH_LEVELS:
        # A child's parent created just above: bulk_create reads its id from the object.
        level._default_manager.bulk_create([n for n in batch.nodes if type(n) is level])
        coded = [n for n in batch.coded if type(n) is level]
        level._default_manager.bulk_update(coded, ["kode"])
    for model, rows, fields in (
        (Anggaran, batch.anggaran, ["pagu", "pagu_murni", "realisasi", "sumber", "versi"]),
        (AnggaranBulanan, batch.bulanan, ["realisasi", "sumber", "versi"]),
    ):
        for row in rows:
            if row.pk is not None:
                row.versi += 1
        bulk_save_with_history(
            model,
            actor=user,
            new=[r for r in rows if r.pk is None],
            changed=[r for r in rows if r.pk is not None],
            fields=fields,
            reason=reason,
        )
    if batch.nodes or batch.coded:
        from .versions import note_ids

        note_ids("renstra.perioderenstra", {n.periode_id for n in [*batch.nodes, *batch.coded]})


def anggaran_pk_check(
    *,
    user: Actor,
    obj: AnggaranPk,
    versi: int | None = None,
    for_update: bool = False,
    locks: Locks | None = None,
    **_: Any,
) -> AnggaranPk | None:
    stored = stored_row(obj, for_update=for_update)
    periode = obj.sasaran.periode
    _plan_guard(  # guard
        user, periode.opd_id, stored.sasaran.periode.opd_id if stored else None, message=BUDGET_ONLY
    )
    obj.full_clean()  # guard
    _yearly_guards(  # guard
        obj,
        stored,
        periode,
        versi=versi,
        locks=locks,
        shown=format_rupiah(stored.jumlah) if stored else "",
    )
    return stored


@transaction.atomic
def anggaran_pk_save(
    *, user: Actor, obj: AnggaranPk, versi: int | None = None, **_: Any
) -> AnggaranPk:
    stored = anggaran_pk_check(user=user, obj=obj, versi=versi, for_update=True)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def anggaran_pk_delete(*, user: Actor, obj: AnggaranPk, **_: Any) -> None:
    _plan_guard(user, obj.sasaran.periode.opd_id, message=BUDGET_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


# --- who works where ---------------------------------------------------------------------------


def penugasan_check(*, user: Actor, obj: Penugasan, **_: Any) -> None:
    refuse_unless(  # guard
        can_administer(user), "Hanya admin yang dapat menugaskan pengguna ke perangkat daerah."
    )
    obj.full_clean()  # guard


@transaction.atomic
def penugasan_save(*, user: Actor, obj: Penugasan, **_: Any) -> Penugasan:
    penugasan_check(user=user, obj=obj)
    obj.save()
    return obj


@transaction.atomic
def penugasan_delete(*, user: Actor, obj: Penugasan, **_: Any) -> None:
    refuse_unless(can_administer(user), "Hanya admin yang dapat mencabut penugasan.")  # guard
    obj.delete()


# --- year locks --------------------------------------------------------------------------------


@transaction.atomic
def year_lock(*, user: Actor, opd: Opd, tahun: int, alasan: str) -> KunciTahun:
    refuse_unless(  # guard
        can_manage_plan(user, opd.pk), "Hanya perencana OPD ini yang dapat mengunci tahun."
    )
    if not alasan.strip():  # guard
        raise ValidationError({"alasan": "Alasan penguncian wajib diisi."})
    if KunciTahun.objects.select_for_update().filter(opd=opd, tahun=tahun).exists():  # guard
        raise ValidationError(f"Tahun {tahun} sudah dikunci.")
    lock = KunciTahun(opd=opd, tahun=tahun, alasan=alasan.strip(), dikunci_oleh=None)
    lock.dikunci_oleh_id = getattr(user, "pk", None)
    stamp(lock, user)
    lock.save()
    return lock


@transaction.atomic
def year_unlock(*, user: Actor, opd: Opd, tahun: int, alasan: str) -> None:
    refuse_unless(  # guard
        can_manage_plan(user, opd.pk), "Hanya perencana OPD ini yang dapat membuka kunci tahun."
    )
    if not alasan.strip():  # guard
        raise ValidationError({"alasan": "Alasan membuka kunci wajib diisi."})
    lock = KunciTahun.objects.select_for_update().filter(opd=opd, tahun=tahun).first()
    if lock is None:
        raise ValidationError(f"Tahun {tahun} tidak sedang dikunci.")
    # The deletion is recorded in the lock's history with who and why.
    stamp(lock, user, f"Dibuka: {alasan.strip()}")
    lock.delete()


def _lock_delete(*, user: Actor, obj: KunciTahun, **_: Any) -> None:
    raise ValidationError("Kunci tahun dibuka lewat halaman “Buka kunci”, dengan alasan.")


def _lock_save(*, user: Actor, obj: KunciTahun, **_: Any) -> KunciTahun:
    if obj.pk is not None:
        raise ValidationError("Kunci tahun tidak diubah; buka kunci lalu kunci lagi.")
    return year_lock(user=user, opd=obj.opd, tahun=obj.tahun, alasan=obj.alasan)


register(Opd, opd_path="pk", save=opd_save, delete=opd_delete, check=opd_check)
register(Bidang, opd_path="opd", save=bidang_save, delete=bidang_delete, check=bidang_check)
register(
    PeriodeRenstra,
    opd_path="opd",
    save=periode_save,
    delete=periode_delete,
    check=periode_check,
)
for _node in (Tujuan, Sasaran, Program, Kegiatan, SubKegiatan):
    register(_node, opd_path="periode__opd", save=node_save, delete=node_delete, check=node_check)
register(
    Anggaran,
    opd_path="periode__opd",
    save=anggaran_save,
    delete=anggaran_delete,
    check=anggaran_check,
)
register(
    AnggaranBulanan,
    opd_path="periode__opd",
    save=anggaran_bulanan_save,
    delete=anggaran_bulanan_delete,
    check=anggaran_bulanan_check,
)
register(
    AnggaranPk,
    opd_path="sasaran__periode__opd",
    save=anggaran_pk_save,
    delete=anggaran_pk_delete,
    check=anggaran_pk_check,
)
register(Pejabat, opd_path="opd", save=pejabat_save, delete=pejabat_delete, check=pejabat_check)
register(
    Penugasan, opd_path="opd", save=penugasan_save, delete=penugasan_delete, check=penugasan_check
)
register(KunciTahun, opd_path="opd", save=_lock_save, delete=_lock_delete)


__all__ += [
    "BudgetBatch",
    "anggaran_batch_save",
    "anggaran_bulanan_delete",
    "anggaran_bulanan_save",
    "anggaran_delete",
    "anggaran_pk_delete",
    "anggaran_pk_save",
    "anggaran_save",
    "bidang_delete",
    "bidang_save",
    "node_delete",
    "node_kode_check_many",
    "node_kode_set_many",
    "node_save",
    "opd_delete",
    "opd_save",
    "pejabat_delete",
    "pejabat_save",
    "penanggung_jawab_set",
    "penugasan_delete",
    "penugasan_save",
    "periode_delete",
    "periode_save",
    "usulan_kode_pulihkan",
    "usulan_kode_tolak",
]
