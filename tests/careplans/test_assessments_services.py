"""Administering instruments (careplans/assessments.py): the rules of an administration, the
stored result read back as the engine's own, immutability, and the summaries other apps read."""

import datetime
import json

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carecoord.careplans import assessments
from carecoord.careplans.assessment_results import (
    AHC_HRSN,
    CSHCN_SCREENER,
    PFS_2,
    PROTECTIVE_FACTORS_CHECKIN,
    instrument_for,
    result_data,
    subscale_result,
)
from carecoord.careplans.instruments.comparison import compare_administrations
from carecoord.careplans.instruments.loader import DATA_DIR, load_instrument
from carecoord.careplans.instruments.scoring import score
from carecoord.careplans.instruments.subscales import score_item_values
from carecoord.careplans.models import Assessment
from carecoord.families.models import Guardian
from tests import factories
from tests.careplans.test_instruments_licensed import licensed_file

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def examples(name, key="examples"):
    document = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
    return {example["id"]: example for example in document[key]}


CHECKIN = examples("carecoord-protective-factors-checkin.yaml")
AHC = examples("ahc-hrsn.yaml")
CSHCN = examples("cshcn-screener.yaml")


def give(network, instrument_id, answers, *, user="nurse.nc", on=TODAY, **extra):
    child = network.child_nc
    arguments = {"respondent": child.household.guardians.get(), "context": "intake",
                 "administered_on": on, **extra}
    return assessments.administer(user=network[user], child=child, instrument_id=instrument_id,
                                  answers=answers, **arguments)


@pytest.mark.parametrize("example_id", CHECKIN)
def test_a_stored_subscale_result_reads_back_as_the_engines(network, example_id):
    instrument = load_instrument(PROTECTIVE_FACTORS_CHECKIN)
    expected = score(instrument, CHECKIN[example_id]["answers"])
    assessment = give(network, PROTECTIVE_FACTORS_CHECKIN, CHECKIN[example_id]["answers"])
    assessment = Assessment.objects.get(pk=assessment.pk)  # through the database's JSON
    assert subscale_result(PROTECTIVE_FACTORS_CHECKIN, assessment.result) == expected


def test_pfs2_examples_read_back_too():
    pfs2 = load_instrument(PFS_2)
    for example in examples("pfs-2.yaml").values():
        for key in ("item_values", "pre_item_values", "post_item_values"):
            if key in example:
                result = score_item_values(pfs2, example[key])
                data = json.loads(json.dumps(result_data(pfs2, result)))
                assert subscale_result(PFS_2, data) == result


def test_answers_are_stored_as_codes_with_skipped_questions_left_out(network):
    assessment = give(network, CSHCN_SCREENER, CSHCN["daily-controller-medicine"]["answers"])
    assert assessment.answers == {"q1a_medication": "1", "q1b_medication_condition": "1",
                                  "q1c_medication_12mo": "1", "q2a_services": "2",
                                  "q3a_limitation": "2", "q4a_therapy": "2", "q5a_ebd": "2"}
    assert assessment.result["qualifies"] is True
    assert assessment.respondent_name == "Maria Rivera"
    assert assessment.instrument_status == "complete"
    assert assessment.instrument_version.startswith("Item wording as fielded in the National")


def test_a_missing_answer_names_the_question(network):
    answers = dict(AHC["no-needs"]["answers"])
    del answers["utilities"]
    with pytest.raises(ValidationError) as refused:
        give(network, AHC_HRSN, answers)
    assert refused.value.message_dict == {"utilities": [
        "Question 6 (utilities) has no answer: choose one, or “Not answered” if the family "
        "declined or skipped it."]}


def test_a_wrong_answer_type_names_the_question(network):
    answers = {**AHC["no-needs"]["answers"], "housing_problems": "LA9-3"}
    with pytest.raises(ValidationError) as refused:
        give(network, AHC_HRSN, answers)
    assert refused.value.message_dict == {"housing_problems": [
        "Question 2 (housing_problems): takes a list of answer codes."]}


def test_who_answered_when_and_in_which_language(network):
    answers = CHECKIN["intake"]["answers"]
    child = network.child_nc
    other = factories.child(network.hub, first="Ana", last="Zapata")
    stranger = Guardian.objects.get(household=other.household)
    with pytest.raises(ValidationError) as refused:
        assessments.administer(user=network["nurse.nc"], child=child,
                               instrument_id=PROTECTIVE_FACTORS_CHECKIN, answers=answers,
                               context="sometime", administered_on=TODAY + datetime.timedelta(1),
                               respondent=stranger, language="fr")
    assert set(refused.value.message_dict) == {"context", "administered_on", "respondent",
                                               "language"}
    with pytest.raises(ValidationError, match="Say who answered"):
        assessments.administer(user=network["nurse.nc"], child=child,
                               instrument_id=PROTECTIVE_FACTORS_CHECKIN, answers=answers,
                               context="intake", administered_on=TODAY)
    youth = assessments.administer(user=network["nurse.nc"], child=child,
                                   instrument_id=PROTECTIVE_FACTORS_CHECKIN, answers=answers,
                                   context="other", administered_on=TODAY, youth=True,
                                   language="es")
    assert (youth.respondent, youth.respondent_name, youth.language) == (
        None, "Sofia Rivera (youth)", "es")


