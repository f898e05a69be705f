"""The capaian engine: every rule of computation and its edge cases, with exact Decimals.

Pure tests — no database. Seed cases come from the DP3APPKBPMD LAKIP 2024 (seed 002).
"""

import subprocess
import sys
from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from common.numbers import round2
from indicators import engine
from indicators.engine import (
    DEFAULT_SCALE_CODE,
    ENGINE_VERSION,
    OPINI_BPK,
    PREDIKAT_SAKIP,
    PRESET_SCALES,
    SCALE_PERMENDAGRI_86,
    SCALE_SEED_3_2,
    Accumulation,
    Band,
    CapaianResult,
    EfficiencyMethod,
    NegativeMethod,
    Pmk249Item,
    Polarity,
    QualitativeTarget,
    RealisasiSource,
    Scale,
    ScaleError,
    TargetInput,
    TargetRange,
    aggregate,
    compute_capaian,
    compute_quarterly,
    describe_efficiency_method,
    describe_method,
    efisiensi,
    efisiensi_pmk249,
    is_discrepant,
    is_unverifiable,
    parse_target,
    penyerapan,
    trajectory,
)

D = Decimal
POS = Polarity.POSITIF
NEG = Polarity.NEGATIF
T_OVER_R = NegativeMethod.T_OVER_R


def capaian(
    target: TargetInput,
    realisasi: Decimal | str | None,
    polarity: Polarity = POS,
    method: NegativeMethod = NegativeMethod.TWO_T_MINUS_R,
    **kwargs: object,
) -> CapaianResult:
    return compute_capaian(
        target=target,
        realisasi=realisasi,
        polarity=polarity,
        method=method,
        **kwargs,  # type: ignore[arg-type]
    )


# --- seed cases (DP3APPKBPMD LAKIP 2024) -------------------------------------------------------


def test_it_computes_the_idg_seed_capaian_as_98_96() -> None:
    result = capaian(D("74.04"), D("73.27"))
    assert round2(result.capaian) == D("98.96")  # type: ignore[arg-type]
    assert result.kategori == "Sangat Tinggi"


def test_it_flags_the_printed_idg_98_62_as_a_discrepancy() -> None:
    assert is_discrepant(D("98.62"), capaian(D("74.04"), D("73.27")).capaian)


def test_it_computes_the_kekerasan_seed_with_negative_realisasi_as_sangat_rendah() -> None:
    result = capaian(D("5.5"), D("-70"))
    assert result.capaian is not None
    assert round2(result.capaian) == D("-1272.73")
    assert result.kategori == "Sangat Rendah"


def test_it_computes_the_tfr_seed_with_2t_minus_r_as_100_86_sangat_tinggi() -> None:
    result = capaian(D("2.33"), D("2.31"), NEG)
    assert result.capaian is not None
    assert round2(result.capaian) == D("100.86")
    assert result.kategori == "Sangat Tinggi"


def test_it_flags_the_printed_tfr_99_14_computed_as_r_over_t() -> None:
    result = capaian(D("2.33"), D("2.31"), NEG)
    assert round2(D("2.31") / D("2.33") * 100) == D("99.14")  # how the LAKIP got its figure
    assert is_discrepant(D("99.14"), result.capaian)


def test_it_computes_desa_maju_as_122_without_discrepancy() -> None:
    result = capaian(D("45"), D("54.9"))
    assert result.capaian == D("122")
    assert result.kategori == "Sangat Tinggi"
    assert not is_discrepant(D("122"), result.capaian)


# --- numeric formulas --------------------------------------------------------------------------


def test_it_computes_positif_as_r_over_t_times_100() -> None:
    result = capaian(D("4"), D("3"))
    assert result.capaian == D("75")
    assert result.formula == "R / T × 100"


def test_it_computes_negatif_by_default_as_2t_minus_r_over_t() -> None:
    assert capaian(D("10"), D("8"), NEG).capaian == D("120")
    assert capaian(D("10"), D("12"), NEG).capaian == D("80")


def test_it_names_the_2t_minus_r_formula() -> None:
    assert capaian(D("10"), D("8"), NEG).formula == "(2T − R) / T × 100"


def test_it_computes_negatif_as_t_over_r_when_the_indicator_says_so() -> None:
    result = capaian(D("10"), D("8"), NEG, T_OVER_R)
    assert result.capaian == D("125")
    assert result.formula == "T / R × 100"


def test_it_ignores_the_negative_method_for_positif_indicators() -> None:
    assert capaian(D("10"), D("8"), POS, T_OVER_R).capaian == D("80")


def test_it_gives_200_for_realisasi_0_with_2t_minus_r() -> None:
    assert capaian(D("10"), D("0"), NEG).capaian == D("200")


def test_it_refuses_realisasi_0_with_t_over_r() -> None:
    result = capaian(D("10"), D("0"), NEG, T_OVER_R)
    assert result.capaian is None
    assert result.kategori is None
    assert result.reason == "realisasi 0: T/R tidak terdefinisi"


def test_it_gives_an_explicit_0_for_realisasi_0_positif() -> None:
    result = capaian(D("10"), D("0"))
    assert result.capaian == D("0")
    assert result.kategori == "Sangat Rendah"
    assert result.reason is None


def test_it_computes_huge_values_exactly() -> None:
    result = capaian(D("1"), D("1000000000000000000000000000001"))
    assert result.capaian == D("100000000000000000000000000000100")


def test_it_computes_huge_targets_exactly() -> None:
    big = D("123456789012345678901234567890.12")
    assert capaian(big, D("246913578024691357802469135780.24")).capaian == D("200")


def test_it_reports_the_target_and_realisasi_used() -> None:
    result = capaian(D("74.04"), D("73.27"))
    assert (result.target_used, result.realisasi_used) == (D("74.04"), D("73.27"))
    assert result.realisasi_source == RealisasiSource.TAHUNAN


def test_it_keeps_the_result_unrounded() -> None:
    result = capaian(D("3"), D("1"))
    assert str(result.capaian).startswith("33.33333333333333333333333333333")
    assert round2(result.capaian) == D("33.33")  # type: ignore[arg-type]


def test_it_computes_a_negative_target_as_the_formula_says_with_a_warning() -> None:
    result = capaian(D("-5"), D("-10"))
    assert result.capaian == D("200")
    assert result.note is not None and "target negatif" in result.note


# --- cannot be computed: explicit reasons ------------------------------------------------------


