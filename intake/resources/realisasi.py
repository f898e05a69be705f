"""The realisasi resource (RealisasiResource): Tahunan, TW I–IV and narrative per year."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from import_export import fields
from import_export.results import Result
from tablib import Dataset

from common.cells import NotAvailable
from common.sheets import COL_ID_INDIKATOR, COL_VERSI
from indicators.models import (
    PRE_PERIOD_YEARS,
    Indikator,
    Periode,
    Realisasi,
)
from indicators.selectors import indicator_order, indicators_for
from indicators.services.realisasi import (
    PeriodValue,
    RealisasiBatch,
    RealisasiEntry,
    before_period,
)
from renstra.permissions import (
    can_manage_plan,
    can_record_for_bidang,
)

from .base import (
    COL_TAHUN,
    AnyUser,
    Change,
    IndicatorRowResource,
    IntegerCell,
    SheetRow,
    TextCell,
    ValueCell,
    _column_values,
    _comparable,
    _loose_ints,
    _stored_value,
    indicator_queryset,
    other_year,
    parse_versions,
    shown,
    versions_token,
)

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
    # "n/a: <alasan>" only in the annual column: a quarter without data is left empty.
    tahunan = fields.Field(
        attribute="tahunan",
        column_name="Tahunan",
        widget=ValueCell(allow_range=False, allow_not_available=True),
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
        if self.tahun is not None and before_period(indikator, self.tahun):
            # A year before the period: the perencana's history (the service's rule).
            return self.allowed(can_manage_plan, indikator.periode.opd_id)
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
            if value is not None and _comparable(value) != _stored_value(
                instance.stored.get(periode)
            ):
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
            versi = self._versions.get(periode_code, 0)
            if isinstance(value, NotAvailable):
                values.append(
                    PeriodValue.of(periode_code, None, versi, tidak_tersedia=value.reason)
                )
            else:
                values.append(PeriodValue.of(periode_code, value, versi))
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
                    tidak_tersedia=annual.unavailable_reason if annual is not None else None,
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
                    # The reason of an "n/a" was typed in the annual cell.
                    period_attr = PERIOD_ATTRS.get(
                        Periode.TAHUNAN if key == "alasan_tidak_tersedia" else key
                    )
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
            # A period's indicators take realisasi from PRE_PERIOD_YEARS before it starts.
            base = base.filter(
                periode__tahun_awal__lte=self.tahun + PRE_PERIOD_YEARS,
                periode__tahun_akhir__gte=self.tahun,
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
