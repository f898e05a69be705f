"""The indicator-definition resource (IndikatorResource): one row per indicator."""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from import_export import fields
from tablib import Dataset

from common.cells import (
    is_blank,
    restore_text,
)
from common.sheets import COL_VERSI
from indicators import engine
from indicators.models import (
    NODE_FIELDS,
    Frekuensi,
    Indikator,
    Jenis,
)
from indicators.selectors import indicator_order
from renstra.models import (
    NODE_MODELS,
    Bidang,
    Level,
    Node,
)
from renstra.permissions import (
    can_read_opd,
)
from renstra.tree import node_path

from .base import (
    LEVEL_CELL,
    ChoiceCell,
    IntegerCell,
    KinerjaResource,
    NumberCell,
    TextCell,
    _choices,
    _column_values,
    _loose_ints,
    indicator_queryset,
)

# --- indicators --------------------------------------------------------------------------------


# The decree's definition cells, copied straight onto the model (the sheet's columns and the
# resource's fields alike).
DEFINITION_FIELDS: tuple[str, ...] = (
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
    PLAIN: ClassVar[tuple[str, ...]] = DEFINITION_FIELDS
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
            *DEFINITION_FIELDS,
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
