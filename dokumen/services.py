"""The register's writes: an entry's signed scan, nomor and dates, its publication and its
withdrawal — every rule here (who, which year, which file), nothing saved on a refusal.

Who: whoever manages the OPD's plan (``can_manage_plan``: its perencana, Bappeda for the
Pemda's plan unit, an admin); everyone else only reads. A locked year (``KunciTahun``, set
when the LAKIP is final) keeps what is stored: an empty field may still be filled and a
formalised document published (the signed LAKIP is scanned after it is final), but nothing
stored is replaced, cleared or withdrawn until the year is unlocked with a reason."""

from __future__ import annotations

import datetime
import hashlib
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from indicators.evidence import MAX_EVIDENCE_BYTES, sniff, validate_evidence
from renstra.door import Actor, YearLocked, ensure_unlocked, refuse_unless, stamp
from renstra.models import Opd
from renstra.permissions import can_manage_plan
from renstra.versions import note_opd

from . import esr
from .models import DokumenRegister

MANAGE_ONLY = (
    "Hanya perencana OPD ini (atau Bappeda untuk dokumen Pemda) yang dapat mengubah register "
    "dokumennya."
)
NOT_PDF = "Pindaian dokumen harus berupa berkas PDF (isi berkas diperiksa, bukan hanya namanya)."
MAX_NOMOR = 200


def _entry(opd: Opd, tahun: int, jenis: int) -> DokumenRegister | None:
    # The OPD's row is locked first: two first saves of one entry at once (a double click)
    # would both read "no row" and the second insert would break the unique key (a 500);
    # now the second waits, then reads the first's row and updates it.
    Opd.objects.select_for_update().filter(pk=opd.pk).values_list("pk", flat=True).first()
    return (
        DokumenRegister.objects.select_for_update()
        .filter(opd=opd, tahun=tahun, jenis=jenis)
        .first()
    )


def _check_jenis_tahun(jenis: int, tahun: int) -> None:
    if jenis not in esr.TYPES:
        raise ValidationError(f"Jenis dokumen {jenis} tidak dikenal (jenis ESR 1–19).")
    if not 2000 <= tahun <= 2999:
        raise ValidationError(f"Tahun {tahun} di luar rentang 2000–2999.")


def check_scan(upload: IO[bytes], size: int) -> bytes:
    """The upload's bytes when it is a PDF that opens (the evidence check: pypdf reads every
    page; no HTML, script or action inside), at most 10 MB; else a ValidationError."""
    if size == 0:
        raise ValidationError("Berkas pindaian kosong.")
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            "Pindaian terlalu besar (%(mb)s MB); maksimal 10 MB. Pindai ulang dengan resolusi "
            "150–200 dpi.",
            params={"mb": f"{size / 1024 / 1024:.1f}".replace(".", ",")},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if sniff(head) != "pdf":
        raise ValidationError(NOT_PDF)
    validate_evidence(upload, size)
    upload.seek(0)
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    upload.seek(0)
    return data


def _refuse_locked_change(opd: Opd, tahun: int, what: list[str]) -> None:
    try:
        ensure_unlocked(opd_id=opd.pk, tahun=tahun)
    except YearLocked as exc:
        raise YearLocked(
            f"{exc.messages[0]}. {', '.join(what).capitalize()} yang sudah tersimpan tidak dapat "
            "diubah; buka kunci tahun (dengan alasan) untuk mengoreksinya."
        ) from exc


