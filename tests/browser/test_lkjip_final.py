"""Bappeda cannot finalise an LKjIP Pemda that would carry placeholders (issue #20, item 6):
the seed's RPJMD has no IKU Pemda and Balangan no Bupati's name yet, so the attempt ends with
what to complete, and nothing is stored or locked."""

import re

import pytest

from renstra.models import KunciTahun
from reporting.models import LakipVersi
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_bappeda_is_told_what_the_lkjip_lacks_before_it_can_be_final(page, artifacts):
    login(page, "bappeda")
    page.wait_for_url(re.compile(r"/pemda/\d{4}/"))
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="LKjIP Pemda", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/lakip/\d{4}/"))
    page.get_by_label(re.compile("Saya memahami bahwa LAKIP")).check()
    page.get_by_role("button", name=re.compile(r"Tetapkan LAKIP \d{4} final")).click()
    page.wait_for_url(re.compile(r"/proses/"))
    page.locator("text=Gagal:").wait_for(timeout=240_000)
    failure = page.locator("p.error").inner_text()
    page.screenshot(path=str(artifacts / "lkjip-final-ditolak.png"), full_page=True)
    assert "LAKIP belum dapat ditetapkan final; lengkapi dahulu:" in failure
    assert "indikator kinerja utama (IKU)" in failure
    assert "nama penandatangan (Bupati Balangan)" in failure
    assert not LakipVersi.objects.exists()
    assert not KunciTahun.objects.exists()
