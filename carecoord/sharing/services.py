"""Writes for sharing: send an agreed version to the care team, record the fax operator's
answer, record a provider's acknowledgment or comment.

Sending checks the family's consent for every recipient first and refuses the whole action,
with each reason in words, when one is blocked: nothing leaves for anyone. Then each recipient
is one PlanShare, saved before its route runs and updated with the answer after, so what was
attempted is on record even when the other side fails; a failure is an answer (status failed
and why), never an error page. The network calls run outside any database transaction."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.audit.services import record_export
from carecoord.contacts.models import Task
from carecoord.families.models import Child
from carecoord.validation import save_checked

from . import documents, routes, selectors
from .models import ROUTE_SHORT, FaxQueueEntry, PlanShare, ProviderComment, Recipient, Route

log = logging.getLogger(__name__)



# ---------------------------------------------------------------- sending


def _wanted(recipients) -> list[tuple[Recipient, str]]:
    """Recipients, or (recipient, route) pairs, as pairs (the preferred route by default)."""
    pairs = []
    for item in recipients:
        recipient, route = item if isinstance(item, tuple) else (item, item.preferred_route)
        pairs.append((recipient, route))
    return pairs


def check_recipients(child: Child, recipients) -> list[tuple]:
    """(candidate, recipient, route) for each recipient asked for, or a ValidationError with
    every reason one of them may not receive the plan now."""
    by_recipient = {c.recipient.pk: c for c in selectors.candidates(child) if c.recipient}
    checked, reasons = [], []
    for recipient, route in _wanted(recipients):
        candidate = by_recipient.get(recipient.pk)
        if candidate is None:
            reasons.append(f"No consent on file to share with {recipient.name}")
        elif candidate.blocked:
            reasons.extend(candidate.reasons)
        elif route not in candidate.routes:
            reasons.append(f"{recipient.name} does not take care plans by "
                           f"{ROUTE_SHORT.get(route, route)}")
        else:
            checked.append((candidate, recipient, route))
    if reasons:
        raise ValidationError(reasons)
    if not checked:
        raise ValidationError("Choose at least one recipient.")
    if len({(r.pk, route) for _, r, route in checked}) != len(checked):
        raise ValidationError("A recipient is chosen twice for the same route.")
    return checked


def share_plan_version(*, user, version, recipients, fhir_base: str = "") -> list[PlanShare]:
    """Send the agreed `version` to each recipient by the route it accepts (its preferred one,
    or the one given as a (recipient, route) pair), and record each sending and its answer.
    Refused (nothing sent) when the user may not share the plan, the version is not the
    plan's current one, or a recipient has no current consent or route."""
    child = selectors.child_for_sharing(version.plan.child_id)
    if not (policy.children_for(user).filter(pk=child.pk).exists()
            and policy.can_share_care_plan(user, child)):
        raise PermissionDenied("You cannot share this child's care plan.")
    plan = selectors.plan_of(child)
    if plan is None or plan.pk != version.plan_id or plan.current_version_id != version.pk:
        current = plan.current_version if plan is not None else None
        raise ValidationError(
            f"Version {version.number} is not the current agreed version"
            + (f" (version {current.number} is): share that one." if current else "."))
    plan.child = child
    checked = check_recipients(child, recipients)

    materials = _Materials(version, plan, child, fhir_base or "urn:carecoord:fhir")
    language = documents.language_of(version, plan)
    shares = []
    for candidate, recipient, route in checked:
        share = _record_sending(user=user, version=version, child=child, plan=plan,
                                candidate=candidate, recipient=recipient, route=route,
                                language="" if route == Route.FHIR else language)
        try:
            result = _send(share, route=route, materials=materials, child=child,
                           version=version, center=plan.center)
        except Exception:  # a bug, or the PDF could not be made: recorded, never an error page
            log.exception("Sharing care plan version %s by %s failed", version.pk, route)
            result = routes.Result(PlanShare.Status.FAILED,
                                   "Not sent: an unexpected error (see the server log)")
        _record_answer(share, result)
        shares.append(share)
    return shares