def test_only_those_who_may_edit_the_child_administer(network):
    answers = CHECKIN["intake"]["answers"]
    for username in ("provider.nc", "admin.nc", "ta.hub", "nurse.ea"):
        with pytest.raises(PermissionDenied):
            give(network, PROTECTIVE_FACTORS_CHECKIN, answers, user=username)
    assert give(network, PROTECTIVE_FACTORS_CHECKIN, answers, user="supervisor.nc")


def test_an_administration_is_never_changed_or_deleted(network):
    assessment = give(network, PROTECTIVE_FACTORS_CHECKIN, CHECKIN["intake"]["answers"])
    assessment.context = "review"
    with pytest.raises(ValidationError, match="never changed"):
        assessment.save()
    with pytest.raises(ValidationError, match="kept"):
        assessment.delete()
    with pytest.raises(ValidationError, match="never changed"):
        Assessment.objects.filter(pk=assessment.pk).update(context="review")
    assert Assessment.objects.get().context == "intake"


def test_pfs2_is_refused_until_licensed_items_are_loaded(network):
    answers = {f"pfs2_{n:02d}": "4" for n in range(1, 20)}
    with pytest.raises(ValidationError, match="licensed from the FRIENDS National Center"):
        give(network, PFS_2, answers)
    assert not Assessment.objects.exists()


def test_pfs2_with_the_centers_licensed_items(network, settings, tmp_path):
    settings.CAREPLANS_PFS2_LICENSED_ITEMS = str(licensed_file(tmp_path))
    assert not instrument_for(PFS_2).awaiting_licensed_items
    answers = {f"pfs2_{n:02d}": "4" for n in range(1, 20)}
    answers["pfs2_02"] = "1"  # reverse scored in the fixture: counts as 5
    assessment = give(network, PFS_2, answers)
    assert assessment.instrument_status == "licensed-items-loaded"
    assert assessment.result["subscale_scores_exact"]["family_functioning_resilience"] == "13/3"
    assert assessment.result["subscale_scores"]["family_functioning_resilience"] == "4.33"
    assert assessment.result["lowest_subscales"] == [
        "nurturing_attachment", "social_supports", "concrete_supports"]
    with pytest.raises(ValidationError, match="no Spanish text"):
        give(network, PFS_2, answers, language="es")


def test_the_latest_two_administrations_are_compared_by_the_engine(network):
    give(network, PROTECTIVE_FACTORS_CHECKIN, CHECKIN["intake"]["answers"],
         on=TODAY - datetime.timedelta(days=200))
    assert assessments.latest_comparison(network.child_nc, PROTECTIVE_FACTORS_CHECKIN) is None
    give(network, PROTECTIVE_FACTORS_CHECKIN, CHECKIN["six-month-review"]["answers"],
         context="review")
    earlier, later, comparison = assessments.latest_comparison(network.child_nc,
                                                               PROTECTIVE_FACTORS_CHECKIN)
    instrument = load_instrument(PROTECTIVE_FACTORS_CHECKIN)
    assert comparison == compare_administrations(
        score(instrument, CHECKIN["intake"]["answers"]),
        score(instrument, CHECKIN["six-month-review"]["answers"]))
    expected = examples("carecoord-protective-factors-checkin.yaml", "comparison_examples")[
        "intake-to-six-month-review"]["expected"]["direction"]
    assert {c.subscale_id: str(c.direction) for c in comparison.changes} == expected
    assert (earlier.context, later.context) == ("intake", "review")


def test_a_corrected_administration_is_left_out(network):
    first = give(network, PROTECTIVE_FACTORS_CHECKIN, CHECKIN["intake"]["answers"],
                 on=TODAY - datetime.timedelta(days=200))
    second = give(network, PROTECTIVE_FACTORS_CHECKIN, CHECKIN["six-month-review"]["answers"])
    fixed = give(network, PROTECTIVE_FACTORS_CHECKIN, CHECKIN["agrees-with-everything"]["answers"],
                 corrects=second)
    rows = assessments.administrations(network.child_nc, PROTECTIVE_FACTORS_CHECKIN)
    assert assessments.in_effect(rows) == [fixed, first]
    earlier, later, _ = assessments.latest_comparison(network.child_nc,
                                                      PROTECTIVE_FACTORS_CHECKIN)
    assert (earlier, later) == (first, fixed)
    with pytest.raises(ValidationError, match="same instrument"):
        give(network, AHC_HRSN, AHC["no-needs"]["answers"], corrects=first)


def test_latest_social_needs_for_the_stratification(network):
    child = network.child_nc
    assert assessments.latest_social_needs(child) is None
    give(network, AHC_HRSN, AHC["four-domains-safety-below-threshold"]["answers"],
         on=TODAY - datetime.timedelta(days=90))
    latest = give(network, AHC_HRSN, AHC["safety-item-skipped"]["answers"])
    summary = assessments.latest_social_needs(child)
    assert summary.positive_domains == ("living_situation", "food")
    assert summary.incomplete_domains == ("transportation", "safety")
    assert summary.positive_count == 2 and not summary.complete
    give(network, AHC_HRSN, AHC["no-needs"]["answers"], corrects=latest)
    summary = assessments.latest_social_needs(child)
    assert summary.positive_count == 0 and summary.complete
    assert assessments.latest_social_needs(network.child_ea) is None
