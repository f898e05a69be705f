"""Generate, finalise and serve the LAKIP. A final year serves its stored bytes forever."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from indicators import engine
from renstra.door import (
    Actor,
    bump_version,
    check_version,
    ensure_unlocked,
    refuse_unless,
    register,
    removal_guard,
    stamp,
    stored_row,
)
from renstra.models import Opd, Sasaran
from renstra.permissions import can_manage_plan, can_read_opd
from renstra.services import lock_for, year_lock

from . import narrative
from .builder import build_lakip, final_blockers
from .figures import Figures, contradictions
from .models import LakipVersi, Narasi, PembuatanLaporan, PengaturanLaporan
from .render import json_bytes, render_docx, render_html, render_pdf, render_xlsx

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "json": ("application/json", "json"),
    "html": ("text/html; charset=utf-8", "html"),
}

# What a user downloads (JSON and HTML are for the command line and the preview).
DOWNLOADS = ("pdf", "docx", "xlsx")

Progress = Callable[[int, str], None]


def _quiet(_p: int, _s: str) -> None:
    return None


def lakip_generate(opd: Opd, tahun: int, fmt: str, progress: Progress = _quiet) -> bytes:
    """Build the report from the current data and render it in one format."""
    if fmt not in FORMATS:
        raise ValidationError(f"Format tidak dikenal: {fmt}")
    data = build_lakip(opd, tahun, progress=progress)
    if fmt == "json":
        out = json_bytes(data)
    elif fmt == "xlsx":
        progress(90, "Menyusun lembar kerja Excel")
        out = render_xlsx(data)
    elif fmt == "docx":
        progress(90, "Menyusun dokumen Word")
        out = render_docx(data)
    else:
        progress(88, "Menyusun dokumen")
        if fmt == "html":
            # A file read away from the server: the logo travels inside it.
            out = render_html(data, inline_logo=True).encode("utf-8")
        else:
            progress(92, "Membuat PDF")
            out = render_pdf(render_html(data))
    progress(100, "Selesai")
    return out


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def latest_version(opd: Opd, tahun: int) -> LakipVersi | None:
    return LakipVersi.objects.filter(opd=opd, tahun=tahun).order_by("-nomor").first()


@dataclass(frozen=True)
class Download:
    content: bytes
    content_type: str
    filename: str
    sha256: str
    versi: LakipVersi | None


def report_filename(opd: Opd, tahun: int, tail: str) -> str:
    """ "LAKIP-DP3APPKBPMD-2024-draf.pdf"; the Pemda's own report is its LKjIP, whichever page
    (the kabupaten's or the LAKIP page) or path (at once or as a job) delivers it."""
    return f"{opd.nama_laporan}-{opd.kode}-{tahun}{tail}"


def lakip_download(
    *, user: User, opd: Opd, tahun: int, fmt: str, nomor: int | None = None
) -> Download:
    """The stored bytes of a final year (or of an older version); a fresh render otherwise."""
    if not can_read_opd(user, opd.pk):
        raise PermissionDenied("Anda tidak berhak mengunduh laporan OPD ini.")
    if fmt not in DOWNLOADS:
        raise ValidationError("Unduhan tersedia dalam format PDF, DOCX atau XLSX.")
    qs = LakipVersi.objects.filter(opd=opd, tahun=tahun)
    versi = qs.filter(nomor=nomor).first() if nomor is not None else qs.order_by("-nomor").first()
    if nomor is not None and versi is None:
        raise ValidationError(f"Versi {nomor} tidak ada.")
    final_and_locked = versi is not None and (nomor is not None or lock_for(opd.pk, tahun))
    if final_and_locked and versi is not None:
        content = bytes({"pdf": versi.pdf, "xlsx": versi.xlsx, "docx": versi.docx}[fmt])
        if not content:
            raise ValidationError(f"Versi {versi.nomor} ditetapkan sebelum ada DOCX.")
        suffix = f"-v{versi.nomor}"
    else:
        content = lakip_generate(opd, tahun, fmt)
        versi = None
        suffix = "-draf"
    content_type, ext = FORMATS[fmt]
    return Download(
        content=content,
        content_type=content_type,
        filename=report_filename(opd, tahun, f"{suffix}.{ext}"),
        sha256=sha256(content),
        versi=versi,
    )


def lakip_finalize(
    *,
    user: User,
    opd: Opd,
    tahun: int,
    perubahan: str = "",
    progress: Progress = _quiet,
) -> LakipVersi:
    """Freeze the LAKIP of a year: render PDF, DOCX and XLSX once, store the bytes with their
    SHA-256, the engine and scale versions, the aggregate rule and the signing place and date,
    and lock the year.

    A correction (a year that already has a version) needs a change list and an unlocked
    year: the perencana unlocks with a reason, corrects, then finalises again.
    """
    refuse_unless(  # guard
        can_manage_plan(user, opd.pk), "Hanya perencana OPD ini yang dapat menetapkan LAKIP final."
    )
    previous = latest_version(opd, tahun)
    if lock_for(opd.pk, tahun) is not None:  # guard
        raise ValidationError(
            f"Tahun {tahun} sudah dikunci; buka kunci (dengan alasan) untuk membuat koreksi."
        )
    if previous is not None and not perubahan.strip():  # guard
        raise ValidationError("Koreksi LAKIP final wajib menyertakan daftar perubahan.")
    # Signed on the day it is finalised unless the report setting names another date.
    data = build_lakip(
        opd,
        tahun,
        progress=lambda p, s: progress(p * 5 // 10, s),
        sign_date=timezone.localdate(),
    )
    missing = final_blockers(data)
    if missing:  # guard
        raise ValidationError(
            f"{opd.nama_laporan} belum dapat ditetapkan final; lengkapi dahulu: "
            + "; ".join(missing)
            + "."
        )
    progress(50, "Membuat PDF")
    pdf = render_pdf(render_html(data))
    progress(80, "Menyusun dokumen Word")
    docx = render_docx(data)
    progress(90, "Menyusun lembar kerja Excel")
    xlsx = render_xlsx(data)
    low, high = data.bounds if data.bounds is not None else (None, None)
    with transaction.atomic():
        versi = LakipVersi.objects.create(
            opd=opd,
            tahun=tahun,
            nomor=(previous.nomor + 1) if previous is not None else 1,
            pdf=pdf,
            xlsx=xlsx,
            docx=docx,
            sha256_pdf=sha256(pdf),
            sha256_xlsx=sha256(xlsx),
            sha256_docx=sha256(docx),
            engine_version=engine.ENGINE_VERSION,
            skala_kode=data.scale.code,
            skala_versi=data.scale.version,
            agregat_batas_bawah=low,
            agregat_batas_atas=high,
            aturan_agregat=data.aggregate_rule,
            tempat_ttd=data.sign_place,
            tanggal_ttd=data.sign_date,
            perubahan=perubahan.strip(),
            dibuat_oleh=user,
        )
        year_lock(
            user=user, opd=opd, tahun=tahun, alasan=f"LAKIP {tahun} final (versi {versi.nomor})"
        )
    progress(100, "Selesai")
    return versi


# --- narrative ---------------------------------------------------------------------------------

NARASI_ONLY = "Hanya perencana OPD ini yang dapat mengubah narasi LAKIP."


def narasi_check(
    *, user: Actor, obj: Narasi, versi: int | None = None, for_update: bool = False, **_: Any
) -> Narasi | None:
    stored = stored_row(obj, for_update=for_update)
    for opd_id in {obj.opd_id, *([stored.opd_id] if stored else [])}:
        refuse_unless(can_manage_plan(user, opd_id), NARASI_ONLY)  # guard
    if obj.sasaran_id and obj.sasaran.periode.opd_id != obj.opd_id:  # guard
        raise ValidationError({"sasaran": "Sasaran harus dari OPD yang sama."})
    keys = {obj.lock_key(), *([stored.lock_key()] if stored else [])}
    for opd_id, tahun in sorted(keys):
        ensure_unlocked(opd_id=opd_id, tahun=tahun)  # guard
    check_version(stored, versi, shown="teks yang lebih baru")  # guard
    obj.full_clean()  # guard
    return stored


@transaction.atomic
def narasi_save(*, user: Actor, obj: Narasi, versi: int | None = None, **_: Any) -> Narasi:
    stored = narasi_check(user=user, obj=obj, versi=versi, for_update=True)
    bump_version(obj, stored)
    stamp(obj, user)
    obj.save()
    return obj


@transaction.atomic
def narasi_delete(*, user: Actor, obj: Narasi, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, obj.opd_id), NARASI_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


@transaction.atomic
def narasi_prefill(*, user: Actor, opd: Opd, tahun: int) -> int:
    """Create every missing narrative of (OPD, tahun) from the generated defaults."""
    from .builder import build_lakip
    from .models import Bagian

    refuse_unless(can_manage_plan(user, opd.pk), NARASI_ONLY)  # guard
    ensure_unlocked(opd_id=opd.pk, tahun=tahun)  # guard
    data = build_lakip(opd, tahun)
    existing = {(n.bagian, n.sasaran_id) for n in Narasi.objects.filter(opd=opd, tahun=tahun)}
    # The stored defaults keep their placeholders, so they stay true when the data change.
    wanted: list[tuple[str, Sasaran | None, str]] = [
        (bagian, None, text) for bagian, text in data.narasi_raw.items()
    ]
    wanted += [(Bagian.ANALISIS_SASARAN, s.sasaran, s.narasi_raw) for s in data.sections]
    created = 0
    for bagian, sasaran, text in wanted:
        if (bagian, sasaran.pk if sasaran else None) in existing:
            continue
        if not text.strip():
            continue  # nothing to say yet (a sasaran without an IKU of the year)
        narasi_save(
            user=user,
            obj=Narasi(opd=opd, tahun=tahun, bagian=bagian, sasaran=sasaran, teks=text),
        )
        created += 1
    return created


def check_narasi(narasi: Narasi) -> list[str]:
    """What the narrative editor shows beside a stored text: unknown placeholders and the
    percentages that contradict the computed figures, checked against a fresh build of the
    report (the text as it stands, not as the report last used it)."""
    data = build_lakip(narasi.opd, narasi.tahun)
    resolved = narrative.resolve(narasi.teks, data)
    context: list[Figures] = []
    if narasi.sasaran_id is not None:
        section = next((s for s in data.sections if s.sasaran.pk == narasi.sasaran_id), None)
        if section is not None:
            context = [data.figures[r.indikator.pk] for r in section.iku]
    overall = [
        Figures(
            "Rata-rata capaian IKU",
            data.iku_summary.mean,
            ("rata-rata capaian",),
            [v for v in (data.iku_summary.mean, *(data.bounds or ())) if v is not None],
        )
    ]
    found = contradictions(
        resolved.text,
        bagian=narasi.get_bagian_display(),
        figures=list(data.figures.values()),
        context=context,
        overall=overall,
    )
    messages = [f"Penanda tidak dikenal: {p}" for p in resolved.unknown]
    messages.extend(c.message for c in found)
    return messages


def _final_versions_are_not_edited(**_: Any) -> Any:
    raise PermissionDenied("Versi final LAKIP dibuat hanya dengan penetapan final; tidak diubah.")


register(Narasi, opd_path="opd", save=narasi_save, delete=narasi_delete, check=narasi_check)
register(
    LakipVersi,
    opd_path="opd",
    save=_final_versions_are_not_edited,
    delete=_final_versions_are_not_edited,
)
register(
    PembuatanLaporan,
    opd_path="opd",
    save=_final_versions_are_not_edited,
    delete=_final_versions_are_not_edited,
)


def lakip_settings_save(
    *,
    user: Actor,
    opd: Opd,
    tahun: int,
    tempat_ttd: str,
    tanggal_ttd: date | None,
) -> PengaturanLaporan:
    """Set where and when the year's report is signed (blank date: the day it is finalised).

    Only the OPD's perencana, only in an unlocked year (a final report keeps its own)."""
    refuse_unless(  # guard
        can_manage_plan(user, opd.pk),
        "Hanya perencana OPD ini yang dapat mengatur penandatanganan.",
    )
    ensure_unlocked(opd_id=opd.pk, tahun=tahun)  # guard
    tempat = " ".join(tempat_ttd.split())
    if tanggal_ttd is not None and tanggal_ttd.year < tahun:  # guard
        raise ValidationError(
            f"Tanggal penandatanganan LAKIP {tahun} tidak boleh sebelum tahun {tahun}."
        )
    with transaction.atomic():
        setting, _created = PengaturanLaporan.objects.select_for_update().get_or_create(
            opd=opd, tahun=tahun
        )
        setting.tempat_ttd = tempat
        setting.tanggal_ttd = tanggal_ttd
        setting.full_clean()  # guard
        stamp(setting, user)
        setting.save()
    return setting


def _settings_save(*, user: Actor, obj: PengaturanLaporan, **_: Any) -> PengaturanLaporan:
    return lakip_settings_save(
        user=user,
        opd=obj.opd,
        tahun=obj.tahun,
        tempat_ttd=obj.tempat_ttd,
        tanggal_ttd=obj.tanggal_ttd,
    )


def _settings_delete(*, user: Actor, obj: PengaturanLaporan, **_: Any) -> None:
    refuse_unless(can_manage_plan(user, obj.opd_id), NARASI_ONLY)  # guard
    removal_guard(user, [obj])  # guard
    stamp(obj, user)
    obj.delete()


register(PengaturanLaporan, opd_path="opd", save=_settings_save, delete=_settings_delete)
