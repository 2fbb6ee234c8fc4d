"""Acuity tier and discipline: hand-checked children through the shipped matrix, an edited
matrix changing the tier, and malformed matrices refused with the key named."""

import copy
import csv
from pathlib import Path

import pytest
import yaml

from carecoord.stratification.social import SocialFacts, SocialLevel, social_complexity
from carecoord.stratification.tiers import (
    DISCIPLINES,
    MEDICAL_ROWS,
    TIER_MATRIX_FILE,
    MedicalFacts,
    TierMatrixError,
    acuity_tier,
    load_tier_matrix,
    parse_tier_matrix,
)

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"

LOW = social_complexity(SocialFacts(hrsn_screened=True, protective_factors_assessed=True))
HOUSING = social_complexity(SocialFacts(hrsn_screened=True,
                                        hrsn_positive_domains={"living_situation"}))
HIGH = social_complexity(SocialFacts(hrsn_screened=True, hrsn_positive_domains={"safety"}))

NEURO_CARDIAC = MedicalFacts("complex_chronic", {"neurological", "cardiac"}, {"neuromusc", "cvd"})
ASTHMA = MedicalFacts("non_complex_chronic", {"pulmonary_respiratory"})
ANXIETY = MedicalFacts("non_complex_chronic", {"mental_health"}, behavioral_health=True)


