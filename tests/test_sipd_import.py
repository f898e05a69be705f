"""The SIPD import, done when: a workbook in SIPD's columns built from the seed's budget
(DP3APPKBPMD 2024, Tabel 3.31) imports with the seed's totals, twice changes nothing, and a
row with an unknown code, text in ``pagu`` or a locked year is refused by name, nothing saved.

The seed prints no codes: its fixture carries those confirmed from the nomenclature matcher;
the test gives the nodes the matcher could not place a code in SIPD's shape, and leaves one
sub-kegiatan without, to be found by its name."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from common.numbers import format_number, format_rupiah
from intake.sipd import read_sipd
from intake.sipd_import import fold_name, import_sipd
from nomenklatur.models import Nomenklatur
from renstra.models import (
    Anggaran,
    AnggaranBulanan,
    KunciTahun,
    Opd,
    Program,
    Role,
    SubKegiatan,
)
from renstra.permissions import SystemActor
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SYSTEM = SystemActor("uji")
DPA_HEADER = [
    "kode_skpd",
    "nama_skpd",
    "kode_sub_skpd",
    "kode_urusan",
    "kode_bidang_urusan",
    "kode_program",
    "nama_program",
    "kode_giat",
    "nama_giat",
    "kode_sub_giat",
    "nama_sub_giat",
    "pagu",
    "pagumurni",
]
REALISASI_HEADER = [
    "kode_skpd",
    "kode_sub_giat",
    "nama_sub_giat",
    "kode_rekening",
    "nomor_sp2d",
    "tanggal_sp2d",
    "nilai_realisasi",
]
SKPD = "2.08.0.00.0.00.01.0000"
MONTHS = (3, 7, 11)  # each sub-kegiatan's realisasi paid in three documents
APPLY_QUERIES = 16 if connection.vendor == "postgresql" else 20
PAGE_QUERIES = 6


def indonesian(value: Decimal) -> str:
    """5135000 → "5.135.000,00", as SIPD's JSON and some of its downloads write it."""
    return format_number(value, 2)


def sipd_codes(opd: Opd) -> None:
    """The seed's own codes (fixtures/dp3appkbpmd, confirmed from the nomenclature matcher's
    proposals); a node the matcher could not place gets one in SIPD's shape under its
    parent's code (kegiatan 9x, sub-kegiatan 9xxx), as SIPD would carry it."""
    for program in Program.objects.filter(periode__opd=opd).order_by("urutan", "id"):
        assert program.kode, program.nama  # every seed program has its code
        for j, kegiatan in enumerate(program.kegiatan_set.order_by("urutan", "id")):
            if not kegiatan.kode:
                kegiatan.kode = f"{program.kode}.2.{90 + j:02d}"
                type(kegiatan).objects.filter(pk=kegiatan.pk).update(kode=kegiatan.kode)
            for k, sub in enumerate(kegiatan.sub_kegiatan_set.order_by("urutan", "id")):
                if not sub.kode:
                    SubKegiatan.objects.filter(pk=sub.pk).update(
                        kode=f"{kegiatan.kode}.{9001 + k:04d}"
                    )


@pytest.fixture
def opd(seed_module) -> Opd:
    opd = Opd.objects.get(kode="DP3APPKBPMD")
    sipd_codes(opd)
    return opd


def first_sub(opd: Opd) -> SubKegiatan:
    return (
        SubKegiatan.objects.filter(periode__opd=opd, anggaran_set__tahun=2024)
        .order_by("kode")
        .first()
    )


def seed_rows(opd: Opd) -> list[tuple[SubKegiatan, Decimal, Decimal]]:
    budgets = Anggaran.objects.filter(
        periode__opd=opd, tahun=2024, sub_kegiatan__isnull=False
    ).select_related("sub_kegiatan__kegiatan__program")
    return [(b.sub_kegiatan, b.pagu, b.realisasi or Decimal(0)) for b in budgets]


