"""The reminder rules: which tasks are due for whom, from plain rows. Pure Python, so each
rule is tested on its own and the job (jobs.py) only gathers rows and saves what these say.

Each reminder carries a rule_key naming the rule, the record and the date it is about: the
same reminder is never made twice, and a new one comes when the date moves (a new review date,
a new lapse of contact)."""

import datetime
from dataclasses import dataclass, field

# age_on and birthday are shared with the other apps' reminder rules.
from carecoord.transition.progress import age_on, birthday, progress  # noqa: F401

PLAN_REVIEW_LEAD_DAYS = 14
CONSENT_LEAD_DAYS = 30
NO_CONTACT_DAYS = 30
NO_CONTACT_FROM_TIER = 3  # tiers 3 and 4 of the acuity matrix (stratification/data)
OVERDUE_ACTION_WINDOW_DAYS = 30

@dataclass(frozen=True)
class Reminder:
    kind: str
    child_id: int
    assignee_id: int
    title: str
    due_on: datetime.date
    rule_key: str


@dataclass(frozen=True)
class PlanRow:
    plan_id: int
    child_id: int
    coordinator_id: int
    review_due_on: datetime.date | None


@dataclass(frozen=True)
class ActionRow:
    action_id: int
    child_id: int
    coordinator_id: int
    description: str
    owner: str
    due_on: datetime.date


@dataclass(frozen=True)
class ChildRow:
    child_id: int
    coordinator_id: int
    date_of_birth: datetime.date
    enrolled_on: datetime.date
    last_reached_on: datetime.date | None
    tier: int | None = None


@dataclass(frozen=True)
class TransitionRow:
    done: dict = field(default_factory=dict)  # element id → latest date done
    last_pediatric_visit_on: datetime.date | None = None


@dataclass(frozen=True)
class ConsentRow:
    consent_id: int
    child_id: int
    coordinator_id: int
    recipient: str
    expires_on: datetime.date


def plan_reviews(plans, today: datetime.date) -> list[Reminder]:
    return [Reminder("plan_review", p.child_id, p.coordinator_id,
                     "Review the care plan with the family", p.review_due_on,
                     f"plan_review:{p.plan_id}:{p.review_due_on.isoformat()}")
            for p in plans if p.review_due_on and
            p.review_due_on <= today + datetime.timedelta(days=PLAN_REVIEW_LEAD_DAYS)]


def overdue_actions(actions, today: datetime.date) -> list[Reminder]:
    """An action gone past its due date, once, in its first weeks overdue. The job runs daily,
    so each gets its reminder the day after it falls due; a backlog older than the window (a
    first run on loaded data) is left to the plan review rather than flooding the day."""
    window = today - datetime.timedelta(days=OVERDUE_ACTION_WINDOW_DAYS)
    return [Reminder("action_overdue", a.child_id, a.coordinator_id,
                     f"Overdue ({a.owner}): {a.description[:150]}", today,
                     f"action_overdue:{a.action_id}:{a.due_on.isoformat()}")
            for a in actions if window <= a.due_on < today]


def transition_milestones(children, today: datetime.date,
                          transitions: dict | None = None) -> list[Reminder]:
    """The next of the Six Core Elements a youth needs, once per element (and again when a
    yearly readiness assessment comes round). `transitions` maps child id → TransitionRow."""
    reminders = []
    for child in children:
        row = (transitions or {}).get(child.child_id, TransitionRow())
        states = progress(child.date_of_birth, today, row.done, row.last_pediatric_visit_on)
        needed = [s for s in states if s.needs_doing]
        if not needed:
            continue
        state = min(needed, key=lambda s: s.state != "overdue")  # an overdue transfer first
        overdue = " (overdue)" if state.state == "overdue" else ""
        due = max(state.due_from or today, child.enrolled_on)
        reminders.append(Reminder(
            "transition", child.child_id, child.coordinator_id,
            f"Transition{overdue}: {state.element.name} (element {state.element.number})", due,
            f"transition:{child.child_id}:{state.element.id}:{state.due_from}"))
    return reminders


def expiring_consents(consents, today: datetime.date) -> list[Reminder]:
    return [Reminder("consent_expiring", c.child_id, c.coordinator_id,
                     f"Renew the consent to share with {c.recipient}",
                     c.expires_on - datetime.timedelta(days=CONSENT_LEAD_DAYS),
                     f"consent_expiring:{c.consent_id}:{c.expires_on.isoformat()}")
            for c in consents
            if today <= c.expires_on <= today + datetime.timedelta(days=CONSENT_LEAD_DAYS)]


def no_recent_contact(children, today: datetime.date,
                      days: int = NO_CONTACT_DAYS) -> list[Reminder]:
    """Enrolled children of a high tier (or not stratified yet) nobody has reached for `days`
    days, counting from enrollment when nobody ever has. Lower tiers are reached at the pace
    their plan sets."""
    reminders = []
    for child in children:
        if child.tier is not None and child.tier < NO_CONTACT_FROM_TIER:
            continue
        since = child.last_reached_on or child.enrolled_on
        if (today - since).days >= days:
            reminders.append(Reminder(
                "no_recent_contact", child.child_id, child.coordinator_id,
                f"No contact with the family since {since:%b %-d, %Y}: reach out",
                since + datetime.timedelta(days=days),
                f"no_recent_contact:{child.child_id}:{since.isoformat()}"))
    return reminders
