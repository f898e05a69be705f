"""A synthetic OPD of any size, for the benchmark and the constant-query tests."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from indicators.models import Indikator, Jenis, JenisTarget, Pembanding, Periode, Realisasi, Target
from renstra.models import (
    Anggaran,
    AnggaranPk,
    Bidang,
    Kegiatan,
    Opd,
    Pemda,
    PeriodeRenstra,
    Program,
    Sasaran,
    SubKegiatan,
    Tujuan,
)


def build_synthetic_opd(
    kode: str = "SINTETIS",
    *,
    sasaran: int = 10,
    programs: int = 60,
    indicators: int = 300,
    start: int = 2021,
    years: int = 6,
    seed: int = 7,
    pemda: Pemda | None = None,
) -> Opd:
    """Tujuan → sasaran → programs → one kegiatan → one sub-kegiatan each; indicators spread
    over every level; targets and realisasi for every year; budgets for every node."""
    rng = random.Random(seed)
    if pemda is None:
        pemda, _ = Pemda.objects.get_or_create(kode="CONTOH", defaults={"nama": "Contoh"})
    opd = Opd.objects.create(kode=kode, nama=f"Dinas Sintetis {kode}", singkatan=kode, pemda=pemda)
    bidang = [Bidang.objects.create(opd=opd, kode=f"B{i}", nama=f"Bidang {i}") for i in range(1, 6)]
    periode = PeriodeRenstra.objects.create(
        opd=opd, tahun_awal=start, tahun_akhir=start + years - 1
    )
    tujuan = Tujuan.objects.create(periode=periode, urutan=1, nama="Tujuan sintetis")
    sasaran_nodes = [
        Sasaran.objects.create(tujuan=tujuan, urutan=i, nama=f"Sasaran {i}", bidang=bidang[i % 5])
        for i in range(1, sasaran + 1)
    ]
    nodes: list[tuple[str, Any]] = [("sasaran", s) for s in sasaran_nodes]
    for i in range(1, programs + 1):
        s = sasaran_nodes[(i - 1) % sasaran]
        program = Program.objects.create(
            periode=periode, sasaran=s, urutan=i, nama=f"Program {i}", bidang=bidang[i % 5]
        )
        kegiatan = Kegiatan.objects.create(program=program, urutan=1, nama=f"Kegiatan {i}.1")
        sub = SubKegiatan.objects.create(kegiatan=kegiatan, urutan=1, nama=f"Sub kegiatan {i}.1.1")
        nodes += [("program", program), ("kegiatan", kegiatan), ("sub_kegiatan", sub)]
        for field, node in (("program", program), ("kegiatan", kegiatan), ("sub_kegiatan", sub)):
            pagu = Decimal(rng.randrange(50_000_000, 900_000_000))
            Anggaran.objects.create(
                **{field: node},
                tahun=start + years - 2,
                pagu=pagu,
                realisasi=(pagu * Decimal(rng.randrange(70, 100)) / 100).quantize(Decimal(1)),
            )
    for s in sasaran_nodes:
        AnggaranPk.objects.create(sasaran=s, tahun=start + years - 2, jumlah=Decimal(1_000_000_000))
    targets, realisasi = [], []
    for n in range(indicators):
        level, node = nodes[n % len(nodes)]
        ind = Indikator.objects.create(
            **{level: node},
            urutan=n + 1,
            nama=f"Indikator {n + 1}",
            satuan="%",
            jenis=Jenis.IKU if level == "sasaran" else Jenis.IK,
            polaritas="negatif" if n % 7 == 0 else "positif",
        )
        for y in range(start, start + years):
            target = Decimal(rng.randrange(50, 100))
            targets.append(Target(indikator=ind, tahun=y, jenis=JenisTarget.RENSTRA, nilai=target))
            if y < start + years - 1:
                realisasi.append(
                    Realisasi(
                        indikator=ind,
                        tahun=y,
                        periode=Periode.TAHUNAN,
                        nilai=target + Decimal(rng.randrange(-20, 20)),
                        capaian_dilaporkan=Decimal(rng.randrange(60, 120)),
                    )
                )
        if level == "sasaran":
            Pembanding.objects.create(
                indikator=ind, tahun=start + 3, wilayah="Kabupaten Tetangga", nilai=Decimal(75)
            )
    Target.objects.bulk_create(targets)
    Realisasi.objects.bulk_create(realisasi)
    return opd