def sipd_workbook(opd: Opd, *, codes: dict[int, str] | None = None, bad: dict | None = None):
    """Sheet DPA (pagu; pagumurni = pagu less 1 %, every other row as Indonesian text) and
    sheet Realisasi (three SP2D per sub-kegiatan). ``codes`` overrides a node's code (a node
    whose code the test removed is written with the code it is to get); ``bad`` sets a cell
    of the first DPA row."""
    codes = codes or {}
    book = Workbook()
    dpa = book.active
    dpa.title = "DPA"
    dpa.append(DPA_HEADER)
    real = book.create_sheet("Realisasi")
    real.append(REALISASI_HEADER)
    for n, (sub, pagu, realisasi) in enumerate(seed_rows(opd)):
        kegiatan, program = sub.kegiatan, sub.kegiatan.program
        murni = (pagu * Decimal("0.99")).quantize(Decimal(1))
        row = [
            SKPD,
            "DINAS P3APPKBPMD",
            SKPD,
            "2",
            "2.08",
            program.kode,
            program.nama,
            kegiatan.kode,
            kegiatan.nama,
            codes.get(sub.pk, sub.kode),
            sub.nama,
            indonesian(pagu) if n % 2 else float(pagu),
            indonesian(murni) if n % 2 else int(murni),
        ]
        if n == 0 and bad:
            for column, value in bad.items():
                row[DPA_HEADER.index(column)] = value
        dpa.append(row)
        third = (realisasi / 3).quantize(Decimal("0.01"))
        for month, amount in zip(MONTHS, (third, third, realisasi - 2 * third), strict=True):
            real.append(
                [
                    SKPD,
                    codes.get(sub.pk, sub.kode),
                    sub.nama,
                    "5.1.02.01.01.0024",
                    f"SP2D/{n}/{month}",
                    dt.datetime(2024, month, 15, 10, 0),
                    indonesian(amount) if n % 2 else str(amount),
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def state(opd: Opd) -> tuple:
    """Everything the import may write, to assert that nothing was."""
    return (
        sorted(
            Anggaran.objects.filter(periode__opd=opd).values_list(
                "id", "pagu", "pagu_murni", "realisasi", "versi"
            )
        ),
        sorted(AnggaranBulanan.objects.filter(periode__opd=opd).values_list("id", "realisasi")),
        sorted(SubKegiatan.objects.filter(periode__opd=opd).values_list("id", "kode")),
        Anggaran.history.count(),
    )


def program_totals(opd: Opd) -> tuple[Decimal, Decimal]:
    rows = Anggaran.objects.filter(periode__opd=opd, tahun=2024, program__isnull=False)
    return (sum(r.pagu for r in rows), sum(r.realisasi or 0 for r in rows))


def run(opd, data, *, user=SYSTEM, dry_run=False, buat_node=False, name="sipd.xlsx"):
    return import_sipd(
        user=user,
        opd=opd,
        tahun=2024,
        parsed=read_sipd(data, name),
        dry_run=dry_run,
        buat_node=buat_node,
    )


def test_the_seeds_budget_in_sipds_columns_imports_with_its_totals_and_twice_changes_nothing(
    opd, django_assert_num_queries
):
    unnamed = first_sub(opd)
    kode = unnamed.kode
    SubKegiatan.objects.filter(pk=unnamed.pk).update(kode="")
    data = sipd_workbook(opd, codes={unnamed.pk: kode})
    before = state(opd)

    # Dry run, 9 queries whatever the file's size: savepoint, period, locks, the three levels
    # of the tree, budgets, months, release (a command's actor needs no permission query).
    with django_assert_num_queries(9):
        preview = run(opd, data, dry_run=True)
    assert preview.problems == []
    assert format_rupiah(preview.total("pagu", 1)) == "Rp 97.000.169.679"
    assert format_rupiah(preview.total("realisasi", 1)) == "Rp 90.960.332.708"
    assert format_rupiah(preview.total("pagu", 0)) == "Rp 97.000.169.679"
    matched = next(line for line in preview.lines if line.kode == kode)
    assert (matched.status, matched.nama) == ("kode dipasang", unnamed.nama)
    assert preview.counts["kode_dipasang"] == 1
    assert preview.counts["bulanan"] == 3 * len(seed_rows(opd))
    assert [m for m in preview.months if m[2]] == [
        (name, Decimal(0), new) for name, _, new in preview.months if new
    ]
    assert state(opd) == before  # a dry run saves nothing

    # Apply: the same 8 reads, then one UPDATE for the attached code, one UPDATE … FROM VALUES
    # for the changed budgets and their history, the new months and theirs, savepoints (the
    # OPD's version rises after the commit). SQLite splits an INSERT at 999 parameters (the
    # 150 months and their history take 5 statements), PostgreSQL does not: 20 against 16.
    with django_assert_num_queries(APPLY_QUERIES):
        applied = run(opd, data)
    assert applied.saved
    assert SubKegiatan.objects.get(pk=unnamed.pk).kode == kode
    assert [format_rupiah(v) for v in program_totals(opd)] == [
        "Rp 97.000.169.679",
        "Rp 90.960.332.708",
    ]
    months = AnggaranBulanan.objects.filter(periode__opd=opd, tahun=2024)
    assert format_rupiah(sum(m.realisasi for m in months)) == "Rp 90.960.332.708"
    assert {m.bulan for m in months} == set(MONTHS)
    budget = Anggaran.objects.get(sub_kegiatan=unnamed, tahun=2024)
    assert budget.pagu_murni == (budget.pagu * Decimal("0.99")).quantize(Decimal(1))
    assert budget.history.latest("history_date").history_change_reason == "perintah uji: Impor SIPD"

    after = state(opd)
    again = run(opd, data)
    assert again.unchanged and not again.saved and again.changed_lines == []
    assert state(opd) == after


def test_the_command_previews_applies_and_says_when_nothing_changes(opd, tmp_path):
    path = tmp_path / "dpa.xlsx"
    path.write_bytes(sipd_workbook(opd))
    before = state(opd)
    out = io.StringIO()
    call_command("import_sipd", "DP3APPKBPMD", "2024", str(path), "--dry-run", stdout=out)
    assert "Rp 97.000.169.679 → Rp 97.000.169.679" in out.getvalue()
    assert "[uji coba, tidak disimpan]" in out.getvalue()
    assert state(opd) == before
    call_command("import_sipd", "DP3APPKBPMD", "2024", str(path), "--ringkas", stdout=out)
    out = io.StringIO()
    call_command("import_sipd", "DP3APPKBPMD", "2024", str(path), stdout=out)
    assert "DP3APPKBPMD 2024: tidak ada perubahan." in out.getvalue()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            {"kode_sub_giat": "2.99.99.2.01.0001"},
            "Lembar «DPA», baris 2, kolom kode_sub_giat: Kode sub kegiatan 2.99.99.2.01.0001",
        ),
        (
            {"pagu": "lima juta"},
            "Lembar «DPA», baris 2, kolom pagu: «lima juta» bukan angka yang valid",
        ),
    ],
)
def test_a_bad_row_is_named_with_its_reason_and_nothing_is_saved(opd, bad, message, tmp_path):
    before = state(opd)
    plan = run(opd, sipd_workbook(opd, bad=bad))
    assert any(p.startswith(message) for p in plan.problems), plan.problems
    assert not plan.saved
    assert state(opd) == before
    path = tmp_path / "bad.xlsx"
    path.write_bytes(sipd_workbook(opd, bad=bad))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Tidak ada yang disimpan: 1 kesalahan"):
        call_command("import_sipd", "DP3APPKBPMD", "2024", str(path), stderr=err)
    assert message in err.getvalue()
    assert state(opd) == before


