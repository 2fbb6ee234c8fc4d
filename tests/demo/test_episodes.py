"""Referrals, their history, enrollments, coordinator assignments and consents."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.db.models import Count, F, Q

from carecoord.accounts import policy
from carecoord.accounts.models import Discipline, Role, User
from carecoord.demo import datafiles
from carecoord.families import referral_states as states
from carecoord.families.models import (
    Child,
    Consent,
    CoordinatorAssignment,
    Enrollment,
    Referral,
    ReferralStatusChange,
)

pytestmark = pytest.mark.django_db

PATHS = {  # the status history each final status implies
    states.RECEIVED: [states.RECEIVED],
    states.SCREENING: [states.RECEIVED, states.SCREENING],
    states.ACCEPTED: [states.RECEIVED, states.SCREENING, states.ACCEPTED],
    states.DECLINED: [states.RECEIVED, states.SCREENING, states.DECLINED],
    states.ENROLLED: [states.RECEIVED, states.SCREENING, states.ACCEPTED, states.ENROLLED],
}


def test_every_child_has_a_referral_and_the_status_mix_is_realistic(demo_network):
    assert not Child.objects.filter(referrals__isnull=True).exists()
    children = Child.objects.count()
    open_enrolled = Enrollment.objects.filter(discharge_date__isnull=True).count()
    assert 0.65 <= open_enrolled / children <= 0.85
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert set(statuses) == set(PATHS)
    queue = Referral.objects.filter(status__in=states.OPEN)
    assert queue.count() >= 10
    weeks_ago = demo_network.as_of - datetime.timedelta(days=45)
    assert not queue.filter(received_on__lt=weeks_ago).exists()
    assert Enrollment.objects.filter(discharge_date__isnull=False).count() >= 0.04 * children


def test_referral_sources_and_referrers(demo_network):
    sources = Counter(Referral.objects.values_list("source_type", flat=True))
    assert sources.most_common(1)[0][0] == Referral.SourceType.PCP
    assert {"pcp", "specialist", "hospital", "school", "family", "state_program"} <= set(sources)
    clinical = Referral.objects.filter(source_type__in=("pcp", "specialist"))
    assert not clinical.filter(referring_clinician__isnull=True).exists()
    assert not clinical.filter(source_type="pcp", referring_clinician__is_pcp=False).exists()
    assert not clinical.filter(source_type="specialist", referring_clinician__is_pcp=True).exists()
    assert not Referral.objects.filter(~Q(source_type__in=("pcp", "specialist")),
                                       referring_clinician__isnull=False).exists()
    urgencies = set(Referral.objects.values_list("urgency", flat=True))
    assert urgencies == {"routine", "priority", "urgent"}


def test_referral_dates_and_decisions_respect_the_rules(demo_network):
    as_of = demo_network.as_of
    for referral in Referral.objects.all():
        referral.full_clean()
        assert referral.received_on <= as_of
        assert referral.received_on >= referral.child.date_of_birth
        if referral.status == states.RECEIVED:
            assert referral.first_contact_on is None and referral.decided_on is None
        else:
            assert referral.received_on <= referral.first_contact_on <= as_of
        if referral.status in (states.ACCEPTED, states.DECLINED, states.ENROLLED):
            assert referral.first_contact_on <= referral.decided_on <= as_of
        assert bool(referral.decline_reason) == (referral.status == states.DECLINED)


def test_status_history_follows_the_state_machine(demo_network):
    history = defaultdict(list)
    for change in ReferralStatusChange.objects.order_by("changed_at", "pk"):
        history[change.referral_id].append(change)
    for referral in Referral.objects.all():
        changes = history[referral.pk]
        assert [c.to_status for c in changes] == PATHS[referral.status]
        assert [c.from_status for c in changes] == [""] + PATHS[referral.status][:-1]
        for change in changes[1:]:
            states.check_transition(change.from_status, change.to_status)
        assert changes[0].changed_at.date() == referral.received_on
        assert all(c.changed_by_id for c in changes)
        decisions = [c for c in changes if c.to_status in (states.ACCEPTED, states.DECLINED)]
        assert all(c.changed_by.role == Role.SUPERVISOR for c in decisions)


def test_enrollments_hold_the_model_constraints(demo_network):
    per_child = Counter(Enrollment.objects.filter(discharge_date__isnull=True)
                        .values_list("child_id", flat=True))
    assert max(per_child.values()) == 1
    for enrollment in Enrollment.objects.select_related("referral", "child"):
        enrollment.full_clean()
        assert enrollment.referral.status == states.ENROLLED
        assert enrollment.referral.center_id == enrollment.center_id
        assert enrollment.start_date >= enrollment.referral.decided_on
        assert bool(enrollment.discharge_reason) == (enrollment.discharge_date is not None)
        if enrollment.discharge_reason == "transferred":
            assert enrollment.transferred_to_id == enrollment.child.center_id
            assert enrollment.center_id != enrollment.child.center_id
        elif enrollment.discharge_date is None:
            assert enrollment.center_id == enrollment.child.center_id
    enrolled_referrals = Referral.objects.filter(status=states.ENROLLED)
    assert enrolled_referrals.count() == Enrollment.objects.count()
    assert Child.objects.annotate(n=Count("enrollments")).filter(n__gt=1).exists()


def test_assignments_one_current_per_open_enrollment_at_the_right_center(demo_network):
    current = Counter(CoordinatorAssignment.objects.filter(end_date__isnull=True)
                      .values_list("enrollment_id", flat=True))
    open_ids = set(Enrollment.objects.filter(discharge_date__isnull=True)
                   .values_list("pk", flat=True))
    assert set(current) == open_ids and set(current.values()) == {1}
    for assignment in CoordinatorAssignment.objects.select_related("coordinator", "enrollment"):
        assignment.full_clean()
        assert assignment.coordinator.role == Role.COORDINATOR
        assert assignment.coordinator.center_id == assignment.enrollment.center_id
        if assignment.enrollment.discharge_date:
            assert assignment.end_date <= assignment.enrollment.discharge_date
    reassigned = Enrollment.objects.annotate(n=Count("assignments")).filter(n=2)
    assert reassigned.exists()
    for enrollment in reassigned:
        earlier, later = sorted(enrollment.assignments.all(), key=lambda a: a.start_date)
        assert earlier.end_date == later.start_date and later.end_date is None


def test_coordinators_fit_the_childs_needs_and_loads_follow_capacity(demo_network):
    groups = {row.code: row.group for row in datafiles.diagnoses()}
    current = CoordinatorAssignment.objects.filter(end_date__isnull=True).select_related(
        "coordinator", "enrollment")
    for assignment in current:
        child_groups = {groups[d.code] for d in assignment.enrollment.child.diagnoses.all()}
        if "behavioral" in child_groups and not child_groups & {"complex", "chronic"}:
            assert assignment.coordinator.discipline == Discipline.SOCIAL_WORKER
        if child_groups == {"social"}:
            assert assignment.coordinator.discipline == Discipline.COMMUNITY
    loads = Counter(current.values_list("coordinator_id", flat=True))
    teams = defaultdict(list)
    for user in User.objects.filter(role=Role.COORDINATOR):
        teams[(user.center_id, user.discipline)].append(loads[user.pk] / user.caseload_capacity)
    for ratios in teams.values():
        assert max(ratios) - min(ratios) <= 0.5 * max(ratios) + 0.1


def test_consents_share_the_care_plan_with_the_medical_home(demo_network):
    # The workflows add consents of their own (education, peer support, a community service a
    # family is referred to): see test_workflows and tests/servicereferrals.
    consents = Consent.objects.filter(scope=Consent.Scope.CARE_PLAN,
                                      shared_with_practice__isnull=False).select_related(
        "child", "given_by")
    assert consents.count() > 0.5 * Enrollment.objects.count()
    for consent in consents:
        consent.full_clean()
        assert consent.shared_with_practice_id == consent.child.pcp_practice_id
        assert consent.scope == Consent.Scope.CARE_PLAN
        assert (consent.expires_on - consent.given_on).days in (365, 366)
        if consent.given_by is None:
            assert consent.child.age_on(consent.given_on) >= 18
        else:
            assert consent.given_by.household_id == consent.child.household_id
            assert consent.given_by.is_primary_contact
        if consent.revoked_on:
            assert consent.given_on < consent.revoked_on < consent.expires_on
    on = demo_network.as_of
    assert consents.filter(expires_on__lte=on).exists()
    assert consents.filter(Consent.current_q(on=on)).exists()


def test_providers_see_some_but_not_all_of_their_practices_children(demo_network):
    for provider in User.objects.filter(role=Role.PROVIDER):
        attributed = Child.objects.filter(pcp_practice=provider.practice).count()
        visible = policy.children_for(provider).count()
        assert 0 < visible < attributed
    assert not Consent.objects.filter(shared_with_practice__isnull=False).exclude(
        shared_with_practice=F("child__pcp_practice")).exists()
