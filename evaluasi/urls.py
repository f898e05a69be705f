"""The evaluation's URLs."""

from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <kode:…>)

from . import views

app_name = "evaluasi"

urlpatterns = [
    path("evaluasi/", views.evaluasi_now, name="now"),
    path("evaluasi/<tahun:tahun>/", views.index, name="index"),
    path("evaluasi/<tahun:tahun>/xlsx/", views.kabupaten_xlsx, name="xlsx"),
    path("evaluasi/<tahun:tahun>/opd/<kode:kode>/", views.opd_page, name="opd"),
]
