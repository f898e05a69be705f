"""The capaian engine: achievement, kategori, efficiency and aggregates, as pure functions.

No Django here — this package is the single place where the rules of computation live
(see DOMAIN.md, "Rules of computation"), so it can be tested exhaustively and reused by the
pages, the importer, the LAKIP and the CLI through ``indicators.selectors``. It is one engine
behind one import (``from indicators import engine``; ``engine.compute_capaian(...)``), kept
in modules by job: :mod:`.kinds` (arithmetic, enums), :mod:`.kategori` (scales),
:mod:`.capaian` (targets, capaian), :mod:`.aggregates` (means, trajectory), :mod:`.checks`
(plausibility, jumps, discrepancy) and :mod:`.anggaran` (penyerapan, efisiensi).

All values are :class:`decimal.Decimal`. Results are unrounded; rounding happens only for
display (``common.numbers``) and in the discrepancy check (documented there).

Documented decisions (each has a test in ``indicators/tests/test_engine.py``):

* positif: ``R / T × 100``; negatif: ``(2T − R) / T × 100`` by default, ``T / R × 100`` when
  the indicator says so. R = T always gives exactly 100.
* Nothing is ever silently 0 and nothing raises for Decimal inputs: when capaian cannot be
  computed the result carries ``capaian=None`` and an Indonesian ``reason``:
  - no realisasi (and no quarters) → "belum ada realisasi";
  - no target → "belum ada target" (both missing → "belum ada target dan realisasi");
  - T = 0 → "target 0: capaian tidak dapat dihitung" (any ratio against 0 is undefined);
  - R = 0 with T/R → "realisasi 0: T/R tidak terdefinisi";
  - NaN/Infinity inputs → "… bukan angka yang terhingga".
* Negative values are computed as the formula says (T 5,5, R −70, positif → −1.272,73 %,
  Sangat Rendah). A negative *target* is computed as the formula says as well, but the
  result carries a ``note`` warning that the ratio's direction is inverted.
* Range targets: inside [low, high] → 100; above → against ``high``; below → against ``low``,
  with the indicator's polarity formula. A reversed range ("2,35–2,30") is normalised.
* Ordinal qualitative targets (opini BPK, predikat SAKIP): ``rank(R) / rank(T) × 100`` with
  1-based ranks from the worst level — the same "realisasi over target" reading as the
  numeric formula, so meeting the target is exactly 100 and one level above/below moves the
  figure proportionally. Polarity does not apply (the levels are ordered best-last).
* Binary qualitative targets ("Tersedia", "Ada", "Tercapai"): realisasi equal to the target
  (case- and space-insensitive) or "tercapai"/"terpenuhi" → 100, anything else → 0; the
  formula text says so, so a 0 here is explicit, not silent.
* Quarterly realisasi is used only when the annual one is missing: ``jumlah`` = sum of the
  present quarters, ``akhir`` = the last present quarter, ``rata`` = mean of the present ones.
* Arithmetic runs in a local context of 50 significant digits with unbounded exponents and
  no traps, so stored values (≤ 20 digits) multiply exactly and nothing overflows or raises.
"""

from __future__ import annotations

# The formula as data (components → realisasi) lives in a sibling pure module; the engine is
# its one entrance, as for capaian.
from ..formula import (
    Component,
    ComponentRole,
    Formula,
    FormulaResult,
    Operator,
    definition_text,
    evaluate,
    formula_text,
    stored_value,
)
from .aggregates import (
    DEFAULT_AGGREGATE_BOUNDS,
    TRAJECTORY_OFF_TRACK,
    TRAJECTORY_ON_TRACK,
    AggregateResult,
    Bounds,
    BoundsError,
    Trajectory,
    aggregate,
    bound_value,
    describe_aggregate_rule,
    headline_complete,
    trajectory,
    validate_bounds,
)
from .anggaran import (
    CUKUP_EFISIEN,
    EFISIEN,
    FORMULA_PMK249,
    FORMULA_RASIO,
    FORMULA_SELISIH,
    FORMULA_SISA,
    PMK249_E_LIMIT,
    RASIO_CUKUP_FROM,
    REASON_NO_CAPAIAN,
    REASON_NO_PENYERAPAN,
    SELISIH_TOLERANCE,
    TIDAK_EFISIEN,
    BudgetLink,
    BudgetNode,
    EfficiencyResult,
    Pmk249Item,
    budget_link,
    describe_efficiency_method,
    efisiensi,
    efisiensi_mean,
    efisiensi_pmk249,
    penyerapan,
    penyerapan_triwulan,
)
from .capaian import (
    ACHIEVED_WORDS,
    FORMULA_2T_MINUS_R,
    FORMULA_BINARY,
    FORMULA_POSITIF,
    FORMULA_T_OVER_R,
    NOTE_NEGATIVE_TARGET,
    OPINI_BPK,
    ORDINAL_MAPPINGS,
    PREDIKAT_SAKIP,
    REASON_NO_BOTH,
    REASON_NO_REALISASI,
    REASON_NO_TARGET,
    REASON_NOT_AVAILABLE,
    REASON_REALISASI_NOT_FINITE,
    REASON_REALISASI_ZERO_T_OVER_R,
    REASON_RESULT_NOT_FINITE,
    REASON_TARGET_NOT_FINITE,
    REASON_TARGET_ZERO,
    CapaianResult,
    OrdinalMapping,
    QualitativeTarget,
    Target,
    TargetInput,
    TargetRange,
    compute_capaian,
    compute_quarterly,
    describe_method,
    numeric_formula,
    parse_target,
)
from .checks import (
    FLAG_CAPAIAN_HIGH,
    FLAG_CAPAIAN_NEGATIVE,
    FLAG_OUT_OF_RANGE,
    FLAG_REALISASI_JUMP,
    FLAG_TARGET_JUMP,
    JUMP_FACTOR,
    PLAUSIBLE_CAPAIAN_MAX,
    PLAUSIBLE_CAPAIAN_MIN,
    PlausibilityFlag,
    is_discrepant,
    is_percent_unit,
    is_unverifiable,
    jump_factor,
    plausibility,
)
from .kategori import (
    DEFAULT_SCALE_CODE,
    PRESET_SCALES,
    SCALE_PERMENDAGRI_86,
    SCALE_SEED_3_2,
    Band,
    Scale,
    ScaleError,
)
from .kinds import (
    ENGINE_VERSION,
    HUNDRED,
    LABELS,
    ONE,
    PRECISION,
    ZERO,
    Accumulation,
    EfficiencyMethod,
    NegativeMethod,
    Polarity,
    RealisasiSource,
    choices,
)

