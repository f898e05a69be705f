"""The evaluation's URLs."""

from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <kode:…>)

from . import followup_views, instrumen_views, lhe_views, views

app_name = "evaluasi"

urlpatterns = [
    path("evaluasi/", views.evaluasi_now, name="now"),
    path("evaluasi/<tahun:tahun>/", views.index, name="index"),
    path("evaluasi/instrumen/", instrumen_views.instrumen_list, name="instrumen"),
    path("evaluasi/instrumen/impor/", instrumen_views.instrumen_impor_page, name="instrumen_impor"),
    path("evaluasi/<tahun:tahun>/xlsx/", views.kabupaten_xlsx, name="xlsx"),
    path("evaluasi/<tahun:tahun>/opd/<kode:kode>/", views.opd_page, name="opd"),
    path("evaluasi/<tahun:tahun>/opd/<kode:kode>/lhe/", lhe_views.lhe_page, name="lhe"),
    path(
        "evaluasi/<tahun:tahun>/opd/<kode:kode>/lhe.<fmt:fmt>",
        lhe_views.lhe_download,
        name="lhe_file",
    ),
    path(
        "evaluasi/<tahun:tahun>/opd/<kode:kode>/bukti/",
        followup_views.bukti_unggah_view,
        name="bukti_unggah",
    ),
    path(
        "evaluasi/<tahun:tahun>/opd/<kode:kode>/rekomendasi/",
        followup_views.rekomendasi_page,
        name="rekomendasi",
    ),
    path("evaluasi/bukti/<id:pk>/", followup_views.bukti_unduh, name="bukti"),
    path("evaluasi/bukti/<id:pk>/hapus/", followup_views.bukti_hapus_view, name="bukti_hapus"),
    path(
        "evaluasi/rekomendasi/<id:pk>/bukti/",
        followup_views.rekomendasi_bukti,
        name="rekomendasi_bukti",
    ),
]
