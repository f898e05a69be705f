"""The perencana's page for nomenclature codes: the matcher's proposals for the Renstra's
program, kegiatan and sub-kegiatan (current code, proposed code and name, similarity), the
checked ones applied through ``renstra.services.node_kode_set_many``.

One checkbox per proposal carries level, id, the code shown and the code proposed, so what
is applied is what the perencana saw (a changed tree is refused by the service as stale) and a
300-node tree posts some 300 fields, far below DATA_UPLOAD_MAX_NUMBER_FIELDS (1.000)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from renstra.models import Node, PeriodeRenstra
from renstra.permissions import acting_user, can_manage_plan, can_read_opd, user_opd_id
from renstra.services import KodeChange, node_kode_set_many

from .nomenklatur_match import MODELS, Row, proposals

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


def _context(periode: PeriodeRenstra, rows: list[Row], **extra: Any) -> dict[str, Any]:
    counts = {"sama": 0, "mirip": 0, "": 0}
    for row in rows:
        counts[row.proposal.cara] += 1
    return {
        "periode": periode,
        "rows": rows,
        "n_sama": counts["sama"],
        "n_mirip": counts["mirip"],
        "n_tanpa": counts[""],
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def nomenklatur_kode(request: HttpRequest, periode_id: int) -> HttpResponse:
    periode = _periode(request, periode_id)
    if request.method == "POST":
        return _apply(request, periode)
    return render(request, TEMPLATE, _context(periode, proposals(periode)))


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
        context = _context(periode, proposals(periode), refusals=exc.messages)
        return render(request, TEMPLATE, context, status=400)
    messages.success(request, f"Kode nomenklatur tersimpan untuk {n} simpul.")
    return redirect("intake:nomenklatur", periode_id=periode.pk)
