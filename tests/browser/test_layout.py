"""What the browser showed (issue 11, point 8), each checked in Debian's Chromium, with a
screenshot in test-artifacts/ per page."""

import re

import pytest
from django.urls import reverse

from indicators.models import Indikator
from reporting.models import PembuatanLaporan
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MENU = ["Dasbor", "Realisasi", "Rencana aksi", "LAKIP"]


def page_width(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def widest_table(page) -> int:
    return int(
        page.evaluate(
            "Math.max(0, ...[...document.querySelectorAll('table')].map(t => t.scrollWidth))"
        )
    )


def right_edges(page, selector: str) -> list[float]:
    return page.evaluate(
        f"[...document.querySelectorAll({selector!r})].map(e => e.getBoundingClientRect().right)"
    )


def menu(page) -> list[str]:
    return [t.strip() for t in page.locator('nav[aria-label="Navigasi utama"] a').all_inner_texts()]


def test_the_kabids_realisasi_pages_fit_a_phone(page, artifacts):
    login(page, "kabid_pppa")
    page.wait_for_url(re.compile(r"/realisasi/\d{4}/"))
    page.set_viewport_size(PHONE)
    page.goto(page.base + reverse("indicators:realisasi_list", args=[2024]))
    page.screenshot(path=str(artifacts / "realisasi-list-phone.png"), full_page=True)
    page.screenshot(path=str(artifacts / "realisasi-list-phone-top.png"))
    assert page_width(page) <= 390
    assert widest_table(page) <= 390
    for column in ("Capaian", "Kategori"):
        edges = right_edges(page, f"td[data-label={column}]")
        assert edges and max(edges) <= 390, column
    isi = right_edges(page, "td.action a")
    assert isi and max(isi) <= 390

    page.get_by_role("link", name=re.compile(r"Isi realisasi IDG")).click()
    page.get_by_label("Realisasi tahunan").wait_for()
    page.screenshot(path=str(artifacts / "realisasi-edit-phone.png"), full_page=True)
    page.screenshot(path=str(artifacts / "realisasi-edit-phone-top.png"))
    assert page_width(page) <= 390
    assert widest_table(page) <= 390
    assert max(right_edges(page, "button")) <= 390


def test_the_admins_target_changelist_fits_1280_px_and_speaks_indonesian(page, artifacts):
    login(page, "admin")
    page.wait_for_url(re.compile(r"/(dasbor|realisasi)/"))
    page.set_viewport_size(DESKTOP)
    page.goto(page.base + reverse("admin:indicators_target_changelist"))
    page.screenshot(path=str(artifacts / "admin-target-changelist.png"), full_page=False)
    assert page_width(page) <= 1280
    # Django's changelist scrolls sideways inside its own box: the table must fit that box.
    box = page.evaluate(
        "(() => { const r = document.querySelector('#changelist .results');"
        " return [r.clientWidth, r.scrollWidth]; })()"
    )
    assert box[1] <= box[0], box
    assert max(right_edges(page, "#result_list thead th")) <= 1280
    headers = [h.strip() for h in page.locator("#result_list thead th").all_inner_texts()]
    assert "NILAI" in headers
    assert not [h for h in headers if "DISPLAY" in h or "VALUE" in h]


def test_one_menu_and_one_year_picker_on_every_page(page, artifacts):
    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    pages = {
        "dasbor": reverse("dashboard", args=[2024]),
        "realisasi": reverse("indicators:realisasi_list", args=[2024]),
        "lakip": reverse("lakip", args=[2024]),
    }
    menus, years = {}, {}
    for name, url in pages.items():
        page.goto(page.base + url)
        menus[name] = menu(page)
        years[name] = page.locator('nav[aria-label="Pilih tahun"]').inner_text()
    page.goto(page.base + reverse("account"))
    menus["akun"] = menu(page)

    assert all(m[:4] == MENU for m in menus.values()), menus
    assert len({tuple(m) for m in menus.values()}) == 1, menus
    renstra = [str(y) for y in range(2021, 2027)]
    assert re.findall(r"\d{4}", years["dasbor"]) == renstra
    assert re.findall(r"\d{4}", years["lakip"]) == renstra
    # The perencana's realisasi list reaches five years before the period too (the history
    # a LAKIP compares with, issue #22 item 6).
    assert re.findall(r"\d{4}", years["realisasi"]) == [str(y) for y in range(2016, 2021)] + renstra


def test_a_year_without_budget_says_so(page, artifacts):
    login(page, "pimpinan")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    page.goto(page.base + reverse("dashboard", args=[2022]))
    page.screenshot(path=str(artifacts / "dashboard-2022-no-budget.png"), full_page=True)
    card = page.locator(".stat", has_text="Anggaran 2022").inner_text()
    assert "Belum ada data anggaran untuk tahun 2022." in card
    assert "Rp 0" not in card


def test_the_lakip_finalise_button_asks_for_confirmation_and_says_why_when_hidden(
    page, artifacts, django_capture_on_commit_callbacks
):
    login(page, "pimpinan")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    page.goto(page.base + reverse("lakip", args=[2024]))
    hidden = page.locator("#final-tersembunyi").inner_text()
    assert "hanya perencana OPD yang dapat menetapkan LAKIP final" in hidden
    page.screenshot(path=str(artifacts / "lakip-pimpinan.png"), full_page=True)
    page.context.clear_cookies()

    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    page.goto(page.base + reverse("lakip", args=[2024]))
    button = page.get_by_role("button", name="Tetapkan LAKIP 2024 final")
    # Not confirmed: the browser itself holds the form back (required checkbox) …
    button.click()
    assert page.url.endswith(reverse("lakip", args=[2024]))
    assert not PembuatanLaporan.objects.filter(final=True).exists()
    # … and a forged POST without the confirmation is refused by the server.
    page.evaluate(
        """async (url) => {
            const form = new FormData(document.querySelector('form[action$="/final/"]'));
            form.delete('konfirmasi');
            await fetch(url, {method: 'POST', body: form});
        }""",
        page.base + reverse("lakip_finalize", args=[2024]),
    )
    assert not PembuatanLaporan.objects.filter(final=True).exists()
    page.screenshot(path=str(artifacts / "lakip-perencana.png"), full_page=True)
    page.get_by_label(re.compile("Saya memahami bahwa LAKIP 2024 ditetapkan final")).check()
    button.click()
    page.wait_for_url(re.compile(r"/proses/"))
    assert PembuatanLaporan.objects.filter(final=True).count() == 1
    status = page.locator("#status").inner_text()
    assert "—" not in status
    page.screenshot(path=str(artifacts / "job-status-final.png"), full_page=True)


def test_the_draft_job_page_shows_one_status_label(page, artifacts):
    login(page, "pimpinan")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    page.goto(page.base + reverse("lakip", args=[2024]))
    page.get_by_role("button", name="Unduh XLSX").first.click()
    page.wait_for_url(re.compile(r"/proses/"))
    page.locator("#unduh").wait_for()
    status = page.locator("#status").inner_text().strip()
    page.screenshot(path=str(artifacts / "job-status-draft.png"), full_page=True)
    assert status == "Selesai"


def test_a_refused_request_shows_the_reason_in_the_products_layout(page, artifacts):
    login(page, "kabid_pppa")
    page.wait_for_url(re.compile(r"/realisasi/\d{4}/"))
    other_opd_path = reverse("indicators:evidence", args=[999_999])
    response = page.goto(page.base + other_opd_path)
    assert response.status == 404
    assert "Halaman tidak ditemukan" in page.locator("h1").inner_text()
    assert menu(page)[:4] == MENU
    page.screenshot(path=str(artifacts / "error-404.png"), full_page=True)
    tfr = Indikator.objects.get(
        periode__opd__kode="DP3APPKBPMD", nama__icontains="Kelahiran Total", jenis="IKU"
    )
    page.goto(page.base + reverse("indicators:realisasi_edit", args=[2024, tfr.pk]))
    page.screenshot(path=str(artifacts / "realisasi-read-only.png"), full_page=True)


def test_five_wrong_passwords_lock_the_sign_in_and_the_page_says_until_when(page, artifacts):
    for _ in range(5):
        login(page, "kabid_ppkb", "salah-sandi")
    login(page, "kabid_ppkb")
    assert "Akses masuk dikunci sementara" in page.locator("h1").inner_text()
    assert re.search(r"Coba lagi setelah pukul \d{2}\.\d{2} WITA", page.content())
    page.screenshot(path=str(artifacts / "login-locked.png"), full_page=True)


def test_two_factor_set_up_shows_a_qr_code(page, artifacts):
    login(page, "perencana")
    page.wait_for_url(re.compile(r"/dasbor/\d{4}/"))
    page.goto(page.base + reverse("two_factor"))
    qr = page.locator(".qr svg")
    assert qr.count() == 1
    box = qr.bounding_box()
    assert box["width"] >= 150
    page.screenshot(path=str(artifacts / "two-factor-setup.png"), full_page=True)
