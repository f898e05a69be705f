"""Hostile parameters (security finding 6): every URL of the project, signed in as every role,
answers hostile path, query and form values with 400, 403, 404, a redirect or a form error —
never a 500 — and the reproductions of the outside attacker's 500s, one test each, save
nothing.

The walk reads the URL patterns from the resolver, so a page added later is walked without
being listed here; only the path values of known ids (an indicator, a link, a job) are chosen
by name, a new parameter falls back to hostile values alone."""

from __future__ import annotations

import datetime
import io
import re
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, UUIDConverter

from dokumen.services import dokumen_publish, dokumen_save
from indicators.models import Indikator, Realisasi
from intake.models import ImporBerkas, JenisImpor
from renstra.door import SystemActor
from renstra.models import JenisOpd, Opd, Role, Sasaran, TautanRpjmd
from reporting.models import CatatanReviu, LakipVersi, PembuatanLaporan, PengaturanLaporan
from tests.evidence_files import pdf as evidence_pdf
from tests.factories import make_user
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

LONG = "x" * 10_000
HOSTILE = (
    "abc",
    "1.5",
    "1e3",
    "²",
    "-1",
    "99999999999999999999",
    "",
    "2024-02-30",
    "0000-00-00",
    "2024-13-01",
    "\x00",
    "<script>",
    "' OR 1=1 --",
    LONG,
)
# A query parameter is an id, a number, a code or a word: one value of each kind.
HOSTILE_QUERY = ("abc", "1.5", "²", "-1", "99999999999999999999", "\x00", LONG)
# Names some view reads (or once read) by hand, sent to every page besides its own form's.
KNOWN_NAMES = (
    "versi",
    "hapus",
    "sasaran",
    "sasaran_rpjmd",
    "tanggal_ttd",
    "tempat_ttd",
    "tahun",
    "bidang",
    "format",
    "halaman",
    "next",
    "opd",
    "pemda",
    "urut",
    "cari",
    "terlambat",
    "tampil",
    "jenis",
    "keputusan",
    "alasan",
    "teks",
    "konfirmasi",
    "terapkan",
    "sha",
    "perubahan",
    "p",
    "o",
    "q",
)
# Path values that match the converter but name nothing, or overflow every integer column.
HOSTILE_PATH = {
    "int": ("0", "99999999999", "99999999999999999999", "-1", "²"),
    "str": ("TIDAKADA", "²", "\x00", "<script>", "' OR 1=1 --", "x" * 2000),
    "uuid": (str(uuid.UUID(int=0)), "not-a-uuid"),
    "path": ("abc", "99999999999999999999", "²", "\x00"),
}
# The admin pages walked: the plan's models, their list, add and change pages.
ADMIN_MODELS = (
    "renstra_tujuan",
    "renstra_sasaran",
    "renstra_program",
    "renstra_kegiatan",
    "renstra_subkegiatan",
    "renstra_perioderenstra",
    "indicators_indikator",
    "indicators_target",
    "indicators_realisasi",
)
ADMIN_VIEWS = ("changelist", "add", "change")

MANAGEMENT = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
# Pages that render a whole tree or a workbook on every request, and the admin's pages: walked
# with fewer values (one of each kind) so that the walk stays bounded.
HEAVY = {"intake:realisasi_template", "indicators:rencana_aksi", "pemda_pohon"}
FEW = ("abc", "²", "99999999999999999999", "2024-02-30", "\x00", LONG)
# Pages that build a whole report on each request (and read no parameter of their own): three.
BUILDS = {"lakip_preview", "pemda_lkjip", "evaluasi:lhe_file"}
FEWEST = ("²", "\x00")
ROLES = ("anonim", "admin", "perencana", "kabid", "pimpinan", "bappeda", "inspektorat", "bupati")


