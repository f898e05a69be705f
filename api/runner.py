"""What every ``*-sets`` endpoint shares: the size limit, the summary in DHIS2's shape, the
indicator references resolved within the caller's scope, the walk over the values with the
refusals every kind has (unknown indicator, the same cell twice), the refusal codes of the
doors' exceptions, and the view. Each kind (realisasi, targets) only plans its rows through
its own write service."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from indicators.models import Indikator
from renstra.door import NeedsConfirmation, StaleEdit, YearLocked

from . import serializers as s
from .errors import PayloadTooLarge
from .models import TugasApi
from .scope import opd_filter
from .tasks import KINDS, prune, run_set

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


def resolve(user: Any, values: list[dict[str, Any]], scheme: str) -> dict[str, Indikator]:
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
        code = s.indicator_code(ind)
        if code in found:
            doubled.add(code)
        found[code] = ind
    # A code two indicators share (no node code, same order) identifies neither.
    return {code: ind for code, ind in found.items() if code not in doubled}


def conflict_code(exc: Exception) -> str:
    if isinstance(exc, YearLocked):
        return "E_TAHUN_DIKUNCI"
    if isinstance(exc, StaleEdit):
        return "E_VERSI_USANG"
    if isinstance(exc, NeedsConfirmation):
        return "E_LONJAKAN"
    if isinstance(exc, PermissionDenied):
        return "E_DITOLAK"
    return "E_NILAI"


def refusal(exc: ValidationError | PermissionDenied) -> tuple[str, str]:
    """A door's refusal → (conflict code, its Indonesian text)."""
    texts = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    return conflict_code(exc), " ".join(texts)


@dataclass(frozen=True)
class Row:
    index: int
    value: dict[str, Any]
    indikator: Indikator
    obj: str


def rows(
    summary: Summary,
    values: list[dict[str, Any]],
    indicators: dict[str, Indikator],
    cell: str,
    key: Callable[[Indikator, dict[str, Any]], Hashable],
) -> Iterator[Row]:
    """The values whose indicator is found (in scope) and whose cell (``key``) was not sent
    before; the others are refused here, with their index."""
    seen: set[Hashable] = set()
    for index, v in enumerate(values):
        ref = str(v["indikator"]).strip()
        obj = f"{ref}/{v['tahun']}/{v[cell]}"
        ind = indicators.get(ref)
        if ind is None:
            summary.refuse(
                index, obj, ref, "E_INDIKATOR", "indikator",
                f"Indikator «{ref}» tidak ditemukan (atau di luar cakupan Anda).",
            )  # fmt: skip
            continue
        k = key(ind, v)
        if k in seen:
            summary.refuse(
                index, obj, None, "E_GANDA", cell,
                f"Nilai yang sama (indikator, tahun, {cell}) dikirim lebih dari sekali.",
            )  # fmt: skip
            continue
        seen.add(k)
        yield Row(index, v, ind, obj)


class SetView(APIView):
    """POST a set: the size limit before parsing its values, the serializer, the kind's
    import, the summary (200, or 409 when nothing could be taken). Above
    ``KINERJA_API_BACKGROUND_FROM`` values, 202 and a task to poll: the same import, run in
    the background with the sender's identity."""

    serializer_class: type[Serializer]
    run: Callable[[Any, dict[str, Any]], Summary]
    jenis: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        KINDS[cls.jenis] = cls.answer

    @classmethod
    def answer(cls, user: Any, raw: Any) -> tuple[dict[str, Any], int]:
        serializer = cls.serializer_class(data=raw)
        serializer.is_valid(raise_exception=True)
        return cls.run(user, serializer.validated_data).answer()

    def post(self, request: Request) -> Response:
        raw = request.data
        values = raw.get("values") if isinstance(raw, dict) else None
        if isinstance(values, list) and len(values) > MAX_VALUES:
            raise PayloadTooLarge(
                f"Paling banyak {MAX_VALUES:,} nilai per kiriman (dikirim "
                f"{len(values):,}); bagi menjadi beberapa kiriman.".replace(",", ".")
            )
        serializer = self.serializer_class(data=raw)
        serializer.is_valid(raise_exception=True)
        if len(serializer.validated_data["values"]) >= settings.KINERJA_API_BACKGROUND_FROM:
            prune()
            tugas = TugasApi.objects.create(pemilik=request.user, jenis=self.jenis, data=raw)
            # No transaction is open here (the API's views are not atomic): the row is
            # committed before the worker can look for it.
            run_set.enqueue(str(tugas.pk))
            url = reverse("api_task", args=[tugas.pk])
            return Response(
                {
                    "status": "ANTRE",
                    "tugas": url,
                    "pesan": "Kiriman besar diproses di latar belakang; "
                    "ringkasannya dibaca pada alamat tugas.",
                },
                status=202,
                headers={"Location": url},
            )
        body, status = type(self).run(request.user, serializer.validated_data).answer()
        return Response(body, status=status)


def set_schema(summary: str, request: type[Serializer]) -> Any:
    return extend_schema(
        summary=summary,
        request=request,
        responses={
            200: s.ImportSummarySerializer,
            409: s.ImportSummarySerializer,
            400: OpenApiResponse(s.ErrorSerializer),
            413: OpenApiResponse(s.ErrorSerializer),
        },
    )
