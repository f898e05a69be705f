from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <id:…>, <kode:…>, <fmt:…>)

from . import nomenklatur_views, rencana_aksi_views, sipd_views, views

app_name = "intake"

urlpatterns = [
    path("<tahun:tahun>/excel/", views.realisasi_spreadsheet, name="realisasi_spreadsheet"),
    path("<tahun:tahun>/excel/templat/", views.realisasi_template, name="realisasi_template"),
    path(
        "<tahun:tahun>/triwulan/unggah/",
        rencana_aksi_views.rencana_aksi_upload,
        name="rencana_aksi_upload",
    ),
    path("impor/<uuid:job_id>/", views.import_status, name="import_status"),
    path("nomenklatur/", nomenklatur_views.nomenklatur_now, name="nomenklatur_now"),
    path("nomenklatur/<id:periode_id>/", nomenklatur_views.nomenklatur_kode, name="nomenklatur"),
    path(
        "nomenklatur/<id:periode_id>/tolak/",
        nomenklatur_views.nomenklatur_tolak,
        name="nomenklatur_tolak",
    ),
    path(
        "nomenklatur/<id:periode_id>/pulihkan/",
        nomenklatur_views.nomenklatur_pulihkan,
        name="nomenklatur_pulihkan",
    ),
    path(
        "nomenklatur/<id:periode_id>/keluaran/",
        nomenklatur_views.nomenklatur_keluaran,
        name="nomenklatur_keluaran",
    ),
    path("anggaran/sipd/", sipd_views.sipd_now, name="sipd_now"),
    path("<tahun:tahun>/anggaran/sipd/", sipd_views.sipd_import, name="sipd_import"),
]
