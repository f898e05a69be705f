"""The matcher's proposals for one Renstra's program, kegiatan and sub-kegiatan, read from the
database at a constant number of queries (three levels and the nomenclature)."""

from __future__ import annotations

from dataclasses import dataclass

from nomenklatur.matcher import Entry, Index, Item, Proposal, propose
from nomenklatur.models import Nomenklatur
from renstra.models import Kegiatan, Node, PeriodeRenstra, Program, SubKegiatan

LEVELS: tuple[tuple[type[Node], str], ...] = (
    (Program, "program"),
    (Kegiatan, "kegiatan"),
    (SubKegiatan, "sub_kegiatan"),
)
MODELS = {tingkat: model for model, tingkat in LEVELS}


@dataclass(frozen=True)
class Row:
    node: Node
    tingkat: str
    proposal: Proposal

    @property
    def label(self) -> str:
        return str(type(self.node)._meta.verbose_name).capitalize()

    @property
    def key(self) -> str:
        """The checkbox value: level, id and the code shown now ("sub_kegiatan:12:")."""
        return f"{self.tingkat}:{self.node.pk}:{self.node.kode}"


def tree(periode: PeriodeRenstra) -> list[tuple[Node, Item]]:
    """The period's nodes in tree order, each with its matcher item (key = (level, id))."""
    found: list[tuple[Node, Item]] = []
    for model, tingkat in LEVELS:
        for node in model._default_manager.filter(periode=periode).order_by("urutan", "pk"):
            field = model.PARENT_FIELD
            induk = None
            if field in ("program", "kegiatan"):
                induk = (field, getattr(node, f"{field}_id"))
            item = Item((tingkat, node.pk), tingkat, node.nama, node.kode, induk)
            found.append((node, item))
    # Parents before children is all the matcher needs; the page shows the tree's order.
    return found


def index() -> Index:
    return Index(
        Entry(kode, nama)
        for kode, nama in Nomenklatur.objects.filter(aktif=True).values_list("kode", "nama")
    )


def proposals(periode: PeriodeRenstra, *, ignore_codes: bool = False) -> list[Row]:
    """One row per node without a code (every node when ``ignore_codes``: the seed's check
    of what the matcher alone proposes), in tree order: program, its kegiatan, their
    sub-kegiatan."""
    nodes = tree(periode)
    items = [Item(i.key, i.tingkat, i.nama, "", i.induk) if ignore_codes else i for _, i in nodes]
    by_key = {i.key: n for n, i in nodes}
    rows = {p.item.key: Row(by_key[p.item.key], p.item.tingkat, p) for p in propose(items, index())}
    children: dict[object, list[object]] = {}
    for _, item in nodes:
        children.setdefault(item.induk, []).append(item.key)
    ordered: list[Row] = []

    def walk(key: object) -> None:
        if key in rows:
            ordered.append(rows[key])
        for child in children.get(key, []):
            walk(child)

    for key in children.get(None, []):
        walk(key)
    return ordered
