"""What the import resources share: cell widgets, sheet-row helpers, the batch rules."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from import_export import fields, resources, widgets
from import_export.results import Result, RowResult
from tablib import Dataset

from common.cells import (
    CellValue,
    NotAvailable,
    cell_decimal,
    cell_integer,
    cell_value,
    export_number,
    is_blank,
    restore_text,
)
from common.numbers import Rate, format_exact
from common.sheets import COL_ID_INDIKATOR, COL_VERSI
from indicators.models import (
    Indikator,
    IndikatorQuerySet,
    JenisTarget,
    Realisasi,
    Target,
)
from renstra.door import Actor, SystemActor, door_for
from renstra.models import (
    BUDGET_NODE_FIELDS,
    Level,
    Opd,
    Role,
)
from renstra.permissions import (
    can_read_opd,
    user_opd_id,
    user_role,
)
from renstra.tree import node_path

AnyUser = User | AnonymousUser

COL_TAHUN = "Tahun"


@dataclass(frozen=True)
class Change:
    """One cell of the preview: which column, the value stored now and the value written."""

    column: str
    old: str
    new: str


def shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        return format_exact(value)
    if isinstance(value, Rate):
        return f"{format_exact(value.value)} ({value.satuan})"
    return str(value)


def _norm(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip().lower())


class NumberCell(widgets.Widget):
    """Reads real numbers and Indonesian text; writes real numbers (never text)."""

    def __init__(self) -> None:
        super().__init__(coerce_to_string=False)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        return cell_decimal(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return export_number(value)


class ValueCell(NumberCell):
    """A number or a rate, or (where the model has ``nilai_teks``) qualitative text; for a
    realisasi also "n/a" with its reason."""

    def __init__(self, *, allow_range: bool, allow_not_available: bool = False) -> None:
        super().__init__()
        self.allow_range = allow_range
        self.allow_not_available = allow_not_available

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return cell_value(
            value, allow_range=self.allow_range, allow_not_available=self.allow_not_available
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, NotAvailable):
            return f"n/a: {value.reason}" if value.reason else "n/a"
        return value if isinstance(value, str) else export_number(value)


class IntegerCell(widgets.Widget):
    def __init__(self, label: str) -> None:
        super().__init__(coerce_to_string=False)
        self.label = label

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        return cell_integer(value, self.label)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else int(value)


class TextCell(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return restore_text(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class ChoiceCell(widgets.Widget):
    """Writes a short code; reads the code or the label, in any case."""

    def __init__(self, shown: Mapping[str, str], labels: Mapping[str, str] | None = None) -> None:
        super().__init__(coerce_to_string=False)
        self.shown = dict(shown)
        self.lookup: dict[str, str] = {}
        for code, text in self.shown.items():
            self.lookup[_norm(code)] = code
            self.lookup[_norm(text)] = code
        for code, label in (labels or {}).items():
            self.lookup[_norm(str(label))] = code

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        text = restore_text(value)
        if not text:
            return None
        code = self.lookup.get(_norm(text))
        if code is None:
            options = ", ".join(self.shown.values())
            raise ValueError(f"«{text}» tidak dikenal; isi salah satu: {options}.")
        return code

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None or value == "":
            return ""
        return self.shown.get(str(value), str(value))


def _choices(choices: Any) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices.choices}


LEVEL_CELL = ChoiceCell({str(v): str(label) for v, label in Level.choices})
BUDGET_LEVEL_CELL = ChoiceCell(
    {str(v): str(label) for v, label in Level.choices if v in BUDGET_NODE_FIELDS}
)
JENIS_TARGET_CELL = ChoiceCell(
    {
        JenisTarget.RENSTRA: "Renstra",
        JenisTarget.PK: "PK",
        JenisTarget.PK_PERUBAHAN: "PK Perubahan",
    },
    labels={**_choices(JenisTarget), JenisTarget.PK_PERUBAHAN: "Perubahan PK"},
)


# --- tree helpers (all on rows joined by indicator_queryset(): no query) --------------------


def indicator_queryset() -> IndikatorQuerySet:
    """Indicators with every node and bidang a row shows or a permission check needs."""
    return Indikator.objects.with_tree().select_related(
        "tujuan__bidang",
        "sasaran__bidang",
        "sasaran__tujuan__bidang",
        "kegiatan__program__bidang",
        "sub_kegiatan__kegiatan__bidang",
        "sub_kegiatan__kegiatan__program__bidang",
    )


class SheetRow:
    """One spreadsheet row that stands for several model rows (an indicator's targets of one
    jenis, or its realisasi of one year). The preview's diff and the unchanged-row check read
    its attributes; ``stored`` keeps what the database holds."""

    # Set per kind of row through **values: jenis (targets), tahun (realisasi).
    jenis: str
    tahun: int

    def __init__(self, indikator: Indikator, stored: dict[Any, Any], **values: Any) -> None:
        self.indikator = indikator
        self.stored = stored
        self.tingkat = indikator.level
        self.jalur = node_path(indikator.node)
        self.__dict__.update(values)

    @property
    def pk(self) -> int:
        return int(self.indikator.pk)

    def __str__(self) -> str:
        return self.indikator.nama

    def __deepcopy__(self, memo: dict[int, Any]) -> SheetRow:
        # The preview keeps a copy of the row before import; values are immutable, and the
        # indicator and stored rows are never changed in place, so they are shared.
        clone = copy.copy(self)
        clone.__dict__ = dict(self.__dict__)
        return clone


def versions_token(stored: Mapping[Any, Any]) -> str:
    """The versions a sheet row was exported from, one per stored cell ("2021:1 2024:3";
    "tahunan:2 tw1:1"): the service refuses a cell changed in the database since."""
    return " ".join(f"{key}:{stored[key].versi}" for key in sorted(stored, key=str))


def parse_versions(value: Any) -> dict[str, int]:
    text = restore_text(value)
    found: dict[str, int] = {}
    for part in text.replace(";", " ").split():
        key, sep, number = part.partition(":")
        if not sep or not (number.isascii() and number.isdigit()):  # not "²"
            raise ValidationError(
                {COL_VERSI: [f"Kolom Versi tidak dikenali («{text}»); unduh templat baru."]}
            )
        found[key] = int(number)
    return found


def other_year(tahun: int, page_year: int) -> str:
    """Why a row of another year is refused on a year's page (realisasi and Komponen sheets)."""
    return (
        f"tahun {tahun} bukan tahun halaman ini ({page_year}); di halaman ini hanya data tahun "
        f"{page_year} yang dapat diunggah. Unggah data tahun {tahun} di halaman tahun {tahun}. "
        "Tidak ada yang disimpan."
    )


