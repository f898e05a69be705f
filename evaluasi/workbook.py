"""A later official LKE workbook read as a new instrument version, pure (no ORM): the first
sheet's criteria and weights, the optional sheets ``skala``, ``predikat``, ``logika`` and
``ambang`` (carried over from the instrument in force when absent), every problem named with
its row in Indonesian, and what changes against the instrument in force.

The first sheet lists either one row per criterion with the TSV's columns (kode, komponen,
bobot_komponen, sub_komponen, bobot_sub, kriteria, skala) or the official workbook's way: a
komponen row ("1", name, bobot), its sub-komponen rows ("a" or "1.a", name, bobot) and their
criteria ("1" or "1.a.1", wording, skala) below them; the header may sit under title rows."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook

from common.cells import cell_decimal, is_blank, neutralise_formula, restore_text

from .scoring import Band, Component, Criterion, Instrument, Rule, Sub

ZERO = Decimal(0)
HUNDRED = Decimal(100)
MAX_ROWS = 2000  # the regulation's LKE has ~100 rows; a bigger sheet is not an LKE
KODE = re.compile(r"^(\d{1,2})\.([a-z])\.(\d{1,2})$")
SUB_KODE = re.compile(r"^(\d{1,2})\.([a-z])$")
KOMPONEN_KODE = re.compile(r"^\d{1,2}$")
LETTER = re.compile(r"^[a-z]$")
RULE_TARGET = re.compile(r"^\d{1,2}\.[a-z]\.(\d{1,2}|\*)$")
# Column names as written in the TSV and in workbooks ("Bobot Sub-Komponen", "Uraian").
ALIASES = {
    "kode": ("kode", "no", "nomor"),
    "komponen": ("komponen", "nama_komponen"),
    "bobot_komponen": ("bobot_komponen",),
    "sub_komponen": ("sub_komponen", "subkomponen", "nama_sub_komponen"),
    "bobot_sub": ("bobot_sub", "bobot_sub_komponen", "bobot_subkomponen"),
    "kriteria": ("kriteria", "uraian", "uraian_kriteria"),
    "skala": ("skala", "jenis_jawaban", "skala_jawaban"),
    "bobot": ("bobot",),
}
SHEETS: dict[str, dict[str, tuple[str, ...]]] = {
    "skala": {"skala": ("skala",), "jawaban": ("jawaban",), "nilai": ("nilai",)},
    "predikat": {
        "predikat": ("predikat",),
        "label": ("sebutan", "label", "keterangan"),
        "di_atas": ("di_atas", "nilai_di_atas", "batas_bawah"),
    },
    "logika": {
        "syarat": ("syarat", "kriteria_syarat"),
        "terikat": ("terikat",),
        "pesan": ("pesan",),
    },
    "ambang": {"jawaban": ("jawaban",), "ambang": ("ambang", "minimal", "persen")},
}
# What the preview says of each part's origin.
FROM_FILE = "dari berkas"
CARRIED = "dibawa dari instrumen yang berlaku"


class InvalidWorkbook(ValueError):
    """The workbook cannot become an instrument; ``errors`` names each problem with its row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Parsed:
    instrument: Instrument
    rows: Mapping[str, int]  # kode (komponen, sub, criterion) → its row, for the messages
    sources: Mapping[str, str]  # "skala" / "predikat" / "logika" / "ambang" → FROM_FILE | CARRIED
    sheet: str = ""


def _norm(name: Any) -> str:
    return re.sub(r"[\s\-./]+", "_", str(name or "").strip().lower()).strip("_")


