"""Write services of realisasi (Realisasi): one period, a batch of a workbook's rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from common.numbers import Rate
from renstra.door import (
    Actor,
    Locks,
    StaleEdit,
    as_user,
    bulk_save_with_history,
    bump_version,
    ensure_in_period,
    ensure_unlocked,
    refuse_unless,
    register,
    removal_guard,
    stamp,
    stored_row,
)
from renstra.permissions import can_manage_plan, can_record_for_bidang

from ..evidence import ALLOWED, validate_evidence
from ..models import (
    PRE_PERIOD_YEARS,
    Frekuensi,
    Indikator,
    Periode,
    Realisasi,
    Target,
)
from .shared import (
    OWN_BIDANG_ONLY,
    _confirm_jumps,
    _joined,
    _jump_message,
    _opd_id,
    _Permissions,
    _shown,
    check_rate,
    describe_value,
    propose_satuan,
)

# --- realisasi ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodValue:
    periode: str
    nilai: Decimal | None
    nilai_teks: str = ""
    # The version the form showed (0 = the row did not exist), for the lost-update check;
    # None only for trusted callers without one.
    versi: int | None = 0
    # The rate the value was typed as ("104,7/100.000 KH": nilai 104,7, per 100.000 KH),
    # checked against the indicator's satuan; None for a plain number.
    rate: Rate | None = None
    # Stated as not available: the reason (required; "" is refused). None for a value.
    tidak_tersedia: str | None = None

    @classmethod
    def of(
        cls,
        periode: str,
        measure: Decimal | Rate | str | None,
        versi: int | None = 0,
        *,
        tidak_tersedia: str | None = None,
    ) -> PeriodValue:
        """A period's value as the one parser read it (``common.numbers.parse_measure``): a
        number, a rate, a qualitative text or nothing."""
        if isinstance(measure, Rate):
            return cls(
                periode, measure.value, "", versi, rate=measure, tidak_tersedia=tidak_tersedia
            )
        if isinstance(measure, str):
            return cls(periode, None, measure, versi, tidak_tersedia=tidak_tersedia)
        return cls(periode, measure, "", versi, tidak_tersedia=tidak_tersedia)

    @property
    def empty(self) -> bool:
        return self.nilai is None and not self.nilai_teks and self.tidak_tersedia is None


PRE_PERIOD_PLAN_ONLY = (
    "Realisasi tahun sebelum periode Renstra (data historis) hanya dapat diisi oleh perencana "
    "OPD ini."
)


def before_period(indikator: Indikator, tahun: int) -> bool:
    """Whether ``tahun`` is one of the years before the indicator's Renstra period that may
    hold realisasi for the trend (:data:`PRE_PERIOD_YEARS`)."""
    awal = indikator.periode.tahun_awal
    return awal - PRE_PERIOD_YEARS <= tahun < awal


def _ensure_realisasi_year(indikator: Indikator, tahun: int) -> None:
    periode = indikator.periode
    earliest = periode.tahun_awal - PRE_PERIOD_YEARS
    if tahun < earliest:  # guard
        raise ValidationError(
            {
                "tahun": f"Tahun {tahun} terlalu jauh sebelum periode Renstra "
                f"{periode.tahun_awal}–{periode.tahun_akhir}; realisasi historis paling awal "
                f"tahun {earliest}."
            }
        )
    if tahun >= periode.tahun_awal:
        ensure_in_period(periode, tahun)  # guard


def realisasi_takes_text(target: Target | None) -> bool:
    """A realisasi may be text only where the year's target is qualitative (WTP, BB…); for
    every other indicator text is a typing error, refused as the form refuses it."""
    return target is not None and target.nilai is None and bool(target.nilai_teks)


def check_can_record(user: Actor, indikator: Indikator, tahun: int | None = None) -> None:
    """The kabid pages' early check, the same rule the service applies: a year before the
    period is the perencana's (history), a year of the period the bidang's."""
    if tahun is not None and before_period(indikator, tahun):
        refuse_unless(can_manage_plan(user, _opd_id(indikator)), PRE_PERIOD_PLAN_ONLY)
        return
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
    "tidak_tersedia",
    "alasan_tidak_tersedia",
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
        # Indicators without a satuan that a typed rate gives one: id → (satuan, as typed).
        self.satuan_proposed: dict[int, tuple[str, str]] = {}
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
        propose_satuan(self.actor, self.indicators, self.satuan_proposed)
        return [*created, *changed]


def _realisasi_entry_guards(batch: RealisasiBatch, entry: RealisasiEntry) -> str | None:
    """Permission, lock, period, stale versions, evidence: before anything is written.
    Returns the evidence kind."""
    indikator, tahun = entry.indikator, entry.tahun
    opd_id = _opd_id(indikator)
    # The year first: who may write a year depends on where it lies (before the period: the
    # perencana's history; in it: the bidang's report).
    _ensure_realisasi_year(indikator, tahun)
    if before_period(indikator, tahun):
        refuse_unless(batch.permissions.plan(opd_id), PRE_PERIOD_PLAN_ONLY)  # guard
    else:
        refuse_unless(  # guard
            batch.permissions.record(opd_id, indikator.effective_bidang_id), OWN_BIDANG_ONLY
        )
    ensure_unlocked(opd_id=opd_id, tahun=tahun, locks=batch.locks)  # guard
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
    if v.tidak_tersedia is not None:
        _not_available_guards(v)
        return
    if v.rate is not None:
        check_rate(batch.satuan_proposed, indikator, v.rate, v.periode)
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


def _not_available_guards(v: PeriodValue) -> None:
    if v.periode != Periode.TAHUNAN:  # guard
        raise ValidationError(
            {
                v.periode: "Hanya realisasi tahunan yang dapat dinyatakan tidak tersedia; "
                "kosongkan triwulan yang belum ada datanya."
            }
        )
    if v.nilai is not None or v.nilai_teks:  # guard
        raise ValidationError(
            {
                v.periode: "Isi nilai realisasi atau nyatakan tidak tersedia, bukan keduanya "
                f"(nilai «{describe_value(v.nilai, v.nilai_teks)}»)."
            }
        )
    if not (v.tidak_tersedia or "").strip():  # guard
        raise ValidationError(
            {
                "alasan_tidak_tersedia": "Realisasi yang tidak tersedia wajib disertai "
                "alasannya (mis. data BPS belum rilis)."
            }
        )


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
        empty = v.empty
        if v.periode != Periode.TAHUNAN and indikator.frekuensi == Frekuensi.TAHUNAN and empty:
            continue
        _realisasi_value_guards(batch, entry, v, row)
        keep_for_narrative = v.periode == Periode.TAHUNAN and needs_annual_row
        if empty and not keep_for_narrative:
            if row is not None and (row.nilai is not None or row.nilai_teks or row.tidak_tersedia):
                to_delete.append(row)
            continue
        if row is None:
            row = Realisasi(indikator=indikator, tahun=tahun, periode=v.periode)
        row.indikator = indikator
        unavailable = v.tidak_tersedia is not None
        reason = (v.tidak_tersedia or "").strip()
        changed = (
            row.pk is None
            or row.nilai != v.nilai
            or row.nilai_teks != v.nilai_teks
            or row.tidak_tersedia != unavailable
            or row.alasan_tidak_tersedia != reason
        )
        row.nilai = v.nilai
        row.nilai_teks = v.nilai_teks
        row.tidak_tersedia = unavailable
        row.alasan_tidak_tersedia = reason
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
    value = PeriodValue(
        obj.periode,
        obj.nilai,
        obj.nilai_teks,
        versi,
        tidak_tersedia=obj.alasan_tidak_tersedia if obj.tidak_tersedia else None,
    )
    return RealisasiEntry(obj.indikator, obj.tahun, (value,))


@transaction.atomic
def realisasi_save(
    *, user: Actor, obj: Realisasi, versi: int | None = None, confirm: bool = False, **_: Any
) -> Realisasi:
    """The admin's change form: one period's row as edited, under every rule of the form."""
    stored = stored_row(obj, for_update=True)
    if stored is not None and (stored.indikator_id, stored.tahun) != (obj.indikator_id, obj.tahun):
        # Moving a row to another indicator or year writes both places.
        check_can_record(user, stored.indikator, stored.tahun)
        ensure_unlocked(opd_id=_opd_id(stored.indikator), tahun=stored.tahun)  # guard
    realisasi_check(user=user, obj=obj, versi=versi, confirm=confirm)
    bump_version(obj, stored)
    obj.diisi_oleh = as_user(user)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def realisasi_delete(*, user: Actor, obj: Realisasi, **_: Any) -> None:
    check_can_record(user, obj.indikator, obj.tahun)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


register(
    Realisasi,
    opd_path="indikator__periode__opd",
    save=realisasi_save,
    delete=realisasi_delete,
    check=realisasi_check,
)
