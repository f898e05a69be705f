"""The ESR package of an OPD and year: a ZIP with one PDF per document, named by its ESR type,
and a ``manifest.json`` listing all 19 types (number, name, nomor, dates, status, file,
SHA-256) — what the perencana uploads to ESR, and what the evaluation links as evidence."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from typing import Any

from renstra.models import Opd

from . import esr
from .register import register_rows

MANIFEST = "manifest.json"
SOURCE_SCAN = "pindaian bertanda tangan"
SOURCE_KINERJA = "dokumen Kinerja (belum dipindai)"


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def esr_package(opd: Opd, tahun: int, today: datetime.date | None = None) -> tuple[str, bytes]:
    """(file name, ZIP bytes). Per type: the signed scan where uploaded, else the document
    Kinerja produced for it where one is stored (dokumen.drafts), else nothing (listed in the
    manifest with no file). Queries: the entries (1), one per stored Kinerja document."""
    today = today or datetime.date.today()
    rows = register_rows(opd, tahun, today)
    buffer = io.BytesIO()
    items: list[dict[str, Any]] = []
    # A fixed timestamp inside the ZIP: the same register gives the same bytes.
    stamp = (tahun if tahun >= 1980 else 1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for row in sorted(rows, key=lambda r: r.jenis):
            entry = row.entry
            name: str | None = None
            data: bytes | None = None
            source: str | None = None
            if entry is not None and entry.berkas:
                with entry.berkas.open("rb") as handle:
                    data = handle.read()
                name, source = esr.package_name(row.jenis, opd.kode, tahun), SOURCE_SCAN
            elif row.draft is not None and row.draft.file is not None:
                made = row.draft.file(opd, tahun)
                if made is not None:
                    (name, data), source = made, SOURCE_KINERJA
            if name is not None and data is not None:
                archive.writestr(zipfile.ZipInfo(name, stamp), data)
            items.append(
                {
                    "jenis": row.jenis,
                    "nama_jenis": row.nama,
                    "nomor": entry.nomor if entry is not None else "",
                    "tanggal_penetapan": _date(entry.tanggal_penetapan if entry else None),
                    "tanggal_publikasi": _date(entry.tanggal_publikasi if entry else None),
                    "tenggat": _date(row.tenggat),
                    "status": str(row.status),
                    "berkas": name,
                    "sumber": source,
                    "sha256": hashlib.sha256(data).hexdigest() if data is not None else None,
                }
            )
        manifest = {
            "opd": {"kode": opd.kode, "nama": opd.nama},
            "tahun": tahun,
            "tanggal_status": today.isoformat(),
            "dokumen": items,
        }
        archive.writestr(
            zipfile.ZipInfo(MANIFEST, stamp),
            json.dumps(manifest, ensure_ascii=False, indent=2).encode(),
        )
    return f"Paket_ESR_{esr.slug(opd.kode) or 'OPD'}_{tahun}.zip", buffer.getvalue()
