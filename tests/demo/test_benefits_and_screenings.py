"""Coverage applications, connections to diagnosis-specific organizations and screenings in the
demo: each row is one the app's services could have written (the step order by dates, the
program's renewal rule, the catalog's suggestion, the engine's score of the stored answers),
and the mix is plausible."""

import datetime
from collections import Counter, defaultdict

import pytest

from carecoord.careplans.assessment_results import (
    AHC_HRSN,
    PROTECTIVE_FACTORS_CHECKIN,
    instrument_for,
    result_data,
)
from carecoord.careplans.assessments import (
    NEED_DOMAINS_FOR,
    _stored_answers,
    checked_answers,
    respondent_name,
)
from carecoord.careplans.instruments.scoring import score
from carecoord.careplans.models import Assessment, CarePlan, CarePlanVersion, Need
from carecoord.connections import catalog
from carecoord.connections import steps as connection_steps
from carecoord.connections.models import OrganizationConnection
from carecoord.coverage import programs
from carecoord.coverage.models import APPEAL_WINDOW_DAYS, CoverageApplication, DocumentRequest
from carecoord.demo import datafiles
from carecoord.demo.generator import generate_network
from carecoord.families.models import CoordinatorAssignment, Diagnosis, Enrollment, Guardian

from .conftest import AS_OF

pytestmark = pytest.mark.django_db

MEDICAID = ("husky_a", "husky_b", "husky_c", "husky_d")
LOW_INCOME = (*MEDICAID, "uninsured")
DISABLING = ("complex", "tech")


def shares(counter: Counter, total: int) -> dict[str, float]:
    return {key: count / total for key, count in counter.items()}


