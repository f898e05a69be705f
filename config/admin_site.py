"""The admin site: who may enter follows the role (``renstra.permissions.can_use_admin``), not
Django's ``is_staff`` flag, which an account created by a service (Bappeda's "OPD baru") would
otherwise have to remember to set."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from renstra.permissions import can_use_admin


class KinerjaAdminSite(admin.AdminSite):
    site_header = "Kinerja — SAKIP Perangkat Daerah"
    site_title = "Kinerja"
    index_title = "Pengelolaan Renstra dan Indikator Kinerja"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if user.is_authenticated and not can_use_admin(user):
            # Signed in, but not a role of the admin: say so, rather than Django's answer of
            # the sign-in form again (which reads as "you are signed out").
            raise PermissionDenied(
                "Halaman pengelolaan hanya untuk admin, perencana dan Bappeda; "
                "pekerjaan Anda ada di menu di atas."
            )
        return can_use_admin(user)