def test_it_says_belum_ada_realisasi_when_realisasi_is_missing() -> None:
    result = capaian(D("10"), None)
    assert result.capaian is None
    assert result.reason == "belum ada realisasi"


def test_it_says_belum_ada_target_when_target_is_missing() -> None:
    result = capaian(None, D("10"))
    assert result.capaian is None
    assert result.reason == "belum ada target"
    assert result.realisasi_used == D("10")


def test_it_says_both_are_missing_when_both_are() -> None:
    assert capaian(None, None).reason == "belum ada target dan realisasi"


def test_it_refuses_target_0_instead_of_returning_0() -> None:
    result = capaian(D("0"), D("5"))
    assert result.capaian is None
    assert result.reason == "target 0: capaian tidak dapat dihitung"


@pytest.mark.parametrize("method", list(NegativeMethod))
def test_it_refuses_target_0_for_negatif_indicators(method: NegativeMethod) -> None:
    assert capaian(D("0"), D("0"), NEG, method).reason == "target 0: capaian tidak dapat dihitung"


def test_it_treats_negative_zero_target_as_zero() -> None:
    assert capaian(D("-0"), D("5")).reason == "target 0: capaian tidak dapat dihitung"


@pytest.mark.parametrize("bad", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_it_refuses_non_finite_targets(bad: str) -> None:
    result = capaian(D(bad), D("5"))
    assert result.capaian is None
    assert result.reason == "target bukan angka yang terhingga"


@pytest.mark.parametrize("bad", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_it_refuses_non_finite_realisasi(bad: str) -> None:
    result = capaian(D("5"), D(bad))
    assert result.capaian is None
    assert result.reason == "realisasi bukan angka yang terhingga"


def test_it_refuses_a_result_too_large_to_represent() -> None:
    result = capaian(D("1E-999999999999999999"), D("1E+999999999999999999"))
    assert result.capaian is None
    assert result.reason == "hasil perhitungan tidak terhingga"


def test_it_still_names_the_formula_when_capaian_cannot_be_computed() -> None:
    assert capaian(D("0"), D("5"), NEG).formula == "(2T − R) / T × 100"


# --- text input --------------------------------------------------------------------------------


def test_it_parses_indonesian_text_realisasi_against_a_numeric_target() -> None:
    assert capaian(D("45"), "54,9").capaian == D("122")


def test_it_parses_indonesian_text_targets() -> None:
    assert capaian("45", D("54.9")).capaian == D("122")


def test_it_refuses_text_realisasi_against_a_numeric_target() -> None:
    result = capaian(D("45"), "banyak")
    assert result.capaian is None
    assert result.reason == "realisasi «banyak» bukan angka, padahal target berupa angka"


def test_it_treats_blank_text_as_missing() -> None:
    assert capaian("  ", "").reason == "belum ada target dan realisasi"


# --- range targets -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2,30–2,35", "2,30 - 2,35", "2,30-2,35", "2,30 s/d 2,35"])
def test_it_parses_a_range_target(text: str) -> None:
    assert parse_target(text) == TargetRange(D("2.30"), D("2.35"))


def test_it_normalises_a_reversed_range() -> None:
    assert parse_target("2,35–2,30") == TargetRange(D("2.30"), D("2.35"))


def test_it_parses_a_range_of_negative_numbers() -> None:
    assert parse_target("-5 - -2") == TargetRange(D("-5"), D("-2"))


def test_it_parses_a_plain_number_target() -> None:
    assert parse_target("74,04") == D("74.04")


def test_it_parses_a_blank_target_as_none() -> None:
    assert parse_target("   ") is None


@pytest.mark.parametrize("realisasi", ["2.30", "2.32", "2.35"])
def test_it_gives_100_inside_a_range(realisasi: str) -> None:
    for polarity in Polarity:
        assert capaian("2,30–2,35", D(realisasi), polarity).capaian == D("100")


def test_it_compares_against_the_upper_bound_above_a_negatif_range() -> None:
    result = capaian("2,30–2,35", D("2.40"), NEG)
    # (2 × 2,35 − 2,40) / 2,35 × 100, to the engine's 50 significant digits
    assert result.capaian == D("97.872340425531914893617021276595744680851063829790")
    assert result.target_used == D("2.35")
    assert "batas atas" in result.formula


def test_it_compares_against_the_lower_bound_below_a_negatif_range() -> None:
    result = capaian("2,30–2,35", D("2.20"), NEG)
    assert round2(result.capaian) == D("104.35")  # type: ignore[arg-type]
    assert result.target_used == D("2.30")


def test_it_compares_against_the_upper_bound_above_a_positif_range() -> None:
    result = capaian(TargetRange(D("2.30"), D("2.35")), D("2.47"))
    assert result.capaian == D("105.10638297872340425531914893617021276595744680851")


def test_it_compares_against_the_lower_bound_below_a_positif_range() -> None:
    assert round2(capaian("2,30–2,35", D("2.2")).capaian) == D("95.65")  # type: ignore[arg-type]


def test_it_refuses_a_range_bound_of_0() -> None:
    assert capaian("0 – 5", D("-1")).reason == "target 0: capaian tidak dapat dihitung"


def test_it_accepts_a_hand_made_reversed_range() -> None:
    assert capaian(TargetRange(D("5"), D("1")), D("3")).capaian == D("100")


# --- qualitative targets -----------------------------------------------------------------------


def test_it_recognises_opini_bpk_targets() -> None:
    assert parse_target("WTP") == QualitativeTarget("WTP", OPINI_BPK)


def test_it_recognises_predikat_sakip_targets_written_long() -> None:
    assert parse_target("Predikat BB (Sangat Baik)") == QualitativeTarget(
        "Predikat BB (Sangat Baik)", PREDIKAT_SAKIP
    )


def test_it_treats_other_text_targets_as_binary() -> None:
    assert parse_target("Tersedia") == QualitativeTarget("Tersedia", None)


def test_it_gives_100_when_the_opini_meets_the_target() -> None:
    assert capaian("WTP", "wtp").capaian == D("100")


def test_it_divides_ranks_for_ordinal_targets() -> None:
    assert capaian("WTP", "WDP").capaian == D("75")  # 3 / 4
    assert capaian("BB", "A").capaian == D("120")  # 6 / 5
    assert capaian("BB", "B").capaian == D("80")  # 4 / 5


def test_it_accepts_spelled_out_opini() -> None:
    assert capaian("WTP", "Wajar Tanpa Pengecualian").capaian == D("100")


def test_it_explains_the_ordinal_formula() -> None:
    formula = capaian("WTP", "WDP").formula
    assert formula.startswith("peringkat(R) / peringkat(T) × 100")
    assert "TMP=1" in formula and "WTP=4" in formula


def test_it_refuses_a_realisasi_outside_the_ordinal_scale() -> None:
    result = capaian("WTP", "Bagus")
    assert result.capaian is None
    assert result.reason == "realisasi «Bagus» tidak dikenal pada Opini BPK"


def test_it_accepts_a_hand_made_qualitative_target() -> None:
    assert capaian(QualitativeTarget("BB"), "AA").capaian == D("140")


def test_it_gives_100_when_the_binary_realisasi_equals_the_target() -> None:
    result = capaian("Tersedia", " tersedia ")
    assert result.capaian == D("100")
    assert result.note == "tercapai"
    assert result.formula == "tercapai (realisasi sesuai target) = 100; tidak tercapai = 0"


def test_it_gives_an_explicit_0_when_the_binary_target_is_not_met() -> None:
    result = capaian("Ada", "Tidak ada")
    assert result.capaian == D("0")
    assert result.kategori == "Sangat Rendah"
    assert result.note == "tidak tercapai"


def test_it_accepts_tercapai_as_meeting_any_binary_target() -> None:
    assert capaian("Dokumen RKPD tersusun", "Tercapai").capaian == D("100")


def test_it_refuses_a_numeric_realisasi_for_a_qualitative_target() -> None:
    result = capaian("Tersedia", D("1"))
    assert result.capaian is None
    assert result.reason == "target kualitatif «Tersedia» memerlukan realisasi berupa teks"


def test_it_says_belum_ada_realisasi_for_a_qualitative_target_without_one() -> None:
    assert capaian("WTP", None).reason == "belum ada realisasi"


# --- quarterly realisasi -----------------------------------------------------------------------

QUARTERS = [D("10"), D("20"), None, D("5")]


def test_it_sums_present_quarters_for_jumlah() -> None:
    result = capaian(D("35"), None, accumulation=Accumulation.JUMLAH, quarterly=QUARTERS)
    assert result.realisasi_used == D("35")
    assert result.capaian == D("100")
    assert result.realisasi_source == RealisasiSource.TRIWULAN


def test_it_takes_the_last_present_quarter_for_akhir() -> None:
    result = capaian(
        D("40"), None, accumulation=Accumulation.AKHIR, quarterly=[D("10"), D("20"), None, None]
    )
    assert result.realisasi_used == D("20")
    assert result.capaian == D("50")


def test_it_averages_present_quarters_for_rata() -> None:
    result = capaian(D("10"), None, accumulation=Accumulation.RATA, quarterly=QUARTERS)
    assert result.realisasi_used == D("11.666666666666666666666666666666666666666666666667")


def test_it_prefers_the_annual_realisasi_over_quarters() -> None:
    result = capaian(D("10"), D("9"), accumulation=Accumulation.JUMLAH, quarterly=QUARTERS)
    assert result.realisasi_used == D("9")
    assert result.realisasi_source == RealisasiSource.TAHUNAN


def test_it_derives_from_quarters_when_the_annual_text_is_blank() -> None:
    result = capaian(D("35"), "", accumulation=Accumulation.JUMLAH, quarterly=QUARTERS)
    assert result.capaian == D("100")


def test_it_says_belum_ada_realisasi_when_every_quarter_is_empty() -> None:
    assert capaian(D("10"), None, quarterly=[None, None, None, None]).reason == (
        "belum ada realisasi"
    )


def test_it_refuses_a_nan_quarter() -> None:
    result = capaian(D("10"), None, accumulation=Accumulation.JUMLAH, quarterly=[D("NaN")])
    assert result.reason == "realisasi bukan angka yang terhingga"


def test_it_computes_capaian_per_quarter() -> None:
    results = compute_quarterly(
        targets=[D("10"), D("20"), D("30"), D("40")],
        realisasi=[D("10"), D("10"), None, D("44")],
        polarity=POS,
    )
    assert [r.capaian for r in results] == [D("100"), D("50"), None, D("110")]
    assert results[2].reason == "belum ada realisasi"
    assert {r.realisasi_source for r in results} == {RealisasiSource.TRIWULAN}


def test_it_pads_missing_quarterly_targets() -> None:
    results = compute_quarterly(targets=[D("10")], realisasi=[D("10"), D("5")], polarity=NEG)
    assert results[0].capaian == D("100")
    assert results[1].reason == "belum ada target"


# --- scales ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("-1272.73", "Sangat Rendah"),
        ("0", "Sangat Rendah"),
        ("50", "Sangat Rendah"),
        ("50.05", "Rendah"),
        ("65", "Rendah"),
        ("65.0001", "Sedang"),
        ("75", "Sedang"),
        ("90", "Tinggi"),
        ("90.01", "Sangat Tinggi"),
        ("100", "Sangat Tinggi"),
        ("250", "Sangat Tinggi"),
    ],
)
def test_it_classifies_with_the_seed_scale(value: str, label: str) -> None:
    assert SCALE_SEED_3_2.classify(D(value)).label == label


