from django.urls import path

from . import rencana_aksi_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.realisasi_now, name="realisasi_now"),
    path("<int:tahun>/", views.realisasi_list, name="realisasi_list"),
    path("<int:tahun>/<int:pk>/", views.realisasi_edit, name="realisasi_edit"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence"),
    path("triwulan/", views.rencana_aksi_now, name="rencana_aksi_now"),
    path("<int:tahun>/triwulan/", rencana_aksi_views.rencana_aksi, name="rencana_aksi"),
]