def _columns(header: tuple[Any, ...], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    names = [_norm(c) for c in header]
    found = {}
    for key, spellings in aliases.items():
        for i, name in enumerate(names):
            if name in spellings:
                found[key] = i
                break
    return found


def _text(value: Any) -> str:
    # A cell starting with "=", "+", "@"… is kept as text a spreadsheet will not run when the
    # instrument is exported again (the reader opens values, never formulas).
    return str(neutralise_formula(restore_text(value)))


def _number(value: Any, what: str, line: str, errors: list[str], places: int = 2) -> Decimal | None:
    try:
        number = cell_decimal(value)
    except (ValueError, InvalidOperation) as exc:
        errors.append(f"{line}: {what}: {str(exc)[:120]}.")
        return None
    if number is None:
        errors.append(f"{line}: {what} kosong.")
        return None
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        errors.append(f"{line}: {what} {_fmt(number)} lebih dari {places} desimal.")
        return None
    return number


def _fmt(number: Decimal) -> str:
    """A number as the preview and messages show it: 4,5; 0,75; 30."""
    text = format(number.normalize(), "f") if number == number.to_integral() else str(number)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _sheet_rows(
    sheet: Any, aliases: Mapping[str, tuple[str, ...]], wanted: tuple[str, ...]
) -> tuple[dict[str, int], Iterator[tuple[int, tuple[Any, ...]]]]:
    """The columns of the header (the first of the first 10 rows naming every ``wanted``
    column, titles above it skipped) and the rows under it with their numbers."""
    rows = sheet.iter_rows(values_only=True)
    for number, header in enumerate(rows, start=1):
        if number > 10:
            break
        at = _columns(header, aliases)
        if all(name in at for name in wanted):
            return at, ((n, r) for n, r in enumerate(rows, start=number + 1))
    raise InvalidWorkbook(
        [
            f"Lembar «{sheet.title}»: baris judul dengan kolom {', '.join(wanted)} tidak "
            "ditemukan pada 10 baris pertama."
        ]
    )


def _cell(row: tuple[Any, ...], at: Mapping[str, int], key: str) -> Any:
    i = at.get(key)
    return None if i is None or i >= len(row) else row[i]


@dataclass
class _Group:
    kode: str
    line: int
    nama: str = ""
    bobot: Decimal | None = None
    komponen: str = ""


@dataclass
class _Criteria:
    components: dict[str, _Group] = field(default_factory=dict)
    subs: dict[str, _Group] = field(default_factory=dict)
    criteria: list[tuple[int, Criterion]] = field(default_factory=list)


def _group(
    into: dict[str, _Group],
    kode: str,
    line: int,
    nama: str,
    bobot: Decimal | None,
    errors: list[str],
    what: str,
    komponen: str = "",
) -> None:
    known = into.get(kode)
    if known is None:
        into[kode] = _Group(kode, line, nama, bobot, komponen)
        return
    if bobot is not None and known.bobot is not None and bobot != known.bobot:
        errors.append(
            f"Baris {line}: bobot {what} {kode} = {_fmt(bobot)}, berbeda dengan "
            f"{_fmt(known.bobot)} pada baris {known.line}."
        )
    if nama and known.nama and nama != known.nama:
        errors.append(
            f"Baris {line}: nama {what} {kode} «{nama[:60]}» berbeda dengan baris {known.line}."
        )
    known.bobot = known.bobot if known.bobot is not None else bobot
    known.nama = known.nama or nama


def _criteria_sheet(sheet: Any, errors: list[str]) -> _Criteria:
    at, rows = _sheet_rows(sheet, ALIASES, ("kode", "skala"))
    out = _Criteria()
    komponen = sub = ""
    if "kriteria" not in at:
        errors.append(f"Lembar «{sheet.title}»: kolom kriteria (atau uraian) tidak ada.")
        return out
    for number, row in rows:
        if number > MAX_ROWS:
            errors.append(f"Lembar «{sheet.title}» lebih dari {MAX_ROWS} baris; bukan LKE.")
            break
        if all(is_blank(v) for v in row):
            continue
        line = f"Baris {number}"
        kode = restore_text(_cell(row, at, "kode")).lower().rstrip(".")
        skala = restore_text(_cell(row, at, "skala")).upper()
        uraian = _text(_cell(row, at, "kriteria"))
        generic = _cell(row, at, "bobot")
        if KOMPONEN_KODE.match(kode) and not skala:
            komponen, sub = kode.lstrip("0") or "0", ""
            nama = _text(_cell(row, at, "komponen")) or uraian
            raw = _cell(row, at, "bobot_komponen")
            bobot = _number(raw if not is_blank(raw) else generic, "bobot komponen", line, errors)
            _group(out.components, komponen, number, nama, bobot, errors, "komponen")
            continue
        sub_match = SUB_KODE.match(kode)
        if (sub_match or LETTER.match(kode)) and not skala:
            if sub_match:
                komponen = sub_match.group(1)
                sub = kode
            elif not komponen:
                errors.append(f"{line}: sub-komponen «{kode}» tanpa baris komponen di atasnya.")
                continue
            else:
                sub = f"{komponen}.{kode}"
            nama = _text(_cell(row, at, "sub_komponen")) or uraian
            raw = _cell(row, at, "bobot_sub")
            bobot = _number(
                raw if not is_blank(raw) else generic, "bobot sub-komponen", line, errors
            )
            _group(out.subs, sub, number, nama, bobot, errors, "sub-komponen", komponen)
            continue
        full = KODE.match(kode)
        if full:
            komponen, sub = full.group(1), f"{full.group(1)}.{full.group(2)}"
        elif KOMPONEN_KODE.match(kode) and sub:
            kode = f"{sub}.{kode}"  # the official workbook numbers criteria inside their sub
        else:
            errors.append(
                f"{line}: kode «{kode[:20]}» tidak sah (contoh 1.a.1, atau 1 / a / 1 bertingkat"
                " dengan skala pada baris kriteria)."
            )
            continue
        # A TSV-style row carries its komponen and sub-komponen; a workbook row inherits them.
        if not is_blank(_cell(row, at, "bobot_komponen")) or _cell(row, at, "komponen"):
            bobot = _number(_cell(row, at, "bobot_komponen"), "bobot komponen", line, errors)
            _group(
                out.components,
                komponen,
                number,
                _text(_cell(row, at, "komponen")),
                bobot,
                errors,
                "komponen",
            )
        if not is_blank(_cell(row, at, "bobot_sub")) or _cell(row, at, "sub_komponen"):
            bobot = _number(_cell(row, at, "bobot_sub"), "bobot sub-komponen", line, errors)
            _group(
                out.subs,
                sub,
                number,
                _text(_cell(row, at, "sub_komponen")),
                bobot,
                errors,
                "sub-komponen",
                komponen,
            )
        if not uraian:
            errors.append(f"{line}: uraian kriteria {kode} kosong.")
        elif len(uraian) > 2000:
            errors.append(f"{line}: uraian kriteria {kode} lebih dari 2.000 karakter.")
        if not skala:
            errors.append(f"{line}: skala kriteria {kode} kosong.")
        out.criteria.append((number, Criterion(kode, sub, skala, uraian)))
    return out


def _scales(sheet: Any, errors: list[str]) -> dict[str, dict[str, Decimal]]:
    at, rows = _sheet_rows(sheet, SHEETS["skala"], ("skala", "jawaban", "nilai"))
    out: dict[str, dict[str, Decimal]] = {}
    for number, row in rows:
        if all(is_blank(v) for v in row):
            continue
        line = f"Lembar «{sheet.title}» baris {number}"
        name = restore_text(_cell(row, at, "skala")).upper()
        answer = restore_text(_cell(row, at, "jawaban")).upper()
        value = _number(_cell(row, at, "nilai"), "nilai", line, errors, places=4)
        if not name or len(name) > 10:
            errors.append(f"{line}: nama skala kosong atau lebih dari 10 karakter.")
            continue
        if not answer or len(answer) > 4:
            errors.append(f"{line}: jawaban kosong atau lebih dari 4 karakter.")
            continue
        if answer in out.get(name, {}):
            errors.append(f"{line}: jawaban {answer} pada skala {name} muncul lebih dari sekali.")
            continue
        if value is not None and not ZERO <= value <= 1:
            errors.append(f"{line}: nilai {_fmt(value)} di luar 0–1.")
            continue
        if value is not None:
            out.setdefault(name, {})[answer] = value
    return out


def _bands(sheet: Any, errors: list[str]) -> list[Band]:
    at, rows = _sheet_rows(sheet, SHEETS["predikat"], ("predikat",))
    if "di_atas" not in at:
        errors.append(f"Lembar «{sheet.title}»: kolom di_atas (nilai di atas) tidak ada.")
        return []
    out: list[Band] = []
    for number, row in rows:
        if all(is_blank(v) for v in row):
            continue
        line = f"Lembar «{sheet.title}» baris {number}"
        name = restore_text(_cell(row, at, "predikat")).upper()
        label = _text(_cell(row, at, "label"))
        above = _number(_cell(row, at, "di_atas"), "batas nilai", line, errors)
        if not name or len(name) > 4:
            errors.append(f"{line}: predikat kosong atau lebih dari 4 karakter.")
        elif any(b.predikat == name for b in out):
            errors.append(f"{line}: predikat {name} muncul lebih dari sekali.")
        elif len(label) > 60:
            errors.append(f"{line}: sebutan lebih dari 60 karakter.")
        elif above is not None and not ZERO <= above < HUNDRED:
            errors.append(f"{line}: batas nilai {_fmt(above)} di luar 0–100.")
        elif above is not None:
            out.append(Band(name, label, above))
    return out


def _rules(sheet: Any, errors: list[str]) -> tuple[list[Rule], dict[int, int]]:
    at, rows = _sheet_rows(sheet, SHEETS["logika"], ("syarat", "terikat"))
    out: list[Rule] = []
    lines: dict[int, int] = {}
    for number, row in rows:
        if all(is_blank(v) for v in row):
            continue
        line = f"Lembar «{sheet.title}» baris {number}"
        condition = restore_text(_cell(row, at, "syarat")).lower()
        bound = tuple(
            t.strip().lower()
            for t in re.split(r"[,;\s]+", restore_text(_cell(row, at, "terikat")))
            if t.strip()
        )
        message = _text(_cell(row, at, "pesan"))
        if not KODE.match(condition):
            errors.append(f"{line}: kriteria syarat «{condition[:20]}» tidak sah.")
        elif not bound or len(", ".join(bound)) > 300:
            errors.append(f"{line}: kriteria terikat kosong atau lebih dari 300 karakter.")
        elif not message or len(message) > 200:
            errors.append(f"{line}: pesan kosong atau lebih dari 200 karakter.")
        else:
            lines[len(out)] = number
            out.append(Rule(condition, bound, message))
    return out, lines


def _thresholds(sheet: Any, errors: list[str]) -> dict[str, Decimal]:
    at, rows = _sheet_rows(sheet, SHEETS["ambang"], ("jawaban",))
    out: dict[str, Decimal] = {}
    for number, row in rows:
        if all(is_blank(v) for v in row):
            continue
        line = f"Lembar «{sheet.title}» baris {number}"
        answer = restore_text(_cell(row, at, "jawaban")).upper()
        value = _number(_cell(row, at, "ambang"), "ambang", line, errors)
        if answer not in ("A", "B", "C", "D"):
            errors.append(f"{line}: jawaban ambang harus A, B, C atau D.")
        elif value is not None and not ZERO <= value <= HUNDRED:
            errors.append(f"{line}: ambang {_fmt(value)} di luar 0–100 %.")
        elif value is not None:
            out[answer] = value
    return out


def parse_workbook(data: bytes, current: Instrument) -> Parsed:
    """The workbook as an instrument; the parts it lacks (scales, bands, logic checks,
    thresholds) are ``current``'s. Raises :class:`InvalidWorkbook` with every problem."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidWorkbook(["Berkas bukan buku kerja Excel (.xlsx) yang dapat dibaca."]) from exc
    try:
        return _parse(book, current)
    finally:
        book.close()


def _parse(book: Any, current: Instrument) -> Parsed:
    errors: list[str] = []
    if not book.worksheets:
        raise InvalidWorkbook(["Buku kerja tidak berisi lembar."])
    main = book.worksheets[0]
    extra = {s.title.strip().lower(): s for s in book.worksheets[1:]}
    read = _criteria_sheet(main, errors)
    sources = {}
    scales: Mapping[str, Mapping[str, Decimal]] = current.scales
    bands: tuple[Band, ...] = current.bands
    rules: tuple[Rule, ...] = current.rules
    thresholds: Mapping[str, Decimal] = current.thresholds
    rule_lines: dict[int, int] = {}
    for part in ("skala", "predikat", "logika", "ambang"):
        sheet = extra.get(part)
        sources[part] = FROM_FILE if sheet is not None else CARRIED
        if sheet is None:
            continue
        try:
            if part == "skala":
                scales = _scales(sheet, errors)
            elif part == "predikat":
                bands = tuple(_bands(sheet, errors))
            elif part == "logika":
                found, rule_lines = _rules(sheet, errors)
                rules = tuple(found)
            else:
                thresholds = _thresholds(sheet, errors)
        except InvalidWorkbook as exc:
            errors.extend(exc.errors)
    rows: dict[str, int] = {}
    for g in [*read.components.values(), *read.subs.values()]:
        rows[g.kode] = g.line
    seen: dict[str, int] = {}
    criteria = []
    for number, c in read.criteria:
        if c.kode in seen:
            errors.append(f"Baris {number}: kode {c.kode} sudah dipakai pada baris {seen[c.kode]}.")
            continue
        seen[c.kode] = number
        criteria.append(c)
    rows.update(seen)
    components = tuple(
        Component(g.kode, g.bobot if g.bobot is not None else ZERO, g.nama)
        for g in sorted(read.components.values(), key=lambda g: int(g.kode))
    )
    subs = tuple(
        Sub(
            g.kode,
            g.komponen or g.kode.split(".")[0],
            g.bobot if g.bobot is not None else ZERO,
            g.nama,
        )
        for g in sorted(read.subs.values(), key=lambda g: (int(g.kode.split(".")[0]), g.kode))
    )
    instrument = Instrument(
        components=components,
        subs=subs,
        criteria=tuple(criteria),
        scales=scales,
        bands=bands,
        rules=rules,
        thresholds=thresholds,
    )
    if not errors:  # the sums mean something only once every row read
        errors.extend(
            problems(
                instrument,
                rows,
                carried_rules=sources["logika"] == CARRIED,
                rule_lines=rule_lines,
            )
        )
    if errors:
        raise InvalidWorkbook(errors)
    return Parsed(instrument, rows, sources, main.title)


def problems(
    instrument: Instrument,
    rows: Mapping[str, int] | None = None,
    *,
    carried_rules: bool = False,
    rule_lines: Mapping[int, int] | None = None,
) -> list[str]:
    """What keeps an instrument from scoring an evaluation, each named with its row: weights
    that do not add up (komponen to 100, sub-komponen to their komponen), a kode twice or
    malformed, a scale unknown, a logic check naming a criterion the instrument lacks."""
    rows = rows or {}
    rule_lines = rule_lines or {}

    def at(kode: str) -> str:
        return f"Baris {rows[kode]}: " if kode in rows else ""

    errors: list[str] = []
    if not instrument.criteria:
        return ["Tidak ada baris kriteria (kode 1.a.1 …) pada lembar pertama."]
    kodes = [c.kode for c in instrument.criteria]
    for kode in sorted({k for k in kodes if kodes.count(k) > 1}):
        errors.append(f"{at(kode)}kode {kode} muncul lebih dari sekali.")
    components = {c.kode: c for c in instrument.components}
    subs = {s.kode: s for s in instrument.subs}
    for c in instrument.criteria:
        match = KODE.match(c.kode)
        if match is None or f"{match.group(1)}.{match.group(2)}" != c.sub:
            errors.append(f"{at(c.kode)}kode {c.kode} tidak sah (contoh 1.a.1).")
        elif c.sub not in subs:
            errors.append(f"{at(c.kode)}sub-komponen {c.sub} tanpa nama dan bobot.")
        if c.skala not in instrument.scales:
            known = ", ".join(sorted(instrument.scales)) or "–"
            errors.append(f"{at(c.kode)}skala «{c.skala[:12]}» tidak dikenal ({known}).")
    for s in instrument.subs:
        if s.komponen not in components:
            errors.append(f"{at(s.kode)}komponen {s.komponen} tanpa nama dan bobot.")
        if not any(c.sub == s.kode for c in instrument.criteria):
            errors.append(f"{at(s.kode)}sub-komponen {s.kode} tidak memiliki kriteria.")
        if s.bobot <= 0:
            errors.append(f"{at(s.kode)}bobot sub-komponen {s.kode} harus lebih dari 0.")
        if len(s.nama) > 300 or not s.nama:
            errors.append(
                f"{at(s.kode)}nama sub-komponen {s.kode} kosong atau lebih dari 300 karakter."
            )
    total = sum((c.bobot for c in instrument.components), ZERO)
    if total != HUNDRED:
        listed = "; ".join(
            f"{c.kode} = {_fmt(c.bobot)}" + (f" (baris {rows[c.kode]})" if c.kode in rows else "")
            for c in instrument.components
        )
        errors.append(f"Bobot komponen berjumlah {_fmt(total)}, harus 100: {listed}.")
    for comp in instrument.components:
        own = [s for s in instrument.subs if s.komponen == comp.kode]
        if not own:
            errors.append(f"{at(comp.kode)}komponen {comp.kode} tidak memiliki sub-komponen.")
            continue
        summed = sum((s.bobot for s in own), ZERO)
        if summed != comp.bobot:
            listed = ", ".join(f"{s.kode} = {_fmt(s.bobot)}" for s in own)
            errors.append(
                f"{at(comp.kode)}bobot sub-komponen {comp.kode} berjumlah {_fmt(summed)}, harus "
                f"{_fmt(comp.bobot)} (bobot komponen {comp.kode}): {listed}."
            )
        if len(comp.nama) > 200 or not comp.nama:
            errors.append(
                f"{at(comp.kode)}nama komponen {comp.kode} kosong atau lebih dari 200 karakter."
            )
    for name, values in instrument.scales.items():
        if not values:
            errors.append(f"Skala {name} tidak memiliki jawaban.")
    if not instrument.bands:
        errors.append("Tidak ada predikat (lembar «predikat»).")
    source = "uji logika yang dibawa dari instrumen berlaku" if carried_rules else "uji logika"
    for i, rule in enumerate(instrument.rules):
        where = f"Lembar «logika» baris {rule_lines[i]}: " if i in rule_lines else ""
        missing = [rule.condition] if rule.condition not in kodes else []
        for target in rule.bound:
            prefix = target[:-1] if target.endswith("*") else None
            exists = (
                any(k.startswith(prefix) for k in kodes) if prefix is not None else target in kodes
            )
            if not RULE_TARGET.match(target) or not exists:
                missing.append(target)
        if missing:
            errors.append(
                f"{where}{source} «{rule.message[:60]}» menyebut kriteria yang tidak ada pada "
                f"instrumen baru: {', '.join(missing)}"
                + ("; tambahkan lembar «logika»." if carried_rules else ".")
            )
    # A message without its row starts with its own word: capitalised.
    return [e[0].upper() + e[1:] for e in errors]


# --- what changes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    bagian: str  # "Kriteria", "Bobot sub-komponen", "Skala" …
    kode: str
    jenis: str  # "ditambah" | "dihapus" | "diubah"
    lama: str = ""
    baru: str = ""


def _scale_text(values: Mapping[str, Decimal]) -> str:
    return "; ".join(f"{k} = {_fmt(v)}" for k, v in values.items())


def diff(old: Instrument, new: Instrument) -> list[Change]:
    """Every difference a person must see before a new version is stored: komponen and
    sub-komponen added, removed, renamed or reweighted; criteria added, removed, reworded or
    on another scale; scales, predikat, logic checks and thresholds changed."""
    out: list[Change] = []

    def compare(bagian: str, before: Mapping[str, str], after: Mapping[str, str]) -> None:
        for kode in after:
            if kode not in before:
                out.append(Change(bagian, kode, "ditambah", "", after[kode]))
            elif before[kode] != after[kode]:
                out.append(Change(bagian, kode, "diubah", before[kode], after[kode]))
        out.extend(Change(bagian, k, "dihapus", before[k], "") for k in before if k not in after)

    compare(
        "Komponen",
        {c.kode: c.nama for c in old.components},
        {c.kode: c.nama for c in new.components},
    )
    old_weights = {c.kode: _fmt(c.bobot) for c in old.components}
    compare(
        "Bobot komponen",
        {k: v for k, v in old_weights.items() if k in {c.kode for c in new.components}},
        {c.kode: _fmt(c.bobot) for c in new.components if c.kode in old_weights},
    )
    compare("Sub-komponen", {s.kode: s.nama for s in old.subs}, {s.kode: s.nama for s in new.subs})
    old_sub_weights = {s.kode: _fmt(s.bobot) for s in old.subs}
    compare(
        "Bobot sub-komponen",
        {k: v for k, v in old_sub_weights.items() if k in {s.kode for s in new.subs}},
        {s.kode: _fmt(s.bobot) for s in new.subs if s.kode in old_sub_weights},
    )
    compare(
        "Kriteria",
        {c.kode: c.uraian for c in old.criteria},
        {c.kode: c.uraian for c in new.criteria},
    )
    old_scale_of = {c.kode: c.skala for c in old.criteria}
    compare(
        "Skala kriteria",
        {k: v for k, v in old_scale_of.items() if k in {c.kode for c in new.criteria}},
        {c.kode: c.skala for c in new.criteria if c.kode in old_scale_of},
    )
    compare(
        "Skala",
        {k: _scale_text(v) for k, v in old.scales.items()},
        {k: _scale_text(v) for k, v in new.scales.items()},
    )
    compare(
        "Predikat",
        {b.predikat: f"{b.label}, di atas {_fmt(b.above)}" for b in old.bands},
        {b.predikat: f"{b.label}, di atas {_fmt(b.above)}" for b in new.bands},
    )
    compare(
        "Uji logika",
        {r.condition: f"{', '.join(r.bound)}: {r.message}" for r in old.rules},
        {r.condition: f"{', '.join(r.bound)}: {r.message}" for r in new.rules},
    )
    compare(
        "Ambang",
        {k: f"{_fmt(v)} %" for k, v in old.thresholds.items()},
        {k: f"{_fmt(v)} %" for k, v in new.thresholds.items()},
    )
    return out