@pytest.mark.parametrize(("value", "label"), [("50", "Sangat Rendah"), ("50.5", "Rendah")])
def test_it_closes_the_gaps_the_seed_prints(value: str, label: str) -> None:
    # The seed prints "0 s/d 50, 50,1 s/d 65": 50,05 would have no kategori there.
    assert SCALE_SEED_3_2.classify(D(value)).label == label


def test_it_puts_everything_above_100_in_the_permendagri_top_band() -> None:
    assert SCALE_PERMENDAGRI_86.classify(D("100.5")).label == "Sangat Tinggi"
    assert SCALE_PERMENDAGRI_86.classify(D("90.5")).label == "Sangat Tinggi"
    assert SCALE_PERMENDAGRI_86.classify(D("90")).label == "Tinggi"


def test_it_offers_both_presets_by_code() -> None:
    assert set(PRESET_SCALES) == {"lakip-3.2", "permendagri-86-2017"}
    assert PRESET_SCALES[DEFAULT_SCALE_CODE] is SCALE_SEED_3_2


@pytest.mark.parametrize("scale", list(PRESET_SCALES.values()))
def test_it_validates_the_presets(scale: Scale) -> None:
    scale.validate()


@pytest.mark.parametrize("scale", list(PRESET_SCALES.values()))
def test_it_gives_every_preset_band_a_label_and_a_hex_colour(scale: Scale) -> None:
    for band in scale.bands:
        assert band.label
        assert band.color.startswith("#") and len(band.color) == 7


