"""Screenings and assessments through the pages, as a coordinator gives them: every worked
example in the instruments' data gives the result the example states, missing answers and
follow-ups are handled, and a result's suggestions reach the care plan."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from carecoord.audit.models import AuditEvent
from carecoord.careplans.assessment_results import (
    AHC_HRSN,
    CSHCN_SCREENER,
    PFS_2,
    PROTECTIVE_FACTORS_CHECKIN,
)
from carecoord.careplans.instruments.loader import DATA_DIR, load_instrument
from carecoord.careplans.models import Assessment, CarePlan, Goal, Need
from carecoord.careplans.versions import add_months

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FILES = {AHC_HRSN: "ahc-hrsn.yaml", CSHCN_SCREENER: "cshcn-screener.yaml",
         PROTECTIVE_FACTORS_CHECKIN: "carecoord-protective-factors-checkin.yaml"}


def examples_of(instrument_id, key="examples"):
    document = yaml.safe_load((DATA_DIR / FILES[instrument_id]).read_text(encoding="utf-8"))
    return {example["id"]: example for example in document[key]}


def all_examples():
    return [pytest.param(instrument_id, example, id=f"{instrument_id}:{example_id}")
            for instrument_id in FILES
            for example_id, example in examples_of(instrument_id).items()]


def form_data(network, instrument_id, answers, **extra):
    """What the administer page posts for these answers (codes; None is "not answered")."""
    instrument = load_instrument(instrument_id)
    data = {"context": "intake", "administered_on": TODAY.isoformat(), "language": "en",
            "respondent": network.child_nc.household.guardians.get().pk}
    for item_id, given in answers.items():
        if given is None:
            data[item_id] = "_not_answered"
        elif isinstance(given, list):
            data[item_id] = [instrument.item(item_id).option(g).code for g in given]
        else:
            data[item_id] = instrument.item(item_id).option(given).code
    data.update(extra)
    return data


def new_url(network, instrument_id):
    return reverse("assessment-new", args=[network.child_nc.pk, instrument_id])


def administer(client, network, instrument_id, answers, **extra):
    response = client.post(new_url(network, instrument_id),
                           form_data(network, instrument_id, answers, **extra))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Assessment.objects.latest("pk"), client.get(response.url)


def two_places(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.mark.parametrize("instrument_id, example", all_examples())
def test_each_worked_example_through_the_page(network, login, instrument_id, example):
    client = login(network["nurse.nc"])
    assessment, page = administer(client, network, instrument_id, example["answers"])
    assert page.status_code == 200
    result, expected = assessment.result, example["expected"]
    if instrument_id == PROTECTIVE_FACTORS_CHECKIN:
        for subscale_id, value in expected["subscale_scores"].items():
            shown = result["subscale_scores"][subscale_id]
            assert (None if shown is None else Decimal(shown)) == two_places(value)
        for subscale_id, value in expected["subscale_scores_exact"].items():
            stored = result["subscale_scores_exact"][subscale_id]
            assert (None if stored is None else Fraction(stored)) == (
                None if value is None else Fraction(value))
        for key in ("low_subscales", "suggested_goals", "lowest_subscales"):
            assert result[key] == expected[key], key
    else:
        assert {key: result[key] for key in expected} == expected
    assert assessment.instrument_id == instrument_id
    assert assessment.care_plan == CarePlan.objects.get(child=network.child_nc)


def test_a_missing_answer_is_refused_naming_the_question(network, login):
    client = login(network["nurse.nc"])
    answers = dict(examples_of(PROTECTIVE_FACTORS_CHECKIN)["intake"]["answers"])
    del answers["pr_2"]
    response = client.post(new_url(network, PROTECTIVE_FACTORS_CHECKIN),
                           form_data(network, PROTECTIVE_FACTORS_CHECKIN, answers))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not saved." in page
    assert "Question 2 (pr_2) has no answer" in page
    assert 'href="#item-pr_2"' in page  # the summary links to the question
    assert 'value="agree" checked' in page  # the other answers are kept
    assert not Assessment.objects.exists()


def test_an_unknown_answer_code_is_refused_by_the_engine(network, login):
    client = login(network["nurse.nc"])
    answers = examples_of(AHC_HRSN)["no-needs"]["answers"]
    data = form_data(network, AHC_HRSN, answers, transportation="maybe")
    response = client.post(new_url(network, AHC_HRSN), data)
    assert response.status_code == 400
    assert "Question 5 (transportation): &#x27;maybe&#x27; is not one of its answer codes" in (
        response.content.decode())


def test_follow_up_questions_follow_the_answer_they_depend_on(network, login):
    client = login(network["nurse.nc"])
    url = new_url(network, CSHCN_SCREENER)
    first = client.get(url).content.decode()
    # Before any answer every follow-up shows, with when to ask it.
    assert 'id="item-q1b_medication_condition" hidden' not in first
    assert "Asked only if the answer to question 1a is “Yes”." in first

    def partial(**answers):
        return client.get(url, {"partial": 1, **answers}, HTTP_HX_REQUEST="true"
                          ).content.decode()

    no = partial(q1a_medication="2")
    assert '<fieldset id="item-q1b_medication_condition" hidden disabled' in no
    assert '<fieldset id="item-q1c_medication_12mo" hidden disabled' in no
    yes = partial(q1a_medication="1")
    assert '<fieldset id="item-q1b_medication_condition" hidden' not in yes
    assert '<fieldset id="item-q1c_medication_12mo" hidden' not in yes  # 1b not answered yet
    assert "<html" not in yes  # just the questions


def test_a_follow_up_answered_when_not_asked_is_refused(network, login):
    client = login(network["nurse.nc"])
    answers = {**examples_of(CSHCN_SCREENER)["all-no"]["answers"],
               "q1b_medication_condition": "yes"}
    response = client.post(new_url(network, CSHCN_SCREENER),
                           form_data(network, CSHCN_SCREENER, answers))
    assert response.status_code == 400
    assert ("Question 1b (q1b_medication_condition): answered, but it is asked only if "
            "q1a_medication == yes") in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_follow_up_that_is_asked_must_be_answered_or_marked_not_answered(network, login):
    client = login(network["nurse.nc"])
    answers = dict(examples_of(CSHCN_SCREENER)["unanswered-follow-up"]["answers"])
    del answers["q1c_medication_12mo"]  # left blank rather than marked "not answered"
    response = client.post(new_url(network, CSHCN_SCREENER),
                           form_data(network, CSHCN_SCREENER, answers))
    assert response.status_code == 400
    assert "Question 1c (q1c_medication_12mo) has no answer" in response.content.decode()
    answers["q1c_medication_12mo"] = None  # the parent was unsure
    assessment, page = administer(client, network, CSHCN_SCREENER, answers)
    assert assessment.result["qualifies"] is None
    assert assessment.answers["q1c_medication_12mo"] is None
    assert "q2b_services_condition" not in assessment.answers  # not asked
    assert "Undetermined" in page.content.decode()


def test_the_screener_page_says_whether_the_child_meets_the_definition(network, login):
    client = login(network["nurse.nc"])
    answers = examples_of(CSHCN_SCREENER)["several-consequences"]["answers"]
    _, page = administer(client, network, CSHCN_SCREENER, answers)
    text = page.content.decode()
    assert "Meets the definition of a child with special health care needs" in text
    assert "Limitation in ability to do things most children of the same age can do" in text
    assert "Use or need of prescription medication</th><td>Not met" in text


def test_a_low_factor_suggests_a_goal_that_goes_into_the_plan(network, login):
    client = login(network["nurse.nc"])
    answers = examples_of(PROTECTIVE_FACTORS_CHECKIN)["intake"]["answers"]
    assessment, page = administer(client, network, PROTECTIVE_FACTORS_CHECKIN, answers)
    text = page.content.decode()
    assert "CareCoord&#x27;s own conversation guide — not the PFS-2 and not validated" in text
    assert '<tr id="score-social_connections" class="low">' in text
    assert '<tr id="score-parental_resilience">' in text  # 3.00 is not below 3
    assert "Low: below 3" in text and "1.33" in text
    assert 'id="goal-concrete_support"' in text and 'id="goal-parental_resilience"' not in text

    plan = CarePlan.objects.get(child=network.child_nc)
    version = plan.version
    url = reverse("assessment-add-goal", args=[network.child_nc.pk, assessment.pk,
                                               "social_connections"])
    response = client.post(url, {"plan_version": version})
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan)
    assert goal.statement.startswith("The family is linked with at least one source of support")
    assert goal.measure == "Social connections: factor score at or above 3 at the next review"
    assert goal.target_date == add_months(TODAY, 3) and goal.need is None
    plan.refresh_from_db()
    assert plan.version == version + 1 and plan.status == "draft"
    after = client.get(response.url).content.decode()
    assert "In the care plan" in after
    again = client.post(url, {"plan_version": plan.version})
    assert again.status_code == 400 and "already in the care plan" in again.content.decode()
    stale = client.post(reverse("assessment-add-goal", args=[
        network.child_nc.pk, assessment.pk, "concrete_support"]), {"plan_version": version})
    assert stale.status_code == 409 and "the care plan was changed" in stale.content.decode()
    not_low = client.post(reverse("assessment-add-goal", args=[
        network.child_nc.pk, assessment.pk, "parental_resilience"]),
        {"plan_version": plan.version})
    assert not_low.status_code == 400
    assert Goal.objects.count() == 1


def test_a_positive_social_needs_domain_becomes_a_need(network, login):
    client = login(network["nurse.nc"])
    answers = examples_of(AHC_HRSN)["four-domains-safety-below-threshold"]["answers"]
    assessment, page = administer(client, network, AHC_HRSN, answers)
    text = page.content.decode()
    assert "Positive: Living situation (housing instability and housing quality)" in text
    assert 'id="need-food"' in text and 'id="need-safety"' not in text  # safety negative
    plan = CarePlan.objects.get(child=network.child_nc)

    def add(domain_id, **fields):
        plan.refresh_from_db()
        data = {"plan_version": plan.version, **{f"need-{domain_id}-{k}": v
                                                  for k, v in fields.items()}}
        return client.post(reverse("assessment-add-need", args=[
            network.child_nc.pk, assessment.pk, domain_id]), data)

    assert add("food", need_domain="food", description="Food ran short this winter",
               family_priority="high").status_code == 302
    need = Need.objects.get(plan=plan)
    assert (need.domain.code, need.raised_by, need.reach, need.family_priority) == (
        "food", "screening", "within_reach", "high")
    housing = add("living_situation", need_domain="housing", description="Worried about rent",
                  family_priority="high", expectation="")
    assert housing.status_code == 400
    assert "write down the expectation discussed with the family" in housing.content.decode()
    assert add("living_situation", need_domain="housing", description="Worried about rent",
               family_priority="high",
               expectation="We help apply for RAP; we cannot supply housing.").status_code == 302
    assert add("utilities", need_domain="housing", description="x",
               family_priority="low").status_code == 400  # utilities map to financial
    assert add("utilities", need_domain="financial", description="Shut-off notice",
               family_priority="medium").status_code == 302
    assert add("food", need_domain="food", description="again",
               family_priority="high").status_code == 400  # an open food need exists
    assert sorted(Need.objects.values_list("domain__code", flat=True)) == [
        "financial", "food", "housing"]


def test_interpersonal_safety_offers_behavioral_health_or_legal_help(network, login):
    client = login(network["nurse.nc"])
    answers = examples_of(AHC_HRSN)["safety-exactly-11"]["answers"]
    assessment, page = administer(client, network, AHC_HRSN, answers)
    text = page.content.decode()
    assert '<option value="behavioral_health">Behavioral health</option>' in text
    assert '<option value="legal">Legal help and advocacy</option>' in text
    plan = CarePlan.objects.get(child=network.child_nc)
    response = client.post(reverse("assessment-add-need", args=[
        network.child_nc.pk, assessment.pk, "safety"]), {
        "plan_version": plan.version, "need-safety-need_domain": "legal",
        "need-safety-description": "Protective order", "need-safety-family_priority": "high"})
    assert response.status_code == 302
    assert Need.objects.get().domain.code == "legal"


def test_the_change_between_intake_and_review_is_shown(network, login):
    client = login(network["nurse.nc"])
    checkin = examples_of(PROTECTIVE_FACTORS_CHECKIN)
    administer(client, network, PROTECTIVE_FACTORS_CHECKIN, checkin["intake"]["answers"],
               administered_on=(TODAY - datetime.timedelta(days=180)).isoformat())
    new_page = client.get(new_url(network, PROTECTIVE_FACTORS_CHECKIN)).content.decode()
    assert '<option value="review" selected>' in new_page  # given before: now a review
    review, page = administer(client, network, PROTECTIVE_FACTORS_CHECKIN,
                              checkin["six-month-review"]["answers"], context="review")
    assert 'id="change-table"' in page.content.decode()  # on the result page too
    history = client.get(reverse("assessment-history", args=[
        network.child_nc.pk, PROTECTIVE_FACTORS_CHECKIN])).content.decode()
    expected = examples_of(PROTECTIVE_FACTORS_CHECKIN, "comparison_examples")[
        "intake-to-six-month-review"]["expected"]
    for factor, change in expected["change"].items():
        row = history.split(f'<tr id="change-{factor}" class="change-'
                            f'{expected["direction"][factor]}">')[1].split("</tr>")[0]
        shown = two_places(change)
        assert (f"+{shown}" if shown > 0 else str(shown)) in row, factor
        assert "<meter" in row
    assert "+2.00" in history and "-0.50" in history and "+1.67" in history
    assert history.count("<th scope=\"col\"><a href") == 2  # both administrations over time
    listing = client.get(reverse("assessment-list", args=[network.child_nc.pk])).content.decode()
    assert "No factor low" in listing and "Low: Social connections, Concrete support" in listing


def test_spanish_questions_are_marked_as_a_translation_awaiting_review(network, login):
    client = login(network["nurse.nc"])
    page = client.get(new_url(network, AHC_HRSN), {"lang": "es"}).content.decode()
    assert "¿Cuál es su situación de vivienda hoy?" in page
    assert "this Spanish text is a translation awaiting review" in page
    assert '<div id="questions" lang="es"' in page
    answers = examples_of(AHC_HRSN)["no-needs"]["answers"]
    assessment, result = administer(client, network, AHC_HRSN, answers, language="es")
    assert assessment.language == "es"
    assert "Spanish <small>(the Spanish text is a translation awaiting review)" in (
        result.content.decode())


def test_the_child_language_chooses_the_first_language_shown(network, login):
    client = login(network["nurse.nc"])  # the network's Sofia prefers Spanish
    page = client.get(new_url(network, PROTECTIVE_FACTORS_CHECKIN)).content.decode()
    assert '<input type="hidden" name="language" value="es">' in page
    assert "Guía de conversación propia de CareCoord" in page
    english = client.get(new_url(network, PROTECTIVE_FACTORS_CHECKIN), {"lang": "en"})
    assert "I find ways to keep our family going" in english.content.decode()


def test_pfs2_is_refused_until_the_licensed_items_are_loaded(network, login):
    client = login(network["nurse.nc"])
    listing = client.get(reverse("assessment-list", args=[network.child_nc.pk])).content.decode()
    assert "The PFS-2 cannot be administered yet" in listing
    assert reverse("assessment-new", args=[network.child_nc.pk, PFS_2]) not in listing
    page = client.get(new_url(network, PFS_2)).content.decode()
    assert "licensed from the FRIENDS National Center" in page and "<fieldset" not in page
    response = client.post(new_url(network, PFS_2), form_data(network, PFS_2, {}))
    assert response.status_code == 400 and not Assessment.objects.exists()


def test_a_correction_is_a_new_administration(network, login):
    client = login(network["nurse.nc"])
    examples = examples_of(AHC_HRSN)
    first, _ = administer(client, network, AHC_HRSN, examples["no-needs"]["answers"])
    page = client.get(new_url(network, AHC_HRSN), {"corrects": first.pk}).content.decode()
    assert "This corrects the administration of" in page
    assert 'value="LA31993-1" checked' in page  # the answers given, to correct
    second, result = administer(client, network, AHC_HRSN,
                                examples["safety-10-and-homeless"]["answers"],
                                corrects=first.pk)
    assert second.corrects == first
    assert "This corrects" in result.content.decode()
    first_page = client.get(reverse("assessment-detail", args=[network.child_nc.pk, first.pk]))
    assert "This administration was corrected" in first_page.content.decode()
    listing = client.get(reverse("assessment-list", args=[network.child_nc.pk])).content.decode()
    assert "corrected later" in listing
    again = client.post(new_url(network, AHC_HRSN), form_data(
        network, AHC_HRSN, examples["no-needs"]["answers"], corrects=first.pk))
    assert again.status_code == 400 and "already been corrected" in again.content.decode()


# ---------------------------------------------------------------- access and audit


def test_another_centers_coordinator_gets_404(network, login):
    client = login(network["nurse.ea"])
    child = network.child_nc
    for url in (reverse("assessment-list", args=[child.pk]),
                new_url(network, PROTECTIVE_FACTORS_CHECKIN),
                reverse("assessment-history", args=[child.pk, PROTECTIVE_FACTORS_CHECKIN])):
        assert client.get(url).status_code == 404, url
    answers = examples_of(PROTECTIVE_FACTORS_CHECKIN)["intake"]["answers"]
    assert client.post(new_url(network, PROTECTIVE_FACTORS_CHECKIN), form_data(
        network, PROTECTIVE_FACTORS_CHECKIN, answers)).status_code == 404
    assert not Assessment.objects.exists()


def test_a_provider_reads_results_but_cannot_administer_or_add_to_the_plan(network, login):
    nurse = login(network["nurse.nc"])
    answers = examples_of(PROTECTIVE_FACTORS_CHECKIN)["intake"]["answers"]
    assessment, _ = administer(nurse, network, PROTECTIVE_FACTORS_CHECKIN, answers)
    provider = login(network["provider.nc"])
    child = network.child_nc
    listing = provider.get(reverse("assessment-list", args=[child.pk]))
    assert listing.status_code == 200 and "Give the" not in listing.content.decode()
    detail = provider.get(reverse("assessment-detail", args=[child.pk, assessment.pk]))
    assert detail.status_code == 200
    assert "Add this goal" not in detail.content.decode()
    assert provider.get(new_url(network, PROTECTIVE_FACTORS_CHECKIN)).status_code == 404
    assert provider.post(new_url(network, PROTECTIVE_FACTORS_CHECKIN), form_data(
        network, PROTECTIVE_FACTORS_CHECKIN, answers)).status_code == 404
    plan = CarePlan.objects.get(child=child)
    assert provider.post(reverse("assessment-add-goal", args=[
        child.pk, assessment.pk, "social_connections"]),
        {"plan_version": plan.version}).status_code == 404
    assert Assessment.objects.count() == 1 and not Goal.objects.exists()
    other = login(network["provider.ea"])
    assert other.get(reverse("assessment-detail", args=[child.pk, assessment.pk])
                     ).status_code == 404


def test_every_page_of_a_childs_assessments_is_audited(network, login):
    client = login(network["nurse.nc"])
    child = network.child_nc
    answers = examples_of(PROTECTIVE_FACTORS_CHECKIN)["intake"]["answers"]
    assessment, _ = administer(client, network, PROTECTIVE_FACTORS_CHECKIN, answers)
    created = AuditEvent.objects.get(action="create", object_type="careplans.assessment")
    assert (created.child_id, created.center_id, created.object_id) == (
        child.pk, network.hub.pk, str(assessment.pk))
    viewed = AuditEvent.objects.filter(action="view", object_type="careplans.assessment",
                                       object_id=str(assessment.pk))
    assert viewed.count() == 1  # the result page after saving
    client.get(reverse("assessment-list", args=[child.pk]))
    listed = AuditEvent.objects.filter(action="list", object_type="careplans.assessment"
                                       ).latest("pk")
    assert (listed.child_id, listed.center_id, listed.detail["ids"]) == (
        child.pk, network.hub.pk, [assessment.pk])
    client.get(reverse("assessment-history", args=[child.pk, PROTECTIVE_FACTORS_CHECKIN]))
    history = AuditEvent.objects.filter(action="list", object_type="careplans.assessment"
                                        ).latest("pk")
    assert history.detail == {"ids": [assessment.pk], "page": "history"}
    before = AuditEvent.objects.filter(action="view", child_id=child.pk).count()
    client.get(new_url(network, AHC_HRSN))
    assert AuditEvent.objects.filter(action="view", child_id=child.pk).count() == before + 1
