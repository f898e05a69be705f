"""The admin as an adapter of the write services: every admin of Kinerja derives from these.

- Rows, foreign-key choices and history pages are scoped to the user's OPD (the model's
  ``opd_path`` from its door); superusers see all.
- Every write — change and add forms, the delete page, bulk delete, inline rows (added,
  changed or deleted) — calls the model's service from ``renstra.door``; nothing here saves.
  A form shows the service's refusal as a form error (``check``); what only the save finds is
  a 403 with the reason, and the request's transaction rolls back.
- Versioned rows carry the version the form was opened with (``door_versi``): a stale form is
  refused with the newer value and who wrote it. Targets and realisasi that jump ×10 ask for
  ``konfirmasi_lonjakan``.
- History is read-only (django-simple-history's revert is off and refused) and shows old →
  new in Indonesian numbers, without no-op changes or "None".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from common.numbers import format_exact
from common.params import parse_id

from .door import Actor, door_for, opd_id_of, refuse_as_permission, removal_guard
from .permissions import acting_user, can_read_opd, fixed_fields, user_opd_id

VERSION_FIELD = "door_versi"
CONFIRM_FIELD = "konfirmasi_lonjakan"
# Models whose values the services check for ×10 jumps.
JUMP_CHECKED = {"indicators.target", "indicators.realisasi"}


def _versioned(model: type[models.Model]) -> bool:
    return any(
        f.name == "versi" and isinstance(f, models.PositiveIntegerField)
        for f in model._meta.concrete_fields
    )


def door_fields(model: type[models.Model]) -> list[str]:
    """The form fields the services need besides the model's own."""
    names = [VERSION_FIELD] if _versioned(model) else []
    if model._meta.label_lower in JUMP_CHECKED:
        names.append(CONFIRM_FIELD)
    return names


def _door_kwargs(form: forms.BaseForm) -> dict[str, Any]:
    data = getattr(form, "cleaned_data", {}) or {}
    return {"versi": data.get(VERSION_FIELD), "confirm": bool(data.get(CONFIRM_FIELD))}


class DoorModelForm(forms.ModelForm):
    """A ModelForm whose instance is checked by its service before anything is saved."""

    door_user: Actor | None = None
    # For an inline row: the foreign key to the parent being edited on the same page.
    door_parent_fk: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if VERSION_FIELD in self.fields:
            field = self.fields[VERSION_FIELD]
            field.initial = getattr(self.instance, "versi", 0) if self.instance.pk else 0
            # A stored row is changed only from the version the form showed: a post without
            # it could not be checked for a lost update.
            field.required = self.instance.pk is not None
            field.error_messages["required"] = (
                "Versi data tidak terkirim; muat ulang formulir lalu ulangi."
            )

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.errors or self.door_user is None:
            return
        if self.door_parent_fk:
            parent = self._meta.model._meta.get_field(self.door_parent_fk)
            if getattr(self.instance, parent.attname) is None:
                return  # a row of a parent not saved yet: checked when saved
        check = door_for(self._meta.model).check
        if check is None:
            return
        try:
            check(user=self.door_user, obj=self.instance, **_door_kwargs(self))
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]
        except PermissionDenied as exc:
            self.add_error(None, str(exc))


def door_form_for(model: type[models.Model], base: type[forms.ModelForm]) -> Any:
    """The admin form of a model with the fields its service needs (and only those)."""
    declared: dict[str, forms.Field] = {}
    if VERSION_FIELD in door_fields(model):
        declared[VERSION_FIELD] = forms.IntegerField(
            required=False, min_value=0, widget=forms.HiddenInput
        )
    if CONFIRM_FIELD in door_fields(model):
        declared[CONFIRM_FIELD] = forms.BooleanField(
            required=False,
            label="Konfirmasi lonjakan",
            help_text="Centang bila nilai yang ×10 dari sebelumnya memang benar.",
        )
    if not issubclass(base, DoorModelForm):
        base = type(base.__name__, (DoorModelForm, base), {})
    return type(f"{model.__name__}DoorForm", (base,), declared)


