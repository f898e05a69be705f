"""Write services of indicators: definitions, targets, realisasi, comparison values,
supporting tables, scales and per-OPD settings. Every adapter (kabid pages, admin forms and
inlines, workbooks, the decree import, the seed loader) calls these; each guard line ends
with ``# guard`` (see ``renstra.door``).

Batches: :func:`target_set_many` and :func:`realisasi_record_many` take a workbook's rows at
once; the rules need a fixed number of queries per batch (permissions per OPD, the locks of
each OPD, the stored rows, the previous year's values), whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.cells import cell_value
from common.numbers import NumberParseError, format_exact, format_number
from renstra.door import (
    Actor,
    Locks,
    NeedsConfirmation,
    StaleEdit,
    SystemActor,
    as_user,
    bulk_save_with_history,
    bump_version,
    check_version,
    ensure_in_period,
    ensure_unlocked,
    refuse_unless,
    register,
    removal_guard,
    stamp,
    stored_row,
)
from renstra.permissions import can_administer, can_manage_plan, can_record_for_bidang

from .. import engine
from ..evidence import ALLOWED, validate_evidence
from ..models import (
    DataPendukung,
    Frekuensi,
    Indikator,
    JenisTarget,
    Pembanding,
    PengaturanOpd,
    Periode,
    Realisasi,
    Skala,
    SkalaBand,
    Target,
)

__all__ = [
    "NeedsConfirmation",
    "PeriodValue",
    "StaleEdit",
    "TargetChange",
    "realisasi_record",
    "realisasi_record_many",
    "target_set",
    "target_set_many",
]

PLAN_ONLY = "Hanya perencana OPD ini yang dapat mengubah indikator dan target."
OWN_BIDANG_ONLY = "Anda hanya dapat mengisi realisasi indikator bidang Anda sendiri."
# Fields that change the capaian of every year already reported.
COMPUTATION_FIELDS = ("polaritas", "metode_negatif", "akumulasi", "frekuensi")


def _opd_id(indikator: Indikator) -> int:
    return int(indikator.periode.opd_id)


def describe_value(value: Decimal | None, text: str = "") -> str:
    return format_number(value) if value is not None else (text or "–")


def _shown(obj: Target | Realisasi | None) -> str:
    if obj is None:
        return "(kosong/dihapus)"
    return format_exact(obj.nilai) if obj.nilai is not None else (obj.nilai_teks or "(kosong)")


class _Permissions:
    """One answer per (check, OPD, bidang) for a batch: each question costs a role query."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self._answers: dict[tuple[Any, ...], bool] = {}

    def plan(self, opd_id: int) -> bool:
        key = ("plan", opd_id)
        if key not in self._answers:
            self._answers[key] = can_manage_plan(self.actor, opd_id)
        return self._answers[key]

    def record(self, opd_id: int, bidang_id: int | None) -> bool:
        key = ("record", opd_id, bidang_id)
        if key not in self._answers:
            self._answers[key] = can_record_for_bidang(self.actor, opd_id, bidang_id)
        return self._answers[key]


def _confirm_jumps(jumps: list[str], confirm: bool) -> None:
    if jumps and not confirm:  # guard
        raise NeedsConfirmation(
            [*jumps, "Periksa nilainya; bila memang benar, simpan lagi dengan konfirmasi."],
            code="jump",
        )


def _jump_message(what: str, new: Decimal, old: Decimal, against: str) -> str | None:
    factor = engine.jump_factor(old, new)
    if factor is None:
        return None
    return (
        f"{what}: {format_exact(new)} adalah ×{format_number(factor)} dari {format_exact(old)} "
        f"({against})."
    )


# --- definitions -------------------------------------------------------------------------------


def _locked_years_with_realisasi(indikator: Indikator) -> list[int]:
    from renstra.models import KunciTahun

    years = set(Realisasi.objects.filter(indikator_id=indikator.pk).values_list("tahun", flat=True))
    return sorted(
        KunciTahun.objects.filter(opd_id=indikator.periode.opd_id, tahun__in=years).values_list(
            "tahun", flat=True
        )
    )


def indikator_check(
    *,
    user: Actor,
    obj: Indikator,
    versi: int | None = None,
    for_update: bool = False,
    **_: Any,
) -> Indikator | None:
    obj.sync_periode()
    stored = stored_row(obj, for_update=for_update)
    opds = {obj.periode.opd_id if obj.periode_id else None}
    if stored is not None:
        opds.add(stored.periode.opd_id)
    for opd_id in opds:
        refuse_unless(can_manage_plan(user, opd_id), PLAN_ONLY)  # guard
    obj.full_clean()  # guard
    check_version(stored, versi, shown=f"«{stored.nama}»" if stored else "")  # guard
    if stored is not None:
        changed = [f for f in COMPUTATION_FIELDS if getattr(stored, f) != getattr(obj, f)]
        locked = _locked_years_with_realisasi(stored) if changed else []
        if locked:  # guard
            labels = ", ".join(str(Indikator._meta.get_field(f).verbose_name) for f in changed)
            raise ValidationError(
                f"{labels[:1].upper()}{labels[1:]} tidak dapat diubah: realisasi tahun "
                f"{', '.join(map(str, locked))} sudah dikunci dan capaiannya akan berubah."
            )
    return stored


