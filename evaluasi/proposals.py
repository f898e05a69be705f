"""What Kinerja can answer of the LKE itself: for the criteria the plan's data decides
(shared/lke/README.md, "What a system that holds the plan can answer"), a proposed answer
with the figures behind it, recomputed from the data on every read, at a fixed number of
queries. The evaluator confirms or overrides it; a share becomes A–E by the instrument's
thresholds (data, shown beside the proposal)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from common.numbers import format_number
from indicators.models import (
    Indikator,
    Jenis,
    JenisTarget,
    Pembanding,
    Periode,
    Realisasi,
    Target,
    TargetTriwulan,
)
from kabupaten.reader import due_date
from renstra.models import Anggaran, Opd, PeriodeRenstra
from reporting.models import CatatanReviu, LakipVersi

from .scoring import grade


@dataclass(frozen=True)
class Proposal:
    kode: str
    jawaban: str
    alasan: str  # the figures behind it, in Indonesian


def _share(part: int, whole: int) -> Decimal:
    return Decimal(part * 100) / whole if whole else Decimal(0)


def _pct(part: int, whole: int) -> str:
    return f"{part} dari {whole} ({format_number(_share(part, whole))} %)"


def propose(opd: Opd, tahun: int, thresholds: Mapping[str, Decimal]) -> dict[str, Proposal]:
    """Queries: 10 (period, indicators, targets, realisasi, quarterly targets, budgets,
    comparisons, final LAKIP, review note, the OPD's Pemda when not selected)."""
    out: dict[str, Proposal] = {}

    def yt(kode: str, yes: bool, alasan: str) -> None:
        out[kode] = Proposal(kode, "Y" if yes else "T", alasan)

    def ae(kode: str, part: int, whole: int, what: str) -> None:
        out[kode] = Proposal(
            kode, grade(thresholds, _share(part, whole)), f"{what}: {_pct(part, whole)}"
        )

    periode = (
        PeriodeRenstra.objects.filter(opd=opd, tahun_awal__lte=tahun, tahun_akhir__gte=tahun)
        .order_by("-tahun_awal")
        .first()
    )
    yt(
        "1.a.3",
        periode is not None,
        f"Renstra {periode.tahun_awal}–{periode.tahun_akhir} mencakup tahun {tahun}"
        if periode
        else f"Tidak ada Renstra yang mencakup tahun {tahun}",
    )
    if periode is None:
        return out
    indicators: list[dict[str, Any]] = [
        dict(row)
        for row in (
            Indikator.objects.filter(periode=periode).values(
                "pk",
                "jenis",
                "satuan",
                "formulasi",
                "makna",
                "sumber_data",
                "penanggung_jawab",
                "baseline_nilai",
                "sasaran_id",
            )
        )
    ]
    ids = [i["pk"] for i in indicators]
    # The IKU a year is measured by: the sasaran's (as the LAKIP and the PK count them).
    iku = [i for i in indicators if i["jenis"] == Jenis.IKU and i["sasaran_id"]]
    iku_ids = {i["pk"] for i in iku}
    targets: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for row in Target.objects.filter(
        indikator_id__in=ids, tahun__in=[tahun, periode.tahun_akhir]
    ).values("indikator_id", "tahun", "jenis"):
        targets[row["indikator_id"]].add((row["tahun"], row["jenis"]))
    realised: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for done in Realisasi.objects.filter(indikator_id__in=ids, tahun__in=[tahun, tahun - 1]).values(
        "indikator_id", "tahun", "periode"
    ):
        realised[done["indikator_id"]].add((done["tahun"], done["periode"]))
    quarterly = set(
        TargetTriwulan.objects.filter(indikator_id__in=ids, tahun=tahun).values_list(
            "indikator_id", flat=True
        )
    )
    budget = Anggaran.objects.filter(periode=periode, tahun=tahun, program__isnull=False).aggregate(
        pagu=Sum("pagu"), realisasi=Sum("realisasi")
    )
    compared = set(
        Pembanding.objects.filter(indikator_id__in=ids).values_list("indikator_id", flat=True)
    )
    final = (
        LakipVersi.objects.filter(opd=opd, tahun=tahun)
        .order_by("nomor")
        .values("nomor", "dibuat_pada")
        .first()
    )
    reviewed = (
        CatatanReviu.objects.filter(opd=opd, tahun=tahun)
        .values_list("dibuat_pada", flat=True)
        .first()
    )

    pk_kinds = {JenisTarget.PK, JenisTarget.PK_PERUBAHAN}
    with_pk = [i for i in iku_ids if any(t == tahun and j in pk_kinds for t, j in targets[i])]
    yt(
        "1.a.4",
        bool(with_pk),
        f"Target Perjanjian Kinerja {tahun} untuk {_pct(len(with_pk), len(iku))} IKU",
    )
    planned = [i for i in with_pk if i in quarterly]
    yt(
        "1.a.5",
        bool(planned),
        f"Rencana aksi (target triwulan) {tahun} untuk {_pct(len(planned), len(with_pk))} "
        "IKU ber-PK",
    )
    yt(
        "1.a.6",
        bool(budget["pagu"]),
        f"Anggaran program {tahun}: Rp {format_number(budget['pagu'] or 0, 0)}"
        if budget["pagu"]
        else f"Belum ada anggaran program tahun {tahun}",
    )
    defined = [
        i
        for i in iku
        if all(
            str(i[f] or "").strip()
            for f in ("satuan", "formulasi", "sumber_data", "penanggung_jawab")
        )
        and i["baseline_nilai"] is not None
        and any(t == tahun for t, _j in targets[i["pk"]])
    ]
    ae(
        "1.b.5",
        len(defined),
        len(iku),
        "IKU dengan satuan, formula, sumber data, penanggung jawab, baseline dan target",
    )
    operational = [
        i for i in indicators if str(i["formulasi"] or "").strip() and str(i["makna"] or "").strip()
    ]
    ae(
        "2.a.2",
        len(operational),
        len(indicators),
        "Indikator dengan definisi operasional (makna dan formula)",
    )
    sourced = [
        i
        for i in indicators
        if str(i["sumber_data"] or "").strip() and str(i["penanggung_jawab"] or "").strip()
    ]
    ae("2.a.3", len(sourced), len(indicators), "Indikator dengan sumber data dan penanggung jawab")
    quarters = {Periode.TW1, Periode.TW2, Periode.TW3, Periode.TW4}
    with_quarters = [i for i in quarterly if {p for t, p in realised[i] if t == tahun} >= quarters]
    ae(
        "2.b.4",
        len(with_quarters),
        len(quarterly),
        f"Indikator triwulanan dengan realisasi keempat triwulan {tahun}",
    )
    recorded = [i for i in iku_ids if any(t == tahun for t, _p in realised[i])]
    ae("2.b.6", len(recorded), len(iku), f"IKU dengan realisasi {tahun} tercatat di Kinerja")
    measured = [i for i in recorded if any(t == tahun for t, _j in targets[i])]
    ae(
        "2.b.7",
        len(measured),
        len(iku),
        f"IKU yang capaiannya dihitung Kinerja (target dan realisasi {tahun})",
    )
    yt(
        "3.a.1",
        bool(recorded),
        f"LKjIP {tahun} disusun dari data Kinerja ({len(recorded)} IKU berrealisasi)",
    )
    yt(
        "3.a.3",
        final is not None,
        f"LKjIP {tahun} final versi {final['nomor']}, {final['dibuat_pada']:%d-%m-%Y}"
        if final
        else f"LKjIP {tahun} belum final",
    )
    yt(
        "3.a.4",
        reviewed is not None,
        f"Direviu Inspektorat {reviewed:%d-%m-%Y}"
        if reviewed
        else "Belum ada catatan reviu Inspektorat",
    )
    if opd.pemda is not None:
        due = due_date(opd.pemda, tahun)
        on_time = final is not None and final["dibuat_pada"].date() <= due
        yt(
            "3.a.6",
            on_time,
            f"Tenggat {due:%d-%m-%Y}; "
            + (f"final {final['dibuat_pada']:%d-%m-%Y}" if final else "belum final"),
        )
    ae("3.b.3", len(measured), len(iku), f"IKU dengan target dan realisasi {tahun} dibandingkan")
    medium = [
        i
        for i in iku_ids
        if any(t == periode.tahun_akhir for t, _j in targets[i]) and i in recorded
    ]
    ae(
        "3.b.4",
        len(medium),
        len(iku),
        f"IKU dibandingkan dengan target akhir Renstra {periode.tahun_akhir}",
    )
    history = [i for i in recorded if any(t == tahun - 1 for t, _p in realised[i])]
    ae("3.b.5", len(history), len(iku), f"IKU dibandingkan dengan realisasi {tahun - 1}")
    benchmarked = [i for i in iku_ids if i in compared]
    ae("3.b.6", len(benchmarked), len(iku), "IKU dengan nilai pembanding wilayah lain")
    absorbed = bool(budget["pagu"]) and budget["realisasi"] is not None
    out["3.b.8"] = Proposal(
        "3.b.8",
        "A" if absorbed else "E",
        "Analisis efisiensi dari anggaran dan realisasi program"
        if absorbed
        else "Tanpa realisasi anggaran, efisiensi tidak dapat dianalisis",
    )
    return out