def shipped_document():
    return yaml.safe_load(TIER_MATRIX_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def matrix():
    return load_tier_matrix()


def test_the_levels_used_here_are_what_their_names_say():
    assert (LOW.level, HOUSING.level, HIGH.level) == (
        SocialLevel.LOW, SocialLevel.MODERATE, SocialLevel.HIGH)


def test_complex_chronic_with_housing_instability_reads_as_the_issue_asks(matrix):
    result = acuity_tier(NEURO_CARDIAC, HOUSING)
    assert result.tier == matrix.tier("complex_chronic", SocialLevel.MODERATE)
    assert result.medical_complexity == "complex_chronic"
    assert result.summary == ("complex chronic: cardiac + neurological; "
                              "CCC: neurologic and neuromuscular + cardiovascular; "
                              "housing instability or housing quality positive")
    assert result.discipline == "nurse"
    assert result.caseload_weight == matrix.caseload_weight(result.tier.number)


def test_more_social_complexity_never_lowers_the_tier_in_the_shipped_matrix(matrix):
    for row in MEDICAL_ROWS:
        tiers = [matrix.cells[(row, level.value)] for level in SocialLevel]
        assert tiers == sorted(tiers), row
    for level in SocialLevel:
        tiers = [matrix.cells[(row, level.value)] for row in MEDICAL_ROWS]
        assert tiers == sorted(tiers), level


def test_technology_dependence_counts_as_complex_chronic(matrix):
    facts = MedicalFacts("non_complex_chronic", {"gastrointestinal"}, {"gi"},
                         technology_dependence=True)
    result = acuity_tier(facts, LOW)
    assert result.medical_complexity == "complex_chronic"
    assert result.tier == matrix.tier("complex_chronic", SocialLevel.LOW)
    assert "technology dependent: counted as complex chronic" in result.medical_reasons
    assert result.discipline == "nurse"


def test_a_ccc_seen_without_a_pmca_chronic_class_counts_as_chronic():
    result = acuity_tier(MedicalFacts("non_chronic", ccc_categories={"malignancy"}), LOW)
    assert result.medical_complexity == "non_complex_chronic"
    assert result.medical_reasons == (
        "no chronic condition", "CCC: malignancy",
        "complex chronic condition (CCC): counted as non-complex chronic")


def test_a_promotion_never_lowers_the_pmca_class():
    result = acuity_tier(MedicalFacts("complex_chronic", {"neurological", "mental_health"},
                                      behavioral_health=True), LOW)
    assert result.medical_complexity == "complex_chronic"
    assert "behavioral health condition" in result.medical_reasons


def test_a_behavioral_health_led_child_gets_a_social_worker():
    result = acuity_tier(ANXIETY, HOUSING)
    assert result.discipline == "social_worker"
    assert result.discipline_reason.startswith("behavioral health leads")


def test_behavioral_health_from_f_codes_alone_is_chronic_and_social_work():
    result = acuity_tier(MedicalFacts("non_chronic", behavioral_health=True), LOW)
    assert result.medical_complexity == "non_complex_chronic"
    assert result.discipline == "social_worker"


def test_behavioral_health_with_asthma_is_still_led_by_social_work():
    facts = MedicalFacts("non_complex_chronic", {"pulmonary_respiratory"},
                         behavioral_health=True)
    assert acuity_tier(facts, LOW).discipline == "social_worker"


def test_medical_complexity_leads_over_behavioral_health_when_complex_beyond_it():
    facts = MedicalFacts("complex_chronic", {"neurological", "mental_health"},
                         {"neuromusc"}, behavioral_health=True)
    assert acuity_tier(facts, HIGH).discipline == "nurse"


@pytest.mark.parametrize("medical, social, discipline", [
    (MedicalFacts(), HIGH, "community"),
    (MedicalFacts(), LOW, "community"),
    (ASTHMA, LOW, "nurse"),
    (ASTHMA, HOUSING, "nurse"),
    (ASTHMA, HIGH, "community"),
])
def test_social_needs_lead_for_children_without_complex_medical_needs(medical, social,
                                                                      discipline):
    assert acuity_tier(medical, social).discipline == discipline


def test_social_reasons_include_the_minimum_level_and_say_when_there_are_none():
    assert acuity_tier(MedicalFacts(), HIGH).social_reasons == (
        "interpersonal safety positive",
        "interpersonal safety positive: at least high social complexity")
    nothing = acuity_tier(MedicalFacts(), social_complexity(SocialFacts()))
    assert nothing.social_reasons == ("low social complexity: no social needs recorded",)
    assert nothing.missing == ("no AHC social needs screening on record",
                               "no protective-factor assessment on record")


def test_the_edited_matrix_changes_the_tier(matrix):
    document = shipped_document()
    before = acuity_tier(ASTHMA, LOW).tier.number
    document["matrix"]["non_complex_chronic"]["low"] = max(matrix.tiers)
    edited = parse_tier_matrix(document)
    after = acuity_tier(ASTHMA, LOW, edited)
    assert after.tier.number == max(matrix.tiers) != before


def test_an_edited_discipline_rule_changes_the_discipline():
    document = shipped_document()
    document["discipline_rules"].insert(0, {
        "discipline": "social_worker", "when": {"social": ["high"]},
        "reason": "safety concerns go to a clinical social worker"})
    edited = parse_tier_matrix(document)
    result = acuity_tier(MedicalFacts(), HIGH, edited)
    assert (result.discipline, result.discipline_reason) == (
        "social_worker", "safety concerns go to a clinical social worker")


@pytest.mark.parametrize("edit, key", [
    (lambda d: d["matrix"]["complex_chronic"].pop("moderate"),
     "matrix.complex_chronic.moderate: missing"),
    (lambda d: d["matrix"].pop("non_chronic"), "matrix.non_chronic: missing"),
    (lambda d: d["matrix"]["non_chronic"].update(low=9),
     "matrix.non_chronic.low: 9 is not a tier defined under tiers"),
    (lambda d: d["matrix"]["non_chronic"].update(severe=4),
     "matrix.non_chronic.severe: unknown social complexity"),
    (lambda d: d["matrix"].update(complex=dict(low=1, moderate=1, high=1)),
     "matrix.complex: unknown medical complexity"),
    (lambda d: d["tiers"][2].update(caseload_weight=0), "tiers.2.caseload_weight"),
    (lambda d: d["tiers"][3].pop("label"), "tiers.3.label: missing"),
    (lambda d: d["promotions"].update(autism="complex_chronic"), "promotions.autism"),
    (lambda d: d["promotions"].update(transplant="very_complex"),
     "promotions.transplant: 'very_complex'"),
    (lambda d: d["discipline_rules"][0].update(discipline="physician"),
     "discipline_rules[0].discipline: 'physician'"),
    (lambda d: d["discipline_rules"][1]["when"].update(age=[0, 3]),
     "discipline_rules[1].when.age: unknown condition"),
    (lambda d: d["discipline_rules"][1]["when"].update(medical=["complex"]),
     "discipline_rules[1].when.medical: 'complex'"),
    (lambda d: d["discipline_rules"].pop(), "the last rule must have no conditions"),
    (lambda d: d["labels"]["medical"].pop("non_chronic"), "labels.medical.non_chronic"),
])
def test_a_malformed_matrix_is_refused_naming_the_key(edit, key):
    document = copy.deepcopy(shipped_document())
    edit(document)
    with pytest.raises(TierMatrixError) as refused:
        parse_tier_matrix(document, source="edited.yaml")
    assert str(refused.value).startswith("edited.yaml: ")
    assert any(key in problem for problem in refused.value.problems), refused.value.problems


def test_a_matrix_file_that_is_not_yaml_names_the_file(tmp_path):
    path = tmp_path / "tiers.yaml"
    path.write_text("matrix: {low: [", encoding="utf-8")
    with pytest.raises(TierMatrixError, match="tiers.yaml: cannot be read"):
        load_tier_matrix(path)


def test_unknown_body_systems_and_categories_are_refused_by_name():
    with pytest.raises(ValueError, match="unknown PMCA body system 'heart'"):
        acuity_tier(MedicalFacts("non_complex_chronic", {"heart"}), LOW)
    with pytest.raises(ValueError, match="unknown CCC category 'tech_dep'"):
        acuity_tier(MedicalFacts("complex_chronic", ccc_categories={"tech_dep"}), LOW)
    with pytest.raises(ValueError, match="pmca_class 'complex'"):
        MedicalFacts("complex")


def test_the_disciplines_are_the_staff_disciplines():
    from carecoord.accounts.models import Discipline  # the Django side; the rest stays pure

    assert set(DISCIPLINES) == set(Discipline.values)


def test_every_pmca_body_system_and_ccc_category_of_the_reference_has_words(matrix):
    with open(REFERENCE / "pmca" / "pmca_icd10cm.csv", encoding="utf-8") as handle:
        systems = {row["body_system"] for row in csv.DictReader(handle)}
    with open(REFERENCE / "ccc" / "ccc_v2_icd10cm.csv", encoding="utf-8") as handle:
        categories = {row["category"] for row in csv.DictReader(handle)}
    assert systems <= set(matrix.body_system_labels)
    assert categories - {"tech_dep", "transplant"} == set(matrix.ccc_labels)