@transaction.atomic
def indikator_save(*, user: Actor, obj: Indikator, versi: int | None = None, **_: Any) -> Indikator:
    stored = indikator_check(user=user, obj=obj, versi=versi, for_update=True)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def indikator_delete(*, user: Actor, obj: Indikator, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, _opd_id(obj)), PLAN_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


# --- targets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetChange:
    """One target cell: a number, or text (qualitative, or a range "2,30–2,35"); neither
    removes the target. ``versi`` is the version the form or workbook showed (0 = none was
    stored then); None only for trusted callers without one (the seed)."""

    indikator: Indikator
    tahun: int
    nilai: Decimal | None
    nilai_teks: str = ""
    jenis: str = JenisTarget.RENSTRA
    versi: int | None = None
    sumber: str = ""

    @property
    def key(self) -> tuple[int, int, str]:
        return (int(self.indikator.pk), self.tahun, str(self.jenis))


def _check_target_text(text: str) -> None:
    """Text is qualitative ("WTP", "BB") or a range of two numbers; text that starts like a
    number must be one (a mistyped "7x,4" is not a qualitative target)."""
    if not text:
        return
    try:
        parsed = cell_value(text, allow_range=True)
    except NumberParseError as exc:
        raise ValidationError({"nilai_teks": str(exc)}) from exc
    if isinstance(parsed, Decimal):  # guard
        raise ValidationError({"nilai_teks": "Angka diisi pada kolom nilai, bukan nilai teks."})


def _numeric_indicators(ids: Iterable[int]) -> set[int]:
    """The indicators among ``ids`` with a number stored as a target or realisasi of any year
    or kind: numeric indicators (2 queries at most)."""
    wanted = set(ids)
    if not wanted:
        return set()
    found = set(
        Target.objects.filter(indikator_id__in=wanted, nilai__isnull=False).values_list(
            "indikator_id", flat=True
        )
    )
    if wanted - found:
        found |= set(
            Realisasi.objects.filter(
                indikator_id__in=wanted - found, nilai__isnull=False
            ).values_list("indikator_id", flat=True)
        )
    return found


def _check_numeric_target(obj: Target, numeric: set[int]) -> None:
    """A numeric indicator's target is a number, a range or a level of a declared
    qualitative scale (opini BPK, predikat SAKIP). Any other text ("abc", "NaN") would turn it
    into a binary text target without a word: its capaian would silently stop being computed
    from numbers."""
    if not obj.nilai_teks or obj.indikator_id not in numeric:
        return
    parsed = engine.parse_target(obj.nilai_teks)
    if isinstance(parsed, engine.QualitativeTarget) and parsed.mapping is None:
        levels = "; ".join(f"{m.name}: {', '.join(m.levels)}" for m in engine.ORDINAL_MAPPINGS)
        raise ValidationError(
            {
                "nilai_teks": f"«{obj.nilai_teks}» bukan angka. Indikator ini berisi angka, "
                "jadi targetnya harus angka (mis. 74,04), rentang (mis. 2,30–2,35) atau "
                f"nilai kualitatif yang dikenal ({levels})."
            }
        )


@dataclass
class BatchResult:
    created: list[Any] = field(default_factory=list)
    updated: list[Any] = field(default_factory=list)
    deleted: int = 0
    unchanged: int = 0


def _target_guards(
    actor: Actor,
    items: Sequence[tuple[Target, Target | None, int | None]],
    *,
    locks: Locks,
    permissions: _Permissions,
    previous: dict[tuple[int, int], Decimal],
    numeric: set[int],
) -> list[str]:
    """Every rule of a target write, for one or many: permission, period, locks (new and
    stored year), stale version, text (a numeric indicator's: ``numeric``), bounds. Returns
    the ×10 jumps to confirm."""
    jumps: list[str] = []
    for obj, stored, versi in items:
        indikator = obj.indikator
        opd_ids = {_opd_id(indikator)}
        if stored is not None:
            opd_ids.add(_opd_id(stored.indikator))
        for opd_id in opd_ids:
            refuse_unless(permissions.plan(opd_id), PLAN_ONLY)  # guard
        ensure_in_period(indikator.periode, obj.tahun)  # guard
        keys = {obj.lock_key(), *([stored.lock_key()] if stored is not None else [])}
        for opd_id, tahun in sorted(keys):
            ensure_unlocked(opd_id=opd_id, tahun=tahun, locks=locks)  # guard
        check_version(stored, versi, shown=_shown(stored))  # guard
        _check_target_text(obj.nilai_teks)  # guard
        _check_numeric_target(obj, numeric)  # guard
        # Uniqueness is the batch's key and the database's constraint, and the indicator was
        # read with the batch: no query per cell here.
        obj.full_clean(  # guard
            exclude=["indikator"], validate_unique=False, validate_constraints=False
        )
        if obj.nilai is None:
            continue
        what = f"Target {obj.tahun} «{indikator.nama}»"
        if stored is not None and stored.nilai is not None:
            message = _jump_message(what, obj.nilai, stored.nilai, "nilai tersimpan")
            if message:
                jumps.append(message)
                continue
        before = previous.get((int(indikator.pk), obj.tahun - 1))
        if before is not None:
            message = _jump_message(what, obj.nilai, before, f"target {obj.tahun - 1}")
            if message:
                jumps.append(message)
    return jumps


