"""What Kinerja can answer of the LKE itself: for the criteria the plan's data decides
(shared/lke/README.md, "What a system that holds the plan can answer"), a proposed answer
with the figures behind it, recomputed from the data on every read, at a fixed number of
queries. The evaluator confirms or overrides it; a share becomes A–E by the instrument's
thresholds (data, shown beside the proposal)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from common.numbers import format_number
from dokumen import esr
from dokumen.models import DokumenRegister, JenisDokumen
from dokumen.register import row_for
from indicators.engine import (
    DEFAULT_AGGREGATE_BOUNDS,
    EFISIEN,
    BudgetNode,
    CapaianResult,
    EfficiencyMethod,
    NegativeMethod,
    Polarity,
    aggregate,
    budget_link,
    compute_capaian,
    efisiensi,
    penyerapan,
)
from indicators.models import (
    QUARTERS,
    TARGET_PRECEDENCE,
    Indikator,
    Jenis,
    JenisTarget,
    Pembanding,
    PengaturanOpd,
    Periode,
    Realisasi,
    Target,
    TargetTriwulan,
)
from kabupaten.reader import due_date
from renstra.models import (
    Anggaran,
    Eselon,
    JenisOpd,
    Kegiatan,
    Opd,
    Pejabat,
    PeriodeRenstra,
    Program,
)
from reporting.models import CatatanReviu, LakipVersi

from .models import Evaluasi, Rekomendasi, Verifikasi
from .scoring import Instrument, grade, score


@dataclass(frozen=True)
class Proposal:
    kode: str
    jawaban: str
    alasan: str  # the figures behind it, in Indonesian
    tautan: str = ""  # the page with the evidence (a reversed URL), when Kinerja has one


def _share(part: int, whole: int) -> Decimal:
    return Decimal(part * 100) / whole if whole else Decimal(0)


def _pct(part: int, whole: int) -> str:
    return f"{part} dari {whole} ({format_number(_share(part, whole))} %)"


# 1.b.7: a target is "dapat dicapai, menantang dan realistis" when the capaian it produced lies
# in this band: below it the target was out of reach, above it too easy. (The A–E thresholds are
# data on the instrument; this band is the reading of the criterion, stated with the figures.)
BAND_REALISTIS = (Decimal(80), Decimal(120))
# A quarter's realisasi is on time when first recorded within this many days after the quarter
# ends (the monitoring of the rencana aksi is monthly-to-quarterly; the kabupaten's own
# reporting calendar asks for it by the tenth of the next month in most Pemda, and fifteen
# days leaves the kabid the slack of a week-end and a holiday).
QUARTER_DUE_DAYS = 15
QUARTER_ENDS = {
    Periode.TW1: (3, 31),
    Periode.TW2: (6, 30),
    Periode.TW3: (9, 30),
    Periode.TW4: (12, 31),
}


def _result(indicator: Mapping[str, Any], target: Any, realisasi: Any) -> CapaianResult | None:
    """The engine's result for one indicator and year (the same formula as the report)."""
    if target is None or realisasi is None:
        return None
    return compute_capaian(
        target=target,
        realisasi=realisasi,
        polarity=Polarity(indicator["polaritas"]),
        method=NegativeMethod(indicator["metode_negatif"]),
    )


def _capaian(indicator: Mapping[str, Any], target: Any, realisasi: Any) -> Decimal | None:
    """The engine's capaian of one IKU and year, or None."""
    result = _result(indicator, target, realisasi)
    return result.capaian if result is not None else None


def quarter_due(tahun: int, periode: str) -> datetime.date:
    month, day = QUARTER_ENDS[Periode(periode)]
    return datetime.date(tahun, month, day) + datetime.timedelta(days=QUARTER_DUE_DAYS)


