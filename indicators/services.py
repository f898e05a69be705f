"""Write paths for targets and realisasi. Views, admin, importers and commands call these and
never repeat the rules: permission, year lock, period, stale-form check, audit user."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from common.numbers import format_number
from renstra.permissions import can_manage_plan, can_record_for_bidang
from renstra.services import ensure_unlocked

from .evidence import ALLOWED, validate_evidence
from .models import Frekuensi, Indikator, JenisTarget, Periode, Realisasi, Target


class StaleEdit(ValidationError):
    """The form was filled from an older version than the one stored now."""


@dataclass(frozen=True)
class PeriodValue:
    periode: str
    nilai: Decimal | None
    nilai_teks: str = ""
    # The version the form showed (0 = the row did not exist), for the lost-update check.
    versi: int = 0


def _opd_id(indikator: Indikator) -> int:
    return indikator.periode.opd_id


def check_can_record(user: User, indikator: Indikator) -> None:
    bidang = indikator.effective_bidang
    if not can_record_for_bidang(user, _opd_id(indikator), bidang.pk if bidang else None):
        raise PermissionDenied("Anda hanya dapat mengisi realisasi indikator bidang Anda sendiri.")


@transaction.atomic
def realisasi_record(
    *,
    user: User,
    indikator: Indikator,
    tahun: int,
    values: list[PeriodValue],
    analisis: str | None = None,
    hambatan: str | None = None,
    tindak_lanjut: str | None = None,
    bukti: UploadedFile | None = None,
) -> list[Realisasi]:
    """Record the annual and/or quarterly realisasi of one indicator-year.

    A value of None with no text deletes that period's row (the form's field was emptied).
    The narrative and evidence live on the annual row. Capaian is never accepted from input.
    """
    check_can_record(user, indikator)
    ensure_unlocked(opd_id=_opd_id(indikator), tahun=tahun)
    if not indikator.periode.contains_year(tahun):
        raise ValidationError(
            f"Tahun {tahun} di luar periode Renstra "
            f"{indikator.periode.tahun_awal}–{indikator.periode.tahun_akhir}."
        )
    kind = validate_evidence(bukti, bukti.size or 0) if bukti is not None else None

    existing = {
        r.periode: r
        for r in Realisasi.objects.select_for_update().filter(indikator=indikator, tahun=tahun)
    }
    stale = [
        v for v in values if (existing[v.periode].versi if v.periode in existing else 0) != v.versi
    ]
    if stale:
        messages = []
        for v in stale:
            current = existing.get(v.periode)
            shown = current.display_value if current is not None else "(kosong/dihapus)"
            who = current.diisi_oleh if current is not None and current.diisi_oleh else None
            label = Periode(v.periode).label
            messages.append(f"{label}: sudah diubah oleh {who or 'pengguna lain'} menjadi {shown}")
        raise StaleEdit(
            "Data ini telah diubah sejak formulir dibuka; simpanan Anda ditolak agar tidak "
            "menimpa perubahan tersebut. " + "; ".join(messages) + ". Muat ulang halaman."
        )

    # The annual row also carries the narrative and evidence: keep (or create) it for those
    # even when the annual value itself is left empty (derived from the quarters).
    annual_existing = existing.get(Periode.TAHUNAN)
    needs_annual_row = (
        any((text or "").strip() for text in (analisis, hambatan, tindak_lanjut))
        or bukti is not None
        or bool(annual_existing is not None and annual_existing.bukti)
    )
    saved: list[Realisasi] = []
    for v in values:
        if v.periode != Periode.TAHUNAN and indikator.frekuensi == Frekuensi.TAHUNAN:
            if v.nilai is None and not v.nilai_teks:
                continue
            raise ValidationError(
                "Indikator ini hanya dilaporkan tahunan; realisasi triwulan tidak dapat diisi."
            )
        row = existing.get(v.periode)
        empty = v.nilai is None and not v.nilai_teks
        keep_for_narrative = v.periode == Periode.TAHUNAN and needs_annual_row
        if empty and not keep_for_narrative:
            if row is not None and (row.nilai is not None or row.nilai_teks):
                row._history_user = user  # type: ignore[attr-defined]
                row.delete()
            continue
        if row is None:
            row = Realisasi(indikator=indikator, tahun=tahun, periode=v.periode)
        changed = row.pk is None or row.nilai != v.nilai or row.nilai_teks != v.nilai_teks
        row.nilai = v.nilai
        row.nilai_teks = v.nilai_teks
        if v.periode == Periode.TAHUNAN:
            for attr, text in (
                ("analisis", analisis),
                ("hambatan", hambatan),
                ("tindak_lanjut", tindak_lanjut),
            ):
                if text is not None and getattr(row, attr) != text:
                    setattr(row, attr, text)
                    changed = True
            if bukti is not None and kind is not None:
                suffix = ALLOWED[kind][1]
                row.bukti.save(f"bukti{suffix}", bukti, save=False)
                row.bukti_nama = Path(bukti.name or "").name[:255]
                changed = True
        if not changed:
            continue
        row.full_clean()
        row.diisi_oleh = user
        row._history_user = user  # type: ignore[attr-defined]
        if row.pk is not None:
            # The row is locked (select_for_update above), so a plain increment is race-free.
            row.versi += 1
        row.save()
        saved.append(row)
    return saved


@transaction.atomic
def target_set(
    *,
    user: User,
    indikator: Indikator,
    tahun: int,
    jenis: str = JenisTarget.RENSTRA,
    nilai: Decimal | None,
    nilai_teks: str = "",
    sumber: str = "",
) -> Target | None:
    """Create, change or (with no value) remove one target; perencana of the OPD only."""
    if not can_manage_plan(user, _opd_id(indikator)):
        raise PermissionDenied("Hanya perencana OPD ini yang dapat mengubah target.")
    ensure_unlocked(opd_id=_opd_id(indikator), tahun=tahun)
    target = Target.objects.filter(indikator=indikator, tahun=tahun, jenis=jenis).first()
    if nilai is None and not nilai_teks:
        if target is not None:
            target._history_user = user  # type: ignore[attr-defined]
            target.delete()
        return None
    if target is None:
        target = Target(indikator=indikator, tahun=tahun, jenis=jenis)
    elif target.nilai == nilai and target.nilai_teks == nilai_teks:
        return target
    target.nilai = nilai
    target.nilai_teks = nilai_teks
    if sumber:
        target.sumber = sumber
    target.full_clean()
    target._history_user = user  # type: ignore[attr-defined]
    target.save()
    return target


def describe_value(value: Decimal | None, text: str = "") -> str:
    return format_number(value) if value is not None else (text or "–")


def scale_presets_ensure() -> None:
    """Create the preset scales (engine.PRESET_SCALES) that are missing; the seed scale is the
    default when no scale is marked default. Existing scales are never changed."""
    from . import engine
    from .models import Skala, SkalaBand

    has_default = Skala.objects.filter(bawaan=True).exists()
    for code, scale in engine.PRESET_SCALES.items():
        if Skala.objects.filter(kode=code).exists():
            continue
        skala = Skala.objects.create(
            kode=code,
            nama=scale.name,
            versi=scale.version,
            bawaan=not has_default and code == engine.DEFAULT_SCALE_CODE,
        )
        SkalaBand.objects.bulk_create(
            SkalaBand(
                skala=skala,
                urutan=i,
                label=band.label,
                batas_bawah=band.lower,
                bawah_inklusif=band.lower_inclusive,
                batas_atas=band.upper,
                atas_inklusif=band.upper_inclusive,
                warna=band.color,
            )
            for i, band in enumerate(scale.bands, start=1)
        )