def _with_user(form: type[forms.ModelForm], user: Actor, parent_fk: str | None = None) -> Any:
    return type(form.__name__, (form,), {"door_user": user, "door_parent_fk": parent_fk})


class DoorInlineFormSet(BaseInlineFormSet):
    """Rows marked for deletion are checked here, before the page saves anything."""

    door_user: Actor | None = None

    def clean(self) -> None:
        super().clean()
        if self.door_user is None:
            return
        doomed = [f.instance for f in self.deleted_forms if f.instance.pk is not None]
        try:
            removal_guard(self.door_user, doomed)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise ValidationError(messages) from exc


class IndonesianHistory(HistoricalRecordContextHelper):
    """Old → new as a person reads it: 2,34 (not 2.340000), "–" for empty, no no-ops."""

    HIDDEN = frozenset({"versi", "diisi_pada"})

    def stringify_delta_change_values(self, change: Any, old: Any, new: Any) -> tuple[str, str]:
        return _shown(old), _shown(new)

    def context_for_delta_changes(self, delta: Any) -> list[dict[str, Any]]:
        out = []
        for change in delta.changes:
            if change.field in self.HIDDEN:
                continue
            formatted = self.format_delta_change(change)
            if formatted.old == formatted.new:
                continue
            out.append({"field": formatted.field, "old": formatted.old, "new": formatted.new})
        return out


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        return format_exact(value)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return str(value)


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, re-showing a posted (or ``?tujuan=``) value: Django looks
    it up as an id as typed, and "abc", "²" or an id beyond the column raise in the query (a
    500). Only values that can be ids are looked up; the field's own error says the rest."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        return super().optgroups(name, [v for v in value if parse_id(str(v)) is not None], attr)


def _autocomplete(admin_obj: Any, db_field: Any, request: HttpRequest, kwargs: Any) -> None:
    if "widget" not in kwargs and db_field.name in admin_obj.get_autocomplete_fields(request):
        kwargs["widget"] = SafeAutocompleteSelect(
            db_field, admin_obj.admin_site, using=kwargs.get("using")
        )