def _joined(ids: set[int], given: Iterable[Indikator] | None) -> dict[int, Indikator]:
    """The indicators with their tree (period, OPD, nodes, bidang), read once."""
    if given is not None:
        return {int(i.pk): i for i in given if i.pk in ids}
    return {int(i.pk): i for i in Indikator.objects.with_tree().filter(pk__in=ids)}


def _previous_targets(ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], Decimal]:
    """The effective stored target of each (indicator, year − 1), in one query."""
    wanted = {y - 1 for y in years}
    stored = Target.objects.filter(indikator_id__in=set(ids), tahun__in=wanted).effective()
    return {key: t.nilai for key, t in stored.items() if t.nilai is not None}


class TargetBatch:
    """Many target cells (a workbook) checked one by one against what one prefetch read, then
    written at once with one bulk insert and one bulk update, with history.

    Queries per batch, whatever its size: the stored targets (locked), the previous year's,
    the role once per OPD and the locks once per OPD."""

    def __init__(
        self,
        user: Actor,
        *,
        indicator_ids: Iterable[int],
        years: Iterable[int],
        indicators: Iterable[Indikator] | None = None,
    ) -> None:
        self.user = user
        self.locks = Locks()
        self.permissions = _Permissions(user)
        ids, years = set(indicator_ids), set(years)
        # The rules read each indicator's period and OPD: joined here, once, whatever rows
        # the caller passed (a workbook already read them with their tree: reused).
        self.indicators = _joined(ids, indicators)
        self.stored = {
            (t.indikator_id, t.tahun, t.jenis): t
            for t in Target.objects.select_for_update().filter(
                indikator_id__in=ids, tahun__in=years
            )
        }
        self.previous = _previous_targets(ids, years)
        self._planned: dict[tuple[int, int, str], tuple[Target, Target | None]] = {}
        # Read at the first text cell only (a workbook of numbers costs no query), then kept
        # up to date with the numbers this batch writes.
        self._numeric: set[int] = set()
        self._numeric_read: set[int] = set()

    def plan(self, change: TargetChange) -> tuple[Target, Target | None] | None:
        """The row to write for a cell, or None when the cell equals what is stored."""
        current = self.stored.get(change.key)
        if (
            current is not None
            and current.nilai == change.nilai
            and current.nilai_teks == change.nilai_teks
        ):
            return None
        indikator = self.indicators.get(int(change.indikator.pk), change.indikator)
        if current is None:
            obj = Target(indikator=indikator, tahun=change.tahun, jenis=change.jenis)
        else:
            current.indikator = indikator
            obj = Target(
                pk=current.pk,
                indikator=indikator,
                tahun=current.tahun,
                jenis=current.jenis,
                sumber=current.sumber,
                versi=current.versi,
            )
            obj._state.adding = False
        obj.nilai, obj.nilai_teks = change.nilai, change.nilai_teks
        if change.sumber:
            obj.sumber = change.sumber
        return obj, current

    def check(self, changes: Sequence[TargetChange]) -> list[str]:
        """Refuse any cell that breaks a rule; return the ×10 jumps to confirm."""
        for change in changes:
            if change.nilai is not None and change.jenis == JenisTarget.RENSTRA:
                # A later year is compared with what this batch writes for the year before.
                self.previous[(int(change.indikator.pk), change.tahun)] = change.nilai
        items = []
        for change in changes:
            planned = self.plan(change)
            if planned is not None:
                # Written as checked: the cell is planned once.
                self._planned[change.key] = planned
                items.append((*planned, change.versi))
        self._numeric |= {int(c.indikator.pk) for c in changes if c.nilai is not None}
        unread = {int(c.indikator.pk) for c in changes if c.nilai_teks} - self._numeric_read
        if unread:
            ids = unread | set(self.indicators)
            self._numeric |= _numeric_indicators(ids)
            self._numeric_read |= ids
        return _target_guards(
            self.user,
            items,
            locks=self.locks,
            permissions=self.permissions,
            previous=self.previous,
            numeric=self._numeric,
        )

    def write(self, changes: Sequence[TargetChange]) -> BatchResult:
        """Write checked cells; an unchanged cell is not written."""
        result = BatchResult()
        new: list[Target] = []
        old: list[Target] = []
        for change in changes:
            planned = self._planned.pop(change.key, None) or self.plan(change)
            if planned is None:
                result.unchanged += 1
                continue
            obj, current = planned
            if current is None:
                new.append(obj)
            else:
                obj.versi = current.versi + 1
                old.append(obj)
        result.created = bulk_save_with_history(
            Target,
            actor=self.user,
            new=new,
            changed=old,
            fields=["nilai", "nilai_teks", "sumber", "versi"],
        )
        result.updated = old
        for obj in [*result.created, *old]:
            self.stored[(obj.indikator_id, obj.tahun, obj.jenis)] = obj
        return result


