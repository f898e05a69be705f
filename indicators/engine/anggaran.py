"""Budget: penyerapan and efisiensi (rasio, selisih, sisa anggaran, PMK 249/2011)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import (
    Decimal,
)

from common.numbers import format_number

from .capaian import REASON_RESULT_NOT_FINITE
from .kategori import _bound
from .kinds import HUNDRED, ONE, ZERO, EfficiencyMethod, _arith, _finite

# --- budget: penyerapan and efisiensi ---------------------------------------------------------

EFISIEN = "Efisien"
CUKUP_EFISIEN = "Cukup Efisien"
TIDAK_EFISIEN = "Tidak Efisien"

# rasio: ≥ 100 Efisien (results at least proportional to the money spent), 95–<100 Cukup
# Efisien (within the same 5-point tolerance the "selisih" method uses), < 95 Tidak Efisien.
RASIO_CUKUP_FROM = Decimal(95)
# selisih: capaian − penyerapan > +5 Efisien, within ±5 Cukup Efisien, < −5 Tidak Efisien.
SELISIH_TOLERANCE = Decimal(5)
# PMK 249/2011: E is bounded to ±20 % so nilai = 50 + E/20 × 50 stays within 0..100.
PMK249_E_LIMIT = Decimal(20)

# Why a node has no efisiensi; tables with a narrow Kategori column print a short label for these.
REASON_NO_CAPAIAN = "capaian kinerja belum dapat dihitung"
REASON_NO_PENYERAPAN = "penyerapan anggaran belum ada"

FORMULA_RASIO = "capaian kinerja (%) / penyerapan anggaran (%) × 100"
FORMULA_SELISIH = "capaian kinerja (%) − penyerapan anggaran (%)"
FORMULA_SISA = "(pagu − realisasi anggaran) / pagu × 100, dihitung bila capaian ≥ 100 %"
FORMULA_PMK249 = "E = Σ[1 − (RA/RV)/(PA/TV)] / n; nilai = 50 % + E/20 × 50 % (PMK 249/2011)"


@dataclass(frozen=True)
class EfficiencyResult:
    value: Decimal | None
    kategori: str | None
    reason: str | None
    formula: str
    method: EfficiencyMethod = EfficiencyMethod.RASIO
    note: str | None = None


def penyerapan(pagu: Decimal | None, realisasi: Decimal | None) -> Decimal | None:
    """Budget absorption realisasi / pagu × 100; None when pagu is 0 or either is missing."""
    if pagu is None or realisasi is None or not pagu.is_finite() or not realisasi.is_finite():
        return None
    if pagu == 0:
        return None
    with _arith():
        value = realisasi / pagu * HUNDRED
    return value if value.is_finite() else None


def penyerapan_triwulan(
    pagu: Decimal | None, bulanan: Mapping[int, Decimal]
) -> list[Decimal | None]:
    """Absorption at the end of each triwulan, cumulative as the DPA is spent: the realisasi
    of months 1 to 3·q over the year's pagu × 100 (TW II = January–June). None where the pagu
    is missing or 0, or no month of the year has a realisasi yet."""
    if not bulanan:
        return [None] * 4
    return [
        penyerapan(pagu, sum((bulanan.get(m, ZERO) for m in range(1, 3 * q + 1)), ZERO))
        for q in range(1, 5)
    ]


def describe_efficiency_method(
    method: EfficiencyMethod, bounds: tuple[Decimal, Decimal] | None = None
) -> str:
    """The Indonesian sentence for the report's efficiency note, naming which capaian it uses:
    the program's mean as :func:`efisiensi` receives it, bounded when the agency bounds its
    means (``bounds``), plain otherwise."""
    text = {
        EfficiencyMethod.RASIO: (
            f"Efisiensi = {FORMULA_RASIO}; ≥ 100 efisien, 95 sampai kurang dari 100 cukup "
            "efisien, di bawah 95 tidak efisien."
        ),
        EfficiencyMethod.SELISIH: (
            f"Efisiensi = {FORMULA_SELISIH}; lebih dari +5 poin efisien, antara −5 dan +5 poin "
            "cukup efisien, kurang dari −5 poin tidak efisien."
        ),
        EfficiencyMethod.SISA_ANGGARAN: (
            f"Efisiensi = {FORMULA_SISA}; bila target belum tercapai efisiensi dinilai 0 "
            "(tidak efisien)."
        ),
        EfficiencyMethod.PMK249: (
            f"Efisiensi menurut PMK 249/2011: {FORMULA_PMK249}; E dibatasi −20 % sampai +20 %; "
            "E positif efisien, E = 0 cukup efisien, E negatif tidak efisien."
        ),
    }[EfficiencyMethod(method)]
    if bounds is None:
        return (
            f"{text} Capaian kinerja program, kegiatan atau sub kegiatan adalah rata-rata "
            "capaian indikatornya, tanpa batas."
        )
    low, high = bounds
    return (
        f"{text} Capaian kinerja program, kegiatan atau sub kegiatan adalah rata-rata capaian "
        f"indikatornya dengan tiap capaian dibatasi {_bound(low)}–{_bound(high)} %, sama dengan "
        "kolom Capaian Kinerja di sampingnya dan dengan rata-rata capaian IKU, sehingga "
        "efisiensi dapat dihitung ulang dari baris yang sama dan satu capaian yang melonjak "
        "(target yang terlalu rendah) tidak membuat program tampak efisien."
    )


def efisiensi(
    *,
    capaian: Decimal | None,
    penyerapan: Decimal | None,
    method: EfficiencyMethod = EfficiencyMethod.RASIO,
    pagu: Decimal | None = None,
    realisasi_anggaran: Decimal | None = None,
) -> EfficiencyResult:
    """Efficiency of one program/kegiatan/sub-kegiatan by the OPD's chosen method.

    ``capaian`` is the node's :func:`aggregate` mean, so it is the BOUNDED mean (each capaian
    capped at 120 %) whenever the agency bounds its means, and the plain mean otherwise. Capped
    on purpose: an evaluator recomputes efisiensi from the row it is printed in, whose Capaian
    Kinerja column shows that same bounded mean; and an indicator at 453 % (a target set too
    low) must not make its program look efficient, as it cannot raise the headline mean either.
    :func:`describe_efficiency_method` says so in the method note.
    """
    method = EfficiencyMethod(method)
    if method == EfficiencyMethod.SISA_ANGGARAN:
        return _efisiensi_sisa(capaian, penyerapan, pagu, realisasi_anggaran)
    formula = {
        EfficiencyMethod.RASIO: FORMULA_RASIO,
        EfficiencyMethod.SELISIH: FORMULA_SELISIH,
        EfficiencyMethod.PMK249: FORMULA_PMK249,
    }[method]

    def missing(reason: str) -> EfficiencyResult:
        return EfficiencyResult(None, None, reason, formula, method)

    if capaian is None or not capaian.is_finite():
        return missing(REASON_NO_CAPAIAN)
    if penyerapan is None or not penyerapan.is_finite():
        return missing(REASON_NO_PENYERAPAN)
    if method == EfficiencyMethod.SELISIH:
        with _arith():
            diff = capaian - penyerapan
        if diff > SELISIH_TOLERANCE:
            kategori = EFISIEN
        elif diff < -SELISIH_TOLERANCE:
            kategori = TIDAK_EFISIEN
        else:
            kategori = CUKUP_EFISIEN
        return EfficiencyResult(diff, kategori, None, formula, method)
    if method == EfficiencyMethod.PMK249:
        # One item: (RA/RV)/(PA/TV) = (RA/PA)/(RV/TV) = penyerapan / capaian.
        return _pmk249_from_ratios([(capaian, penyerapan)])
    if penyerapan == 0:
        return missing("penyerapan anggaran 0: efisiensi tidak dapat dihitung")
    with _arith():
        value = capaian / penyerapan * HUNDRED
    if not value.is_finite():
        return missing(REASON_RESULT_NOT_FINITE)
    if value >= HUNDRED:
        kategori = EFISIEN
    elif value >= RASIO_CUKUP_FROM:
        kategori = CUKUP_EFISIEN
    else:
        kategori = TIDAK_EFISIEN
    return EfficiencyResult(value, kategori, None, formula, method)


def _efisiensi_sisa(
    capaian: Decimal | None,
    absorption: Decimal | None,
    pagu: Decimal | None,
    realisasi_anggaran: Decimal | None,
) -> EfficiencyResult:
    method = EfficiencyMethod.SISA_ANGGARAN

    def missing(reason: str) -> EfficiencyResult:
        return EfficiencyResult(None, None, reason, FORMULA_SISA, method)

    if capaian is None or not capaian.is_finite():
        return missing(REASON_NO_CAPAIAN)
    if _finite(pagu) and _finite(realisasi_anggaran):
        assert pagu is not None and realisasi_anggaran is not None  # narrowed by _finite
        if pagu == 0:
            return missing("pagu 0: efisiensi tidak dapat dihitung")
        with _arith():
            sisa = (pagu - realisasi_anggaran) / pagu * HUNDRED
    elif _finite(absorption):
        assert absorption is not None
        # Without the amounts, the same share follows from the absorption percentage.
        with _arith():
            sisa = HUNDRED - absorption
    else:
        return missing("pagu dan realisasi anggaran belum ada")
    if not sisa.is_finite():
        return missing(REASON_RESULT_NOT_FINITE)
    if capaian < HUNDRED:
        # Unspent money is not efficiency when the target was missed: valued 0, explicitly.
        return EfficiencyResult(
            ZERO,
            TIDAK_EFISIEN,
            None,
            FORMULA_SISA,
            method,
            note="target belum tercapai: sisa anggaran tidak dihitung sebagai efisiensi",
        )
    if sisa > 0:
        kategori = EFISIEN
    elif sisa == 0:
        kategori = CUKUP_EFISIEN
    else:
        kategori = TIDAK_EFISIEN  # spent more than the pagu
    return EfficiencyResult(sisa, kategori, None, FORMULA_SISA, method)


@dataclass(frozen=True)
class Pmk249Item:
    """One output of PMK 249/2011: pagu (PA), realisasi anggaran (RA), target and realisasi
    volume of the output (TV, RV)."""

    pagu: Decimal | None
    realisasi_anggaran: Decimal | None
    target_volume: Decimal | None
    realisasi_volume: Decimal | None


def efisiensi_mean(results: Sequence[EfficiencyResult]) -> Decimal | None:
    """The average row of Tabel 3.41: the plain mean of the lines that have a value."""
    values = [r.value for r in results if r.value is not None and r.value.is_finite()]
    if not values:
        return None
    with _arith():
        return sum(values, ZERO) / Decimal(len(values))


def efisiensi_pmk249(items: Sequence[Pmk249Item]) -> EfficiencyResult:
    """PMK 249/2011 over several outputs: E = Σ[1 − (RA/RV)/(PA/TV)] / n, nilai = 50 + E/20×50.

    An item whose terms are missing or zero (RV, PA or TV) cannot enter the sum and is left
    out of n; the note says how many were left out. ``value`` is the nilai (0..100).
    """
    ratios: list[tuple[Decimal, Decimal]] = []
    skipped = 0
    for item in items:
        terms = (item.pagu, item.realisasi_anggaran, item.target_volume, item.realisasi_volume)
        if not all(_finite(t) for t in terms):
            skipped += 1
            continue
        pa, ra, tv, rv = (t for t in terms if t is not None)
        if pa == 0 or tv == 0 or rv == 0:
            skipped += 1
            continue
        with _arith():
            ratios.append((rv / tv * HUNDRED, ra / pa * HUNDRED))
    result = _pmk249_from_ratios(ratios)
    if skipped:
        note = f"{skipped} keluaran tidak dihitung karena datanya belum lengkap atau bernilai 0"
        result = EfficiencyResult(
            result.value,
            result.kategori,
            result.reason,
            result.formula,
            result.method,
            note if result.note is None else f"{result.note}; {note}",
        )
    return result


def _pmk249_from_ratios(pairs: Sequence[tuple[Decimal, Decimal]]) -> EfficiencyResult:
    """pairs of (capaian %, penyerapan %) — (RA/RV)/(PA/TV) equals penyerapan / capaian."""
    method = EfficiencyMethod.PMK249
    terms: list[Decimal] = []
    for capaian, absorption in pairs:
        if capaian == 0:
            continue
        with _arith():
            terms.append((ONE - absorption / capaian) * HUNDRED)
    if not terms:
        reason = "capaian keluaran 0 atau data belum lengkap: efisiensi tidak dapat dihitung"
        return EfficiencyResult(None, None, reason, FORMULA_PMK249, method)
    with _arith():
        e = sum(terms, ZERO) / len(terms)
        if not e.is_finite():
            return EfficiencyResult(None, None, REASON_RESULT_NOT_FINITE, FORMULA_PMK249, method)
        bounded = max(-PMK249_E_LIMIT, min(PMK249_E_LIMIT, e))
        nilai = 50 + bounded / PMK249_E_LIMIT * 50
    if e > 0:
        kategori = EFISIEN
    elif e == 0:
        kategori = CUKUP_EFISIEN
    else:
        kategori = TIDAK_EFISIEN
    note = f"E = {format_number(e)} %" + (" (dibatasi ±20 %)" if bounded != e else "")
    return EfficiencyResult(nilai, kategori, None, FORMULA_PMK249, method, note)


# --- budget tied to performance: the pagu that serves an indicator ----------------------------

NodeKey = tuple[str, int]  # (level, node id): ("sub_kegiatan", 12)


@dataclass(frozen=True)
class BudgetNode:
    """One budget row of a year: its node and the nodes above it (``chain``: the node first,
    then its kegiatan and program), its name, code and pagu."""

    chain: tuple[NodeKey, ...]
    nama: str
    kode: str
    pagu: Decimal

    @property
    def key(self) -> NodeKey:
        return self.chain[0]


@dataclass(frozen=True)
class BudgetLink:
    """How much of a year's budget serves an indicator (LKE 1.a.6, 1.c.1): counted on the
    finest budget rows (a sub-kegiatan's; a kegiatan's or a program's where nothing below it is
    budgeted), each serving the indicators of its node or of a node above it."""

    total: Decimal
    served: Decimal
    unserved: tuple[BudgetNode, ...]

    @property
    def unserved_pagu(self) -> Decimal:
        return self.total - self.served

    @property
    def share_served(self) -> Decimal | None:
        """Percent of the pagu that serves an indicator; None without budget."""
        if not self.total:
            return None
        with _arith():
            return self.served / self.total * HUNDRED


def budget_link(nodes: Sequence[BudgetNode], measured: set[NodeKey]) -> BudgetLink:
    """``measured``: the nodes with at least one indicator. A row whose node has a budgeted
    node below it is not counted (its pagu is the sum of theirs)."""
    above = {key for node in nodes for key in node.chain[1:]}
    leaves = [n for n in nodes if n.key not in above and n.pagu.is_finite()]
    served = ZERO
    unserved = []
    for node in leaves:
        if any(key in measured for key in node.chain):
            served += node.pagu
        else:
            unserved.append(node)
    total = sum((n.pagu for n in leaves), ZERO)
    unserved.sort(key=lambda n: (-n.pagu, n.kode, n.nama))
    return BudgetLink(total=total, served=served, unserved=tuple(unserved))
