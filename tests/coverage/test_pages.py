"""The coverage pages as a coordinator, a provider and staff of another region use them."""

import pytest
from django.test import Client
from django.urls import reverse

from carecoord.audit.models import AuditEvent
from carecoord.coverage.models import CoverageApplication

from .helpers import TODAY, days_ago, start, submitted

pytestmark = pytest.mark.django_db


def urls(network, application):
    ids = [network.child_nc.pk, application.pk]
    return {"list": reverse("coverage-list", args=[network.child_nc.pk]),
            "new": reverse("coverage-new", args=[network.child_nc.pk]),
            "detail": reverse("coverage-detail", args=ids),
            "step": lambda step: reverse("coverage-step", args=[*ids, step])}


def test_a_coordinator_starts_and_advances_an_application_from_the_pages(network, login):
    client = login(network["nurse.nc"])
    response = client.post(reverse("coverage-new", args=[network.child_nc.pk]), {
        "program": "husky-b", "eligibility_checked_on": days_ago(3).isoformat(),
        "eligibility_finding": "likely_eligible",
        "eligibility_note": "Household of 4, income in the HUSKY B band"})
    application = CoverageApplication.objects.get()
    assert response.status_code == 302 and response.url == urls(network, application)["detail"]
    page = client.get(response.url).content.decode()
    assert "HUSKY B (Children&#x27;s Health Insurance Program)" in page
    assert "Record the next step" in page and 'action="' + urls(
        network, application)["step"]("submitted") in page
    response = client.post(urls(network, application)["step"]("submitted"), {
        "version": application.version, "submitted-submitted_on": days_ago(1).isoformat(),
        "submitted-submitted_how": "in_person", "submitted-helped_by": "coordinator"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.step == "submitted" and application.submitted_how == "in_person"
    listing = client.get(urls(network, application)["list"]).content.decode()
    assert "Application submitted" in listing


def test_a_step_out_of_order_is_refused_on_the_page_with_the_reason(network, login):
    application = start(network)
    client = login(network["nurse.nc"])
    response = client.post(urls(network, application)["step"]("decision"), {
        "version": application.version, "decision-decision": "approved",
        "decision-decision_on": TODAY.isoformat(),
        "decision-benefit_starts_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "Record when the application was submitted first" in response.content.decode()
    application.refresh_from_db()
    assert application.step == "eligibility_checked"


def test_a_denial_without_its_reason_is_shown_beside_the_field(network, login):
    application = submitted(network, start(network))
    response = login(network["nurse.nc"]).post(urls(network, application)["step"]("decision"), {
        "version": application.version, "decision-decision": "denied",
        "decision-decision_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert 'id="id_decision-denial_reason_error"' in response.content.decode()


def test_a_step_from_a_stale_page_is_refused_and_the_other_change_shown(network, login):
    application = start(network)
    social = Client()
    social.force_login(network["social.nc"])
    step = urls(network, application)["step"]("submitted")
    assert social.post(step, {
        "version": application.version, "submitted-submitted_on": TODAY.isoformat(),
        "submitted-submitted_how": "online", "submitted-helped_by": "coordinator",
    }).status_code == 302
    response = login(network["nurse.nc"]).post(step, {
        "version": application.version, "submitted-submitted_on": TODAY.isoformat(),
        "submitted-submitted_how": "paper", "submitted-helped_by": "family"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Not saved: social.nc changed this application" in page
    application.refresh_from_db()
    assert application.submitted_how == "online"  # the first save stands


def test_staff_of_another_region_get_404_everywhere(network, login):
    application = start(network)
    client = login(network["supervisor.ea"])
    for url in (urls(network, application)["list"], urls(network, application)["new"],
                urls(network, application)["detail"]):
        assert client.get(url).status_code == 404
    assert client.post(urls(network, application)["step"]("close"), {
        "version": 1, "close-closed_on": TODAY.isoformat(),
        "close-closed_reason": "other", "close-closed_note": "x"}).status_code == 404
    # Nor can an application be reached through another child's address.
    other = start(network, child=network.child_ea, user=network["nurse.ea"])
    wrong = reverse("coverage-detail", args=[network.child_nc.pk, other.pk])
    assert login(network["nurse.nc"]).get(wrong).status_code == 404
    application.refresh_from_db()
    assert application.step == "eligibility_checked"


def test_the_provider_reads_but_cannot_record(network, login):
    application = submitted(network, start(network))
    client = login(network["provider.nc"])
    page = client.get(urls(network, application)["detail"]).content.decode()
    assert "HUSKY A" in page and "Record the next step" not in page
    assert "Start helping with a program" not in client.get(
        urls(network, application)["list"]).content.decode()
    assert client.get(urls(network, application)["new"]).status_code == 404
    response = client.post(urls(network, application)["step"]("close"), {
        "version": application.version, "close-closed_on": TODAY.isoformat(),
        "close-closed_reason": "ended"})
    assert response.status_code == 404


def test_reading_the_pages_is_audited(network, login):
    first = start(network)
    second = start(network, program="ssi-child")
    client = login(network["admin.nc"])
    client.get(urls(network, first)["list"])
    listed = AuditEvent.objects.get(action="list", object_type="coverage.coverageapplication")
    assert sorted(listed.detail["ids"]) == sorted([first.pk, second.pk])
    assert (listed.child_id, listed.center_id) == (network.child_nc.pk, network.hub.pk)
    client.get(urls(network, first)["detail"])
    viewed = AuditEvent.objects.get(action="view", object_type="coverage.coverageapplication")
    assert (viewed.object_id, viewed.child_id, viewed.actor_username) == (
        str(first.pk), network.child_nc.pk, "admin.nc")


def test_choosing_a_program_shows_who_administers_it(network, login):
    client = login(network["nurse.nc"])
    url = reverse("coverage-new", args=[network.child_nc.pk])
    response = client.get(url + "?program=ssi-child", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert "U.S. Social Security Administration (SSA)" in text and "age 18" in text
    assert "Seguridad de Ingreso Suplementario" in text


def walk(client, network, application, steps):
    for step, fields in steps:
        application.refresh_from_db()
        data = {"version": application.version,
                **{f"{step}-{name}": value for name, value in fields.items()}}
        if step == "documents-sent":
            data[f"{step}-request"] = application.document_requests.get().pk
        response = client.post(urls(network, application)["step"](step), data)
        assert response.status_code == 302, (step, response.content.decode()[-3000:])
    application.refresh_from_db()
    return application


def test_every_step_form_of_the_page_records_its_step(network, login):
    client = login(network["nurse.nc"])
    approved = walk(client, network, start(network), [
        ("submitted", {"submitted_on": days_ago(20), "submitted_how": "paper",
                       "helped_by": "other", "helper_name": "Hospital financial counselor"}),
        ("documents", {"requested_on": days_ago(15), "documents": "Pay stubs",
                       "due_on": TODAY}),
        ("documents-sent", {"sent_on": days_ago(10)}),
        ("decision", {"decision": "approved", "decision_on": days_ago(5),
                      "benefit_starts_on": days_ago(5)}),
        ("renewal", {"last_renewed_on": TODAY}),
        ("close", {"closed_on": TODAY, "closed_reason": "help_given"}),
    ])
    assert (approved.step, approved.last_renewed_on, approved.helper_name) == (
        "closed", TODAY, "Hospital financial counselor")
    assert approved.document_requests.get().sent_on == days_ago(10)
    reversed_on_appeal = walk(client, network, start(network, program="ssi-child"), [
        ("submitted", {"submitted_on": days_ago(20), "submitted_how": "online",
                       "helped_by": "coordinator"}),
        ("decision", {"decision": "denied", "decision_on": days_ago(15),
                      "denial_reason": "Not disabled under the childhood standard"}),
        ("appeal", {"appeal_filed_on": days_ago(10)}),
        ("appeal-outcome", {"appeal_outcome": "reversed", "appeal_decided_on": TODAY,
                            "hearing_on": days_ago(2), "benefit_starts_on": TODAY}),
    ])
    assert reversed_on_appeal.is_approved and reversed_on_appeal.hearing_on == days_ago(2)
    page = client.get(urls(network, reversed_on_appeal)["detail"]).content.decode()
    assert "Save: renewal" in page and "Save: appeal filed" not in page


def test_documents_sent_is_offered_while_some_are_outstanding(network, login):
    client = login(network["nurse.nc"])
    application = walk(client, network, start(network), [
        ("submitted", {"submitted_on": days_ago(20), "submitted_how": "online",
                       "helped_by": "family"}),
        ("documents", {"requested_on": days_ago(15), "documents": "Birth certificate",
                       "due_on": TODAY})])
    page = client.get(urls(network, application)["detail"]).content.decode()
    assert "Save: documents sent" in page
    walk(client, network, application, [("documents-sent", {"sent_on": TODAY})])
    page = client.get(urls(network, application)["detail"]).content.decode()
    assert "Save: documents sent" not in page and "Save: decision" in page