def target_check(
    *,
    user: Actor,
    obj: Target,
    versi: int | None = None,
    confirm: bool = False,
    for_update: bool = False,
    locks: Locks | None = None,
    **_: Any,
) -> Target | None:
    stored = stored_row(obj, for_update=for_update)
    jumps = _target_guards(
        user,
        [(obj, stored, versi)],
        locks=locks or Locks(),
        permissions=_Permissions(user),
        previous=_previous_targets([obj.indikator_id], [obj.tahun]),
        numeric=_numeric_indicators([obj.indikator_id]) if obj.nilai_teks else set(),
    )
    _confirm_jumps(jumps, confirm)
    return stored


@transaction.atomic
def target_save(
    *, user: Actor, obj: Target, versi: int | None = None, confirm: bool = False, **_: Any
) -> Target:
    """The admin's change form and inline: one target as edited."""
    stored = target_check(user=user, obj=obj, versi=versi, confirm=confirm, for_update=True)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def target_delete(*, user: Actor, obj: Target, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, _opd_id(obj.indikator)), PLAN_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


@transaction.atomic
def target_set_many(
    *, user: Actor, changes: Sequence[TargetChange], confirm: bool = False
) -> BatchResult:
    """Write many target cells at once: every rule of :func:`target_save` for each, at a
    fixed number of queries, then bulk writes with history. A cell equal to what is stored is
    not written."""
    if not changes:
        return BatchResult()
    batch = TargetBatch(
        user,
        indicator_ids=[int(c.indikator.pk) for c in changes],
        years=[c.tahun for c in changes],
    )
    _confirm_jumps(batch.check(changes), confirm)
    return batch.write(changes)


def target_set(
    *,
    user: Actor,
    indikator: Indikator,
    tahun: int,
    jenis: str = JenisTarget.RENSTRA,
    nilai: Decimal | None,
    nilai_teks: str = "",
    sumber: str = "",
    versi: int | None = None,
    confirm: bool = False,
) -> Target | None:
    """Create or change one target; with no value, remove it. Perencana of the OPD only."""
    if nilai is None and not nilai_teks:
        target = Target.objects.filter(indikator=indikator, tahun=tahun, jenis=jenis).first()
        if target is not None:
            with transaction.atomic():
                check_version(  # guard
                    stored_row(target, for_update=True), versi, shown=_shown(target)
                )
                target_delete(user=user, obj=target)
        return None
    change = TargetChange(indikator, tahun, nilai, nilai_teks, jenis, versi, sumber)
    target_set_many(user=user, changes=[change], confirm=confirm)
    return Target.objects.filter(indikator=indikator, tahun=tahun, jenis=jenis).first()


# --- realisasi ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodValue:
    periode: str
    nilai: Decimal | None
    nilai_teks: str = ""
    # The version the form showed (0 = the row did not exist), for the lost-update check;
    # None only for trusted callers without one.
    versi: int | None = 0


def realisasi_takes_text(target: Target | None) -> bool:
    """A realisasi may be text only where the year's target is qualitative (WTP, BB…); for
    every other indicator text is a typing error, refused as the form refuses it."""
    return target is not None and target.nilai is None and bool(target.nilai_teks)


def check_can_record(user: Actor, indikator: Indikator) -> None:
    """The kabid pages' early check, the same rule the service applies."""
    refuse_unless(
        can_record_for_bidang(user, _opd_id(indikator), indikator.effective_bidang_id),
        OWN_BIDANG_ONLY,
    )


@dataclass(frozen=True)
class RealisasiEntry:
    """One indicator-year of a workbook or form: its periods, narrative and evidence."""

    indikator: Indikator
    tahun: int
    values: tuple[PeriodValue, ...]
    analisis: str | None = None
    hambatan: str | None = None
    tindak_lanjut: str | None = None
    bukti: UploadedFile | None = None


Plan = tuple[list[Realisasi], list[Realisasi]]
# What a recording may change on a stored row; everything else (indicator, year, period) is
# its identity.
REALISASI_WRITTEN = [
    "nilai",
    "nilai_teks",
    "analisis",
    "hambatan",
    "tindak_lanjut",
    "bukti",
    "bukti_nama",
    "diisi_oleh",
    "diisi_pada",
    "versi",
]


def lock_indicators(ids: Iterable[int]) -> None:
    """Lock the indicators a write records values for, in one order (no deadlock between two
    batches). Locking the rows that exist is not enough: a value not stored yet has no row to
    lock, so two first saves at once (a double click) would both insert and the second would
    hit the unique key. Under the indicator's lock the second waits, then reads the first's
    row and is refused as stale, with who saved what."""
    if ids:
        list(
            Indikator.objects.select_for_update()
            .filter(pk__in=sorted(ids))
            .order_by("pk")
            .values_list("pk", flat=True)
        )


