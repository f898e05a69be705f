"""The API as an integrator meets it (issue 24), against the live server: the kabid of PPPA
makes a read-write token on the Akun page (reached by the menu, at 1366 px and at 390 px
without sideways scrolling), copies it from the page, and a client no one here wrote —
``requests`` over HTTP — reads DP3APPKBPMD's IKU capaian 2024 (IDG 98,96), sends a dry run
that would change two realisasi and refuses one in a locked year, sends it for real (the
history names the kabid), sends it again (nothing changes) and is refused another bidang's
indicator. The kabid then revokes the token on the same page, and the API refuses it."""

import re
from decimal import Decimal

import pytest
import requests
from django.contrib.auth.models import User
from playwright.sync_api import expect

from indicators.models import Indikator, Realisasi
from renstra.models import KunciTahun, Opd
from tests.browser.conftest import login, menu, no_sideways_scroll

pytestmark = pytest.mark.browser

expect.set_options(timeout=30_000)


def _indicator(nama: str) -> int:
    return int(Indikator.objects.filter(nama=nama).earliest("pk").pk)


@pytest.mark.parametrize("width", [1366, 390])
def test_a_token_from_the_akun_page_reads_and_writes_through_the_door(page, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    opd = Opd.objects.get(kode="DP3APPKBPMD")
    KunciTahun.objects.create(
        opd=opd,
        tahun=2023,
        alasan="LAKIP 2023 telah terbit",
        dikunci_oleh=User.objects.get(username="perencana"),
    )
    idg = _indicator("IDG (Indeks Pemberdayaan Gender)")
    tfr = _indicator("Angka Kelahiran Total (TFR)")

    login(page, "kabid_pppa")
    page.wait_for_url(re.compile(r"/realisasi/"))
    menu(page, "Akun")
    page.get_by_label("Nama token").fill("e-Monev PPPA")
    page.get_by_label("Berlaku (hari)").fill("30")
    page.get_by_label("Boleh menulis (kirim realisasi)").check()
    page.get_by_role("button", name="Buat token").click()
    shown = page.locator("#token-baru code")
    expect(shown).to_be_visible()
    secret = shown.inner_text().strip()
    assert secret.startswith("knj_")
    if width == 390:
        no_sideways_scroll(page)
    page.screenshot(path=artifacts / f"api-token-{width}.png", full_page=True)

    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {secret}"
    base = page.base + "/api/v1"
    capaian = api.get(
        f"{base}/capaian/", params={"opd": "DP3APPKBPMD", "tahun": 2024, "jenis": "IKU"}
    )
    assert capaian.status_code == 200
    by_name = {r["nama"]: r for r in capaian.json()["results"]}
    assert by_name["IDG (Indeks Pemberdayaan Gender)"]["capaian"] == 98.96

    values = [
        {"indikator": str(idg), "tahun": 2024, "periode": "tahunan", "nilai": "74.10"},
        {"indikator": str(idg), "tahun": 2024, "periode": "tw1", "nilai": 18.5},
        {"indikator": str(idg), "tahun": 2023, "periode": "tahunan", "nilai": 70.5},
    ]
    before = Realisasi.objects.count()
    dry = api.post(f"{base}/realisasi-sets/", json={"dry_run": True, "values": values}).json()
    assert dry["importCount"] == {"imported": 1, "updated": 1, "ignored": 1, "deleted": 0}
    assert [(c["errorCode"], c["indexes"]) for c in dry["conflicts"]] == [("E_TAHUN_DIKUNCI", [2])]
    assert dry["description"].endswith("Tidak ada yang disimpan.")
    assert Realisasi.objects.count() == before

    done = api.post(f"{base}/realisasi-sets/", json={"values": values}).json()
    assert done["importCount"] == {"imported": 1, "updated": 1, "ignored": 1, "deleted": 0}
    stored = Realisasi.objects.get(indikator_id=idg, tahun=2024, periode="tahunan")
    assert stored.nilai == Decimal("74.10")
    assert stored.history.latest().history_user.username == "kabid_pppa"
    assert Realisasi.objects.get(indikator_id=idg, tahun=2023, periode="tahunan").nilai == (
        Decimal("70.03")
    )

    again = api.post(f"{base}/realisasi-sets/", json={"values": values}).json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}
    assert "Tidak ada yang berubah." in again["description"]

    # TFR belongs to another bidang: the kabid of PPPA may read it, not write it.
    refused = api.post(
        f"{base}/realisasi-sets/",
        json={"values": [{"indikator": str(tfr), "tahun": 2024, "periode": "tw1", "nilai": 2}]},
    )
    assert refused.status_code == 409
    assert [c["errorCode"] for c in refused.json()["conflicts"]] == ["E_DITOLAK"]

    page.get_by_role("button", name="Cabut token e-Monev PPPA").click()
    expect(page.locator("#token-api")).to_contain_text("dicabut")
    gone = api.get(f"{base}/opd/")
    assert gone.status_code == 401 and gone.json()["kode"] == "token_ditolak"
