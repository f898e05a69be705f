"""The LKE's arithmetic against hand-computed answer sets (PermenPANRB 88/2021, the default
instrument of fixtures/lke/): weights, scales, predikat bands and logic checks."""

from decimal import Decimal

import pytest

from evaluasi.defaults import instrument_88_2021
from evaluasi.scoring import InvalidAnswer, check_logic, gains, predikat, score, value_of

LKE = instrument_88_2021()
Q = Decimal("0.0001")


def answers(yt: str, ae: str) -> dict[str, str]:
    return {c.kode: yt if c.skala == "Y/T" else ae for c in LKE.criteria}


def test_the_instrument_has_the_regulations_shape():
    assert len(LKE.criteria) == 80
    assert [s.kode for s in LKE.subs] == [f"{k}.{s}" for k in "1234" for s in "abc"]
    assert {c.kode: c.bobot for c in LKE.components} == {
        "1": Decimal(30),
        "2": Decimal(30),
        "3": Decimal(15),
        "4": Decimal(25),
    }
    assert sum(s.bobot for s in LKE.subs) == Decimal(100)


def test_every_top_answer_scores_100_aa():
    result = score(LKE, answers("Y", "A"))
    assert result.total == Decimal(100)
    assert (result.predikat.predikat, result.predikat.label) == ("AA", "Sangat Memuaskan")
    assert result.components == {
        "1": Decimal(30),
        "2": Decimal(30),
        "3": Decimal(15),
        "4": Decimal(25),
    }
    assert result.findings == () and result.unanswered == ()


def test_every_bottom_answer_scores_0_d():
    result = score(LKE, answers("T", "E"))
    assert result.total == Decimal(0)
    assert result.predikat.predikat == "D"
    # Every existence criterion is 0 and nothing above it scores: no logic finding.
    assert result.findings == ()


def test_a_mixed_set_computed_by_hand():
    """Y for every Y/T, B (0,75) for every A–E. 1.a: (6 + 0,75)/7 × 6 = 5,7857; 1.b: (2 + 8 ×
    0,75)/10 × 9 = 7,2; 1.c: 0,75 × 15 = 11,25; 2.a: (1 + 1,5)/3 × 6 = 5; 2.b: 6,75; 2.c:
    11,25; 3.a: (5 + 0,75)/6 × 3 = 2,875; 3.b: 3,375; 3.c: 5,625; 4.a: (1 + 1,5)/3 × 5 =
    4,1667; 4.b: 5,625; 4.c: 9,375 → 78,2774, BB."""
    result = score(LKE, answers("Y", "B"))
    assert result.subs["1.a"].quantize(Q) == Decimal("5.7857")
    assert result.subs["1.b"] == Decimal("7.2")
    assert result.subs["3.a"].quantize(Q) == Decimal("2.8750")
    assert result.subs["4.a"].quantize(Q) == Decimal("4.1667")
    assert result.components["1"].quantize(Q) == Decimal("24.2357")
    assert result.components["2"] == Decimal("23.00")
    assert result.components["3"].quantize(Q) == Decimal("11.8750")
    assert result.components["4"].quantize(Q) == Decimal("19.1667")
    assert result.total.quantize(Q) == Decimal("78.2774")
    assert result.predikat.predikat == "BB"


def test_komponen_1_alone_is_30_which_is_still_d():
    """30 is the top of D ("C > 30–50"): the bound belongs to the band below."""
    mixed = {
        c.kode: ("Y" if c.skala == "Y/T" else "A")
        if c.kode.startswith("1.")
        else ("T" if c.skala == "Y/T" else "E")
        for c in LKE.criteria
    }
    result = score(LKE, mixed)
    assert result.total == Decimal(30)
    assert result.predikat.predikat == "D"


@pytest.mark.parametrize(
    ("nilai", "expected"),
    [
        ("100", "AA"),
        ("90.01", "AA"),
        ("90", "A"),
        ("80.01", "A"),
        ("80", "BB"),
        ("70", "B"),
        ("60", "CC"),
        ("50", "C"),
        ("30.01", "C"),
        ("30", "D"),
        ("0", "D"),
    ],
)
def test_predikat_bands(nilai, expected):
    assert predikat(LKE, Decimal(nilai)).predikat == expected


def test_an_unanswered_criterion_counts_0_and_is_listed():
    partial = answers("Y", "A")
    del partial["4.c.5"]
    result = score(LKE, partial)
    assert result.unanswered == ("4.c.5",)
    assert result.values["4.c.5"] is None
    assert result.subs["4.c"] == Decimal("10.0")  # 4 of 5 × 12,5
    assert result.total == Decimal("97.5")


