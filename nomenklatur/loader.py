"""Reading the nomenclature's tab-separated lists (``fixtures/nomenklatur/``, the format its
README gives: no header, cells with line breaks quoted) into plain records."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .models import tingkat_of

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "nomenklatur"
FILES = ("program.tsv", "kegiatan.tsv", "sub_kegiatan.tsv")


@dataclass(frozen=True)
class Record:
    kode: str
    tingkat: str
    nama: str
    kinerja: str = ""
    indikator: str = ""
    satuan: str = ""
    definisi: str = ""


class BadRecord(ValueError):
    pass


def clean(text: str) -> str:
    return " ".join(text.split())


def read_tsv(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.reader(fh, delimiter="\t"), start=1):
            if not row or not "".join(row).strip():
                continue
            kode = row[0].strip()
            tingkat = tingkat_of(kode)
            if tingkat is None or len(row) < 2 or not row[1].strip():
                raise BadRecord(f"{path.name} baris {line}: kode «{kode}» atau nama tidak sah.")
            extra = [c.strip() for c in row[2:6]] + [""] * (6 - max(len(row), 2))
            kinerja, indikator, satuan = (clean(c) for c in extra[:3])
            yield Record(kode, tingkat, clean(row[1]), kinerja, indikator, satuan[:200], extra[3])


def read_dir(directory: Path = DEFAULT_DIR) -> list[Record]:
    """Every record of the three lists; a code listed twice keeps its last line."""
    found: dict[str, Record] = {}
    for name in FILES:
        for record in read_tsv(directory / name):
            found[record.kode] = record
    return list(found.values())