def test_a_locked_year_is_refused_by_its_reason_and_nothing_is_saved(opd):
    KunciTahun.objects.create(opd=opd, tahun=2024, alasan="LAKIP 2024 final")
    before = state(opd)
    plan = run(opd, sipd_workbook(opd))
    assert plan.problems == ["Tahun 2024 dikunci: LAKIP 2024 final"]
    assert state(opd) == before


def test_only_the_opds_perencana_imports(opd):
    data = sipd_workbook(opd)
    before = state(opd)
    for role in (Role.KABID, Role.PIMPINAN):
        user = make_user(f"u_{role}", role, opd=opd)
        with pytest.raises(PermissionDenied, match="Hanya perencana OPD ini"):
            run(opd, data, user=user)
    assert state(opd) == before
    perencana = make_user("perencana_sipd", Role.PERENCANA, opd=opd)
    assert run(opd, data, user=perencana).saved


def test_a_missing_node_is_refused_or_created_from_the_nomenclature(opd):
    sub = first_sub(opd)
    new_code = f"{sub.kegiatan.kode}.0099"
    Nomenklatur.objects.create(kode=new_code, tingkat="sub_kegiatan", nama="Sub Kegiatan Baku")
    first_pagu = seed_rows(opd)[0][1]
    data = sipd_workbook(opd, bad={"kode_sub_giat": new_code, "nama_sub_giat": "apa saja"})
    before = state(opd)
    refused = run(opd, data)
    assert refused.problems[0].startswith(
        f"Lembar «DPA», baris 2, kolom kode_sub_giat: Kode sub kegiatan {new_code}"
    )
    assert "buat node baru" in refused.problems[0]
    assert state(opd) == before
    created = run(opd, data, buat_node=True)
    assert created.saved and created.counts["node_baru"] == 1
    node = SubKegiatan.objects.get(periode__opd=opd, kode=new_code)
    assert (node.nama, node.kegiatan_id) == ("Sub Kegiatan Baku", sub.kegiatan_id)
    assert Anggaran.objects.get(sub_kegiatan=node, tahun=2024).pagu == first_pagu


