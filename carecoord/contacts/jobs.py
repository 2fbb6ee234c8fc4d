"""The reminder job: gather the rows the rules need in a few grouped queries, ask the rules
(reminders.py) which reminders are due, and save the new ones as tasks. Safe to run again and
again: a reminder already made (open, done or dismissed) has its rule_key taken."""

import datetime
from collections import Counter

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from carecoord.careplans.models import Action, CarePlan
from carecoord.coverage import jobs as coverage_jobs
from carecoord.education import reminders as school
from carecoord.education.models import SchoolMeeting, SchoolSupport
from carecoord.families.models import Consent, CoordinatorAssignment
from carecoord.servicereferrals import jobs as service_referral_jobs
from carecoord.transition.models import ElementCompletion, TransitionRecord

from . import reminders
from .models import Contact, Task


def _open_assignments():
    return CoordinatorAssignment.objects.filter(end_date__isnull=True,
                                                enrollment__discharge_date__isnull=True)


def _current_assignments():
    """child id → (coordinator id, enrollment start, date of birth, tier) for every open
    enrollment."""
    rows = _open_assignments().values_list("enrollment__child_id", "coordinator_id",
                                           "enrollment__start_date",
                                           "enrollment__child__date_of_birth",
                                           "enrollment__child__acuity__tier")
    return {child: (coordinator, start, born, tier)
            for child, coordinator, start, born, tier in rows}


def _enrolled():
    """The children with an open enrollment, as a subquery: a list of ids would pass
    PostgreSQL's limit of 65,535 parameters in a statewide network."""
    return _open_assignments().values("enrollment__child_id")


def _transition_rows() -> dict[int, reminders.TransitionRow]:
    done, visits = {}, {}
    for child, element, on in ElementCompletion.objects.filter(
            record__child_id__in=_enrolled()).values_list("record__child_id", "element", "done_on"):
        latest = done.setdefault(child, {})
        latest[element] = max(on, latest.get(element, on))
    for child, visit in TransitionRecord.objects.filter(
            child_id__in=_enrolled(), last_pediatric_visit_on__isnull=False).values_list(
            "child_id", "last_pediatric_visit_on"):
        visits[child] = visit
    return {child: reminders.TransitionRow(done.get(child, {}), visits.get(child))
            for child in done.keys() | visits.keys()}


PLAN_NAMES = {SchoolSupport.PlanKind.IEP: "IEP", SchoolSupport.PlanKind.SECTION_504: "504 plan"}


def _school_reminders(assigned, today):
    soon = today + datetime.timedelta(days=school.MEETING_PREP_DAYS)
    meetings = [school.MeetingRow(pk, child, assigned[child][0],
                                  SchoolMeeting.Kind(kind).label, on)
                for pk, child, kind, on in SchoolMeeting.objects.filter(
                    status=SchoolMeeting.Status.SCHEDULED, meets_on__gte=today,
                    meets_on__lte=soon, support__child_id__in=_enrolled(),
                ).values_list("pk", "support__child_id", "kind", "meets_on")
                if child in assigned]
    horizon = today + datetime.timedelta(days=school.ANNUAL_REVIEW_LEAD_DAYS)
    plans = [school.PlanReviewRow(pk, child, assigned[child][0],
                                  PLAN_NAMES.get(kind, "School plan"), due)
             for pk, child, kind, due in SchoolSupport.objects.filter(
                 stage=SchoolSupport.Stage.IN_PLACE, annual_review_due_on__lte=horizon,
                 child_id__in=_enrolled(),
             ).values_list("pk", "child_id", "plan_kind", "annual_review_due_on")
             if child in assigned]
    return school.meeting_preparation(meetings, today) + school.annual_reviews(plans, today)


def due_reminders(today: datetime.date) -> list[reminders.Reminder]:
    assigned = _current_assignments()
    plans = [reminders.PlanRow(plan_id, child, assigned[child][0], due)
             for plan_id, child, due in CarePlan.objects.filter(
                 child_id__in=_enrolled(), review_due_on__isnull=False,
                 enrollment__discharge_date__isnull=True,
             ).values_list("pk", "child_id", "review_due_on") if child in assigned]
    actions = [reminders.ActionRow(pk, child, assigned[child][0], text, owner, due)
               for pk, child, text, owner, due in Action.objects.filter(
                   due_on__lt=today, status__in=[Action.Status.TO_DO, Action.Status.IN_PROGRESS],
                   due_on__gte=today - datetime.timedelta(
                       days=reminders.OVERDUE_ACTION_WINDOW_DAYS),
                   plan__enrollment__discharge_date__isnull=True,
               ).values_list("pk", "plan__child_id", "description", "owner", "due_on")
               if child in assigned]
    last_reached = dict(Contact.objects.filter(reached=True, child_id__in=_enrolled())
                        .values("child_id").annotate(last=Max("occurred_at"))
                        .values_list("child_id", "last"))
    children = [reminders.ChildRow(child, coordinator, born, start,
                                   timezone.localdate(last_reached[child])
                                   if child in last_reached else None, tier)
                for child, (coordinator, start, born, tier) in assigned.items()]
    transitions = _transition_rows()
    horizon = today + datetime.timedelta(days=reminders.CONSENT_LEAD_DAYS)
    consents = [reminders.ConsentRow(pk, child, assigned[child][0],
                                     practice or other, expires)
                for pk, child, practice, other, expires in Consent.objects.filter(
                    Q(revoked_on__isnull=True) | Q(revoked_on__gt=today),
                    expires_on__gte=today, expires_on__lte=horizon,
                    child_id__in=_enrolled(),
                ).values_list("pk", "child_id", "shared_with_practice__name",
                              "shared_with_other", "expires_on")]
    return (reminders.plan_reviews(plans, today)
            + _school_reminders(assigned, today) + reminders.overdue_actions(actions, today)
            + reminders.transition_milestones(children, today, transitions)
            + reminders.expiring_consents(consents, today)
            + reminders.no_recent_contact(children, today)
            + coverage_jobs.due_reminders(today, {child: row[0]
                                                  for child, row in assigned.items()})
            + service_referral_jobs.due_reminders(today, {child: row[0]
                                                          for child, row in assigned.items()}))


@transaction.atomic
def create_due_tasks(today: datetime.date | None = None) -> Counter:
    """Save the reminders due today as tasks; returns how many of each kind were new."""
    today = today or timezone.localdate()
    due = due_reminders(today)
    taken = set(Task.objects.filter(rule_key__in=[r.rule_key for r in due])
                .values_list("rule_key", flat=True))
    new = [Task(child_id=r.child_id, assigned_to_id=r.assignee_id, kind=r.kind, title=r.title,
                due_on=r.due_on, rule_key=r.rule_key)
           for r in due if r.rule_key not in taken]
    # Rows from a concurrent run are skipped by the unique rule_key, not duplicated.
    Task.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    return Counter(task.kind for task in new)
