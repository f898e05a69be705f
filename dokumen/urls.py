"""The dokumen app's pages: the Dokumen page of an OPD and its documents' downloads."""

from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <id:…>, <kode:…>, <fmt:…>)

from . import views

app_name = "dokumen"

urlpatterns = [
    path("dokumen/", views.dokumen_now, name="dokumen_now"),
    path("dokumen/<tahun:tahun>/", views.dokumen_own, name="dokumen"),
    path("dokumen/<tahun:tahun>/opd/<kode:kode>/", views.dokumen_opd, name="dokumen_opd"),
    path(
        "dokumen/<tahun:tahun>/opd/<kode:kode>/<slug:jenis>/<fmt:fmt>/",
        views.dokumen_file,
        name="dokumen_file",
    ),
    path(
        "dokumen/<tahun:tahun>/opd/<kode:kode>/<slug:jenis>/pejabat/<id:pejabat>/<fmt:fmt>/",
        views.pk_file,
        name="pk_file",
    ),
]