def test_json_with_indonesian_numbers_reads_like_the_workbook(opd):
    rows = [
        {
            "kode_skpd": SKPD,
            "kode_program": p.kegiatan.program.kode,
            "nama_program": p.kegiatan.program.nama,
            "kode_giat": p.kegiatan.kode,
            "nama_giat": p.kegiatan.nama,
            "kode_sub_giat": p.kode,
            "nama_sub_giat": p.nama,
            "pagu": indonesian(pagu),
            "pagumurni": indonesian(pagu),
        }
        for p, pagu, _ in seed_rows(opd)
    ]
    plan = run(opd, json.dumps({"data": rows}).encode(), dry_run=True, name="dpa.json")
    assert plan.problems == []
    assert format_rupiah(plan.total("pagu", 1)) == "Rp 97.000.169.679"


def test_names_fold_case_punctuation_and_spacing():
    assert fold_name("PROGRAM PENUNJANG URUSAN KABUPATEN / KOTA") == fold_name(
        "Program  Penunjang Urusan Kabupaten/Kota"
    )
    assert fold_name("Pengelolaan") != fold_name("Pengelola")


# --- the perencana's page ---------------------------------------------------------------------


def upload(client, data, name="sipd.xlsx", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("intake:sipd_import", args=[2024]),
        {"berkas": SimpleUploadedFile(name, data), **extra},
    )


