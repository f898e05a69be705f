"""import_targets / import_realisasi: the workbook resources and services from the command
line, with the same preview, refusals and all-or-nothing writes."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import Periode, Realisasi, Target
from intake.excel import template_realisasi, write_xlsx
from intake.resources.target import TargetWideResource

from .test_excel import edit, target_values

pytestmark = pytest.mark.django_db


def run(name, path, *args):
    out, err = StringIO(), StringIO()
    call_command(name, str(path), *args, stdout=out, stderr=err)
    return out.getvalue()


def target_file(tmp_path, w, changes):
    exported = write_xlsx(TargetWideResource(user=w.perencana, periode=w.periode).export())
    path = tmp_path / "target.xlsx"
    path.write_bytes(edit(exported, changes))
    return path


def test_a_dry_run_prints_each_change_and_saves_nothing(tmp_path, w):
    path = target_file(tmp_path, w, {("IDG", "2024"): "75,5"})

    out = run("import_targets", path, "--opd", "DP3", "--dry-run")

    assert "«IDG» 2024: 74,04 → 75,5" in out
    assert "[uji coba, tidak disimpan] DP3: 0 baris baru, 1 diubah, 1 tetap." in out
    assert target_values(w.idg) == {2024: Decimal("74.04")}


def test_import_targets_writes_through_the_service_with_the_commands_name(tmp_path, w):
    path = target_file(tmp_path, w, {("IDG", "2024"): "75,5", ("IDG", "2025"): "76"})

    out = run("import_targets", path, "--opd", "DP3")

    assert "DP3: 0 baris baru, 1 diubah, 1 tetap." in out
    assert target_values(w.idg) == {2024: Decimal("75.5"), 2025: Decimal("76")}
    record = Target.objects.get(indikator=w.idg, tahun=2024).history.latest()
    assert record.history_user is None
    assert record.history_change_reason == "perintah import_targets"


def test_a_row_of_another_opd_is_not_found_and_nothing_is_saved(tmp_path, w):
    exported = write_xlsx(
        TargetWideResource(user=w.perencana_lain, periode=w.other_periode).export()
    )
    path = tmp_path / "lain.xlsx"
    path.write_bytes(edit(exported, {("Asing", "2024"): "11"}))

    with pytest.raises(CommandError, match="Tidak ada yang disimpan: 1 kesalahan"):
        run("import_targets", path, "--opd", "DP3")

    assert target_values(w.foreign) == {2024: Decimal("10")}


def test_a_tenfold_jump_needs_konfirmasi(tmp_path, w):
    path = target_file(tmp_path, w, {("IDG", "2024"): "740,4"})

    with pytest.raises(CommandError, match="Tidak ada yang disimpan"):
        run("import_targets", path, "--opd", "DP3")
    assert target_values(w.idg) == {2024: Decimal("74.04")}

    out = run("import_targets", path, "--opd", "DP3", "--konfirmasi")
    assert "periksa:" in out
    assert target_values(w.idg) == {2024: Decimal("740.4")}


def test_import_realisasi_as_a_user_keeps_that_users_rules(tmp_path, w):
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(edit(template_realisasi(w.kabid_pppa, 2024), {("IDG", "Tahunan"): "73,27"}))

    # The kabid of another bidang may not record IDG: refused, nothing saved.
    with pytest.raises(CommandError, match="Tidak ada yang disimpan"):
        run("import_realisasi", path, "--opd", "DP3", "--tahun", "2024", "--pengguna", "kabid_ppkb")
    assert not Realisasi.objects.filter(indikator=w.idg).exists()

    out = run(
        "import_realisasi", path, "--opd", "DP3", "--tahun", "2024", "--pengguna", "kabid_pppa"
    )

    assert "DP3: 1 baris baru, 0 diubah" in out
    row = Realisasi.objects.get(indikator=w.idg, tahun=2024, periode=Periode.TAHUNAN)
    assert row.nilai == Decimal("73.27")
    assert row.history.latest().history_user == w.kabid_pppa


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--opd", "TIDAKADA"], "OPD dengan kode «TIDAKADA» tidak ditemukan"),
        (["--opd", "DP3", "--pengguna", "siapa"], "Pengguna «siapa» tidak ditemukan"),
    ],
)
def test_an_unknown_opd_or_user_is_refused(tmp_path, w, args, message):
    path = target_file(tmp_path, w, {("IDG", "2024"): "75,5"})
    with pytest.raises(CommandError, match=message):
        run("import_targets", path, *args)
    assert target_values(w.idg) == {2024: Decimal("74.04")}


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, w):
    path = tmp_path / "bukan.xlsx"
    path.write_bytes(b"ID,2024\n1,2\n")
    with pytest.raises(CommandError, match="bukan lembar kerja Excel"):
        run("import_targets", path, "--opd", "DP3")
    with pytest.raises(CommandError, match="Berkas tidak ditemukan"):
        run("import_targets", tmp_path / "tidak-ada.xlsx", "--opd", "DP3")
