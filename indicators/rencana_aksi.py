"""Rencana aksi: quarterly targets beside the annual one (PermenPANRB 53/2014), their write
service, and the quarterly table (target, realisasi, capaian per triwulan) the "Rencana Aksi
dan Realisasi Triwulan" page, its workbook and the dashboard's monitoring read.

The write service has the guards of the annual target's (``indicators.services``): the
OPD's planner only, a year of the Renstra period, an open year, the version the form showed,
values the column can hold, and only indicators reported per triwulan. Each guard line ends
with ``# guard`` (``scripts/mutate_guards.py``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from common.numbers import format_exact
from renstra.door import (
    Actor,
    StaleEdit,
    ensure_in_period,
    ensure_unlocked,
    refuse_unless,
    register,
    removal_guard,
    stamp,
)
from renstra.permissions import can_manage_plan

from . import engine
from .models import QUARTERS, Frekuensi, Indikator, Periode, Realisasi, TargetTriwulan
from .services.shared import PLAN_ONLY

ANNUAL_ONLY = "Indikator ini hanya dilaporkan tahunan; target triwulan tidak dapat diisi."


@dataclass(frozen=True)
class QuarterTarget:
    periode: str
    nilai: Decimal | None  # None removes the quarter's target
    versi: int | None = 0  # the version the form showed (0: none stored); None: trusted


@transaction.atomic
def target_triwulan_set(
    *,
    user: Actor,
    indikator: Indikator,
    tahun: int,
    values: Sequence[QuarterTarget],
    sumber: str = "",
) -> list[TargetTriwulan]:
    """Set (or, with None, remove) the quarterly targets of one indicator-year."""
    opd_id = int(indikator.periode.opd_id)
    refuse_unless(can_manage_plan(user, opd_id), PLAN_ONLY)  # guard
    ensure_in_period(indikator.periode, tahun)  # guard
    ensure_unlocked(opd_id=opd_id, tahun=tahun)  # guard
    if indikator.frekuensi == Frekuensi.TAHUNAN:  # guard
        raise ValidationError(ANNUAL_ONLY)
    stored = {
        t.periode: t
        for t in TargetTriwulan.objects.select_for_update().filter(indikator=indikator, tahun=tahun)
    }
    stale = [
        v
        for v in values
        if v.versi is not None
        and (stored[v.periode].versi if v.periode in stored else 0) != v.versi
    ]
    if stale:  # guard
        shown = "; ".join(
            f"{Periode(v.periode).label}: "
            + (format_exact(stored[v.periode].nilai) if v.periode in stored else "(dihapus)")
            for v in stale
        )
        raise StaleEdit(
            "Data ini telah diubah sejak formulir dibuka; simpanan Anda ditolak agar tidak "
            f"menimpa perubahan tersebut. Nilai tersimpan sekarang: {shown}. Muat ulang halaman."
        )
    saved: list[TargetTriwulan] = []
    for v in values:
        if v.periode not in QUARTERS:  # guard
            raise ValidationError({v.periode: "Periode target triwulan harus TW I–IV."})
        row = stored.get(v.periode)
        if v.nilai is None:
            if row is not None:
                stamp(row, user)
                row.delete()
            continue
        if row is not None and row.nilai == v.nilai:
            continue
        if row is None:
            row = TargetTriwulan(indikator=indikator, tahun=tahun, periode=v.periode)
        else:
            row.versi += 1
        row.nilai = v.nilai
        if sumber:
            row.sumber = sumber
        try:
            row.full_clean(exclude=["indikator"], validate_unique=False)  # guard
        except ValidationError as exc:
            raise ValidationError({v.periode: exc.messages}) from exc
        stamp(row, user)
        row.save()
        saved.append(row)
    return saved


@transaction.atomic
def target_triwulan_save(
    *, user: Actor, obj: TargetTriwulan, versi: int | None = None, **_: Any
) -> TargetTriwulan:
    """Any adapter saving one row goes through :func:`target_triwulan_set`."""
    stored = TargetTriwulan.objects.filter(pk=obj.pk).first() if obj.pk else None
    if stored is not None and (stored.indikator_id, stored.tahun) != (obj.indikator_id, obj.tahun):
        refuse_unless(  # guard
            can_manage_plan(user, int(stored.indikator.periode.opd_id)), PLAN_ONLY
        )
        ensure_unlocked(opd_id=int(stored.indikator.periode.opd_id), tahun=stored.tahun)  # guard
    target_triwulan_set(
        user=user,
        indikator=obj.indikator,
        tahun=obj.tahun,
        values=[QuarterTarget(obj.periode, obj.nilai, versi)],
        sumber=obj.sumber,
    )
    return TargetTriwulan.objects.get(indikator=obj.indikator, tahun=obj.tahun, periode=obj.periode)


@transaction.atomic
def target_triwulan_delete(*, user: Actor, obj: TargetTriwulan, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, int(obj.indikator.periode.opd_id)), PLAN_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


register(
    TargetTriwulan,
    opd_path="indikator__periode__opd",
    save=target_triwulan_save,
    delete=target_triwulan_delete,
)


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterRow:
    indikator: Indikator
    targets: tuple[TargetTriwulan | None, ...]
    realisasi: tuple[Realisasi | None, ...]
    results: tuple[engine.CapaianResult, ...]

    @property
    def cells(self) -> list[dict[str, Any]]:
        return [
            {
                "periode": q,
                "label": Periode(q).label,
                "target": t,
                "realisasi": r,
                "result": res,
            }
            for q, t, r, res in zip(
                QUARTERS, self.targets, self.realisasi, self.results, strict=True
            )
        ]


def quarter_rows(
    indicators: Sequence[Indikator], tahun: int, scale: engine.Scale
) -> list[QuarterRow]:
    """Each quarterly-reported indicator's targets, realisasi and capaian per triwulan, from
    the engine: 2 queries (quarterly targets, quarterly realisasi) whatever the number."""
    shown = [i for i in indicators if i.frekuensi == Frekuensi.TRIWULANAN]
    ids = [i.pk for i in shown]
    targets: dict[tuple[int, str], TargetTriwulan] = {
        (t.indikator_id, t.periode): t
        for t in TargetTriwulan.objects.filter(indikator_id__in=ids, tahun=tahun)
    }
    realisasi: dict[tuple[int, str], Realisasi] = {
        (r.indikator_id, r.periode): r
        for r in Realisasi.objects.filter(indikator_id__in=ids, tahun=tahun, periode__in=QUARTERS)
    }
    rows = []
    for ind in shown:
        t = tuple(targets.get((ind.pk, q)) for q in QUARTERS)
        r = tuple(realisasi.get((ind.pk, q)) for q in QUARTERS)
        results = engine.compute_quarterly(
            targets=[x.nilai if x is not None else None for x in t],
            realisasi=[x.engine_value if x is not None else None for x in r],
            polarity=engine.Polarity(ind.polaritas),
            method=engine.NegativeMethod(ind.metode_negatif),
            scale=scale,
        )
        rows.append(QuarterRow(ind, t, r, tuple(results)))
    return rows


@dataclass(frozen=True)
class QuarterMonitoring:
    """Per bidang: how many of its quarterly indicators have a realisasi for each triwulan."""

    bidang: str
    total: int
    reported: tuple[int, ...]

    @property
    def missing(self) -> list[str]:
        return [
            Periode(q).label for q, n in zip(QUARTERS, self.reported, strict=True) if n < self.total
        ]


def quarter_monitoring(
    indicators: Sequence[Indikator], quarters: Mapping[int, Sequence[Any]]
) -> list[QuarterMonitoring]:
    """From rows already read (indicator → its four quarter rows): no query."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for ind in indicators:
        if ind.frekuensi != Frekuensi.TRIWULANAN:
            continue
        b = ind.effective_bidang
        key = b.nama if b is not None else "Tanpa bidang"
        counts[key][0] += 1
        for i, q in enumerate(quarters.get(ind.pk, (None,) * 4)):
            if q is not None and q.engine_value is not None:
                counts[key][i + 1] += 1
    return [QuarterMonitoring(k, v[0], tuple(v[1:])) for k, v in sorted(counts.items())]


