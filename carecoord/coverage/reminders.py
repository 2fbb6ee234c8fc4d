"""The coverage reminder rules: which tasks a coordinator needs for a family's applications,
from plain rows. Pure Python, like contacts/reminders.py, and returning its Reminder objects, so
the daily job saves them as tasks with the other rules (jobs.py gathers the rows).

Each reminder's rule_key names the rule, the record and the date it is about: a task is never
made twice, and a new one comes when the date moves (a new due date, the next renewal)."""

import datetime
from dataclasses import dataclass

from carecoord.contacts.reminders import Reminder

DOCUMENTS_LEAD_DAYS = 7
RENEWAL_LEAD_DAYS = 60
# A renewal date that passed with no renewal recorded is still reminded for this long: the
# coverage may have lapsed and the family needs help at once.
RENEWAL_OVERDUE_DAYS = 90

TITLE_LENGTH = 200  # contacts.models.Task.title

# Task kinds of contacts.models.Task.Kind these reminders are filed under.
DOCUMENTS_KIND = RENEWAL_KIND = "coverage"


@dataclass(frozen=True)
class DocumentRequestRow:
    request_id: int
    child_id: int
    coordinator_id: int
    program: str
    documents: str
    requested_on: datetime.date
    due_on: datetime.date


@dataclass(frozen=True)
class RenewalRow:
    application_id: int
    child_id: int
    coordinator_id: int
    program: str
    renewal_due_on: datetime.date
    at_age: int | None = None  # a redetermination at this birthday (a child's SSI at 18)


def documents_due(requests, today: datetime.date) -> list[Reminder]:
    """Documents an agency asked for and nobody has sent yet: a task as soon as the request is
    recorded, due a week before the agency's date (or on the request day when that is
    sooner), so there is time to help the family gather them."""
    reminders = []
    for r in requests:
        due = max(r.requested_on, r.due_on - datetime.timedelta(days=DOCUMENTS_LEAD_DAYS))
        reminders.append(Reminder(
            DOCUMENTS_KIND, r.child_id, r.coordinator_id,
            f"{r.program}: help the family send {r.documents[:60]} by {r.due_on:%b %-d, %Y}"
            [:TITLE_LENGTH],
            due, f"coverage_documents:{r.request_id}:{r.due_on.isoformat()}"))
    return reminders


def renewals_due(renewals, today: datetime.date) -> list[Reminder]:
    """Renewals and redeterminations within 60 days (or passed without a renewal recorded, up
    to 90 days): a task due 60 days before the date, to help the family renew in time."""
    reminders = []
    for r in renewals:
        lead = r.renewal_due_on - datetime.timedelta(days=RENEWAL_LEAD_DAYS)
        if not (lead <= today <= r.renewal_due_on
                + datetime.timedelta(days=RENEWAL_OVERDUE_DAYS)):
            continue
        what = (f"redetermination at {r.at_age}" if r.at_age else "renewal")
        reminders.append(Reminder(
            RENEWAL_KIND, r.child_id, r.coordinator_id,
            f"{r.program} {what} due {r.renewal_due_on:%b %-d, %Y}: help the family renew"
            [:TITLE_LENGTH],
            lead, f"coverage_renewal:{r.application_id}:{r.renewal_due_on.isoformat()}"))
    return reminders
