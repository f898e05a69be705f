from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <id:…>, <kode:…>, <fmt:…>)

from . import rencana_aksi_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.realisasi_now, name="realisasi_now"),
    path("<tahun:tahun>/", views.realisasi_list, name="realisasi_list"),
    path("<tahun:tahun>/<id:pk>/", views.realisasi_edit, name="realisasi_edit"),
    path("bukti/<id:pk>/", views.evidence_download, name="evidence"),
    path("bukti/komponen/<id:pk>/", views.komponen_evidence_download, name="komponen_evidence"),
    path("triwulan/", views.rencana_aksi_now, name="rencana_aksi_now"),
    path("<tahun:tahun>/triwulan/", rencana_aksi_views.rencana_aksi, name="rencana_aksi"),
]