def test_answers_outside_the_scale_are_refused_by_name():
    with pytest.raises(InvalidAnswer, match=r"Jawaban «F» untuk 1\.b\.5 di luar skala A-E"):
        value_of(LKE, "1.b.5", "F")
    with pytest.raises(InvalidAnswer, match=r"«A» untuk 1\.a\.1 di luar skala Y/T \(Y/T\)"):
        value_of(LKE, "1.a.1", "A")
    with pytest.raises(InvalidAnswer, match=r"Kriteria 9\.z\.1 tidak ada"):
        score(LKE, {"9.z.1": "A"})
    assert value_of(LKE, "1.b.5", " b ") == Decimal("0.75")
    assert value_of(LKE, "1.b.5", "") is None


@pytest.mark.parametrize("rule", LKE.rules, ids=lambda r: r.condition)
def test_each_logic_check_finds_a_quality_above_a_missing_existence(rule):
    bottom = answers("T", "E")
    bound = next(
        c.kode
        for c in LKE.criteria
        if c.kode != rule.condition
        and any(c.kode == p or (p.endswith("*") and c.kode.startswith(p[:-1])) for p in rule.bound)
    )
    criterion = LKE.criterion(bound)
    bottom[bound] = "Y" if criterion.skala == "Y/T" else "C"
    values = score(LKE, bottom).values
    (finding,) = check_logic(LKE, values)
    assert finding.rule == rule
    assert finding.criteria == (bound,)
    assert finding.text.startswith(rule.message)
    assert f"{rule.condition} = 0, tetapi {bound} > 0" in finding.text
    # With its existence criterion answered, the same answer is no finding.
    top = LKE.criterion(rule.condition)
    bottom[rule.condition] = "Y" if top.skala == "Y/T" else "A"
    assert check_logic(LKE, score(LKE, bottom).values) == ()


def test_the_report_missing_is_the_readmes_example():
    bottom = answers("T", "E")
    bottom["3.b.3"] = "A"
    (finding,) = score(LKE, bottom).findings
    assert finding.rule.message == "SALAH, Laporan Kinerja tidak ada"


def test_gains_rank_weight_times_room_and_add_up():
    """All top but 1.c.2 = C (room 0,5 × 15/8 = 0,9375), 3.a.1 = T (1 × 3/6 = 0,5) and 4.a.1
    unanswered (1 × 5/3 = 1,6667): nilai 96,8958, and raising them in that order reaches 100."""
    own = answers("Y", "A") | {"1.c.2": "c", "3.a.1": "T", "4.a.1": None}
    ranked = gains(LKE, own)
    assert [(g.kode, g.current, g.best) for g in ranked] == [
        ("4.a.1", None, "Y"),
        ("1.c.2", "C", "A"),
        ("3.a.1", "T", "Y"),
    ]
    assert [g.gain.quantize(Q) for g in ranked] == [
        Decimal("1.6667"),
        Decimal("0.9375"),
        Decimal("0.5000"),
    ]
    assert [g.nilai_after.quantize(Q) for g in ranked] == [
        Decimal("98.5625"),
        Decimal("99.5000"),
        Decimal("100.0000"),
    ]


def test_gains_forecast_the_predikat():
    """Every A–E at B (78,2774, BB): 4.c's five criteria weigh most (0,25 × 12,5/5 = 0,625
    each), then 2.a's (0,25 × 6/3 = 0,5) before 1.c's (0,25 × 15/8 = 0,46875); the third
    lifts the nilai over 80 (A)."""
    ranked = gains(LKE, answers("Y", "B"))
    assert [g.kode for g in ranked[:6]] == ["4.c.1", "4.c.2", "4.c.3", "4.c.4", "4.c.5", "2.a.2"]
    assert [(g.nilai_after.quantize(Q), g.predikat_after.predikat) for g in ranked[1:5]] == [
        (Decimal("79.5274"), "BB"),
        (Decimal("80.1524"), "A"),
        (Decimal("80.7774"), "A"),
        (Decimal("81.4024"), "A"),
    ]
    # Every Y already scores full: only the 62 A–E criteria have room.
    assert len(ranked) == sum(1 for c in LKE.criteria if c.skala == "A-E")
    assert gains(LKE, answers("Y", "A")) == ()
