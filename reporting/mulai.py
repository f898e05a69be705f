"""The "Mulai" checklist: what a new OPD still lacks on its way to its first LAKIP, each step
read from the data (never ticked by hand, so it cannot claim what is not there)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse

from indicators.models import Indikator, Jenis, JenisTarget, Realisasi, Target
from renstra.models import Bidang, Opd, Penugasan, PeriodeRenstra

from .models import LakipVersi, PembuatanLaporan


@dataclass(frozen=True)
class Step:
    judul: str
    keterangan: str
    # (label, url) of the pages where the step is done.
    links: tuple[tuple[str, str], ...]
    done: bool


def setup_steps(opd_id: int, tahun: int) -> list[Step]:
    """The six steps from an empty OPD to its first draft LAKIP, in one query whatever the
    OPD's size (each step is an EXISTS on the OPD's row)."""
    opd = OuterRef("pk")
    iku = Indikator.objects.filter(periode__opd=opd, jenis=Jenis.IKU)
    flags = (
        Opd.objects.filter(pk=opd_id)
        .annotate(
            periode=Exists(PeriodeRenstra.objects.filter(opd=opd)),
            iku=Exists(iku),
            target=Exists(Target.objects.filter(indikator__periode__opd=opd)),
            bidang=Exists(Bidang.objects.filter(opd=opd)),
            # A kabid account is an assignment to one of the OPD's bidang.
            kabid=Exists(Penugasan.objects.filter(opd=opd, bidang__isnull=False)),
            pk_target=Exists(
                Target.objects.filter(
                    indikator__periode__opd=opd,
                    jenis__in=(JenisTarget.PK, JenisTarget.PK_PERUBAHAN),
                )
            ),
            # The draft is built from the data at any time: it is a first LAKIP once an IKU
            # has a realisasi to report (or a report was already generated or finalised).
            iku_realisasi=Exists(
                Realisasi.objects.filter(indikator__periode__opd=opd, indikator__jenis=Jenis.IKU)
            ),
            generated=Exists(PembuatanLaporan.objects.filter(opd=opd)),
            final=Exists(LakipVersi.objects.filter(opd=opd)),
        )
        .values(
            "periode",
            "iku",
            "target",
            "bidang",
            "kabid",
            "pk_target",
            "iku_realisasi",
            "generated",
            "final",
        )
        .first()
    )
    if flags is None:
        return []
    return [
        Step(
            "Periode Renstra",
            "Tambahkan periode Renstra OPD (mis. 2025–2029).",
            (("Tambah periode", reverse("admin:renstra_perioderenstra_add")),),
            bool(flags["periode"]),
        ),
        Step(
            "Pohon kinerja dan IKU",
            "Impor keputusan IKU/IK, atau susun sasaran di bawah tiap tujuan lalu indikator "
            "(jenis IKU) di halaman sasarannya.",
            # The tree is built top-down: a tujuan's page adds its sasaran, a sasaran's page
            # its indicators (the indicator list alone asks for a sasaran that is not there).
            (
                ("Impor keputusan IKU/IK", reverse("admin:indicators_indikator_decree")),
                ("Tujuan dan sasaran", reverse("admin:renstra_tujuan_changelist")),
                ("Indikator", reverse("admin:indicators_indikator_changelist")),
            ),
            bool(flags["iku"]),
        ),
        Step(
            "Target",
            "Isi target tiap indikator per tahun Renstra.",
            (("Target", reverse("admin:indicators_target_changelist")),),
            bool(flags["target"]),
        ),
        Step(
            "Bidang dan akun kabid",
            "Tambahkan bidang OPD, tetapkan sebagai bidang penanggung jawab tujuan atau "
            "sasarannya (realisasi diisi kabid bidang itu), lalu buat akun kabidnya.",
            # The perencana makes the kabid account (it once said "dibuat admin" and linked
            # to a page that could only reset passwords: a new OPD stopped here).
            (
                ("Tambah bidang", reverse("admin:renstra_bidang_add")),
                ("Tujuan dan sasaran", reverse("admin:renstra_tujuan_changelist")),
                ("Akun kabid baru", reverse("account_kabid_new")),
            ),
            bool(flags["bidang"]) and bool(flags["kabid"]),
        ),
        Step(
            "Perjanjian Kinerja",
            "Isi target Perjanjian Kinerja (jenis target PK) tahun berjalan.",
            (("Target", reverse("admin:indicators_target_add")),),
            bool(flags["pk_target"]),
        ),
        Step(
            "Draf LAKIP pertama",
            "Setelah realisasi IKU tercatat, buka draf LAKIP.",
            (("LAKIP", reverse("lakip", args=[tahun])),),
            bool(flags["iku_realisasi"] or flags["generated"] or flags["final"]),
        ),
    ]
