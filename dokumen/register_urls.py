"""The register's URLs (namespace "register"): the OPD's register, its scans and ESR package,
and the Pemda's public page (no sign-in)."""

from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <id:…>, <kode:…>)

from . import register_views as views

app_name = "register"

urlpatterns = [
    path("register/", views.register_now, name="now"),
    path("register/<tahun:tahun>/", views.register_own, name="register"),
    path("register/<tahun:tahun>/opd/<kode:kode>/", views.register_opd, name="register_opd"),
    path(
        "register/<tahun:tahun>/opd/<kode:kode>/pindaian/<int:jenis>/",
        views.scan,
        name="scan",
    ),
    path(
        "register/<tahun:tahun>/opd/<kode:kode>/paket-esr.zip",
        views.package,
        name="package",
    ),
    path("publik/", views.publik_index, name="publik_index"),
    path("publik/<kode:kode>/", views.publik, name="publik"),
    path("publik/<kode:kode>/dokumen/<id:pk>/", views.publik_scan, name="publik_scan"),
]