def dokumen_save(
    *,
    user: Actor,
    opd: Opd,
    tahun: int,
    jenis: int,
    nomor: str,
    tanggal_penetapan: datetime.date | None,
    tenggat: datetime.date | None = None,
    berkas: IO[bytes] | None = None,
    berkas_size: int | None = None,
    berkas_nama: str = "",
    today: datetime.date | None = None,
) -> DokumenRegister:
    """Create or update the entry (opd, tahun, jenis); ``berkas`` None keeps the stored scan."""
    today = today or datetime.date.today()
    refuse_unless(can_manage_plan(user, opd.pk), MANAGE_ONLY)  # guard
    _check_jenis_tahun(jenis, tahun)  # guard
    nomor = (nomor or "").strip()
    if len(nomor) > MAX_NOMOR:  # guard
        raise ValidationError(f"Nomor dokumen terlalu panjang (maksimal {MAX_NOMOR} karakter).")
    if tanggal_penetapan is not None and tanggal_penetapan > today:  # guard
        raise ValidationError("Tanggal penetapan tidak boleh setelah hari ini.")
    data: bytes | None = None
    if berkas is not None:
        size = berkas_size if berkas_size is not None else len(berkas.read())
        data = check_scan(berkas, size)  # guard
    with transaction.atomic():
        stored = _entry(opd, tahun, jenis)
        if stored is not None and stored.tanggal_publikasi is not None:  # guard
            raise ValidationError(
                "Dokumen ini sudah dipublikasikan; batalkan publikasi dahulu untuk mengubahnya."
            )
        entry = stored or DokumenRegister(opd=opd, tahun=tahun, jenis=jenis)
        changed = []
        if stored is not None:
            if stored.nomor and stored.nomor != nomor:
                changed.append("nomor")
            if stored.tanggal_penetapan and stored.tanggal_penetapan != tanggal_penetapan:
                changed.append("tanggal penetapan")
            if stored.tenggat and stored.tenggat != tenggat:
                changed.append("tenggat")
            if stored.berkas and data is not None:
                changed.append("pindaian")
        if changed:
            _refuse_locked_change(opd, tahun, changed)  # guard
        entry.nomor = nomor
        entry.tanggal_penetapan = tanggal_penetapan
        entry.tenggat = tenggat
        if data is not None:
            entry.berkas.save("pindaian.pdf", ContentFile(data), save=False)
            entry.berkas_nama = (berkas_nama or getattr(berkas, "name", "") or "")[-255:]
            entry.sha256 = hashlib.sha256(data).hexdigest()
        stamp(entry, user, "register dokumen")
        entry.save()
        # The public page and the kabupaten's pages are kept under the OPD's and Pemda's versions.
        note_opd(opd.pk)
    return entry


def dokumen_publish(
    *,
    user: Actor,
    opd: Opd,
    tahun: int,
    jenis: int,
    tanggal: datetime.date,
    today: datetime.date | None = None,
) -> DokumenRegister:
    """Publish a formalised entry (nomor, tanggal penetapan, scan) on ``tanggal``."""
    today = today or datetime.date.today()
    refuse_unless(can_manage_plan(user, opd.pk), MANAGE_ONLY)  # guard
    _check_jenis_tahun(jenis, tahun)  # guard
    with transaction.atomic():
        entry = _entry(opd, tahun, jenis)
        if entry is None or not esr.is_ditetapkan(entry.facts(None)):  # guard
            raise ValidationError(
                f"{esr.TYPES[jenis]} belum ditetapkan: isi nomor dan tanggal penetapan serta "
                "unggah pindaian bertanda tangan sebelum mempublikasikannya."
            )
        if entry.tanggal_publikasi is not None:  # guard
            raise ValidationError(f"{esr.TYPES[jenis]} sudah dipublikasikan.")
        assert entry.tanggal_penetapan is not None
        if tanggal < entry.tanggal_penetapan:  # guard
            raise ValidationError("Tanggal publikasi tidak boleh sebelum tanggal penetapan.")
        if tanggal > today:  # guard
            raise ValidationError("Tanggal publikasi tidak boleh setelah hari ini.")
        entry.tanggal_publikasi = tanggal
        stamp(entry, user, "publikasi dokumen")
        entry.save()
        note_opd(opd.pk)
    return entry


def dokumen_unpublish(*, user: Actor, opd: Opd, tahun: int, jenis: int) -> DokumenRegister:
    """Withdraw a publication (to correct the document); refused in a locked year."""
    refuse_unless(can_manage_plan(user, opd.pk), MANAGE_ONLY)  # guard
    _check_jenis_tahun(jenis, tahun)  # guard
    with transaction.atomic():
        entry = _entry(opd, tahun, jenis)
        if entry is None or entry.tanggal_publikasi is None:  # guard
            raise ValidationError(f"{esr.TYPES[jenis]} belum dipublikasikan.")
        _refuse_locked_change(opd, tahun, ["publikasi"])  # guard
        entry.tanggal_publikasi = None
        stamp(entry, user, "batal publikasi dokumen")
        entry.save()
        note_opd(opd.pk)
    return entry
