"""The IKU/IK decree import: command, admin page, idempotence, dry run."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import Indikator
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
    assert response.status_code == 302  # the admin sends non-staff users to its login
