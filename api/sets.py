"""``POST /api/v1/realisasi-sets/``: many realisasi at once, answered with an import summary
in DHIS2's shape. Every row goes through the workbook's own door (RealisasiBatch: permission,
period, year lock, stale version, ×10 jump, the row's own rules); this module only reads the
set, resolves indicators and counts. Rows are judged one by one: a refused row is a conflict
with its index, the others are saved (unless ``dry_run``: then nothing is)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.formula_services import KomponenEntry, KomponenValue, komponen_record_many
from indicators.models import Indikator, Komponen, NilaiKomponen, Periode, Realisasi
from indicators.services.realisasi import PeriodValue, RealisasiBatch, RealisasiEntry
from renstra.door import NeedsConfirmation, StaleEdit, YearLocked

from . import serializers as s
from .errors import PayloadTooLarge
from .scope import opd_filter

MAX_VALUES = 10_000

STRATEGIES = ("create", "update", "create_and_update")


@dataclass
class Summary:
    dry_run: bool
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def refuse(self, index: int, obj: str, value: Any, code: str, prop: str, text: str) -> None:
        self.ignored += 1
        self.conflicts.append(
            {
                "object": obj,
                "value": text,
                "errorCode": code,
                "property": prop,
                "indexes": [index],
                "nilai": "" if value is None else str(value),
            }
        )

    def answer(self) -> tuple[dict[str, Any], int]:
        written = self.imported + self.updated
        if not self.conflicts:
            status = "SUCCESS"
        elif written or self.ignored > len(self.conflicts):
            status = "WARNING"
        else:
            status = "ERROR"
        verb = ("akan ditambahkan", "akan diubah") if self.dry_run else ("ditambahkan", "diubah")
        text = (
            f"{self.imported} {verb[0]}, {self.updated} {verb[1]}, {self.ignored} diabaikan"
            f" ({len(self.conflicts)} ditolak)."
        )
        if self.dry_run:
            text = "Uji coba: " + text + " Tidak ada yang disimpan."
        elif not written:
            text += " Tidak ada yang berubah."
        body: dict[str, Any] = {
            "status": status,
            "dry_run": self.dry_run,
            "description": text,
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored,
                "deleted": 0,
            },
            "conflicts": self.conflicts,
        }
        if status == "ERROR":
            # Nothing of the set could be taken: a conflict for the client (409), in the
            # API's error shape besides the summary.
            body.update(kode="konflik", pesan="Tidak ada nilai yang dapat diterima. " + text)
            return body, 409
        return body, 200


def _code_of(ind: Indikator) -> str:
    return s.indicator_code(ind)


def _resolve(user: Any, values: list[dict[str, Any]], scheme: str) -> dict[str, Indikator]:
    """Indicator reference as sent → indicator, for those the user may read (one query). An
    indicator outside the caller's scope is reported as not found: its existence is not told."""
    refs = {str(v["indikator"]).strip() for v in values}
    qs = Indikator.objects.with_tree().filter(opd_filter(user, "periode__opd_id"))
    if scheme == "id":
        ids = {int(r) for r in refs if r.isascii() and r.isdigit() and len(r) < 10}
        return {str(i.pk): i for i in qs.filter(pk__in=ids)}
    opd_codes = {r.split("/", 1)[0] for r in refs}
    found: dict[str, Indikator] = {}
    doubled: set[str] = set()
    for ind in qs.filter(periode__opd__kode__in=opd_codes):
        code = _code_of(ind)
        if code in found:
            doubled.add(code)
        found[code] = ind
    # A code two indicators share (no node code, same order) identifies neither.
    return {code: ind for code, ind in found.items() if code not in doubled}


def _conflict_code(exc: Exception) -> str:
    if isinstance(exc, YearLocked):
        return "E_TAHUN_DIKUNCI"
    if isinstance(exc, StaleEdit):
        return "E_VERSI_USANG"
    if isinstance(exc, NeedsConfirmation):
        return "E_LONJAKAN"
    if isinstance(exc, PermissionDenied):
        return "E_DITOLAK"
    return "E_NILAI"


def import_realisasi(user: Any, data: dict[str, Any]) -> Summary:
    values: list[dict[str, Any]] = data["values"]
    summary = Summary(dry_run=data["dry_run"])
    strategy = data["strategy"]
    indicators = _resolve(user, values, data["id_scheme"])
    with transaction.atomic():
        batch = RealisasiBatch(
            user,
            indicator_ids=[i.pk for i in indicators.values()],
            years={v["tahun"] for v in values},
            indicators=indicators.values(),
        )
        plans = []
        parts = _KomponenRows(summary, strategy, indicators.values(), {v["tahun"] for v in values})
        seen: set[tuple[int, int, str]] = set()
        for index, v in enumerate(values):
            ref = str(v["indikator"]).strip()
            ind = indicators.get(ref)
            obj = f"{ref}/{v['tahun']}/{v['periode']}"
            nilai: Decimal | None = v.get("nilai")
            teks = (v.get("nilai_teks") or "").strip()
            if ind is None:
                summary.refuse(
                    index, obj, ref, "E_INDIKATOR", "indikator",
                    f"Indikator «{ref}» tidak ditemukan (atau di luar cakupan Anda).",
                )  # fmt: skip
                continue
            key = (int(ind.pk), v["tahun"], v["periode"])
            if key in seen:
                summary.refuse(
                    index, obj, None, "E_GANDA", "periode",
                    "Nilai yang sama (indikator, tahun, periode) dikirim lebih dari sekali.",
                )  # fmt: skip
                continue
            seen.add(key)
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
            stored: Realisasi | None = batch.stored.get((key[0], key[1]), {}).get(key[2])
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
                texts = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                summary.refuse(
                    index, obj, nilai if nilai is not None else teks, _conflict_code(exc),
                    "nilai", " ".join(texts),
                )  # fmt: skip
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
                texts = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                code = _conflict_code(exc)
                self.summary.refuse(
                    index, obj, shown, "E_KOMPONEN" if code == "E_NILAI" else code,
                    "komponen", " ".join(texts),
                )  # fmt: skip
                continue
            if exists:
                self.summary.updated += 1
            else:
                self.summary.imported += 1


class RealisasiSets(APIView):
    @extend_schema(
        summary="Kirim banyak realisasi sekaligus (uji coba, strategi, skema id/kode)",
        request=s.RealisasiSetSerializer,
        responses={
            200: s.ImportSummarySerializer,
            409: s.ImportSummarySerializer,
            400: OpenApiResponse(s.ErrorSerializer),
            413: OpenApiResponse(s.ErrorSerializer),
        },
    )
    def post(self, request: Request) -> Response:
        raw = request.data
        values = raw.get("values") if isinstance(raw, dict) else None
        if isinstance(values, list) and len(values) > MAX_VALUES:
            raise PayloadTooLarge(
                f"Paling banyak {MAX_VALUES:,} nilai per kiriman (dikirim "
                f"{len(values):,}); bagi menjadi beberapa kiriman.".replace(",", ".")
            )
        serializer = s.RealisasiSetSerializer(data=raw)
        serializer.is_valid(raise_exception=True)
        body, status = import_realisasi(request.user, serializer.validated_data).answer()
        return Response(body, status=status)
