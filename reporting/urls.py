from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <id:…>, <kode:…>, <fmt:…>)

from . import dashboard, kabupaten_views, reviu_views, views

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
    path("reviu/<id:pk>/tanggapan/", reviu_views.tanggapan, name="reviu_tanggapan"),
    path("reviu/<id:pk>/selesai/", reviu_views.tutup, name="reviu_tutup"),
    path("reviu/<id:pk>/bukti/", reviu_views.bukti, name="reviu_bukti"),
    path("proses/<uuid:job_id>/", views.job_status, name="job_status"),
    path("proses/<uuid:job_id>/hasil/", views.job_result, name="job_result"),
    # The kabupaten: pages of the roles across OPDs (an OPD's own roles are refused).
    path("pemda/", kabupaten_views.pemda_now, name="pemda_now"),
    path("pemda/<tahun:tahun>/", kabupaten_views.pemda_dashboard, name="pemda_dashboard"),
    path("pemda/<tahun:tahun>/opd/<kode:kode>/", kabupaten_views.pemda_opd, name="pemda_opd"),
    path(
        "pemda/<tahun:tahun>/opd/<kode:kode>/lakip/<fmt:fmt>/",
        kabupaten_views.pemda_opd_lakip,
        name="pemda_opd_lakip",
    ),
    path("pemda/pohon/", kabupaten_views.pohon_now, name="pemda_pohon_now"),
    path("pemda/<tahun:tahun>/pohon/", kabupaten_views.pohon, name="pemda_pohon"),
    path("pemda/<tahun:tahun>/pohon.svg", kabupaten_views.pohon_svg, name="pemda_pohon_svg"),
    path("pemda/<tahun:tahun>/lkjip/<fmt:fmt>/", kabupaten_views.lkjip_file, name="pemda_lkjip"),
    path("pemda/opd-baru/", kabupaten_views.opd_new, name="pemda_opd_new"),
    path("pemda/tautan/", kabupaten_views.links, name="pemda_links"),
    path("pemda/tautan/<id:pk>/", kabupaten_views.link_decide, name="pemda_link_decide"),
    # The OPD perencana's side of cascading (not a /pemda/ page: it is their own OPD's).
    path("tautan-rpjmd/", kabupaten_views.propose, name="link_propose"),
]
