"""Social complexity: the shipped scoring on hand-checked families, the rule mechanics on small
scorings written here, and a malformed scoring file refused with its keys named."""

import copy
from pathlib import Path

import pytest
import yaml

from carecoord.stratification.social import (
    SOCIAL_SCORING_FILE,
    SocialFacts,
    SocialLevel,
    SocialScoringError,
    load_social_scoring,
    parse_social_scoring,
    social_complexity,
)

INSTRUMENTS = Path(__file__).resolve().parents[2] / "carecoord/careplans/instruments/data"


def shipped_document():
    return yaml.safe_load(SOCIAL_SCORING_FILE.read_text(encoding="utf-8"))


def screened(*positive, incomplete=()):
    return {"hrsn_screened": True, "hrsn_positive_domains": positive,
            "hrsn_incomplete_domains": incomplete}


@pytest.fixture(scope="module")
def scoring():
    return load_social_scoring()


def test_a_family_with_nothing_recorded_is_low_and_says_what_is_missing():
    result = social_complexity(SocialFacts())
    assert result.level is SocialLevel.LOW
    assert result.points == 0 and result.factors == ()
    assert result.missing == ("no AHC social needs screening on record",
                              "no protective-factor assessment on record")


def test_a_negative_screen_is_low_with_nothing_missing_from_the_screen():
    result = social_complexity(SocialFacts(**screened(), protective_factors_assessed=True))
    assert result.level is SocialLevel.LOW and result.missing == ()


def test_housing_and_food_add_their_points_and_say_so(scoring):
    result = social_complexity(SocialFacts(**screened("living_situation", "food")))
    housing, food = scoring.hrsn_domains["living_situation"], scoring.hrsn_domains["food"]
    assert result.points == housing.points + food.points
    assert result.level is scoring.level_for(housing.points + food.points)
    assert result.reasons == ("housing instability or housing quality positive",
                              "food insecurity positive")
    assert result.points_by_factor == {"hrsn_domains.living_situation": housing.points,
                                       "hrsn_domains.food": food.points}


def test_thresholds_as_documented_housing_and_food_moderate_adding_transport_high():
    # The README's worked example: 3 + 2 = 5 is moderate; + 1 for transportation is 6, high.
    assert social_complexity(
        SocialFacts(**screened("living_situation", "food"))).level is SocialLevel.MODERATE
    assert social_complexity(SocialFacts(
        **screened("living_situation", "food", "transportation"))).level is SocialLevel.HIGH


def test_interpersonal_safety_alone_makes_a_family_high(scoring):
    result = social_complexity(SocialFacts(**screened("safety")))
    assert scoring.level_for(result.points) is not SocialLevel.HIGH  # not by points alone
    assert result.level is SocialLevel.HIGH
    assert result.raised_by == ("interpersonal safety positive: at least high social "
                                "complexity",)


def test_language_needs_count_once_interpreter_over_limited_english(scoring):
    both = social_complexity(SocialFacts(interpreter_needed=True, limited_english=True))
    assert both.reasons == ("needs an interpreter",)
    assert both.points == scoring.flags["interpreter_needed"].points
    only_language = social_complexity(SocialFacts(limited_english=True))
    assert only_language.reasons == ("caregiver prefers a language other than English",)


def test_a_coverage_lapse_is_not_added_to_being_uninsured():
    result = social_complexity(SocialFacts(uninsured=True, coverage_lapse=True))
    assert result.reasons == ("uninsured",)


def test_several_children_with_special_needs_counts_from_two():
    assert social_complexity(SocialFacts(children_with_special_needs=1)).factors == ()
    result = social_complexity(SocialFacts(children_with_special_needs=3))
    assert result.reasons == ("3 children with special health care needs in the household",)


def test_low_protective_factors_are_named_and_concrete_support_weighs_more(scoring):
    result = social_complexity(SocialFacts(
        protective_factors_assessed=True,
        low_protective_factors={"social_connections", "concrete_support"}))
    assert result.reasons == ("low protective factor: social connections",
                              "low protective factor: concrete support in times of need")
    assert (scoring.low_protective_factors["concrete_support"].points
            > scoring.low_protective_factors["social_connections"].points)


def test_an_incomplete_screen_is_listed_as_missing_not_as_negative():
    result = social_complexity(SocialFacts(**screened("food", incomplete=("safety",))))
    assert result.missing[0] == "AHC screening incomplete: safety"
    assert "interpersonal safety positive" not in result.reasons