def test_the_page_previews_with_totals_then_applies_once(client, opd, django_assert_num_queries):
    client.force_login(make_user("perencana_page", Role.PERENCANA, opd=opd))
    page = reverse("intake:sipd_import", args=[2024])
    assert client.get(reverse("intake:sipd_now")).status_code == 302
    # User and versions (who is asking, kept in the session), the OPD, stored totals, years,
    # lock: fixed.
    with django_assert_num_queries(PAGE_QUERIES):
        shown = client.get(page)
    assert shown.status_code == 200 and "Rp 97.000.169.679" in shown.content.decode()
    before = state(opd)
    preview = upload(client, sipd_workbook(opd))
    html = preview.content.decode()
    assert preview.status_code == 200, html
    assert "Pratinjau (belum disimpan)" in html and 'name="terapkan"' in html
    assert "Rp 90.960.332.708" in html and "Rp 97.000.169.679" in html
    assert state(opd) == before
    sha = re.search(r'name="sha" value="([0-9a-f]{64})"', html)[1]
    applied = client.post(page, {"terapkan": "1", "sha": sha}, follow=True)
    assert "Anggaran 2024 dari SIPD tersimpan" in applied.content.decode()
    assert AnggaranBulanan.objects.filter(periode__opd=opd).count() == 3 * len(seed_rows(opd))
    # The preview is single use.
    again = client.post(page, {"terapkan": "1", "sha": sha})
    assert again.status_code == 400 and "kedaluwarsa" in again.content.decode()
    same = upload(client, sipd_workbook(opd))
    assert "Tidak ada perubahan" in same.content.decode()
    assert 'name="terapkan"' not in same.content.decode()


def test_the_page_names_bad_rows_refuses_other_roles_and_bad_files(client, opd):
    client.force_login(make_user("kabid_page", Role.KABID, opd=opd))
    assert client.get(reverse("intake:sipd_import", args=[2024])).status_code == 403
    client.force_login(make_user("perencana_bad", Role.PERENCANA, opd=opd))
    before = state(opd)
    bad = upload(client, sipd_workbook(opd, bad={"pagu": "lima juta"}))
    assert bad.status_code == 400
    assert "Lembar «DPA», baris 2, kolom pagu: «lima juta»" in bad.content.decode()
    assert upload(client, b"bukan berkas", "x.xlsx").status_code == 400
    assert upload(client, b"PK\x03\x04 rusak", "x.xlsx").status_code == 400
    assert (
        client.post(
            reverse("intake:sipd_import", args=[2024]), {"terapkan": "1", "sha": "x"}
        ).status_code
        == 400
    )
    assert state(opd) == before


def test_a_pemdas_file_without_this_opds_code_is_refused(opd):
    codes = {"kode_program": "1.01.01", "kode_giat": "1.01.01.2.01", "pagu": "1", "pagumurni": ""}
    rows = [
        {**dict.fromkeys(DPA_HEADER, "x"), **codes, "kode_skpd": kode, "kode_sub_giat": f"{kode}1"}
        for kode in ("1.01.0.00", "1.02.0.00")
    ]
    plan = run(opd, json.dumps(rows).encode(), name="pemda.json")
    assert plan.problems == ["Berkas memuat beberapa SKPD, tidak ada yang berkode DP3APPKBPMD."]


def test_a_node_under_another_parent_or_an_ambiguous_name_is_refused(opd):
    sub = first_sub(opd)
    other = Program.objects.filter(periode__opd=opd).exclude(pk=sub.kegiatan.program_id).first()
    before = state(opd)
    plan = run(opd, sipd_workbook(opd, bad={"kode_program": other.kode}))
    assert any(
        p.startswith("Lembar «DPA», baris 2, kolom kode_giat: Kegiatan")
        and f"bukan {other.kode}" in p
        for p in plan.problems
    ), plan.problems
    twin = SubKegiatan.objects.create(kegiatan=sub.kegiatan, nama=sub.nama, kode="", urutan=99)
    SubKegiatan.objects.filter(pk=sub.pk).update(kode="")
    plan = run(opd, sipd_workbook(opd, codes={sub.pk: sub.kode}))
    assert any("cocok dengan 2 node tanpa kode" in p for p in plan.problems), plan.problems
    twin.delete()
    SubKegiatan.objects.filter(pk=sub.pk).update(kode=sub.kode)
    assert state(opd) == before