class RealisasiBatch:
    """Many indicator-years (a workbook, or the one of a form) checked one by one against what
    one prefetch read, then written. Queries per batch, whatever its size: the stored rows
    (locked), the year's targets, the previous year's values, the role once per (OPD, bidang)
    and the locks once per OPD."""

    def __init__(
        self,
        user: Actor,
        *,
        indicator_ids: Iterable[int],
        years: Iterable[int],
        lock_rows: bool = True,
        indicators: Iterable[Indikator] | None = None,
    ) -> None:
        self.actor = user
        self.locks = Locks()
        self.permissions = _Permissions(user)
        self.jumps: list[str] = []
        ids, years = set(indicator_ids), set(years)
        if lock_rows:
            lock_indicators(ids)
        # The rules read each indicator's period and responsible bidang: joined here, once
        # (a workbook already read them with their tree: reused).
        self.indicators = _joined(ids, indicators)
        rows = Realisasi.objects.filter(indikator_id__in=ids, tahun__in=years)
        if lock_rows:
            rows = rows.select_for_update()
        grouped: dict[tuple[int, int], dict[str, Realisasi]] = defaultdict(dict)
        for row in rows:
            grouped[(row.indikator_id, row.tahun)][row.periode] = row
        self.stored = grouped
        self.targets = Target.objects.filter(indikator_id__in=ids, tahun__in=years).effective()
        self.previous = {
            (row["indikator_id"], row["tahun"]): row["nilai"]
            for row in Realisasi.objects.filter(
                indikator_id__in=ids,
                tahun__in={y - 1 for y in years},
                periode=Periode.TAHUNAN,
                nilai__isnull=False,
            ).values("indikator_id", "tahun", "nilai")
        }

    def check(self, entry: RealisasiEntry) -> tuple[Plan, list[str]]:
        """Refuse an entry that breaks a rule; return what to write and the ×10 jumps."""
        before = len(self.jumps)
        joined = self.indicators.get(int(entry.indikator.pk))
        if joined is not None:
            entry = replace(entry, indikator=joined)
        kind = _realisasi_entry_guards(self, entry)
        plan = _realisasi_write(self, entry, kind)
        return plan, self.jumps[before:]

    def write(self, plans: Sequence[Plan]) -> list[Realisasi]:
        """Deletes one by one (a form's emptied field; a workbook never sends them), then
        every saved row in bulk with its history: a constant number of queries per batch."""
        now = timezone.now()
        history_user = as_user(self.actor)
        new: list[Realisasi] = []
        changed: list[Realisasi] = []
        for to_save, to_delete in plans:
            for row in to_delete:
                stamp(row, self.actor)
                row.delete()
            for row in to_save:
                row.diisi_oleh = history_user
                row.diisi_pada = now
                if row.pk is None:
                    new.append(row)
                else:
                    # The row is locked (select_for_update above): a plain increment is safe.
                    row.versi += 1
                    changed.append(row)
        created = bulk_save_with_history(
            Realisasi, actor=self.actor, new=new, changed=changed, fields=REALISASI_WRITTEN
        )
        return [*created, *changed]


def _realisasi_entry_guards(batch: RealisasiBatch, entry: RealisasiEntry) -> str | None:
    """Permission, lock, period, stale versions, evidence: before anything is written.
    Returns the evidence kind."""
    indikator, tahun = entry.indikator, entry.tahun
    opd_id = _opd_id(indikator)
    refuse_unless(  # guard
        batch.permissions.record(opd_id, indikator.effective_bidang_id), OWN_BIDANG_ONLY
    )
    ensure_unlocked(opd_id=opd_id, tahun=tahun, locks=batch.locks)  # guard
    ensure_in_period(indikator.periode, tahun)  # guard
    kind = None
    if entry.bukti is not None:
        kind = validate_evidence(entry.bukti, entry.bukti.size or 0)  # guard
    existing = batch.stored.get((int(indikator.pk), tahun), {})
    stale = [
        v
        for v in entry.values
        if v.versi is not None
        and (existing[v.periode].versi if v.periode in existing else 0) != v.versi
    ]
    if stale:  # guard
        messages = []
        for v in stale:
            current = existing.get(v.periode)
            who = str(current.diisi_oleh) if current is not None and current.diisi_oleh else None
            messages.append(
                f"{Periode(v.periode).label}: sudah diubah oleh {who or 'pengguna lain'} "
                f"menjadi {_shown(current)}"
            )
        raise StaleEdit(
            "Data ini telah diubah sejak formulir atau berkas dibuka; simpanan Anda ditolak agar "
            "tidak menimpa perubahan tersebut. " + "; ".join(messages) + ". Muat ulang halaman."
        )
    return kind


