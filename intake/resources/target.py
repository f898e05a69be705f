"""The wide target resource (TargetWideResource): one row per indicator, a column per year."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from import_export import fields
from import_export.results import Result
from tablib import Dataset

from common.numbers import Rate
from common.sheets import COL_ID_INDIKATOR, COL_VERSI
from indicators.models import (
    Indikator,
    JenisTarget,
    Target,
)
from indicators.selectors import indicator_order
from indicators.services.target import TargetBatch, TargetChange
from renstra.models import (
    PeriodeRenstra,
)
from renstra.permissions import (
    user_opd_id,
)

from .base import (
    JENIS_TARGET_CELL,
    AnyUser,
    Change,
    IndicatorRowResource,
    SheetRow,
    ValueCell,
    _comparable,
    _split_value,
    _stored_value,
    indicator_queryset,
    parse_versions,
    shown,
    versions_token,
)

# --- targets, wide -----------------------------------------------------------------------------


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
            if value is not None and _comparable(value) != _stored_value(instance.stored.get(year)):
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
            rate = value if isinstance(value, Rate) else None
            nilai, teks = (value.value, "") if rate is not None else _split_value(value)
            versi = self._versions.get(str(year), 0)
            changes.append(
                TargetChange(
                    instance.indikator, year, nilai, teks, instance.jenis, versi, rate=rate
                )
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