def test_household_single_caregiver_and_foster_care_are_reasons():
    result = social_complexity(SocialFacts(single_caregiver=True, foster_care=True))
    assert set(result.reasons) == {"single caregiver", "in foster care"}


@pytest.mark.parametrize("facts, words", [
    ({"hrsn_screened": True, "hrsn_positive_domains": {"housing"}}, "unknown AHC domain 'housing'"),
    ({"protective_factors_assessed": True, "low_protective_factors": {"resilience"}},
     "unknown protective factor 'resilience'"),
])
def test_unknown_ids_are_refused_by_name(facts, words):
    with pytest.raises(ValueError, match=words):
        social_complexity(SocialFacts(**facts))


@pytest.mark.parametrize("facts, words", [
    ({"hrsn_positive_domains": {"food"}}, "hrsn_screened is False"),
    ({**screened("food", incomplete=("food",))}, "both positive and incomplete: food"),
    ({"low_protective_factors": {"concrete_support"}}, "protective_factors_assessed is False"),
    ({"children_with_special_needs": 0}, "at least 1"),
])
def test_inconsistent_facts_are_refused(facts, words):
    with pytest.raises(ValueError, match=words):
        SocialFacts(**facts)


def test_the_scoring_uses_the_instruments_own_ids():
    ahc = yaml.safe_load((INSTRUMENTS / "ahc-hrsn.yaml").read_text(encoding="utf-8"))
    framework = yaml.safe_load(
        (INSTRUMENTS / "strengthening-families.yaml").read_text(encoding="utf-8"))
    checkin = yaml.safe_load(
        (INSTRUMENTS / "carecoord-protective-factors-checkin.yaml").read_text(encoding="utf-8"))
    scoring = load_social_scoring()
    assert list(scoring.hrsn_domains) == [domain["id"] for domain in ahc["domains"]]
    assert list(scoring.low_protective_factors) == [f["id"] for f in framework["factors"]]
    assert list(scoring.low_protective_factors) == [s["id"] for s in checkin["subscales"]]


def test_an_edited_scoring_changes_the_level():
    document = shipped_document()
    facts = SocialFacts(single_caregiver=True, limited_english=True)
    assert social_complexity(facts).level is SocialLevel.LOW
    document["flags"]["single_caregiver"]["points"] = 2
    edited = parse_social_scoring(document)
    assert social_complexity(facts, edited).level is SocialLevel.MODERATE
    assert social_complexity(facts, edited).points == 2 + document["flags"][
        "limited_english"]["points"]


@pytest.mark.parametrize("edit, key", [
    (lambda d: d["levels"].update(moderate=7), "levels: moderate (7) must be below high (6)"),
    (lambda d: d["flags"].pop("foster_care"), "flags.foster_care: missing"),
    (lambda d: d["flags"].update(homeless={"points": 1, "reason": "x"}),
     "flags.homeless: not a fact SocialFacts knows"),
    (lambda d: d["flags"]["coverage_lapse"].update(not_with=["insured"]),
     "flags.coverage_lapse.not_with: 'insured' is not one of the flags"),
    (lambda d: d["hrsn_domains"]["food"].update(points=-1), "hrsn_domains.food.points"),
    (lambda d: d["hrsn_domains"]["safety"].update(minimum_level="severe"),
     "hrsn_domains.safety.minimum_level: 'severe'"),
    (lambda d: d["counts"]["children_with_special_needs"].update(reason="{n} children"),
     "counts.children_with_special_needs.reason: only {count}"),
    (lambda d: d["low_protective_factors"]["social_connections"].pop("reason"),
     "low_protective_factors.social_connections.reason"),
    (lambda d: d.update(extras={}), "extras: unknown section"),
])
def test_a_malformed_scoring_is_refused_naming_the_key(edit, key):
    document = copy.deepcopy(shipped_document())
    edit(document)
    with pytest.raises(SocialScoringError) as refused:
        parse_social_scoring(document, source="edited.yaml")
    assert str(refused.value).startswith("edited.yaml: ")
    assert any(key in problem for problem in refused.value.problems), refused.value.problems


def test_an_unreadable_scoring_file_names_the_file(tmp_path):
    path = tmp_path / "social.yaml"
    path.write_text("levels: [unclosed", encoding="utf-8")
    with pytest.raises(SocialScoringError, match="social.yaml: cannot be read"):
        load_social_scoring(path)
