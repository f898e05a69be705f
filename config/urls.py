from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Kinerja — SAKIP Perangkat Daerah"
admin.site.site_title = "Kinerja"
admin.site.index_title = "Pengelolaan Renstra dan Indikator Kinerja"

urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("realisasi/", include("indicators.urls")),
    path("realisasi/", include("intake.urls")),
    path("", include("reporting.urls")),
]
