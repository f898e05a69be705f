"""The background sets, for the installation's administrator: who sent what, when, and how
it ended (a failed one's reason). Read only: a task is written by its run alone."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import TugasApi


@admin.register(TugasApi)
class TugasApiAdmin(admin.ModelAdmin):
    list_display = ["dibuat_pada", "jenis", "pemilik", "status", "kode_http", "selesai_pada"]
    list_filter = ["status", "jenis"]
    list_select_related = ["pemilik"]
    search_fields = ["pemilik__username"]
    # The set as sent is left out: up to 10.000 values, of no use on a page.
    fields = ("pemilik", "jenis", "status", "kode_http", "dibuat_pada", "selesai_pada", "ringkasan")
    readonly_fields = fields

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)
