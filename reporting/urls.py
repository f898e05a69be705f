from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <id:…>, <kode:…>, <fmt:…>)

from . import dashboard, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dasbor/", views.dashboard_now, name="dashboard_now"),
    path("dasbor/<tahun:tahun>/", dashboard.dashboard, name="dashboard"),
    path("lakip/", views.lakip_now, name="lakip_now"),
    path("lakip/<tahun:tahun>/", views.lakip_page, name="lakip"),
    path("lakip/<tahun:tahun>/pratinjau/", views.lakip_preview, name="lakip_preview"),
    path("lakip/<tahun:tahun>/pengaturan/", views.lakip_settings_view, name="lakip_settings"),
    path("lakip/<tahun:tahun>/unduh/<fmt:fmt>/", views.lakip_file, name="lakip_file"),
    path("lakip/<tahun:tahun>/final/", views.lakip_finalize_view, name="lakip_finalize"),
    path("proses/<uuid:job_id>/", views.job_status, name="job_status"),
    path("proses/<uuid:job_id>/hasil/", views.job_result, name="job_result"),
]
