"""What the signed documents say, read from the plan: the Perjanjian Kinerja of an official
(and its Perubahan), the Rencana Aksi, the SK IKU's decree table and the cascading check's
nodes — each in a fixed number of queries, as plain dataclasses the builders lay out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch

from indicators.models import QUARTERS, Indikator, JenisTarget, Target, TargetTriwulan
from indicators.selectors import places_for
from renstra.models import (
    Anggaran,
    AnggaranPk,
    Eselon,
    Kegiatan,
    Opd,
    Pejabat,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
)

from .cascading import CascadeNode, CascadeResult, check_cascading

NO_PERUBAHAN = (
    "Belum ada target PK Perubahan tahun {tahun} untuk {siapa}; Perjanjian Kinerja Perubahan "
    "hanya dibuat bila targetnya sudah diisi (jenis target “PK Perubahan”)."
)


class DocumentRefused(ValidationError):
    """A document that cannot be made (no period, no PK Perubahan targets, no such official),
    with the reason in Indonesian."""


# --- the parties ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pihak:
    nama: str
    jabatan: str
    pangkat: str = ""
    nip: str | None = None  # None: no NIP line (an elected kepala daerah has none)


@dataclass(frozen=True)
class PkLine:
    """One row of the PK's lampiran: an indicator of the node with its target."""

    no: int | str  # printed on the node's first row only ("" below it)
    node: str
    indikator: str
    target: Decimal | str | None
    satuan: str
    places: int


@dataclass(frozen=True)
class BudgetLine:
    nama: str
    jumlah: Decimal


