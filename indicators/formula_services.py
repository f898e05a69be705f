"""Write services of the formula as data: an indicator's formula (``Rumus``), its components
(``Komponen``) and their values per year and triwulan (``NilaiKomponen``).

A component write computes the realisasi with the engine and records it through
:func:`indicators.services.realisasi_record_many` in the same transaction, so the realisasi
rules (permission of the bidang, year lock, Renstra period, the ×10 jump, bounds) are applied
once, where they live; this module adds only the components' own rules (they belong to the
indicator's formula, stale versions, non-negative and storable values, evidence, and the
formula being computable). Each guard line ends with ``# guard`` (``scripts/mutate_guards.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from common.numbers import format_exact
from renstra.door import (
    Actor,
    Locks,
    StaleEdit,
    as_user,
    bump_version,
    check_version,
    ensure_unlocked,
    refuse_unless,
    register,
    removal_guard,
    stamp,
    stored_row,
)
from renstra.models import KunciTahun
from renstra.permissions import can_manage_plan

from . import engine
from .evidence import ALLOWED, validate_evidence
from .models import Indikator, Komponen, NilaiKomponen, Periode, Rumus
from .services.realisasi import PeriodValue, RealisasiEntry, lock_indicators, realisasi_record_many
from .services.shared import PLAN_ONLY

NO_FORMULA = "Indikator ini belum memiliki rumus; realisasinya diisi langsung."
UNCONFIRMED = (
    "Rumus indikator ini masih saran dari teks keputusan dan belum dikonfirmasi perencana; "
    "realisasinya diisi langsung sampai rumusnya dikonfirmasi."
)


def _opd_id(indikator: Indikator) -> int:
    return int(indikator.periode.opd_id)


# --- the formula (perencana) ---------------------------------------------------------------------


@dataclass(frozen=True)
class KomponenSpec:
    nama: str
    peran: str
    satuan: str = ""
    sumber_data: str = ""


def _locked_years_with_values(rumus: Rumus) -> list[int]:
    years = set(
        NilaiKomponen.objects.filter(komponen__rumus_id=rumus.pk).values_list("tahun", flat=True)
    )
    if not years:
        return []
    return sorted(
        KunciTahun.objects.filter(
            opd_id=rumus.indikator.periode.opd_id, tahun__in=years
        ).values_list("tahun", flat=True)
    )


def _refuse_if_locked_values(rumus: Rumus | None) -> None:
    locked = _locked_years_with_values(rumus) if rumus is not None and rumus.pk else []
    if locked:  # guard
        raise ValidationError(
            "Rumus tidak dapat diubah: nilai komponen tahun "
            f"{', '.join(map(str, locked))} sudah dikunci dan realisasinya akan berubah."
        )


def rumus_check(
    *, user: Actor, obj: Rumus, versi: int | None = None, for_update: bool = False, **_: Any
) -> Rumus | None:
    stored = stored_row(obj, for_update=for_update)
    opds = {_opd_id(obj.indikator)}
    if stored is not None:
        opds.add(_opd_id(stored.indikator))
    for opd_id in opds:
        refuse_unless(can_manage_plan(user, opd_id), PLAN_ONLY)  # guard
    obj.full_clean()  # guard
    if obj.faktor is not None and obj.faktor <= 0:  # guard
        raise ValidationError({"faktor": "Faktor rumus harus angka lebih dari 0 (mis. 100)."})
    check_version(stored, versi, shown=f"rumus «{obj.indikator.nama}»")  # guard
    if stored is not None and (stored.operator, stored.faktor) != (obj.operator, obj.faktor):
        _refuse_if_locked_values(stored)
    return stored


@transaction.atomic
def rumus_save(*, user: Actor, obj: Rumus, versi: int | None = None, **_: Any) -> Rumus:
    """The admin's form: the operator, factor and notes (components are its inline)."""
    stored = rumus_check(user=user, obj=obj, versi=versi, for_update=True)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def rumus_delete(*, user: Actor, obj: Rumus, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, _opd_id(obj.indikator)), PLAN_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


