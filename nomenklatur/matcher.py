"""Proposing nomenclature codes for a plan tree by name. Pure Python: the caller hands in the
tree's nodes and the nomenclature's entries as plain records and gets one proposal per node.

Names are compared after folding (:func:`fold`): case, accents, punctuation, whitespace, "&"
and the known typos of transcribed LAKIP tables (:data:`TYPOS`). Equal folded names are an
exact match; otherwise the most similar name wins when it is similar enough.

Similarity is :class:`difflib.SequenceMatcher`'s ratio on the folded names (characters, not
tokens): the differences met in real trees are typos inside a word ("Penyususnan"), words run
together or split at a line break ("diTingkat", "haka nak"), a cut-off tail ("Kabupaten/") and
a word added or dropped ("Administrasi Keuangan dan Perangkat Daerah"). A character ratio
scores all of these high, where a token measure counts a one-letter typo as a whole word lost.
Nomenclature names do not reorder words, so what token measures are good at is not needed.

Candidates are restricted to the node's level and, when the parent has a code (its own or the
one proposed for it here), to the codes under the parent's code (under the nearest coded
ancestor's when the parent has none). A name shared by several
codes (every bidang urusan has its "PROGRAM PENUNJANG URUSAN …") goes to the bidang urusan
most of the tree's other programs belong to.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

LEVELS = ("program", "kegiatan", "sub_kegiatan")
# Below this similarity a proposal is more often another item than the same one misspelt.
THRESHOLD = 80

# Misspellings found in transcribed LAKIP tables (the seed of DP3APPKBPMD), word → word.
TYPOS = {
    "gaju": "gaji",
    "dukomen": "dokumen",
    "kumonikasi": "komunikasi",
    "penyususnan": "penyusunan",
    "kordinasi": "koordinasi",
    "dunas": "dinas",
    "tekhnis": "teknis",
    "peningkagtan": "peningkatan",
    "penyedian": "penyediaan",
    "social": "sosial",
    "nonpemerintah": "non pemerintah",
}
# Words run together or split at a line break, phrase → phrase (folded text, spaces around).
PHRASES = {
    " haka nak ": " hak anak ",
    " ditingkat ": " di tingkat ",
    " dan dan ": " dan ",
}

_PUNCT = re.compile(r"[^\w]+")


def fold(name: str) -> str:
    """The name as compared: lower case, no accents, "&" as "dan", punctuation as space,
    known typos corrected, single spaces."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&", " dan ").replace("_", " ")
    words = [TYPOS.get(w, w) for w in _PUNCT.sub(" ", text).split()]
    text = f" {' '.join(words)} "
    for wrong, right in PHRASES.items():
        text = text.replace(wrong, right)
    return " ".join(text.split())


def similarity(a: str, b: str) -> int:
    """0–100: how alike two folded names are (difflib's ratio, rounded down)."""
    if a == b:
        return 100
    return int(SequenceMatcher(None, a, b, autojunk=False).ratio() * 100)


def tingkat_of(kode: str) -> str | None:
    # Same shapes as nomenklatur.models.tingkat_of, kept here so this module needs no Django.
    return {2: "program", 4: "kegiatan", 5: "sub_kegiatan"}.get(kode.count("."))


def induk_of(kode: str) -> str:
    parts = kode.split(".")
    return ".".join(parts[:5] if len(parts) == 6 else parts[:3]) if len(parts) > 3 else ""


def bidang_of(kode: str) -> str:
    """The bidang urusan of a code: "2.08" of "2.08.02.2.01"."""
    return ".".join(kode.split(".")[:2])


@dataclass(frozen=True)
class Entry:
    """One nomenclature code."""

    kode: str
    nama: str


@dataclass(frozen=True)
class Item:
    """One node of the tree: ``key`` names it for the caller, ``induk`` is its parent's key
    (None for a program), ``kode`` the code it has now ("" for none)."""

    key: Hashable
    tingkat: str
    nama: str
    kode: str = ""
    induk: Hashable | None = None


@dataclass(frozen=True)
class Proposal:
    item: Item
    kode: str  # "" when nothing is close enough
    nama: str
    skor: int  # 0–100
    cara: str  # "sama" (equal after folding), "mirip" (similar), "" (none)

    @property
    def exact(self) -> bool:
        return self.cara == "sama"