def propose(
    opd: Opd,
    tahun: int,
    thresholds: Mapping[str, Decimal],
    instrument: Instrument | None = None,
    today: datetime.date | None = None,
) -> dict[str, Proposal]:
    """Queries: 16 whatever the number of indicators, OPDs or answers — period, indicators,
    targets, realisasi, quarterly targets, budgets, comparisons, final LAKIP, review note,
    officials with their programs/activities, register entries, indicator history, the Pemda's
    OPDs with their evaluation, the OPD's evaluations with their answers, last year's
    recommendations, when each quarter's realisasi was first recorded (+1 for the OPD's Pemda
    when not selected with it).

    ``instrument`` (the evaluation's) lets 4.c.2 score last year's answers and this year's on
    one scale; without it 4.c.2 is not proposed."""
    out: dict[str, Proposal] = {}

    def yt(kode: str, yes: bool, alasan: str, tautan: str = "") -> None:
        out[kode] = Proposal(kode, "Y" if yes else "T", alasan, tautan)

    def ae(kode: str, part: int, whole: int, what: str) -> None:
        out[kode] = Proposal(
            kode, grade(thresholds, _share(part, whole)), f"{what}: {_pct(part, whole)}"
        )

    # The OPD's efficiency method and aggregate range (as its LAKIP's Tabel 3.41 uses them)
    # read with the period: no query of their own.
    settings = PengaturanOpd.objects.filter(opd_id=OuterRef("opd_id"))
    periode = (
        PeriodeRenstra.objects.filter(opd=opd, tahun_awal__lte=tahun, tahun_akhir__gte=tahun)
        .annotate(
            metode_efisiensi=Subquery(settings.values("metode_efisiensi")[:1]),
            batas_bawah=Subquery(settings.values("agregat_batas_bawah")[:1]),
            batas_atas=Subquery(settings.values("agregat_batas_atas")[:1]),
        )
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
                "program_id",
                "kegiatan_id",
                "sub_kegiatan_id",
                "polaritas",
                "metode_negatif",
            )
        )
    ]
    ids = [i["pk"] for i in indicators]
    # The IKU a year is measured by: the sasaran's (as the LAKIP and the PK count them).
    iku = [i for i in indicators if i["jenis"] == Jenis.IKU and i["sasaran_id"]]
    iku_ids = {i["pk"] for i in iku}
    targets: dict[int, set[tuple[int, str]]] = defaultdict(set)
    # The effective target of (indikator, tahun): PK Perubahan, else PK, else Renstra.
    rank = {kind: i for i, kind in enumerate(TARGET_PRECEDENCE)}
    target_value: dict[tuple[int, int], tuple[int, Any]] = {}
    for row in Target.objects.filter(
        indikator_id__in=ids, tahun__in=[tahun - 1, tahun, periode.tahun_akhir]
    ).values("indikator_id", "tahun", "jenis", "nilai", "nilai_teks"):
        if row["tahun"] in (tahun, periode.tahun_akhir):
            targets[row["indikator_id"]].add((row["tahun"], row["jenis"]))
        key = (row["indikator_id"], row["tahun"])
        value = row["nilai"] if row["nilai"] is not None else (row["nilai_teks"] or None)
        mine = rank[JenisTarget(row["jenis"])]
        if key not in target_value or mine < target_value[key][0]:
            target_value[key] = (mine, value)
    realised: dict[int, set[tuple[int, str]]] = defaultdict(set)
    annual: dict[tuple[int, int], Any] = {}
    analysed: set[int] = set()  # IKU whose last-year realisasi carries its analysis
    for done in Realisasi.objects.filter(indikator_id__in=ids, tahun__in=[tahun, tahun - 1]).values(
        "indikator_id", "tahun", "periode", "nilai", "nilai_teks", "tidak_tersedia", "analisis"
    ):
        realised[done["indikator_id"]].add((done["tahun"], done["periode"]))
        if done["periode"] == Periode.TAHUNAN and not done["tidak_tersedia"]:
            annual[(done["indikator_id"], done["tahun"])] = (
                done["nilai"] if done["nilai"] is not None else (done["nilai_teks"] or None)
            )
        if done["tahun"] == tahun - 1 and str(done["analisis"] or "").strip():
            analysed.add(done["indikator_id"])
    quarterly = set(
        TargetTriwulan.objects.filter(indikator_id__in=ids, tahun=tahun).values_list(
            "indikator_id", flat=True
        )
    )
    # The year's budget rows with the nodes above each (one query): the programs' total for
    # 1.a.6, the finest rows against the nodes with an indicator for 1.c.1.
    budget_rows = list(
        Anggaran.objects.filter(periode=periode, tahun=tahun).values_list(
            "program_id",
            "kegiatan_id",
            "kegiatan__program_id",
            "sub_kegiatan_id",
            "sub_kegiatan__kegiatan_id",
            "sub_kegiatan__kegiatan__program_id",
            "pagu",
            "realisasi",
        )
    )
    spent = [r[7] for r in budget_rows if r[0] and r[7] is not None]
    budget = {
        "pagu": sum((r[6] for r in budget_rows if r[0]), Decimal(0)) or None,
        "realisasi": sum(spent, Decimal(0)) if spent else None,
    }
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
    # The units below the head (eselon III and IV) with a performance plan of their own: the
    # programs (eselon III) and activities (eselon IV) they answer for in the Renstra.
    officials = list(
        Pejabat.objects.filter(opd=opd, aktif=True, eselon__in=[Eselon.III, Eselon.IV])
        .annotate(
            berkinerja=Exists(
                Program.objects.filter(periode=periode, penanggung_jawab=OuterRef("pk"))
            )
            | Exists(Kegiatan.objects.filter(periode=periode, penanggung_jawab=OuterRef("pk")))
        )
        .values("eselon", "berkinerja")
    )
    register = {
        e.jenis: e
        for e in DokumenRegister.objects.filter(
            opd=opd, tahun=tahun, jenis__in=[*PLANNING_DOCUMENTS, JenisDokumen.LAPORAN_KINERJA]
        )
    }
    # Each IKU's names and kinds over its recorded history (simple_history rows).
    iku_versions: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for hid, nama, jenis in Indikator.history.filter(id__in=sorted(iku_ids)).values_list(
        "id", "nama", "jenis"
    ):
        iku_versions[hid].add((nama, jenis))
    pemda_opds = list(
        Opd.objects.filter(
            Q(pemda_id=opd.pemda_id, jenis=JenisOpd.OPD) if opd.pemda_id else Q(pk=opd.pk)
        )
        .annotate(dievaluasi=Exists(Evaluasi.objects.filter(opd=OuterRef("pk"), tahun=tahun)))
        .values_list("dievaluasi", flat=True)
    )
    # The OPD's evaluations of this year and last, with their answers (an evaluation without
    # any answer comes as one row with kode None).
    evaluations: dict[int, dict[str, tuple[str, str]]] = {}
    for ev_tahun, kode, usulan, penetapan in Evaluasi.objects.filter(
        opd=opd, tahun__in=[tahun, tahun - 1]
    ).values_list(
        "tahun", "jawaban_set__kriteria__kode", "jawaban_set__usulan", "jawaban_set__penetapan"
    ):
        answers = evaluations.setdefault(ev_tahun, {})
        if kode is not None:
            answers[kode] = (usulan, penetapan)
    recommendations = list(
        Rekomendasi.objects.filter(evaluasi__opd=opd, evaluasi__tahun=tahun - 1).values_list(
            "verifikasi", flat=True
        )
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
    link = budget_link(
        [
            BudgetNode(chain=_budget_chain(row), nama="", kode="", pagu=row[6])
            for row in budget_rows
        ],
        {
            (level, i[f"{level}_id"])
            for i in indicators
            for level in ("program", "kegiatan", "sub_kegiatan")
            if i[f"{level}_id"]
        },
    )
    if link.share_served is not None:
        out["1.c.1"] = Proposal(
            "1.c.1",
            grade(thresholds, link.share_served),
            f"Anggaran {tahun} yang membiayai program/kegiatan/sub kegiatan berindikator: "
            f"Rp {format_number(link.served, 0)} dari Rp {format_number(link.total, 0)} "
            f"({format_number(link.share_served, 2)} %)",
        )
    efficiency = _program_efficiency(periode, tahun, budget_rows, indicators, target_value, annual)
    if efficiency is not None:
        efisien, assessed = efficiency
        out["2.c.8"] = Proposal(
            "2.c.8",
            grade(thresholds, _share(efisien, assessed)),
            f"Program yang efisien ({tahun}, Tabel 3.41): {_pct(efisien, assessed)}",
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
    # 1.c.4: the rencana aksi is monitored when each ended quarter's realisasi of its
    # indicators is recorded on time (first entry, from the history: a later correction does
    # not make it late).
    today = today or datetime.date.today()
    ended = [q for q in QUARTER_ENDS if quarter_due(tahun, q) <= today]
    first_recorded = {
        (row["indikator_id"], row["periode"]): row["first"]
        # A subquery rather than the ids read above, so the query runs (and counts) the same
        # with no rencana aksi at all.
        for row in Realisasi.history.model.objects.filter(
            indikator_id__in=TargetTriwulan.objects.filter(
                indikator__periode=periode, tahun=tahun
            ).values("indikator_id"),
            tahun=tahun,
            periode__in=ended,
        )
        .values("indikator_id", "periode")
        .annotate(first=Min("history_date"))
    }
    due_pairs = [(i, q) for i in sorted(quarterly) for q in ended]
    quarters_on_time = [
        pair
        for pair in due_pairs
        if pair in first_recorded
        and timezone.localdate(first_recorded[pair]) <= quarter_due(tahun, pair[1])
    ]
    if due_pairs:
        ae(
            "1.c.4",
            len(quarters_on_time),
            len(due_pairs),
            f"Realisasi triwulan {tahun} rencana aksi tercatat tepat waktu "
            f"(≤ {QUARTER_DUE_DAYS} hari setelah triwulan berakhir)",
        )
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
        delivered = final is not None and final["dibuat_pada"].date() <= due
        yt(
            "3.a.6",
            delivered,
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

    with_plan = [o for o in officials if o["berkinerja"]]
    ae(
        "1.a.7",
        len(with_plan),
        len(officials),
        "Pejabat eselon III/IV dengan kinerja program/kegiatan yang ditetapkan",
    )
    # "Published on time" compares the publication with the due date; today only matters
    # for a late unpublished one, which is not published either way.
    day = datetime.date.today()
    rows = {j: row_for(opd, tahun, j, register.get(j), day) for j in PLANNING_DOCUMENTS}
    formal = [j for j in PLANNING_DOCUMENTS if rows[j].ditetapkan]
    register_page = reverse("register:register_opd", args=[tahun, opd.kode])
    yt(
        "1.b.1",
        len(formal) == len(PLANNING_DOCUMENTS),
        _documents(f"Dokumen perencanaan {tahun} ditetapkan (nomor, tanggal, pindaian)", formal),
        register_page,
    )
    on_time = [j for j in PLANNING_DOCUMENTS if rows[j].status == esr.Status.DIPUBLIKASIKAN]
    yt(
        "1.b.2",
        len(on_time) == len(PLANNING_DOCUMENTS),
        _documents(f"Dokumen perencanaan {tahun} dipublikasikan tepat waktu", on_time),
        register_page,
    )
    kept = [
        i
        for i in iku_ids
        if {j for _n, j in iku_versions[i]} <= {Jenis.IKU}
        and len({n for n, _j in iku_versions[i]}) <= 1
    ]
    ae(
        "1.b.6",
        len(kept),
        len(iku),
        f"IKU yang tidak diganti (nama dan jenis tetap) dalam periode "
        f"{periode.tahun_awal}–{periode.tahun_akhir}",
    )
    by_id = {i["pk"]: i for i in iku}

    def capaian(i: int, year: int) -> Decimal | None:
        target = target_value.get((i, year))
        return _capaian(by_id[i], target[1] if target else None, annual.get((i, year)))

    low, high = BAND_REALISTIS
    history_of = {
        i: [c for c in (capaian(i, tahun - 1), capaian(i, tahun)) if c is not None] for i in iku_ids
    }
    realistic = [
        i for i in iku_ids if history_of[i] and all(low <= c <= high for c in history_of[i])
    ]
    ae(
        "1.b.7",
        len(realistic),
        len(iku),
        f"IKU dengan capaian {tahun - 1}–{tahun} dalam rentang "
        f"{format_number(low, 0)}–{format_number(high, 0)} %",
    )
    achieved = [i for i in iku_ids if (c := capaian(i, tahun)) is not None and c >= 100]
    ae("1.c.3", len(achieved), len(iku), f"IKU dengan capaian {tahun} mencapai 100 % atau lebih")
    ae(
        "1.c.5",
        len(analysed & iku_ids),
        len(iku),
        f"IKU dengan analisis capaian {tahun - 1} sebagai dasar perbaikan rencana {tahun}",
    )
    levels = (
        ("sasaran", "sasaran_id"),
        ("program", "program_id"),
        ("kegiatan", "kegiatan_id"),
        ("subkegiatan", "sub_kegiatan_id"),
    )
    level_parts: list[str] = []
    monitored = total = 0
    for name, field in levels:
        at_level = [i["pk"] for i in indicators if i[field]]
        done_level = [i for i in at_level if any(t == tahun for t, _p in realised[i])]
        if at_level:
            level_parts.append(f"{name} {len(done_level)}/{len(at_level)}")
        monitored += len(done_level)
        total += len(at_level)
    out["2.b.5"] = Proposal(
        "2.b.5",
        grade(thresholds, _share(monitored, total)),
        f"Indikator dengan realisasi {tahun} di setiap level ({', '.join(level_parts) or '-'}): "
        f"{_pct(monitored, total)}",
    )
    reported = [q for q in QUARTERS if any((tahun, q) in realised[i] for i in ids)]
    ae("3.a.2", len(reported), len(QUARTERS), f"Triwulan {tahun} dengan realisasi tercatat")
    laporan = row_for(
        opd, tahun, JenisDokumen.LAPORAN_KINERJA, register.get(JenisDokumen.LAPORAN_KINERJA), day
    )
    yt(
        "3.a.5",
        laporan.published,
        f"LKjIP {tahun} dipublikasikan {laporan.entry.tanggal_publikasi:%d-%m-%Y}"
        if laporan.published and laporan.entry is not None
        else f"LKjIP {tahun} belum dipublikasikan di Register Dokumen",
        register_page,
    )
    evaluated = sum(1 for e in pemda_opds if e)
    for kode in ("4.a.2", "4.b.4"):
        ae(kode, evaluated, len(pemda_opds), f"Perangkat daerah dengan evaluasi AKIP {tahun}")
    current = evaluations.get(tahun)
    if current is None:
        out["4.b.5"] = Proposal("4.b.5", "E", f"Belum ada evaluasi {tahun} di Kinerja")
    else:
        criteria = len(instrument.criteria) if instrument is not None else len(current)
        answered = [k for k, (u, p) in current.items() if u or p]
        ae("4.b.5", len(answered), criteria, f"Kriteria LKE {tahun} dijawab di Kinerja")
    if recommendations:
        followed = [v for v in recommendations if v == Verifikasi.DITERIMA]
        ae(
            "4.c.1",
            len(followed),
            len(recommendations),
            f"Rekomendasi evaluasi {tahun - 1} ditindaklanjuti dan diterima Inspektorat",
        )
    last = evaluations.get(tahun - 1)
    if instrument is not None and current is not None and last is not None:
        # Each year's nilai on this year's instrument: the Inspektorat's answer where given,
        # else the OPD's (last year's is usually all Inspektorat's; this year's fills in).
        known = {c.kode for c in instrument.criteria}

        def nilai(answers: Mapping[str, tuple[str, str]]) -> Decimal:
            return score(
                instrument, {k: (p or u or None) for k, (u, p) in answers.items() if k in known}
            ).total

        before, after = nilai(last), nilai(current)
        trend = "naik" if after > before else "tetap" if after == before else "turun"
        out["4.c.2"] = Proposal(
            "4.c.2",
            {"naik": "A", "tetap": "C", "turun": "E"}[trend],
            f"Nilai AKIP {tahun} dibanding {tahun - 1}: {format_number(before)} → "
            f"{format_number(after)} ({trend})",
        )
    improved = [
        i
        for i in iku_ids
        if (c := capaian(i, tahun)) is not None
        and (b := capaian(i, tahun - 1)) is not None
        and c > b
    ]
    ae(
        "4.c.5",
        len(improved),
        len(iku),
        f"IKU dengan capaian {tahun} lebih tinggi dari {tahun - 1}",
    )
    return out


# The planning documents 1.b.1 and 1.b.2 ask to be formal and published on time: the
# Renstra, the year's IKU, the Perjanjian Kinerja and its Rencana Aksi.
PLANNING_DOCUMENTS = (
    JenisDokumen.RENSTRA,
    JenisDokumen.IKU,
    JenisDokumen.PERJANJIAN_KINERJA,
    JenisDokumen.RENCANA_AKSI,
)


def _program_efficiency(
    periode: Any,
    tahun: int,
    budget_rows: Sequence[tuple[Any, ...]],
    indicators: Sequence[Mapping[str, Any]],
    target_value: Mapping[tuple[int, int], tuple[int, Any]],
    annual: Mapping[tuple[int, int], Any],
) -> tuple[int, int] | None:
    """(programs efficient, programs whose efficiency can be computed) by the engine, as the
    LAKIP's Tabel 3.41 computes them: the mean capaian of each program's own indicators within
    the OPD's range, against its penyerapan, by the OPD's method. None when none can be."""
    method = EfficiencyMethod(periode.metode_efisiensi or EfficiencyMethod.RASIO)
    bounds = (
        (Decimal(periode.batas_bawah), Decimal(periode.batas_atas))
        if periode.batas_bawah is not None and periode.batas_atas is not None
        else DEFAULT_AGGREGATE_BOUNDS
    )
    by_program: dict[int, list[CapaianResult]] = defaultdict(list)
    for i in indicators:
        if i["program_id"]:
            target = target_value.get((i["pk"], tahun))
            result = _result(i, target[1] if target else None, annual.get((i["pk"], tahun)))
            if result is not None:
                by_program[i["program_id"]].append(result)
    efisien = assessed = 0
    for row in budget_rows:
        program, pagu, spent = row[0], row[6], row[7]
        if not program:
            continue
        value = efisiensi(
            capaian=aggregate(by_program[program], bounds=bounds).mean,
            penyerapan=penyerapan(pagu, spent),
            method=method,
            pagu=pagu,
            realisasi_anggaran=spent,
        )
        if value.value is not None:
            assessed += 1
            efisien += value.kategori == EFISIEN
    return (efisien, assessed) if assessed else None


def _budget_chain(row: tuple[Any, ...]) -> tuple[tuple[str, int], ...]:
    """A budget row (as read in :func:`propose`) → its node and the nodes above it."""
    program, kegiatan, kegiatan_program, sub, sub_kegiatan, sub_program = row[:6]
    if sub:
        return (("sub_kegiatan", sub), ("kegiatan", sub_kegiatan), ("program", sub_program))
    if kegiatan:
        return (("kegiatan", kegiatan), ("program", kegiatan_program))
    return (("program", program),)


def _documents(what: str, done: Sequence[int]) -> str:
    missing = [esr.TYPES[j] for j in PLANNING_DOCUMENTS if j not in done]
    return f"{what}: {len(done)} dari {len(PLANNING_DOCUMENTS)}" + (
        f"; belum: {', '.join(missing)}" if missing else ""
    )
