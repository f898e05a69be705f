"""The kabupaten's URLs: the /pemda/ pages, the cascading links and the review notes' follow-up
(paths and names as they were under reporting; included without a namespace)."""

from django.urls import path

from common import converters  # noqa: F401  (registers <tahun:…>, <id:…>, <kode:…>, <fmt:…>)

from . import reviu_views, views

urlpatterns = [
    path("reviu/<id:pk>/tanggapan/", reviu_views.tanggapan, name="reviu_tanggapan"),
    path("reviu/<id:pk>/selesai/", reviu_views.tutup, name="reviu_tutup"),
    path("reviu/<id:pk>/bukti/", reviu_views.bukti, name="reviu_bukti"),
    # The kabupaten: pages of the roles across OPDs (an OPD's own roles are refused).
    path("pemda/", views.pemda_now, name="pemda_now"),
    path("pemda/<tahun:tahun>/", views.pemda_dashboard, name="pemda_dashboard"),
    path("pemda/<tahun:tahun>/opd/<kode:kode>/", views.pemda_opd, name="pemda_opd"),
    path(
        "pemda/<tahun:tahun>/opd/<kode:kode>/lakip/<fmt:fmt>/",
        views.pemda_opd_lakip,
        name="pemda_opd_lakip",
    ),
    path("pemda/pohon/", views.pohon_now, name="pemda_pohon_now"),
    path("pemda/<tahun:tahun>/pohon/", views.pohon, name="pemda_pohon"),
    path("pemda/<tahun:tahun>/pohon.svg", views.pohon_svg, name="pemda_pohon_svg"),
    path("pemda/<tahun:tahun>/lkjip/<fmt:fmt>/", views.lkjip_file, name="pemda_lkjip"),
    path("pemda/opd-baru/", views.opd_new, name="pemda_opd_new"),
    path("pemda/tautan/", views.links, name="pemda_links"),
    path("pemda/tautan/<id:pk>/", views.link_decide, name="pemda_link_decide"),
    # The OPD perencana's side of cascading (not a /pemda/ page: it is their own OPD's).
    path("tautan-rpjmd/", views.propose, name="link_propose"),
]
