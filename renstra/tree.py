"""The one order and path of the plan tree, used by pages, workbooks, the report and the CLI.

Two ways up from a node, both needed:

- the *structural* parent (``Node.parent``: sub-kegiatan → kegiatan → program; sasaran →
  tujuan) gives the Renstra order and the responsible bidang;
- the *plan* parent (:func:`up`) also goes from a program to the sasaran it serves, which is
  how a path is shown ("Tujuan 1 › Sasaran 2 › 2.08.02 › …").

Everything here reads relations joined beforehand (``Indikator.objects.with_tree()``): no
query per node.
"""

from __future__ import annotations

from typing import Any

from .models import Level, Node

LEVEL_ORDER = {level: i for i, level in enumerate(Level.values)}


def up(node: Node) -> Node | None:
    """The node a node serves in the plan: a program hangs on its (optional) sasaran."""
    if node.LEVEL == Level.PROGRAM:
        sasaran: Node | None = node.sasaran  # type: ignore[attr-defined]
        return sasaran
    return node.parent


def node_chain(node: Node | None) -> list[Node]:
    """The node and what it serves up to its tujuan, top first."""
    chain: list[Node] = []
    current = node
    while current is not None:
        chain.append(current)
        current = up(current)
    chain.reverse()
    return chain


def ancestors(node: Node | None) -> list[tuple[str, str]]:
    """(level, nama) of what the node serves, top first, without the node itself."""
    return [(str(n.LEVEL), n.nama) for n in node_chain(node)[:-1]]


def node_label(node: Node) -> str:
    return node.kode or f"{Level(node.LEVEL).label} {node.urutan}"


def node_path(node: Node | None) -> str:
    return " › ".join(node_label(n) for n in node_chain(node))


def structural_chain(node: Node) -> list[Node]:
    """The node and its structural parents, top first (a program is a top)."""
    chain: list[Node] = []
    current: Node | None = node
    while current is not None:
        chain.append(current)
        current = current.parent
    chain.reverse()
    return chain


def tree_key(node: Node | None, urutan: int, pk: Any) -> tuple[int, ...]:
    """The Renstra order of an item hung on ``node``: tujuan and their sasaran first (nested),
    then programs with their kegiatan and sub-kegiatan (nested); ``urutan`` and ``pk`` order
    the items of one node.

    Sorted in Python because SQLite and PostgreSQL disagree on where NULLs sort.
    """
    if node is None:
        return (2, 0, 0, 0, urutan, int(pk or 0))
    chain = structural_chain(node)
    group = 0 if chain[0].LEVEL == Level.TUJUAN else 1
    urutans = [n.urutan for n in chain] + [0] * (3 - len(chain))
    return (group, *urutans, urutan, int(pk or 0))


def effective_bidang_id(bidang_id: int | None, node: Node | None) -> int | None:
    """The bidang responsible for an item: its own, else the nearest structural ancestor's."""
    if bidang_id:
        return int(bidang_id)
    current = node
    while current is not None:
        if current.bidang_id:
            return int(current.bidang_id)
        current = current.parent
    return None
