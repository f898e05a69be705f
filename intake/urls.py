from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("<int:tahun>/excel/", views.realisasi_spreadsheet, name="realisasi_spreadsheet"),
    path("<int:tahun>/excel/templat/", views.realisasi_template, name="realisasi_template"),
    path("impor/<uuid:job_id>/", views.import_status, name="import_status"),
]
