"""The reads: the same visibility as the pages (api.scope), paginated, a constant number of
queries per page whatever its size (tests/api pins them)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from common.numbers import json_number, round2
from indicators.models import Indikator, Jenis, Periode, Realisasi, Target
from indicators.selectors import rows_for_opds
from renstra.models import (
    BUDGET_NODE_FIELDS,
    Anggaran,
    Kegiatan,
    Level,
    Opd,
    Pemda,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
)

from . import serializers as s
from .models import TugasApi
from .scope import choice_param, code_param, int_param, opd_filter, readable_opds, since_param


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


def _p(name: str, kind: Any, text: str, **kwargs: Any) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=text, **kwargs)


OPD = _p("opd", str, "kode OPD, mis. DP3APPKBPMD")
TAHUN = _p("tahun", int, "tahun")
LEVEL = _p("level", str, "tingkat", enum=[level.value for level in Level])
BUDGET_LEVELS = list(BUDGET_NODE_FIELDS)
SINCE = _p("lastUpdated", OpenApiTypes.DATETIME, "hanya yang diubah sejak (ISO 8601)")


class ApiList(generics.ListAPIView):
    pagination_class = Pages

    @property
    def params(self) -> Any:
        return self.request.query_params


@extend_schema(summary="Pemda yang dapat dibaca")
class PemdaList(ApiList):
    serializer_class = s.PemdaSerializer

    def get_queryset(self) -> QuerySet[Pemda]:
        opds = readable_opds(self.request.user)
        qs = Pemda.objects.all()
        if opds is not None:
            qs = qs.filter(pk__in=Opd.objects.filter(pk__in=opds).values("pemda_id"))
        return qs.order_by("kode")


@extend_schema(summary="OPD yang dapat dibaca", parameters=[_p("pemda", str, "kode Pemda")])
class OpdList(ApiList):
    serializer_class = s.OpdSerializer

    def get_queryset(self) -> QuerySet[Opd]:
        qs = Opd.objects.select_related("pemda").filter(opd_filter(self.request.user, "pk"))
        if pemda := code_param(self.params, "pemda"):
            qs = qs.filter(pemda__kode=pemda)
        return qs.order_by("kode")


@extend_schema(summary="Periode Renstra", parameters=[OPD])
class PeriodeList(ApiList):
    serializer_class = s.PeriodeSerializer

    def get_queryset(self) -> QuerySet[PeriodeRenstra]:
        qs = PeriodeRenstra.objects.select_related("opd").filter(
            opd_filter(self.request.user, "opd_id")
        )
        if opd := code_param(self.params, "opd"):
            qs = qs.filter(opd__kode=opd)
        return qs.order_by("opd__kode", "tahun_awal")


NODE_MODELS: dict[str, Any] = {
    Level.TUJUAN: (Tujuan, []),
    Level.SASARAN: (Sasaran, ["tujuan"]),
    Level.PROGRAM: (Program, ["sasaran"]),
    Level.KEGIATAN: (Kegiatan, ["program"]),
    Level.SUB_KEGIATAN: (SubKegiatan, ["kegiatan"]),
}


@extend_schema(
    summary="Pohon kinerja, satu tingkat per permintaan (induk = id simpul di atasnya)",
    parameters=[OPD, _p("level", str, "tingkat (bawaan: tujuan)", enum=list(NODE_MODELS))],
)
class NodeList(ApiList):
    serializer_class = s.NodeSerializer

    def level(self) -> str:
        return choice_param(self.params, "level", NODE_MODELS) or Level.TUJUAN

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "level": self.level()}

    def get_queryset(self) -> QuerySet[Any]:
        model, parents = NODE_MODELS[self.level()]
        qs = model.objects.select_related(*parents).filter(
            opd_filter(self.request.user, "periode__opd_id")
        )
        if opd := code_param(self.params, "opd"):
            qs = qs.filter(periode__opd__kode=opd)
        return qs.order_by("periode_id", "urutan", "pk")


def _indicators(request: Request) -> QuerySet[Indikator]:
    params = request.query_params
    qs = Indikator.objects.with_tree().filter(opd_filter(request.user, "periode__opd_id"))
    if opd := code_param(params, "opd"):
        qs = qs.filter(periode__opd__kode=opd)
    if level := choice_param(params, "level", [lv.value for lv in Level]):
        qs = qs.filter(**{f"{level}__isnull": False})
    if jenis := choice_param(params, "jenis", [j.value for j in Jenis]):
        qs = qs.filter(jenis=jenis)
    return qs


@extend_schema(
    summary="Indikator dengan definisinya",
    parameters=[OPD, LEVEL, _p("jenis", str, "IKU atau IK", enum=[j.value for j in Jenis])],
)
class IndikatorList(ApiList):
    serializer_class = s.IndikatorSerializer

    def get_queryset(self) -> QuerySet[Indikator]:
        return _indicators(self.request).order_by("periode__opd__kode", "pk")


@extend_schema(
    summary="Target (Renstra, PK, PK Perubahan)",
    parameters=[OPD, TAHUN, _p("indikator", int, "id indikator")],
)
class TargetList(ApiList):
    serializer_class = s.TargetSerializer

    def get_queryset(self) -> QuerySet[Target]:
        qs = Target.objects.filter(opd_filter(self.request.user, "indikator__periode__opd_id"))
        if opd := code_param(self.params, "opd"):
            qs = qs.filter(indikator__periode__opd__kode=opd)
        if (tahun := int_param(self.params, "tahun")) is not None:
            qs = qs.filter(tahun=tahun)
        if (ind := int_param(self.params, "indikator", high=2**31 - 1)) is not None:
            qs = qs.filter(indikator_id=ind)
        return qs.order_by("indikator_id", "tahun", "jenis")


@extend_schema(
    summary="Realisasi (tahunan, triwulan) dengan asal datanya",
    parameters=[
        OPD,
        TAHUN,
        _p("periode", str, "periode", enum=[p.value for p in Periode]),
        _p("indikator", int, "id indikator"),
        SINCE,
    ],
)
class RealisasiList(ApiList):
    serializer_class = s.RealisasiSerializer

    def get_queryset(self) -> QuerySet[Realisasi]:
        qs = Realisasi.objects.select_related("diisi_oleh").filter(
            opd_filter(self.request.user, "indikator__periode__opd_id")
        )
        if opd := code_param(self.params, "opd"):
            qs = qs.filter(indikator__periode__opd__kode=opd)
        if (tahun := int_param(self.params, "tahun")) is not None:
            qs = qs.filter(tahun=tahun)
        if periode := choice_param(self.params, "periode", [p.value for p in Periode]):
            qs = qs.filter(periode=periode)
        if (ind := int_param(self.params, "indikator", high=2**31 - 1)) is not None:
            qs = qs.filter(indikator_id=ind)
        if (since := since_param(self.params)) is not None:
            qs = qs.filter(diisi_pada__gte=since)
        return qs.order_by("indikator_id", "tahun", "periode")


@extend_schema(
    summary="Anggaran (pagu dan realisasi, Rupiah) per program, kegiatan, sub kegiatan",
    parameters=[OPD, TAHUN, _p("level", str, "tingkat", enum=list(BUDGET_LEVELS))],
)
class AnggaranList(ApiList):
    serializer_class = s.AnggaranSerializer

    def get_queryset(self) -> QuerySet[Anggaran]:
        qs = Anggaran.objects.select_related("periode__opd", *BUDGET_LEVELS).filter(
            opd_filter(self.request.user, "periode__opd_id")
        )
        if opd := code_param(self.params, "opd"):
            qs = qs.filter(periode__opd__kode=opd)
        if (tahun := int_param(self.params, "tahun")) is not None:
            qs = qs.filter(tahun=tahun)
        if level := choice_param(self.params, "level", BUDGET_LEVELS):
            qs = qs.filter(**{f"{level}__isnull": False})
        return qs.order_by("periode__opd__kode", "tahun", "pk")


def _number(value: Decimal | str | None) -> Any:
    return json_number(value) if isinstance(value, Decimal) and value.is_finite() else value


@extend_schema(
    summary="Capaian dan kategori dari mesin perhitungan (angka yang sama dengan dasbor/LAKIP)",
    parameters=[
        _p("tahun", int, "tahun (wajib)", required=True),
        OPD,
        LEVEL,
        _p("jenis", str, "IKU: indikator kinerja utama tahun itu", enum=[j.value for j in Jenis]),
    ],
)
class CapaianList(ApiList):
    serializer_class = s.CapaianSerializer

    def tahun(self) -> int:
        tahun = int_param(self.params, "tahun")
        if tahun is None:
            raise ValidationError({"tahun": "Tahun wajib diisi."})
        return tahun

    def get_queryset(self) -> QuerySet[Indikator]:
        tahun = self.tahun()
        qs = _indicators(self.request)
        if self.params.get("jenis") == Jenis.IKU:
            # The IKU a year is measured by (selectors.iku_of_year): the sasaran's IKU with a
            # target that year.
            qs = qs.filter(sasaran__isnull=False).filter(
                Exists(Target.objects.filter(indikator=OuterRef("pk"), tahun=tahun))
            )
        return qs.order_by("periode__opd__kode", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tahun = self.tahun()
        # The page is chosen on the ids alone, then read with its tree: sorting every row of a
        # Pemda joined to its whole tree (wide rows, spilled to disk) cost 0,3–0,6 s a page.
        ids = self.paginate_queryset(self.get_queryset().values_list("pk", flat=True)) or []
        rows_by_pk = Indikator.objects.with_node().in_bulk(ids)
        page = [rows_by_pk[pk] for pk in ids]
        by_opd: dict[int, list[Indikator]] = defaultdict(list)
        for ind in page:
            by_opd[ind.periode.opd_id].append(ind)
        # The engine's figures, as the dashboard and the LAKIP read them (never computed here),
        # for every OPD on the page at once: the queries do not grow with the OPDs.
        rows = rows_for_opds(tahun, by_opd)
        computed = {row.indikator.pk: row for row in rows}
        data = []
        for ind in page:
            row = computed[ind.pk]
            result = row.result
            data.append(
                {
                    "indikator": ind.pk,
                    "kode": s.indicator_code(ind),
                    "opd": ind.periode.opd.kode,
                    "nama": ind.nama,
                    "jenis": ind.jenis,
                    "level": ind.level,
                    "satuan": ind.satuan,
                    "tahun": tahun,
                    "target": _number(row.target_value),
                    "realisasi": _number(row.realisasi_value),
                    # Rounded half-up to 2 decimals as every export stores it (98,96).
                    "capaian": _number(round2(result.capaian))
                    if result.capaian is not None
                    else None,
                    "kategori": result.kategori,
                    "alasan": result.reason,
                    "rumus": result.formula,
                    "skala": result.scale_code,
                }
            )
        return self.get_paginated_response(data)


class TaskDetail(generics.GenericAPIView):
    """A large set's background task: its status, then the summary the request would have
    answered (and that answer's HTTP code). Its sender's only: anyone else gets 404, as for
    anything outside their scope. One query."""

    @extend_schema(summary="Status dan ringkasan kiriman besar", responses=s.TaskSerializer)
    def get(self, request: Request, tugas_id: Any) -> Response:
        tugas = TugasApi.objects.filter(pk=tugas_id, pemilik=request.user).first()
        if tugas is None:
            raise NotFound()
        return Response(
            {
                "id": str(tugas.pk),
                "jenis": tugas.jenis,
                "status": tugas.status,
                "dibuat_pada": tugas.dibuat_pada,
                "selesai_pada": tugas.selesai_pada,
                "kode_http": tugas.kode_http,
                "ringkasan": tugas.ringkasan or None,
            }
        )