def _stored_value(obj: Target | Realisasi | None) -> Decimal | str | NotAvailable | None:
    if obj is None:
        return None
    if isinstance(obj, Realisasi) and obj.tidak_tersedia:
        return NotAvailable(obj.alasan_tidak_tersedia)
    return obj.nilai if obj.nilai is not None else (obj.nilai_teks or None)


def _comparable(value: CellValue | None) -> Decimal | str | NotAvailable | None:
    """A cell as it compares with what is stored: a rate by its value (its denominator is
    the indicator's satuan)."""
    return value.value if isinstance(value, Rate) else value


def _split_value(value: Decimal | str) -> tuple[Decimal | None, str]:
    return (value, "") if isinstance(value, Decimal) else (None, value)


def _column_values(dataset: Dataset, column: str) -> list[Any]:
    return list(dataset[column]) if dataset.headers and column in dataset.headers else []


def _loose_ints(values: Iterable[Any]) -> set[int]:
    found: set[int] = set()
    for value in values:
        try:
            number = cell_integer(value, "ID")
        except ValueError:
            continue
        if number is not None:
            found.add(number)
    return found


def _header(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- the shared rules ------------------------------------------------------------------------


class KinerjaResource(resources.ModelResource):
    """The requesting user, per-row permission, all-or-nothing imports, numbered Indonesian
    messages."""

    #: Model field name → column header, so full_clean() messages name the column.
    column_labels: ClassVar[dict[str, str]] = {}
    #: Columns an import cannot do without.
    required_columns: ClassVar[tuple[str, ...]] = ()
    #: Fields whose old → new the preview lists (model-backed resources).
    tracked: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        user: AnyUser | None = None,
        confirm: bool = False,
        opd: Opd | None = None,
        progress: Callable[[int, str], None] | None = None,
        **kwargs: Any,
    ) -> None:
        # The admin passes its form and export options along; they are not ours.
        super().__init__()
        # A background import reports how far it is (percent, step).
        self.progress = progress
        self._rows_total = 0
        self._rows_done = 0
        self.user = user
        # A command names the OPD a file is for: another OPD's rows are not found, whoever
        # runs it (a trusted command passes every permission check).
        self.opd = opd
        # The user has seen the ×10 warnings of the preview and confirmed them.
        self.confirm = confirm
        self._permission_cache: dict[tuple[Any, ...], bool] = {}
        self._seen: set[tuple[Any, ...]] = set()
        self._dry_run = False
        self._row_changes: list[Change] = []
        self._row_warnings: list[str] = []
        self._row_versi: int | None = None
        self._versi_missing = False
        self._original: Any = None

    # permissions --------------------------------------------------------------------------

    @property
    def actor(self) -> Actor:
        """Who imports: a signed-in user or a trusted command; nobody else writes."""
        if isinstance(self.user, User | SystemActor):
            return self.user
        raise PermissionDenied("Silakan masuk terlebih dahulu.")

    def allowed(self, check: Callable[..., bool], *args: Any) -> bool:
        """Ask ``renstra.permissions`` once per distinct question (each costs a role query)."""
        key = (check.__name__, *args)
        if key not in self._permission_cache:
            self._permission_cache[key] = self.user is not None and check(self.user, *args)
        return self._permission_cache[key]

    def is_admin(self) -> bool:
        return self.user is not None and user_role(self.user) == Role.ADMIN

    def scope(self, queryset: QuerySet[Any], opd_path: str) -> QuerySet[Any]:
        """Exports: only what the user may read (their OPD; everything for the admin)."""
        if self.user is None:
            return queryset.none()
        if self.is_admin():
            return queryset
        opd_id = user_opd_id(self.user)
        if opd_id is None or not self.allowed(can_read_opd, opd_id):
            return queryset.none()
        return queryset.filter(**{opd_path: opd_id})

    def not_found(self, what: str, number: int) -> str:
        # One message for "does not exist" and "another OPD's": no probing of other OPDs' ids.
        return f"{what} dengan ID {number} tidak ditemukan di OPD Anda."

    # import -------------------------------------------------------------------------------

    def import_data(
        self,
        dataset: Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> Result:
        if self.user is None:
            self.user = kwargs.get("user")
        self._dry_run = dry_run
        if dataset.headers:
            # A header typed as a number (2024) or with stray spaces still names its column.
            dataset.headers = [_header(h) for h in dataset.headers]
        self._seen = set()
        self.prepare_import(dataset)
        # All-or-nothing whatever the caller asked for: see the module docstring.
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def prepare_import(self, dataset: Dataset) -> None:
        """Hook: adapt the resource to the file before import-export reads its fields."""

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        self._rows_total, self._rows_done = len(dataset), 0
        self.report(2, "Membaca data tersimpan")
        self.load(dataset)
        missing = [c for c in self.required_columns if c not in (dataset.headers or [])]
        if missing:
            raise ValueError(
                f"Kolom wajib tidak ada: {', '.join(missing)}. "
                "Gunakan templat yang diunduh dari Kinerja."
            )

    def load(self, dataset: Dataset) -> None:
        """Hook: fetch every row's objects up front, a few queries for the whole file."""

    def import_row(self, row: Any, instance_loader: Any, **kwargs: Any) -> RowResult:
        if all(is_blank(v) for v in row.values()):
            # Spreadsheets keep formatted but empty lines; they are not data.
            blank = self.get_row_result_class()()
            blank.import_type = RowResult.IMPORT_TYPE_SKIP
            return blank
        self._row_changes, self._row_warnings, self._row_versi = [], [], None
        self._original = None
        result = super().import_row(row, instance_loader, **kwargs)
        self._rows_done += 1
        if self.progress is not None and self._rows_done % max(1, self._rows_total // 20) == 0:
            # Checking the rows is most of the work: 5–90 %; the write and commit the rest.
            share = 5 + 85 * self._rows_done // max(1, self._rows_total)
            self.report(share, f"Memeriksa baris {self._rows_done} dari {self._rows_total}")
        # What the preview lists: every cell that changes, old → new, and the ×10 warnings.
        result.changes = self._row_changes
        result.warnings = self._row_warnings
        result.line = int(kwargs["row_number"]) + 1
        if result.validation_error is not None:
            # Line 1 of the sheet is the header, so data row n is on line n + 1.
            line = int(kwargs["row_number"]) + 1
            result.validation_error = self.numbered(result.validation_error, line)
        return result

    def report(self, percent: int, step: str) -> None:
        if self.progress is not None:
            self.progress(percent, step)

    def numbered(self, error: ValidationError, line: int) -> ValidationError:
        raw = (
            error.message_dict
            if hasattr(error, "error_dict")
            else {NON_FIELD_ERRORS: error.messages}
        )
        messages: dict[str, list[str]] = {}
        for key, texts in raw.items():
            column: str
            if key == NON_FIELD_ERRORS:
                column, where = key, f"Baris {line}"
            else:
                column = self.column_labels.get(key, key)
                where = f"Baris {line}, kolom {column}"
            messages.setdefault(column, []).extend(f"{where}: {text}" for text in texts)
        return ValidationError(messages)

    def check_duplicate(self, key: tuple[Any, ...], message: str) -> None:
        if key in self._seen:
            raise ValidationError(message)
        self._seen.add(key)

    def read(self, row: Mapping[str, Any], name: str, errors: dict[str, list[str]]) -> Any:
        """A field's cleaned cell, or None with the parser's message added to ``errors``."""
        field = self.fields[name]
        try:
            return field.clean(row)
        except ValueError as exc:
            errors.setdefault(field.column_name, []).append(str(exc))
            return None

    def required_integer(self, row: Mapping[str, Any], name: str) -> int:
        errors: dict[str, list[str]] = {}
        value = self.read(row, name, errors) if self.fields[name].column_name in row else None
        if errors:
            raise ValidationError(errors)
        if value is None:
            raise ValidationError({self.fields[name].column_name: ["Wajib diisi."]})
        return int(value)

    def indicator_for(self, row: Mapping[str, Any], name: str = "id") -> Indikator:
        number = self.required_integer(row, name)
        indikator = self._indicators.get(number)
        if indikator is None or not self.allowed(can_read_opd, indikator.periode.opd_id):
            raise ValidationError(
                {self.fields[name].column_name: [self.not_found("Indikator", number)]}
            )
        return indikator

    def load_indicators(self, dataset: Dataset, column: str) -> set[int]:
        ids = _loose_ints(_column_values(dataset, column))
        found = indicator_queryset().filter(pk__in=ids)
        if self.opd is not None:
            found = found.filter(periode__opd=self.opd)
        self._indicators: dict[int, Indikator] = {i.pk: i for i in found} if ids else {}
        return ids

    def read_versi(self, row: Mapping[str, Any]) -> None:
        """The version the row was exported from (the hidden Versi column), for the service's
        stale check; a blank cell is a row exported when nothing was stored."""
        self._versi_missing = COL_VERSI not in row
        self._row_versi = (
            0 if self._versi_missing else (cell_integer(row[COL_VERSI], COL_VERSI) or 0)
        )

    def refuse_without_versions(self, errors: dict[str, Any]) -> None:
        """A workbook without the Versi column (made before Kinerja recorded versions) may
        add rows but not change stored ones: it cannot say whether they changed since."""
        if self._versi_missing:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                "Berkas ini tidak memiliki kolom Versi, jadi tidak dapat mengubah data yang sudah "
                "tersimpan; unduh templat terbaru dari Kinerja."
            )

    def unchanged(self, instance: Any) -> bool:
        """Whether a row would change nothing (then it is skipped, never written)."""
        original = self._original
        if original is None:
            return False
        return all(
            self.fields[name].get_value(original) == self.fields[name].get_value(instance)
            for name in self.tracked
        )

    def skip_row(
        self,
        instance: Any,
        original: Any,
        row: Any,
        import_validation_errors: dict[str, Any] | None = None,
    ) -> bool:
        if import_validation_errors:
            return False
        return self.unchanged(instance)

    def refuse_unconfirmed(self, errors: dict[str, Any]) -> None:
        """The preview shows ×10 jumps as warnings; the import itself needs them confirmed."""
        if self._row_warnings and not self.confirm and not self._dry_run:
            errors.setdefault(NON_FIELD_ERRORS, []).extend(
                [*self._row_warnings, "Centang konfirmasi lonjakan bila nilai-nilai ini benar."]
            )

    def validate_instance(
        self,
        instance: Any,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        """A row checked by its service, the same function the form and the admin call."""
        errors: dict[str, Any] = dict(import_validation_errors or {})
        original = getattr(self, "_original", None)
        if original is not None:
            self.note_changes(original, instance, self.tracked)
            self.refuse_without_versions(errors)
        if not errors:
            try:
                check = door_for(type(instance)).check
                assert check is not None
                check(user=self.user, obj=instance, versi=self._row_versi, confirm=True)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            except PermissionDenied as exc:
                errors.setdefault(NON_FIELD_ERRORS, []).append(str(exc))
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance: Any, is_create: bool, row: Any, **kwargs: Any) -> None:
        self.before_save_instance(instance, row, **kwargs)
        self.write(instance, is_create)
        self.after_save_instance(instance, row, **kwargs)

    def write(self, instance: Any, is_create: bool) -> None:
        """A model row through its service. import_data always runs in a transaction, so a
        dry run writes and is rolled back: the preview shows what the import would do."""
        try:
            door_for(type(instance)).save(
                user=self.user, obj=instance, versi=self._row_versi, confirm=True
            )
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from exc

    def note_changes(self, original: Any, instance: Any, names: Iterable[str]) -> None:
        for name in names:
            field = self.fields[name]
            old = field.get_value(original) if original is not None else None
            new = field.get_value(instance)
            if old != new and not (old in (None, "") and new in (None, "")):
                self._row_changes.append(Change(field.column_name, shown(old), shown(new)))


class IndicatorRowResource(KinerjaResource):
    """Columns that identify the indicator a row is about (only the ID is read on import)."""

    id = fields.Field(
        attribute="indikator__pk", column_name=COL_ID_INDIKATOR, widget=IntegerCell("ID")
    )
    opd = fields.Field(
        attribute="indikator__periode__opd__kode", column_name="Kode OPD", readonly=True
    )
    tingkat = fields.Field(
        attribute="tingkat", column_name="Tingkat", widget=LEVEL_CELL, readonly=True
    )
    jalur = fields.Field(attribute="jalur", column_name="Jalur", readonly=True)
    nama = fields.Field(
        attribute="indikator__nama", column_name="Indikator", widget=TextCell(), readonly=True
    )
    satuan = fields.Field(
        attribute="indikator__satuan", column_name="Satuan", widget=TextCell(), readonly=True
    )