def _realisasi_value_guards(
    batch: RealisasiBatch, entry: RealisasiEntry, v: PeriodValue, row: Realisasi | None
) -> None:
    # Errors are keyed by the period ("tahunan", "tw1"…): the form's fields and the
    # workbook's columns of the same name show them where the value was typed.
    indikator = entry.indikator
    if v.periode != Periode.TAHUNAN and indikator.frekuensi == Frekuensi.TAHUNAN:  # guard
        raise ValidationError(
            {
                v.periode: "Indikator ini hanya dilaporkan tahunan; realisasi triwulan tidak "
                "dapat diisi."
            }
        )
    target = batch.targets.get((int(indikator.pk), entry.tahun))
    if v.nilai_teks and (v.periode != Periode.TAHUNAN or not realisasi_takes_text(target)):
        raise ValidationError(  # guard
            {
                v.periode: f"«{v.nilai_teks}» bukan angka; indikator ini diisi dengan angka "
                "(mis. 74,04)."
            }
        )
    if v.nilai is None:
        return
    what = f"Realisasi {Periode(v.periode).label.lower()} {entry.tahun} «{indikator.nama}»"
    if row is not None and row.nilai is not None:
        message = _jump_message(what, v.nilai, row.nilai, "nilai tersimpan")
        if message:
            batch.jumps.append(message)
            return
    before = batch.previous.get((int(indikator.pk), entry.tahun - 1))
    if v.periode == Periode.TAHUNAN and before is not None:
        message = _jump_message(what, v.nilai, before, f"realisasi {entry.tahun - 1}")
        if message:
            batch.jumps.append(message)


