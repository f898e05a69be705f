"""The admin's user, group and assignment pages in Indonesian, without the second-factor
devices' own admins (managed on the account pages)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, Permission, User
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from renstra.admin import PenugasanAdmin
from renstra.models import Penugasan

log = logging.getLogger("kinerja.accounts")


# Apps whose model permissions nobody grants: second-factor devices are each user's own,
# managed on the account pages, and their library names them in untranslatable English.
HIDDEN_PERMISSION_APPS = ("otp_totp", "otp_static")


class KinerjaUserAdmin(auth_admin.UserAdmin):
    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "user_permissions":
            kwargs["queryset"] = Permission.objects.exclude(
                content_type__app_label__in=HIDDEN_PERMISSION_APPS
            ).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class KinerjaGroupAdmin(auth_admin.GroupAdmin):
    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "permissions":
            kwargs["queryset"] = Permission.objects.exclude(
                content_type__app_label__in=HIDDEN_PERMISSION_APPS
            ).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PenugasanAccountAdmin(PenugasanAdmin):
    """The assignment admin, its user column and field named in Indonesian (the model field
    keeps Django's default name, so no migration)."""

    list_display = ("pengguna", "opd", "bidang")

    @admin.display(description="pengguna", ordering="user__username")
    def pengguna(self, obj: Penugasan) -> str:
        return str(obj.user)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "user" in form.base_fields:
            form.base_fields["user"].label = "Pengguna"
        return form


def hide_library_admins() -> None:
    """Called once the admin has discovered every app's admin module.

    django-otp's device admins speak English its catalogue cannot translate (plain strings)
    and expose key material: devices are managed on the account pages instead (the admin
    resets a user's second factor from "Pengguna"). The user and group admins then offer no
    device permissions, and the assignment admin names its user column in Indonesian."""
    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
    for model, model_admin in (
        (User, KinerjaUserAdmin),
        (Group, KinerjaGroupAdmin),
        (Penugasan, PenugasanAccountAdmin),
    ):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)
