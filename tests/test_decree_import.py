"""The IKU/IK decree import: command, admin page, idempotence, dry run."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import Indikator, Rumus
from renstra.models import (
    Kegiatan,
    Opd,
    PeriodeRenstra,
    Program,
    Role,
    Sasaran,
    SubKegiatan,
    Tujuan,
)
from tests.factories import OpdFactory, PeriodeFactory, make_user

pytestmark = pytest.mark.django_db

DECREE = Path(__file__).resolve().parents[1] / "fixtures" / "decree" / "dspppapmd_iku_2021.txt"
NAMA = "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak serta PMD"


def counts(opd: Opd) -> dict[str, int]:
    return {
        "tujuan": Tujuan.objects.filter(periode__opd=opd).count(),
        "sasaran": Sasaran.objects.filter(periode__opd=opd).count(),
        "program": Program.objects.filter(periode__opd=opd).count(),
        "kegiatan": Kegiatan.objects.filter(periode__opd=opd).count(),
        "sub_kegiatan": SubKegiatan.objects.filter(periode__opd=opd).count(),
        "indikator": Indikator.objects.filter(periode__opd=opd).count(),
    }


EXPECTED = {
    "tujuan": 3,
    "sasaran": 4,
    "program": 14,
    "kegiatan": 20,
    "sub_kegiatan": 81,
    "indikator": 141,
}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_decree", str(DECREE), *args, stdout=out)
    return out.getvalue()


def test_the_command_creates_the_opd_period_tree_and_indicators():
    output = run("--opd", "DSPPPAPMD", "--nama", NAMA, "--periode", "2021-2026")
    opd = Opd.objects.get(kode="DSPPPAPMD")
    assert opd.nama == NAMA
    assert PeriodeRenstra.objects.get(opd=opd).tahun_akhir == 2026
    assert counts(opd) == EXPECTED
    assert "program       baru   14" in output
    assert "0 baris tidak dapat ditempatkan" in output
    # IKU on tujuan/sasaran, IK below; decree fields kept.
    assert set(
        Indikator.objects.filter(periode__opd=opd, program__isnull=False).values_list(
            "jenis", flat=True
        )
    ) == {"IK"}
    idg = Indikator.objects.get(periode__opd=opd, sasaran__isnull=False, nama__startswith="IDG")
    assert idg.jenis == "IKU"
    assert idg.formulasi.startswith("IDG : 1/3")
    assert idg.sumber == "baris 77"


def test_importing_the_same_decree_twice_creates_nothing_new():
    run("--opd", "DSPPPAPMD", "--nama", NAMA, "--periode", "2021-2026")
    opd = Opd.objects.get(kode="DSPPPAPMD")
    output = run("--opd", "DSPPPAPMD")
    assert counts(opd) == EXPECTED
    assert "sub kegiatan  baru    0  sudah ada   81" in output


def test_a_dry_run_reports_and_leaves_the_database_unchanged():
    output = run("--opd", "DSPPPAPMD", "--nama", NAMA, "--periode", "2021-2026", "--dry-run")
    assert "[uji coba, tidak disimpan]" in output
    assert "indikator     baru  141" in output
    assert not Opd.objects.exists()
    assert not Indikator.objects.exists()


def test_an_unknown_opd_needs_a_name():
    with pytest.raises(CommandError, match="sebutkan --nama"):
        run("--opd", "BARU")
    assert not Opd.objects.exists()


def test_a_malformed_period_is_refused():
    with pytest.raises(CommandError, match="Periode harus berbentuk 2021-2026"):
        run("--opd", "BARU", "--nama", "Dinas Baru", "--periode", "2021/2026")
    assert not Opd.objects.exists()


def test_a_perencana_imports_the_decree_from_the_admin_with_a_preview(client):
    opd = OpdFactory(kode="DSPPPAPMD")
    PeriodeFactory(opd=opd)
    client.force_login(make_user("perencana", Role.PERENCANA, opd=opd))
    url = reverse("admin:indicators_indikator_decree")
    upload = SimpleUploadedFile("keputusan.txt", DECREE.read_bytes())
    preview = client.post(url, {"berkas": upload, "opd": opd.pk, "periode": ""})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Pratinjau (belum disimpan)" in html
    assert not Indikator.objects.exists()
    applied = client.post(url, {"terapkan": "1", "sha": preview.context["sha"]})
    assert applied.status_code == 302
    assert counts(opd) == EXPECTED
    record = Indikator.history.filter(periode_id=opd.periode_set.get().pk).first()
    assert record.history_user.username == "perencana"


def test_a_perencana_cannot_import_into_another_opd(client):
    mine = OpdFactory(kode="MINE")
    other = OpdFactory(kode="OTHER")
    PeriodeFactory(opd=other)
    client.force_login(make_user("perencana", Role.PERENCANA, opd=mine))
    upload = SimpleUploadedFile("keputusan.txt", DECREE.read_bytes())
    response = client.post(
        reverse("admin:indicators_indikator_decree"),
        {"berkas": upload, "opd": other.pk, "periode": ""},
    )
    assert response.status_code == 200
    assert "opd" in response.context["form"].errors  # not among the choices offered
    assert not Indikator.objects.exists()


def test_a_kabid_cannot_reach_the_decree_import(client):
    opd = OpdFactory()
    client.force_login(make_user("kabid", Role.KABID, opd=opd))
    response = client.get(reverse("admin:indicators_indikator_decree"))
    # Signed in, not a role of the admin: refused with the reason (not the sign-in form).
    assert response.status_code == 403


def test_the_import_infers_polarity_satuan_and_formulas_each_with_a_periksa_note():
    output = run("--opd", "DSPPPAPMD", "--nama", NAMA, "--periode", "2021-2026")
    opd = Opd.objects.get(kode="DSPPPAPMD")
    indicators = Indikator.objects.filter(periode__opd=opd)
    negatif = sorted(indicators.filter(polaritas="negatif").values_list("nama", flat=True))
    assert [n[:45] for n in negatif] == [
        "Persentase perempuan berumur 20-24 tahun yang",
        "Rasio kekerasan terhadap anak (per 10.000 ana",
        "Rasio kekerasan terhadap perempuan termasuk T",
    ]
    for ind in indicators.filter(polaritas="negatif"):
        assert "periksa: polaritas negatif disimpulkan dari nama indikator" in ind.periksa
    assert indicators.filter(satuan="").count() == 9
    rasio = indicators.get(nama__startswith="Rasio kekerasan terhadap perempuan")
    assert rasio.satuan == "rasio"
    assert "periksa: satuan «rasio»" in rasio.periksa
    assert indicators.get(nama__startswith="Persentase perempuan berumur 20-24").satuan == "%"
    # The formulasi: 37 read into a suggested formula, 62 kept as text, 42 empty.
    assert "formulasi: 37 diurai menjadi rumus komponen (periksa), 62 tetap teks, 42 kosong" in (
        output
    )
    assert "polaritas negatif disimpulkan: 3; satuan diisi: 132" in output
    rumus = Rumus.objects.get(indikator=rasio)
    assert (rumus.operator, rumus.faktor, rumus.dikonfirmasi) == ("per_100000", 100000, False)
    assert [(k.nama, k.peran) for k in rumus.komponen_set.order_by("urutan")] == [
        ("jumlah Korban Perempuan", "pembilang"),
        ("jumlah perempuan 18 Th ke atas", "penyebut"),
    ]
    assert rumus.catatan.startswith("periksa: rumus disarankan dari teks formulasi")
    idg = indicators.get(sasaran__isnull=False, nama__startswith="IDG")
    assert not Rumus.objects.filter(indikator=idg).exists()
    assert "periksa: formulasi disimpan sebagai teks" in idg.periksa
    assert Rumus.objects.filter(indikator__periode__opd=opd).count() == 37