__all__ = [
    "ACHIEVED_WORDS",
    "CUKUP_EFISIEN",
    "DEFAULT_AGGREGATE_BOUNDS",
    "DEFAULT_SCALE_CODE",
    "EFISIEN",
    "ENGINE_VERSION",
    "FLAG_CAPAIAN_HIGH",
    "FLAG_CAPAIAN_NEGATIVE",
    "FLAG_OUT_OF_RANGE",
    "FLAG_REALISASI_JUMP",
    "FLAG_TARGET_JUMP",
    "FORMULA_2T_MINUS_R",
    "FORMULA_BINARY",
    "FORMULA_PMK249",
    "FORMULA_POSITIF",
    "FORMULA_RASIO",
    "FORMULA_SELISIH",
    "FORMULA_SISA",
    "FORMULA_T_OVER_R",
    "HUNDRED",
    "JUMP_FACTOR",
    "LABELS",
    "NOTE_NEGATIVE_TARGET",
    "ONE",
    "OPINI_BPK",
    "ORDINAL_MAPPINGS",
    "PLAUSIBLE_CAPAIAN_MAX",
    "PLAUSIBLE_CAPAIAN_MIN",
    "PMK249_E_LIMIT",
    "PRECISION",
    "PREDIKAT_SAKIP",
    "PRESET_SCALES",
    "RASIO_CUKUP_FROM",
    "REASON_NOT_AVAILABLE",
    "REASON_NO_BOTH",
    "REASON_NO_CAPAIAN",
    "REASON_NO_PENYERAPAN",
    "REASON_NO_REALISASI",
    "REASON_NO_TARGET",
    "REASON_REALISASI_NOT_FINITE",
    "REASON_REALISASI_ZERO_T_OVER_R",
    "REASON_RESULT_NOT_FINITE",
    "REASON_TARGET_NOT_FINITE",
    "REASON_TARGET_ZERO",
    "SCALE_PERMENDAGRI_86",
    "SCALE_SEED_3_2",
    "SELISIH_TOLERANCE",
    "TIDAK_EFISIEN",
    "TRAJECTORY_OFF_TRACK",
    "TRAJECTORY_ON_TRACK",
    "ZERO",
    "Accumulation",
    "AggregateResult",
    "Band",
    "Bounds",
    "BoundsError",
    "BudgetLink",
    "BudgetNode",
    "CapaianResult",
    "Component",
    "ComponentRole",
    "EfficiencyMethod",
    "EfficiencyResult",
    "Formula",
    "FormulaResult",
    "NegativeMethod",
    "Operator",
    "OrdinalMapping",
    "PlausibilityFlag",
    "Pmk249Item",
    "Polarity",
    "QualitativeTarget",
    "RealisasiSource",
    "Scale",
    "ScaleError",
    "Target",
    "TargetInput",
    "TargetRange",
    "Trajectory",
    "aggregate",
    "bound_value",
    "budget_link",
    "choices",
    "compute_capaian",
    "compute_quarterly",
    "definition_text",
    "describe_aggregate_rule",
    "describe_efficiency_method",
    "describe_method",
    "efisiensi",
    "efisiensi_mean",
    "efisiensi_pmk249",
    "evaluate",
    "formula_text",
    "headline_complete",
    "is_discrepant",
    "is_percent_unit",
    "is_unverifiable",
    "jump_factor",
    "numeric_formula",
    "parse_target",
    "penyerapan",
    "penyerapan_triwulan",
    "plausibility",
    "stored_value",
    "trajectory",
    "validate_bounds",
]
