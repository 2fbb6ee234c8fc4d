"""share_plan_version and the other writes: consent first, then each route (secure email with
the PDF, FHIR push to a real local HTTP server, the fax queue), everything recorded, failures
recorded and not raised."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from carecoord.audit.models import AuditEvent
from carecoord.careplans import services as plan_services
from carecoord.careplans.models import FamilyPriority
from carecoord.contacts.models import Task
from carecoord.families.models import Consent, Diagnosis
from carecoord.interop.validation import model_problems, schema_problems
from carecoord.sharing import services
from carecoord.sharing.models import FaxQueueEntry, PlanShare, ProviderComment, Recipient
from tests import factories

from .helpers import (
    PRIORITY,
    TODAY,
    add,
    agreed_plan,
    closed_port,
    closed_port_url,
    fhir_endpoint,
    pdf_text,
    recipient,
)

pytestmark = pytest.mark.django_db


def share(network, version, *recipients, user="nurse.nc"):
    return services.share_plan_version(user=network[user], version=version,
                                       recipients=list(recipients),
                                       fhir_base="https://carecoord.test/fhir/")


# ---------------------------------------------------------------- consent first


def test_without_a_current_consent_nothing_is_sent_and_the_reason_is_given(network):
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test")
    consent = network.child_nc.consents.get()
    Consent.objects.filter(pk=consent.pk).update(
        given_on=datetime.date(2025, 3, 1), expires_on=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError) as refused:
        share(network, version, pcp)
    assert refused.value.messages == [
        "No current consent to share with Asylum Hill Pediatrics (synthetic) "
        "(expired 2026-03-01)"]
    assert not PlanShare.objects.exists() and mail.outbox == []


def test_one_blocked_recipient_stops_the_whole_sending(network):
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test")
    school = recipient(organization="Burns Elementary School", preferred="fax",
                       fax_number="860-555-0100")
    with pytest.raises(ValidationError) as refused:
        share(network, version, pcp, school)
    assert refused.value.messages == [
        "No consent on file to share with Burns Elementary School"]
    assert not PlanShare.objects.exists() and mail.outbox == []


def test_a_revoked_consent_and_a_route_not_taken_are_refused(network):
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test")
    with pytest.raises(ValidationError) as refused:
        share(network, version, (pcp, "fax"))
    assert refused.value.messages == [
        "Asylum Hill Pediatrics (synthetic) does not take care plans by fax"]
    consent = network.child_nc.consents.get()
    consent.revoked_on = TODAY
    consent.save()
    with pytest.raises(ValidationError) as refused:
        share(network, version, pcp)
    assert refused.value.messages == [
        f"No current consent to share with Asylum Hill Pediatrics (synthetic) "
        f"(revoked {TODAY.isoformat()})"]


def test_only_staff_who_may_edit_the_plan_share_it_and_only_the_current_version(network):
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test")
    for user in ("admin.nc", "provider.nc", "nurse.ea"):
        with pytest.raises(PermissionDenied):
            share(network, version, pcp, user=user)
    plan = version.plan
    add(network, plan, FamilyPriority(text="Dormir toda la noche", language=plan.language))
    plan.refresh_from_db()
    newer = plan_services.agree(user=network["nurse.nc"], plan=plan,
                                expected_version=plan.version, agreed_on=TODAY,
                                how="phone", guardian=network.child_nc.household.guardians.get())
    with pytest.raises(ValidationError) as refused:
        share(network, version, pcp)
    assert refused.value.messages == [
        "Version 1 is not the current agreed version (version 2 is): share that one."]
    assert share(network, newer, pcp)[0].status == "sent"


# ---------------------------------------------------------------- secure email


def test_secure_email_carries_the_pdf_in_the_familys_language(network):
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test")
    [sent] = share(network, version, pcp)

    assert (sent.status, sent.answer) == (
        "sent", "Accepted by the mail server for referrals@asylumhill.test")
    assert (sent.route, sent.address, sent.language) == (
        "email", "referrals@asylumhill.test", "es")
    consent = network.child_nc.consents.get()
    assert (sent.consent_id, sent.consent_scope) == (consent.pk, "care_plan")
    assert sent.sent_by == network["nurse.nc"] and sent.answered_at is not None

    [message] = mail.outbox
    assert message.to == ["referrals@asylumhill.test"]
    assert "(SR)" in message.subject and "Rivera" not in message.subject
    assert "Sofia Rivera" in message.body and f"share {sent.pk}" in message.body
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("plan-de-cuidado-SR-v1.pdf", "application/pdf")
    text = pdf_text(content)
    assert "Plan de cuidado de Sofia Rivera" in text and PRIORITY in text
    assert "Versión 1, acordada el" in text and "Metas y acciones" in text

    exported = AuditEvent.objects.get(action="export", object_type="careplans.careplanversion")
    assert exported.detail["share"] == sent.pk and exported.child_id == network.child_nc.pk
    assert AuditEvent.objects.filter(action="create", object_type="sharing.planshare",
                                     object_id=str(sent.pk)).exists()


def test_an_english_speaking_family_gets_an_english_pdf(network):
    network.child_nc.preferred_language = network.child_ea.preferred_language  # Polish
    network.child_nc.save()
    plan = network.child_nc.care_plans.get()
    plan.language = network.child_ea.preferred_language
    plan.save()
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test")
    [sent] = share(network, version, pcp)
    assert sent.language == "en"
    [(name, content, _)] = mail.outbox[0].attachments
    assert name == "care-plan-SR-v1.pdf" and "Care plan for Sofia Rivera" in pdf_text(content)


def test_a_mail_server_that_refuses_is_recorded_as_a_failure(network, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test")
    [failed] = share(network, version, pcp)
    assert failed.status == "failed"
    assert failed.answer.startswith("The mail server refused it: ")


# ---------------------------------------------------------------- FHIR push


def test_fhir_push_posts_the_agreed_version_as_a_bundle_and_records_the_http_status(network):
    version = agreed_plan(network)
    Diagnosis.objects.create(child=network.child_nc, code="G40.909", recorded_on=TODAY,
                             description="Epilepsy, unspecified")
    # Edits after the agreement reopen the plan as a draft: they do not travel.
    add(network, version.plan, FamilyPriority(text="Not agreed yet",
                                              language=version.plan.language))
    with fhir_endpoint(status=201) as emr:
        pcp = recipient(network.practice_nc, preferred="fhir", fhir_endpoint=emr.url)
        [sent] = share(network, version, pcp)
    assert (sent.status, sent.answer, sent.route) == ("delivered", "HTTP 201 Created", "fhir")
    assert sent.language == ""

    [request] = emr.received
    assert request.path == "/fhir/Bundle"
    assert request.headers["Content-Type"].startswith("application/fhir+json")
    bundle = request.json
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert schema_problems(bundle) == [] and model_problems(bundle) == []
    resources = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    assert set(resources) == {"Patient", "CarePlan", "Goal", "Condition"}
    assert resources["Condition"]["code"]["coding"][0]["code"] == "G40.909"
    care_plan = resources["CarePlan"]
    assert care_plan["status"] == "active" and care_plan["subject"]["reference"] == (
        f"Patient/{network.child_nc.pk}")
    assert "version 1 agreed on" in care_plan["text"]["div"]
    assert [n["text"].split("\n")[0] for n in care_plan["note"]] == [PRIORITY]
    assert "Not agreed yet" not in request.body.decode()
    assert [a["detail"]["performer"][0]["display"] for a in care_plan["activity"]] == [
        "Primary care provider: Dr. Pediatra", "School: Burns Elementary"]
    assert bundle["entry"][1]["fullUrl"] == (
        f"https://carecoord.test/fhir/CarePlan/{version.plan_id}")


def test_a_failing_endpoint_is_recorded_as_failed_with_its_answer(network):
    version = agreed_plan(network)
    outcome = {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": "processing", "diagnostics": "Unknown patient"}]}
    with fhir_endpoint(status=422, answer=outcome) as emr:
        pcp = recipient(network.practice_nc, preferred="fhir", fhir_endpoint=emr.url)
        [failed] = share(network, version, pcp)
    assert (failed.status, failed.answer) == (
        "failed", "HTTP 422 Unprocessable Entity: Unknown patient")
    pcp.fhir_endpoint = closed_port_url()
    pcp.save()
    [unreachable] = share(network, version, pcp)
    assert unreachable.status == "failed"
    assert unreachable.answer.startswith("Could not reach 127.0.0.1: ")


def test_a_redirect_is_not_followed(network):
    version = agreed_plan(network)
    with fhir_endpoint(status=302) as emr:
        pcp = recipient(network.practice_nc, preferred="fhir", fhir_endpoint=emr.url)
        [failed] = share(network, version, pcp)
    assert len(emr.received) == 1 and failed.status == "failed"
    assert failed.answer == ("HTTP 302 Found; it redirected to "
                             "https://elsewhere.example/fhir/Bundle: register that address")


def test_an_endpoint_must_be_https_except_on_this_machine(network):
    plain = Recipient(practice=network.practice_nc, preferred_route="fhir",
                      fhir_endpoint="http://emr.example.org/fhir")
    with pytest.raises(ValidationError) as refused:
        plain.full_clean()
    assert "fhir_endpoint" in refused.value.message_dict
    no_address = Recipient(practice=network.practice_nc, preferred_route="fax")
    with pytest.raises(ValidationError) as refused:
        no_address.full_clean()
    assert refused.value.message_dict["preferred_route"] == [
        "The preferred route is fax: give its address."]


# ---------------------------------------------------------------- fax queue


def test_fax_goes_to_the_centers_queue_until_the_operator_marks_it(network):
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, preferred="fax", fax_number="(860) 555-0177")
    [queued] = share(network, version, pcp)
    assert (queued.status, queued.answer) == ("queued", "Waiting in the center's fax queue")
    entry = FaxQueueEntry.objects.get(share=queued)
    assert (entry.status, entry.fax_number, entry.center, entry.child) == (
        "pending", "(860) 555-0177", network.hub, network.child_nc)
    assert "Plan de cuidado de Sofia Rivera" in pdf_text(bytes(entry.document))

    with pytest.raises(PermissionDenied):
        services.mark_fax(user=network["admin.ea"], entry=entry, status="sent")
    with pytest.raises(ValidationError) as refused:
        services.mark_fax(user=network["admin.nc"], entry=entry, status="failed")
    assert refused.value.message_dict == {"note": ["Say why the fax could not be sent."]}
    services.mark_fax(user=network["admin.nc"], entry=entry, status="sent",
                      note="Confirmation: 6 pages OK")
    queued.refresh_from_db()
    assert (queued.status, queued.answer) == ("sent", "Faxed by Admin NC: Confirmation: 6 "
                                                      "pages OK")
    with pytest.raises(ValidationError):
        services.mark_fax(user=network["admin.nc"], entry=entry, status="failed", note="x")


def test_one_sending_by_every_route_at_once(network):
    version = agreed_plan(network)
    cardiology = factories.practice("Hartford", "Connecticut Children's Cardiology (synthetic)")
    factories.consent(network.child_nc, cardiology)
    with fhir_endpoint() as emr:
        pcp = recipient(network.practice_nc, preferred="fhir", fhir_endpoint=emr.url,
                        secure_email="referrals@asylumhill.test")
        other = recipient(cardiology, preferred="fax", fax_number="860-555-0123")
        shares = share(network, version, pcp, (pcp, "email"), other)
    assert [(s.recipient_name, s.route, s.status) for s in shares] == [
        ("Asylum Hill Pediatrics (synthetic)", "fhir", "delivered"),
        ("Asylum Hill Pediatrics (synthetic)", "email", "sent"),
        ("Connecticut Children's Cardiology (synthetic)", "fax", "queued")]
    assert len(emr.received) == 1 and len(mail.outbox) == 1
    assert FaxQueueEntry.objects.count() == 1


# ---------------------------------------------------------------- the provider's answer


def test_an_acknowledgment_reaches_the_coordinator_and_marks_what_was_sent(network):
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test")
    [sent] = share(network, version, pcp)
    ack = services.respond(user=network["provider.nc"], child=network.child_nc,
                           version_number=1, kind="acknowledge")
    sent.refresh_from_db()
    assert (sent.status, sent.acknowledgment) == ("acknowledged", ack)
    task = Task.objects.get(kind="provider_comment")
    assert task.assigned_to == network["nurse.nc"] and task.due_on == TODAY
    assert task.title == ("Provider NC (Asylum Hill Pediatrics (synthetic)) acknowledged care "
                          "plan version 1")
    with pytest.raises(ValidationError) as refused:
        services.respond(user=network["provider.nc"], child=network.child_nc,
                         version_number=1, kind="acknowledge")
    assert refused.value.messages == ["You already acknowledged version 1."]


def test_a_comment_needs_words_and_the_version_the_provider_read(network):
    agreed_plan(network)
    with pytest.raises(ValidationError) as refused:
        services.respond(user=network["provider.nc"], child=network.child_nc,
                         version_number=1, kind="comment", text="  ")
    assert refused.value.message_dict == {"text": ["Write the comment for the coordinator."]}
    with pytest.raises(ValidationError):
        services.respond(user=network["provider.nc"], child=network.child_nc,
                         version_number=2, kind="comment", text="Stale")
    comment = services.respond(user=network["provider.nc"], child=network.child_nc,
                               version_number=1, kind="comment",
                               text="Seizure plan updated; please share with school.")
    assert comment.task.detail == "Seizure plan updated; please share with school."
    assert comment.task.title.endswith("commented on care plan version 1")


def test_only_a_provider_who_may_see_the_child_answers(network):
    agreed_plan(network)
    for user in ("provider.ea", "nurse.nc"):
        with pytest.raises(PermissionDenied):
            services.respond(user=network[user], child=network.child_nc, version_number=1,
                             kind="comment", text="Hello")
    consent = network.child_nc.consents.get()
    consent.revoked_on = TODAY
    consent.save()
    with pytest.raises(PermissionDenied):
        services.respond(user=network["provider.nc"], child=network.child_nc,
                         version_number=1, kind="acknowledge")
    assert not ProviderComment.objects.exists()


def test_a_fax_acknowledged_before_the_operator_marks_it_stays_acknowledged(network):
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, preferred="fax", fax_number="860-555-0177")
    [queued] = share(network, version, pcp)
    services.respond(user=network["provider.nc"], child=network.child_nc, version_number=1,
                     kind="acknowledge")
    services.mark_fax(user=network["nurse.nc"], entry=queued.fax, status="sent")
    queued.refresh_from_db()
    assert (queued.status, queued.answer) == ("acknowledged", "Faxed by Nurse NC")


def test_a_pdf_that_cannot_be_made_is_a_recorded_failure_not_an_error(network, monkeypatch,
                                                                       caplog):
    from carecoord.sharing import documents

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(documents, "version_pdf", broken)
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test")
    [failed] = share(network, version, pcp)
    assert (failed.status, failed.answer) == (
        "failed", "Not sent: an unexpected error (see the server log)")
    assert failed.language == "es" and mail.outbox == []
    assert "no fonts" in caplog.text
