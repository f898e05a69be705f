from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from common import converters  # noqa: F401  (registers <tahun:…>, <id:…>, <kode:…>, <fmt:…>)
from renstra.logo import LOGO_DIR
from reporting import logos

# One door for signing in: the admin's own login and password pages send to the product's,
# which throttle, ask for the second factor and serve every role.
urlpatterns = [
    path("", include("accounts.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="password_change", query_string=True),
    ),
    path("admin/", admin.site.urls),
    # Logos only, each behind its owner's read permission (reporting.logos); the rest of
    # MEDIA (evidence) is served by its own checked views, never by its path.
    path(
        f"{settings.MEDIA_URL.lstrip('/')}{LOGO_DIR}/<path:name>",
        logos.serve_logo,
        name="logo",
    ),
    path("realisasi/", include("indicators.urls")),
    path("realisasi/", include("intake.urls")),
    path("", include("reporting.urls")),
    path("", include("kabupaten.urls")),
    path("", include("dokumen.urls")),
    path("", include("evaluasi.urls")),
    path("", include("dokumen.register_urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
