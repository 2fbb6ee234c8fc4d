"""The ways a plan leaves the center: a FHIR Bundle POSTed to the practice's EMR, a secure
email with the PDF attached. (The third, fax, is a queue entry for the center's operator:
services.py writes it.) Each returns what happened as a `Result`, never raises for a failure
of the other side: the answer is recorded on the PlanShare.

The FHIR Bundle is made from the version as the family agreed it (its snapshot), not from the
plan's working copy, by the maker interop registers (this app never imports interop)."""

import datetime
import http.client
import json
import logging
import socket
from dataclasses import dataclass
from urllib import error as urlerror
from urllib import request as urlrequest
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from carecoord.careplans.models import (
    Action,
    CarePlan,
    FamilyPriority,
    Goal,
    Need,
    NeedDomain,
    Strength,
)
from carecoord.careplans.pdf import OWNER_CODES, RAISED_BY_CODES

from .models import PlanShare

log = logging.getLogger(__name__)
FHIR_JSON = "application/fhir+json"


@dataclass(frozen=True)
class Result:
    status: str
    answer: str


def timeout() -> float:
    return float(getattr(settings, "SHARING_SEND_TIMEOUT", 20))


# ---------------------------------------------------------------- the version as FHIR


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


def version_as_plan(version, plan: CarePlan,
                    domains: dict[str, NeedDomain]) -> tuple[CarePlan, list[Goal]]:
    """An unsaved CarePlan holding the version's snapshot as its rows (and those goals), for
    the FHIR mapping: it reads a plan with its rows prefetched, so the snapshot's rows are
    given to it as that prefetch. `plan` is the real plan (its child with diagnoses,
    enrollment and center loaded); `domains`: need domain label → NeedDomain (snapshots
    store the label)."""
    snap = version.snapshot
    frozen = CarePlan(pk=plan.pk, enrollment=plan.enrollment, child=plan.child,
                      center=plan.center, language=plan.language,
                      status=CarePlan.Status.AGREED, current_version=version,
                      created_by_id=plan.created_by_id)
    frozen.created_at = plan.created_at
    frozen.updated_at = version.recorded_at
    needs = []
    for n in snap.get("needs", []):
        need = Need(pk=n["id"], description=n["description"],
                    raised_by=RAISED_BY_CODES.get(n["raised_by"], n["raised_by"]),
                    family_priority=n["family_priority"],
                    provider_priority=n.get("provider_priority", ""), reach=n["reach"],
                    expectation=n.get("expectation", ""), status=n["status"])
        need.domain = domains.get(n["domain"]) or NeedDomain(label=n["domain"])
        need.plan = frozen
        needs.append(need)
    needs_by_id = {n.pk: n for n in needs}
    goals = []
    for g in snap.get("goals", []):
        goal = Goal(pk=g["id"], statement=g["statement"], measure=g["measure"],
                    target_date=_day(g["target_date"]), status=g["status"],
                    outcome=g.get("outcome", ""))
        goal.need = needs_by_id.get(g.get("need_id"))
        goal.plan = frozen
        goals.append(goal)
    actions = [Action(pk=a["id"], goal_id=a["goal_id"], description=a["description"],
                      owner=OWNER_CODES.get(a["owner"], a["owner"]),
                      owner_name=a.get("owner_name", ""), due_on=_day(a["due_on"]),
                      status=a["status"], completed_on=_day(a.get("completed_on")))
               for a in snap.get("actions", [])]
    priorities = [FamilyPriority(pk=p["id"], text=p["text"],
                                 translation=p.get("translation", ""), rank=p.get("rank", 1))
                  for p in snap.get("priorities", [])]
    strengths = [Strength(pk=s["id"], text=s["text"],
                          protective_factor=s.get("protective_factor", ""))
                 for s in snap.get("strengths", [])]
    frozen._prefetched_objects_cache = {"priorities": priorities, "strengths": strengths,
                                        "needs": needs, "goals": goals, "actions": actions}
    return frozen, goals