def test_it_lists_labels_from_best_to_worst() -> None:
    assert SCALE_SEED_3_2.labels_descending == (
        "Sangat Tinggi",
        "Tinggi",
        "Sedang",
        "Rendah",
        "Sangat Rendah",
    )


def test_it_classifies_infinities_into_the_end_bands() -> None:
    assert SCALE_SEED_3_2.classify(D("-Infinity")).label == "Sangat Rendah"
    assert SCALE_SEED_3_2.classify(D("Infinity")).label == "Sangat Tinggi"


def test_it_refuses_to_classify_nan() -> None:
    with pytest.raises(ScaleError):
        SCALE_SEED_3_2.classify(D("NaN"))


def test_it_records_the_scale_in_the_result() -> None:
    result = capaian(D("10"), D("10"), scale=SCALE_PERMENDAGRI_86)
    assert (result.scale_code, result.scale_version) == ("permendagri-86-2017", "1")
    assert result.band is not None and result.band.label == result.kategori


def band(label: str, lower: str | None, upper: str | None, lo_inc: bool, up_inc: bool) -> Band:
    return Band(
        label,
        D(lower) if lower is not None else None,
        D(upper) if upper is not None else None,
        lo_inc,
        up_inc,
        "#000000",
    )


def scale_of(*bands: Band) -> Scale:
    return Scale(code="uji", name="Skala uji", version="1", bands=bands)


GOOD_LOW = band("Rendah", None, "50", False, True)
GOOD_HIGH = band("Tinggi", "50", None, False, True)


def test_it_accepts_a_gapless_custom_scale() -> None:
    scale_of(
        GOOD_LOW, band("Tengah", "50", "80", False, False), band("Atas", "80", None, True, False)
    ).validate()


def test_it_accepts_a_point_band() -> None:
    scale_of(
        band("Kurang", None, "100", False, False),
        band("Tepat", "100", "100", True, True),
        band("Lebih", "100", None, False, False),
    ).validate()


def test_it_rejects_a_gap_between_bands() -> None:
    bad = scale_of(GOOD_LOW, band("Tinggi", "50.1", None, True, True))
    with pytest.raises(ScaleError, match="celah"):
        bad.validate()


def test_it_rejects_a_shared_bound_included_by_neither_band() -> None:
    bad = scale_of(band("Rendah", None, "50", False, False), GOOD_HIGH)
    with pytest.raises(ScaleError, match="celah"):
        bad.validate()


def test_it_rejects_overlapping_bands() -> None:
    bad = scale_of(GOOD_LOW, band("Tinggi", "45", None, False, True))
    with pytest.raises(ScaleError, match="tumpang tindih"):
        bad.validate()


def test_it_rejects_a_shared_bound_included_by_both_bands() -> None:
    bad = scale_of(GOOD_LOW, band("Tinggi", "50", None, True, True))
    with pytest.raises(ScaleError, match="tumpang tindih"):
        bad.validate()


def test_it_rejects_a_scale_that_does_not_reach_minus_infinity() -> None:
    bad = scale_of(band("Rendah", "0", "50", True, True), GOOD_HIGH)
    with pytest.raises(ScaleError, match="di bawah 0"):
        bad.validate()


def test_it_rejects_a_scale_that_stops_at_100() -> None:
    bad = scale_of(GOOD_LOW, band("Tinggi", "50", "100", False, True))
    with pytest.raises(ScaleError, match="di atas 100"):
        bad.validate()


def test_it_rejects_an_empty_scale() -> None:
    with pytest.raises(ScaleError, match="belum memiliki rentang"):
        scale_of().validate()


def test_it_rejects_duplicate_labels() -> None:
    with pytest.raises(ScaleError, match="tidak boleh sama"):
        scale_of(GOOD_LOW, band("Rendah", "50", None, False, True)).validate()


def test_it_rejects_bands_out_of_order() -> None:
    with pytest.raises(ScaleError):
        scale_of(GOOD_HIGH, GOOD_LOW).validate()


def test_it_rejects_an_unbounded_middle_band() -> None:
    bad = scale_of(GOOD_LOW, band("Tengah", "50", None, False, True), GOOD_HIGH)
    with pytest.raises(ScaleError, match="hanya rentang terendah dan tertinggi"):
        bad.validate()


def test_it_rejects_a_band_whose_lower_bound_exceeds_its_upper_bound() -> None:
    bad = scale_of(
        GOOD_LOW, band("Tengah", "50", "40", False, True), band("Tinggi", "40", None, False, True)
    )
    with pytest.raises(ScaleError, match="lebih kecil"):
        bad.validate()


def test_it_rejects_a_nan_bound() -> None:
    bad = scale_of(band("Rendah", None, "NaN", False, True), GOOD_HIGH)
    with pytest.raises(ScaleError, match="harus angka"):
        bad.validate()


def test_it_refuses_to_classify_into_a_gap() -> None:
    bad = scale_of(GOOD_LOW, band("Tinggi", "60", None, False, True))
    with pytest.raises(ScaleError):
        bad.classify(D("55"))


def test_it_keeps_the_capaian_when_a_stored_scale_has_a_gap() -> None:
    bad = scale_of(GOOD_LOW, band("Tinggi", "60", None, False, True))
    result = capaian(D("100"), D("55"), scale=bad)
    assert result.capaian == D("55")
    assert result.kategori is None
    assert result.reason is not None and "tidak memiliki kategori" in result.reason


# --- aggregates --------------------------------------------------------------------------------


def test_it_averages_the_indicators_with_data() -> None:
    results = [capaian(D("10"), D("10")), capaian(D("10"), D("5")), capaian(D("10"), None)]
    summary = aggregate(results)
    assert summary.mean == D("75")
    assert (summary.n_with_data, summary.n_total) == (2, 3)
    assert summary.label == "2 dari 3 indikator memiliki data"
    assert summary.kategori == "Sedang"


def test_it_counts_every_kategori_best_first_including_zeros() -> None:
    summary = aggregate([capaian(D("10"), D("10")), capaian(D("10"), D("5"))])
    assert list(summary.counts.items()) == [
        ("Sangat Tinggi", 1),
        ("Tinggi", 0),
        ("Sedang", 0),
        ("Rendah", 0),
        ("Sangat Rendah", 1),
    ]


