"""No page of the product depends on Django's form-field limit (issue #19, finding 3; issue
#20): the rencana aksi page of DP3APPKBPMD posted 1.009 fields, above
``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (1.000), so it could never be saved. For an OPD of 300
quarterly indicators every form a perencana and a kabid are served stays under the limit, and
the rencana aksi saves on its first and last page."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from bench.synthetic import build_synthetic_opd
from indicators.models import Indikator, TargetTriwulan
from indicators.rencana_aksi_views import PAGE_SIZE
from indicators.selectors import of_bidang
from renstra.models import Bidang, PeriodeRenstra, Role
from tests.factories import make_user
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


class _FieldCounter(HTMLParser):
    """The number of fields each form of a page submits (named inputs, selects, textareas)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[int] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = True
            self.forms.append(0)
        elif (
            self.inside
            and tag in ("input", "select", "textarea")
            and a.get("name")
            and a.get("type") not in ("submit", "button", "reset", "image")
        ):
            self.forms[-1] += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def fields_per_form(html: str) -> list[int]:
    counter = _FieldCounter()
    counter.feed(html)
    return counter.forms


@pytest.fixture
def big(db):
    opd = build_synthetic_opd("BESAR", indicators=300)
    bidang = Bidang.objects.filter(opd=opd).order_by("kode").first()
    return {
        "opd": opd,
        "perencana": make_user("perencana", Role.PERENCANA, opd=opd),
        "kabid": make_user("kabid", Role.KABID, opd=opd, bidang=bidang),
    }


def _pages(big) -> list[str]:
    opd = big["opd"]
    periode = PeriodeRenstra.objects.get(opd=opd)
    ind = Indikator.objects.filter(periode=periode).order_by("pk").first()
    pages = [
        reverse("dashboard", args=[2025]),
        reverse("indicators:realisasi_list", args=[2025]),
        reverse("indicators:realisasi_edit", args=[2025, ind.pk]),
        reverse("intake:realisasi_spreadsheet", args=[2025]),
        reverse("lakip", args=[2025]),
        reverse("admin:renstra_perioderenstra_change", args=[periode.pk]),
        reverse("admin:indicators_indikator_changelist"),
        reverse("admin:indicators_indikator_change", args=[ind.pk]),
        reverse("admin:indicators_target_changelist"),
    ]
    pages += [
        reverse("indicators:rencana_aksi", args=[2025]) + f"?halaman={n}"
        for n in range(1, 300 // PAGE_SIZE + 1)
    ]
    return pages


@pytest.mark.parametrize("role", ["perencana", "kabid"])
def test_no_form_of_a_300_indicator_opd_exceeds_the_field_limit(client, big, role):
    client.force_login(big[role])
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    seen = 0
    for url in _pages(big):
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code in (302, 403), (url, response.status_code)
            continue
        counts = fields_per_form(response.content.decode())
        seen += 1
        assert all(n <= limit for n in counts), (url, counts)
    assert seen >= 5


def test_the_rencana_aksi_of_a_300_indicator_opd_saves_page_by_page(client, big):
    client.force_login(big["perencana"])
    base = reverse("indicators:rencana_aksi", args=[2025])
    first = client.get(base).content.decode()
    assert "Indikator 1–25 dari 300 indikator triwulanan" in first
    assert "halaman 1 dari 12" in first
    data = form_data(first, form_id="rencana-aksi-form")
    assert len(data) <= PAGE_SIZE * 8 + 1
    inputs = sorted(k for k in data if k.endswith("_tw1"))
    data[inputs[0]] = "12,5"

    response = client.post(base, data)

    assert response.status_code == 302
    assert response["Location"] == base
    last_url = f"{base}?halaman=12"
    last = form_data(client.get(last_url).content.decode(), form_id="rencana-aksi-form")
    last_inputs = sorted(k for k in last if k.endswith("_tw4"))
    last[last_inputs[-1]] = "99"
    response = client.post(last_url, last)
    assert response.status_code == 302
    assert response["Location"] == last_url
    assert sorted(TargetTriwulan.objects.values_list("nilai", flat=True)) == [
        Decimal("12.5"),
        Decimal("99"),
    ]


def test_the_rencana_aksi_filters_by_bidang(client, big):
    client.force_login(big["perencana"])
    bidang = Bidang.objects.filter(opd=big["opd"]).order_by("kode").first()
    html = client.get(
        reverse("indicators:rencana_aksi", args=[2025]) + f"?bidang={bidang.pk}"
    ).content.decode()
    assert f"indikator triwulanan bidang {bidang.nama}" in html
    own = Indikator.objects.filter(periode__opd=big["opd"]).filter(of_bidang(bidang.pk)).count()
    assert 0 < own < 300
    assert f"dari {own} indikator triwulanan" in html


@pytest.mark.parametrize("query", ["bidang=abc", "bidang=999999", "halaman=abc", "halaman=0"])
def test_a_bad_rencana_aksi_query_is_a_bad_request(client, big, query):
    client.force_login(big["perencana"])
    response = client.get(reverse("indicators:rencana_aksi", args=[2025]) + "?" + query)
    assert response.status_code == 400
