"""Gathers the rows the referral follow-up rules (reminders.py) need, for the daily reminder job
in contacts/jobs.py: it passes the coordinator of each enrolled child and adds what this
returns to the reminders it saves as tasks."""

import datetime

from . import reminders, steps
from .models import ServiceReferral


def due_reminders(today: datetime.date,
                  coordinators: dict[int, int]) -> list[reminders.Reminder]:
    """`coordinators`: child id → the current coordinator's user id, for enrolled children. One
    query whatever the number of referrals (filtered by a join, not a list of ids)."""
    rows = [
        reminders.ReferralRow(pk, child, coordinators[child], name, status,
                              {steps.SENT: sent, steps.ACKNOWLEDGED: acknowledged,
                               steps.SCHEDULED: scheduled}[status], appointment)
        for pk, child, name, status, sent, acknowledged, scheduled, appointment
        in ServiceReferral.objects.filter(
            status__in=steps.OPEN, child__enrollments__discharge_date__isnull=True,
        ).values_list("pk", "child_id", "service_name", "status", "sent_on",
                      "acknowledged_on", "scheduled_on", "appointment_on")
        if child in coordinators]
    return reminders.waiting(rows, today)