def test_it_has_no_mean_without_data() -> None:
    summary = aggregate([capaian(D("10"), None)])
    assert summary.mean is None
    assert summary.kategori is None
    assert summary.label == "0 dari 1 indikator memiliki data"
    assert sum(summary.counts.values()) == 0


def test_it_aggregates_nothing() -> None:
    summary = aggregate([])
    assert (summary.mean, summary.n_total, summary.label) == (
        None,
        0,
        "belum ada indikator bertarget",
    )


# --- discrepancy -------------------------------------------------------------------------------


def test_it_compares_at_the_precision_the_figure_was_printed_with() -> None:
    # Two printed decimals: any other second decimal is a difference, however small.
    assert not is_discrepant(D("100.00"), D("100.004"))
    assert is_discrepant(D("100.05"), D("100"))
    assert is_discrepant(D("88.02"), D("88.0296"))  # Tabel 3.31, shown 88,03
    # A whole number is not contradicted by the decimals it left out (Tabel 3.41's 102).
    assert not is_discrepant(D("102.000000"), D("102.3214"))
    assert is_discrepant(D("102.000000"), D("102.5"))  # half-up: 103


def test_it_compares_against_the_computed_value_rounded_half_up() -> None:
    computed = D("100.855")  # shown as 100,86
    assert not is_discrepant(D("100.86"), computed)
    assert is_discrepant(D("100.85"), computed)
    assert is_discrepant(D("100.91"), computed)


def test_it_does_not_flag_a_missing_reported_figure() -> None:
    assert not is_discrepant(None, D("98.96"))
    assert not is_discrepant(None, None)


def test_a_reported_figure_without_data_is_unverifiable_not_a_discrepancy() -> None:
    assert not is_discrepant(D("100"), None)
    assert is_unverifiable(D("100"), None)
    assert not is_unverifiable(D("100"), D("100"))
    assert not is_unverifiable(None, None)


# --- budget: penyerapan and efisiensi ----------------------------------------------------------


def test_it_computes_penyerapan() -> None:
    assert penyerapan(D("1000"), D("854.9")) == D("85.49")


@pytest.mark.parametrize(
    ("pagu", "realisasi"), [(D("0"), D("10")), (None, D("10")), (D("10"), None)]
)
def test_it_has_no_penyerapan_without_pagu_or_realisasi(
    pagu: Decimal | None, realisasi: Decimal | None
) -> None:
    assert penyerapan(pagu, realisasi) is None


def test_it_computes_the_seed_efficiency_ratio() -> None:
    # Tabel 3.41: capaian 98,04 %, penyerapan 85,49 % → printed 115.
    result = efisiensi(capaian=D("98.04"), penyerapan=D("85.49"))
    assert round2(result.value) == D("114.68")  # type: ignore[arg-type]
    assert result.kategori == "Efisien"
    assert result.formula == "capaian kinerja (%) / penyerapan anggaran (%) × 100"


@pytest.mark.parametrize(
    ("capaian_value", "kategori"),
    [
        ("100", "Efisien"),
        ("95", "Cukup Efisien"),
        ("99.99", "Cukup Efisien"),
        ("94.9", "Tidak Efisien"),
    ],
)
def test_it_categorises_the_ratio(capaian_value: str, kategori: str) -> None:
    assert efisiensi(capaian=D(capaian_value), penyerapan=D("100")).kategori == kategori


def test_it_refuses_a_ratio_with_zero_absorption() -> None:
    result = efisiensi(capaian=D("90"), penyerapan=D("0"))
    assert result.value is None
    assert result.reason == "penyerapan anggaran 0: efisiensi tidak dapat dihitung"


def test_it_refuses_efficiency_without_capaian() -> None:
    assert efisiensi(capaian=None, penyerapan=D("80")).reason == (
        "capaian kinerja belum dapat dihitung"
    )


def test_it_refuses_efficiency_without_absorption() -> None:
    assert efisiensi(capaian=D("80"), penyerapan=None).reason == "penyerapan anggaran belum ada"


@pytest.mark.parametrize(
    ("capaian_value", "kategori"),
    [
        ("98.04", "Efisien"),
        ("90.49", "Cukup Efisien"),
        ("80.49", "Cukup Efisien"),
        ("80.48", "Tidak Efisien"),
    ],
)
def test_it_categorises_the_difference_with_five_points_either_way(
    capaian_value: str, kategori: str
) -> None:
    result = efisiensi(
        capaian=D(capaian_value), penyerapan=D("85.49"), method=EfficiencyMethod.SELISIH
    )
    assert result.value == D(capaian_value) - D("85.49")
    assert result.kategori == kategori


def test_it_counts_unspent_budget_when_the_target_is_met() -> None:
    result = efisiensi(
        capaian=D("100"),
        penyerapan=D("90"),
        method=EfficiencyMethod.SISA_ANGGARAN,
        pagu=D("1000"),
        realisasi_anggaran=D("900"),
    )
    assert (result.value, result.kategori) == (D("10"), "Efisien")


def test_it_values_unspent_budget_at_0_when_the_target_is_missed() -> None:
    result = efisiensi(
        capaian=D("99"),
        penyerapan=D("90"),
        method=EfficiencyMethod.SISA_ANGGARAN,
        pagu=D("1000"),
        realisasi_anggaran=D("900"),
    )
    assert (result.value, result.kategori) == (D("0"), "Tidak Efisien")
    assert result.note is not None and "target belum tercapai" in result.note


def test_it_derives_unspent_budget_from_absorption_without_amounts() -> None:
    result = efisiensi(capaian=D("120"), penyerapan=D("100"), method=EfficiencyMethod.SISA_ANGGARAN)
    assert (result.value, result.kategori) == (D("0"), "Cukup Efisien")


def test_it_calls_overspending_not_efficient() -> None:
    result = efisiensi(
        capaian=D("100"),
        penyerapan=D("110"),
        method=EfficiencyMethod.SISA_ANGGARAN,
        pagu=D("100"),
        realisasi_anggaran=D("110"),
    )
    assert (result.value, result.kategori) == (D("-10"), "Tidak Efisien")


def test_it_refuses_unspent_budget_with_pagu_0() -> None:
    result = efisiensi(
        capaian=D("100"),
        penyerapan=None,
        method=EfficiencyMethod.SISA_ANGGARAN,
        pagu=D("0"),
        realisasi_anggaran=D("0"),
    )
    assert result.reason == "pagu 0: efisiensi tidak dapat dihitung"


