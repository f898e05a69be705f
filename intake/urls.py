from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <id:…>, <kode:…>, <fmt:…>)

from . import views

app_name = "intake"

urlpatterns = [
    path("<tahun:tahun>/excel/", views.realisasi_spreadsheet, name="realisasi_spreadsheet"),
    path("<tahun:tahun>/excel/templat/", views.realisasi_template, name="realisasi_template"),
    path("impor/<uuid:job_id>/", views.import_status, name="import_status"),
]