def truncated_xlsx() -> bytes:
    """The head of a real workbook cut in the middle: a zip whose central directory is gone."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 200)
        archive.writestr("xl/workbook.xml", "<workbook/>" * 200)
    return buffer.getvalue()[:300]


@dataclass
class Route:
    route: str
    name: str
    converters: dict[str, Any]


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    routes: list[Route] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            routes += _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            converters = {**getattr(p.pattern, "converters", {})}
            routes.append(Route(prefix + str(p.pattern), f"{namespace}{p.name}", converters))
    return routes


def project_routes() -> list[Route]:
    chosen_admin = {f"admin:{m}_{v}" for m in ADMIN_MODELS for v in ADMIN_VIEWS}
    routes = []
    for r in _walk(get_resolver().url_patterns):
        if r.route.startswith("admin/") and r.name not in chosen_admin:
            continue  # Django's own admin machinery: a chosen set of the plan's pages only
        if r.route.startswith(("static/", "media/")):
            continue
        routes.append(r)
    return routes


def kind_of(converter: Any) -> str:
    if isinstance(converter, IntConverter):
        return "int"
    if isinstance(converter, UUIDConverter):
        return "uuid"
    if isinstance(converter, PathConverter):
        return "path"
    return "str"


_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def url_of(route: str, values: dict[str, str]) -> str:
    return "/" + _PARAM.sub(lambda m: quote(values[m["name"]], safe=""), route)


@dataclass
class World:
    users: dict[str, Any]
    valid: dict[tuple[str, str], str] = field(default_factory=dict)


def world() -> World:
    """The seed's DP3APPKBPMD and Balangan, a user of every role, a final LAKIP version (so
    ``?versi=`` is read), a report job and an import job (so their pages render)."""
    opd = Opd.objects.get(kode="DP3APPKBPMD")
    unit = Opd.objects.get(pemda__kode="BALANGAN", jenis=JenisOpd.PEMDA)
    bidang = opd.bidang_set.order_by("kode").first()
    users = {
        "admin": make_user("admin", Role.ADMIN, opd=opd),
        "perencana": make_user("perencana", Role.PERENCANA, opd=opd),
        "kabid": make_user("kabid", Role.KABID, opd=opd, bidang=bidang),
        "pimpinan": make_user("pimpinan", Role.PIMPINAN, opd=opd),
        "bappeda": make_user("bappeda", Role.BAPPEDA, opd=unit),
        "inspektorat": make_user("inspektorat", Role.INSPEKTORAT, opd=unit),
        "bupati": make_user("bupati", Role.KEPALA_DAERAH, opd=unit),
    }
    LakipVersi.objects.create(
        opd=opd,
        tahun=2023,
        nomor=1,
        pdf=b"%PDF-1.4",
        xlsx=b"PK",
        sha256_pdf="0" * 64,
        sha256_xlsx="0" * 64,
        engine_version="1",
        skala_kode="uji",
        skala_versi="1",
    )
    # A published register entry with its scan, so the register's rows, scan and public
    # download are walked with something behind them.
    register = dokumen_save(
        user=SystemActor("uji"),
        opd=opd,
        tahun=2024,
        jenis=6,
        nomor="800/6/2024",
        tanggal_penetapan=datetime.date(2024, 1, 20),
        berkas=io.BytesIO(evidence_pdf()),
    )
    dokumen_publish(
        user=SystemActor("uji"), opd=opd, tahun=2024, jenis=6, tanggal=datetime.date(2024, 2, 1)
    )
    job = PembuatanLaporan.objects.create(
        opd=opd, tahun=2024, format="pdf", diminta_oleh=users["perencana"]
    )
    impor = ImporBerkas.objects.create(
        jenis=JenisImpor.REALISASI, opd=opd, tahun=2024, berkas=b"", diminta_oleh=users["kabid"]
    )
    indikator = Indikator.objects.filter(periode__opd=opd, sasaran__isnull=False).first()
    assert indikator is not None
    realisasi = Realisasi.objects.filter(indikator__periode__opd=opd).first()
    tautan = TautanRpjmd.objects.filter(sasaran__periode__opd=opd).first()
    assert realisasi is not None and tautan is not None
    w = World(users=users)
    w.valid = {
        ("", "tahun"): "2024",
        ("", "kode"): "DP3APPKBPMD",
        ("", "fmt"): "docx",  # the cheapest report to build
        ("", "uidb64"): "MQ",
        ("", "token"): "set-password",
        ("indicators:realisasi_edit", "pk"): str(indikator.pk),
        ("indicators:evidence", "pk"): str(realisasi.pk),
        ("account_reset_link", "pk"): str(users["kabid"].pk),
        ("account_two_factor_reset", "pk"): str(users["kabid"].pk),
        ("pemda_link_decide", "pk"): str(tautan.pk),
        ("job_status", "job_id"): str(job.pk),
        ("job_result", "job_id"): str(job.pk),
        ("intake:import_status", "job_id"): str(impor.pk),
        ("register:scan", "jenis"): "6",
        ("register:publik", "kode"): "BALANGAN",
        ("register:publik_scan", "kode"): "BALANGAN",
        ("register:publik_scan", "pk"): str(register.pk),
    }
    for info in ADMIN_MODELS:
        app, model = info.split("_", 1)
        from django.apps import apps

        first = apps.get_model(app, model)._default_manager.order_by("pk").first()
        w.valid[(f"admin:{info}_change", "object_id")] = str(first.pk if first else 1)
    return w


def valid_value(w: World, r: Route, name: str) -> str:
    return w.valid.get((r.name, name)) or w.valid.get(("", name)) or "1"


_FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"[^>]*>", re.I)
_FILE = re.compile(r"<input\b[^>]*\btype=\"file\"[^>]*\bname=\"([^\"]+)\"", re.I)


@dataclass
class Walk:
    client: Client
    user: Any
    cookies: str = ""
    requests: int = 0
    failures: list[str] = field(default_factory=list)

    def send(self, method: str, url: str, data: dict[str, Any], what: str) -> Any:
        self.requests += 1
        # The signed-in cookie is put back too: the rollback keeps the session row, not the
        # cookie a walked "keluar" or a refused code cleared.
        self.client.cookies = SimpleCookie(self.cookies)
        send = self.client.post if method == "POST" else self.client.get
        # Each request in a savepoint rolled back afterwards: a database error stays in its
        # request, and every request meets the same world (a walked "keluar" signs nobody
        # out, a walked note is not there for the next page).
        with transaction.atomic():
            response = send(url, data)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {method} {url[:120]} {what}")
        return response


def _shown(value: str) -> str:
    return repr(value if len(value) < 40 else value[:12] + f"…({len(value)} chars)")


def walk_route(walk: Walk, w: World, r: Route) -> None:
    valid = {name: valid_value(w, r, name) for name in r.converters}
    # 1. Each path parameter in turn takes each hostile value (the others stay valid).
    for name, converter in r.converters.items():
        for value in HOSTILE_PATH[kind_of(converter)]:
            url = url_of(r.route, {**valid, name: value})
            for method in ("GET", "POST"):
                walk.send(method, url, {}, f"path {name}={_shown(value)}")
    # 2. The valid path with hostile values for every name the page's forms declare and
    # every known name, all at once per value.
    url = url_of(r.route, valid)
    first = walk.send("GET", url, {}, "no parameters")
    page = first.content.decode(errors="replace") if "html" in first.get("Content-Type", "") else ""
    declared = set(KNOWN_NAMES) | set(_FIELD.findall(page))
    names = sorted(declared - {"csrfmiddlewaretoken"})
    files = set(_FILE.findall(page))
    # An inline's form count stays as the page gave it: a hostile count makes Django build
    # its 1.000 blank forms (its own bound), which costs seconds and tests nothing of ours.
    management = {n: v for n, v in form_data(page).items() if n.endswith(MANAGEMENT)}
    few = r.name in HEAVY or r.name.startswith("admin:")
    posted = FEWEST if r.name in BUILDS else FEW if few else HOSTILE
    queried = FEWEST if r.name in BUILDS else FEW if few else HOSTILE_QUERY
    for value in queried:
        walk.send("GET", url, dict.fromkeys(names, value), f"query *={_shown(value)}")
    for value in posted:
        data = dict.fromkeys(names, value) | management
        walk.send("POST", url, data, f"form *={_shown(value)}")
    if files:
        data = {}
        for n in files:
            upload = io.BytesIO(truncated_xlsx())
            upload.name = "realisasi.xlsx"
            data[n] = upload
        walk.send("POST", url, data, f"files {sorted(files)}=truncated .xlsx")


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_hostile_values_without_a_500(seed_module, settings, role):
    # A draft report is queued, not built: the walk is about reading parameters.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    w = world()
    user = w.users.get(role)
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    walk = Walk(client, user, cookies=client.cookies.output(header="", sep=";"))
    routes = project_routes()
    started = time.monotonic()
    import sys

    for r in routes:
        t0 = time.monotonic()
        walk_route(walk, w, r)
        print(f"TIMING {time.monotonic() - t0:6.2f} {r.name}", file=sys.stderr)
    print(
        f"{role}: {len(routes)} URLs, {walk.requests} requests, {time.monotonic() - started:.1f} s"
    )
    # The walk reached the pages it means to: every app's and the chosen admin pages.
    assert len(routes) >= 60
    assert {"pemda_opd", "lakip_file", "intake:realisasi_spreadsheet"} <= {r.name for r in routes}
    assert not walk.failures, f"{len(walk.failures)} answers ≥ 500:\n" + "\n".join(
        walk.failures[:40]
    )


# --- the outside attacker's reproductions, one test each ----------------------------------


def _signed_in(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _rows(model: Any) -> list[dict[str, Any]]:
    return list(model.objects.order_by("pk").values())


PARENT_OF = {"sasaran": "tujuan", "kegiatan": "program", "subkegiatan": "kegiatan"}


@pytest.mark.parametrize("model", sorted(PARENT_OF))
@pytest.mark.parametrize("parent", ["", "abc", "99999999999999999999"])
def test_admin_add_of_a_child_node_without_a_valid_parent_shows_the_error_and_saves_nothing(
    seed_module, model, parent
):
    from django.apps import apps

    w = world()
    client = _signed_in(w.users["admin"])
    url = f"/admin/renstra/{model}/add/"
    data = form_data(client.get(url).content.decode())
    data.update({"nama": "Simpul uji", PARENT_OF[model]: parent})
    before = _rows(apps.get_model("renstra", model))

    response = client.post(url, data)

    assert response.status_code == 200  # the form again, with the field's error
    assert PARENT_OF[model] in response.context["adminform"].form.errors
    assert _rows(apps.get_model("renstra", model)) == before


@pytest.mark.parametrize("tanggal", ["2024-02-30", "0000-00-00", "2024-13-01"])
def test_lakip_settings_with_impossible_date_answers_400_and_saves_nothing(seed_module, tanggal):
    w = world()
    before = _rows(PengaturanLaporan)

    response = _signed_in(w.users["perencana"]).post(
        "/lakip/2024/pengaturan/", {"tempat_ttd": "Paringin", "tanggal_ttd": tanggal}
    )

    assert response.status_code == 400
    assert "Tanggal penandatanganan tidak valid" in response.content.decode()
    assert _rows(PengaturanLaporan) == before


def test_lakip_settings_with_a_real_date_is_saved(seed_module):
    """The form still takes what the page's date input sends."""
    w = world()
    response = _signed_in(w.users["perencana"]).post(
        "/lakip/2024/pengaturan/", {"tempat_ttd": "Paringin", "tanggal_ttd": "2025-02-14"}
    )
    assert response.status_code == 302
    setting = PengaturanLaporan.objects.get(opd__kode="DP3APPKBPMD", tahun=2024)
    assert str(setting.tanggal_ttd) == "2025-02-14"


