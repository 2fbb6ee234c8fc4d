"""School reminders, from plain rows (pure Python, like contacts/reminders.py): prepare the
family before a school meeting, and the plan's annual review coming up."""

import datetime
from dataclasses import dataclass

from carecoord.contacts.reminders import Reminder

MEETING_PREP_DAYS = 7
ANNUAL_REVIEW_LEAD_DAYS = 30


@dataclass(frozen=True)
class MeetingRow:
    meeting_id: int
    child_id: int
    coordinator_id: int
    kind_label: str
    meets_on: datetime.date


@dataclass(frozen=True)
class PlanReviewRow:
    support_id: int
    child_id: int
    coordinator_id: int
    plan_label: str
    annual_review_due_on: datetime.date


def meeting_preparation(meetings, today: datetime.date) -> list[Reminder]:
    return [Reminder("school", m.child_id, m.coordinator_id,
                     f"Prepare the family for the {m.kind_label} on {m.meets_on:%b %-d}",
                     max(today, m.meets_on - datetime.timedelta(days=3)),
                     f"school_meeting:{m.meeting_id}:{m.meets_on.isoformat()}")
            for m in meetings
            if today <= m.meets_on <= today + datetime.timedelta(days=MEETING_PREP_DAYS)]


def annual_reviews(plans, today: datetime.date) -> list[Reminder]:
    lead = datetime.timedelta(days=ANNUAL_REVIEW_LEAD_DAYS)
    return [Reminder("school", p.child_id, p.coordinator_id,
                     f"{p.plan_label} annual review due {p.annual_review_due_on:%b %-d, %Y}: "
                     "ask the school for the meeting date", p.annual_review_due_on - lead,
                     f"school_review:{p.support_id}:{p.annual_review_due_on.isoformat()}")
            for p in plans if p.annual_review_due_on <= today + lead]
