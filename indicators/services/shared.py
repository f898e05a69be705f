"""What the write services of indicators share: messages, batch permissions, ×10 jump checks."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from common.numbers import Rate, format_exact, format_number, rate_conflict
from renstra.door import (
    Actor,
    NeedsConfirmation,
    stamp,
)
from renstra.permissions import can_manage_plan, can_record_for_bidang

from .. import engine
from ..models import (
    Indikator,
    Realisasi,
    Target,
)

PLAN_ONLY = "Hanya perencana OPD ini yang dapat mengubah indikator dan target."
OWN_BIDANG_ONLY = "Anda hanya dapat mengisi realisasi indikator bidang Anda sendiri."
# Fields that change the capaian of every year already reported.
COMPUTATION_FIELDS = ("polaritas", "metode_negatif", "akumulasi", "frekuensi")


def _opd_id(indikator: Indikator) -> int:
    return int(indikator.periode.opd_id)


def describe_value(value: Decimal | None, text: str = "") -> str:
    return format_number(value) if value is not None else (text or "–")


def _shown(obj: Target | Realisasi | None) -> str:
    if obj is None:
        return "(kosong/dihapus)"
    if isinstance(obj, Realisasi) and obj.tidak_tersedia:
        return obj.display_value
    return format_exact(obj.nilai) if obj.nilai is not None else (obj.nilai_teks or "(kosong)")


class _Permissions:
    """One answer per (check, OPD, bidang) for a batch: each question costs a role query."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self._answers: dict[tuple[Any, ...], bool] = {}

    def plan(self, opd_id: int) -> bool:
        key = ("plan", opd_id)
        if key not in self._answers:
            self._answers[key] = can_manage_plan(self.actor, opd_id)
        return self._answers[key]

    def record(self, opd_id: int, bidang_id: int | None) -> bool:
        key = ("record", opd_id, bidang_id)
        if key not in self._answers:
            self._answers[key] = can_record_for_bidang(self.actor, opd_id, bidang_id)
        return self._answers[key]


def _confirm_jumps(jumps: list[str], confirm: bool) -> None:
    if jumps and not confirm:  # guard
        raise NeedsConfirmation(
            [*jumps, "Periksa nilainya; bila memang benar, simpan lagi dengan konfirmasi."],
            code="jump",
        )


def _jump_message(what: str, new: Decimal, old: Decimal, against: str) -> str | None:
    factor = engine.jump_factor(old, new)
    if factor is None:
        return None
    return (
        f"{what}: {format_exact(new)} adalah ×{format_number(factor)} dari {format_exact(old)} "
        f"({against})."
    )


def check_rate(
    proposed: dict[int, tuple[str, str]], indikator: Indikator, rate: Rate, key: str
) -> None:
    """A value typed as a rate ("75/100.000 KH") against the indicator's satuan: the same
    denominator passes; a satuan naming another (or none, like "%") is refused under ``key``
    — never rescaled; an empty satuan is proposed from the rate (``proposed``, written by
    :func:`propose_satuan`)."""
    pk = int(indikator.pk)
    satuan = proposed.get(pk, (indikator.satuan, ""))[0]
    problem = rate_conflict(rate, satuan)
    if problem is not None:  # guard
        raise ValidationError({key: problem})
    if not satuan.strip():
        typed = f"{format_exact(rate.value)}/{format_number(rate.denominator, 0)}"
        proposed[pk] = (rate.satuan, f"{typed} {rate.unit}".strip())


def propose_satuan(
    actor: Actor, indicators: dict[int, Indikator], proposed: dict[int, tuple[str, str]]
) -> None:
    """Give an indicator without a satuan the one its typed rate names ("per 100.000 KH"),
    with a "periksa:" line so the perencana confirms it, as an import's inferences are. Runs
    after the batch's rules passed; one read and one write per indicator given a satuan."""
    for pk, (satuan, typed) in sorted(proposed.items()):
        indikator = indicators.get(pk) or Indikator.objects.get(pk=pk)
        indikator.refresh_from_db(fields=["satuan", "periksa", "versi"])
        if indikator.satuan.strip():
            continue
        note = f"periksa: satuan «{satuan}» diambil dari nilai yang diketik «{typed}»."
        indikator.satuan = satuan
        indikator.periksa = f"{indikator.periksa}\n{note}".strip()
        indikator.versi += 1
        stamp(indikator, actor)
        indikator.save(update_fields=["satuan", "periksa", "versi"])


def _joined(ids: set[int], given: Iterable[Indikator] | None) -> dict[int, Indikator]:
    """The indicators with their tree (period, OPD, nodes, bidang), read once."""
    if given is not None:
        return {int(i.pk): i for i in given if i.pk in ids}
    return {int(i.pk): i for i in Indikator.objects.with_tree().filter(pk__in=ids)}
