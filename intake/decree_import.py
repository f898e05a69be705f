"""Create the tree and indicators of an IKU/IK decree (parsed by ``intake.decree``).

Idempotent: nodes are matched by level, parent and name, indicators by node and name, so
importing the same decree twice creates nothing the second time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.formula import (
    DecreeCounts,
    infer_polarity,
    infer_satuan,
    parse_formulasi,
)
from indicators.formula_services import KomponenSpec, rumus_set
from indicators.models import Indikator, Jenis
from indicators.services.indikator import indikator_save
from renstra.door import Actor, SystemActor, refuse_unless
from renstra.models import (
    Kegiatan,
    Node,
    Opd,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
)
from renstra.permissions import can_manage_plan
from renstra.services import node_save, opd_save, periode_save

from . import decree

LEVEL_MODELS: dict[str, type[Node]] = {
    "tujuan": Tujuan,
    "sasaran": Sasaran,
    "program": Program,
    "kegiatan": Kegiatan,
    "sub_kegiatan": SubKegiatan,
}
PARENT_FIELD = {"sasaran": "tujuan", "kegiatan": "program", "sub_kegiatan": "kegiatan"}


class DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


@dataclass
class DecreeImportReport:
    opd: str
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    problems: list[decree.Problem] = field(default_factory=list)
    # Placed, but worth a look (e.g. two siblings of one name): shown, never blocking.
    warnings: list[decree.Problem] = field(default_factory=list)
    dry_run: bool = False
    opd_created: bool = False
    periode_created: bool = False
    seen: dict[tuple[str, int | None, str], int] = field(default_factory=dict)
    # What was inferred for the new indicators: formulas parsed vs kept as text, polarity
    # and satuan filled (each with a "periksa" note on the indicator).
    inferred: DecreeCounts = field(default_factory=DecreeCounts)


def parse_period(text: str) -> tuple[int, int]:
    try:
        start, end = (int(part) for part in text.replace("–", "-").split("-"))
    except ValueError as exc:
        raise ValidationError(f"Periode harus berbentuk 2021-2026, bukan «{text}».") from exc
    if end < start:
        raise ValidationError(f"Periode {text}: tahun akhir sebelum tahun awal.")
    return start, end


def decree_import(
    *,
    path: Path,
    opd_kode: str,
    nama: str | None = None,
    periode: str | None = None,
    dry_run: bool = False,
    user: User | None = None,
) -> DecreeImportReport:
    """Import a decree file (.txt, .csv, .xlsx). ``user`` None means a trusted command."""
    rows = decree.read_rows(path)
    result = decree.parse_decree(rows)
    report = DecreeImportReport(
        opd=opd_kode,
        dry_run=dry_run,
        problems=list(result.problems),
        warnings=list(result.warnings),
    )
    try:
        with transaction.atomic():
            _apply(result, report, opd_kode=opd_kode, nama=nama, periode=periode, user=user)
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    return report


def _apply(
    result: decree.DecreeResult,
    report: DecreeImportReport,
    *,
    opd_kode: str,
    nama: str | None,
    periode: str | None,
    user: User | None,
) -> None:
    # No user: the trusted command line (who has the database anyway); rules other than
    # permission still apply.
    actor: Actor = user if user is not None else SystemActor("import_decree")
    opd = Opd.objects.filter(kode=opd_kode).first()
    if opd is None:
        if not nama:
            raise ValidationError(f"OPD {opd_kode} belum ada; sebutkan --nama untuk membuatnya.")
        opd = opd_save(user=actor, obj=Opd(kode=opd_kode, nama=nama, singkatan=opd_kode))
        report.opd_created = True
    refuse_unless(
        can_manage_plan(actor, opd.pk),
        "Hanya perencana OPD ini yang dapat mengimpor keputusan IKU/IK.",
    )
    if periode:
        start, end = parse_period(periode)
        period = PeriodeRenstra.objects.filter(opd=opd, tahun_awal=start).first()
        if period is None:
            period = periode_save(
                user=actor, obj=PeriodeRenstra(opd=opd, tahun_awal=start, tahun_akhir=end)
            )
            report.periode_created = True
        elif period.tahun_akhir != end:
            raise ValidationError(
                f"Periode {start}–{period.tahun_akhir} sudah ada dengan tahun akhir berbeda."
            )
    else:
        latest = PeriodeRenstra.objects.filter(opd=opd).order_by("-tahun_awal").first()
        if latest is None:
            raise ValidationError(
                f"OPD {opd_kode} belum memiliki periode Renstra; sebutkan --periode 2021-2026."
            )
        period = latest
    for node in result.nodes:
        _place(node, period, parent=None, report=report, user=actor)


def _place(
    item: decree.DecreeNode,
    period: PeriodeRenstra,
    *,
    parent: Node | None,
    report: DecreeImportReport,
    user: Actor,
) -> None:
    model = LEVEL_MODELS[item.level]
    lookup: dict[str, object] = {"nama": item.nama}
    if item.level in PARENT_FIELD:
        lookup[PARENT_FIELD[item.level]] = parent
    else:
        lookup["periode"] = period
    # Decrees repeat a name under one parent (Permendagri sub-kegiatan often share a name):
    # the k-th row of that name is the k-th node of that name, so a re-import matches each.
    seen_key = (item.level, parent.pk if parent is not None else None, item.nama)
    occurrence = report.seen.get(seen_key, 0)
    report.seen[seen_key] = occurrence + 1
    same_name = list(model._default_manager.filter(**lookup).order_by("id")[: occurrence + 1])
    node = same_name[occurrence] if len(same_name) > occurrence else None
    if node is None:
        node = node_save(user=user, obj=model(**lookup, urutan=item.urutan, kode=item.kode or ""))
        report.created[item.level] += 1
    else:
        report.existing[item.level] += 1
    for n, ind in enumerate(item.indicators, start=1):
        field_name: str = item.level
        found = Indikator.objects.filter(**{field_name: node}, nama=ind.nama).first()
        if found is not None:
            report.existing["indikator"] += 1
            continue
        indikator = Indikator(
            **{field_name: node},
            urutan=n,
            nama=ind.nama,
            jenis=Jenis.IKU if ind.jenis == "IKU" else Jenis.IK,
            makna=ind.makna,
            alasan=ind.alasan,
            formulasi=ind.formulasi,
            referensi=ind.referensi,
            sumber_data=ind.sumber_data,
            penanggung_jawab=ind.penanggung_jawab,
            sumber=f"baris {ind.row}",
        )
        suggestion = _infer(indikator, report.inferred)
        indikator_save(user=user, obj=indikator)
        report.created["indikator"] += 1
        if suggestion is not None:
            rumus_set(
                user=user,
                indikator=indikator,
                operator=suggestion.operator,
                faktor=suggestion.factor,
                komponen=[
                    KomponenSpec(c.nama, c.peran, c.satuan, indikator.sumber_data[:300])
                    for c in suggestion.components
                ],
                teks=indikator.formulasi,
                catatan=suggestion.note,
                dikonfirmasi=False,
            )
    for child in item.children:
        _place(child, period, parent=node, report=report, user=user)


def _infer(indikator: Indikator, counts: DecreeCounts) -> Any:
    """Polarity, satuan and a suggested formula from the decree's words, each noted
    "periksa" on the indicator; returns the formula suggestion (or None: kept as text)."""
    notes: list[str] = []
    polarity = infer_polarity(indikator.nama, indikator.makna, indikator.alasan)
    if polarity is not None:
        indikator.polaritas = polarity.value
        notes.append(polarity.note)
        counts.negatif += 1
    satuan = infer_satuan(indikator.nama, indikator.formulasi)
    if satuan is not None and not indikator.satuan:
        indikator.satuan = satuan.value[:80]
        notes.append(satuan.note)
        counts.satuan += 1
    suggestion = parse_formulasi(indikator.formulasi) if indikator.formulasi.strip() else None
    if suggestion is not None and len({c.nama for c in suggestion.components}) < len(
        suggestion.components
    ):
        suggestion = None  # "Jumlah A / Jumlah A": nothing to tell the parts apart by
    if not indikator.formulasi.strip():
        counts.empty += 1
    elif suggestion is None:
        counts.as_text += 1
        notes.append("periksa: formulasi disimpan sebagai teks; rumus komponen belum disusun")
    else:
        counts.parsed += 1
        notes.append(suggestion.note)
    indikator.periksa = "\n".join(notes)
    return suggestion
