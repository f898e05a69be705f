"""The cascading check of the Perjanjian Kinerja berjenjang (pure, no Django): every program
and kegiatan that has an indicator has an official who promises it (LKE 1.a.7, 1.b.8)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LEVEL_LABELS = {"program": "Program", "kegiatan": "Kegiatan"}
# The eselon whose PK carries each level (PermenPANRB 53/2014: eselon III the programs,
# eselon IV the kegiatan).
LEVEL_ESELON = {"program": "III", "kegiatan": "IV"}


@dataclass(frozen=True)
class CascadeNode:
    """A program or kegiatan as the check sees it."""

    level: str  # "program" | "kegiatan"
    pk: int
    kode: str
    nama: str
    n_indikator: int
    pejabat: str | None  # the official's name; None when nobody is assigned
    pejabat_aktif: bool = True


@dataclass(frozen=True)
class Orphan:
    """A node with an indicator that no (active) official of its level promises."""

    level: str
    pk: int
    kode: str
    nama: str
    reason: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def label(self) -> str:
        return f"{self.kode} {self.nama}".strip()


@dataclass(frozen=True)
class CascadeResult:
    checked: int  # nodes with an indicator
    orphans: tuple[Orphan, ...]

    @property
    def selaras(self) -> bool:
        """Every node with an indicator has its official: cascaded to every level."""
        return not self.orphans

    @property
    def assigned(self) -> int:
        return self.checked - len(self.orphans)


def check_cascading(nodes: Iterable[CascadeNode]) -> CascadeResult:
    """The orphans, in the order the nodes are given (the Renstra's order). A node without
    an indicator promises nothing measurable and is not counted."""
    checked = 0
    orphans: list[Orphan] = []
    for node in nodes:
        if node.n_indikator <= 0:
            continue
        checked += 1
        eselon = LEVEL_ESELON.get(node.level, "")
        if node.pejabat is None:
            reason = f"belum ada pejabat eselon {eselon} penanggung jawab"
        elif not node.pejabat_aktif:
            reason = f"pejabat {node.pejabat} tidak aktif"
        else:
            continue
        orphans.append(Orphan(node.level, node.pk, node.kode, node.nama, reason))
    return CascadeResult(checked, tuple(orphans))
