"""Signing in and the account pages, at the product's own addresses (names without a namespace:
Django's auth views and templates reverse "login", "logout", "password_change")."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import signin, two_factor, views

# One door for signing in: the admin's own login and password pages send to the product's
# (config/urls.py), which throttle, ask for the second factor and serve every role.
urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(authentication_form=signin.SignInForm),
        name="login",
    ),
    path("masuk/kode/", signin.otp_verify, name="otp_verify"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", views.account, name="account"),
    path("akun/token/", views.api_token_new, name="api_token_new"),
    path("akun/token/<id:pk>/cabut/", views.api_token_revoke, name="api_token_revoke"),
    path("akun/kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/dua-langkah/", two_factor.two_factor, name="two_factor"),
    path(
        "akun/dua-langkah/kode-pemulihan/",
        two_factor.recovery_codes_renew,
        name="recovery_codes_renew",
    ),
    path("akun/dua-langkah/nonaktif/", two_factor.two_factor_disable, name="two_factor_disable"),
    path("akun/keluar-semua/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("akun/pengguna/", views.users, name="account_users"),
    path("akun/pengguna/kabid-baru/", views.kabid_new, name="account_kabid_new"),
    path("akun/pengguna/<id:pk>/tautan/", views.reset_link, name="account_reset_link"),
    path(
        "akun/pengguna/<id:pk>/dua-langkah/",
        two_factor.two_factor_reset,
        name="account_two_factor_reset",
    ),
    path(
        "akun/atur-ulang/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "akun/atur-ulang/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
