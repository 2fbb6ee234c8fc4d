"""Gathers the rows the coverage reminder rules (reminders.py) need, for the daily reminder job
in contacts/jobs.py: it passes the coordinator of each enrolled child and adds what this
returns to the reminders it saves as tasks."""

import datetime

from . import programs, reminders
from .models import CoverageApplication, DocumentRequest


def due_reminders(today: datetime.date,
                  coordinators: dict[int, int]) -> list[reminders.Reminder]:
    """`coordinators`: child id → the current coordinator's user id, for enrolled children.
    Two queries whatever the number of applications (filtered by a join, not a list of ids:
    PostgreSQL takes at most 65,535 parameters)."""
    requests = [
        reminders.DocumentRequestRow(pk, child, coordinators[child], _label(program),
                                     documents, requested_on, due_on)
        for pk, child, program, documents, requested_on, due_on in DocumentRequest.objects.filter(
            sent_on__isnull=True, application__child__enrollments__discharge_date__isnull=True,
            application__step=CoverageApplication.Step.DOCUMENTS_REQUESTED,
        ).values_list("pk", "application__child_id", "application__program", "documents",
                      "requested_on", "due_on") if child in coordinators]
    horizon = today + datetime.timedelta(days=reminders.RENEWAL_LEAD_DAYS)
    renewals = [
        reminders.RenewalRow(pk, child, coordinators[child], _label(program), due,
                             _redetermination_age(program))
        for pk, child, program, due in CoverageApplication.objects.filter(
            child__enrollments__discharge_date__isnull=True, renewal_due_on__lte=horizon,
            step__in=[CoverageApplication.Step.DECIDED, CoverageApplication.Step.APPEALED],
        ).values_list("pk", "child_id", "program", "renewal_due_on") if child in coordinators]
    return (reminders.documents_due(requests, today)
            + reminders.renewals_due(renewals, today))


def _label(code: str) -> str:
    program = programs.get(code)
    return program.label if program else code


def _redetermination_age(code: str) -> int | None:
    program = programs.get(code)
    return program.redetermination_age if program else None
