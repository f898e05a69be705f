"""/api/v1/: the reads, the bulk realisasi, the schema and its docs (Swagger UI from the
project's own static files: drf-spectacular-sidecar, no CDN)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from . import sets, target_sets, views
from .errors import not_found_view

open_view: dict[str, list[object]] = {"authentication_classes": [], "permission_classes": []}

urlpatterns = [
    path("pemda/", views.PemdaList.as_view(), name="api_pemda"),
    path("opd/", views.OpdList.as_view(), name="api_opd"),
    path("periode/", views.PeriodeList.as_view(), name="api_periode"),
    path("pohon/", views.NodeList.as_view(), name="api_pohon"),
    path("indikator/", views.IndikatorList.as_view(), name="api_indikator"),
    path("target/", views.TargetList.as_view(), name="api_target"),
    path("realisasi/", views.RealisasiList.as_view(), name="api_realisasi"),
    path("capaian/", views.CapaianList.as_view(), name="api_capaian"),
    path("anggaran/", views.AnggaranList.as_view(), name="api_anggaran"),
    path("realisasi-sets/", sets.RealisasiSets.as_view(), name="api_realisasi_sets"),
    path("target-sets/", target_sets.TargetSets.as_view(), name="api_target_sets"),
    path("tasks/<uuid:tugas_id>/", views.TaskDetail.as_view(), name="api_task"),
    # The schema and its docs are public: they describe the API, they hold no data.
    path("openapi.json", SpectacularJSONAPIView.as_view(**open_view), name="api_schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api_schema", **open_view),
        name="api_docs",
    ),
    re_path(r"^.*$", not_found_view()),
]
