"""No English in the admin: every changelist (with the seed's rows, so its column headers
show), add page and a change page of every registered model, read as the admin sees them."""

import contextlib
import html as html_lib
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from renstra.models import Opd, Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# Words of Django's and the libraries' English that are not also Indonesian ("data", "status",
# "filter", "format", "log", "email", "token" and "no" are, and stay allowed).
ENGLISH = re.compile(
    r"\b(the|of|and|to|is|are|this|can|value|display|date|time|user|users|name|type|history|"
    r"add|change|delete|view|search|save|select|password|device|key|confirmed|throttling|"
    r"created|updated|object|content|entry|group|groups|permission|permissions|staff|active|"
    r"first|last|show|count|drift|digits|step|tolerance|attempt|attempts|failure|failures|"
    r"since|agent|path|expiration|expires|field|more|help|home|site|administration|login|"
    r"logout|recent|none|yes|unknown|queue|task|result|priority|enqueued|finished|static|"
    r"number|seconds|used|successive|timestamp|null|succeeded|belongs|ready|initially|tasks|"
    r"otp|axes)\b",
    re.IGNORECASE,
)


def visible_text(page: str) -> set[str]:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    # Titles and placeholders are read too; URLs, names and ids are not text.
    attrs = re.findall(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", "\n", page)
    return {html_lib.unescape(t).strip() for t in [*text.split("\n"), *attrs] if t.strip()}


def pages_of(model):
    info = f"{model._meta.app_label}_{model._meta.model_name}"
    for view in ("changelist", "add"):
        url = None
        with contextlib.suppress(NoReverseMatch):
            url = reverse(f"admin:{info}_{view}")
        if url is not None:
            yield url
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        yield reverse(f"admin:{info}_change", args=[first.pk])


@pytest.fixture(scope="module")
def admin_pages(seed_module, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        user = make_user("root", Role.ADMIN, opd=Opd.objects.get(kode="DP3APPKBPMD"))
        client = Client()
        client.force_login(user)
        pages = {reverse("admin:index"): client.get(reverse("admin:index"))}
        for model in admin.site._registry:
            for url in pages_of(model):
                pages[url] = client.get(url)
        user.delete()
    return pages


# Final versions, report jobs, task results, login records and SIPD's monthly realisasi are
# made by the product only.
NO_ADD = {
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
    "api_tugasapi",
    "django_tasks_database_dbtaskresult",
    "reporting_lakipversi",
    "reporting_pembuatanlaporan",
    "renstra_anggaranbulanan",
}


def test_every_admin_page_answers(admin_pages):
    assert len(admin_pages) > 60
    refused = {url for url, r in admin_pages.items() if r.status_code != 200}
    assert refused == {reverse(f"admin:{info}_add") for info in NO_ADD}
    for url in refused:
        assert admin_pages[url].status_code == 403
        assert "Akses ditolak" in admin_pages[url].content.decode()


# Data, not interface: django-axes' placeholder for a request without a user agent.
DATA = {"<unknown>"}


def test_no_admin_page_shows_english(admin_pages):
    found = {}
    for url, response in admin_pages.items():
        english = sorted(
            t
            for t in visible_text(response.content.decode())
            if ENGLISH.search(t) and t not in DATA
        )
        if english:
            found[url] = english
    Path("test-artifacts").mkdir(exist_ok=True)
    Path("test-artifacts/admin-english.txt").write_text(
        "\n".join(f"{url}: {words}" for url, words in found.items())
    )
    assert found == {}


def test_the_target_changelist_names_the_value_column_in_indonesian(admin_pages):
    page = admin_pages[reverse("admin:indicators_target_changelist")].content.decode()
    assert "column-display_value" in page
    header = page.split('class="column-display_value"')[1].split("</th>")[0]
    assert ">Nilai<" in header or ">nilai<" in header


def test_the_import_success_message_names_what_was_imported_first(monkeypatch):
    # django-import-export formats its message with the model's name last, which read
    # "… dan 132 dilewati target." in Indonesian.
    from django.contrib import messages
    from django.utils import translation
    from import_export.admin import ImportMixin
    from import_export.results import Result, RowResult

    from indicators.models import Target

    result = Result()
    result.totals.update(
        {
            RowResult.IMPORT_TYPE_NEW: 3,
            RowResult.IMPORT_TYPE_UPDATE: 2,
            RowResult.IMPORT_TYPE_DELETE: 0,
            RowResult.IMPORT_TYPE_SKIP: 132,
        }
    )
    mixin = ImportMixin.__new__(ImportMixin)
    mixin.model = Target
    sent: list[str] = []
    monkeypatch.setattr(messages, "success", lambda request, text: sent.append(str(text)))
    with translation.override("id"):
        mixin.add_success_message(result, object())
    plural = Target._meta.verbose_name_plural
    assert sent == [f"Impor {plural} selesai: 3 baru, 2 diubah, 0 dihapus, 132 tidak berubah."]


def test_the_opd_field_is_labelled_opd_not_opd_in_title_case(client):
    # A new OPD's perencana read "Opd:" above their only OPD on the period and bidang forms.
    from tests.factories import OpdFactory

    user = make_user("perencana_label", Role.PERENCANA, opd=OpdFactory())
    client.force_login(user)
    for name in ("renstra_perioderenstra_add", "renstra_bidang_add"):
        html = client.get(reverse(f"admin:{name}")).content.decode()
        assert '<label class="required" for="id_opd">OPD:</label>' in html, name
        assert ">Opd:</label>" not in html
