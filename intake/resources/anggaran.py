"""The budget resource (AnggaranResource): pagu and realisasi per node (program to sub-kegiatan)."""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from import_export import fields
from tablib import Dataset

from common.sheets import COL_VERSI
from renstra.models import (
    BUDGET_NODE_FIELDS,
    NODE_MODELS,
    Anggaran,
    Level,
    Node,
)
from renstra.permissions import (
    can_read_opd,
)

from .base import (
    BUDGET_LEVEL_CELL,
    COL_TAHUN,
    IntegerCell,
    KinerjaResource,
    NumberCell,
    TextCell,
    _column_values,
    _loose_ints,
)

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
