"""Scoring rules beyond the worked examples: reverse scoring, low factors and their goals,
comparison over time, AHC edge cases, the CSHCN answer codes, and the social-needs summary."""

from fractions import Fraction

import pytest

from carecoord.careplans.instruments.comparison import Direction, compare_administrations
from carecoord.careplans.instruments.loader import load_instrument
from carecoord.careplans.instruments.scoring import score
from carecoord.careplans.instruments.social_needs import social_needs_summary
from carecoord.careplans.instruments.subscales import score_item_values
from carecoord.careplans.instruments.transition import TransitionStatus, transition_elements_due

NO_NEEDS = {
    "living_situation": "LA31993-1", "housing_problems": ["LA9-3"],
    "food_worry": "LA28398-8", "food_didnt_last": "LA28398-8",
    "transportation": "LA32-8", "utilities": "LA32-8",
    "safety_hurt": "LA6270-8", "safety_insult": "LA6270-8",
    "safety_threaten": "LA6270-8", "safety_scream": "LA6270-8",
}
ALL_AGREE = {item_id: "agree" for item_id in (
    "pr_1", "pr_2", "pr_3", "sc_1", "sc_2", "sc_3", "kp_1", "kp_2", "cs_1", "cs_2", "cs_3",
    "se_1", "se_2")}


@pytest.fixture(scope="module")
def checkin():
    return load_instrument("carecoord-protective-factors-checkin")


@pytest.fixture(scope="module")
def ahc():
    return load_instrument("ahc-hrsn-core")


def test_reverse_scored_items_count_the_other_way(checkin):
    assert [checkin.item("pr_2").scored_value(v) for v in range(1, 6)] == [5, 4, 3, 2, 1]
    assert [checkin.item("pr_1").scored_value(v) for v in range(1, 6)] == [1, 2, 3, 4, 5]
    result = score(checkin, {**ALL_AGREE, "pr_2": "strongly_disagree"})
    # pr_1 agree 4, pr_2 strongly disagree with a negative statement: 6 - 1 = 5, pr_3 agree 4.
    assert result.score_of("parental_resilience").score == Fraction(13, 3)


def test_answer_values_are_accepted_like_codes(checkin):
    by_value = {item_id: 4 for item_id in ALL_AGREE}
    assert score(checkin, by_value) == score(checkin, ALL_AGREE)


def test_low_factors_suggest_their_goals_in_both_languages(checkin):
    answers = {**ALL_AGREE, "sc_1": "disagree", "sc_2": "disagree", "sc_3": "agree"}
    result = score(checkin, answers)
    assert result.score_of("social_connections").score == 2
    assert result.low_subscales == ("social_connections",)
    [goal] = result.suggested_goals
    group = checkin.group("social_connections")
    assert goal.subscale_id == goal.protective_factor == "social_connections"
    assert (goal.text, goal.text_es) == (group.suggested_goal.text, group.suggested_goal.text_es)
    assert "peer" in goal.text or "parent-to-parent" in goal.text


def test_a_factor_exactly_at_the_threshold_is_not_low(checkin):
    answers = {**ALL_AGREE, "kp_1": "disagree", "kp_2": "agree"}  # (2 + 4) / 2 = 3
    result = score(checkin, answers)
    assert result.score_of("knowledge_of_parenting").score == 3
    assert result.score_of("knowledge_of_parenting").low is False
    assert result.suggested_goals == ()


def test_a_factor_with_too_few_answers_has_no_score_and_no_flag(checkin):
    result = score(checkin, {**ALL_AGREE, "se_1": None, "se_2": None, "kp_2": None})
    assert result.score_of("social_emotional_competence").score is None
    assert result.score_of("social_emotional_competence").low is None
    assert result.score_of("knowledge_of_parenting").answered == 1


