"""Care plans: who has one, in which language, what is in it, and the versions agreed with the
family, checked against the models' rules and careplans.services.snapshot()."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.db.models import Count

from carecoord.accounts.models import Role
from carecoord.careplans import services
from carecoord.careplans.models import (
    Action,
    CarePlan,
    CarePlanVersion,
    FamilyPriority,
    Goal,
    Need,
    NeedDomain,
    Strength,
)
from carecoord.careplans.versions import add_months
from carecoord.demo import datafiles
from carecoord.families.models import CoordinatorAssignment, Enrollment

pytestmark = pytest.mark.django_db

BASICS = ("food", "housing", "transportation", "financial", "child_care")


def plans():
    return CarePlan.objects.select_related("enrollment", "child", "language", "current_version")


def test_most_open_enrollments_have_a_plan_in_the_familys_language(demo_network):
    open_enrollments = Enrollment.objects.filter(discharge_date__isnull=True)
    with_plan = open_enrollments.filter(care_plan__isnull=False).count()
    assert 0.82 <= with_plan / open_enrollments.count() <= 0.97
    assert CarePlan.objects.filter(enrollment__discharge_date__isnull=False).exists()
    assigned = defaultdict(set)
    for enrollment_id, coordinator_id in CoordinatorAssignment.objects.values_list(
            "enrollment_id", "coordinator_id"):
        assigned[enrollment_id].add(coordinator_id)
    for plan in plans().prefetch_related("child__household__guardians"):
        primary = next(g for g in plan.child.household.guardians.all() if g.is_primary_contact)
        assert plan.language_id == (primary.preferred_language_id
                                    or plan.child.preferred_language_id)
        assert plan.child_id == plan.enrollment.child_id
        assert plan.center_id == plan.enrollment.center_id
        assert plan.created_by_id in assigned[plan.enrollment_id]
        assert plan.version >= 1


def test_status_mix_and_current_versions(demo_network):
    statuses = Counter(CarePlan.objects.values_list("status", flat=True))
    total = sum(statuses.values())
    assert statuses["agreed"] / total >= 0.55
    assert statuses["draft"] / total >= 0.08 and statuses["in_review"] >= 3
    newest = dict(CarePlanVersion.objects.values_list("plan_id").annotate(n=Count("pk")))
    for plan in plans():
        if plan.status == CarePlan.Status.AGREED:
            assert plan.current_version is not None
        if plan.current_version is None:
            assert plan.pk not in newest and plan.review_due_on is None
        else:
            assert plan.current_version.plan_id == plan.pk
            assert plan.current_version.number == newest[plan.pk]
    # Drafts of both kinds: never agreed (new families) and agreed, then edited.
    drafts = CarePlan.objects.filter(status=CarePlan.Status.DRAFT)
    assert drafts.filter(current_version__isnull=True).exists()
    assert drafts.filter(current_version__isnull=False).exists()


def test_a_sample_of_every_plan_model_passes_full_clean(demo_network):
    for model in (CarePlan, FamilyPriority, Strength, Need, Goal, Action):
        for row in model.objects.order_by("pk")[:150]:
            row.full_clean()
    for version in CarePlanVersion.objects.order_by("pk")[:150]:
        version.full_clean()
    factors = set(Strength.ProtectiveFactor.values)
    assert set(Strength.objects.values_list("protective_factor", flat=True)) <= factors
    assert set(datafiles.plan_strengths()) == factors


def test_an_untouched_plan_snapshot_equals_its_current_version(demo_network):
    """A plan agreed and not edited since reads back exactly as its current version; a plan
    edited since (the draft of the next version) does not."""
    agreed = list(plans().filter(status=CarePlan.Status.AGREED).order_by("pk"))
    assert len(agreed) >= 100
    for plan in agreed:
        assert services.snapshot(plan) == plan.current_version.snapshot, plan.pk
    edited = list(plans().filter(status=CarePlan.Status.DRAFT, current_version__isnull=False)
                  .order_by("pk")[:30])
    assert edited
    for plan in edited:
        assert services.snapshot(plan) != plan.current_version.snapshot, plan.pk


def test_versions_are_numbered_and_reviews_follow_agreement(demo_network):
    as_of = demo_network.as_of
    by_plan = defaultdict(list)
    for version in CarePlanVersion.objects.select_related("agreed_by", "recorded_by",
                                                          "plan__enrollment", "plan__child"):
        by_plan[version.plan_id].append(version)
    assert by_plan
    assigned = defaultdict(list)
    for a in CoordinatorAssignment.objects.all():
        assigned[a.enrollment_id].append(a)
    for versions in by_plan.values():
        versions.sort(key=lambda v: v.number)
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        assert len(versions) <= 3
        days = [v.agreed_on for v in versions]
        assert days == sorted(set(days))
        plan = versions[0].plan
        end = plan.enrollment.discharge_date or as_of
        assert plan.enrollment.start_date <= days[0] and days[-1] <= end
        for version in versions:
            assert version.review_due_on == add_months(version.agreed_on,
                                                       services.review_months())
            assert version.recorded_by.role == Role.COORDINATOR
            assert any(a.coordinator_id == version.recorded_by_id and a.start_date
                       <= version.agreed_on for a in assigned[plan.enrollment_id])
            if version.agreed_by is None:
                assert version.agreed_by_name == f"{plan.child.full_name} (youth)"
                assert plan.child.age_on(version.agreed_on) >= 18
            else:
                assert version.agreed_by.household_id == plan.child.household_id
                assert version.agreed_by_name == str(version.agreed_by)
        if not plan.review_reason:
            assert plan.review_due_on == versions[-1].review_due_on
        # Items are added, never removed: each version holds the ids of the one before.
        for before, after in zip(versions, versions[1:]):
            for section in ("priorities", "strengths", "needs", "goals", "actions"):
                ids = {item["id"] for item in before.snapshot[section]}
                assert ids <= {item["id"] for item in after.snapshot[section]}
    assert {v.agreed_how for vs in by_plan.values() for v in vs} == set(
        CarePlanVersion.AgreedHow.values)
    open_plans = CarePlan.objects.filter(enrollment__discharge_date__isnull=True,
                                         review_due_on__isnull=False)
    overdue = open_plans.filter(review_due_on__lt=as_of).count()
    soon = open_plans.filter(review_due_on__gte=as_of,
                             review_due_on__lte=as_of + datetime.timedelta(days=31)).count()
    assert 0.08 <= overdue / open_plans.count() <= 0.45
    assert soon >= 3


def test_outside_control_needs_always_carry_an_expectation(demo_network):
    assert not Need.objects.filter(reach=NeedDomain.Reach.OUTSIDE, expectation="").exists()
    for code in ("housing", "child_care"):
        needs = Need.objects.filter(domain__code=code)
        if needs.count() >= 5:
            outside = needs.filter(reach=NeedDomain.Reach.OUTSIDE).count()
            assert outside / needs.count() >= 0.7, code
    assert Need.objects.filter(reach=NeedDomain.Reach.WITHIN).exclude(expectation="").exists()


def test_family_and_provider_priorities_differ_in_a_realistic_share(demo_network):
    """The center's known tension: the referring provider ranks early intervention or therapy
    high while the family ranks food or housing first."""
    provider_needs = Need.objects.filter(raised_by__in=("pcp", "referrer"))
    assert not provider_needs.filter(provider_priority="").exists()
    assert not Need.objects.exclude(raised_by__in=("pcp", "referrer")).exclude(
        provider_priority="").exists()
    tense = set(Need.objects.filter(provider_priority="high").exclude(
        family_priority="high").values_list("plan_id", flat=True)) & set(
        Need.objects.filter(domain__code__in=("food", "housing"), family_priority="high")
        .values_list("plan_id", flat=True))
    share = len(tense) / CarePlan.objects.count()
    assert 0.06 <= share <= 0.35, share
    asked = Need.objects.filter(plan_id__in=tense, provider_priority="high").exclude(
        family_priority="high")
    assert asked.filter(domain__code="early_intervention").exists()
    assert any(n.priorities_differ for n in asked)
    # The family's first priority is then their basic need, not the provider's ask.
    basic_texts = {text for (theme, _), pairs in datafiles.plan_priorities().items()
                   if theme in ("food", "housing") for text, _ in pairs}
    firsts = list(FamilyPriority.objects.filter(plan_id__in=tense, rank=1)
                  .select_related("plan__child"))
    basic_first = sum(1 for p in firsts if p.text in {
        text.format(child=p.plan.child.first_name) for text in basic_texts})
    assert basic_first >= 0.8 * len(firsts)


def test_needs_fit_the_child(demo_network):
    groups = {row.code: row.group for row in datafiles.diagnoses()}
    per_plan = Counter(Need.objects.values_list("plan_id", flat=True))
    assert set(per_plan.values()) <= set(range(1, 6)) and max(per_plan.values()) >= 4
    assert len(per_plan) == CarePlan.objects.count()
    domains = defaultdict(set)
    needs = Need.objects.select_related("domain", "plan__child", "plan__enrollment")
    for need in needs:
        child = need.plan.child
        domains[need.plan_id].add(need.domain.code)
        if need.domain.code == "early_intervention":
            assert child.age_on(need.plan.enrollment.start_date) <= 3
        if need.domain.code == "transition":
            assert child.age_on(need.opened_on) >= 14
        if need.domain.code == "education":
            assert child.age_on(need.opened_on) >= 3
        assert need.opened_on >= need.plan.enrollment.start_date
        if need.closed_on:
            assert need.opened_on <= need.closed_on <= demo_network.as_of and need.outcome
    fits = defaultdict(Counter)
    for plan in CarePlan.objects.prefetch_related("child__diagnoses"):
        child_groups = {groups[d.code] for d in plan.child.diagnoses.all()}
        held = domains[plan.pk]
        if child_groups == {"social"}:
            fits["social"][bool(held & set(BASICS))] += 1
        if "behavioral" in child_groups:
            fits["behavioral"][bool(held & {"behavioral_health", "education"})] += 1
        if child_groups & {"complex", "tech"}:
            fits["complex"]["medical" in held] += 1
    for kind, share in (("social", 0.85), ("behavioral", 0.7), ("complex", 0.5)):
        assert fits[kind][True] / sum(fits[kind].values()) >= share, kind
    statuses = set(Need.objects.values_list("status", flat=True))
    assert {"open", "in_progress", "met", "unmet"} <= statuses


def test_priorities_are_in_the_familys_words_with_a_translation(demo_network):
    priorities = FamilyPriority.objects.select_related("language", "voiced_by__preferred_language",
                                                       "plan")
    per_plan = Counter(p.plan_id for p in priorities)
    assert set(per_plan.values()) <= {1, 2, 3} and len(per_plan) == CarePlan.objects.count()
    written = {language for _, language in datafiles.plan_priorities()}
    assert {"en", "es", "pt", "pl", "ht"} <= written
    for priority in priorities:
        assert (priority.translation == "") == (priority.language.code == "en")
        assert "{" not in priority.text and "{" not in priority.translation
        spoken = priority.voiced_by.preferred_language.code
        assert priority.language.code == (spoken if spoken in written else "en")
        assert priority.voiced_by.household_id == priority.plan.child.household_id
    assert len({p.language.code for p in priorities}) >= 2
    per_strengths = Counter(Strength.objects.values_list("plan_id", flat=True))
    assert set(per_strengths.values()) <= {1, 2, 3}


def test_goals_and_actions_are_measurable_dated_and_owned(demo_network):
    as_of = demo_network.as_of
    goals_per_need = Counter(Goal.objects.values_list("need_id", flat=True))
    assert set(goals_per_need.values()) <= {1, 2} and None not in goals_per_need
    actions_per_goal = Counter(Action.objects.values_list("goal_id", flat=True))
    assert set(actions_per_goal.values()) <= {1, 2, 3}
    assert len(actions_per_goal) == Goal.objects.count()
    finished = ("met", "partly_met", "not_met", "discontinued")
    assert not Goal.objects.filter(status__in=finished, outcome="").exists()
    assert not Goal.objects.exclude(status__in=finished).exclude(outcome="").exists()
    assert not Goal.objects.filter(measure="").exists()
    assert not Action.objects.exclude(status="done").filter(completed_on__isnull=False).exists()
    assert not Action.objects.filter(status="done", completed_on__gt=as_of).exists()
    assert set(Action.objects.values_list("owner", flat=True)) == set(Action.Owner.values)
    assert set(Goal.objects.values_list("status", flat=True)) >= {"not_started", "in_progress",
                                                                  "met"}
    overdue = Action.objects.filter(status__in=("to_do", "in_progress"), due_on__lt=as_of)
    assert overdue.exists()
    for action in Action.objects.select_related("goal").order_by("pk")[:300]:
        assert action.plan_id == action.goal.plan_id
        assert action.due_on > action.goal.need.opened_on
