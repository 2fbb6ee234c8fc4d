"""Helping a family through an application, step by step, in the order the agency works."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carecoord.audit.models import AuditEvent
from carecoord.careplans.versions import add_months
from carecoord.coverage import services
from carecoord.coverage.models import CoverageApplication
from carecoord.families.services import EditConflict

from .helpers import TODAY, days_ago, need, start, submitted

pytestmark = pytest.mark.django_db


def refused_field(call, **kwargs):
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.message_dict


def test_husky_from_eligibility_to_renewal(network):
    nurse = network["nurse.nc"]
    application = submitted(network, start(network))
    request = services.request_documents(
        user=nurse, application=application, expected_version=application.version,
        requested_on=days_ago(20), documents="Proof of income (last 4 pay stubs)",
        due_on=days_ago(20) + datetime.timedelta(days=10))
    application.refresh_from_db()
    assert application.step == "documents_requested"
    services.record_documents_sent(user=nurse, application=application,
                                   expected_version=application.version, request=request,
                                   sent_on=days_ago(15))
    application.refresh_from_db()
    application = services.record_decision(
        user=nurse, application=application, expected_version=application.version,
        decision="approved", decision_on=days_ago(5), benefit_starts_on=days_ago(5))
    assert application.step == "decided" and application.is_approved
    # HUSKY is renewed every 12 months: the date comes from the program unless the notice says.
    assert application.renewal_due_on == add_months(days_ago(5), 12)
    application = services.record_renewal(
        user=nurse, application=application, expected_version=application.version,
        last_renewed_on=TODAY, renewal_due_on=TODAY + datetime.timedelta(days=300))
    assert application.renewal_due_on == TODAY + datetime.timedelta(days=300)
    application = services.close_application(
        user=nurse, application=application, expected_version=application.version,
        closed_on=TODAY, closed_reason="help_given")
    assert application.step == "closed" and application.version == 7


def test_steps_out_of_order_are_refused_naming_the_missing_step(network):
    nurse = network["nurse.nc"]
    application = start(network)
    errors = refused_field(services.record_decision, user=nurse, application=application,
                           expected_version=application.version, decision="approved",
                           decision_on=TODAY, benefit_starts_on=TODAY)
    assert "submitted" in errors["submitted_on"][0]
    errors = refused_field(services.request_documents, user=nurse, application=application,
                           expected_version=application.version, requested_on=TODAY,
                           documents="Birth certificate", due_on=TODAY)
    assert list(errors) == ["submitted_on"]
    application = submitted(network, application)
    errors = refused_field(services.file_appeal, user=nurse, application=application,
                           expected_version=application.version, appeal_filed_on=TODAY)
    assert "record the decision first" in errors["decision"][0]
    errors = refused_field(services.record_submission, user=nurse, application=application,
                           expected_version=application.version, submitted_on=TODAY,
                           submitted_how="paper", helped_by="family")
    assert errors["submitted_on"] == ["The submission is already recorded."]
    application = services.record_decision(
        user=nurse, application=application, expected_version=application.version,
        decision="approved", decision_on=days_ago(1), benefit_starts_on=TODAY)
    errors = refused_field(services.file_appeal, user=nurse, application=application,
                           expected_version=application.version, appeal_filed_on=TODAY)
    assert "approved" in errors["decision"][0]
    application = services.close_application(
        user=nurse, application=application, expected_version=application.version,
        closed_on=TODAY, closed_reason="ended")
    errors = refused_field(services.record_renewal, user=nurse, application=application,
                           expected_version=application.version, last_renewed_on=TODAY)
    assert "closed" in errors["closed_on"][0]


def test_dates_follow_the_steps(network):
    application = start(network, checked=days_ago(10))
    errors = refused_field(services.record_submission, user=network["nurse.nc"],
                           application=application, expected_version=application.version,
                           submitted_on=days_ago(12), submitted_how="online",
                           helped_by="coordinator")
    assert errors["submitted_on"] == ["This date comes before the eligibility check "
                                      f"({days_ago(10):%b %-d, %Y})."]
    errors = refused_field(services.record_submission, user=network["nurse.nc"],
                           application=application, expected_version=application.version,
                           submitted_on=TODAY + datetime.timedelta(days=1),
                           submitted_how="online", helped_by="coordinator")
    assert errors["submitted_on"] == ["This date is in the future."]


def test_a_denial_needs_its_reason_and_an_appeal_can_reverse_it(network):
    nurse = network["nurse.nc"]
    application = submitted(network, start(network, program="ssi-child"))
    errors = refused_field(services.record_decision, user=nurse, application=application,
                           expected_version=application.version, decision="denied",
                           decision_on=days_ago(20))
    assert "reason" in errors["denial_reason"][0]
    application = services.record_decision(
        user=nurse, application=application, expected_version=application.version,
        decision="denied", decision_on=days_ago(20),
        denial_reason="Condition not severe enough under the childhood standard")
    assert application.appeal_deadline == days_ago(20) + datetime.timedelta(days=60)
    errors = refused_field(services.record_appeal_outcome, user=nurse,
                           application=application, expected_version=application.version,
                           appeal_outcome="reversed", appeal_decided_on=TODAY)
    assert list(errors) == ["appeal_filed_on"]
    application = services.file_appeal(user=nurse, application=application,
                                       expected_version=application.version,
                                       appeal_filed_on=days_ago(10),
                                       hearing_on=TODAY + datetime.timedelta(days=20))
    errors = refused_field(services.record_appeal_outcome, user=nurse,
                           application=application, expected_version=application.version,
                           appeal_outcome="reversed", appeal_decided_on=TODAY)
    assert list(errors) == ["benefit_starts_on"]
    application = services.record_appeal_outcome(
        user=nurse, application=application, expected_version=application.version,
        appeal_outcome="reversed", appeal_decided_on=TODAY, hearing_on=days_ago(1),
        benefit_starts_on=TODAY)
    assert application.is_approved and application.step == "appealed"
    # A child's SSI is decided again under the adult rules at 18.
    born = network.child_nc.date_of_birth
    assert application.renewal_due_on == born.replace(year=born.year + 18)


def test_not_eligible_is_closed_rather_than_submitted(network):
    application = start(network, finding="not_eligible")
    errors = refused_field(services.record_submission, user=network["nurse.nc"],
                           application=application, expected_version=application.version,
                           submitted_on=TODAY, submitted_how="online", helped_by="coordinator")
    assert list(errors) == ["eligibility_finding"]
    application = services.close_application(
        user=network["nurse.nc"], application=application,
        expected_version=application.version, closed_on=TODAY, closed_reason="not_eligible")
    assert application.step == "closed"


def test_one_open_application_per_program(network):
    start(network, program="husky-b")
    with pytest.raises(ValidationError) as refused:
        start(network, program="husky-b")
    assert "already open" in refused.value.message_dict["program"][0]
    start(network, program="ssi-child")  # another program is fine


def test_a_second_coordinator_working_from_an_old_page_is_refused(network):
    application = start(network)
    stale_version = application.version
    submitted(network, application, user=network["social.nc"])
    with pytest.raises(EditConflict):
        services.record_submission(
            user=network["nurse.nc"], application=application, expected_version=stale_version,
            submitted_on=TODAY, submitted_how="paper", helped_by="family")


def test_only_editors_of_the_child_center_record_steps(network):
    for username in ("provider.nc", "admin.nc", "nurse.ea"):
        with pytest.raises(PermissionDenied):
            start(network, user=network[username])
    application = start(network)
    with pytest.raises(PermissionDenied):
        submitted(network, application, user=network["ta.hub"])


def test_the_linked_need_is_a_financial_need_of_this_child(network):
    financial = need(network.child_nc)
    assert start(network, need=financial).need == financial
    with pytest.raises(ValidationError) as refused:
        start(network, program="ssi-child", need=need(network.child_nc, domain="housing"))
    assert "financial" in refused.value.message_dict["need"][0]
    with pytest.raises(ValidationError):
        start(network, program="husky-b", need=need(network.child_ea))


def test_every_step_is_in_the_audit_log_of_the_child(network):
    application = submitted(network, start(network))
    writes = list(AuditEvent.objects.filter(object_type="coverage.coverageapplication")
                  .order_by("pk").values_list("action", "child_id", "center_id", "detail"))
    assert [w[:3] for w in writes] == [("create", network.child_nc.pk, network.hub.pk),
                                       ("update", network.child_nc.pk, network.hub.pk)]
    assert {"step", "submitted_on", "version"} <= set(writes[1][3]["fields"])
    services.request_documents(user=network["nurse.nc"], application=application,
                               expected_version=application.version, requested_on=TODAY,
                               documents="Medical records", due_on=TODAY)
    assert AuditEvent.objects.get(object_type="coverage.documentrequest").child_id == (
        network.child_nc.pk)
    assert CoverageApplication.objects.get().version == 3