def test_comparison_over_time(checkin):
    intake = score(checkin, {**ALL_AGREE, "cs_1": "disagree", "cs_2": "disagree", "se_2": None})
    review = score(checkin, {**ALL_AGREE, "pr_1": "neither", "se_1": None})
    comparison = compare_administrations(intake, review)
    concrete = comparison.change_of("concrete_support")
    # cs_3 is reverse scored: "agree" counts 2. Intake (2+2+2)/3, review (4+4+2)/3.
    assert (concrete.before, concrete.after, concrete.change) == (
        Fraction(2), Fraction(10, 3), Fraction(4, 3))
    assert concrete.direction is Direction.IMPROVED
    assert str(concrete.display) == "1.33"
    assert comparison.change_of("parental_resilience").direction is Direction.WORSENED
    assert comparison.change_of("social_connections").direction is Direction.UNCHANGED
    not_comparable = comparison.change_of("social_emotional_competence")
    assert not_comparable.direction is Direction.NOT_COMPARABLE
    assert not_comparable.change is None and not_comparable.display is None


def test_comparison_refuses_two_different_instruments(checkin):
    pfs2 = score_item_values(load_instrument("pfs-2"), {})
    with pytest.raises(ValueError, match="cannot compare"):
        compare_administrations(score(checkin, ALL_AGREE), pfs2)


def test_pfs2_lowest_leaves_out_the_caregiver_practitioner_relationship():
    values = {f"pfs2_{n:02d}": 4 for n in range(1, 20)} | {"pfs2_13": 1}
    result = score_item_values(load_instrument("pfs-2"), values)
    assert result.score_of("caregiver_practitioner_relationship").score == 3
    assert "caregiver_practitioner_relationship" not in result.lowest_subscales
    assert all(score.low is None for score in result.scores)  # no published cut-off


def test_none_of_the_above_with_a_problem_counts_the_problem(ahc):
    result = score(ahc, {**NO_NEEDS, "housing_problems": ["LA9-3", "LA31998-0"]})
    assert result.domain_results["living_situation"] == "positive"


def test_an_empty_checklist_is_unanswered(ahc):
    result = score(ahc, {**NO_NEEDS, "housing_problems": []})
    assert result.domain_results["living_situation"] == "incomplete"


def test_safety_needs_all_four_answers_even_past_the_threshold(ahc):
    answers = {**NO_NEEDS, "safety_hurt": "LA6482-9", "safety_insult": "LA6482-9",
               "safety_threaten": "LA6482-9", "safety_scream": None}
    result = score(ahc, answers)
    assert result.totals == {"safety_total": None}
    assert result.domain_results["safety"] == "incomplete"


def test_cshcn_accepts_the_nsch_codes():
    cshcn = load_instrument("cshcn-screener")
    by_code = {"q1a_medication": "2", "q2a_services": "2", "q3a_limitation": "1",
               "q3b_limitation_condition": "1", "q3c_limitation_12mo": "1",
               "q4a_therapy": "2", "q5a_ebd": "2"}
    result = score(cshcn, by_code)
    assert result.qualifies is True
    assert result.qualifying_domains == ("functional_limitation",)
    assert result.domain_results["prescription_medication"] == "not_met"


def test_social_needs_summary_for_stratification(ahc):
    answers = {**NO_NEEDS, "living_situation": "LA31994-9", "utilities": "LA32002-0",
               "transportation": None}
    summary = social_needs_summary(score(ahc, answers))
    assert summary.positive_domains == ("living_situation", "utilities")
    assert summary.positive_count == 2
    assert summary.incomplete_domains == ("transportation",)
    assert not summary.complete
    complete = social_needs_summary(score(ahc, NO_NEEDS))
    assert (complete.positive_count, complete.complete) == (0, True)


def test_transition_completion_window_closes_after_six_months():
    transferred = dict(age=19, policy_shared=True, transferred=True)
    assert transition_elements_due(
        TransitionStatus(**transferred, months_since_last_pediatric_visit=2)).due == ()
    assert transition_elements_due(
        TransitionStatus(**transferred, months_since_last_pediatric_visit=6)).due == (
        "transfer_completion",)
    assert transition_elements_due(
        TransitionStatus(**transferred, months_since_last_pediatric_visit=7)).due == ()