def test_it_computes_pmk249_for_one_line() -> None:
    # E = 1 − 90/100 = 10 %; nilai = 50 + 10/20 × 50 = 75.
    result = efisiensi(capaian=D("100"), penyerapan=D("90"), method=EfficiencyMethod.PMK249)
    assert (result.value, result.kategori) == (D("75"), "Efisien")


def test_it_averages_pmk249_over_outputs() -> None:
    items = [
        Pmk249Item(
            pagu=D("100"),
            realisasi_anggaran=D("90"),
            target_volume=D("10"),
            realisasi_volume=D("10"),
        ),
        Pmk249Item(
            pagu=D("100"),
            realisasi_anggaran=D("100"),
            target_volume=D("10"),
            realisasi_volume=D("8"),
        ),
    ]
    # Terms: 1 − (90/10)/(100/10) = 10 %; 1 − (100/8)/(100/10) = −25 %; E = −7,5 %.
    result = efisiensi_pmk249(items)
    assert result.value == D("31.25")  # 50 + (−7,5 / 20) × 50
    assert result.kategori == "Tidak Efisien"


def test_it_bounds_pmk249_to_plus_minus_20_percent() -> None:
    item = Pmk249Item(
        pagu=D("100"), realisasi_anggaran=D("50"), target_volume=D("10"), realisasi_volume=D("10")
    )
    result = efisiensi_pmk249([item])
    assert result.value == D("100")
    assert result.note is not None and "dibatasi" in result.note


def test_it_leaves_out_pmk249_outputs_without_volume() -> None:
    items = [
        Pmk249Item(
            pagu=D("100"),
            realisasi_anggaran=D("90"),
            target_volume=D("10"),
            realisasi_volume=D("10"),
        ),
        Pmk249Item(
            pagu=D("100"),
            realisasi_anggaran=D("90"),
            target_volume=D("10"),
            realisasi_volume=D("0"),
        ),
    ]
    result = efisiensi_pmk249(items)
    assert result.value == D("75")
    assert result.note is not None and "1 keluaran tidak dihitung" in result.note


def test_it_refuses_pmk249_without_any_complete_output() -> None:
    result = efisiensi_pmk249([Pmk249Item(None, None, None, None)])
    assert result.value is None
    assert result.reason is not None


@pytest.mark.parametrize("method", list(EfficiencyMethod))
def test_it_describes_every_efficiency_method(method: EfficiencyMethod) -> None:
    assert describe_efficiency_method(method).startswith("Efisiensi")


def test_the_efficiency_note_names_the_capped_capaian_it_divides() -> None:
    # The program's capaian is the aggregate mean efisiensi() receives: bounded at 0–120 %
    # when the agency bounds its means, as the Capaian Kinerja column beside it shows.
    bounded = describe_efficiency_method(EfficiencyMethod.RASIO, (D(0), D(120)))
    assert "tiap capaian dibatasi 0–120 %" in bounded
    assert "sama dengan kolom Capaian Kinerja di sampingnya" in bounded
    plain = describe_efficiency_method(EfficiencyMethod.RASIO)
    assert plain.endswith("rata-rata capaian indikatornya, tanpa batas.")
    program = aggregate([capaian(D(100), D(453)), capaian(D(100), D(100))], bounds=(D(0), D(120)))
    assert program.mean == D(110)  # 453 counted as 120
    assert efisiensi(capaian=program.mean, penyerapan=D(100)).value == D(110)


# --- method notes and versions -----------------------------------------------------------------


def test_it_has_an_engine_version() -> None:
    assert ENGINE_VERSION == "1.1"  # 1.1: bounded aggregates and plausibility flags


def test_it_describes_the_positif_formula() -> None:
    assert "R / T × 100" in describe_method(POS, NegativeMethod.TWO_T_MINUS_R)


def test_it_describes_the_2t_minus_r_formula() -> None:
    text = describe_method(NEG, NegativeMethod.TWO_T_MINUS_R)
    assert "(2T − R) / T × 100" in text and "100 %" in text


def test_it_describes_the_t_over_r_formula() -> None:
    text = describe_method(NEG, T_OVER_R)
    assert "T / R × 100" in text and "realisasi 0" in text


def test_it_accepts_the_stored_string_values_of_the_enums() -> None:
    assert Polarity("negatif") is NEG and NegativeMethod("T/R") is T_OVER_R
    assert Accumulation("jumlah") is Accumulation.JUMLAH
    assert EfficiencyMethod("sisa_anggaran") is EfficiencyMethod.SISA_ANGGARAN


# --- trajectory --------------------------------------------------------------------------------

HISTORY = [(2021, D("10")), (2022, D("12")), (2023, D("14"))]


def test_it_projects_a_linear_trend_to_the_final_year() -> None:
    result = trajectory(points=HISTORY, final_year=2026, final_target=D("20"), polarity=POS)
    assert result is not None
    assert result.projected == D("20")
    assert result.status == "di-jalur"


def test_it_says_off_track_when_the_trend_falls_short() -> None:
    result = trajectory(points=HISTORY, final_year=2026, final_target=D("21"), polarity=POS)
    assert result is not None and result.status == "tidak-di-jalur"
    assert "belum di jalur" in result.note


def test_it_reads_the_trend_the_other_way_for_negatif() -> None:
    result = trajectory(points=HISTORY, final_year=2026, final_target=D("21"), polarity=NEG)
    assert result is not None and result.on_track


def test_it_uses_the_final_year_value_when_there_is_one() -> None:
    points = [*HISTORY, (2026, D("25"))]
    result = trajectory(points=points, final_year=2026, final_target=D("21"), polarity=POS)
    assert result is not None and result.projected == D("25")


@pytest.mark.parametrize(
    ("points", "final_target"), [(HISTORY[:1], D("20")), (HISTORY, None), ([], D("20"))]
)
def test_it_has_no_trajectory_without_a_trend_or_a_target(
    points: Sequence[tuple[int, Decimal]], final_target: Decimal | None
) -> None:
    assert (
        trajectory(points=points, final_year=2026, final_target=final_target, polarity=POS) is None
    )


# --- properties --------------------------------------------------------------------------------

finite = st.decimals(allow_nan=False, allow_infinity=False)
anything = st.decimals(allow_nan=True, allow_infinity=True)
sane = st.decimals(min_value=D("-1E12"), max_value=D("1E12"), allow_nan=False, places=6)
positive_target = st.decimals(min_value=D("0.000001"), max_value=D("1E12"), places=6)


