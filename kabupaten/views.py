"""Pages of the kabupaten: the dashboard across OPDs, one OPD read by a Pemda role, the pohon
kinerja, Bappeda's new-OPD and cascading pages, and the OPD perencana's link proposals. Views
only read through selectors and write through ``renstra.pemda`` services."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from common.params import MAX_ID, param_text, valid_or_400
from indicators.models import Indikator
from indicators.selectors import IndicatorRow, indicator_rows
from renstra.models import JenisOpd, Level, Opd, Pemda, Program, Sasaran, StatusTautan, TautanRpjmd
from renstra.pemda import opd_create_with_perencana, rpjmd_for, tautan_decide, tautan_propose
from renstra.permissions import (
    acting_user,
    can_manage_pemda,
    can_manage_plan,
    can_read_opd,
    can_read_pemda,
    can_review,
    user_opd_id,
    user_pemda_id,
    user_role,
)
from renstra.services import lock_for
from renstra.tree import node_chain, node_label
from reporting import charts
from reporting.models import CatatanReviu, LakipVersi
from reporting.views import serve_lakip

from . import pohon_layout, reader
from .reviu import reviu_add, reviu_delete

# The forms of these pages: a value no page sends ("abc" for an id, a NUL in a text) is a
# 400 with the reason, before a query or a service sees it.


class ReviuForm(forms.Form):
    hapus = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    teks = forms.CharField(required=False, strip=False)


class OpdBaruForm(forms.Form):
    kode = forms.CharField(required=False, max_length=30)
    nama = forms.CharField(required=False, max_length=500)
    singkatan = forms.CharField(required=False, max_length=100)
    username = forms.CharField(required=False, max_length=150)
    email = forms.CharField(required=False, max_length=254)
    password = forms.CharField(required=False, strip=False, max_length=4096)


class KeputusanForm(forms.Form):
    keputusan = forms.CharField(required=False, max_length=20)
    alasan = forms.CharField(required=False, strip=False)
    versi = forms.IntegerField(required=False, min_value=0, max_value=MAX_ID)


class UsulanTautanForm(forms.Form):
    sasaran = forms.IntegerField(min_value=1, max_value=MAX_ID)
    sasaran_rpjmd = forms.IntegerField(min_value=1, max_value=MAX_ID)
    versi = forms.IntegerField(required=False, min_value=0, max_value=MAX_ID)
    # The link's ground, shown with the link and kept as it was unless the planner edits it.
    dasar = forms.CharField(required=False, max_length=500)


def _pemda(request: HttpRequest) -> Pemda:
    """The Pemda whose pages the user reads: their own; an admin picks one (?pemda=KODE)."""
    pemda_id = user_pemda_id(request.user)
    if user_role(request.user) == "admin":
        kode = param_text(request.GET, "pemda", max_length=30)
        pemda = (
            Pemda.objects.filter(kode=kode).first()
            if kode
            else Pemda.objects.order_by("kode").first()
        )
    else:
        pemda = Pemda.objects.filter(pk=pemda_id or 0).first()
    if pemda is None or not can_read_pemda(request.user, pemda.pk):
        raise PermissionDenied(
            "Halaman pemerintah daerah hanya untuk Bappeda, Inspektorat, dan Kepala Daerah."
        )
    return pemda


def _current_year(pemda: Pemda) -> int:
    """The latest year with realisasi in any OPD of the Pemda, else the year just ended."""
    from django.db.models import Max

    from indicators.models import Realisasi

    latest = Realisasi.objects.filter(indikator__periode__opd__pemda=pemda).aggregate(
        tahun=Max("tahun")
    )["tahun"]
    return int(latest or datetime.date.today().year - 1)


@login_required
def pemda_now(request: HttpRequest) -> HttpResponse:
    return redirect("pemda_dashboard", tahun=_current_year(_pemda(request)))


@login_required
def pohon_now(request: HttpRequest) -> HttpResponse:
    """The menu's "Pohon kinerja" on a page without a year: the kabupaten's current year."""
    return redirect("pemda_pohon", tahun=_current_year(_pemda(request)))


@login_required
def pemda_dashboard(request: HttpRequest, tahun: int) -> HttpResponse:
    pemda = _pemda(request)
    data = reader.kabupaten_data(pemda, tahun)
    urut = request.GET.get("urut", "capaian")
    cari = request.GET.get("cari", "").strip()
    lines = reader.sort_lines(data.opds, urut)
    if cari:
        lines = [
            line
            for line in lines
            if cari.casefold() in f"{line.opd.nama} {line.opd.singkatan}".casefold()
        ]
    if request.GET.get("terlambat"):
        lines = [line for line in lines if line.late]
    return render(
        request,
        "kabupaten/dashboard.html",
        {
            "d": data,
            "lines": lines,
            "chart": sorted(data.opds, key=reader.SORTS["capaian"]),
            "chart_svg": _opd_chart(data.opds),
            "urut": urut,
            "cari": cari,
            "tahun": tahun,
            "years": list(range(tahun - 3, tahun + 2)),
            "can_manage": can_manage_pemda(request.user, pemda.pk),
            "today": datetime.date.today(),
            "lkjip_formats": [("pdf", "PDF"), ("docx", "DOCX"), ("xlsx", "XLSX")],
            # The tables and chart are the same HTML for everyone reading this Pemda, year,
            # order and filter while the figures stand: rendered once per cache key.
            "fragment_seconds": int(getattr(django_settings, "KINERJA_KABUPATEN_CACHE_SECONDS", 0))
            if data.cache_key
            else 0,
            "fragment_key": hashlib.sha256(
                f"{data.cache_key}|{urut}|{cari}|{request.GET.get('terlambat', '')}".encode()
            ).hexdigest(),
        },
    )


@login_required
def pemda_opd(request: HttpRequest, tahun: int, kode: str) -> HttpResponse:
    pemda = _pemda(request)
    opd = _pemda_opd(request, pemda, kode)
    if request.method == "POST":
        data = valid_or_400(ReviuForm(request.POST))
        try:
            if data["hapus"] is not None:
                note = get_object_or_404(CatatanReviu, pk=data["hapus"], opd=opd)
                reviu_delete(user=acting_user(request), obj=note)
            else:
                reviu_add(user=acting_user(request), opd=opd, tahun=tahun, teks=data["teks"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Catatan reviu disimpan.")
        return redirect("pemda_opd", tahun=tahun, kode=opd.kode)
    rows = indicator_rows(opd.pk, tahun, indikator_qs=Indikator.objects.filter(periode__opd=opd))
    notes = CatatanReviu.objects.filter(opd=opd, tahun=tahun).select_related(
        "penulis", "lakip_versi", "tanggapan_oleh", "ditutup_oleh"
    )
    # Stored final versions are offered only once the year is locked, as on the OPD's own
    # LAKIP page: an unlocked year's download is a fresh draft (reporting.services).
    lock = lock_for(opd.pk, tahun)
    versions = (
        list(
            LakipVersi.objects.filter(opd=opd, tahun=tahun)
            .order_by("-nomor")
            .only("nomor", "dibuat_pada", "sha256_pdf")
        )
        if lock is not None
        else []
    )
    return render(
        request,
        "kabupaten/opd.html",
        {
            "pemda": pemda,
            "opd": opd,
            "tahun": tahun,
            "groups": group_by_sasaran(rows),
            "n_rows": len(rows),
            "notes": notes,
            "lock": lock,
            "versions": versions,
            "formats": [("pdf", "PDF"), ("docx", "DOCX"), ("xlsx", "XLSX")],
            "can_review": can_review(request.user, opd.pk),
        },
    )


class OpdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.singkatan} — {obj.nama}" if obj.singkatan else str(obj.nama)


class PohonForm(forms.Form):
    """The pohon kinerja's query: one OPD of the Pemda (by kode) or all, every box open or
    only the first two levels. An OPD of another Pemda, or a kode nobody has, is a 400."""

    opd = OpdChoiceField(
        queryset=Opd.objects.none(),
        required=False,
        to_field_name="kode",
        empty_label="Semua OPD",
        label="OPD",
    )
    buka = forms.BooleanField(required=False)

    def __init__(self, data: Any, pemda: Pemda) -> None:
        super().__init__(data)
        field = self.fields["opd"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Opd.objects.filter(pemda=pemda, jenis=JenisOpd.OPD).order_by("nama")


def _pohon_query(request: HttpRequest) -> tuple[Pemda, PohonForm, Opd | None, bool]:
    pemda = _pemda(request)
    form = PohonForm(request.GET, pemda)
    data = valid_or_400(form)
    return pemda, form, data["opd"], bool(data["buka"])


def _pemda_opd(request: HttpRequest, pemda: Pemda, kode: str) -> Opd:
    opd = get_object_or_404(Opd, kode=kode, pemda=pemda)
    if not can_read_opd(request.user, opd.pk):
        raise PermissionDenied("Anda tidak berhak membaca data OPD ini.")
    return opd


@dataclass
class ProgramGroup:
    title: str
    rows: list[IndicatorRow] = field(default_factory=list)


@dataclass
class SasaranGroup:
    """A sasaran (or a tujuan, for its own indicators) with its indicators, then its programs
    with the indicators of the program and of everything under it."""

    title: str
    rows: list[IndicatorRow] = field(default_factory=list)
    programs: dict[int, ProgramGroup] = field(default_factory=dict)


def group_by_sasaran(rows: list[IndicatorRow]) -> list[SasaranGroup]:
    """Rows already in the tree's order (indicator_rows), grouped sasaran → program; a
    program not yet linked to a sasaran is grouped under "Program belum tertaut ke sasaran"."""
    groups: dict[tuple[str, int], SasaranGroup] = {}
    for row in rows:
        chain = node_chain(row.indikator.node)
        by_level = {n.LEVEL: n for n in chain}
        top = by_level.get(Level.SASARAN) or by_level.get(Level.TUJUAN)
        if top is not None:
            key = (str(top.LEVEL), top.pk)
            title = f"{Level(top.LEVEL).label}: {top.nama}"
        else:
            key, title = ("", 0), "Program belum tertaut ke sasaran"
        group = groups.setdefault(key, SasaranGroup(title))
        program = by_level.get(Level.PROGRAM)
        if program is None:
            group.rows.append(row)
        else:
            label = f"Program: {node_label(program)} {program.nama}"
            group.programs.setdefault(program.pk, ProgramGroup(label)).rows.append(row)
    return list(groups.values())


@login_required
@require_http_methods(["GET", "POST"])
def pemda_opd_lakip(request: HttpRequest, tahun: int, kode: str, fmt: str) -> HttpResponse:
    """An OPD's LAKIP (draft, or a locked year's final version) for the Pemda's readers."""
    opd = _pemda_opd(request, _pemda(request), kode)
    return serve_lakip(request, opd, tahun, fmt, back=reverse("pemda_opd", args=[tahun, opd.kode]))


