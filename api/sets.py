"""``POST /api/v1/realisasi-sets/``: many realisasi at once, answered with an import summary
in DHIS2's shape. Every row goes through the workbook's own door (RealisasiBatch: permission,
period, year lock, stale version, ×10 jump, the row's own rules); this module only reads the
set, resolves indicators and counts. Rows are judged one by one: a refused row is a conflict
with its index, the others are saved (unless ``dry_run``: then nothing is)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework.request import Request
from rest_framework.response import Response

from indicators.formula_services import KomponenEntry, KomponenValue, komponen_record_many
from indicators.models import Indikator, Komponen, NilaiKomponen, Periode, Realisasi
from indicators.services.realisasi import PeriodValue, RealisasiBatch, RealisasiEntry
from renstra.door import NeedsConfirmation

from . import serializers as s
from .runner import SetView, Summary, refusal, resolve, rows, set_schema


def import_realisasi(user: Any, data: dict[str, Any]) -> Summary:
    values: list[dict[str, Any]] = data["values"]
    summary = Summary(dry_run=data["dry_run"])
    strategy = data["strategy"]
    indicators = resolve(user, values, data["id_scheme"])
    with transaction.atomic():
        batch = RealisasiBatch(
            user,
            indicator_ids=[i.pk for i in indicators.values()],
            years={v["tahun"] for v in values},
            indicators=indicators.values(),
        )
        plans = []
        parts = _KomponenRows(summary, strategy, indicators.values(), {v["tahun"] for v in values})
        key = lambda ind, v: (int(ind.pk), v["tahun"], v["periode"])  # noqa: E731
        for row in rows(summary, values, indicators, "periode", key):
            index, v, ind, obj = row.index, row.value, row.indikator, row.obj
            nilai: Decimal | None = v.get("nilai")
            teks = (v.get("nilai_teks") or "").strip()
            given = v.get("komponen")
            if [nilai is not None, bool(teks), given is not None].count(True) != 1:
                summary.refuse(
                    index, obj, nilai, "E_NILAI", "nilai",
                    "Isi salah satu: nilai (angka), nilai_teks (mis. WTP) atau komponen.",
                )  # fmt: skip
                continue
            catatan = v.get("catatan") or None
            if catatan and v["periode"] != Periode.TAHUNAN:
                summary.refuse(
                    index, obj, None, "E_CATATAN", "catatan",
                    "Catatan (analisis) hanya untuk realisasi tahunan.",
                )  # fmt: skip
                continue
            if given is not None:
                parts.take(index, obj, ind, v, given, catatan)
                continue
            stored: Realisasi | None = batch.stored.get((int(ind.pk), v["tahun"]), {}).get(
                v["periode"]
            )
            exists = stored is not None and (
                stored.nilai is not None or bool(stored.nilai_teks) or stored.tidak_tersedia
            )
            same = (
                exists
                and stored is not None
                and stored.nilai == nilai
                and stored.nilai_teks == teks
                and not stored.tidak_tersedia
                and (catatan is None or stored.analisis == catatan)
            )
            if strategy == "create" and exists and not same:
                summary.refuse(
                    index, obj, nilai if nilai is not None else teks, "E_SUDAH_ADA", "nilai",
                    "Realisasi ini sudah ada; strategi «create» tidak mengubahnya.",
                )  # fmt: skip
                continue
            if strategy == "update" and not exists:
                summary.refuse(
                    index, obj, nilai if nilai is not None else teks, "E_BELUM_ADA", "nilai",
                    "Realisasi ini belum ada; strategi «update» tidak menambahkannya.",
                )  # fmt: skip
                continue
            entry = RealisasiEntry(
                ind,
                v["tahun"],
                (PeriodValue(v["periode"], nilai, teks, v.get("versi")),),
                analisis=catatan,
            )
            try:
                plan, jumps = batch.check(entry)
                if jumps and not data["konfirmasi"]:
                    raise NeedsConfirmation(
                        [*jumps, "Kirim lagi dengan konfirmasi=true bila memang benar."]
                    )
            except (ValidationError, PermissionDenied) as exc:
                code, text = refusal(exc)
                summary.refuse(
                    index, obj, nilai if nilai is not None else teks, code, "nilai", text
                )
                continue
            to_save, _to_delete = plan
            if not to_save:
                summary.ignored += 1
            elif exists:
                summary.updated += 1
            else:
                summary.imported += 1
            plans.append(plan)
        if not summary.dry_run:
            batch.write(plans)
        # Rows sent as components go through the components' own door, each in a savepoint:
        # a refused one is a conflict, the others stand (in a dry run too, rolled back below,
        # so that a dry run answers exactly what the real run would).
        parts.record(user, konfirmasi=data["konfirmasi"])
        if summary.dry_run:
            transaction.set_rollback(True)
    summary.conflicts.sort(key=lambda c: c["indexes"][0])
    return summary


class _KomponenRows:
    """Values sent as a formula's components (``{"pembilang": 12, "penyebut": 40}``): matched
    to the indicator's components by name (or by role when one component has it), all of
    them required; recorded through ``komponen_record_many``, which computes the realisasi
    with the engine and applies the realisasi rules. Two queries whatever the set (the
    components, their stored values); then the door's own queries per row."""

    def __init__(self, summary: Summary, strategy: str, indicators: Any, years: set[int]) -> None:
        self.summary, self.strategy = summary, strategy
        ids = [int(i.pk) for i in indicators]
        self.components: dict[int, list[Komponen]] = {}
        for k in Komponen.objects.filter(rumus__indikator_id__in=ids).select_related("rumus"):
            self.components.setdefault(k.rumus.indikator_id, []).append(k)
        self.stored: dict[tuple[int, int, str], dict[int, Decimal]] = {}
        for row in NilaiKomponen.objects.filter(
            komponen__rumus__indikator_id__in=ids, tahun__in=years
        ).values("komponen__rumus__indikator_id", "tahun", "periode", "komponen_id", "nilai"):
            key = (row["komponen__rumus__indikator_id"], row["tahun"], row["periode"])
            self.stored.setdefault(key, {})[row["komponen_id"]] = row["nilai"]
        self.rows: list[tuple[int, str, KomponenEntry, Any, bool]] = []

    def _match(self, comps: list[Komponen], name: str) -> Komponen | None:
        by_name = [k for k in comps if k.nama.casefold() == name.strip().casefold()]
        by_role = [k for k in comps if k.peran == name.strip().casefold()]
        found = by_name or by_role
        return found[0] if len(found) == 1 else None

    def take(
        self, index: int, obj: str, ind: Indikator, v: dict[str, Any], given: dict[str, Any],
        catatan: str | None,
    ) -> None:  # fmt: skip
        summary = self.summary
        comps = sorted(self.components.get(int(ind.pk), []), key=lambda k: (k.urutan, k.pk))
        shown = ", ".join(f"{k}={n}" for k, n in given.items())
        if not comps:
            summary.refuse(
                index, obj, shown, "E_KOMPONEN", "komponen",
                "Indikator ini belum memiliki rumus dengan komponen; kirim nilai.",
            )  # fmt: skip
            return
        matched: dict[int, tuple[Komponen, Decimal]] = {}
        unknown = []
        for name, nilai in given.items():
            k = self._match(comps, name)
            if k is None or k.pk in matched:
                unknown.append(name)
            else:
                matched[k.pk] = (k, nilai)
        missing = [k.nama for k in comps if k.pk not in matched]
        if unknown or missing:
            problems = []
            if unknown:
                problems.append("tidak dikenal: " + ", ".join(f"«{n}»" for n in unknown))
            if missing:
                problems.append("belum dikirim: " + ", ".join(f"«{n}»" for n in missing))
            summary.refuse(
                index, obj, shown, "E_KOMPONEN", "komponen",
                "Komponen " + "; ".join(problems) + ". Komponen rumus: "
                + ", ".join(f"«{k.nama}» ({k.peran})" for k in comps) + ".",
            )  # fmt: skip
            return
        stored = self.stored.get((int(ind.pk), v["tahun"], v["periode"]), {})
        exists = bool(stored)
        same = exists and all(stored.get(pk) == n for pk, (_k, n) in matched.items())
        if same and catatan is None:
            summary.ignored += 1
            return
        if self.strategy == "create" and exists:
            summary.refuse(
                index, obj, shown, "E_SUDAH_ADA", "komponen",
                "Komponen ini sudah ada; strategi «create» tidak mengubahnya.",
            )  # fmt: skip
            return
        if self.strategy == "update" and not exists:
            summary.refuse(
                index, obj, shown, "E_BELUM_ADA", "komponen",
                "Komponen ini belum ada; strategi «update» tidak menambahkannya.",
            )  # fmt: skip
            return
        # versi None: like a value sent without ``versi``, the last write wins.
        values = tuple(KomponenValue(k, n, "", None) for k, n in matched.values())
        entry = KomponenEntry(ind, v["tahun"], ((v["periode"], values),), analisis=catatan)
        self.rows.append((index, obj, entry, shown, exists))

    def record(self, user: Any, *, konfirmasi: bool) -> None:
        for index, obj, entry, shown, exists in self.rows:
            try:
                with transaction.atomic():
                    komponen_record_many(user=user, entries=[entry], confirm=konfirmasi)
            except (ValidationError, PermissionDenied) as exc:
                code, text = refusal(exc)
                self.summary.refuse(
                    index, obj, shown, "E_KOMPONEN" if code == "E_NILAI" else code,
                    "komponen", text,
                )  # fmt: skip
                continue
            if exists:
                self.summary.updated += 1
            else:
                self.summary.imported += 1


class RealisasiSets(SetView):
    serializer_class = s.RealisasiSetSerializer
    run = staticmethod(import_realisasi)
    jenis = "realisasi"

    @set_schema(
        "Kirim banyak realisasi sekaligus (uji coba, strategi, skema id/kode)",
        s.RealisasiSetSerializer,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)
