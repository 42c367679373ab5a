"""The scoring engine and reliable change, with vectors worked out by hand."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twofold.lib.content import read_json
from twofold.outcomes import instruments
from twofold.outcomes.instruments import Instrument, Reliability, parse_instrument
from twofold.outcomes.scoring import reliable_change, s_diff, score

TEST_INSTRUMENT = Path(__file__).resolve().parent / "data" / "instruments"
TSWI_PATH = TEST_INSTRUMENT / "test-sexual-wellbeing.json"


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    instruments.reload()
    with translation.override("en"):
        yield
    instruments.reload()


def get(key: str) -> Instrument:
    return instruments.instrument(key)


def tswi() -> Instrument:
    return parse_instrument(read_json(TSWI_PATH), TSWI_PATH)


def answers_adding_to(instrument: Instrument, total: int) -> dict[str, int]:
    """Answers (no reverse items) whose scores add up to ``total``, filling items in order."""
    out: dict[str, int] = {}
    left = total
    for item in instrument.items:
        assert not item.reverse
        out[item.key] = min(left, item.max_score)
        left -= out[item.key]
    assert left == 0
    return out


# --- PHQ-9 -------------------------------------------------------------------------------

PHQ9 = ["interest", "down", "sleep", "tired", "appetite", "self_worth", "concentration"]


@pytest.mark.parametrize(
    ("total", "band", "above"),
    [
        (0, "None or minimal", False),
        (4, "None or minimal", False),
        (5, "Mild", False),
        (9, "Mild", False),
        (10, "Moderate", True),
        (14, "Moderate", True),
        (15, "Moderately severe", True),
        (19, "Moderately severe", True),
        (20, "Severe", True),
        (27, "Severe", True),
    ],
)
def test_phq9_band_edges(total: int, band: str, above: bool) -> None:
    result = score(get("phq-9"), answers_adding_to(get("phq-9"), total))
    assert (result.total, result.band, result.above_cutoff) == (total, band, above)
    assert result.withheld is None and result.answered == 9 and not result.prorated


def test_phq9_item_9_above_zero_is_critical_and_zero_is_not() -> None:
    phq9 = get("phq-9")
    base = dict.fromkeys([*PHQ9, "psychomotor"], 0)
    assert score(phq9, {**base, "self_harm": 0}).critical == ()
    for answer in (1, 2, 3):
        result = score(phq9, {**base, "self_harm": answer})
        assert result.critical == ("self_harm",) and result.total == answer
    # Flagged even when the rest is missing and the score is withheld.
    alone = score(phq9, {"self_harm": 1})
    assert alone.total is None and alone.critical == ("self_harm",)


def test_phq9_one_missing_item_is_prorated_and_rounded_half_up() -> None:
    phq9 = get("phq-9")
    # Eight answers adding to 12: 12 / 8 * 9 = 13.5, rounded half up to 14.
    eight = {"interest": 2, "down": 2, "sleep": 2, "tired": 2, "appetite": 1, "self_worth": 1}
    eight |= {"concentration": 1, "psychomotor": 1}
    result = score(phq9, eight)
    assert (result.total, result.band, result.prorated, result.answered) == (
        14,
        "Moderate",
        True,
        8,
    )
    # Adding to 11: 11 / 8 * 9 = 12.375, so 12.
    assert score(phq9, {**eight, "interest": 1}).total == 12
    # None counts as not answered, the same as leaving the key out.
    assert score(phq9, {**eight, "self_harm": None}).total == 14


def test_phq9_two_missing_items_withhold_the_score_and_say_why() -> None:
    result = score(get("phq-9"), dict.fromkeys(PHQ9, 1))
    assert result.total is None and result.band is None and result.above_cutoff is None
    assert result.withheld_code == "too_many_missing"
    assert result.withheld == "Not scored: 2 answers are missing; at most 1 may be left out."
    assert result.answered == 7


# --- GAD-7 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band", "above"),
    [
        (0, "None or minimal", False),
        (4, "None or minimal", False),
        (5, "Mild", False),
        (7, "Mild", False),
        (8, "Mild", True),
        (9, "Mild", True),
        (10, "Moderate", True),
        (14, "Moderate", True),
        (15, "Severe", True),
        (21, "Severe", True),
    ],
)
def test_gad7_band_edges_and_caseness(total: int, band: str, above: bool) -> None:
    result = score(get("gad-7"), answers_adding_to(get("gad-7"), total))
    assert (result.total, result.band, result.above_cutoff) == (total, band, above)


def test_gad7_missing_items() -> None:
    gad7 = get("gad-7")
    six = {"nervous": 2, "worrying": 2, "worrying_too_much": 2, "relaxing": 2, "restless": 1}
    six["irritable"] = 1
    # 10 / 6 * 7 = 11.67, so 12.
    assert score(gad7, six).total == 12 and score(gad7, six).prorated
    assert score(gad7, {"nervous": 3}).withheld_code == "too_many_missing"
    assert score(gad7, {}).total is None and score(gad7, {}).answered == 0


# --- PHQ-4 -------------------------------------------------------------------------------


def test_phq4_subscales_are_positive_at_three() -> None:
    phq4 = get("phq-4")
    result = score(phq4, {"nervous": 1, "worrying": 2, "down": 1, "interest": 1})
    assert result.subscales == {"anxiety": 3, "depression": 2}
    assert result.subscales_above_cutoff == {"anxiety": True, "depression": False}
    assert (result.total, result.band) == (5, "Mild")
    result = score(phq4, {"nervous": 0, "worrying": 2, "down": 3, "interest": 0})
    assert result.subscales_above_cutoff == {"anxiety": False, "depression": True}
    assert result.above_cutoff is None  # no cut-off for the PHQ-4 total


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "None"),
        (2, "None"),
        (3, "Mild"),
        (5, "Mild"),
        (6, "Moderate"),
        (8, "Moderate"),
        (9, "Severe"),
        (12, "Severe"),
    ],
)
def test_phq4_band_edges(total: int, band: str) -> None:
    assert score(get("phq-4"), answers_adding_to(get("phq-4"), total)).band == band


def test_phq4_needs_every_answer_but_keeps_the_complete_subscale() -> None:
    result = score(get("phq-4"), {"nervous": 2, "worrying": 2, "down": 1})
    assert result.total is None and result.withheld_code == "missing"
    assert result.withheld == (
        "Not scored: this questionnaire needs every answer, and 1 is missing."
    )
    assert result.subscales == {"anxiety": 4, "depression": None}
    assert result.subscales_above_cutoff == {"anxiety": True, "depression": None}


# --- PSS-10 and PSS-4 --------------------------------------------------------------------

PSS10 = {
    "upset": 3,
    "unable_to_control": 2,
    "nervous": 4,
    "confident": 1,  # reversed: 3
    "going_your_way": 0,  # reversed: 4
    "could_not_cope": 2,
    "control_irritations": 4,  # reversed: 0
    "on_top": 3,  # reversed: 1
    "angered": 1,
    "piling_up": 2,
}


def test_pss10_reverses_items_4_5_7_and_8() -> None:
    pss = get("pss-10")
    # 3 + 2 + 4 + 3 + 4 + 2 + 0 + 1 + 1 + 2
    result = score(pss, PSS10)
    assert result.total == 22 and result.band is None and result.above_cutoff is None
    assert score(pss, dict.fromkeys(PSS10, 0)).total == 16  # the four reversed count 4
    assert score(pss, dict.fromkeys(PSS10, 4)).total == 24
    lowest = dict.fromkeys(PSS10, 0) | dict.fromkeys(
        ["confident", "going_your_way", "control_irritations", "on_top"], 4
    )
    assert score(pss, lowest).total == 0
    assert score(pss, {k: 4 - v for k, v in lowest.items()}).total == 40


def test_pss10_prorates_one_missing_item() -> None:
    without = {k: v for k, v in PSS10.items() if k != "piling_up"}
    result = score(get("pss-10"), without)  # 20 / 9 * 10 = 22.2, so 22
    assert (result.total, result.prorated) == (22, True)
    del without["upset"]
    assert score(get("pss-10"), without).withheld_code == "too_many_missing"


def test_pss4_reverses_items_2_and_3() -> None:
    pss4 = get("pss-4")
    answers = {"unable_to_control": 3, "confident": 1, "going_your_way": 2, "piling_up": 4}
    assert score(pss4, answers).total == 3 + 3 + 2 + 4
    assert score(pss4, dict.fromkeys(answers, 0)).total == 8
    assert score(pss4, dict.fromkeys(answers, 4)).total == 8
    assert score(pss4, {"unable_to_control": 0, "confident": 4, "going_your_way": 4}).total is None


# --- CSI-4 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total", "band", "above"),
    [
        ((6, 5, 5, 5), 21, "No relationship distress", True),
        ((3, 4, 4, 3), 14, "No relationship distress", True),
        ((3, 3, 3, 4), 13, "Relationship distress", False),
        ((0, 0, 0, 0), 0, "Relationship distress", False),
    ],
)
def test_csi4_scores_and_the_distress_cutoff(
    answers: tuple[int, ...], total: int, band: str, above: bool
) -> None:
    csi = get("csi-4")
    result = score(csi, dict(zip(csi.item_keys, answers, strict=True)))
    assert (result.total, result.band, result.above_cutoff) == (total, band, above)


def test_csi4_item_one_allows_six_and_the_others_do_not() -> None:
    csi = get("csi-4")
    assert score(csi, {"happiness": 6}).total is None
    with pytest.raises(ValueError, match="not one of its option scores"):
        score(csi, {"warm": 6})
    with pytest.raises(ValueError, match="has no item"):
        score(csi, {"trust": 1})


def test_csi4_needs_every_answer() -> None:
    result = score(get("csi-4"), {"happiness": 5, "warm": 5})
    assert result.withheld_code == "missing" and "2 are missing" in (result.withheld or "")


# --- HARK --------------------------------------------------------------------------------


def test_hark_counts_yes_and_any_yes_is_positive_and_critical() -> None:
    hark = get("hark")
    no = dict.fromkeys(hark.item_keys, 0)
    result = score(hark, no)
    assert (result.total, result.band, result.above_cutoff, result.critical) == (
        0,
        "Negative screen",
        False,
        (),
    )
    result = score(hark, no | {"afraid": 1})
    assert (result.total, result.band, result.above_cutoff, result.critical) == (
        1,
        "Positive screen",
        True,
        ("afraid",),
    )
    result = score(hark, dict.fromkeys(hark.item_keys, 1))
    assert result.total == 4 and result.critical == ("humiliated", "afraid", "raped", "kicked")


def test_hark_a_yes_is_flagged_even_when_an_item_is_left_out() -> None:
    result = score(get("hark"), {"kicked": 1, "humiliated": 0})
    assert result.total is None and result.critical == ("kicked",)


# --- The weekly check-in -----------------------------------------------------------------


def test_the_checkin_has_a_score_per_dimension_and_no_total() -> None:
    checkin = get("twofold-checkin")
    answers = {"openness": 7, "sexual_comfort": None, "mutual_support": 9, "stress": 8}
    answers |= {"sleep_quality": 5, "mood": 6, "felt_safe": 9}
    result = score(checkin, answers)
    assert result.subscales == {
        "openness": 7,
        "sexual_comfort": None,
        "mutual_support": 9,
        "stress": 2,  # reversed: 10 + 0 - 8, so higher is calmer
        "sleep_quality": 5,
        "mood": 6,
        "felt_safe": 9,
    }
    assert result.total is None and result.withheld is None and result.band is None
    assert result.answered == 6 and result.critical == ()
    assert reliable_change(checkin, 3, 9).category is None


# --- The test instrument: domains with weights and minimum items -------------------------

FULL: dict[str, int | None] = {
    "wish_for_closeness": 4,
    "looked_forward": 5,
    "felt_warmth": 3,
    "stayed_present": 3,
    "felt_at_ease": 4,
    "content": 5,
    "talked_freely": 4,
    "felt_pressured": 1,  # reversed: 5 + 0 - 1 = 4
}


def test_domain_scores_are_item_sums_times_the_weight() -> None:
    result = score(tswi(), FULL)
    # Desire (4 + 5) * 0.6, arousal (3 + 3 + 4) * 0.3, satisfaction (5 + 4 + 4) * 0.4.
    assert result.subscales == {"desire": 5.4, "arousal": 3.0, "satisfaction": 5.2}
    assert result.total == 13.6 and result.band == "Higher wellbeing" and result.above_cutoff
    assert not result.prorated


def test_a_domain_with_enough_answers_is_prorated_and_rounded_to_the_files_decimals() -> None:
    answers = FULL | {"looked_forward": 3, "felt_at_ease": None}
    result = score(tswi(), answers)
    # Desire (4 + 3) * 0.6 = 4.2; arousal (3 + 3) / 2 * 3 * 0.3 = 2.7.
    assert result.subscales == {"desire": 4.2, "arousal": 2.7, "satisfaction": 5.2}
    assert result.total == 12.1 and result.prorated
    # (3 + 4) / 2 * 3 * 0.3 = 3.15, half up to 3.2 (not the float's 3.1499…).
    answers = FULL | {"felt_warmth": 3, "stayed_present": 4, "felt_at_ease": None}
    assert score(tswi(), answers).subscales["arousal"] == 3.2


def test_a_domain_below_its_minimum_withholds_it_and_the_total() -> None:
    answers = FULL | {"stayed_present": None, "felt_at_ease": None}
    result = score(tswi(), answers)
    assert result.subscales["arousal"] is None
    assert result.subscales["desire"] == 5.4 and result.subscales["satisfaction"] == 5.2
    assert result.total is None and result.withheld_code == "domain_withheld"
    assert result.withheld == "Not scored: too few answers about “Arousal”."
    # Desire needs one answer of two.
    one = score(tswi(), FULL | {"looked_forward": None})
    assert one.subscales["desire"] == 4.8 and one.total is not None
    none = score(tswi(), FULL | {"looked_forward": None, "wish_for_closeness": None})
    assert none.subscales["desire"] is None and none.total is None


def test_the_test_instruments_band_edge_at_its_precision() -> None:
    low = FULL | {"looked_forward": 0, "wish_for_closeness": 0, "content": 0}
    # 0 + 3.0 + (0 + 4 + 4) * 0.4 = 6.2
    assert score(tswi(), low).total == 6.2 and score(tswi(), low).band == "Lower wellbeing"


# --- Reliable change ---------------------------------------------------------------------


def with_reliability(instrument: Instrument, sd: float, r: float) -> Instrument:
    return dataclasses.replace(
        instrument, reliability=Reliability(sd=sd, r=r, source="test"), reliable_change_points=None
    )


def test_the_worked_example_from_clinical_md() -> None:
    csi = with_reliability(get("csi-4"), 5, 0.80)
    assert s_diff(csi) == pytest.approx(3.1623, abs=1e-4)
    up8 = reliable_change(csi, 4, 12)
    assert up8.rci == pytest.approx(2.530, abs=1e-3) and up8.reliable and up8.method == "rci"
    up4 = reliable_change(csi, 4, 8)
    assert up4.rci == pytest.approx(1.265, abs=1e-3) and not up4.reliable
    assert up4.category == "unchanged" and up4.change == 4


def test_categories_when_higher_is_better() -> None:
    csi = with_reliability(get("csi-4"), 5, 0.80)  # cut-off 13.5, higher is better
    assert reliable_change(csi, 6, 14).category == "recovered"  # +8, crossed the cut-off
    assert reliable_change(csi, 2, 10).category == "improved"  # +8, still distressed
    assert reliable_change(csi, 14, 21).category == "improved"  # +7, was never distressed
    assert reliable_change(csi, 10, 14).category == "unchanged"  # +4 crosses, not reliable
    worse = reliable_change(csi, 18, 10)
    assert worse.category == "deteriorated" and worse.rci == pytest.approx(-2.530, abs=1e-3)
    assert reliable_change(csi, 14, 14).category == "unchanged"


def test_categories_when_lower_is_better() -> None:
    # Our own numbers: SD 7.5, r 0.85 -> SE = 7.5 * sqrt(0.15) = 2.9047,
    # S_diff = 2.9047 * sqrt(2) = 4.1079; a change of -10 gives RCI = -2.4343.
    pss = with_reliability(get("pss-10"), 7.5, 0.85)
    assert s_diff(pss) == pytest.approx(4.1079, abs=1e-4)
    better = reliable_change(pss, 25, 15)
    assert better.rci == pytest.approx(-2.4343, abs=1e-4)
    assert better.category == "improved"  # no cut-off: never "recovered"
    assert reliable_change(pss, 15, 25).category == "deteriorated"
    assert reliable_change(pss, 25, 18).category == "unchanged"  # RCI -1.70


def test_the_rci_must_exceed_1_96() -> None:
    # r = 0.5 and SD 1 make S_diff exactly 1, so the RCI is the change itself.
    pss = with_reliability(get("pss-10"), 1, 0.5)
    assert s_diff(pss) == pytest.approx(1.0)
    assert not reliable_change(pss, 10, 11.96).reliable
    assert reliable_change(pss, 10, 11.97).reliable


def test_phq9_uses_its_published_reliable_change_of_six_points() -> None:
    phq9 = get("phq-9")  # cut-off 10: 10 or more is the clinical side
    recovered = reliable_change(phq9, 15, 9)
    assert (recovered.category, recovered.method, recovered.rci) == ("recovered", "points", None)
    assert reliable_change(phq9, 12, 6).category == "recovered"
    assert reliable_change(phq9, 20, 14).category == "improved"  # still 10 or more
    assert reliable_change(phq9, 15, 10).category == "unchanged"  # 5 points
    assert reliable_change(phq9, 8, 3).category == "unchanged"
    assert reliable_change(phq9, 5, 11).category == "deteriorated"
    assert reliable_change(phq9, 5, 10).category == "unchanged"


def test_gad7_uses_its_published_reliable_change_of_four_points() -> None:
    gad7 = get("gad-7")  # cut-off 8
    assert reliable_change(gad7, 12, 8).category == "improved"  # 8 is still caseness
    assert reliable_change(gad7, 12, 7).category == "recovered"
    assert reliable_change(gad7, 12, 9).category == "unchanged"
    assert reliable_change(gad7, 3, 7).category == "deteriorated"


def test_published_points_win_over_reliability_data_but_the_rci_is_still_given() -> None:
    phq9 = dataclasses.replace(get("phq-9"), reliability=Reliability(sd=5, r=0.8, source="test"))
    # 5 points: RCI -1.58 and under 6 points, so unchanged either way; 6 points is reliable
    # by the published rule although the RCI (-1.897) is not.
    assert reliable_change(phq9, 15, 10).category == "unchanged"
    six = reliable_change(phq9, 16, 10)
    assert six.reliable and six.rci == pytest.approx(-6 / math.sqrt(10)) and six.method == "points"


def test_no_reliable_change_without_reliability_data() -> None:
    for key in ("csi-4", "phq-4", "pss-4", "pss-10", "hark"):
        result = reliable_change(get(key), 2, 12)
        assert (result.rci, result.reliable, result.category, result.method) == (
            None,
            False,
            None,
            "",
        )


def test_the_test_instrument_has_rci_from_its_file() -> None:
    # SD 3, r 0.9: S_diff = sqrt(2 * 9 * 0.1) = 1.3416; +3.3 gives 2.46.
    result = reliable_change(tswi(), 6.2, 9.5)
    assert result.rci == pytest.approx(3.3 / math.sqrt(1.8)) and result.category == "recovered"


# --- Scoring never crashes ---------------------------------------------------------------

ALL = [*sorted(instruments.instruments().values(), key=lambda i: i.key), tswi()]


@st.composite
def answer_sets(draw: st.DrawFn) -> tuple[Instrument, dict[str, int | None]]:
    instrument = draw(st.sampled_from(ALL))
    answers: dict[str, int | None] = {}
    for item in instrument.items:
        choice = draw(st.sampled_from([None, "absent", *(o.score for o in item.options)]))
        if choice != "absent":
            answers[item.key] = choice  # type: ignore[assignment]
    return instrument, answers


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets())
def test_scoring_never_raises_and_stays_inside_the_range(
    case: tuple[Instrument, dict[str, int | None]],
) -> None:
    instrument, answers = case
    result = score(instrument, answers)
    low, high = instrument.total_range
    assert result.answered == sum(v is not None for v in answers.values())
    if result.total is not None:
        assert low <= result.total <= high
        assert result.withheld is None
        if instrument.bands:
            assert result.band in {b.label for b in instrument.bands}
    elif instrument.has_total:
        assert result.withheld and result.withheld_code
    for subscale in instrument.subscales:
        value = result.subscales[subscale.key]
        assert value is None or subscale.low <= value <= subscale.high
    assert set(result.critical) <= set(instrument.critical_items)
    if result.total is not None:
        change = reliable_change(instrument, low, result.total)
        assert change.category in {None, "recovered", "improved", "unchanged", "deteriorated"}
