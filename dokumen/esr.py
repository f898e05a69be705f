"""The ESR document types (KemenPANRB's e-SAKIP Reviu numbering), their default due dates,
a register entry's status and its file name in the ESR package: pure Python, no Django."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

# The types as ESR numbers them (the upload form of esr.menpan.go.id): the number is the
# document's identity in the package and in the manifest, so it is stored as is.
TYPES: dict[int, str] = {
    1: "RPJMD",
    2: "Renstra",
    3: "IKU",
    4: "Renja/RKT",
    5: "RKPD",
    6: "Perjanjian Kinerja",
    7: "Rencana Aksi",
    8: "Laporan Kinerja",
    9: "Pedoman Evaluasi Internal",
    10: "Lainnya",
    11: "RPJPD",
    12: "DPA",
    13: "Pohon Kinerja dan Cascading",
    14: "LHE AKIP Internal",
    15: "TL LHE",
    16: "Laporan Monev Renaksi",
    17: "Pedoman Perencanaan",
    18: "Pedoman Pengukuran",
    19: "TL LHE KemenPANRB",
}
# The register lists them in the order of the SAKIP cycle (plan, agreement, report,
# evaluation), "Lainnya" last; ESR's numbers stay with each.
ORDER: tuple[int, ...] = (11, 1, 2, 5, 4, 12, 3, 13, 6, 7, 16, 8, 17, 18, 9, 14, 15, 19, 10)


class DueRule(StrEnum):
    END_OF_FEBRUARY = "akhir Februari tahun berjalan"
    REPORT_DAY = "tenggat laporan kinerja Pemda"


# Default due dates, one table (an entry's own tenggat, when set, wins):
# - PermenPANRB 53/2014 (Petunjuk Teknis Perjanjian Kinerja, Pelaporan Kinerja dan Tata Cara
#   Reviu): the Perjanjian Kinerja is signed at the start of the year, at the latest a month
#   after the DPA is approved; the Rencana Aksi and the year's IKU go with it. The end of
#   February of the year is the customary deadline evaluators check "tepat waktu" against.
# - Perpres 29/2014 (SAKIP): the Laporan Kinerja of the year is due after the year ends, the
#   Pemda's to KemenPANRB within three months (31 March). An OPD reports earlier to its kepala
#   daerah; each Pemda sets both days (renstra.Pemda.tenggat_*, default 28 February and 31
#   March), which the kabupaten dashboard reads too — one due date for one report.
# Every other type has no due date in these regulations: none by default (no "terlambat"
# without a rule); the perencana may set one per entry.
DUE_RULES: dict[int, DueRule] = {
    3: DueRule.END_OF_FEBRUARY,
    6: DueRule.END_OF_FEBRUARY,
    7: DueRule.END_OF_FEBRUARY,
    8: DueRule.REPORT_DAY,
}


def end_of_february(tahun: int) -> datetime.date:
    return datetime.date(tahun, 2, calendar.monthrange(tahun, 2)[1])


class Status(StrEnum):
    DRAFT = "draft"
    DITETAPKAN = "ditetapkan"
    DIPUBLIKASIKAN = "dipublikasikan"
    TERLAMBAT = "terlambat"


STATUS_LABELS = {
    Status.DRAFT: "Draf",
    Status.DITETAPKAN: "Ditetapkan",
    Status.DIPUBLIKASIKAN: "Dipublikasikan",
    Status.TERLAMBAT: "Terlambat",
}


@dataclass(frozen=True)
class Facts:
    """What the status is computed from."""

    nomor: str
    tanggal_penetapan: datetime.date | None
    has_scan: bool
    tanggal_publikasi: datetime.date | None
    tenggat: datetime.date | None


def is_ditetapkan(f: Facts) -> bool:
    """Formalised (LKE: "formal"): a number, a date and the signed scan."""
    return bool(f.nomor.strip()) and f.tanggal_penetapan is not None and f.has_scan


def status(f: Facts, today: datetime.date) -> Status:
    """draft → ditetapkan → dipublikasikan; terlambat once the due date has passed without
    publication, or when it was published after it (the evaluation asks "tepat waktu")."""
    published = f.tanggal_publikasi is not None and is_ditetapkan(f)
    if f.tenggat is not None:
        if published and f.tanggal_publikasi is not None and f.tanggal_publikasi > f.tenggat:
            return Status.TERLAMBAT
        if not published and today > f.tenggat:
            return Status.TERLAMBAT
    if published:
        return Status.DIPUBLIKASIKAN
    return Status.DITETAPKAN if is_ditetapkan(f) else Status.DRAFT


def slug(text: str) -> str:
    """Letters, digits and '-' only, words joined by '_' (a name every system unpacks)."""
    return "_".join(re.sub(r"[^A-Za-z0-9-]+", " ", text).split())


def package_name(jenis: int, kode: str, tahun: int, suffix: str = ".pdf") -> str:
    """``06_Perjanjian_Kinerja_DP3APPKBPMD_2024.pdf``: ESR number, type, OPD code, year."""
    return f"{jenis:02d}_{slug(TYPES[jenis])}_{slug(kode) or 'OPD'}_{tahun}{suffix}"