@transaction.atomic
def target_triwulan_set_many(
    *, user: Actor, items: Sequence[tuple[Indikator, int, Sequence[QuarterTarget]]]
) -> list[TargetTriwulan]:
    """Several indicators' quarterly targets (the page's form) in one transaction: any
    refusal writes nothing."""
    saved: list[TargetTriwulan] = []
    for indikator, tahun, values in items:
        saved.extend(
            target_triwulan_set(user=user, indikator=indikator, tahun=tahun, values=values)
        )
    return saved


def _reasons(exc: ValidationError | PermissionDenied) -> list[str]:
    """A refusal's messages as a person reads them: a quarter's own error names the quarter."""
    if isinstance(exc, PermissionDenied):
        return [str(exc)]
    if hasattr(exc, "error_dict"):
        return [
            f"{Periode(key).label}: {message}" if key in QUARTERS else message
            for key, messages in exc.message_dict.items()
            for message in messages
        ]
    return list(exc.messages)


def target_triwulan_check_many(
    *, user: Actor, items: Sequence[tuple[Indikator, int, Sequence[QuarterTarget]]]
) -> dict[int, list[str]]:
    """What :func:`target_triwulan_set_many` would refuse, per indicator, without writing
    anything: each item goes through :func:`target_triwulan_set` itself (so the preview of a
    workbook meets exactly the guards the apply will) in a savepoint of a transaction that is
    always rolled back. The apply checks everything again: this is advice, not a pass."""
    refusals: dict[int, list[str]] = {}
    with transaction.atomic():
        for indikator, tahun, values in items:
            try:
                # Atomic itself: a refusal rolls back this item's savepoint only.
                target_triwulan_set(user=user, indikator=indikator, tahun=tahun, values=values)
            except (ValidationError, PermissionDenied) as exc:
                refusals.setdefault(int(indikator.pk), []).extend(_reasons(exc))
        transaction.set_rollback(True)
    return refusals
