"""Write services of annual targets (Target): one row, a batch of a workbook's rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from common.cells import cell_value
from common.numbers import NumberParseError, Rate
from renstra.door import (
    Actor,
    Locks,
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
from renstra.permissions import can_manage_plan

from .. import engine
from ..models import (
    Indikator,
    JenisTarget,
    Realisasi,
    Target,
)
from .shared import (
    PLAN_ONLY,
    _confirm_jumps,
    _joined,
    _jump_message,
    _opd_id,
    _Permissions,
    _shown,
    check_rate,
    propose_satuan,
)

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
    # The rate the value was typed as ("75/100.000"): nilai is its value, the denominator is
    # checked against the indicator's satuan (proposed when it has none).
    rate: Rate | None = None

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
    if isinstance(parsed, Decimal | Rate):  # guard
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
        self.satuan_proposed: dict[int, tuple[str, str]] = {}

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
        jumps = _target_guards(
            self.user,
            items,
            locks=self.locks,
            permissions=self.permissions,
            previous=self.previous,
            numeric=self._numeric,
        )
        for change in changes:
            if change.rate is not None:
                indikator = self.indicators.get(int(change.indikator.pk), change.indikator)
                check_rate(self.satuan_proposed, indikator, change.rate, "nilai")
        return jumps

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
        propose_satuan(self.user, self.indicators, self.satuan_proposed)
        self.satuan_proposed = {}
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
    rate: Rate | None = None,
) -> Target | None:
    """Create or change one target; with no value, remove it. Perencana of the OPD only.
    ``rate``: the value was typed with its denominator ("75/100.000"; ``nilai`` is 75)."""
    if nilai is None and not nilai_teks:
        target = Target.objects.filter(indikator=indikator, tahun=tahun, jenis=jenis).first()
        if target is not None:
            with transaction.atomic():
                check_version(  # guard
                    stored_row(target, for_update=True), versi, shown=_shown(target)
                )
                target_delete(user=user, obj=target)
        return None
    change = TargetChange(indikator, tahun, nilai, nilai_teks, jenis, versi, sumber, rate)
    target_set_many(user=user, changes=[change], confirm=confirm)
    return Target.objects.filter(indikator=indikator, tahun=tahun, jenis=jenis).first()


register(
    Target,
    opd_path="indikator__periode__opd",
    save=target_save,
    delete=target_delete,
    check=target_check,
)