class Index:
    """The nomenclature by level and by parent code, names folded once."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.by_level: dict[str, list[tuple[Entry, str]]] = {t: [] for t in LEVELS}
        self.by_parent: dict[str, list[tuple[Entry, str]]] = {}
        self.by_kode: dict[str, Entry] = {}
        for entry in entries:
            tingkat = tingkat_of(entry.kode)
            if tingkat is None:
                continue
            folded = (entry, fold(entry.nama))
            self.by_level[tingkat].append(folded)
            self.by_parent.setdefault(induk_of(entry.kode), []).append(folded)
            self.by_kode[entry.kode] = entry

    def candidates(self, tingkat: str, ancestor: str) -> list[tuple[Entry, str]]:
        """The level's codes under ``ancestor`` (the nearest coded ancestor; all when "")."""
        if not ancestor or tingkat == "program":
            return self.by_level[tingkat]
        if tingkat_of(ancestor) == LEVELS[LEVELS.index(tingkat) - 1]:
            return self.by_parent.get(ancestor, [])
        return [c for c in self.by_level[tingkat] if c[0].kode.startswith(f"{ancestor}.")]


def _best(
    name: str, candidates: Sequence[tuple[Entry, str]], rank: dict[str, int]
) -> tuple[Entry | None, int]:
    """The most similar candidate; among equals, the one in the tree's main bidang urusan,
    then the lowest code."""
    folded = fold(name)
    best: tuple[int, int, str] | None = None
    chosen: Entry | None = None
    for entry, other in candidates:
        score = similarity(folded, other)
        key = (-score, rank.get(bidang_of(entry.kode), len(rank)), entry.kode)
        if best is None or key < best:
            best, chosen = key, entry
    return chosen, (-best[0] if best else 0)


def _ancestor_code(item: Item, by_key: dict[Hashable, Item], code_of: dict[Hashable, str]) -> str:
    """The code of the nearest ancestor that has one (its own or proposed here): a kegiatan
    whose parent found no code is still looked for under the program's."""
    key = item.induk
    while key is not None and key in by_key:
        if code_of.get(key):
            return code_of[key]
        key = by_key[key].induk
    return ""


def propose(
    items: Sequence[Item], entries: Iterable[Entry] | Index, *, threshold: int = THRESHOLD
) -> list[Proposal]:
    """One proposal per item without a code, in the items' order. Items with a code are not
    proposed for; their code restricts their children's candidates."""
    index = entries if isinstance(entries, Index) else Index(entries)
    by_key = {item.key: item for item in items}
    # The tree's bidang urusan, most programs first: first the codes programs already carry,
    # then the single codes their names match exactly.
    votes: Counter[str] = Counter()
    for item in items:
        if item.tingkat != "program":
            continue
        if item.kode:
            votes[bidang_of(item.kode)] += 1
            continue
        folded = fold(item.nama)
        exact = [e for e, f in index.by_level["program"] if f == folded]
        if len(exact) == 1:
            votes[bidang_of(exact[0].kode)] += 1
    rank = {b: i for i, (b, _) in enumerate(sorted(votes.items(), key=lambda v: (-v[1], v[0])))}

    code_of: dict[Hashable, str] = {}
    result: dict[Hashable, Proposal] = {}
    for tingkat in LEVELS:
        level = [item for item in items if item.tingkat == tingkat]
        for item in level:
            if item.kode:
                code_of[item.key] = item.kode
        # Exact matches first: a code a sibling's name equals is not offered to the others
        # (two sub-kegiatan differing in one phrase would otherwise share it).
        taken: set[str] = set()
        pending: list[tuple[Item, list[tuple[Entry, str]]]] = []
        for item in level:
            if item.kode:
                taken.add(item.kode)
                continue
            candidates = index.candidates(tingkat, _ancestor_code(item, by_key, code_of))
            entry, score = _best(item.nama, candidates, rank)
            if entry is not None and score == 100:
                code_of[item.key] = entry.kode
                taken.add(entry.kode)
                result[item.key] = Proposal(item, entry.kode, entry.nama, 100, "sama")
            else:
                pending.append((item, candidates))
        for item, candidates in pending:
            free = [c for c in candidates if c[0].kode not in taken]
            entry, score = _best(item.nama, free, rank)
            if entry is None or score < threshold:
                result[item.key] = Proposal(item, "", "", score, "")
                continue
            code_of[item.key] = entry.kode
            result[item.key] = Proposal(item, entry.kode, entry.nama, score, "mirip")
    return [result[item.key] for item in items if item.key in result]
