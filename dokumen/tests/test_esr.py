"""dokumen.esr: the ESR types, the due-date table, a register entry's status and its package
file name — pure, no database."""

import datetime

import pytest

from dokumen import esr

D = datetime.date
DUE = D(2024, 2, 29)


def facts(**kw):
    base = {
        "nomor": "800/1/2024",
        "tanggal_penetapan": D(2024, 1, 15),
        "has_scan": True,
        "tanggal_publikasi": None,
        "tenggat": DUE,
    }
    return esr.Facts(**(base | kw))


def test_the_nineteen_types_carry_esr_numbers_and_the_register_lists_each_once():
    assert sorted(esr.TYPES) == list(range(1, 20))
    assert esr.TYPES[6] == "Perjanjian Kinerja" and esr.TYPES[19] == "TL LHE KemenPANRB"
    assert sorted(esr.ORDER) == list(range(1, 20))
    assert esr.ORDER[-1] == 10  # "Lainnya" last


@pytest.mark.parametrize(
    ("kw", "today", "expected"),
    [
        ({"has_scan": False}, D(2024, 2, 1), esr.Status.DRAFT),
        ({"nomor": " "}, D(2024, 2, 1), esr.Status.DRAFT),
        ({"tanggal_penetapan": None}, D(2024, 2, 1), esr.Status.DRAFT),
        ({}, D(2024, 2, 1), esr.Status.DITETAPKAN),
        ({}, DUE, esr.Status.DITETAPKAN),  # the due day itself is on time
        ({"tanggal_publikasi": D(2024, 2, 20)}, D(2024, 12, 1), esr.Status.DIPUBLIKASIKAN),
        ({"tanggal_publikasi": DUE}, D(2024, 12, 1), esr.Status.DIPUBLIKASIKAN),
        ({"tanggal_publikasi": D(2024, 3, 1)}, D(2024, 12, 1), esr.Status.TERLAMBAT),
        ({}, D(2024, 3, 1), esr.Status.TERLAMBAT),
        ({"has_scan": False}, D(2024, 3, 1), esr.Status.TERLAMBAT),
        ({"tenggat": None}, D(2030, 1, 1), esr.Status.DITETAPKAN),  # no rule, never late
        ({"tenggat": None, "tanggal_publikasi": D(2029, 1, 1)}, D(2030, 1, 1), "dipublikasikan"),
    ],
)
def test_status_moves_from_draft_to_ditetapkan_to_dipublikasikan_or_terlambat(kw, today, expected):
    assert esr.status(facts(**kw), today) == expected


def test_end_of_february_knows_leap_years():
    assert esr.end_of_february(2024) == D(2024, 2, 29)
    assert esr.end_of_february(2025) == D(2025, 2, 28)


def test_the_due_table_names_pk_rencana_aksi_iku_and_the_report_only():
    assert esr.DUE_RULES == {
        3: esr.DueRule.END_OF_FEBRUARY,
        6: esr.DueRule.END_OF_FEBRUARY,
        7: esr.DueRule.END_OF_FEBRUARY,
        8: esr.DueRule.REPORT_DAY,
    }


def test_package_names_carry_the_esr_number_type_opd_and_year():
    assert esr.package_name(6, "DP3APPKBPMD", 2024) == "06_Perjanjian_Kinerja_DP3APPKBPMD_2024.pdf"
    assert esr.package_name(4, "DP3APPKBPMD", 2024) == "04_Renja_RKT_DP3APPKBPMD_2024.pdf"
    assert esr.package_name(13, "../x y", 2024) == "13_Pohon_Kinerja_dan_Cascading_x_y_2024.pdf"