# The FHIR Bundle of a plan is made by interop, the one app that speaks FHIR: it registers
# its maker here when it loads (interop/apps.py), so this app never imports it.
_fhir_document = None


def register_fhir_document(maker):
    """`maker(plan, goals, child, fhir_base) -> dict`: the Bundle of a plan as agreed."""
    global _fhir_document
    _fhir_document = maker


def care_plan_bundle(version, plan: CarePlan, domains: dict[str, NeedDomain],
                     fhir_base: str) -> dict:
    """A FHIR R4 `collection` Bundle of the agreed version: see interop/documents.py."""
    frozen, goals = version_as_plan(version, plan, domains)
    return _fhir_document(frozen, goals, plan.child, fhir_base)


# ---------------------------------------------------------------- FHIR push


class _NoRedirects(urlrequest.HTTPRedirectHandler):
    """A plan is POSTed to the registered address only, never where a redirect points."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def push_bundle(endpoint: str, bundle: dict) -> Result:
    """POST the Bundle; the HTTP status is the answer. 2xx: delivered (the EMR took it)."""
    body = json.dumps(bundle).encode("utf-8")
    req = urlrequest.Request(endpoint, data=body, method="POST", headers={
        "Content-Type": f"{FHIR_JSON}; charset=utf-8", "Accept": FHIR_JSON,
        "User-Agent": "CareCoord care plan sharing"})
    # No proxy from the environment: the plan goes straight to the registered EMR.
    opener = urlrequest.build_opener(urlrequest.ProxyHandler({}), _NoRedirects)
    host = urlsplit(endpoint).hostname or endpoint
    try:
        with opener.open(req, timeout=timeout()) as response:
            code, reason = response.status, response.reason
    except urlerror.HTTPError as refused:
        detail = _diagnostics(refused)
        where = (f"; it redirected to {refused.headers.get('Location')}: register that address"
                 if 300 <= refused.code < 400 else "")
        return Result(PlanShare.Status.FAILED,
                      f"HTTP {refused.code} {refused.reason}{where}{detail}"[:500])
    except (urlerror.URLError, OSError, http.client.HTTPException, socket.timeout) as failed:
        why = getattr(failed, "reason", None) or failed
        return Result(PlanShare.Status.FAILED, f"Could not reach {host}: {why}"[:500])
    if 200 <= code < 300:
        return Result(PlanShare.Status.DELIVERED, f"HTTP {code} {reason}"[:500])
    return Result(PlanShare.Status.FAILED, f"HTTP {code} {reason}"[:500])


def _diagnostics(refused: urlerror.HTTPError) -> str:
    """The first diagnostics of an OperationOutcome the EMR answered with, if any."""
    try:
        outcome = json.loads(refused.read(20_000) or b"{}")
        issue = (outcome.get("issue") or [{}])[0]
        text = issue.get("diagnostics") or (issue.get("details") or {}).get("text") or ""
    except (ValueError, AttributeError, TypeError, OSError):
        return ""
    return f": {text}" if isinstance(text, str) and text else ""


# ---------------------------------------------------------------- secure email


def send_email(*, to: str, subject: str, body: str,
               attachments: list[tuple[str, bytes]]) -> Result:
    """Hand the message to the mail server (Django's email backend). Accepted: sent; whether
    it reached the inbox is the server's business and the practice's acknowledgment."""
    message = EmailMessage(
        subject=subject, body=body, to=[to],
        from_email=getattr(settings, "SHARING_FROM_EMAIL", settings.DEFAULT_FROM_EMAIL),
        connection=get_connection(timeout=timeout()))
    for name, content in attachments:
        message.attach(name, content, "application/pdf")
    try:
        message.send(fail_silently=False)
    except (OSError, ValueError) as failed:  # smtplib's errors are OSErrors
        return Result(PlanShare.Status.FAILED, f"The mail server refused it: {failed}"[:500])
    return Result(PlanShare.Status.SENT, f"Accepted by the mail server for {to}"[:500])
