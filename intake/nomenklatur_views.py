"""The perencana's page for nomenclature codes: the matcher's proposals for the Renstra's
program, kegiatan and sub-kegiatan (current code, proposed code and name, similarity), the
checked ones applied through ``renstra.services.node_kode_set_many``.

One checkbox per proposal carries level, id, the code shown and the code proposed, so what
is applied is what the perencana saw (a changed tree is refused by the service as stale) and a
300-node tree posts some 300 fields, far below DATA_UPLOAD_MAX_NUMBER_FIELDS (1.000).

A proposal the perencana knows is wrong is refused ("Tolak usulan", ``usulan_kode_tolak``) and
no longer shown for that node; the refused ones are listed below, each with "Pulihkan".
The page also lists the coded sub-kegiatan whose standard output indicator (Kepmendagri) is
not yet one of their indicators, each created with one click ("Buat indikator keluaran",
``indikator_keluaran_buat``)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.params import parse_id
from indicators.selectors import keluaran_standar_belum
from indicators.services.indikator import indikator_keluaran_buat
from renstra.models import Node, PeriodeRenstra, SubKegiatan, UsulanKodeDitolak
from renstra.permissions import acting_user, can_manage_plan, can_read_opd, user_opd_id
from renstra.services import (
    KodeChange,
    node_kode_set_many,
    usulan_kode_pulihkan,
    usulan_kode_tolak,
)

from .nomenklatur_match import MODELS, proposals

CHOICE = re.compile(
    r"\A(program|kegiatan|sub_kegiatan):([0-9]{1,18}):([0-9.]{0,40}):([0-9.]{1,40})\Z"
)
TEMPLATE = "intake/nomenklatur_kode.html"


@login_required
@require_GET
def nomenklatur_now(request: HttpRequest) -> HttpResponse:
    """The page for the user's own OPD, its latest Renstra period."""
    opd_id = user_opd_id(request.user)
    periode = PeriodeRenstra.objects.filter(opd_id=opd_id or 0).order_by("-tahun_awal").first()
    if periode is None:
        raise PermissionDenied("Akun Anda belum ditugaskan ke perangkat daerah dengan Renstra.")
    return redirect("intake:nomenklatur", periode_id=periode.pk)


def _periode(request: HttpRequest, periode_id: int) -> PeriodeRenstra:
    periode = PeriodeRenstra.objects.select_related("opd").filter(pk=periode_id).first()
    # Another OPD's Renstra does not exist for this user (404, as every OPD-scoped page).
    if periode is None or not can_read_opd(request.user, periode.opd_id):
        raise Http404("Periode Renstra tidak ditemukan.")
    if not can_manage_plan(request.user, periode.opd_id):
        raise PermissionDenied("Hanya perencana OPD ini yang dapat menetapkan kode nomenklatur.")
    return periode