class _Materials:
    """The PDF and the FHIR Bundle of one sending, each made once, when a route first needs
    it."""

    def __init__(self, version, plan, child, fhir_base):
        self.version, self.plan, self.child, self.fhir_base = version, plan, child, fhir_base
        self._pdf = self._bundle = None

    @property
    def pdf(self) -> documents.PlanPdf:
        if self._pdf is None:
            self._pdf = documents.version_pdf(self.version, self.plan, self.child)
        return self._pdf

    @property
    def bundle(self) -> dict:
        if self._bundle is None:
            self._bundle = routes.care_plan_bundle(self.version, self.plan,
                                                   selectors.need_domains(), self.fhir_base)
        return self._bundle


@transaction.atomic
def _record_sending(*, user, version, child, plan, candidate, recipient, route, language):
    share = save_checked(PlanShare(
        version=version, child=child, center=plan.center, recipient=recipient,
        recipient_name=recipient.name, route=route, address=recipient.address(route),
        language=language, consent=candidate.consent, consent_scope=candidate.consent.scope,
        sent_at=timezone.now(), sent_by=user, status=PlanShare.Status.QUEUED))
    record_export("careplans.careplanversion", count=1, center_id=plan.center_id,
                  child_id=child.pk, version=version.number, share=share.pk, route=route,
                  recipient=recipient.name, consent=candidate.consent.pk)
    return share


def _send(share, *, route, materials, child, version, center) -> routes.Result:
    if route == Route.FHIR:
        return routes.push_bundle(share.address, materials.bundle)
    pdf = materials.pdf
    if route == Route.EMAIL:
        return routes.send_email(to=share.address, subject=_subject(child, version, center),
                                 body=_body(child, version, center, share),
                                 attachments=[(pdf.file_name, pdf.content)])
    _queue_fax(share, pdf)
    return routes.Result(PlanShare.Status.QUEUED, "Waiting in the center's fax queue")


@transaction.atomic
def _queue_fax(share, pdf):
    return save_checked(FaxQueueEntry(
        share=share, child_id=share.child_id, center_id=share.center_id,
        fax_number=share.address, file_name=pdf.file_name, document=pdf.content))


@transaction.atomic
def _record_answer(share, result):
    share.status, share.answer = result.status, result.answer
    share.answered_at = timezone.now()
    share.save(update_fields=["status", "answer", "answered_at"])


def _subject(child, version, center) -> str:
    # The subject line carries initials only; the name is inside the (secure) message.
    initials = f"{child.first_name[:1]}{child.last_name[:1]}".upper()
    return (f"Shared plan of care, version {version.number} agreed "
            f"{version.agreed_on.isoformat()} ({initials}) — {center.name}")


def _body(child, version, center, share) -> str:
    return (
        f"{center.name} shares the care plan of {child.full_name} (born "
        f"{child.date_of_birth.isoformat()}), version {version.number}, agreed with the family "
        f"on {version.agreed_on.isoformat()}, with {share.recipient_name}.\n\n"
        "The plan is attached as a PDF, in the family's language. It is sent with the "
        "family's consent to share the care plan with your practice.\n\n"
        f"Questions: {center.name}{', ' + center.phone if center.phone else ''}.\n"
        f"Reference: share {share.pk}.\n")


# ---------------------------------------------------------------- the fax operator


@transaction.atomic
def mark_fax(*, user, entry: FaxQueueEntry, status: str, note: str = "") -> FaxQueueEntry:
    """The operator faxed the plan (or could not): the sending's answer is their note."""
    entry = FaxQueueEntry.objects.select_for_update().defer("document").get(pk=entry.pk)
    if not policy.fax_entries_for(user).filter(pk=entry.pk).exists():
        raise PermissionDenied("This fax belongs to another center.")
    if entry.status != FaxQueueEntry.Status.PENDING:
        raise ValidationError(f"This fax was already marked {entry.get_status_display().lower()}"
                              f" on {timezone.localtime(entry.handled_at):%b %-d, %Y}.")
    note = note.strip()
    if status == FaxQueueEntry.Status.FAILED and not note:
        raise ValidationError({"note": "Say why the fax could not be sent."})
    if status not in (FaxQueueEntry.Status.SENT, FaxQueueEntry.Status.FAILED):
        raise ValidationError({"status": "Mark the fax sent or failed."})
    entry.status, entry.note = status, note
    entry.handled_at, entry.handled_by = timezone.now(), user
    entry.save(update_fields=["status", "note", "handled_at", "handled_by"])
    share = PlanShare.objects.select_for_update().get(pk=entry.share_id)
    who = user.get_full_name() or user.get_username()
    faxed = status == FaxQueueEntry.Status.SENT
    if share.status != PlanShare.Status.ACKNOWLEDGED:  # the practice's answer stands
        share.status = PlanShare.Status.SENT if faxed else PlanShare.Status.FAILED
    share.answer = (f"Faxed by {who}" + (f": {note}" if note else "") if faxed
                    else f"Fax failed ({who}): {note}")
    share.answer = share.answer[:500]
    share.answered_at = entry.handled_at
    share.save(update_fields=["status", "answer", "answered_at"])
    return entry


