"""A perencana of an OPD with a Renstra period and nothing else imports its IKU/IK decree from
the "Mulai" checklist's link: upload, the preview of what would be created, "Terapkan", and
the checklist's step is done. In Debian's Chromium at 1366 px, no address typed but the
sign-in page's, no 5xx."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from indicators.models import Indikator
from renstra.models import Opd, Pemda, Penugasan, PeriodeRenstra, Role
from renstra.permissions import GROUP_NAMES
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

DECREE = Path(__file__).resolve().parents[2] / "fixtures" / "decree" / "dspppapmd_iku_2021.txt"


def test_a_new_opds_perencana_imports_its_decree_from_the_checklist(page, artifacts):
    failures: list[str] = []
    page.on(
        "response",
        lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )
    # What Bappeda's "OPD baru" and the checklist's first step leave (their own journeys are
    # tested in test_opd_baru_journey.py): an OPD, its period, its perencana.
    opd = Opd.objects.create(
        kode="DINSOSB", nama="Dinas Sosial Baru", pemda=Pemda.objects.get(kode="BALANGAN")
    )
    PeriodeRenstra.objects.create(opd=opd, tahun_awal=2021, tahun_akhir=2026)
    user = User.objects.create_user("perencana_dinsos", password="demo12345")
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.PERENCANA]))
    Penugasan.objects.create(user=user, opd=opd)

    login(page, "perencana_dinsos")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    step = page.locator("#mulai li", has=page.locator("strong", has_text="Pohon kinerja dan IKU"))
    expect(step).not_to_contain_text("selesai")
    step.get_by_role("link", name="Impor keputusan IKU/IK").click()
    page.wait_for_url(re.compile(r"/admin/indicators/indikator/keputusan/|/decree"))
    # The perencana's only OPD is already chosen.
    expect(page.get_by_label("OPD")).to_have_value(str(opd.pk))
    page.get_by_label("Tabel keputusan IKU/IK").set_input_files(str(DECREE))
    page.get_by_role("button", name="Periksa (pratinjau)").click()
    expect(page.get_by_role("heading", name="Pratinjau (belum disimpan)")).to_be_visible()
    preview = page.locator("#content table").first.inner_text()
    assert "Indikator\t141\t0" in preview, preview
    page.screenshot(path=str(artifacts / "keputusan-pratinjau.png"), full_page=True)
    assert not Indikator.objects.filter(periode__opd=opd).exists()

    page.get_by_role("button", name="Terapkan impor").click()
    expect(page.locator(".messagelist")).to_contain_text("Keputusan diimpor: ")
    assert Indikator.objects.filter(periode__opd=opd).count() == 141
    assert Indikator.objects.filter(periode__opd=opd, jenis="IKU").exists()
    page.get_by_role("link", name="Lihat situs").click()
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    expect(step).to_contain_text("selesai")
    page.screenshot(path=str(artifacts / "keputusan-mulai.png"), full_page=True)
    assert failures == [], failures
