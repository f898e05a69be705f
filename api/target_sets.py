"""``POST /api/v1/target-sets/``: many targets at once — the Renstra's per year, the PK and
the PK Perubahan (``TargetBatch``, the workbook's and the admin's door) and the rencana aksi's
triwulan targets (``target_triwulan_set``, the page's door) — answered with the realisasi
sets' summary and conflict codes. The doors hold every rule (only the OPD's perencana and the
admin write targets; a year of the period; an open year; the version read; ×10 jumps); this
module only reads the set and counts. Rows are judged one by one: a refused row is a conflict,
the others are saved (unless ``dry_run``: then nothing is)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework.request import Request
from rest_framework.response import Response

from indicators.models import JenisTarget, TargetTriwulan
from indicators.rencana_aksi import QuarterTarget, target_triwulan_set
from indicators.services.target import TargetBatch, TargetChange
from renstra.door import NeedsConfirmation

from . import serializers as s
from .runner import Row, SetView, Summary, refusal, resolve, rows, set_schema

ANNUAL = {j.value for j in JenisTarget}


def _strategy_refusal(summary: Summary, row: Row, strategy: str, exists: bool, shown: Any) -> bool:
    if strategy == "create" and exists:
        summary.refuse(
            row.index, row.obj, shown, "E_SUDAH_ADA", "nilai",
            "Target ini sudah ada; strategi «create» tidak mengubahnya.",
        )  # fmt: skip
        return True
    if strategy == "update" and not exists:
        summary.refuse(
            row.index, row.obj, shown, "E_BELUM_ADA", "nilai",
            "Target ini belum ada; strategi «update» tidak menambahkannya.",
        )  # fmt: skip
        return True
    return False


def import_targets(user: Any, data: dict[str, Any]) -> Summary:
    values: list[dict[str, Any]] = data["values"]
    summary = Summary(dry_run=data["dry_run"])
    strategy = data["strategy"]
    indicators = resolve(user, values, data["id_scheme"])
    ids = [int(i.pk) for i in indicators.values()]
    years = {v["tahun"] for v in values}
    with transaction.atomic():
        # The annual targets: one prefetch (locked) and the checks of the workbook's batch.
        batch = TargetBatch(user, indicator_ids=ids, years=years, indicators=indicators.values())
        quarters = {
            (t.indikator_id, t.tahun, t.periode): t
            for t in TargetTriwulan.objects.filter(indikator_id__in=ids, tahun__in=years)
        }
        changes: list[TargetChange] = []
        quarter_rows: list[tuple[Row, QuarterTarget, str, bool]] = []
        key = lambda ind, v: (int(ind.pk), v["tahun"], v["jenis"])  # noqa: E731
        for row in rows(summary, values, indicators, "jenis", key):
            v, ind = row.value, row.indikator
            nilai: Decimal | None = v.get("nilai")
            teks = (v.get("nilai_teks") or "").strip()
            catatan = (v.get("catatan") or "").strip()
            shown = nilai if nilai is not None else teks
            if v["jenis"] not in ANNUAL:
                if nilai is None or teks:
                    summary.refuse(
                        row.index, row.obj, shown, "E_NILAI", "nilai",
                        "Target triwulan berupa angka (nilai).",
                    )  # fmt: skip
                    continue
                stored_q = quarters.get((int(ind.pk), v["tahun"], v["jenis"]))
                if stored_q is not None and stored_q.nilai == nilai:
                    summary.ignored += 1
                    continue
                if _strategy_refusal(summary, row, strategy, stored_q is not None, shown):
                    continue
                # versi None: a value sent without ``versi`` is the last write (as realisasi).
                quarter = QuarterTarget(v["jenis"], nilai, v.get("versi"))
                quarter_rows.append((row, quarter, catatan, stored_q is not None))
                continue
            if (nilai is None) == (not teks):
                summary.refuse(
                    row.index, row.obj, shown, "E_NILAI", "nilai",
                    "Isi salah satu: nilai (angka) atau nilai_teks (mis. WTP, 2,30–2,35).",
                )  # fmt: skip
                continue
            stored = batch.stored.get((int(ind.pk), v["tahun"], v["jenis"]))
            same = stored is not None and stored.nilai == nilai and stored.nilai_teks == teks
            if not same and _strategy_refusal(summary, row, strategy, stored is not None, shown):
                continue
            change = TargetChange(
                ind, v["tahun"], nilai, teks, v["jenis"], versi=v.get("versi"), sumber=catatan
            )
            try:
                jumps = batch.check([change])
                if jumps and not data["konfirmasi"]:
                    raise NeedsConfirmation(
                        [*jumps, "Kirim lagi dengan konfirmasi=true bila memang benar."]
                    )
            except (ValidationError, PermissionDenied) as exc:
                code, text = refusal(exc)
                summary.refuse(row.index, row.obj, shown, code, "nilai", text)
                continue
            if same:
                summary.ignored += 1
                continue
            if stored is not None:
                summary.updated += 1
            else:
                summary.imported += 1
            changes.append(change)
        if not summary.dry_run:
            batch.write(changes)
        # The triwulan targets go through the rencana aksi's door, each in a savepoint (a
        # dry run too, rolled back below: it answers what the real run would).
        for row, quarter, catatan, exists in quarter_rows:
            try:
                with transaction.atomic():
                    target_triwulan_set(
                        user=user,
                        indikator=row.indikator,
                        tahun=row.value["tahun"],
                        values=[quarter],
                        sumber=catatan,
                    )
            except (ValidationError, PermissionDenied) as exc:
                code, text = refusal(exc)
                summary.refuse(row.index, row.obj, quarter.nilai, code, "nilai", text)
                continue
            if exists:
                summary.updated += 1
            else:
                summary.imported += 1
        if summary.dry_run:
            transaction.set_rollback(True)
    summary.conflicts.sort(key=lambda c: c["indexes"][0])
    return summary


class TargetSets(SetView):
    serializer_class = s.TargetSetSerializer
    run = staticmethod(import_targets)
    jenis = "target"

    @set_schema(
        "Kirim banyak target sekaligus (Renstra, PK, PK Perubahan, triwulan)",
        s.TargetSetSerializer,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)