def years_old(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def coordinator_on(assignments, day: datetime.date) -> int:
    """The coordinator of an enrollment on `day`, as the generator's Episode.coordinator_on."""
    ordered = sorted(assignments, key=lambda a: a.start_date)
    covering = [a for a in ordered if a.start_date <= day] or ordered[:1]
    return covering[-1].coordinator_id


def enrollments_by_child() -> dict[int, list[Enrollment]]:
    found = defaultdict(list)
    for enrollment in Enrollment.objects.order_by("start_date"):
        found[enrollment.child_id].append(enrollment)
    return found


def enrollment_on(enrollments: list[Enrollment], day: datetime.date) -> Enrollment:
    return next(e for e in enrollments
                if e.start_date <= day <= (e.discharge_date or AS_OF))


def assignments_by_enrollment() -> dict[int, list[CoordinatorAssignment]]:
    found = defaultdict(list)
    for assignment in CoordinatorAssignment.objects.all():
        found[assignment.enrollment_id].append(assignment)
    return found


def applications():
    return CoverageApplication.objects.select_related("child", "need__domain", "need__plan")


# ---------------------------------------------------------------- coverage


def test_applications_answer_financial_needs_and_pass_full_clean(demo_network_1500):
    rows = list(applications().prefetch_related("document_requests"))
    assert len(rows) > 150
    for application in rows:
        application.full_clean()
        assert application.need.domain.code == "financial"
        assert application.need.plan.child_id == application.child_id
        assert application.eligibility_checked_on >= application.need.opened_on
        assert application.program_info is not None
        for request in application.document_requests.all():
            request.full_clean()
    # One application per program and child: start_application refuses a second open one.
    pairs = Counter((a.child_id, a.program) for a in rows)
    assert max(pairs.values()) == 1
    # The coordinator of the child on the day of the eligibility check started it.
    enrollments, assignments = enrollments_by_child(), assignments_by_enrollment()
    for application in rows:
        enrollment = enrollment_on(enrollments[application.child_id],
                                   application.eligibility_checked_on)
        assert application.created_by_id == coordinator_on(
            assignments[enrollment.pk], application.eligibility_checked_on)


def test_application_steps_follow_the_order_by_dates(demo_network_1500):
    requests = defaultdict(list)
    for request in DocumentRequest.objects.all():
        requests[request.application_id].append(request)
    Step = CoverageApplication.Step
    for a in applications():
        dated = [day for _, day in a.dated_steps()]
        assert dated == sorted(dated) and all(day <= AS_OF for day in dated)
        asked = requests[a.pk]
        if a.eligibility_finding == CoverageApplication.Finding.NOT_ELIGIBLE:
            assert a.submitted_on is None  # record_submission refuses after this finding
        if a.helped_by == CoverageApplication.Helper.OTHER:
            assert a.helper_name
        if a.step == Step.ELIGIBILITY_CHECKED:
            assert not a.submitted_on
        if a.step in (Step.SUBMITTED, Step.DOCUMENTS_REQUESTED):
            assert a.submitted_on and not a.decision
            assert bool(asked) == (a.step == Step.DOCUMENTS_REQUESTED)
        if a.step == Step.DECIDED:
            assert a.decision and not a.appeal_filed_on
        if a.step == Step.APPEALED:
            assert a.appeal_filed_on
        for request in asked:  # between the submission and the decision
            assert request.requested_on >= a.submitted_on
            if a.decision_on:
                assert request.requested_on <= a.decision_on
                assert request.sent_on is None or request.sent_on <= a.decision_on
        if a.appeal_filed_on:
            assert a.decision == CoverageApplication.Decision.DENIED
            assert a.appeal_filed_on <= a.decision_on + datetime.timedelta(
                days=APPEAL_WINDOW_DAYS)
            assert a.hearing_on is None or a.hearing_on >= a.appeal_filed_on
        if a.appeal_outcome:
            assert a.appeal_decided_on
        if a.closed_reason == CoverageApplication.ClosedReason.DENIED:
            assert a.decision == CoverageApplication.Decision.DENIED and not a.is_approved
        if a.closed_on:
            later = [r.sent_on for r in asked if r.sent_on] + [a.last_renewed_on]
            assert all(a.closed_on >= day for day in later if day)
        # Every step recorded moved the version on, as the services do.
        recorded = (len(dated) - 1 + len(asked) + sum(1 for r in asked if r.sent_on)
                    + bool(a.last_renewed_on))
        assert a.version >= 1 + recorded
    steps = Counter(CoverageApplication.objects.values_list("step", flat=True))
    assert set(steps) == set(Step.values)
    waiting = DocumentRequest.objects.filter(sent_on=None,
                                             application__step=Step.DOCUMENTS_REQUESTED)
    assert waiting.exists()


def test_approvals_carry_the_programs_renewal_date(demo_network_1500):
    approved = [a for a in applications() if a.is_approved]
    assert len(approved) > 100
    for a in approved:
        info = a.program_info
        assert a.benefit_starts_on
        if a.last_renewed_on:
            assert a.last_renewed_on >= a.benefit_starts_on
            expected = (programs.next_renewal(info, benefit_starts_on=a.last_renewed_on,
                                              date_of_birth=a.child.date_of_birth)
                        if info.renewal_months else None)
        else:
            expected = programs.next_renewal(info, benefit_starts_on=a.benefit_starts_on,
                                             date_of_birth=a.child.date_of_birth)
        assert a.renewal_due_on == expected, a.pk
        if info.kind == "bill_help":
            assert a.renewal_due_on is None
    renewing = [a for a in approved if a.step != CoverageApplication.Step.CLOSED
                and a.program.startswith("husky")]
    assert renewing and all(a.renewal_due_on for a in renewing)
    assert any(a.last_renewed_on for a in approved)
    not_approved = CoverageApplication.objects.exclude(decision="approved").exclude(
        appeal_outcome="reversed")
    assert not not_approved.exclude(renewal_due_on=None, last_renewed_on=None).exists()
    denied = CoverageApplication.objects.filter(decision="denied")
    assert denied.count() >= 20
    assert denied.exclude(appeal_filed_on=None).count() >= 5
    assert denied.filter(appeal_outcome="reversed").exists()


def test_programs_fit_the_childs_coverage_age_and_conditions(demo_network_1500):
    groups = defaultdict(set)
    for child_id, code in Diagnosis.objects.values_list("child_id", "code"):
        groups[child_id].add(code)
    group_of = {row.code: row.group for row in datafiles.diagnoses()}
    programs_by_insurance = defaultdict(Counter)
    for a in applications():
        insurance = a.child.insurance_type
        programs_by_insurance[insurance][a.program] += 1
        age = years_old(a.child.date_of_birth, a.eligibility_checked_on)
        disabling = any(group_of.get(code) in DISABLING for code in groups[a.child_id])
        if a.program == "husky-renewal":
            assert insurance in MEDICAID
        if a.program in ("husky-a", "husky-b", "husky-d", "access-health-ct"):
            assert insurance not in MEDICAID
        if a.program in ("husky-a", "husky-b"):
            assert age < 19
        if a.program in ("ssi-child", "katie-beckett"):
            assert disabling and age < 18
        if a.program == "katie-beckett":
            assert insurance not in MEDICAID
        if a.program == "health-plan-appeal":
            assert insurance == "commercial"
    assert programs_by_insurance["husky_a"].most_common(1)[0][0] == "husky-renewal"
    assert programs_by_insurance["commercial"]["katie-beckett"] > 0
    assert sum(programs_by_insurance[i]["ssi-child"] for i in MEDICAID) > 0


# ---------------------------------------------------------------- organizations


def test_connections_suggest_the_catalogs_organization_for_the_diagnosis(demo_network_1500):
    rows = list(OrganizationConnection.objects.select_related("need__domain", "need__plan",
                                                              "diagnosis"))
    assert len(rows) > 80
    diagnoses = defaultdict(list)
    for diagnosis in Diagnosis.objects.all():
        diagnoses[diagnosis.child_id].append((diagnosis.pk, diagnosis.code,
                                              diagnosis.description))
    for connection in rows:
        connection.full_clean()
        assert connection.need.domain.code == "diagnosis_organization"
        assert connection.need.plan.child_id == connection.child_id
        assert connection.suggested_on >= connection.need.opened_on
        entry = catalog.get(connection.organization)
        assert (connection.organization_name, connection.website, connection.level) == (
            entry.name, entry.website, entry.level)
        offered = {s.organization.code: s for s in catalog.suggest(
            diagnoses[connection.child_id], set())}
        assert connection.organization in offered
        if connection.diagnosis_id:
            assert connection.diagnosis.child_id == connection.child_id
            assert any(catalog.matches(connection.diagnosis.code, pattern)
                       for pattern in entry.icd10)
        else:
            assert entry.for_every_child
    assert max(Counter((c.child_id, c.organization) for c in rows).values()) == 1
    assert sum(1 for c in rows if c.diagnosis_id) > len(rows) / 2


def test_connection_steps_by_dates(demo_network_1500):
    order = ("suggested_on", "information_shared_on", "family_contacted_on", "outcome_on")
    statuses = Counter()
    for c in OrganizationConnection.objects.all():
        statuses[c.status] += 1
        dates = [getattr(c, name) for name in order if getattr(c, name)]
        assert dates == sorted(dates) and dates[-1] <= AS_OF
        reached = {
            connection_steps.SUGGESTED: 0, connection_steps.SHARED: 1,
            connection_steps.CONTACTED: 2, connection_steps.CONNECTED: 3}.get(c.status)
        if reached is not None:  # every step up to the status has its date, none beyond
            assert [bool(getattr(c, name)) for name in order] == [
                i <= reached for i in range(4)]
        assert (c.outcome_on is not None) == (c.status in connection_steps.FINAL)
        assert bool(c.connected_how) == (c.status == connection_steps.CONNECTED)
        # A connection moves one step at a time: its version counts them.
        assert c.version == 1 + sum(1 for name in order[1:] if getattr(c, name))
    assert statuses["connected"] and statuses["declined"] and statuses["information_shared"]


# ---------------------------------------------------------------- screenings


def screenings(instrument_id: str):
    return list(Assessment.objects.filter(instrument_id=instrument_id).select_related(
        "child", "respondent__preferred_language", "care_plan__enrollment"))


def test_every_result_is_what_the_engine_scores_from_the_stored_answers(demo_network_1500):
    rows = list(Assessment.objects.all())
    assert {row.instrument_id for row in rows} == {AHC_HRSN, PROTECTIVE_FACTORS_CHECKIN}
    for row in rows:
        instrument = instrument_for(row.instrument_id)
        assert row.result == result_data(instrument, score(instrument, row.answers))
        checked = checked_answers(instrument, row.answers)
        assert row.answers == _stored_answers(instrument, checked, row.answers)
        assert row.instrument_title == instrument.title
        assert row.instrument_status == instrument.status
    for row in rows[:300]:
        row.full_clean()


def test_screenings_are_given_at_intake_and_reviews_by_the_coordinator(demo_network_1500):
    enrollments, assignments = enrollments_by_child(), assignments_by_enrollment()
    agreed = defaultdict(set)
    for child_id, number, day in CarePlanVersion.objects.values_list(
            "plan__child_id", "number", "agreed_on"):
        if number > 1:
            agreed[child_id].add(day)
    primaries = {g.household_id: g for g in Guardian.objects.filter(is_primary_contact=True)
                 .select_related("preferred_language")}
    rows = screenings(AHC_HRSN) + screenings(PROTECTIVE_FACTORS_CHECKIN)
    for row in rows:
        enrollment = enrollment_on(enrollments[row.child_id], row.administered_on)
        assert row.center_id == enrollment.center_id
        assert row.administered_by_id == coordinator_on(assignments[enrollment.pk],
                                                        row.administered_on)
        primary = primaries[row.child.household_id]
        assert row.respondent_id == primary.pk
        assert row.respondent_name == respondent_name(row.child, primary)
        spanish = (primary.preferred_language or row.child.preferred_language).code == "es"
        assert row.language == ("es" if spanish else "en")
        if row.context == Assessment.Context.REVIEW:
            assert row.instrument_id == PROTECTIVE_FACTORS_CHECKIN
            assert row.administered_on in agreed[row.child_id]
        else:
            assert row.context == Assessment.Context.INTAKE
            assert (row.administered_on - enrollment.start_date).days <= 14
        if row.care_plan_id:  # the plan the child had that day (assessments.current_plan)
            plan = row.care_plan
            assert plan.child_id == row.child_id
            assert plan.enrollment.start_date <= row.administered_on
    contexts = Counter((row.instrument_id, row.context) for row in rows)
    assert contexts[(PROTECTIVE_FACTORS_CHECKIN, "review")] > 10
    assert contexts[(AHC_HRSN, "review")] == 0


def test_most_enrolled_families_are_screened_and_positive_rates_are_plausible(
        demo_network_1500):
    rows = screenings(AHC_HRSN)
    enrollments = enrollments_by_child()
    screened = {enrollment_on(enrollments[row.child_id], row.administered_on).pk
                for row in rows}
    assert len(screened) == len(rows)  # one intake screen per enrollment
    assert 0.72 <= len(rows) / Enrollment.objects.count() <= 0.95
    by_coverage = {"low": [], "other": []}
    for row in rows:
        by_coverage["low" if row.child.insurance_type in LOW_INCOME else "other"].append(row)
    rate = {group: sum(1 for r in found if r.result["positive_domains"]) / len(found)
            for group, found in by_coverage.items()}
    overall = sum(1 for r in rows if r.result["positive_domains"]) / len(rows)
    assert 0.3 <= overall <= 0.65
    assert rate["low"] > rate["other"] + 0.08
    domains = shares(Counter(d for r in rows for d in r.result["positive_domains"]), len(rows))
    ranked = sorted(domains, key=domains.get, reverse=True)
    assert set(ranked[:2]) == {"living_situation", "food"}
    assert ranked[-1] == "safety" and domains["safety"] < 0.06
    assert 0.15 <= domains["food"] <= 0.35
    incomplete = sum(1 for r in rows if r.result["incomplete_domains"]) / len(rows)
    assert 0 < incomplete < 0.1
    assert any(r.language == "es" for r in rows)


def test_needs_raised_by_the_intake_screen_are_positive_there(demo_network_1500):
    screen_of = {}
    for row in screenings(AHC_HRSN):
        screen_of[(row.child_id, row.administered_on)] = row
    screened = defaultdict(list)
    for (child_id, day), row in screen_of.items():
        screened[child_id].append((day, row))
    domains_of = {need: screen for screen, needs in NEED_DOMAINS_FOR.items()
                  for need in needs if need in ("housing", "food", "transportation")}
    checked = 0
    for need in Need.objects.filter(raised_by="screening", domain__code__in=domains_of
                                    ).select_related("plan__enrollment", "domain"):
        enrollment = need.plan.enrollment
        end = enrollment.discharge_date or AS_OF
        found = [row for day, row in screened[enrollment.child_id]
                 if enrollment.start_date <= day <= min(end, need.opened_on)]
        if found:
            checked += 1
            assert domains_of[need.domain.code] in found[0].result["positive_domains"]
    assert checked > 50


def test_protective_factors_are_low_less_often_at_reviews(demo_network_1500):
    rows = screenings(PROTECTIVE_FACTORS_CHECKIN)
    low = {context: [bool(r.result["low_subscales"]) for r in rows if r.context == context]
           for context in ("intake", "review")}
    assert len(low["intake"]) > 100 and len(low["review"]) > 50
    intake_low = sum(low["intake"]) / len(low["intake"])
    assert 0.2 <= intake_low <= 0.6
    assert sum(low["review"]) / len(low["review"]) < intake_low
    factors = Counter(f for r in rows if r.context == "intake" for f in r.result["low_subscales"])
    assert factors.most_common(1)[0][0] == "concrete_support"
    assert CarePlan.objects.filter(assessments__isnull=False).exists()


# ---------------------------------------------------------------- determinism


def content():
    return [
        list(CoverageApplication.objects.order_by("pk").values_list(
            "child__first_name", "program", "step", "eligibility_checked_on", "submitted_on",
            "decision", "decision_on", "renewal_due_on", "closed_reason", "version")),
        list(DocumentRequest.objects.order_by("pk").values_list(
            "requested_on", "documents", "due_on", "sent_on")),
        list(OrganizationConnection.objects.order_by("pk").values_list(
            "child__first_name", "organization", "status", "suggested_on", "outcome_on")),
        list(Assessment.objects.order_by("pk").values_list(
            "child__first_name", "instrument_id", "context", "administered_on", "language",
            "answers")),
    ]


def test_same_seed_gives_the_same_applications_connections_and_screenings():
    # Replacing inside this test's transaction leaves the module's network as it was.
    generate_network(children=150, seed=11, as_of=AS_OF, replace=True)
    first = content()
    assert all(first)
    generate_network(children=150, seed=11, as_of=AS_OF, replace=True)
    assert content() == first