@transaction.atomic
def rumus_set(
    *,
    user: Actor,
    indikator: Indikator,
    operator: str,
    komponen: Sequence[KomponenSpec],
    faktor: Decimal = Decimal(100),
    teks: str = "",
    catatan: str = "",
    dikonfirmasi: bool = False,
    versi: int | None = None,
) -> Rumus:
    """Define (or redefine) an indicator's formula with its whole list of components.

    Components are matched by name: a kept name keeps its recorded values; a dropped one is
    removed with its values (refused when any of them is in a locked year)."""
    current = Rumus.objects.filter(indikator=indikator).first()
    obj = current or Rumus(indikator=indikator)
    obj.indikator = indikator
    obj.operator, obj.faktor = operator, faktor
    obj.teks, obj.catatan, obj.dikonfirmasi = teks, catatan, dikonfirmasi
    formula = engine.Formula(
        operator=engine.Operator(operator),
        components=tuple(
            engine.Component(k.nama, engine.ComponentRole(k.peran), k.satuan, k.sumber_data)
            for k in komponen
        ),
        factor=faktor,
    )
    problems = formula.problems()
    if problems:  # guard
        raise ValidationError({"komponen": [p[:1].upper() + p[1:] + "." for p in problems]})
    names = [k.nama for k in komponen]
    if len(set(names)) != len(names):  # guard
        raise ValidationError({"komponen": "Nama komponen tidak boleh berulang."})
    stored = rumus_check(user=user, obj=obj, versi=versi, for_update=True)
    existing = {k.nama: k for k in (current.komponen_set.all() if current else [])}
    structure_changed = current is not None and (
        [(k.nama, k.peran) for k in current.komponen_set.order_by("urutan", "id")]
        != [(k.nama, k.peran) for k in komponen]
    )
    if structure_changed:
        _refuse_if_locked_values(current)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    for i, spec in enumerate(komponen, start=1):
        row = existing.pop(spec.nama, None) or Komponen(rumus=obj, nama=spec.nama)
        row.urutan, row.peran = i, spec.peran
        row.satuan, row.sumber_data = spec.satuan, spec.sumber_data
        row.full_clean(exclude=["rumus"], validate_unique=False)  # guard
        stamp(row, user)
        row.save()
    for gone in existing.values():
        stamp(gone, user)
        gone.delete()
    return obj


def komponen_check(*, user: Actor, obj: Komponen, **_: Any) -> Komponen | None:
    stored = stored_row(obj, for_update=False)
    for opd_id in {
        _opd_id(obj.rumus.indikator),
        *([_opd_id(stored.rumus.indikator)] if stored else []),
    }:
        refuse_unless(can_manage_plan(user, opd_id), PLAN_ONLY)  # guard
    obj.full_clean()  # guard
    if stored is not None and (stored.peran, stored.rumus_id) != (obj.peran, obj.rumus_id):
        _refuse_if_locked_values(stored.rumus)
    return stored


@transaction.atomic
def komponen_save(*, user: Actor, obj: Komponen, **_: Any) -> Komponen:
    komponen_check(user=user, obj=obj)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def komponen_delete(*, user: Actor, obj: Komponen, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, _opd_id(obj.rumus.indikator)), PLAN_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


# --- component values (kabid) -------------------------------------------------------------------


@dataclass(frozen=True)
class KomponenValue:
    """One component cell: its value (None empties it), source and evidence. ``versi`` is the
    version the form or workbook showed (0 = none stored); None only for trusted callers."""

    komponen: Komponen
    nilai: Decimal | None
    sumber: str = ""
    versi: int | None = 0
    bukti: UploadedFile | None = None


@dataclass(frozen=True)
class KomponenEntry:
    """The components of one indicator-year, per period (tahunan and/or triwulan), with the
    narrative and evidence the annual realisasi row carries (None leaves them as stored)."""

    indikator: Indikator
    tahun: int
    periods: tuple[tuple[str, tuple[KomponenValue, ...]], ...]
    analisis: str | None = None
    hambatan: str | None = None
    tindak_lanjut: str | None = None
    bukti: UploadedFile | None = None


