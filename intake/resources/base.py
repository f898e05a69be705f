"""Spreadsheet import and export (django-import-export) for planners and bidang staff.

- :class:`IndikatorResource`: indicator definitions with the decree's fields; updates by ID,
  creates on an existing node named by Tingkat + ID Node.
- :class:`TargetWideResource`: one row per indicator (and jenis target) with a column per year of
  the Renstra period, written to one :class:`~indicators.models.Target` per filled cell.
- :class:`RealisasiResource`: one row per indicator and year with Tahunan, TW I–IV and the
  narrative, written to one :class:`~indicators.models.Realisasi` per filled period.
- :class:`AnggaranResource`: pagu and realisasi per program/kegiatan/sub-kegiatan and year.

Every resource is built with the requesting user (``Resource(user=request.user)``) and is an
adapter of the write services: it reads cells (real numbers or Indonesian text, through
``common.cells``) and hands each row to the service — the model's door (``renstra.door``) for
definitions and budgets, the batches :class:`~indicators.services.target.TargetBatch` and
:class:`~indicators.services.realisasi.RealisasiBatch` for targets and realisasi — which holds
every rule (permission, lock, period, stale version, bounds, type). Each row carries the version
it was exported from (hidden column ``Versi``). Messages name the spreadsheet row ("Baris 3" =
the third line of the sheet, the header being line 1) and the column; the preview lists every
change old → new and the ×10 warnings the import then needs confirmed.

An import is all-or-nothing: one transaction, rolled back on any error or invalid row whatever
the caller passes (the admin's confirm step passes ``rollback_on_validation_errors=False``, which
would otherwise commit the valid rows beside the invalid ones).

Empty cells: in the data resources (targets, realisasi, budgets) an empty cell (or "-") leaves
the stored value alone, because a template is mostly blanks that mean "not this one", never
"delete". In :class:`IndikatorResource` a row *is* the definition, so an empty text cell clears
that text.

Exports are datasets of plain values; the workbook they are written to (``common.sheets``, the
one writer: templates and the admin's export alike) prefixes text starting with ``= + - @``, tab
or CR with a single quote, so no spreadsheet runs it as a formula; numbers are written as
numbers (−70 stays −70). Importing strips that quote again, so an export → import round trip is
lossless. import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` must stay off: it
deletes the ``=`` instead (changing the data), ignores ``+ - @`` and turns every number into
text.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from import_export import fields, resources, widgets
from import_export.results import Result, RowResult
from tablib import Dataset

from common.cells import (
    cell_decimal,
    cell_integer,
    cell_value,
    export_number,
    is_blank,
    restore_text,
)
from common.numbers import format_exact
from common.sheets import COL_ID_INDIKATOR, COL_VERSI
from indicators import engine
from indicators.models import (
    NODE_FIELDS,
    Frekuensi,
    Indikator,
    IndikatorQuerySet,
    Jenis,
    JenisTarget,
    Periode,
    Realisasi,
    Target,
)
from indicators.selectors import indicator_order, indicators_for
from indicators.services.realisasi import PeriodValue, RealisasiBatch, RealisasiEntry
from indicators.services.target import TargetBatch, TargetChange
from renstra.door import Actor, SystemActor, door_for
from renstra.models import (
    BUDGET_NODE_FIELDS,
    NODE_MODELS,
    Anggaran,
    Bidang,
    Level,
    Node,
    Opd,
    PeriodeRenstra,
    Role,
)
from renstra.permissions import (
    can_read_opd,
    can_record_for_bidang,
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
    """A number, or (where the model has ``nilai_teks``) qualitative text."""

    def __init__(self, *, allow_range: bool) -> None:
        super().__init__()
        self.allow_range = allow_range

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return cell_value(value, allow_range=self.allow_range)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
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


def _stored_value(obj: Target | Realisasi | None) -> Decimal | str | None:
    if obj is None:
        return None
    return obj.nilai if obj.nilai is not None else (obj.nilai_teks or None)


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


# --- indicators --------------------------------------------------------------------------------


class IndikatorResource(KinerjaResource):
    """Indicator definitions with the decree's six fields; one row per indicator."""

    id = fields.Field(attribute="id", column_name="ID", widget=IntegerCell("ID"))
    opd = fields.Field(
        attribute="periode__opd__kode", column_name="Kode OPD", widget=TextCell(), readonly=True
    )
    tingkat = fields.Field(attribute="level", column_name="Tingkat", widget=LEVEL_CELL)
    node_id = fields.Field(
        attribute="node__pk", column_name="ID Node", widget=IntegerCell("ID Node")
    )
    jalur = fields.Field(column_name="Jalur", readonly=True, dehydrate_method="dehydrate_jalur")
    node_nama = fields.Field(
        attribute="node__nama", column_name="Nama Node", widget=TextCell(), readonly=True
    )
    urutan = fields.Field(attribute="urutan", column_name="Urutan", widget=IntegerCell("Urutan"))
    nama = fields.Field(attribute="nama", column_name="Nama Indikator", widget=TextCell())
    satuan = fields.Field(attribute="satuan", column_name="Satuan", widget=TextCell())
    jenis = fields.Field(
        attribute="jenis",
        column_name="Jenis",
        widget=ChoiceCell({Jenis.IKU: "IKU", Jenis.IK: "IK"}, labels=_choices(Jenis)),
    )
    polaritas = fields.Field(
        attribute="polaritas",
        column_name="Polaritas",
        widget=ChoiceCell(
            {str(v): str(v) for v in engine.Polarity}, labels=dict(engine.choices(engine.Polarity))
        ),
    )
    metode_negatif = fields.Field(
        attribute="metode_negatif",
        column_name="Rumus Capaian Negatif",
        widget=ChoiceCell(
            {str(v): str(v) for v in engine.NegativeMethod},
            dict(engine.choices(engine.NegativeMethod)),
        ),
    )
    frekuensi = fields.Field(
        attribute="frekuensi",
        column_name="Frekuensi",
        widget=ChoiceCell({str(v): str(v) for v in Frekuensi.values}, _choices(Frekuensi)),
    )
    akumulasi = fields.Field(
        attribute="akumulasi",
        column_name="Akumulasi Triwulan",
        widget=ChoiceCell(
            {str(v): str(v) for v in engine.Accumulation},
            dict(engine.choices(engine.Accumulation)),
        ),
    )
    baseline_nilai = fields.Field(
        attribute="baseline_nilai", column_name="Baseline", widget=NumberCell()
    )
    baseline_tahun = fields.Field(
        attribute="baseline_tahun", column_name="Tahun Baseline", widget=IntegerCell("Tahun")
    )
    makna = fields.Field(attribute="makna", column_name="Makna Indikator", widget=TextCell())
    alasan = fields.Field(
        attribute="alasan", column_name="Alasan Pemilihan Indikator", widget=TextCell()
    )
    formulasi = fields.Field(
        attribute="formulasi", column_name="Formulasi Perhitungan", widget=TextCell()
    )
    referensi = fields.Field(
        attribute="referensi", column_name="Sumber/Referensi Indikator", widget=TextCell()
    )
    sumber_data = fields.Field(
        attribute="sumber_data", column_name="Sumber Data", widget=TextCell()
    )
    penanggung_jawab = fields.Field(
        attribute="penanggung_jawab", column_name="Penanggung Jawab", widget=TextCell()
    )
    bidang = fields.Field(attribute="bidang__kode", column_name="Kode Bidang", widget=TextCell())
    versi = fields.Field(
        attribute="versi", column_name=COL_VERSI, widget=IntegerCell(COL_VERSI), readonly=True
    )

    # Cells copied straight onto the model; an empty choice or urutan keeps what is there.
    PLAIN: ClassVar[tuple[str, ...]] = (
        "urutan",
        "nama",
        "satuan",
        "jenis",
        "polaritas",
        "metode_negatif",
        "frekuensi",
        "akumulasi",
        "baseline_nilai",
        "baseline_tahun",
        "makna",
        "alasan",
        "formulasi",
        "referensi",
        "sumber_data",
        "penanggung_jawab",
    )
    tracked = (*PLAIN, "node_id", "bidang")
    KEEP_WHEN_EMPTY: ClassVar[frozenset[str]] = frozenset(
        {"urutan", "jenis", "polaritas", "metode_negatif", "frekuensi", "akumulasi"}
    )

    column_labels: ClassVar[dict[str, str]] = {
        **dict.fromkeys(NODE_FIELDS, "ID Node"),
        "periode": "ID Node",
        "urutan": "Urutan",
        "nama": "Nama Indikator",
        "satuan": "Satuan",
        "jenis": "Jenis",
        "polaritas": "Polaritas",
        "metode_negatif": "Rumus Capaian Negatif",
        "frekuensi": "Frekuensi",
        "akumulasi": "Akumulasi Triwulan",
        "baseline_nilai": "Baseline",
        "baseline_tahun": "Tahun Baseline",
        "makna": "Makna Indikator",
        "alasan": "Alasan Pemilihan Indikator",
        "formulasi": "Formulasi Perhitungan",
        "referensi": "Sumber/Referensi Indikator",
        "sumber_data": "Sumber Data",
        "penanggung_jawab": "Penanggung Jawab",
        "bidang": "Kode Bidang",
    }
    required_columns = ("ID",)

    class Meta:
        model = Indikator
        name = "Indikator (definisi dan keputusan IKU/IK)"
        fields = (
            "id",
            "opd",
            "tingkat",
            "node_id",
            "jalur",
            "node_nama",
            "urutan",
            "nama",
            "satuan",
            "jenis",
            "polaritas",
            "metode_negatif",
            "frekuensi",
            "akumulasi",
            "baseline_nilai",
            "baseline_tahun",
            "makna",
            "alasan",
            "formulasi",
            "referensi",
            "sumber_data",
            "penanggung_jawab",
            "bidang",
            "versi",
        )
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        # The preview lists each change itself (Change, old → new); import-export's HTML diff
        # of every row would only cost time.
        skip_diff = True
        report_skipped = True

    def dehydrate_jalur(self, indikator: Indikator) -> str:
        return node_path(indikator.node)

    def load(self, dataset: Dataset) -> None:
        self.load_indicators(dataset, "ID")
        wanted: dict[str, set[int]] = defaultdict(set)
        for level, number in zip(
            _column_values(dataset, "Tingkat"), _column_values(dataset, "ID Node"), strict=False
        ):
            try:
                code = LEVEL_CELL.clean(level)
            except ValueError:
                continue
            wanted[code or ""] |= _loose_ints([number])
        self._nodes: dict[tuple[str, int], Node] = {}
        for code, ids in wanted.items():
            if code in NODE_MODELS and ids:
                model = NODE_MODELS[code]
                for node in model._default_manager.select_related("periode__opd").filter(
                    pk__in=ids
                ):
                    self._nodes[(code, node.pk)] = node
        opd_ids = {i.periode.opd_id for i in self._indicators.values()}
        opd_ids |= {n.periode.opd_id for n in self._nodes.values()}
        self._bidang = {
            (b.opd_id, b.kode.lower()): b for b in Bidang.objects.filter(opd_id__in=opd_ids)
        }

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[Indikator, bool]:
        if is_blank(row.get("ID")):
            return Indikator(), True
        indikator = self.indicator_for(row)
        self.check_duplicate(
            ("indikator", indikator.pk), "Indikator ini sudah ada di baris lain berkas ini."
        )
        self.read_versi(row)
        self._original = copy.copy(indikator)
        return indikator, False

    def import_instance(self, instance: Indikator, row: Any, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        self._import_node(instance, row, errors)
        for name in self.PLAIN:
            column = self.fields[name].column_name
            if column not in row:
                continue
            value = self.read(row, name, errors)
            if value is None and name in self.KEEP_WHEN_EMPTY:
                continue
            setattr(instance, name, value)
        if "Kode Bidang" in row and instance.periode_id:
            kode = restore_text(row["Kode Bidang"])
            bidang = self._bidang.get((instance.periode.opd_id, kode.lower())) if kode else None
            if kode and bidang is None:
                errors.setdefault("Kode Bidang", []).append(
                    f"Bidang dengan kode «{kode}» tidak ada di OPD ini."
                )
            else:
                instance.bidang = bidang
        if errors:
            raise ValidationError(errors)

    def _import_node(self, instance: Indikator, row: Any, errors: dict[str, list[str]]) -> None:
        level_errors: dict[str, list[str]] = {}
        level = self.read(row, "tingkat", level_errors) if "Tingkat" in row else None
        number = self.read(row, "node_id", level_errors) if "ID Node" in row else None
        errors.update(level_errors)
        if level_errors:
            return
        if level is None or number is None:
            if instance.pk is None or (level is None) != (number is None):
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    "Isi Tingkat dan ID Node untuk menentukan tempat indikator."
                )
            return
        current = instance.node
        if current is not None and (level, number) == (instance.level, current.pk):
            self._check_opd_kode(instance, row, errors)
            return
        node = self._nodes.get((level, number))
        if node is None or not self.allowed(can_read_opd, node.periode.opd_id):
            label = Level(level).label
            errors.setdefault("ID Node", []).append(self.not_found(str(label), number))
            return
        for field in NODE_FIELDS:
            setattr(instance, field, None)
        setattr(instance, level, node)
        instance.periode = node.periode
        self._check_opd_kode(instance, row, errors)

    def _check_opd_kode(self, instance: Indikator, row: Any, errors: dict[str, list[str]]) -> None:
        kode = restore_text(row.get("Kode OPD"))
        actual = instance.periode.opd.kode
        if kode and kode != actual:
            errors.setdefault("Kode OPD", []).append(
                f"Kode OPD «{kode}» tidak sesuai dengan OPD tempat indikator ({actual})."
            )

    def export(self, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> Dataset:
        base = queryset if queryset is not None else Indikator.objects.all()
        scoped = self.scope(base, "periode__opd")
        rows = sorted(indicator_queryset().filter(pk__in=scoped.values("pk")), key=indicator_order)
        return super().export(queryset=rows, **kwargs)


# --- targets, wide -----------------------------------------------------------------------------


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


class TargetWideResource(IndicatorRowResource):
    """Targets with one column per year of the Renstra period; one row per indicator and jenis.

    ``TargetWideResource(user=..., periode=...)`` exports that period's years; without a period
    the years are those of the user's OPD's periods. An import reads every year column in the
    file ("2030" included, so a year outside the period is reported, not silently ignored).
    """

    jenis = fields.Field(attribute="jenis", column_name="Jenis Target", widget=JENIS_TARGET_CELL)
    versi = fields.Field(attribute="versi_token", column_name=COL_VERSI, readonly=True)

    required_columns = (COL_ID_INDIKATOR,)

    class Meta:
        model = Target
        name = "Target per tahun (satu baris per indikator)"
        fields = ("id", "opd", "tingkat", "jalur", "nama", "satuan", "jenis", "versi")
        import_id_fields = ["id"]
        skip_unchanged = True
        # The preview lists each change itself (Change, old → new); import-export's HTML diff
        # of every row would only cost time.
        skip_diff = True
        report_skipped = True
        # Rows are checked one by one and written together at the end (the service's batch):
        # no savepoint per row.
        use_bulk = True

    def __init__(
        self,
        user: AnyUser | None = None,
        periode: PeriodeRenstra | None = None,
        jenis: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(user=user, **kwargs)
        self.periode = periode
        self.export_kinds = [jenis] if jenis else None
        years: Iterable[int] = periode.years if periode is not None else self._user_years()
        for year in years:
            self.add_year(year)

    def _user_years(self) -> list[int]:
        opd_id = user_opd_id(self.user) if self.user is not None else None
        if opd_id is None:
            return []
        spans = PeriodeRenstra.objects.filter(opd_id=opd_id).values_list(
            "tahun_awal", "tahun_akhir"
        )
        return sorted({y for start, end in spans for y in range(start, end + 1)})

    @staticmethod
    def year_name(year: int) -> str:
        return f"tahun_{year}"

    def add_year(self, year: int) -> None:
        name = self.year_name(year)
        if name not in self.fields:
            self.fields[name] = fields.Field(
                attribute=name, column_name=str(year), widget=ValueCell(allow_range=True)
            )

    def years(self) -> list[int]:
        return sorted(int(n.removeprefix("tahun_")) for n in self.fields if n.startswith("tahun_"))

    def prepare_import(self, dataset: Dataset) -> None:
        for header in dataset.headers or []:
            if re.fullmatch(r"\d{4}", header):
                self.add_year(int(header))

    def get_export_fields(self, selected_fields: Sequence[str] | None = None) -> list[Any]:
        chosen = super().get_export_fields(selected_fields)
        if selected_fields:
            # The admin's column picker is built before the years are known: always add them.
            chosen += [
                self.fields[self.year_name(y)]
                for y in self.years()
                if self.fields[self.year_name(y)] not in chosen
            ]
        # The (hidden) version column goes last, after the years people type in.
        versi = self.fields["versi"]
        return [f for f in chosen if f is not versi] + [versi]

    def load(self, dataset: Dataset) -> None:
        ids = self.load_indicators(dataset, COL_ID_INDIKATOR)
        # The service's batch: stored targets (locked), previous years, locks and roles read
        # once for the whole file; rows are checked one by one, written together at the end.
        self._batch = TargetBatch(
            self.actor,
            indicator_ids=ids,
            years=self.years(),
            indicators=self._indicators.values(),
        )
        self._pending: list[TargetChange] = []
        self._targets: dict[tuple[int, str], dict[int, Target]] = defaultdict(dict)
        for (indikator_id, tahun, jenis), target in self._batch.stored.items():
            self._targets[(indikator_id, jenis)][tahun] = target

    def sheet_row(self, indikator: Indikator, jenis: str, stored: dict[int, Target]) -> SheetRow:
        values = {self.year_name(y): _stored_value(t) for y, t in stored.items()}
        return SheetRow(
            indikator, stored, jenis=jenis, versi_token=versions_token(stored), **values
        )

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[SheetRow, bool]:
        indikator = self.indicator_for(row)
        self._versi_missing = COL_VERSI not in row
        self._versions = {} if self._versi_missing else parse_versions(row[COL_VERSI])
        errors: dict[str, list[str]] = {}
        jenis = self.read(row, "jenis", errors) if "Jenis Target" in row else None
        if errors:
            raise ValidationError(errors)
        jenis = jenis or JenisTarget.RENSTRA
        self.check_duplicate(
            (indikator.pk, jenis),
            f"Indikator ini dengan jenis target {JENIS_TARGET_CELL.render(jenis)} sudah ada "
            "di baris lain berkas ini.",
        )
        stored = dict(self._targets.get((indikator.pk, jenis), {}))
        return self.sheet_row(indikator, jenis, stored), not stored

    def import_instance(self, instance: SheetRow, row: Any, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        for year in self.years():
            name = self.year_name(year)
            if str(year) not in row:
                continue
            value = self.read(row, name, errors)
            if value is not None:  # an empty cell leaves the stored target alone
                setattr(instance, name, value)
        if errors:
            raise ValidationError(errors)

    def unchanged(self, instance: Any) -> bool:
        return not self.changes(instance)

    def changes(self, instance: SheetRow) -> list[tuple[int, Decimal | str]]:
        found = []
        for year in self.years():
            value = getattr(instance, self.year_name(year), None)
            if value is not None and value != _stored_value(instance.stored.get(year)):
                found.append((year, value))
        return found

    def validate_instance(
        self,
        instance: SheetRow,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        errors: dict[str, Any] = dict(import_validation_errors or {})
        changes: list[TargetChange] = []
        for year, value in self.changes(instance):
            stored = instance.stored.get(year)
            self._row_changes.append(Change(str(year), shown(_stored_value(stored)), shown(value)))
            nilai, teks = _split_value(value)
            versi = self._versions.get(str(year), 0)
            changes.append(
                TargetChange(instance.indikator, year, nilai, teks, instance.jenis, versi)
            )
        if any(instance.stored.get(c.tahun) is not None for c in changes):
            self.refuse_without_versions(errors)
        for change in changes:
            if str(change.tahun) in errors or errors.get(NON_FIELD_ERRORS):
                continue
            try:
                self._row_warnings.extend(self._batch.check([change]))
            except ValidationError as exc:
                errors[str(change.tahun)] = exc.messages
            except PermissionDenied as exc:
                errors.setdefault(NON_FIELD_ERRORS, []).append(str(exc))
        self.refuse_unconfirmed(errors)
        if errors:
            raise ValidationError(errors)
        self._row_target_changes = changes

    def write(self, instance: SheetRow, is_create: bool) -> None:
        self._pending.extend(self._row_target_changes)

    def after_import(self, dataset: Dataset, result: Result, **kwargs: Any) -> None:
        if not self._dry_run and not (result.has_errors() or result.has_validation_errors()):
            self.report(92, "Menyimpan")
            self._batch.write(self._pending)
        super().after_import(dataset, result, **kwargs)

    def export(self, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> Dataset:
        base: QuerySet[Any]
        if queryset is not None and queryset.model is Target:
            base = Indikator.objects.filter(pk__in=queryset.values("indikator_id"))
        else:
            base = queryset if queryset is not None else Indikator.objects.all()
        if self.periode is not None:
            base = base.filter(periode=self.periode)
        ids = self.scope(base, "periode__opd").values("pk")
        indicators = sorted(indicator_queryset().filter(pk__in=ids), key=indicator_order)
        if not self.years():
            for periode in {i.periode for i in indicators}:
                for year in periode.years:
                    self.add_year(year)
        grouped: dict[tuple[int, str], dict[int, Target]] = defaultdict(dict)
        for target in Target.objects.filter(indikator_id__in=ids):
            grouped[(target.indikator_id, target.jenis)][target.tahun] = target
        rows = []
        for indikator in indicators:
            kinds = self.export_kinds or [
                JenisTarget.RENSTRA,
                *(
                    k
                    for k in (JenisTarget.PK, JenisTarget.PK_PERUBAHAN)
                    if (indikator.pk, k) in grouped
                ),
            ]
            for kind in kinds:
                rows.append(self.sheet_row(indikator, kind, grouped.get((indikator.pk, kind), {})))
        return super().export(queryset=rows, **kwargs)


# --- realisasi ---------------------------------------------------------------------------------

PERIOD_ATTRS: dict[str, str] = {
    Periode.TAHUNAN: "tahunan",
    Periode.TW1: "tw1",
    Periode.TW2: "tw2",
    Periode.TW3: "tw3",
    Periode.TW4: "tw4",
}
NARRATIVE = ("analisis", "hambatan", "tindak_lanjut")


class RealisasiResource(IndicatorRowResource):
    """Realisasi of one indicator in one year: Tahunan, TW I–IV and the narrative; bidang staff
    may write only the indicators whose penanggung jawab is their bidang."""

    bidang = fields.Field(attribute="bidang", column_name="Bidang", readonly=True)
    tahun = fields.Field(attribute="tahun", column_name=COL_TAHUN, widget=IntegerCell("Tahun"))
    tahunan = fields.Field(
        attribute="tahunan", column_name="Tahunan", widget=ValueCell(allow_range=False)
    )
    tw1 = fields.Field(attribute="tw1", column_name="TW I", widget=ValueCell(allow_range=False))
    tw2 = fields.Field(attribute="tw2", column_name="TW II", widget=ValueCell(allow_range=False))
    tw3 = fields.Field(attribute="tw3", column_name="TW III", widget=ValueCell(allow_range=False))
    tw4 = fields.Field(attribute="tw4", column_name="TW IV", widget=ValueCell(allow_range=False))
    analisis = fields.Field(attribute="analisis", column_name="Analisis", widget=TextCell())
    hambatan = fields.Field(attribute="hambatan", column_name="Hambatan", widget=TextCell())
    tindak_lanjut = fields.Field(
        attribute="tindak_lanjut", column_name="Tindak Lanjut", widget=TextCell()
    )
    versi = fields.Field(attribute="versi_token", column_name=COL_VERSI, readonly=True)

    column_labels: ClassVar[dict[str, str]] = {
        "tahun": COL_TAHUN,
        "nilai": "Tahunan",
        "nilai_teks": "Tahunan",
        "analisis": "Analisis",
        "hambatan": "Hambatan",
        "tindak_lanjut": "Tindak Lanjut",
    }
    required_columns = (COL_ID_INDIKATOR, COL_TAHUN)

    class Meta:
        model = Realisasi
        name = "Realisasi (tahunan dan triwulan)"
        fields = (
            "id",
            "opd",
            "tingkat",
            "jalur",
            "nama",
            "satuan",
            "bidang",
            "tahun",
            "tahunan",
            "tw1",
            "tw2",
            "tw3",
            "tw4",
            "analisis",
            "hambatan",
            "tindak_lanjut",
            "versi",
        )
        import_id_fields = ["id"]
        skip_unchanged = True
        # The preview lists each change itself (Change, old → new); import-export's HTML diff
        # of every row would only cost time.
        skip_diff = True
        report_skipped = True
        # Rows are checked one by one and written together at the end (the service's batch):
        # no savepoint per row.
        use_bulk = True

    def __init__(
        self,
        user: AnyUser | None = None,
        tahun: int | None = None,
        recordable_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(user=user, **kwargs)
        self.tahun = tahun
        self.recordable_only = recordable_only

    def may_record(self, indikator: Indikator) -> bool:
        return self.allowed(
            can_record_for_bidang, indikator.periode.opd_id, indikator.effective_bidang_id
        )

    def load(self, dataset: Dataset) -> None:
        ids = self.load_indicators(dataset, COL_ID_INDIKATOR)
        years = _loose_ints(_column_values(dataset, COL_TAHUN))
        # The service's batch: stored rows (locked), targets, previous years, locks and roles
        # read once for the whole file; rows checked one by one, written at the end.
        self._batch = RealisasiBatch(
            self.actor, indicator_ids=ids, years=years, indicators=self._indicators.values()
        )
        self._plans: list[Any] = []
        self._realisasi = self._batch.stored

    def sheet_row(self, indikator: Indikator, tahun: int, stored: dict[str, Realisasi]) -> SheetRow:
        annual = stored.get(Periode.TAHUNAN)
        bidang = indikator.effective_bidang
        values: dict[str, Any] = {
            attr: _stored_value(stored.get(periode)) for periode, attr in PERIOD_ATTRS.items()
        }
        for attr in NARRATIVE:
            values[attr] = getattr(annual, attr) if annual is not None else ""
        return SheetRow(
            indikator,
            stored,
            tahun=tahun,
            bidang=bidang.nama if bidang else "",
            versi_token=versions_token(stored),
            **values,
        )

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[SheetRow, bool]:
        indikator = self.indicator_for(row)
        self._versi_missing = COL_VERSI not in row
        self._versions = {} if self._versi_missing else parse_versions(row[COL_VERSI])
        tahun = self.required_integer(row, "tahun")
        if self.tahun is not None and tahun != self.tahun:
            # A year's page (the kabid's, its background job, import_realisasi --tahun) writes
            # only that year: locks and versions of another year were never shown to the user.
            raise ValidationError({COL_TAHUN: [other_year(tahun, self.tahun)]})
        self.check_duplicate(
            (indikator.pk, tahun), f"Indikator ini untuk tahun {tahun} sudah ada di baris lain."
        )
        stored = dict(self._realisasi.get((indikator.pk, tahun), {}))
        return self.sheet_row(indikator, tahun, stored), not stored

    def import_instance(self, instance: SheetRow, row: Any, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        for name in (*PERIOD_ATTRS.values(), *NARRATIVE):
            if self.fields[name].column_name not in row:
                continue
            value = self.read(row, name, errors)
            if value not in (None, ""):  # an empty cell leaves the stored value alone
                setattr(instance, name, value)
        if errors:
            raise ValidationError(errors)

    def unchanged(self, instance: Any) -> bool:
        return not self.value_changes(instance) and not self.narrative_changes(instance)

    def value_changes(self, instance: SheetRow) -> list[tuple[str, Decimal | str]]:
        found: list[tuple[str, Decimal | str]] = []
        for periode, attr in PERIOD_ATTRS.items():
            value = getattr(instance, attr)
            if value is not None and value != _stored_value(instance.stored.get(periode)):
                found.append((periode, value))
        return found

    def narrative_changes(self, instance: SheetRow) -> dict[str, str]:
        annual = instance.stored.get(Periode.TAHUNAN)
        return {
            attr: getattr(instance, attr)
            for attr in NARRATIVE
            if getattr(instance, attr) != (getattr(annual, attr) if annual is not None else "")
        }

    def validate_instance(
        self,
        instance: SheetRow,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        errors: dict[str, Any] = dict(import_validation_errors or {})
        stored = instance.stored
        annual = stored.get(Periode.TAHUNAN)
        values = []
        for periode_code, value in self.value_changes(instance):
            column = self.fields[PERIOD_ATTRS[periode_code]].column_name
            self._row_changes.append(
                Change(column, shown(_stored_value(stored.get(periode_code))), shown(value))
            )
            nilai, teks = _split_value(value)
            values.append(
                PeriodValue(periode_code, nilai, teks, self._versions.get(periode_code, 0))
            )
        narrative = self.narrative_changes(instance)
        for attr, text in narrative.items():
            old = getattr(annual, attr) if annual is not None else ""
            self._row_changes.append(Change(self.fields[attr].column_name, shown(old), shown(text)))
        if narrative and all(v.periode != Periode.TAHUNAN for v in values):
            # The narrative lives on the annual row; its value goes along unchanged.
            values.append(
                PeriodValue(
                    Periode.TAHUNAN,
                    annual.nilai if annual is not None else None,
                    annual.nilai_teks if annual is not None else "",
                    self._versions.get(Periode.TAHUNAN, 0),
                )
            )
        if any(stored.get(v.periode) is not None for v in values):
            self.refuse_without_versions(errors)
        if not errors:
            entry = RealisasiEntry(
                instance.indikator,
                instance.tahun,
                tuple(values),
                narrative.get("analisis"),
                narrative.get("hambatan"),
                narrative.get("tindak_lanjut"),
            )
            try:
                plan, jumps = self._batch.check(entry)
            except ValidationError as exc:
                for key, texts in exc.update_error_dict({}).items():
                    period_attr = PERIOD_ATTRS.get(key)
                    column = (
                        str(self.fields[period_attr].column_name)
                        if period_attr
                        else NON_FIELD_ERRORS
                    )
                    errors.setdefault(column, []).extend(texts)
            except PermissionDenied as exc:
                errors.setdefault(NON_FIELD_ERRORS, []).append(str(exc))
            else:
                self._row_warnings.extend(jumps)
                self._row_plan = plan
        self.refuse_unconfirmed(errors)
        if errors:
            raise ValidationError(errors)

    def write(self, instance: SheetRow, is_create: bool) -> None:
        self._plans.append(self._row_plan)

    def after_import(self, dataset: Dataset, result: Result, **kwargs: Any) -> None:
        if not self._dry_run and not (result.has_errors() or result.has_validation_errors()):
            self.report(92, "Menyimpan")
            self._batch.write(self._plans)
        super().after_import(dataset, result, **kwargs)

    def recordable(self, indicators: list[Indikator]) -> list[Indikator]:
        if self.user is None:
            return []
        # The user's own indicators (a kabid: their bidang's, in SQL), asked one by one only
        # among those: a template costs a fixed number of queries however many bidang exist.
        mine = set(indicators_for(self.user).values_list("pk", flat=True))
        return [i for i in indicators if i.pk in mine and self.may_record(i)]

    def export(self, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> Dataset:
        base: QuerySet[Any]
        pairs: set[tuple[int, int]] | None = None
        if queryset is not None and queryset.model is Realisasi:
            pairs = set(queryset.order_by().values_list("indikator_id", "tahun").distinct())
            base = Indikator.objects.filter(pk__in=queryset.values("indikator_id"))
        else:
            base = queryset if queryset is not None else Indikator.objects.all()
        if self.tahun is not None:
            base = base.filter(
                periode__tahun_awal__lte=self.tahun, periode__tahun_akhir__gte=self.tahun
            )
        ids = self.scope(base, "periode__opd").values("pk")
        indicators = list(indicator_queryset().filter(pk__in=ids))
        if self.recordable_only:
            indicators = self.recordable(indicators)
        stored_qs = Realisasi.objects.filter(indikator_id__in=ids)
        if self.tahun is not None:
            stored_qs = stored_qs.filter(tahun=self.tahun)
        grouped: dict[tuple[int, int], dict[str, Realisasi]] = defaultdict(dict)
        for r in stored_qs:
            grouped[(r.indikator_id, r.tahun)][r.periode] = r
        if self.tahun is not None:
            wanted = {(i.pk, self.tahun) for i in indicators}
        else:
            wanted = set(grouped) if pairs is None else pairs
        by_id = {i.pk: i for i in indicators}
        keys = sorted(
            (k for k in wanted if k[0] in by_id), key=lambda k: (k[1], indicator_order(by_id[k[0]]))
        )
        rows = [self.sheet_row(by_id[i], tahun, grouped.get((i, tahun), {})) for i, tahun in keys]
        return super().export(queryset=rows, **kwargs)


# --- budgets -----------------------------------------------------------------------------------


class AnggaranResource(KinerjaResource):
    """Pagu and realisasi anggaran of a program, kegiatan or sub-kegiatan in one year; a row
    updates the budget of that node and year, or creates it."""

    tingkat = fields.Field(attribute="node__LEVEL", column_name="Tingkat", widget=BUDGET_LEVEL_CELL)
    node_id = fields.Field(
        attribute="node__pk", column_name="ID Node", widget=IntegerCell("ID Node")
    )
    kode = fields.Field(
        attribute="node__kode", column_name="Kode", widget=TextCell(), readonly=True
    )
    nama = fields.Field(
        attribute="node__nama",
        column_name="Nama Program/Kegiatan/Sub Kegiatan",
        widget=TextCell(),
        readonly=True,
    )
    tahun = fields.Field(attribute="tahun", column_name=COL_TAHUN, widget=IntegerCell("Tahun"))
    pagu = fields.Field(attribute="pagu", column_name="Pagu (Rp)", widget=NumberCell())
    realisasi = fields.Field(
        attribute="realisasi", column_name="Realisasi (Rp)", widget=NumberCell()
    )
    sumber = fields.Field(attribute="sumber", column_name="Sumber Data", widget=TextCell())
    versi = fields.Field(
        attribute="versi", column_name=COL_VERSI, widget=IntegerCell(COL_VERSI), readonly=True
    )

    tracked = ("pagu", "realisasi", "sumber")
    column_labels: ClassVar[dict[str, str]] = {
        "tahun": COL_TAHUN,
        "pagu": "Pagu (Rp)",
        "realisasi": "Realisasi (Rp)",
        "sumber": "Sumber Data",
        **dict.fromkeys(BUDGET_NODE_FIELDS, "ID Node"),
    }
    required_columns = ("Tingkat", "ID Node", COL_TAHUN)

    class Meta:
        model = Anggaran
        name = "Anggaran (pagu dan realisasi)"
        fields = (
            "tingkat",
            "node_id",
            "kode",
            "nama",
            "tahun",
            "pagu",
            "realisasi",
            "sumber",
            "versi",
        )
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        # The preview lists each change itself (Change, old → new); import-export's HTML diff
        # of every row would only cost time.
        skip_diff = True
        report_skipped = True

    def load(self, dataset: Dataset) -> None:
        wanted: dict[str, set[int]] = defaultdict(set)
        for level, number in zip(
            _column_values(dataset, "Tingkat"), _column_values(dataset, "ID Node"), strict=False
        ):
            try:
                code = BUDGET_LEVEL_CELL.clean(level)
            except ValueError:
                continue
            if code:
                wanted[code] |= _loose_ints([number])
        self._nodes: dict[tuple[str, int], Node] = {}
        condition = Q(pk__in=[])
        for code, ids in wanted.items():
            for node in (
                NODE_MODELS[code]._default_manager.select_related("periode__opd").filter(pk__in=ids)
            ):
                self._nodes[(code, node.pk)] = node
            condition |= Q(**{f"{code}_id__in": ids})
        self._budgets: dict[tuple[str, int, int], Anggaran] = {}
        for budget in Anggaran.objects.filter(condition):
            node_field = next(f for f in BUDGET_NODE_FIELDS if getattr(budget, f"{f}_id"))
            node_id = getattr(budget, f"{node_field}_id")
            # Reuse the node already fetched: no query per row for its period and OPD.
            setattr(budget, node_field, self._nodes[(node_field, node_id)])
            self._budgets[(node_field, node_id, budget.tahun)] = budget

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[Anggaran, bool]:
        errors: dict[str, list[str]] = {}
        level = self.read(row, "tingkat", errors) if "Tingkat" in row else None
        if errors:
            raise ValidationError(errors)
        if level is None:
            raise ValidationError(
                {"Tingkat": ["Wajib diisi (program, kegiatan, atau sub kegiatan)."]}
            )
        number = self.required_integer(row, "node_id")
        node = self._nodes.get((level, number))
        if node is None or not self.allowed(can_read_opd, node.periode.opd_id):
            raise ValidationError({"ID Node": [self.not_found(str(Level(level).label), number)]})
        tahun = self.required_integer(row, "tahun")
        self.check_duplicate(
            (level, number, tahun),
            f"Anggaran node ini untuk tahun {tahun} sudah ada di baris lain.",
        )
        existing = self._budgets.get((level, number, tahun))
        if existing is not None:
            self.read_versi(row)
            self._original = copy.copy(existing)
            return existing, False
        budget = Anggaran(tahun=tahun)
        setattr(budget, level, node)
        return budget, True

    def import_instance(self, instance: Anggaran, row: Any, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        for name in ("pagu", "realisasi", "sumber"):
            if self.fields[name].column_name not in row:
                continue
            value = self.read(row, name, errors)
            if value not in (None, ""):  # an empty cell leaves the stored value alone
                setattr(instance, name, value)
        if instance.pk is None and instance.pagu is None and "Pagu (Rp)" not in errors:
            errors["Pagu (Rp)"] = ["Pagu wajib diisi untuk anggaran baru."]
        if errors:
            raise ValidationError(errors)

    def export(self, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> Dataset:
        base = queryset if queryset is not None else Anggaran.objects.all()
        rows = (
            Anggaran.objects.filter(pk__in=self.scope(base, "periode__opd").values("pk"))
            .select_related("program", "kegiatan", "sub_kegiatan")
            .order_by("tahun", "program__urutan", "kegiatan__urutan", "sub_kegiatan__urutan", "id")
        )
        return super().export(queryset=list(rows), **kwargs)
