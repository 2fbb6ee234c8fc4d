"""The contact log: how often, by which channels, who took part, who made the contact, and
what it moved forward."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from carecoord.accounts.models import Role, User
from carecoord.careplans.models import Action, Goal
from carecoord.contacts.models import Channel, Contact
from carecoord.contacts.rules import Attempt, suggest_another_channel
from carecoord.demo import datafiles
from carecoord.families.models import CoordinatorAssignment, Enrollment

pytestmark = pytest.mark.django_db


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def test_contacts_per_child_year_and_unanswered_attempts(demo_network):
    as_of = demo_network.as_of
    years = sum(((end or as_of) - start).days / 365.25 for start, end in
                Enrollment.objects.values_list("start_date", "discharge_date"))
    contacts = Contact.objects.all()
    assert 16 <= contacts.count() / years <= 24
    assert demo_network.counts["contacts"] == contacts.count()
    attempts = contacts.filter(reached=False)
    assert 0.2 <= attempts.count() / contacts.count() <= 0.32
    assert demo_network.counts["contact_attempts"] == attempts.count()
    assert not attempts.filter(duration_minutes__isnull=False).exists()
    assert not attempts.exclude(participants=[]).exists()
    assert not attempts.filter(direction=Contact.Direction.INBOUND).exists()
    reached = contacts.filter(reached=True)
    assert not reached.filter(duration_minutes__isnull=True).exists()
    assert not reached.filter(duration_minutes=0).exists()
    per_enrollment = Counter(contacts.values_list("enrollment_id", flat=True))
    for enrollment in Enrollment.objects.all():
        days = ((enrollment.discharge_date or as_of) - enrollment.start_date).days
        assert per_enrollment[enrollment.pk] >= 1
        if days >= 365:
            assert 6 <= per_enrollment[enrollment.pk] * 365 / days <= 60, enrollment.pk


def test_a_sample_of_contacts_passes_full_clean(demo_network):
    for contact in Contact.objects.order_by("pk")[:300]:
        contact.full_clean()
    for contact in Contact.objects.filter(reached=False).order_by("pk")[:50]:
        contact.full_clean()


def test_contacts_stay_inside_the_enrollment_on_weekdays(demo_network):
    as_of = demo_network.as_of
    weekdays = Counter()
    for contact in Contact.objects.select_related("enrollment"):
        day = local_day(contact.occurred_at)
        enrollment = contact.enrollment
        assert contact.child_id == enrollment.child_id
        assert enrollment.start_date <= day <= (enrollment.discharge_date or as_of)
        weekdays[day.weekday()] += 1
        assert 7 <= timezone.localtime(contact.occurred_at).hour <= 19
    assert weekdays[5] + weekdays[6] <= 0.01 * sum(weekdays.values())
    busiest, quietest = max(weekdays[d] for d in range(5)), min(weekdays[d] for d in range(5))
    assert busiest <= 1.3 * quietest


def test_contact_staff_is_the_coordinator_assigned_that_day(demo_network):
    assignments = defaultdict(list)
    for assignment in CoordinatorAssignment.objects.all():
        assignments[assignment.enrollment_id].append(assignment)
    coordinators = {u.pk: u for u in User.objects.filter(role=Role.COORDINATOR)}
    for contact in Contact.objects.select_related("enrollment", "child"):
        staff = coordinators[contact.staff_id]
        assert staff.center_id == contact.enrollment.center_id
        if contact.enrollment.discharge_date is None:
            assert staff.center_id == contact.child.center_id
        day = local_day(contact.occurred_at)
        covering = [a for a in assignments[contact.enrollment_id] if a.start_date <= day]
        assert max(covering, key=lambda a: a.start_date).coordinator_id == staff.pk


def test_channels_follow_what_the_family_can_use_and_prefers(demo_network):
    contacts = Contact.objects.select_related("guardian")
    channels = Counter(contacts.values_list("channel", flat=True))
    assert set(channels) == set(Channel.values)
    assert channels.most_common(1)[0][0] == Channel.PHONE
    preferred = Counter()
    for contact in contacts.filter(guardian__isnull=False):
        guardian = contact.guardian
        if contact.channel == Channel.TEXT:
            assert guardian.phone and guardian.phone_can_text
        if contact.channel == Channel.EMAIL:
            assert guardian.email
        if contact.channel == Channel.PHONE:
            assert guardian.phone
        preferred[contact.channel in guardian.preferred_channels] += 1
    assert preferred[True] > preferred[False]
    assert Contact.objects.filter(guardian__isnull=True, participants=["pcp"]).exists()
    assert Contact.objects.filter(guardian__isnull=True, participants=["school_staff"]).exists()


def test_runs_of_three_unanswered_attempts_on_one_channel(demo_network):
    """Some families do not answer three times in a row on one channel: the rule behind the
    "try another way" prompt has something to show."""
    by_child = defaultdict(list)
    for child_id, channel, reached in Contact.objects.filter(guardian__isnull=False).order_by(
            "occurred_at", "pk").values_list("child_id", "channel", "reached"):
        by_child[child_id].append(Attempt(channel, reached))
    runs = 0
    for attempts in by_child.values():
        for end in range(3, len(attempts) + 1):
            if suggest_another_channel(list(reversed(attempts[:end])), ["phone", "home_visit"]):
                runs += 1
                break
    assert runs >= 5


def test_interpreters_where_the_family_needs_one(demo_network):
    staff_languages = {u.pk: {lang.code for lang in u.languages.all()}
                       for u in User.objects.prefetch_related("languages")}
    with_interpreter = 0
    for contact in Contact.objects.select_related("guardian__preferred_language",
                                                  "interpreter_language"):
        if "interpreter" in contact.participants:
            with_interpreter += 1
            assert contact.interpreter_language is not None
            assert contact.guardian.interpreter_needed
            assert contact.interpreter_language == contact.guardian.preferred_language
            assert contact.interpreter_language.code not in staff_languages[contact.staff_id]
        else:
            assert contact.interpreter_language is None
        if (contact.reached and contact.guardian and contact.guardian.interpreter_needed
                and contact.channel in ("phone", "home_visit", "video")
                and contact.guardian.preferred_language.code
                not in staff_languages[contact.staff_id]):
            assert "interpreter" in contact.participants
    assert with_interpreter >= 10


def test_some_high_need_children_had_no_reached_contact_for_a_month(demo_network):
    as_of = demo_network.as_of
    complex_codes = {row.code for row in datafiles.diagnoses() if row.group in ("complex", "tech")}
    open_children = set(Enrollment.objects.filter(discharge_date__isnull=True)
                        .values_list("child_id", flat=True))
    high_need = {child for child, code in Enrollment.objects.filter(
        discharge_date__isnull=True).values_list("child_id", "child__diagnoses__code")
        if code in complex_codes}
    last_reached = {}
    for child_id, moment in Contact.objects.filter(reached=True).values_list("child_id",
                                                                              "occurred_at"):
        day = local_day(moment)
        last_reached[child_id] = max(day, last_reached.get(child_id, day))
    quiet = {c for c in open_children if (as_of - last_reached[c]).days > 30}
    assert quiet & high_need
    assert 0.05 <= len(quiet) / len(open_children) <= 0.4


def test_contacts_move_the_plans_goals_and_actions(demo_network):
    goal_links = Contact.goals.through.objects.select_related("contact", "goal__plan")
    action_links = Contact.actions.through.objects.select_related("contact", "action__plan")
    assert goal_links.count() >= 50 and action_links.count() >= 50
    assert demo_network.counts["contact_goal_links"] == goal_links.count()
    for link in goal_links:
        assert link.goal.plan.child_id == link.contact.child_id
        assert link.contact.reached
    for link in action_links:
        assert link.action.plan.child_id == link.contact.child_id
        assert link.action.plan.enrollment_id == link.contact.enrollment_id
        assert Contact.goals.through.objects.filter(contact=link.contact,
                                                    goal=link.action.goal).exists()
        if link.action.status == Action.Status.DONE:
            assert local_day(link.contact.occurred_at) <= link.action.completed_on
    assert Goal.objects.filter(contacts__isnull=False).distinct().count() >= 20