@given(
    t=finite.filter(lambda d: d != 0),
    polarity=st.sampled_from(Polarity),
    method=st.sampled_from(NegativeMethod),
)
def test_it_gives_exactly_100_when_realisasi_equals_target(
    t: Decimal, polarity: Polarity, method: NegativeMethod
) -> None:
    assert capaian(t, t, polarity, method).capaian == D("100")


@given(t=positive_target, r1=sane, r2=sane)
def test_it_never_decreases_with_realisasi_for_positif(
    t: Decimal, r1: Decimal, r2: Decimal
) -> None:
    low, high = sorted((r1, r2))
    a, b = capaian(t, low).capaian, capaian(t, high).capaian
    assert a is not None and b is not None and a <= b


@given(t=positive_target, r1=sane, r2=sane)
def test_it_never_increases_with_realisasi_for_negatif_2t_minus_r(
    t: Decimal, r1: Decimal, r2: Decimal
) -> None:
    low, high = sorted((r1, r2))
    a, b = capaian(t, low, NEG).capaian, capaian(t, high, NEG).capaian
    assert a is not None and b is not None and a >= b


@given(t=positive_target, r1=positive_target, r2=positive_target)
def test_it_never_increases_with_positive_realisasi_for_negatif_t_over_r(
    t: Decimal, r1: Decimal, r2: Decimal
) -> None:
    # T/R is not monotone across R = 0 (it jumps from −∞ to +∞): only R > 0 is checked.
    low, high = sorted((r1, r2))
    a, b = capaian(t, low, NEG, T_OVER_R).capaian, capaian(t, high, NEG, T_OVER_R).capaian
    assert a is not None and b is not None and a >= b


@given(
    t=st.one_of(st.none(), anything),
    r=st.one_of(st.none(), anything),
    quarters=st.one_of(st.none(), st.lists(st.one_of(st.none(), anything), max_size=4)),
    polarity=st.sampled_from(Polarity),
    method=st.sampled_from(NegativeMethod),
    accumulation=st.sampled_from(Accumulation),
)
def test_it_never_raises_for_any_decimal_inputs(
    t: Decimal | None,
    r: Decimal | None,
    quarters: list[Decimal | None] | None,
    polarity: Polarity,
    method: NegativeMethod,
    accumulation: Accumulation,
) -> None:
    result = capaian(t, r, polarity, method, accumulation=accumulation, quarterly=quarters)
    if result.capaian is None:
        assert result.reason
        assert result.kategori is None
    else:
        assert result.capaian.is_finite()
        assert result.kategori is not None


@given(
    low=anything,
    high=anything,
    r=st.one_of(st.none(), anything),
    polarity=st.sampled_from(Polarity),
)
def test_it_never_raises_for_any_range(
    low: Decimal, high: Decimal, r: Decimal | None, polarity: Polarity
) -> None:
    result = capaian(TargetRange(low, high), r, polarity)
    assert result.capaian is None or result.capaian.is_finite()


@given(st.text(max_size=30), st.one_of(st.none(), st.text(max_size=30)))
def test_it_never_raises_for_any_text_inputs(target: str, realisasi: str | None) -> None:
    result = capaian(target, realisasi)
    assert result.capaian is not None or result.reason


@given(
    c=st.one_of(st.none(), anything),
    p=st.one_of(st.none(), anything),
    method=st.sampled_from(EfficiencyMethod),
)
def test_it_never_raises_computing_efficiency(
    c: Decimal | None, p: Decimal | None, method: EfficiencyMethod
) -> None:
    result = efisiensi(capaian=c, penyerapan=p, method=method, pagu=p, realisasi_anggaran=c)
    assert result.value is None or result.value.is_finite()
    assert (result.value is None) == (result.reason is not None)


@given(pagu=st.one_of(st.none(), anything), real=st.one_of(st.none(), anything))
def test_it_never_raises_computing_penyerapan(pagu: Decimal | None, real: Decimal | None) -> None:
    value = penyerapan(pagu, real)
    assert value is None or value.is_finite()


@given(reported=st.one_of(st.none(), anything), computed=st.one_of(st.none(), finite))
def test_it_never_raises_checking_discrepancy(
    reported: Decimal | None, computed: Decimal | None
) -> None:
    assert isinstance(is_discrepant(reported, computed), bool)


@given(value=st.decimals(allow_nan=False), scale=st.sampled_from(list(PRESET_SCALES.values())))
def test_it_classifies_every_number_into_exactly_one_band(value: Decimal, scale: Scale) -> None:
    containing = [b for b in scale.bands if b.contains(value)]
    assert len(containing) == 1
    assert scale.classify(value) == containing[0]


@given(st.lists(st.one_of(st.none(), sane), max_size=8))
def test_it_aggregates_any_results(values: list[Decimal | None]) -> None:
    results = [capaian(D("10"), v) for v in values]
    summary = aggregate(results)
    assert summary.n_with_data == sum(v is not None for v in values)
    assert sum(summary.counts.values()) == summary.n_with_data
    assume(summary.mean is not None)
    assert summary.kategori is not None


def test_the_efficiency_average_is_the_mean_of_the_lines_with_a_value() -> None:
    from indicators.engine import efisiensi_mean

    lines = [
        efisiensi(capaian=D("100"), penyerapan=D("80")),  # 125
        efisiensi(capaian=D("90"), penyerapan=D("100")),  # 90
        efisiensi(capaian=None, penyerapan=D("100")),  # no value: left out
    ]
    assert efisiensi_mean(lines) == D("107.5")
    assert efisiensi_mean([]) is None


# --- jumps (×10 against the previous value) ---------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "new", "expected"),
    [
        ("2.30", "230", "100"),
        ("230", "2.30", "100"),
        ("5.5", "-70", "12.727272727272727272727272727272727272727272727273"),
        ("10", "100", "10"),
    ],
)
def test_a_value_ten_times_away_is_a_jump(previous, new, expected):
    assert engine.jump_factor(Decimal(previous), Decimal(new)) == Decimal(expected)


@pytest.mark.parametrize(
    ("previous", "new"),
    [("2.30", "2.34"), ("10", "99.9"), ("0", "5"), ("5", "0"), (None, "5"), ("5", None)],
)
def test_nearby_values_zero_and_missing_are_not_jumps(previous, new):
    as_decimal = [Decimal(v) if v is not None else None for v in (previous, new)]
    assert engine.jump_factor(*as_decimal) is None


