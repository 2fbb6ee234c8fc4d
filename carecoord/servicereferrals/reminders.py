"""The follow-up rules for service referrals: a referral that sits without an answer gives the
coordinator a task to chase it. Pure Python, like contacts/reminders.py, returning its Reminder
objects, so the daily job saves them as tasks with the other rules (jobs.py gathers the rows).

Each reminder's rule_key names the referral, the status it waits in and that status's date:
a task is never made twice, and every step recorded on the referral closes its open reminders
(services.py answers them by the prefix `service_referral:<id>:`)."""

import datetime
from dataclasses import dataclass

from carecoord.contacts.reminders import Reminder

from . import steps

# How long a referral may wait in a status before the coordinator follows up, in days. Sent
# without an acknowledgement: a week (the service may never have got it); acknowledged without
# an appointment: two weeks; scheduled: a few days after the appointment, to ask the family
# whether they went (a month after scheduling when no appointment date was given).
WAIT_DAYS = {
    steps.SENT: 7,
    steps.ACKNOWLEDGED: 14,
    steps.SCHEDULED: 30,
}
AFTER_APPOINTMENT_DAYS = 3

KIND = "service_referral"  # contacts.models.Task.Kind
TITLE_LENGTH = 200  # contacts.models.Task.title

_WHAT = {
    steps.SENT: "no acknowledgement since it was sent {on}: call to check it arrived",
    steps.ACKNOWLEDGED: "acknowledged {on}, no appointment yet: ask when the family can be "
                        "seen",
    steps.SCHEDULED: "ask the family whether they went to the appointment{appointment}",
}


@dataclass(frozen=True)
class ReferralRow:
    referral_id: int
    child_id: int
    coordinator_id: int
    service: str
    status: str
    since: datetime.date  # the date of the current status
    appointment_on: datetime.date | None = None


def rule_prefix(referral_id: int) -> str:
    return f"service_referral:{referral_id}:"


def due_on(row: ReferralRow) -> datetime.date:
    if row.status == steps.SCHEDULED and row.appointment_on:
        return row.appointment_on + datetime.timedelta(days=AFTER_APPOINTMENT_DAYS)
    return row.since + datetime.timedelta(days=WAIT_DAYS[row.status])


def waiting(rows, today: datetime.date) -> list[Reminder]:
    """Open referrals whose wait has run out by `today`."""
    reminders = []
    for row in rows:
        if row.status not in WAIT_DAYS:
            continue
        due = due_on(row)
        if due > today:
            continue
        appointment = (f" on {row.appointment_on:%b %-d, %Y}" if row.appointment_on else "")
        what = _WHAT[row.status].format(on=f"{row.since:%b %-d}", appointment=appointment)
        reminders.append(Reminder(
            KIND, row.child_id, row.coordinator_id,
            f"Referral to {row.service[:90]}: {what}"[:TITLE_LENGTH], due,
            f"{rule_prefix(row.referral_id)}{row.status}:{row.since.isoformat()}"))
    return reminders