def _realisasi_write(
    batch: RealisasiBatch, entry: RealisasiEntry, kind: str | None
) -> tuple[list[Realisasi], list[Realisasi]]:
    """Rows to save and rows to delete for one indicator-year (validated, not yet written)."""
    indikator, tahun = entry.indikator, entry.tahun
    existing = batch.stored.get((int(indikator.pk), tahun), {})
    # The annual row also carries the narrative and evidence: keep (or create) it for those
    # even when the annual value itself is left empty (derived from the quarters).
    annual_existing = existing.get(Periode.TAHUNAN)
    needs_annual_row = (
        any((text or "").strip() for text in (entry.analisis, entry.hambatan, entry.tindak_lanjut))
        or entry.bukti is not None
        or bool(annual_existing is not None and annual_existing.bukti)
    )
    to_save: list[Realisasi] = []
    to_delete: list[Realisasi] = []
    for v in entry.values:
        row = existing.get(v.periode)
        empty = v.nilai is None and not v.nilai_teks
        if v.periode != Periode.TAHUNAN and indikator.frekuensi == Frekuensi.TAHUNAN and empty:
            continue
        _realisasi_value_guards(batch, entry, v, row)
        keep_for_narrative = v.periode == Periode.TAHUNAN and needs_annual_row
        if empty and not keep_for_narrative:
            if row is not None and (row.nilai is not None or row.nilai_teks):
                to_delete.append(row)
            continue
        if row is None:
            row = Realisasi(indikator=indikator, tahun=tahun, periode=v.periode)
        row.indikator = indikator
        changed = row.pk is None or row.nilai != v.nilai or row.nilai_teks != v.nilai_teks
        row.nilai = v.nilai
        row.nilai_teks = v.nilai_teks
        if v.periode == Periode.TAHUNAN:
            for attr, text in (
                ("analisis", entry.analisis),
                ("hambatan", entry.hambatan),
                ("tindak_lanjut", entry.tindak_lanjut),
            ):
                if text is not None and getattr(row, attr) != text:
                    setattr(row, attr, text)
                    changed = True
            if entry.bukti is not None and kind is not None:
                suffix = ALLOWED[kind][1]
                row.bukti.save(f"bukti{suffix}", entry.bukti, save=False)
                row.bukti_nama = Path(entry.bukti.name or "").name[:255]
                changed = True
        if not changed:
            continue
        try:
            row.full_clean(  # guard
                exclude=["indikator", "diisi_oleh"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            raise ValidationError({v.periode: exc.messages}) from exc
        to_save.append(row)
    return to_save, to_delete


@transaction.atomic
def realisasi_record_many(
    *, user: Actor, entries: Sequence[RealisasiEntry], confirm: bool = False
) -> list[Realisasi]:
    """Record the annual and/or quarterly realisasi of many indicator-years at once.

    A value of None with no text deletes that period's row (the form's field was emptied;
    a workbook never sends those). The narrative and evidence live on the annual row.
    Capaian is never accepted from input. All rows are checked before any is written.
    """
    batch = RealisasiBatch(
        user,
        indicator_ids=[int(e.indikator.pk) for e in entries],
        years=[e.tahun for e in entries],
    )
    plans = [batch.check(entry)[0] for entry in entries]
    _confirm_jumps(batch.jumps, confirm)
    return batch.write(plans)


def realisasi_record(
    *,
    user: Actor,
    indikator: Indikator,
    tahun: int,
    values: list[PeriodValue],
    analisis: str | None = None,
    hambatan: str | None = None,
    tindak_lanjut: str | None = None,
    bukti: UploadedFile | None = None,
    confirm: bool = False,
) -> list[Realisasi]:
    """Record the annual and/or quarterly realisasi of one indicator-year (the kabid form)."""
    entry = RealisasiEntry(
        indikator, tahun, tuple(values), analisis, hambatan, tindak_lanjut, bukti
    )
    return realisasi_record_many(user=user, entries=[entry], confirm=confirm)


def realisasi_check(
    *, user: Actor, obj: Realisasi, versi: int | None = None, confirm: bool = False, **_: Any
) -> None:
    """The admin's change form, checked as the kabid form is."""
    entry = _admin_entry(obj, versi)
    batch = RealisasiBatch(
        user, indicator_ids=[obj.indikator_id], years=[obj.tahun], lock_rows=False
    )
    _realisasi_entry_guards(batch, entry)
    stored = batch.stored.get((int(obj.indikator_id), obj.tahun), {}).get(obj.periode)
    _realisasi_value_guards(batch, entry, entry.values[0], stored)
    obj.full_clean(validate_unique=False, validate_constraints=False)  # guard
    _confirm_jumps(batch.jumps, confirm)


def _admin_entry(obj: Realisasi, versi: int | None) -> RealisasiEntry:
    value = PeriodValue(obj.periode, obj.nilai, obj.nilai_teks, versi)
    return RealisasiEntry(obj.indikator, obj.tahun, (value,))


@transaction.atomic
def realisasi_save(
    *, user: Actor, obj: Realisasi, versi: int | None = None, confirm: bool = False, **_: Any
) -> Realisasi:
    """The admin's change form: one period's row as edited, under every rule of the form."""
    stored = stored_row(obj, for_update=True)
    if stored is not None and (stored.indikator_id, stored.tahun) != (obj.indikator_id, obj.tahun):
        # Moving a row to another indicator or year writes both places.
        check_can_record(user, stored.indikator)
        ensure_unlocked(opd_id=_opd_id(stored.indikator), tahun=stored.tahun)  # guard
    realisasi_check(user=user, obj=obj, versi=versi, confirm=confirm)
    bump_version(obj, stored)
    obj.diisi_oleh = as_user(user)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def realisasi_delete(*, user: Actor, obj: Realisasi, **_: Any) -> None:
    check_can_record(user, obj.indikator)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


# --- comparison values and supporting tables -------------------------------------------------


def pembanding_check(*, user: Actor, obj: Pembanding, **_: Any) -> None:
    stored = stored_row(obj, for_update=False)
    for opd_id in {_opd_id(obj.indikator), *([_opd_id(stored.indikator)] if stored else [])}:
        refuse_unless(can_manage_plan(user, opd_id), PLAN_ONLY)  # guard
    ensure_unlocked(opd_id=_opd_id(obj.indikator), tahun=obj.tahun)  # guard
    obj.full_clean()  # guard


@transaction.atomic
def pembanding_save(*, user: Actor, obj: Pembanding, **_: Any) -> Pembanding:
    pembanding_check(user=user, obj=obj)
    obj.save()
    return obj


@transaction.atomic
def pembanding_delete(*, user: Actor, obj: Pembanding, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, _opd_id(obj.indikator)), PLAN_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    obj.delete()


def data_pendukung_check(*, user: Actor, obj: DataPendukung, **_: Any) -> None:
    stored = stored_row(obj, for_update=False)
    for opd_id in {obj.opd_id, *([stored.opd_id] if stored else [])}:
        refuse_unless(can_manage_plan(user, opd_id), PLAN_ONLY)  # guard
    if obj.indikator is not None and _opd_id(obj.indikator) != obj.opd_id:  # guard
        raise ValidationError({"indikator": "Indikator harus dari OPD yang sama."})
    ensure_unlocked(opd_id=obj.opd_id, tahun=obj.tahun)  # guard
    obj.full_clean()  # guard


@transaction.atomic
def data_pendukung_save(*, user: Actor, obj: DataPendukung, **_: Any) -> DataPendukung:
    data_pendukung_check(user=user, obj=obj)
    obj.save()
    return obj


@transaction.atomic
def data_pendukung_delete(*, user: Actor, obj: DataPendukung, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, obj.opd_id), PLAN_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    obj.delete()


# --- scales and settings -----------------------------------------------------------------------


def skala_check(
    *, user: Actor, obj: Skala, bands: list[dict[str, Any]] | None = None, **_: Any
) -> None:
    refuse_unless(can_administer(user), "Hanya admin yang dapat mengubah skala kategori.")  # guard
    obj.full_clean()  # guard
    if bands is not None:
        from ..selectors import scale_from_rows

        try:
            scale_from_rows(obj, bands).validate()  # guard
        except ValueError as exc:
            raise ValidationError({"__all__": str(exc)}) from exc


def _next_version(text: str) -> str:
    # ASCII digits only: "²".isdigit() is true, int("²") raises.
    return str(int(text) + 1) if text.isascii() and text.isdigit() else f"{text}+1"


@transaction.atomic
def skala_save(
    *, user: Actor, obj: Skala, bands: list[dict[str, Any]] | None = None, **_: Any
) -> Skala:
    """A scale and (given) its whole set of bands, validated together as a gapless cover.

    Changing the bands of a stored scale raises its version, so a final LAKIP that names
    "skala X versi 1" still means the bands it was computed with."""
    skala_check(user=user, obj=obj, bands=bands)
    if bands is not None and obj.pk is not None:
        current = [
            (b.urutan, b.label, b.batas_bawah, b.bawah_inklusif, b.batas_atas, b.atas_inklusif)
            for b in obj.band_set.order_by("urutan")
        ]
        wanted = [
            (
                int(b["urutan"]),
                b["label"],
                b.get("batas_bawah"),
                bool(b.get("bawah_inklusif")),
                b.get("batas_atas"),
                bool(b.get("atas_inklusif")),
            )
            for b in sorted(bands, key=lambda b: int(b["urutan"]))
        ]
        if current != wanted and obj.versi == Skala.objects.get(pk=obj.pk).versi:
            obj.versi = _next_version(obj.versi)
    obj.save()
    if bands is not None:
        obj.band_set.all().delete()
        SkalaBand.objects.bulk_create(
            SkalaBand(
                skala=obj,
                urutan=int(b["urutan"]),
                label=b["label"],
                batas_bawah=b.get("batas_bawah"),
                bawah_inklusif=bool(b.get("bawah_inklusif")),
                batas_atas=b.get("batas_atas"),
                atas_inklusif=bool(b.get("atas_inklusif")),
                warna=b.get("warna") or "#888888",
            )
            for b in bands
        )
    return obj


@transaction.atomic
def skala_delete(*, user: Actor, obj: Skala, **_: Any) -> None:
    refuse_unless(can_administer(user), "Hanya admin yang dapat menghapus skala.")  # guard
    if PengaturanOpd.objects.filter(skala=obj).exists() or obj.bawaan:  # guard
        raise ValidationError("Skala ini sedang dipakai (bawaan atau oleh OPD); tidak dihapus.")
    obj.delete()


def pengaturan_check(*, user: Actor, obj: PengaturanOpd, **_: Any) -> None:
    stored = stored_row(obj, for_update=False)
    for opd_id in {obj.opd_id, *([stored.opd_id] if stored else [])}:
        refuse_unless(  # guard
            can_manage_plan(user, opd_id), "Hanya perencana OPD ini yang dapat mengubahnya."
        )
    obj.full_clean()  # guard


@transaction.atomic
def pengaturan_save(*, user: Actor, obj: PengaturanOpd, **_: Any) -> PengaturanOpd:
    pengaturan_check(user=user, obj=obj)
    obj.save()
    return obj


@transaction.atomic
def pengaturan_delete(*, user: Actor, obj: PengaturanOpd, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, obj.opd_id), PLAN_ONLY)  # guard
    obj.delete()


def scale_presets_ensure() -> None:
    """Create the preset scales (engine.PRESET_SCALES) that are missing; the seed scale is the
    default when no scale is marked default. Existing scales are never changed. Runs from the
    seed loader and on first use, as the system itself, through :func:`skala_save`."""
    actor = SystemActor("skala bawaan")
    has_default = Skala.objects.filter(bawaan=True).exists()
    for code, scale in engine.PRESET_SCALES.items():
        if Skala.objects.filter(kode=code).exists():
            continue
        try:
            # Two first requests may both find it missing: the second one's insert meets the
            # unique kode and is rolled back to its savepoint; the first one's row stands.
            with transaction.atomic():
                _preset_save(actor, code, scale, default=not has_default)
        except IntegrityError:
            continue


def _preset_save(actor: SystemActor, code: str, scale: engine.Scale, *, default: bool) -> None:
    skala_save(
        user=actor,
        obj=Skala(
            kode=code,
            nama=scale.name,
            versi=scale.version,
            bawaan=default and code == engine.DEFAULT_SCALE_CODE,
        ),
        bands=[
            {
                "urutan": i,
                "label": band.label,
                "batas_bawah": band.lower,
                "bawah_inklusif": band.lower_inclusive,
                "batas_atas": band.upper,
                "atas_inklusif": band.upper_inclusive,
                "warna": band.color,
            }
            for i, band in enumerate(scale.bands, start=1)
        ],
    )


register(
    Indikator,
    opd_path="periode__opd",
    save=indikator_save,
    delete=indikator_delete,
    check=indikator_check,
)
register(
    Target,
    opd_path="indikator__periode__opd",
    save=target_save,
    delete=target_delete,
    check=target_check,
)
register(
    Realisasi,
    opd_path="indikator__periode__opd",
    save=realisasi_save,
    delete=realisasi_delete,
    check=realisasi_check,
)
register(
    Pembanding,
    opd_path="indikator__periode__opd",
    save=pembanding_save,
    delete=pembanding_delete,
    check=pembanding_check,
)
register(
    DataPendukung,
    opd_path="opd",
    save=data_pendukung_save,
    delete=data_pendukung_delete,
    check=data_pendukung_check,
)
register(Skala, opd_path=None, save=skala_save, delete=skala_delete, check=skala_check)
register(
    PengaturanOpd,
    opd_path="opd",
    save=pengaturan_save,
    delete=pengaturan_delete,
    check=pengaturan_check,
)