def _values_guards(
    entry: KomponenEntry,
    periode: str,
    given: tuple[KomponenValue, ...],
    rumus: Rumus | None,
    components: list[Komponen],
    stored: dict[int, NilaiKomponen],
) -> tuple[engine.FormulaResult | None, dict[int, str | None]]:
    """Every rule of the components themselves; returns the engine's result (None when all
    are emptied) and each evidence's kind."""
    if rumus is None:  # guard
        raise ValidationError(NO_FORMULA)
    if not rumus.dikonfirmasi:  # guard
        raise ValidationError(UNCONFIRMED)
    own = {k.pk for k in components}
    foreign = [v.komponen.nama for v in given if v.komponen.pk not in own]
    if foreign:  # guard
        raise ValidationError(f"Komponen {', '.join(foreign)} bukan bagian rumus indikator ini.")
    stale = [
        v
        for v in given
        if v.versi is not None
        and (stored[v.komponen.pk].versi if v.komponen.pk in stored else 0) != v.versi
    ]
    if stale:  # guard
        shown = "; ".join(
            f"{v.komponen.nama}: "
            + (
                format_exact(stored[v.komponen.pk].nilai)
                if v.komponen.pk in stored
                else "(dihapus)"
            )
            for v in stale
        )
        raise StaleEdit(
            "Data ini telah diubah sejak formulir atau berkas dibuka; simpanan Anda ditolak agar "
            f"tidak menimpa perubahan tersebut. Nilai tersimpan sekarang: {shown}. Muat ulang "
            "halaman."
        )
    kinds: dict[int, str | None] = {}
    for v in given:
        key = f"komponen_{v.komponen.pk}"
        if v.nilai is not None and v.nilai < 0:  # guard
            raise ValidationError({key: f"Nilai «{v.komponen.nama}» tidak boleh negatif."})
        if v.nilai is not None:
            cell = NilaiKomponen(
                komponen=v.komponen,
                tahun=entry.tahun,
                periode=periode,
                nilai=v.nilai,
                sumber=v.sumber,
            )
            try:
                cell.full_clean(  # guard
                    exclude=["komponen", "diisi_oleh", "bukti"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as exc:
                raise ValidationError({key: exc.messages}) from exc
        if v.bukti is not None:
            kinds[v.komponen.pk] = validate_evidence(v.bukti, v.bukti.size or 0)  # guard
    by_pk = {v.komponen.pk: v for v in given}
    values = [
        by_pk[k.pk].nilai if k.pk in by_pk else (stored[k.pk].nilai if k.pk in stored else None)
        for k in components
    ]
    if all(v is None for v in values):
        return None, kinds
    result = engine.evaluate(rumus.engine_formula(components), values)
    if result.value is None:  # guard
        raise ValidationError(
            f"Realisasi tidak dapat dihitung dari komponennya: {result.reason} "
            f"({result.text}). Tidak ada yang disimpan."
        )
    return result, kinds


@transaction.atomic
def komponen_record_many(
    *, user: Actor, entries: Sequence[KomponenEntry], confirm: bool = False
) -> list[NilaiKomponen]:
    """Record component values and the realisasi the engine computes from them, together.

    Everything is checked before anything is written; the realisasi goes through the
    realisasi service (its rules apply once, there). A value of None removes that component's
    value; all of a period's components emptied removes the period's realisasi too."""
    ids = {int(e.indikator.pk) for e in entries}
    # Before reading the stored values: two first saves at once must not both find none.
    lock_indicators(ids)
    rumus_by_ind = {r.indikator_id: r for r in Rumus.objects.filter(indikator_id__in=ids)}
    components: dict[int, list[Komponen]] = {}
    for k in Komponen.objects.filter(rumus__indikator_id__in=ids).order_by("urutan", "id"):
        components.setdefault(k.rumus_id, []).append(k)
    by_entry: dict[tuple[int, int, str], dict[int, NilaiKomponen]] = {}
    for row in NilaiKomponen.objects.filter(
        komponen__rumus__indikator_id__in=ids, tahun__in={e.tahun for e in entries}
    ).select_related("komponen__rumus"):
        key = (row.komponen.rumus.indikator_id, row.tahun, row.periode)
        by_entry.setdefault(key, {})[row.komponen_id] = row
    plans = []
    realisasi_entries = []
    for entry in entries:
        rumus = rumus_by_ind.get(int(entry.indikator.pk))
        comps = components.get(rumus.pk, []) if rumus is not None else []
        period_values = []
        for periode, given in entry.periods:
            current = by_entry.get((int(entry.indikator.pk), entry.tahun, periode), {})
            result, kinds = _values_guards(entry, periode, given, rumus, comps, current)
            plans.append((entry.tahun, periode, given, current, kinds))
            value = (
                engine.stored_value(result.value)
                if result is not None and result.value is not None
                else None
            )
            # The component versions are this write's stale check; the realisasi row
            # follows them (versi None).
            period_values.append(PeriodValue(periode, value, "", None))
        realisasi_entries.append(
            RealisasiEntry(
                entry.indikator,
                entry.tahun,
                tuple(period_values),
                entry.analisis,
                entry.hambatan,
                entry.tindak_lanjut,
                entry.bukti,
            )
        )
    realisasi_record_many(user=user, entries=realisasi_entries, confirm=confirm)
    return _write_values(user, plans)


def _write_values(
    user: Actor,
    plans: list[
        tuple[int, str, tuple[KomponenValue, ...], dict[int, NilaiKomponen], dict[int, str | None]]
    ],
) -> list[NilaiKomponen]:
    saved: list[NilaiKomponen] = []
    now = timezone.now()
    who = as_user(user)
    for tahun, periode, given, current, kinds in plans:
        for v in given:
            row = current.get(v.komponen.pk)
            if v.nilai is None:
                if row is not None:
                    stamp(row, user)
                    row.delete()
                continue
            if row is None:
                row = NilaiKomponen(komponen=v.komponen, tahun=tahun, periode=periode)
            changed = (
                row.pk is None or row.nilai != v.nilai or (v.sumber and v.sumber != row.sumber)
            )
            row.nilai = v.nilai
            if v.sumber:
                row.sumber = v.sumber
            kind = kinds.get(v.komponen.pk)
            if v.bukti is not None and kind is not None:
                row.bukti.save(f"bukti{ALLOWED[kind][1]}", v.bukti, save=False)
                row.bukti_nama = Path(v.bukti.name or "").name[:255]
                changed = True
            if not changed:
                continue
            if row.pk is not None:
                row.versi += 1
            row.diisi_oleh, row.diisi_pada = who, now
            stamp(row, user)
            row.save()
            saved.append(row)
    return saved


def komponen_record(
    *,
    user: Actor,
    indikator: Indikator,
    tahun: int,
    values: Sequence[KomponenValue],
    periode: str = Periode.TAHUNAN,
    confirm: bool = False,
) -> list[NilaiKomponen]:
    """One indicator-year-period's components (tests, single-row adapters)."""
    entry = KomponenEntry(indikator, tahun, ((periode, tuple(values)),))
    return komponen_record_many(user=user, entries=[entry], confirm=confirm)


@transaction.atomic
def nilai_komponen_save(
    *, user: Actor, obj: NilaiKomponen, versi: int | None = None, **_: Any
) -> NilaiKomponen:
    """Any adapter saving one value row goes through :func:`komponen_record`."""
    stored = stored_row(obj, for_update=True)
    if stored is not None and (stored.tahun, stored.komponen_id) != (obj.tahun, obj.komponen_id):
        ensure_unlocked(  # guard
            opd_id=_opd_id(stored.komponen.rumus.indikator), tahun=stored.tahun, locks=Locks()
        )
    value = KomponenValue(obj.komponen, obj.nilai, obj.sumber, versi)
    komponen_record(
        user=user,
        indikator=obj.komponen.rumus.indikator,
        tahun=obj.tahun,
        periode=obj.periode,
        values=[value],
    )
    return NilaiKomponen.objects.get(komponen=obj.komponen, tahun=obj.tahun, periode=obj.periode)


@transaction.atomic
def nilai_komponen_delete(*, user: Actor, obj: NilaiKomponen, **_: Any) -> None:
    value = KomponenValue(obj.komponen, None, versi=None)
    komponen_record(
        user=user,
        indikator=obj.komponen.rumus.indikator,
        tahun=obj.tahun,
        periode=obj.periode,
        values=[value],
    )


register(
    Rumus,
    opd_path="indikator__periode__opd",
    save=rumus_save,
    delete=rumus_delete,
    check=rumus_check,
)
register(
    Komponen,
    opd_path="rumus__indikator__periode__opd",
    save=komponen_save,
    delete=komponen_delete,
    check=komponen_check,
)
register(
    NilaiKomponen,
    opd_path="komponen__rumus__indikator__periode__opd",
    save=nilai_komponen_save,
    delete=nilai_komponen_delete,
)