@dataclass
class PkData:
    opd: Opd
    tahun: int
    perubahan: bool
    eselon: str
    pertama: Pihak
    kedua: Pihak
    tempat: str
    node_label: str  # "Sasaran" | "Program" | "Kegiatan"
    lines: list[PkLine]
    budget_label: str  # "Program" | "Kegiatan"
    budget: list[BudgetLine]
    # The budget the PK commits per sasaran (AnggaranPk), the Kepala Dinas's PK only.
    budget_pk: list[BudgetLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((b.jumlah for b in self.budget), Decimal(0))

    @property
    def total_pk(self) -> Decimal:
        return sum((b.jumlah for b in self.budget_pk), Decimal(0))


def periode_for(opd: Opd, tahun: int) -> PeriodeRenstra:
    periode = (
        PeriodeRenstra.objects.filter(opd=opd, tahun_awal__lte=tahun, tahun_akhir__gte=tahun)
        .order_by("-tahun_awal")
        .first()
    )
    if periode is None:
        raise DocumentRefused(f"Tahun {tahun} di luar periode Renstra {opd}.")
    return periode


def pejabat_list(opd: Opd) -> list[Pejabat]:
    """The OPD's active officials, eselon II first (one query)."""
    return list(
        Pejabat.objects.filter(opd=opd, aktif=True)
        .select_related("bidang", "atasan")
        .order_by("eselon", "urutan", "id")
    )


def kepala_dinas(opd: Opd) -> Pejabat | None:
    return Pejabat.objects.filter(opd=opd, eselon=Eselon.II, aktif=True).first()


def _pihak(pejabat: Pejabat) -> Pihak:
    return Pihak(pejabat.nama, pejabat.jabatan, pejabat.pangkat, pejabat.nip)


def kepala_pihak(opd: Opd) -> Pihak:
    """The Kepala Dinas: the active eselon II official, else the OPD's head fields."""
    kepala = kepala_dinas(opd)
    if kepala is not None:
        return _pihak(kepala)
    sign = opd.penandatangan
    return Pihak(sign.nama, f"Kepala {opd.nama}", sign.pangkat, sign.nip)


def _kepala_daerah(opd: Opd) -> Pihak:
    pemda = opd.pemda
    if pemda is None:
        return Pihak("", "Kepala Daerah")
    return Pihak(pemda.kepala_daerah_nama, f"{pemda.kepala_daerah_jabatan} {pemda.nama}")


def _targets(ids: Sequence[int], tahun: int, perubahan: bool) -> dict[int, Target]:
    """The target each indicator promises: a PK's is its PK target (else the Renstra's); a
    PK Perubahan's its revised one (else the PK's, else the Renstra's)."""
    kinds = [JenisTarget.PK, JenisTarget.RENSTRA]
    if perubahan:
        kinds.insert(0, JenisTarget.PK_PERUBAHAN)
    rank = {k: i for i, k in enumerate(kinds)}
    chosen: dict[int, Target] = {}
    for t in Target.objects.filter(indikator_id__in=ids, tahun=tahun, jenis__in=kinds):
        current = chosen.get(t.indikator_id)
        if current is None or rank[JenisTarget(t.jenis)] < rank[JenisTarget(current.jenis)]:
            chosen[t.indikator_id] = t
    return chosen


def _lines(
    nodes: Iterable[Sasaran | Program | Kegiatan],
    targets: dict[int, Target],
) -> list[PkLine]:
    lines: list[PkLine] = []
    number = 0
    for node in nodes:
        indicators = list(node.indikator_set.all())
        if not indicators:
            continue
        number += 1
        label = f"{node.kode} {node.nama}".strip()
        for i, ind in enumerate(indicators):
            t = targets.get(ind.pk)
            value: Decimal | str | None = None
            if t is not None:
                value = t.nilai if t.nilai is not None else t.nilai_teks
            numbers = [value] if isinstance(value, Decimal) else []
            lines.append(
                PkLine(
                    no=number if i == 0 else "",
                    node=label if i == 0 else "",
                    indikator=ind.nama,
                    target=value,
                    satuan=ind.satuan,
                    places=places_for(ind, numbers),
                )
            )
    return lines


def _with_indicators(qs: Any) -> Any:
    return qs.prefetch_related(
        Prefetch("indikator_set", queryset=Indikator.objects.order_by("urutan", "id"))
    )


def pk_data(opd: Opd, tahun: int, pejabat: Pejabat | None = None, *, perubahan: bool) -> PkData:
    """The PK (or PK Perubahan) of ``pejabat`` for ``tahun``; None is the Kepala Dinas."""
    periode = periode_for(opd, tahun)
    if pejabat is not None and pejabat.opd_id != opd.pk:
        raise DocumentRefused("Pejabat ini bukan pejabat OPD tersebut.")
    eselon = pejabat.eselon if pejabat is not None else Eselon.II
    tempat = opd.tempat or (opd.pemda.tempat if opd.pemda_id else "")
    budget_pk: list[BudgetLine] = []
    nodes: list[Sasaran | Program | Kegiatan]
    if eselon == Eselon.II:
        pertama = _pihak(pejabat) if pejabat is not None else kepala_pihak(opd)
        kedua = _kepala_daerah(opd)
        nodes = list(
            _with_indicators(
                Sasaran.objects.filter(periode=periode).order_by("tujuan__urutan", "urutan", "id")
            )
        )
        node_label, budget_label = "Sasaran Strategis", "Program"
        budget_rows = Anggaran.objects.filter(program__periode=periode, tahun=tahun).select_related(
            "program"
        )
        budget = [
            BudgetLine(str(a.program), a.pagu)
            for a in sorted(budget_rows, key=lambda a: (a.program.urutan, a.program.pk))
        ]
        budget_pk = [
            BudgetLine(a.sasaran.nama, a.jumlah)
            for a in AnggaranPk.objects.filter(sasaran__periode=periode, tahun=tahun)
            .select_related("sasaran__tujuan")
            .order_by("sasaran__tujuan__urutan", "sasaran__urutan")
        ]
    else:
        assert pejabat is not None
        pertama = _pihak(pejabat)
        if pejabat.atasan_id is not None:
            kedua = _pihak(Pejabat.objects.get(pk=pejabat.atasan_id))
        elif eselon == Eselon.III:
            kedua = kepala_pihak(opd)
        else:
            raise DocumentRefused(f"{pejabat.nama} belum mempunyai atasan langsung.")
        model = Program if eselon == Eselon.III else Kegiatan
        node_label = budget_label = "Program" if eselon == Eselon.III else "Kegiatan"
        nodes = list(
            _with_indicators(
                model.objects.filter(periode=periode, penanggung_jawab=pejabat)
            ).order_by("urutan", "id")
        )
        field_name = "program" if eselon == Eselon.III else "kegiatan"
        amounts = {
            getattr(a, f"{field_name}_id"): a.pagu
            for a in Anggaran.objects.filter(**{f"{field_name}__in": nodes, "tahun": tahun})
        }
        budget = [BudgetLine(str(n), amounts[n.pk]) for n in nodes if n.pk in amounts]
    ids = [i.pk for n in nodes for i in n.indikator_set.all()]
    if (
        perubahan
        and not Target.objects.filter(
            indikator_id__in=ids, tahun=tahun, jenis=JenisTarget.PK_PERUBAHAN
        ).exists()
    ):
        raise DocumentRefused(NO_PERUBAHAN.format(tahun=tahun, siapa=pertama.nama or str(opd)))
    return PkData(
        opd=opd,
        tahun=tahun,
        perubahan=perubahan,
        eselon=eselon,
        pertama=pertama,
        kedua=kedua,
        tempat=tempat,
        node_label=node_label,
        lines=_lines(nodes, _targets(ids, tahun, perubahan)),
        budget_label=budget_label,
        budget=budget,
        budget_pk=budget_pk,
    )


def perubahan_officials(opd: Opd, tahun: int) -> set[int | None]:
    """The officials (their ids; None: the Kepala Dinas) whose PK has a PK Perubahan target in
    ``tahun``: one query, for the Dokumen page's links."""
    rows = Target.objects.filter(
        indikator__periode__opd=opd, tahun=tahun, jenis=JenisTarget.PK_PERUBAHAN
    ).values_list(
        "indikator__sasaran_id",
        "indikator__program__penanggung_jawab_id",
        "indikator__kegiatan__penanggung_jawab_id",
    )
    found: set[int | None] = set()
    for sasaran, program_pj, kegiatan_pj in rows:
        if sasaran is not None:
            found.add(None)
        for pj in (program_pj, kegiatan_pj):
            if pj is not None:
                found.add(pj)
    return found


# --- cascading --------------------------------------------------------------------------------


def cascading_nodes(opd: Opd, tahun: int) -> list[CascadeNode]:
    """The period's programs and kegiatan with their indicator counts and officials (two
    queries), in the Renstra's order."""
    periode = PeriodeRenstra.objects.filter(
        opd=opd, tahun_awal__lte=tahun, tahun_akhir__gte=tahun
    ).first()
    if periode is None:
        return []
    programs = list(
        Program.objects.filter(periode=periode)
        .select_related("penanggung_jawab")
        .annotate(n=Count("indikator_set"))
        .order_by("urutan", "id")
    )
    kegiatan: dict[int, list[Kegiatan]] = defaultdict(list)
    for k in (
        Kegiatan.objects.filter(periode=periode)
        .select_related("penanggung_jawab")
        .annotate(n=Count("indikator_set"))
        .order_by("urutan", "id")
    ):
        kegiatan[k.program_id].append(k)

    def node(level: str, n: Program | Kegiatan) -> CascadeNode:
        pj = n.penanggung_jawab
        return CascadeNode(
            level=level,
            pk=n.pk,
            kode=n.kode,
            nama=n.nama,
            n_indikator=n.n,
            pejabat=pj.nama if pj is not None else None,
            pejabat_aktif=pj.aktif if pj is not None else True,
        )

    out: list[CascadeNode] = []
    for p in programs:
        out.append(node("program", p))
        out.extend(node("kegiatan", k) for k in kegiatan.get(p.pk, []))
    return out


def cascading_check(opd: Opd, tahun: int) -> CascadeResult:
    """Every program and kegiatan with an indicator has its official (the evaluation's LKE
    1.a.7 and 1.b.8 call this): the orphans, listed."""
    return check_cascading(cascading_nodes(opd, tahun))


# --- rencana aksi -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AksiLine:
    no: int | str
    sasaran: str
    indikator: str
    satuan: str
    places: int
    tahunan: Decimal | str | None
    triwulan: tuple[Decimal | None, ...]


def rencana_aksi_lines(opd: Opd, tahun: int) -> list[AksiLine]:
    """The sasaran's indicators with the year's target (the PK's, a PK Perubahan's when
    revised) and the four quarterly targets (indicators.TargetTriwulan): three queries."""
    periode = periode_for(opd, tahun)
    sasaran = list(
        _with_indicators(
            Sasaran.objects.filter(periode=periode).order_by("tujuan__urutan", "urutan", "id")
        )
    )
    ids = [i.pk for s in sasaran for i in s.indikator_set.all()]
    annual = _targets(ids, tahun, perubahan=True)
    quarters: dict[tuple[int, str], Decimal] = {
        (t.indikator_id, t.periode): t.nilai
        for t in TargetTriwulan.objects.filter(indikator_id__in=ids, tahun=tahun)
    }
    lines: list[AksiLine] = []
    number = 0
    for s in sasaran:
        indicators = list(s.indikator_set.all())
        if not indicators:
            continue
        number += 1
        for i, ind in enumerate(indicators):
            t = annual.get(ind.pk)
            value: Decimal | str | None = None
            if t is not None:
                value = t.nilai if t.nilai is not None else t.nilai_teks
            tw = tuple(quarters.get((ind.pk, q)) for q in QUARTERS)
            numbers = [v for v in (value, *tw) if isinstance(v, Decimal)]
            lines.append(
                AksiLine(
                    no=number if i == 0 else "",
                    sasaran=s.nama if i == 0 else "",
                    indikator=ind.nama,
                    satuan=ind.satuan,
                    places=places_for(ind, numbers),
                    tahunan=value,
                    triwulan=tw,
                )
            )
    return lines


# --- SK IKU -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecreeRow:
    """One row of the decree's nine columns (intake.decree.COLUMNS, in its order)."""

    no: str
    nama: str
    indikator: str = ""
    makna: str = ""
    alasan: str = ""
    formulasi: str = ""
    referensi: str = ""
    sumber_data: str = ""
    penanggung_jawab: str = ""
    header: bool = False  # a program's header row in the kegiatan section

    @property
    def cells(self) -> tuple[str, ...]:
        return (
            self.no,
            self.nama,
            self.indikator,
            self.makna,
            self.alasan,
            self.formulasi,
            self.referensi,
            self.sumber_data,
            self.penanggung_jawab,
        )


@dataclass
class DecreeData:
    opd: Opd
    periode: PeriodeRenstra
    tujuan_sasaran: list[DecreeRow]
    program: list[DecreeRow]
    kegiatan: list[DecreeRow]


def _decree_rows(no: str, nama: str, indicators: Sequence[Indikator]) -> list[DecreeRow]:
    """A node's rows: its name on the first, continuation rows (empty name) for its other
    indicators — how the decree writes them and its parser reads them."""
    if not indicators:
        return [DecreeRow(no, nama)]
    return [
        DecreeRow(
            no if i == 0 else "",
            nama if i == 0 else "",
            ind.nama,
            ind.makna,
            ind.alasan,
            ind.formulasi,
            ind.referensi,
            ind.sumber_data,
            ind.penanggung_jawab,
        )
        for i, ind in enumerate(indicators)
    ]


def decree_data(opd: Opd, tahun: int) -> DecreeData:
    """The SK IKU's annex of the period containing ``tahun``: five queries."""
    periode = periode_for(opd, tahun)
    by = Prefetch("indikator_set", queryset=Indikator.objects.order_by("urutan", "id"))
    tujuan = list(
        Tujuan.objects.filter(periode=periode)
        .prefetch_related(
            by,
            Prefetch(
                "sasaran_set",
                queryset=Sasaran.objects.order_by("urutan", "id").prefetch_related(by),
            ),
        )
        .order_by("urutan", "id")
    )
    first: list[DecreeRow] = []
    for t in tujuan:
        first += _decree_rows(
            str(t.urutan), f"Tujuan {t.urutan} : {t.nama}", list(t.indikator_set.all())
        )
        for s in t.sasaran_set.all():
            first += _decree_rows("", f"Sasaran {s.urutan} : {s.nama}", list(s.indikator_set.all()))
    programs = list(
        Program.objects.filter(periode=periode)
        .prefetch_related(
            by,
            Prefetch(
                "kegiatan_set",
                queryset=Kegiatan.objects.order_by("urutan", "id").prefetch_related(
                    by,
                    Prefetch(
                        "sub_kegiatan_set",
                        queryset=SubKegiatan.objects.order_by("urutan", "id").prefetch_related(by),
                    ),
                ),
            ),
        )
        .order_by("urutan", "id")
    )
    program_rows: list[DecreeRow] = []
    kegiatan_rows: list[DecreeRow] = []
    for n, p in enumerate(programs, start=1):
        program_rows += _decree_rows(str(n), str(p), list(p.indikator_set.all()))
        if p.kegiatan_set.all():
            kegiatan_rows.append(DecreeRow("", str(p).upper(), header=True))
        for number, k in enumerate(p.kegiatan_set.all(), start=1):
            kegiatan_rows += _decree_rows(
                str(number), f"Kegiatan : {k}", list(k.indikator_set.all())
            )
            for sk in k.sub_kegiatan_set.all():
                kegiatan_rows += _decree_rows(
                    "", f"Sub Kegiatan : {sk}", list(sk.indikator_set.all())
                )
    return DecreeData(opd, periode, first, program_rows, kegiatan_rows)