def _context(periode: PeriodeRenstra, **extra: Any) -> dict[str, Any]:
    """The proposals without the ones refused for their node, the refused ones, and the
    standard output indicators still to create: a fixed number of queries."""
    ditolak = list(
        UsulanKodeDitolak.objects.filter(periode=periode).select_related(
            "program", "kegiatan", "sub_kegiatan", "ditolak_oleh"
        )
    )
    refused = {(d.tingkat, d.node.pk, d.kode) for d in ditolak}
    rows = [r for r in proposals(periode) if (r.tingkat, r.node.pk, r.proposal.kode) not in refused]
    counts = {"sama": 0, "mirip": 0, "": 0}
    for row in rows:
        counts[row.proposal.cara] += 1
    return {
        "periode": periode,
        "rows": rows,
        "n_sama": counts["sama"],
        "n_mirip": counts["mirip"],
        "n_tanpa": counts[""],
        "ditolak": ditolak,
        "keluaran": keluaran_standar_belum(periode),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def nomenklatur_kode(request: HttpRequest, periode_id: int) -> HttpResponse:
    periode = _periode(request, periode_id)
    if request.method == "POST":
        return _apply(request, periode)
    return render(request, TEMPLATE, _context(periode))


def _choices(request: HttpRequest) -> list[tuple[str, int, str, str]]:
    raw = request.POST.getlist("pilih")
    if not raw:
        raise BadRequest("Isian tidak sah — pilih sedikitnya satu usulan kode.")
    found: dict[tuple[str, int], tuple[str, int, str, str]] = {}
    for value in raw:
        match = CHOICE.match(value)
        if match is None:
            raise BadRequest(f"Isian tidak sah — pilihan «{value[:60]}» tidak dikenal.")
        tingkat, pk, lama, kode = match.groups()
        if (tingkat, int(pk)) in found:
            raise BadRequest("Isian tidak sah — satu simpul dipilih dua kali.")
        found[(tingkat, int(pk))] = (tingkat, int(pk), lama, kode)
    return list(found.values())


def _apply(request: HttpRequest, periode: PeriodeRenstra) -> HttpResponse:
    choices = _choices(request)
    nodes: dict[tuple[str, int], Node] = {}
    for tingkat, model in MODELS.items():
        ids = [pk for t, pk, _, _ in choices if t == tingkat]
        if ids:
            for node in model._default_manager.filter(periode=periode, pk__in=ids):
                nodes[(tingkat, node.pk)] = node
    missing = [f"{t} {pk}" for t, pk, _, _ in choices if (t, pk) not in nodes]
    if missing:
        raise BadRequest(f"Isian tidak sah — tidak ada di Renstra ini: {', '.join(missing)}.")
    changes = [KodeChange(nodes[(t, pk)], lama, kode) for t, pk, lama, kode in choices]
    try:
        n = node_kode_set_many(user=acting_user(request), periode=periode, changes=changes)
    except ValidationError as exc:
        return _refused(request, periode, exc)
    messages.success(request, f"Kode nomenklatur tersimpan untuk {n} simpul.")
    return redirect("intake:nomenklatur", periode_id=periode.pk)


def _refused(request: HttpRequest, periode: PeriodeRenstra, exc: ValidationError) -> HttpResponse:
    """The page again with the service's reasons: nothing was saved."""
    return render(request, TEMPLATE, _context(periode, refusals=exc.messages), status=400)


@login_required
@require_POST
def nomenklatur_tolak(request: HttpRequest, periode_id: int) -> HttpResponse:
    """Refuse one proposal (the row's level, id, code shown and code proposed)."""
    periode = _periode(request, periode_id)
    value = request.POST.get("tolak", "")
    match = CHOICE.match(value)
    if match is None:
        raise BadRequest(f"Isian tidak sah — usulan «{value[:60]}» tidak dikenal.")
    tingkat, raw_pk, _, kode = match.groups()
    pk = parse_id(raw_pk)
    node = (
        MODELS[tingkat]._default_manager.filter(periode=periode, pk=pk).first()
        if pk is not None
        else None
    )
    if node is None:
        raise BadRequest(f"Isian tidak sah — tidak ada di Renstra ini: {tingkat} {raw_pk}.")
    try:
        new = usulan_kode_tolak(user=acting_user(request), periode=periode, node=node, kode=kode)
    except ValidationError as exc:
        return _refused(request, periode, exc)
    if new:
        messages.success(
            request, f"Usulan kode {kode} untuk «{node.nama}» ditolak dan tidak diusulkan lagi."
        )
    else:
        messages.info(request, f"Usulan kode {kode} untuk «{node.nama}» sudah ditolak.")
    return redirect("intake:nomenklatur", periode_id=periode.pk)


@login_required
@require_POST
def nomenklatur_pulihkan(request: HttpRequest, periode_id: int) -> HttpResponse:
    """Take a refusal back: the code is proposed for its node again."""
    periode = _periode(request, periode_id)
    pk = parse_id(request.POST.get("pulihkan", ""))
    if pk is None:
        raise BadRequest("Isian tidak sah — pilih usulan yang dipulihkan.")
    if usulan_kode_pulihkan(user=acting_user(request), periode=periode, pk=pk):
        messages.success(request, "Usulan kode dipulihkan dan diusulkan lagi.")
    else:
        messages.info(request, "Usulan itu tidak (lagi) ditolak; tidak ada yang diubah.")
    return redirect("intake:nomenklatur", periode_id=periode.pk)


@login_required
@require_POST
def nomenklatur_keluaran(request: HttpRequest, periode_id: int) -> HttpResponse:
    """Create one sub-kegiatan's standard output indicator (its service decides who may)."""
    periode = _periode(request, periode_id)
    pk = parse_id(request.POST.get("sub_kegiatan", ""))
    sub = SubKegiatan.objects.filter(periode=periode, pk=pk).first() if pk is not None else None
    if sub is None:
        raise BadRequest("Isian tidak sah — sub kegiatan tidak ada di Renstra ini.")
    sub.periode = periode  # the service reads its OPD: no second query for it
    try:
        made = indikator_keluaran_buat(user=acting_user(request), sub_kegiatan=sub)
    except ValidationError as exc:
        return _refused(request, periode, exc)
    if made is None:
        messages.info(
            request,
            f"Sub kegiatan «{sub.nama}» sudah mempunyai indikator keluaran standarnya; "
            "tidak ada yang dibuat.",
        )
    else:
        messages.success(
            request, f"Indikator keluaran «{made.nama}» dibuat untuk sub kegiatan «{sub.nama}»."
        )
    return redirect("intake:nomenklatur", periode_id=periode.pk)