# ---------------------------------------------------------------- the provider's answer


def _coordinator_of(child: Child):
    enrollment = child.enrollments.filter(discharge_date__isnull=True).first()
    if enrollment is None:
        return None
    assignment = enrollment.assignments.filter(end_date__isnull=True).select_related(
        "coordinator").first()
    return assignment.coordinator if assignment is not None else None


@transaction.atomic
def respond(*, user, child: Child, version_number: int, kind: str,
            text: str = "") -> ProviderComment:
    """A provider acknowledges the current agreed version, or comments on it. The child's
    coordinator gets a task on "My day"; an acknowledgment marks what was sent to the
    practice acknowledged."""
    if not policy.can_respond_to_plan(user, child):
        raise PermissionDenied("You cannot answer on this child's care plan.")
    plan = selectors.plan_of(child)
    version = plan.current_version if plan is not None else None
    if version is None:
        raise ValidationError("There is no agreed care plan to answer on yet.")
    if version.number != version_number:
        raise ValidationError(f"Version {version.number} of the plan was agreed after you "
                              "opened the page: read it, then answer again.")
    text = text.strip()
    if kind == ProviderComment.Kind.COMMENT and not text:
        raise ValidationError({"text": "Write the comment for the coordinator."})
    if kind == ProviderComment.Kind.ACKNOWLEDGE and ProviderComment.objects.filter(
            version=version, author=user, kind=kind).exists():
        raise ValidationError(f"You already acknowledged version {version.number}.")
    comment = ProviderComment(version=version, child=child, center=plan.center,
                              practice_id=user.practice_id, author=user, kind=kind, text=text)
    try:
        with transaction.atomic():
            save_checked(comment)
    except IntegrityError:  # the same acknowledgment sent twice at once
        raise ValidationError(f"You already acknowledged version {version.number}.") from None
    coordinator = _coordinator_of(child)
    if coordinator is not None:
        comment.task = _task_for(coordinator, comment, version, user)
        comment.save(update_fields=["task"])
    if kind == ProviderComment.Kind.ACKNOWLEDGE:
        now = timezone.now()
        for share in PlanShare.objects.select_for_update().filter(
                version=version, recipient__practice_id=user.practice_id).exclude(
                status__in=[PlanShare.Status.FAILED, PlanShare.Status.ACKNOWLEDGED]):
            share.status, share.acknowledgment, share.answered_at = (
                PlanShare.Status.ACKNOWLEDGED, comment, now)
            share.save(update_fields=["status", "acknowledgment", "answered_at"])
    return comment


def _task_for(coordinator, comment, version, user) -> Task:
    """The coordinator's task: a provider's answer is read the day it arrives. Written here,
    not through contacts.services.add_task, whose author must be able to edit the child: the
    author is the provider, the task is the coordinator's."""
    who = f"{user.get_full_name() or user.get_username()} ({comment.practice.name})"
    if comment.kind == ProviderComment.Kind.ACKNOWLEDGE:
        title = f"{who} acknowledged care plan version {version.number}"
    else:
        title = f"{who} commented on care plan version {version.number}"
    task = Task(child=comment.child, assigned_to=coordinator, kind=Task.Kind.PROVIDER_COMMENT,
                title=title[:200], detail=comment.text, due_on=timezone.localdate(),
                created_by=user)
    return save_checked(task)