@pytest.mark.parametrize("hapus", ["abc", "1.5", "²"])
def test_review_note_delete_with_an_id_that_is_no_number_answers_400_and_deletes_nothing(
    seed_module, hapus
):
    w = world()
    client = _signed_in(w.users["inspektorat"])
    url = "/pemda/2024/opd/DP3APPKBPMD/"
    assert client.post(url, {"teks": "Catatan uji"}).status_code == 302
    before = _rows(CatatanReviu)
    assert len(before) == 1

    response = client.post(url, {"hapus": hapus})

    assert response.status_code == 400
    assert _rows(CatatanReviu) == before


def test_review_note_delete_of_an_id_that_names_nothing_answers_404(seed_module):
    w = world()
    response = _signed_in(w.users["inspektorat"]).post(
        "/pemda/2024/opd/DP3APPKBPMD/", {"hapus": "9223372036854775807"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("versi", ["abc", "1e3", "1.5"])
def test_link_decision_with_a_version_that_is_no_number_answers_400_and_changes_nothing(
    seed_module, versi
):
    w = world()
    link = TautanRpjmd.objects.filter(sasaran__periode__opd__kode="DP3APPKBPMD").first()
    assert link is not None
    before = _rows(TautanRpjmd)

    response = _signed_in(w.users["bappeda"]).post(
        f"/pemda/tautan/{link.pk}/", {"keputusan": "tolak", "alasan": "uji", "versi": versi}
    )

    assert response.status_code == 400
    assert _rows(TautanRpjmd) == before


@pytest.mark.parametrize("field", ["versi", "sasaran", "sasaran_rpjmd"])
def test_link_proposal_with_a_value_that_is_no_number_answers_400_and_saves_nothing(
    seed_module, field
):
    w = world()
    sasaran = Sasaran.objects.filter(periode__opd__kode="DP3APPKBPMD").first()
    target = Sasaran.objects.filter(periode__opd__kode="BALANGAN").first()
    assert sasaran is not None and target is not None
    data = {"sasaran": sasaran.pk, "sasaran_rpjmd": target.pk, "versi": 0, field: "abc"}
    before = _rows(TautanRpjmd)

    response = _signed_in(w.users["perencana"]).post("/tautan-rpjmd/", data)

    assert response.status_code == 400
    assert _rows(TautanRpjmd) == before


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("kabid", "/realisasi/99999999999999999999/"),
        ("kabid", "/realisasi/0/"),
        ("kabid", "/realisasi/9999/"),
        ("kabid", "/realisasi/2024/99999999999999999999/"),
        ("kabid", "/realisasi/2024/9223372036854775808/"),
        ("kabid", "/realisasi/bukti/99999999999999999999/"),
        ("bappeda", "/pemda/99999999999/"),
        ("bappeda", "/pemda/1999/"),
        ("bappeda", "/pemda/2024/opd/%00/"),
        ("bappeda", "/pemda/tautan/99999999999999999999/"),
        ("perencana", "/lakip/99999999999/unduh/pdf/"),
        ("admin", "/akun/pengguna/99999999999/tautan/"),
    ],
)
def test_ids_and_years_out_of_range_in_the_path_answer_404(seed_module, role, url):
    w = world()
    client = _signed_in(w.users[role])
    answers = {client.get(url).status_code, client.post(url).status_code}
    # A POST-only page refuses the GET (405) before it looks; the POST finds nothing.
    assert answers in ({404}, {404, 405})