# --- bounded aggregate (the LKjIP rule) ------------------------------------------------------

BOUNDS_0_120 = (D(0), D(120))


def seed_iku_2024() -> list[CapaianResult]:
    """The four sasaran IKU of the seed 2024 (Tabel 3.1) as the engine computes them."""
    return [
        capaian(D("74.04"), D("73.27")),  # IDG 98,96
        capaian(D("5.5"), D("-70")),  # kekerasan −1.272,73
        capaian(D("45"), D("54.90")),  # desa maju (PK) 122,00
        capaian(D("2.33"), D("2.31"), NEG),  # TFR (2T − R)/T 100,86
    ]


def test_the_seed_2024_bounded_mean_is_79_95_tinggi() -> None:
    summary = aggregate(seed_iku_2024(), bounds=BOUNDS_0_120)
    assert round2(summary.mean) == D("79.95")
    assert summary.kategori == "Tinggi"
    assert summary.n_bounded == 2  # −1.272,73 → 0 and 122 → 120
    assert summary.bounds == BOUNDS_0_120
    assert summary.label == "4 dari 4 indikator memiliki data"


def test_the_seed_2024_plain_mean_is_kept_beside_it_for_reference() -> None:
    summary = aggregate(seed_iku_2024(), bounds=BOUNDS_0_120)
    assert round2(summary.unbounded_mean) == D("-237.73")
    assert aggregate(seed_iku_2024()).kategori == "Sangat Rendah"  # what the bound prevents


def test_the_counts_classify_each_indicators_own_unbounded_capaian() -> None:
    summary = aggregate(seed_iku_2024(), bounds=BOUNDS_0_120)
    assert summary.counts == {
        "Sangat Tinggi": 3,
        "Tinggi": 0,
        "Sedang": 0,
        "Rendah": 0,
        "Sangat Rendah": 1,
    }


def test_the_default_range_is_0_to_120() -> None:
    assert (D(0), D(120)) == engine.DEFAULT_AGGREGATE_BOUNDS


@pytest.mark.parametrize(("low", "high"), [("120", "0"), ("50", "50"), ("NaN", "120")])
def test_it_refuses_a_range_that_is_not_low_below_high(low: str, high: str) -> None:
    with pytest.raises(engine.BoundsError):
        aggregate(seed_iku_2024(), bounds=(D(low), D(high)))


def test_the_rule_is_named_with_its_range() -> None:
    text = engine.describe_aggregate_rule(BOUNDS_0_120)
    assert "dibatasi 0–120 %" in text
    assert "tanpa batas" in engine.describe_aggregate_rule(None)


@given(
    st.lists(st.one_of(st.none(), sane), max_size=8),
    st.decimals(min_value=-200, max_value=100, allow_nan=False, places=2),
    st.decimals(min_value=1, max_value=300, allow_nan=False, places=2),
)
def test_a_bounded_mean_always_lies_within_its_range(
    values: list[Decimal | None], low: Decimal, width: Decimal
) -> None:
    bounds = (low, low + width)
    summary = aggregate([capaian(D("10"), v) for v in values], bounds=bounds)
    assert summary.n_with_data == sum(v is not None for v in values)
    assert sum(summary.counts.values()) == summary.n_with_data
    if summary.mean is None:
        assert summary.n_with_data == 0
    else:
        assert bounds[0] <= summary.mean <= bounds[1]


@given(st.lists(st.decimals(min_value=0, max_value=120, allow_nan=False, places=4), max_size=8))
def test_values_inside_the_range_average_as_a_plain_mean(values: list[Decimal]) -> None:
    results = [capaian(D("100"), v) for v in values]
    bounded = aggregate(results, bounds=BOUNDS_0_120)
    assert bounded.mean == aggregate(results).mean
    assert bounded.n_bounded == 0


# --- plausibility flags -----------------------------------------------------------------------


def flag_codes(**kwargs: object) -> list[str]:
    defaults: dict[str, object] = {"capaian": None, "target": None, "realisasi": None}
    return [f.code for f in engine.plausibility(**{**defaults, **kwargs})]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6200", ["capaian-tinggi"]),  # GDPK: T 1 dokumen, R 62
        ("150.01", ["capaian-tinggi"]),
        ("150", []),
        ("0", []),
        ("-0.01", ["capaian-negatif"]),
        ("-1272.73", ["capaian-negatif"]),  # kekerasan
    ],
)
def test_it_flags_a_capaian_above_150_or_below_0(value: str, expected: list[str]) -> None:
    assert flag_codes(capaian=D(value)) == expected


def test_it_flags_a_target_or_realisasi_ten_times_the_previous_years() -> None:
    codes = flag_codes(
        target=D("230"), previous_target=D("2.30"), realisasi=D("2.31"), previous_realisasi=D("2.3")
    )
    assert codes == ["lonjakan-target"]
    flags = engine.plausibility(
        capaian=None,
        target=None,
        realisasi=D("170"),
        previous_realisasi=D("4"),
        previous_year=2023,
    )
    assert [f.code for f in flags] == ["lonjakan-realisasi"]
    assert "×42,50 dari tahun 2023 (4,00)" in flags[0].message


def test_it_flags_a_percentage_realisasi_above_100() -> None:
    assert flag_codes(realisasi=D("105"), satuan="%") == ["di-luar-rentang"]
    assert flag_codes(realisasi=D("105"), satuan="orang") == []
    assert flag_codes(realisasi=D("100"), satuan="%") == []


def test_missing_values_raise_no_flag() -> None:
    assert flag_codes() == []
    assert flag_codes(capaian=D("NaN"), realisasi=D("Infinity"), satuan="%") == []


@given(capaian=st.one_of(st.none(), sane), realisasi=st.one_of(st.none(), sane))
def test_plausibility_never_raises(capaian: Decimal | None, realisasi: Decimal | None) -> None:
    flags = engine.plausibility(
        capaian=capaian, target=D("10"), realisasi=realisasi, previous_realisasi=D("1"), satuan="%"
    )
    assert all(f.message for f in flags)


def test_the_engine_imports_no_django() -> None:
    """The engine stays pure Python: importing every one of its modules loads no Django."""
    code = (
        "import sys, indicators.engine\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
        "print(sorted(m for m in sys.modules if m.startswith('indicators.engine.')))"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, our own code)
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "indicators.engine.anggaran" in result.stdout
