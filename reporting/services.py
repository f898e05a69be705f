"""Generate, finalise and serve the LAKIP. A final year serves its stored bytes forever."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from indicators import engine
from renstra.models import KunciTahun, Opd
from renstra.permissions import can_manage_plan, can_read_opd
from renstra.services import lock_for

from .builder import build_lakip
from .models import LakipVersi
from .render import json_bytes, render_html, render_pdf, render_xlsx

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
    "html": ("text/html; charset=utf-8", "html"),
}

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
    if fmt not in ("pdf", "xlsx"):
        raise ValidationError("Unduhan tersedia dalam format PDF atau XLSX.")
    qs = LakipVersi.objects.filter(opd=opd, tahun=tahun)
    versi = qs.filter(nomor=nomor).first() if nomor is not None else qs.order_by("-nomor").first()
    if nomor is not None and versi is None:
        raise ValidationError(f"Versi {nomor} tidak ada.")
    final_and_locked = versi is not None and (nomor is not None or lock_for(opd.pk, tahun))
    if final_and_locked and versi is not None:
        content = bytes(versi.pdf if fmt == "pdf" else versi.xlsx)
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
    """Freeze the LAKIP of a year: render PDF and XLSX once, store the bytes with their
    SHA-256 and the engine and scale versions, and lock the year.

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
    data = build_lakip(opd, tahun, progress=lambda p, s: progress(p * 6 // 10, s))
    progress(60, "Membuat PDF (WeasyPrint)")
    pdf = render_pdf(render_html(data))
    progress(90, "Menyusun lembar kerja Excel")
    xlsx = render_xlsx(data)
    with transaction.atomic():
        versi = LakipVersi.objects.create(
            opd=opd,
            tahun=tahun,
            nomor=(previous.nomor + 1) if previous is not None else 1,
            pdf=pdf,
            xlsx=xlsx,
            sha256_pdf=sha256(pdf),
            sha256_xlsx=sha256(xlsx),
            engine_version=engine.ENGINE_VERSION,
            skala_kode=data.scale.code,
            skala_versi=data.scale.version,
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
