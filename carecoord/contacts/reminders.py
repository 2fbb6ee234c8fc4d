"""The reminder rules: which tasks are due for whom, from plain rows. Pure Python, so each
rule is tested on its own and the job (jobs.py) only gathers rows and saves what these say.

Each reminder carries a rule_key naming the rule, the record and the date it is about: the
same reminder is never made twice, and a new one comes when the date moves (a new review date,
a new lapse of contact)."""

import datetime
from dataclasses import dataclass

PLAN_REVIEW_LEAD_DAYS = 14
CONSENT_LEAD_DAYS = 30
NO_CONTACT_DAYS = 30

# Got Transition's recommended timeline (Six Core Elements; see careplans/instruments/data).
TRANSITION_MILESTONES = (
    (12, "Share the transition policy with the youth and family"),
    (14, "Start transition planning: first transition readiness assessment"),
    (16, "Prepare for the adult model of care; discuss the transfer"),
    (18, "Legal adulthood: privacy and consent change; the youth decides who sees the record"),
    (21, "Transfer to adult care with a transfer package (before age 22)"),
)


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
    return [Reminder("action_overdue", a.child_id, a.coordinator_id,
                     f"Overdue ({a.owner}): {a.description[:150]}", today,
                     f"action_overdue:{a.action_id}:{a.due_on.isoformat()}")
            for a in actions if a.due_on < today]


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday(born: datetime.date, age: int) -> datetime.date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # born on 29 February
        return datetime.date(born.year + age, 3, 1)


def transition_milestones(children, today: datetime.date) -> list[Reminder]:
    """The latest milestone a youth has reached, once: older milestones missed before the
    youth was enrolled are folded into the current one rather than flooding the list."""
    reminders = []
    for child in children:
        reached = [(age, step) for age, step in TRANSITION_MILESTONES
                   if age_on(child.date_of_birth, today) >= age]
        if not reached:
            continue
        age, step = reached[-1]
        if age_on(child.date_of_birth, today) > age + 1:
            continue  # more than a year past it: the next milestone will come
        due = max(birthday(child.date_of_birth, age), child.enrolled_on)
        reminders.append(Reminder("transition", child.child_id, child.coordinator_id,
                                  f"Transition (age {age}): {step}", due,
                                  f"transition:{child.child_id}:{age}"))
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
    """Enrolled children nobody has reached for `days` days (counting from enrollment when
    nobody ever has)."""
    reminders = []
    for child in children:
        since = child.last_reached_on or child.enrolled_on
        if (today - since).days >= days:
            reminders.append(Reminder(
                "no_recent_contact", child.child_id, child.coordinator_id,
                f"No contact with the family since {since:%b %-d, %Y}: reach out",
                since + datetime.timedelta(days=days),
                f"no_recent_contact:{child.child_id}:{since.isoformat()}"))
    return reminders
