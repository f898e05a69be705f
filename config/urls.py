from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from common import converters  # noqa: F401  (registers <tahun:…>, <id:…>, <kode:…>, <fmt:…>)
from renstra import accounts

# One door for signing in: the admin's own login and password pages send to the product's,
# which throttle, ask for the second factor and serve every role.
urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(authentication_form=accounts.SignInForm),
        name="login",
    ),
    path("masuk/kode/", accounts.otp_verify, name="otp_verify"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", accounts.account, name="account"),
    path("akun/kata-sandi/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("akun/dua-langkah/", accounts.two_factor, name="two_factor"),
    path(
        "akun/dua-langkah/kode-pemulihan/",
        accounts.recovery_codes_renew,
        name="recovery_codes_renew",
    ),
    path("akun/dua-langkah/nonaktif/", accounts.two_factor_disable, name="two_factor_disable"),
    path("akun/keluar-semua/", accounts.sign_out_everywhere, name="sign_out_everywhere"),
    path("akun/pengguna/", accounts.users, name="account_users"),
    path("akun/pengguna/kabid-baru/", accounts.kabid_new, name="account_kabid_new"),
    path("akun/pengguna/<id:pk>/tautan/", accounts.reset_link, name="account_reset_link"),
    path(
        "akun/pengguna/<id:pk>/dua-langkah/",
        accounts.two_factor_reset,
        name="account_two_factor_reset",
    ),
    path(
        "akun/atur-ulang/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "akun/atur-ulang/selesai/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="password_change", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("realisasi/", include("indicators.urls")),
    path("realisasi/", include("intake.urls")),
    path("", include("reporting.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
