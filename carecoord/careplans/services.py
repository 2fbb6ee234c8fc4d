"""Writes to a care plan. Every change names the plan version the user was looking at; a
change made from an older version is refused (PlanChanged) rather than silently applied over
someone else's, and a change to an agreed plan reopens it as the draft of the next version."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.contacts.services import answer_reminders
from carecoord.families.models import Enrollment, Guardian
from carecoord.validation import save_checked

from .models import Action, CarePlan, CarePlanVersion, FamilyPriority, Goal, Need, Strength
from .versions import add_months


class PlanChanged(Exception):
    """The plan moved on since the user loaded it."""

    def __init__(self, plan):
        self.plan = plan
        super().__init__("Someone else changed this care plan after you opened it.")



def review_months() -> int:
    return settings.CAREPLAN_REVIEW_MONTHS


@transaction.atomic
def start_plan(*, user, enrollment: Enrollment) -> CarePlan:
    enrollment = Enrollment.objects.select_related("child").get(pk=enrollment.pk)
    if not policy.can_edit_child(user, enrollment.child):
        raise PermissionDenied("You cannot write this child's care plan.")
    if not enrollment.is_open:
        raise ValidationError("A care plan is written for an open enrollment.")
    if CarePlan.objects.filter(enrollment=enrollment).exists():
        raise ValidationError("This enrollment already has a care plan.")
    guardian = enrollment.child.household.guardians.filter(is_primary_contact=True).first()
    language = (guardian.preferred_language if guardian and guardian.preferred_language_id
                else enrollment.child.preferred_language)
    return save_checked(CarePlan(enrollment=enrollment, child=enrollment.child,
                                 center_id=enrollment.center_id, language=language,
                                 created_by=user))


PROGRESS_FIELDS = {"status", "outcome", "completed_on", "closed_on"}


def _open_for_change(user, plan: CarePlan, expected_version: int, *,
                     reopen: bool = True) -> CarePlan:
    """Lock the plan, check the user may change it and was looking at its latest version, and
    move it on by one version. A change of content reopens the plan as the draft of its next
    version; progress (`reopen=False`) leaves the agreed version current."""
    current = CarePlan.objects.select_for_update().select_related("child").get(pk=plan.pk)
    if not policy.can_edit_child(user, current.child):
        raise PermissionDenied("You cannot change this child's care plan.")
    if current.version != expected_version:
        raise PlanChanged(current)
    current.version += 1
    if reopen and current.status != CarePlan.Status.DRAFT:
        current.status = CarePlan.Status.DRAFT
    current.save(update_fields=["version", "status", "updated_at"])
    return current


@transaction.atomic
def add_item(*, user, plan: CarePlan, expected_version: int, item):
    """Add a priority, strength, need, goal or action to the plan."""
    plan = _open_for_change(user, plan, expected_version)
    item.plan = plan
    if isinstance(item, Action) and item.goal.plan_id != plan.pk:
        raise ValidationError({"goal": "Choose a goal of this plan."})
    if isinstance(item, Goal) and item.need_id and item.need.plan_id != plan.pk:
        raise ValidationError({"need": "Choose a need of this plan."})
    if isinstance(item, Need) and not item.opened_on:
        item.opened_on = timezone.localdate()
    return save_checked(item)


@transaction.atomic
def update_item(*, user, plan: CarePlan, expected_version: int, item, **changes):
    """Change fields of an item of the plan. Progress on an agreed plan (an action done, a goal
    met, a need closed) is recorded without reopening it: the family agreed to the plan, not
    to its progress, which goes into the next version at the review."""
    plan = _open_for_change(user, plan, expected_version,
                            reopen=not set(changes) <= PROGRESS_FIELDS)
    model = type(item)
    item = model.objects.select_for_update().get(pk=item.pk, plan=plan)
    for name, value in changes.items():
        setattr(item, name, value)
    if isinstance(item, Need):
        closed = item.status in (Need.Status.MET, Need.Status.UNMET, Need.Status.WITHDRAWN)
        item.closed_on = (item.closed_on or timezone.localdate()) if closed else None
    if isinstance(item, Action):
        if item.status == Action.Status.DONE and not item.completed_on:
            item.completed_on = timezone.localdate()
        elif item.status != Action.Status.DONE:
            item.completed_on = None
        if item.status in (Action.Status.DONE, Action.Status.CANCELLED):
            answer_reminders(child=plan.child, rule_prefix=f"action_overdue:{item.pk}:",
                             note=f"Action {item.get_status_display().lower()} on the plan.")
    return save_checked(item)


@transaction.atomic
def mark_reviewed(*, user, plan: CarePlan, expected_version: int) -> CarePlan:
    """The plan was gone through with the family; their agreement comes next."""
    plan = _open_for_change(user, plan, expected_version)
    if not plan.priorities.exists():
        raise ValidationError("Write down the family's priorities before reviewing the plan: "
                              "the plan starts from them.")
    plan.status = CarePlan.Status.IN_REVIEW
    plan.save(update_fields=["status", "updated_at"])
    return plan


@transaction.atomic
def agree(*, user, plan: CarePlan, expected_version: int, agreed_on: datetime.date,
          how: str, guardian: Guardian | None = None, youth_agreed: bool = False
          ) -> CarePlanVersion:
    """The family agreed: freeze the plan as the next version and set the next review."""
    plan = _open_for_change(user, plan, expected_version)
    if guardian is None and not youth_agreed:
        raise ValidationError({"agreed_by": "Say who agreed: a guardian, or the youth."})
    if guardian is not None and guardian.household_id != plan.child.household_id:
        raise ValidationError({"agreed_by": "Choose a guardian of this child's household."})
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": "The agreement date is in the future."})
    if not plan.priorities.exists() or not plan.goals.exists():
        raise ValidationError("A plan is agreed with at least one family priority and one "
                              "goal.")
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0)
    version = CarePlanVersion(
        plan=plan, number=number + 1, agreed_on=agreed_on, agreed_by=guardian,
        agreed_by_name=str(guardian) if guardian else f"{plan.child.full_name} (youth)",
        agreed_how=how, recorded_by=user,
        review_due_on=add_months(agreed_on, review_months()), snapshot=snapshot(plan),
        plan_version=plan.version,
    )
    version.full_clean(exclude=["snapshot"])
    version.save()
    plan.status = CarePlan.Status.AGREED
    plan.current_version = version
    plan.review_due_on = version.review_due_on
    plan.review_reason = ""
    plan.save(update_fields=["status", "current_version", "review_due_on", "review_reason",
                             "updated_at"])
    answer_reminders(child=plan.child, rule_prefix=f"plan_review:{plan.pk}:",
                     note=f"Version {version.number} agreed with the family.")
    return version


@transaction.atomic
def call_review(*, user, plan: CarePlan, expected_version: int, reason: str) -> CarePlan:
    """A big event (hospital stay, new diagnosis, a move) makes a review due now."""
    if not reason.strip():
        raise ValidationError({"reason": "Say what happened that calls for a review."})
    plan = _open_for_change(user, plan, expected_version, reopen=False)
    plan.review_due_on = timezone.localdate()
    plan.review_reason = reason.strip()
    plan.save(update_fields=["review_due_on", "review_reason", "updated_at"])
    return plan


def snapshot(plan: CarePlan) -> dict:
    """The plan's content as plain data, for an agreed version and its comparisons."""
    def iso(day):
        return day.isoformat() if day else None

    return {
        "language": plan.language.code,
        "priorities": [{"id": p.pk, "text": p.text, "translation": p.translation,
                        "rank": p.rank} for p in plan.priorities.all()],
        "strengths": [{"id": s.pk, "text": s.text, "protective_factor": s.protective_factor}
                      for s in plan.strengths.all()],
        "needs": [{"id": n.pk, "domain": n.domain.label, "description": n.description,
                   "raised_by": n.get_raised_by_display(),
                   "family_priority": n.family_priority,
                   "provider_priority": n.provider_priority, "reach": n.reach,
                   "expectation": n.expectation, "status": n.status}
                  for n in plan.needs.select_related("domain")],
        "goals": [{"id": g.pk, "need_id": g.need_id, "statement": g.statement,
                   "measure": g.measure, "target_date": iso(g.target_date), "status": g.status,
                   "outcome": g.outcome} for g in plan.goals.all()],
        "actions": [{"id": a.pk, "goal_id": a.goal_id, "description": a.description,
                     "owner": a.get_owner_display(), "owner_name": a.owner_name,
                     "due_on": iso(a.due_on), "status": a.status,
                     "completed_on": iso(a.completed_on)} for a in plan.actions.all()],
    }


ITEM_MODELS = {"priorities": FamilyPriority, "strengths": Strength, "needs": Need,
               "goals": Goal, "actions": Action}
