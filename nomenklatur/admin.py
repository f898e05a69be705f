"""The nomenclature in the admin: read by every planner (codes are picked from it), written by
an admin only, through ``nomenklatur_save``; never deleted (a retired code is made inactive:
plans may still carry it)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Nomenklatur
from .services import nomenklatur_save


@admin.register(Nomenklatur)
class NomenklaturAdmin(admin.ModelAdmin):
    list_display = ("kode", "tingkat", "nama", "satuan", "aktif")
    list_filter = ("tingkat", "aktif")
    search_fields = ("kode", "nama", "indikator")
    fields = ("kode", "tingkat", "nama", "kinerja", "indikator", "satuan", "definisi", "aktif")
    readonly_fields = ("tingkat",)
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Nomenklatur, form: Any, change: bool) -> None:
        nomenklatur_save(user=request.user, obj=obj)
