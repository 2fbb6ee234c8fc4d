"""Writes for coverage and financial help: one transaction per step a user records. Each step
is refused when the application is not at a step it may follow (steps.py), with the field that
has to come first named, and when the user's page is older than the application (another
coordinator recorded a step meanwhile): no lost updates."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from carecoord.accounts import policy
from carecoord.families.services import EditConflict
from carecoord.validation import save_checked

from . import programs, steps
from .models import CoverageApplication, DocumentRequest

NEED_DOMAIN = "financial"



def _check_need(child, need):
    if need is None:
        return
    if need.plan.child_id != child.pk or need.domain.code != NEED_DOMAIN:
        raise ValidationError({"need": "Choose a need of this child's care plan in the "
                                       "financial help and health coverage domain."})


@transaction.atomic
def start_application(*, user, child, application: CoverageApplication) -> CoverageApplication:
    """The first step: the coordinator checked whether the child is likely to be eligible."""
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot record coverage help for this child.")
    _check_need(child, application.need)
    already = (CoverageApplication.objects.filter(child=child, program=application.program)
               .exclude(step=CoverageApplication.Step.CLOSED).first())
    if already is not None:
        raise ValidationError({"program": f"{already.program_label} is already open for this "
                               f"child ({already.get_step_display().lower()}): continue that "
                               "one."})
    application.child = child
    application.created_by = user
    application.step = CoverageApplication.Step.ELIGIBILITY_CHECKED
    return save_checked(application)


def _open_for_step(user, application: CoverageApplication, expected_version: int,
                   action: str) -> CoverageApplication:
    """Lock the application, check the user may change it, was looking at its latest version
    and that it is at a step `action` may follow; move it on by one version."""
    current = (CoverageApplication.objects.select_for_update().select_related("child")
               .get(pk=application.pk))
    if not policy.can_edit_child(user, current.child):
        raise PermissionDenied("You cannot record coverage help for this child.")
    if current.version != expected_version:
        raise EditConflict(current)
    try:
        steps.check(current.step, action)
    except steps.StepRefused as refused:
        raise ValidationError({refused.field: str(refused)}) from None
    current.version += 1
    return current


@transaction.atomic
def record_submission(*, user, application: CoverageApplication, expected_version: int,
                      submitted_on: datetime.date, submitted_how: str, helped_by: str,
                      helper_name: str = "", confirmation_number: str = "") -> CoverageApplication:
    application = _open_for_step(user, application, expected_version, steps.SUBMIT)
    if application.eligibility_finding == CoverageApplication.Finding.NOT_ELIGIBLE:
        raise ValidationError({"eligibility_finding": "The eligibility check found the child "
                               "not eligible: close the application, or check again."})
    if helped_by == CoverageApplication.Helper.OTHER and not helper_name.strip():
        raise ValidationError({"helper_name": "Say who helped the family apply."})
    application.submitted_on, application.submitted_how = submitted_on, submitted_how
    application.helped_by, application.helper_name = helped_by, helper_name.strip()
    application.confirmation_number = confirmation_number.strip()
    application.step = CoverageApplication.Step.SUBMITTED
    return save_checked(application)


@transaction.atomic
def request_documents(*, user, application: CoverageApplication, expected_version: int,
                      requested_on: datetime.date, documents: str,
                      due_on: datetime.date) -> DocumentRequest:
    """The agency asked for documents by a date: the reminder rules then give the coordinator
    a task to help the family send them (reminders.documents_due)."""
    application = _open_for_step(user, application, expected_version, steps.REQUEST_DOCUMENTS)
    if requested_on < application.submitted_on:
        raise ValidationError({"requested_on": "Documents are requested after the submission "
                               f"({application.submitted_on:%b %-d, %Y})."})
    request = save_checked(DocumentRequest(application=application, requested_on=requested_on,
                                           documents=documents.strip(), due_on=due_on))
    application.step = CoverageApplication.Step.DOCUMENTS_REQUESTED
    save_checked(application)
    return request


@transaction.atomic
def record_documents_sent(*, user, application: CoverageApplication, expected_version: int,
                          request: DocumentRequest, sent_on: datetime.date) -> DocumentRequest:
    application = _open_for_step(user, application, expected_version, steps.DOCUMENTS_SENT)
    request = DocumentRequest.objects.select_for_update().get(pk=request.pk)
    if request.application_id != application.pk:
        raise ValidationError({"request": "Choose a request of this application."})
    if request.sent_on:
        raise ValidationError({"request": f"These documents were already sent on "
                                          f"{request.sent_on:%b %-d, %Y}."})
    request.application = application
    request.sent_on = sent_on
    save_checked(request)
    save_checked(application)
    return request


@transaction.atomic
def record_decision(*, user, application: CoverageApplication, expected_version: int,
                    decision: str, decision_on: datetime.date,
                    benefit_starts_on: datetime.date | None = None, denial_reason: str = "",
                    renewal_due_on: datetime.date | None = None) -> CoverageApplication:
    """The agency's decision. An approval's renewal date defaults to the program's rule (HUSKY:
    12 months after the start; a child's SSI: the 18th birthday); the notice's date wins."""
    application = _open_for_step(user, application, expected_version, steps.DECIDE)
    application.decision, application.decision_on = decision, decision_on
    if decision == CoverageApplication.Decision.APPROVED:
        application.benefit_starts_on = benefit_starts_on
        application.denial_reason = ""
        application.renewal_due_on = renewal_due_on or _default_renewal(application)
    else:
        application.denial_reason = denial_reason.strip()
        application.benefit_starts_on = None
        application.renewal_due_on = None
    application.step = CoverageApplication.Step.DECIDED
    return save_checked(application)


def _default_renewal(application: CoverageApplication) -> datetime.date | None:
    info = application.program_info
    if info is None or application.benefit_starts_on is None:
        return None
    return programs.next_renewal(info, benefit_starts_on=application.benefit_starts_on,
                                 date_of_birth=application.child.date_of_birth)


@transaction.atomic
def file_appeal(*, user, application: CoverageApplication, expected_version: int,
                appeal_filed_on: datetime.date,
                hearing_on: datetime.date | None = None) -> CoverageApplication:
    application = _open_for_step(user, application, expected_version, steps.APPEAL)
    if application.decision != CoverageApplication.Decision.DENIED:
        raise ValidationError({"decision": "The application was approved: there is no denial "
                                           "to appeal."})
    application.appeal_filed_on, application.hearing_on = appeal_filed_on, hearing_on
    application.step = CoverageApplication.Step.APPEALED
    return save_checked(application)


@transaction.atomic
def record_appeal_outcome(*, user, application: CoverageApplication, expected_version: int,
                          appeal_outcome: str, appeal_decided_on: datetime.date,
                          hearing_on: datetime.date | None = None,
                          benefit_starts_on: datetime.date | None = None,
                          renewal_due_on: datetime.date | None = None) -> CoverageApplication:
    application = _open_for_step(user, application, expected_version, steps.APPEAL_OUTCOME)
    if application.appeal_outcome:
        raise ValidationError({"appeal_outcome": "The appeal's outcome is already recorded."})
    application.appeal_outcome, application.appeal_decided_on = appeal_outcome, appeal_decided_on
    if hearing_on:
        application.hearing_on = hearing_on
    if appeal_outcome == CoverageApplication.AppealOutcome.REVERSED:
        application.benefit_starts_on = benefit_starts_on
        application.renewal_due_on = renewal_due_on or _default_renewal(application)
    return save_checked(application)


@transaction.atomic
def record_renewal(*, user, application: CoverageApplication, expected_version: int,
                   last_renewed_on: datetime.date,
                   renewal_due_on: datetime.date | None = None) -> CoverageApplication:
    """The benefit was renewed (or redetermined and kept): the next renewal date is the one on
    the notice, else the program's rule counted from this renewal."""
    application = _open_for_step(user, application, expected_version, steps.RENEW)
    if not application.is_approved:
        raise ValidationError({"decision": "A renewal is recorded for an approved benefit."})
    if last_renewed_on < (application.benefit_starts_on or application.decision_on):
        raise ValidationError({"last_renewed_on": "The renewal comes after the benefit "
                                                  "started."})
    info = application.program_info
    if renewal_due_on is None and info and info.renewal_months:
        renewal_due_on = programs.next_renewal(info, benefit_starts_on=last_renewed_on,
                                               date_of_birth=application.child.date_of_birth)
    if renewal_due_on and renewal_due_on <= last_renewed_on:
        raise ValidationError({"renewal_due_on": "The next renewal comes after this one."})
    application.last_renewed_on, application.renewal_due_on = last_renewed_on, renewal_due_on
    return save_checked(application)


@transaction.atomic
def close_application(*, user, application: CoverageApplication, expected_version: int,
                      closed_on: datetime.date, closed_reason: str,
                      closed_note: str = "") -> CoverageApplication:
    application = _open_for_step(user, application, expected_version, steps.CLOSE)
    if (closed_reason == CoverageApplication.ClosedReason.DENIED
            and not (application.decision == CoverageApplication.Decision.DENIED
                     and not application.is_approved)):
        raise ValidationError({"closed_reason": "Only a denied application is closed as "
                                                "denied."})
    application.closed_on, application.closed_reason = closed_on, closed_reason
    application.closed_note = closed_note.strip()
    application.step = CoverageApplication.Step.CLOSED
    return save_checked(application)
