"""The admin site: who may enter follows the role (``renstra.permissions.can_use_admin``), not
Django's ``is_staff`` flag, which an account created by a service (Bappeda's "OPD baru") would
otherwise have to remember to set."""

from __future__ import annotations

from typing import Any

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

    # The index in the order a planner works (the Renstra tree, then its indicators, targets
    # and realisasi, then the report), not Django's alphabetical one, which put "Anggaran"
    # first and "Tujuan" last. Apps and models not named here follow, by name.
    APP_ORDER = ("renstra", "indicators", "reporting", "auth", "django_tasks_database", "axes")
    MODEL_ORDER = {
        "renstra": (
            "Pemda",
            "Opd",
            "Bidang",
            "Penugasan",
            "PeriodeRenstra",
            "Tujuan",
            "Sasaran",
            "Program",
            "Kegiatan",
            "SubKegiatan",
            "AnggaranPk",
            "Anggaran",
            "KunciTahun",
        ),
        "indicators": (
            "Indikator",
            "Rumus",
            "Target",
            "Realisasi",
            "DataPendukung",
            "Skala",
            "PengaturanOpd",
        ),
        "reporting": ("Narasi", "PembuatanLaporan", "LakipVersi"),
    }

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        apps = super().get_app_list(request, app_label)

        def rank(order: tuple[str, ...], name: str) -> tuple[int, str]:
            return (order.index(name) if name in order else len(order), name)

        apps.sort(key=lambda app: rank(self.APP_ORDER, app["app_label"]))
        for app in apps:
            order = self.MODEL_ORDER.get(app["app_label"], ())
            app["models"].sort(key=lambda model: rank(order, model["object_name"]))
        return apps
