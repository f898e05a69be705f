"""Finding 8: text in a numeric indicator's target cell of the planner's target workbook is
refused for that row, through the admin's import and ``import_targets`` alike, and nothing is
saved (the rule is the target service's; the importers show its message)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from indicators.models import Target
from intake.excel import template_targets

from .test_excel import edit, target_values

pytestmark = pytest.mark.django_db


def refused(text: str) -> str:
    return (
        f"Baris 2, kolom 2026: «{text}» bukan angka. Indikator ini berisi angka, jadi targetnya "
        "harus angka (mis. 74,04), rentang (mis. 2,30–2,35) atau nilai kualitatif yang dikenal "
        "(Opini BPK: TMP, TW, WDP, WTP; Predikat SAKIP: D, C, CC, B, BB, A, AA)."
    )


def command(path, *args: str) -> str:
    """import_targets for DP3; what it wrote to stderr (each refused row)."""
    err = StringIO()
    call_command("import_targets", str(path), "--opd", "DP3", *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


def workbook(w, text: str) -> bytes:
    # IDG 2026 (a number stored for 2024) gets text; TFR 2025 an ordinary number beside it.
    data = template_targets(w.perencana, w.opd, w.periode)
    return edit(data, {("IDG", "2026"): text, ("TFR", "2025"): "2,30"})


@pytest.mark.parametrize("text", ["abc", "NaN"])
def test_the_admin_import_previews_the_error_and_offers_no_apply(client, w, text):
    client.force_login(w.perencana)
    before = list(Target.objects.order_by("pk").values_list("pk", "nilai", "nilai_teks", "versi"))
    preview = client.post(
        reverse("admin:indicators_target_import"),
        {"format": "0", "import_file": SimpleUploadedFile("t.xlsx", workbook(w, text))},
    )
    assert preview.status_code == 200
    assert preview.context["summary"]["errors"] == [refused(text)]
    assert preview.context.get("confirm_form") is None  # nothing to apply
    after = list(Target.objects.order_by("pk").values_list("pk", "nilai", "nilai_teks", "versi"))
    assert after == before


@pytest.mark.parametrize("text", ["abc", "NaN"])
def test_import_targets_refuses_the_row_and_saves_nothing(tmp_path, w, text):
    path = tmp_path / "target.xlsx"
    path.write_bytes(workbook(w, text))
    for args in (["--dry-run"], []):
        err = StringIO()
        with pytest.raises(CommandError, match="Tidak ada yang disimpan: 1 kesalahan"):
            call_command(
                "import_targets", str(path), "--opd", "DP3", *args, stdout=StringIO(), stderr=err
            )
        assert err.getvalue() == f"  {refused(text)}\n"
    assert target_values(w.idg) == {2024: Decimal("74.04")}
    assert target_values(w.tfr) == {2024: Decimal("2.33")}


def test_a_range_or_a_declared_value_still_imports(tmp_path, w):
    path = tmp_path / "target.xlsx"
    path.write_bytes(workbook(w, "74,10–74,20"))
    assert command(path) == ""
    assert target_values(w.idg) == {2024: Decimal("74.04"), 2026: "74,10–74,20"}
    assert target_values(w.tfr) == {2024: Decimal("2.33"), 2025: Decimal("2.30")}
