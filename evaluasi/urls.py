"""The evaluation's URLs."""

from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <kode:…>)

from . import lhe_views, views

app_name = "evaluasi"

urlpatterns = [
    path("evaluasi/", views.evaluasi_now, name="now"),
    path("evaluasi/<tahun:tahun>/", views.index, name="index"),
    path("evaluasi/<tahun:tahun>/opd/<kode:kode>/", views.opd_page, name="opd"),
    path("evaluasi/<tahun:tahun>/opd/<kode:kode>/lhe/", lhe_views.lhe_page, name="lhe"),
    path(
        "evaluasi/<tahun:tahun>/opd/<kode:kode>/lhe.<fmt:fmt>",
        lhe_views.lhe_download,
        name="lhe_file",
    ),
]