class DoorAdmin(admin.ModelAdmin):
    """Scoped to the user's OPD; every write through the model's service."""

    form = DoorModelForm
    # FK fields and the lookup from the related model to its OPD, to scope their choices.
    fk_opd_paths: dict[str, str] = {}

    def __init__(self, model: type[models.Model], admin_site: Any) -> None:
        super().__init__(model, admin_site)
        self.form = door_form_for(model, self.form)

    # --- reading ---------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        path = door_for(self.model).opd_path
        if path is None:
            return qs
        return qs.filter(**{path: user_opd_id(request.user) or 0})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        path = self.fk_opd_paths.get(db_field.name)
        if path is not None and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                **{path: user_opd_id(request.user) or 0}
            )
        if db_field.name == "opd":
            # The fields keep Django's default name (no migration for a label); Django would
            # show it as "Opd:".
            kwargs.setdefault("label", "OPD")
        _autocomplete(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new row of the user's own OPD (a period, a bidang) starts with that OPD chosen:
        the list offers only it, and an empty "---------" read as a choice still to make."""
        initial = super().get_changeform_initial_data(request)
        opd_id = None if request.user.is_superuser else user_opd_id(request.user)
        if opd_id is not None:
            for name, path in self.fk_opd_paths.items():
                if path == "pk":
                    initial.setdefault(name, str(opd_id))
        return initial

    # --- forms -----------------------------------------------------------------------------

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kw)
        return _with_user(form, acting_user(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Fields the user may not change on a stored row (``PROTECTED_FIELDS``) are shown,
        not offered; the service refuses them whatever is posted."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk is not None:
            fields += fixed_fields(request.user, self.model._meta.label_lower)
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        shown = set(flatten_fieldsets(fieldsets))
        extra = [name for name in door_fields(self.model) if name not in shown]
        if extra:
            fieldsets.append((None, {"fields": tuple(extra)}))
        return fieldsets

    # --- writing ---------------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            door_for(type(obj)).save(user=acting_user(request), obj=obj, **_door_kwargs(form))
        except ValidationError as exc:
            raise refuse_as_permission(exc) from exc

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        try:
            door_for(type(obj)).delete(user=acting_user(request), obj=obj)
        except ValidationError as exc:
            raise refuse_as_permission(exc) from exc

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        user = acting_user(request)
        try:
            with transaction.atomic():
                for obj in queryset:
                    door_for(type(obj)).delete(user=user, obj=obj)
        except ValidationError as exc:
            raise refuse_as_permission(exc) from exc

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        user = acting_user(request)
        instances = formset.save(commit=False)
        forms_by_instance = {id(f.instance): f for f in formset.forms}
        try:
            for obj in formset.deleted_objects:
                door_for(type(obj)).delete(user=user, obj=obj)
            for obj in instances:
                row_form = forms_by_instance.get(id(obj))
                kwargs = _door_kwargs(row_form) if row_form is not None else {}
                door_for(type(obj)).save(user=user, obj=obj, **kwargs)
        except ValidationError as exc:
            raise refuse_as_permission(exc) from exc
        formset.save_m2m()


class DoorInline(admin.TabularInline):
    """An inline whose rows are written (and deleted) through their services."""

    form = DoorModelForm
    formset = DoorInlineFormSet
    fk_opd_paths: dict[str, str] = {}
    extra = 0
    show_change_link = True

    def __init__(self, parent_model: type[models.Model], admin_site: Any) -> None:
        super().__init__(parent_model, admin_site)
        self.form = door_form_for(self.model, self.form)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset: Any = super().get_formset(request, obj, **kwargs)
        user = acting_user(request)
        formset.form = _with_user(formset.form, user, parent_fk=formset.fk.name)
        formset.door_user = user
        return formset

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        shown = set(flatten_fieldsets(fieldsets))
        extra = [name for name in door_fields(self.model) if name not in shown]
        if extra:
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": [*options["fields"], *extra]})
        return fieldsets

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        path = self.fk_opd_paths.get(db_field.name)
        if path is not None and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                **{path: user_opd_id(request.user) or 0}
            )
        if db_field.name == "opd":
            # The fields keep Django's default name (no migration for a label); Django would
            # show it as "Opd:".
            kwargs.setdefault("label", "OPD")
        _autocomplete(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DoorHistoryAdmin(DoorAdmin, SimpleHistoryAdmin):
    """As :class:`DoorAdmin`, with a read-only history scoped like the change page."""

    def _history_scope(self, request: HttpRequest, object_id: str) -> None:
        """404 unless the object (or, once deleted, its last recorded state) is the user's."""
        pk = unquote(object_id)
        if self.get_queryset(request).filter(pk=pk).exists():
            return
        history: Any = getattr(self.model, "history")  # noqa: B009 (not every model has it)
        record = history.filter(**{self.model._meta.pk.attname: pk}).order_by("-history_id")
        last = record.first()
        if last is None or not can_read_opd(request.user, opd_id_of(last.instance)):
            raise Http404("Data tidak ditemukan di OPD Anda.")

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._history_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method != "GET":
            # A revert would save through the admin form without the services' rules.
            raise PermissionDenied(
                "Memulihkan dari riwayat tidak tersedia; ubah data melalui formulirnya."
            )
        self._history_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: Any
    ) -> HistoricalRecordContextHelper:
        return IndonesianHistory(self.model, historical_record)


class ReadOnlyAdmin:
    """Listed and read in the admin, never added, changed or deleted there: rows the product
    makes itself (final versions, imported months). Mixed in before the admin class."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