@pytest.mark.parametrize("versi", ["²", "abc", "-1", "1.5", "99999999999999999999"])
def test_lakip_download_of_a_final_year_with_a_version_that_is_no_number_answers_400(
    seed_module, versi
):
    w = world()  # a final version 1 of 2023
    client = _signed_in(w.users["pimpinan"])

    assert client.get("/lakip/2023/unduh/pdf/", {"versi": versi}).status_code == 400
    ok = client.get("/lakip/2023/unduh/pdf/", {"versi": "1"})
    assert ok.status_code == 200
    assert ok.content == b"%PDF-1.4"


def _zip_without_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bukan-excel.txt", "halo")
    return buffer.getvalue()


def _empty_workbook() -> bytes:
    """A workbook without a single cell: no header row for the reader to take (a 500 once)."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content", [truncated_xlsx(), _zip_without_a_workbook(), _empty_workbook()]
)
def test_workbook_upload_of_a_damaged_file_answers_400_with_the_reason_and_saves_nothing(
    seed_module, content
):
    w = world()
    client = _signed_in(w.users["kabid"])
    before = _rows(Realisasi)
    upload = io.BytesIO(content)
    upload.name = "realisasi-2024.xlsx"

    response = client.post("/realisasi/2024/excel/", {"berkas": upload})

    assert response.status_code == 400
    assert "tidak dapat dibaca sebagai lembar kerja Excel" in response.content.decode()
    assert _rows(Realisasi) == before
    assert "realisasi_upload" not in client.session


def test_second_factor_page_with_a_next_that_is_no_path_answers_without_a_500(seed_module):
    w = world()
    response = _signed_in(w.users["perencana"]).get("/masuk/kode/", {"next": "abc"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_in_with_an_overlong_username_answers_without_a_500(seed_module):
    client = Client(raise_request_exception=False)
    response = client.post("/masuk/", {"username": LONG, "password": "salah-sekali"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    from axes.models import AccessAttempt

    # Refused by the form before it reached the throttle's record (255 characters).
    assert not AccessAttempt.objects.filter(username__startswith=LONG[:50]).exists()