@login_required
def pohon(request: HttpRequest, tahun: int) -> HttpResponse:
    pemda, form, opd, buka = _pohon_query(request)
    tree = reader.pohon_kinerja(pemda, tahun, opd_kode=opd.kode if opd else None, buka_semua=buka)
    # The download and the "open all" links keep the page's query (an admin's ?pemda= too).
    params = request.GET.copy()
    params.pop("buka", None)
    query = params.urlencode()
    return render(
        request,
        "kabupaten/pohon.html",
        {
            "pemda": pemda,
            "tahun": tahun,
            "tree": tree,
            "form": form,
            "opd": opd,
            "buka": buka,
            "query": query,
            "size": sum(node.size for node in tree),
        },
    )


@login_required
def pohon_svg(request: HttpRequest, tahun: int) -> HttpResponse:
    """The same tree, every level, as one SVG to print (A3/A4 landscape) for the cascading
    document; laid out by ``kabupaten.pohon_layout`` from the page's own data."""
    pemda, _form, opd, _buka = _pohon_query(request)
    tree = reader.pohon_kinerja(pemda, tahun, opd_kode=opd.kode if opd else None)
    title = f"Pohon Kinerja {pemda.nama} {tahun}"
    subtitle = (
        f"{opd.nama} · " if opd else ""
    ) + f"dicetak {timezone.localtime():%d-%m-%Y %H.%M} dari Kinerja"
    svg = pohon_layout.render_svg(pohon_layout.layout(reader.pohon_boxes(tree)), title, subtitle)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    name = f"pohon-kinerja-{pemda.kode}-{tahun}" + (f"-{opd.kode}" if opd else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
    return response


@login_required
def opd_new(request: HttpRequest) -> HttpResponse:
    pemda = _pemda(request)
    if not can_manage_pemda(request.user, pemda.pk):
        raise PermissionDenied("Hanya Bappeda yang dapat membuat OPD baru.")
    errors: list[str] = []
    form = OpdBaruForm(request.POST or None)
    values = {
        k: request.POST.get(k, "") for k in ("kode", "nama", "singkatan", "username", "email")
    }
    refused = request.method == "POST" and not form.is_valid()
    if refused:
        # A NUL or an overlong value: said on the page (400), never sent to the service.
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    elif request.method == "POST":
        data = form.cleaned_data
        try:
            made = opd_create_with_perencana(
                user=acting_user(request),
                pemda=pemda,
                password=data["password"],
                **{k: data[k] for k in values},
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            # Bappeda then sees the new OPD among the Pemda's (the links page it landed on
            # before did not list it) and is told what the perencana needs to start.
            messages.success(
                request,
                f"OPD {made.opd.kode} dibuat dengan perencana {made.perencana.username}. "
                "Sampaikan nama pengguna dan kata sandi awal kepada perencana; setelah masuk, "
                "dasbornya menuntun langkah menuju LAKIP pertama.",
            )
            return redirect("pemda_now")
    return render(
        request,
        "kabupaten/opd_new.html",
        {"pemda": pemda, "errors": errors, "values": values},
        status=400 if refused else 200,
    )


@login_required
def links(request: HttpRequest) -> HttpResponse:
    """Bappeda: the cascading links of the Pemda, proposals first, to accept or refuse."""
    pemda = _pemda(request)
    rows = list(
        TautanRpjmd.objects.filter(sasaran_rpjmd__periode__opd__pemda=pemda)
        .select_related(
            "sasaran__periode__opd", "program__periode__opd", "sasaran_rpjmd", "diajukan_oleh"
        )
        .order_by("status", "id")
    )
    return render(
        request,
        "kabupaten/links.html",
        {
            "pemda": pemda,
            "rows": rows,
            "can_manage": can_manage_pemda(request.user, pemda.pk),
            "opds": Opd.objects.filter(pemda=pemda, jenis=JenisOpd.OPD).order_by("nama"),
        },
    )


@login_required
@require_POST
def link_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _pemda(request)
    link = get_object_or_404(TautanRpjmd, pk=pk)
    data = valid_or_400(KeputusanForm(request.POST))
    try:
        tautan_decide(
            user=acting_user(request),
            obj=link,
            terima=data["keputusan"] == "terima",
            alasan=data["alasan"],
            versi=data["versi"] or 0,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Keputusan tautan disimpan.")
    return redirect("pemda_links")


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """The OPD perencana: link each sasaran of their Renstra to the RPJMD sasaran it supports."""
    opd = Opd.objects.select_related("pemda").filter(pk=user_opd_id(request.user) or 0).first()
    if opd is None or opd.pemda is None or not can_manage_plan(request.user, opd.pk):
        raise PermissionDenied("Hanya perencana OPD yang dapat mengajukan tautan ke RPJMD.")
    tahun = datetime.date.today().year
    rpjmd = rpjmd_for(opd.pemda, tahun) or rpjmd_for(opd.pemda, tahun - 1)
    targets = list(Sasaran.objects.filter(periode=rpjmd)) if rpjmd else []
    sasaran = list(
        Sasaran.objects.filter(periode__opd=opd).select_related("tautan_rpjmd__sasaran_rpjmd")
    )
    if request.method == "POST":
        data = valid_or_400(UsulanTautanForm(request.POST))
        node = get_object_or_404(Sasaran, pk=data["sasaran"], periode__opd=opd)
        target = get_object_or_404(Sasaran, pk=data["sasaran_rpjmd"])
        try:
            tautan_propose(
                user=acting_user(request),
                node=node,
                sasaran_rpjmd=target,
                dasar=data["dasar"],
                versi=data["versi"] or 0,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Tautan diajukan ke Bappeda.")
        return redirect("link_propose")
    return render(
        request,
        "kabupaten/propose.html",
        {
            "opd": opd,
            "rpjmd": rpjmd,
            "targets": targets,
            "sasaran": sasaran,
            "status": StatusTautan,
            "program_count": Program.objects.filter(periode__opd=opd).count(),
        },
    )


def _opd_chart(opds: list[reader.OpdLine]) -> str:
    ordered = sorted(opds, key=reader.SORTS["capaian"])
    return charts.opd_chart(
        [(o.opd.singkatan or o.opd.kode, o.summary.mean, o.summary.kategori) for o in ordered]
    )


@login_required
@require_POST
def lkjip_file(request: HttpRequest, tahun: int, fmt: str) -> HttpResponse:
    """The LKjIP Pemda by the same path as an OPD's LAKIP from its LAKIP page: a final year's
    stored bytes at once, a draft built in the background with its progress page (it was built
    inside the request here, and as a job from the LAKIP page)."""
    from renstra.pemda import plan_unit

    pemda = _pemda(request)
    unit = plan_unit(pemda)
    if unit is None:
        raise PermissionDenied(f"{pemda} belum memiliki RPJMD.")
    return serve_lakip(request, unit, tahun, fmt, back=reverse("pemda_dashboard", args=[tahun]))
