"""Generate, finalise and serve the LAKIP. A final year serves its stored bytes forever."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from indicators import engine
from renstra.models import KunciTahun, Opd
from renstra.permissions import can_manage_plan, can_read_opd
from renstra.services import ensure_unlocked, lock_for

from .builder import build_lakip
from .models import LakipVersi, PengaturanLaporan
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
        html = render_html(data)
        if fmt == "html":
            out = html.encode("utf-8")
        else:
            progress(92, "Membuat PDF (WeasyPrint)")
            out = render_pdf(html)
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
        filename=f"LAKIP-{opd.kode}-{tahun}{suffix}.{ext}",
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
    if not can_manage_plan(user, opd.pk):
        raise PermissionDenied("Hanya perencana OPD ini yang dapat menetapkan LAKIP final.")
    previous = latest_version(opd, tahun)
    if lock_for(opd.pk, tahun) is not None:
        raise ValidationError(
            f"Tahun {tahun} sudah dikunci; buka kunci (dengan alasan) untuk membuat koreksi."
        )
    if previous is not None and not perubahan.strip():
        raise ValidationError("Koreksi LAKIP final wajib menyertakan daftar perubahan.")
    # Signed on the day it is finalised unless the report setting names another date.
    data = build_lakip(
        opd,
        tahun,
        progress=lambda p, s: progress(p * 5 // 10, s),
        sign_date=timezone.localdate(),
    )
    progress(50, "Membuat PDF (WeasyPrint)")
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
        lock = KunciTahun(
            opd=opd,
            tahun=tahun,
            alasan=f"LAKIP {tahun} final (versi {versi.nomor})",
            dikunci_oleh=user,
        )
        lock._history_user = user  # type: ignore[attr-defined]
        lock.save()
    progress(100, "Selesai")
    return versi


def lakip_settings_save(
    *,
    user: User,
    opd: Opd,
    tahun: int,
    tempat_ttd: str,
    tanggal_ttd: date | None,
) -> PengaturanLaporan:
    """Set where and when the year's report is signed (blank date: the day it is finalised).

    Only the OPD's perencana, only in an unlocked year (a final report keeps its own)."""
    if not can_manage_plan(user, opd.pk):
        raise PermissionDenied("Hanya perencana OPD ini yang dapat mengatur penandatanganan.")
    ensure_unlocked(opd_id=opd.pk, tahun=tahun)
    tempat = " ".join(tempat_ttd.split())
    if len(tempat) > 120:
        raise ValidationError("Tempat penandatanganan paling banyak 120 karakter.")
    if tanggal_ttd is not None and tanggal_ttd.year < tahun:
        raise ValidationError(
            f"Tanggal penandatanganan LAKIP {tahun} tidak boleh sebelum tahun {tahun}."
        )
    with transaction.atomic():
        setting, _created = PengaturanLaporan.objects.select_for_update().get_or_create(
            opd=opd, tahun=tahun
        )
        setting.tempat_ttd = tempat
        setting.tanggal_ttd = tanggal_ttd
        setting._history_user = user  # type: ignore[attr-defined]
        setting.full_clean()
        setting.save()
    return setting
