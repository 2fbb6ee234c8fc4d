"""The coverage reminders: documents to send and renewals coming, as tasks for the coordinator."""

import datetime

import pytest

from carecoord.contacts.models import Task
from carecoord.coverage import jobs, services
from carecoord.coverage import reminders as r

from .helpers import TODAY, days_ago, start, submitted

DAY = datetime.date(2026, 11, 25)


def test_documents_are_reminded_a_week_before_they_are_due():
    rows = [r.DocumentRequestRow(1, 10, 5, "HUSKY A", "Proof of income", DAY,
                                 DAY + datetime.timedelta(days=30)),
            r.DocumentRequestRow(2, 11, 5, "SSI for a child", "School records " * 20, DAY,
                                 DAY + datetime.timedelta(days=3))]
    due = r.documents_due(rows, DAY)
    assert [(x.child_id, x.due_on) for x in due] == [
        (10, DAY + datetime.timedelta(days=23)), (11, DAY)]  # never before the request
    assert due[0].title == "HUSKY A: help the family send Proof of income by Dec 25, 2026"
    assert due[0].rule_key == "coverage_documents:1:2026-12-25"
    assert len(due[1].title) <= 200


def test_renewals_are_reminded_sixty_days_ahead_and_while_recently_lapsed():
    def row(pk, days, at_age=None):
        return r.RenewalRow(pk, 10, 5, "HUSKY B", DAY + datetime.timedelta(days=days), at_age)

    due = r.renewals_due([row(1, 60), row(2, 61), row(3, -90), row(4, -91),
                          row(5, 30, at_age=18)], DAY)
    assert [x.rule_key.split(":")[1] for x in due] == ["1", "3", "5"]
    assert due[0].due_on == DAY and due[0].title.startswith("HUSKY B renewal due Jan 24, 2027")
    assert "redetermination at 18" in due[2].title


@pytest.mark.django_db
def test_the_job_rows_make_valid_tasks_for_the_current_coordinator(network):
    nurse = network["nurse.nc"]
    application = submitted(network, start(network))
    services.request_documents(user=nurse, application=application,
                               expected_version=application.version, requested_on=days_ago(2),
                               documents="Birth certificate", due_on=TODAY)
    renewing = submitted(network, start(network, program="husky-b"))
    services.record_decision(user=nurse, application=renewing,
                             expected_version=renewing.version, decision="approved",
                             decision_on=days_ago(20), benefit_starts_on=days_ago(20),
                             renewal_due_on=TODAY + datetime.timedelta(days=45))
    later = submitted(network, start(network, program="husky-renewal"))
    services.record_decision(user=nurse, application=later, expected_version=later.version,
                             decision="approved", decision_on=days_ago(20),
                             benefit_starts_on=days_ago(20))  # due in 12 months: not yet
    coordinators = {network.child_nc.pk: nurse.pk}
    due = jobs.due_reminders(TODAY, coordinators)
    assert sorted(x.rule_key.split(":")[0] for x in due) == ["coverage_documents",
                                                             "coverage_renewal"]
    # Saved the way the daily job saves reminders: each is a valid task on the nurse's day.
    for reminder in due:
        task = Task(child_id=reminder.child_id, assigned_to_id=reminder.assignee_id,
                    kind=reminder.kind, title=reminder.title, due_on=reminder.due_on,
                    rule_key=reminder.rule_key)
        task.full_clean()
    # A child without a current coordinator (not enrolled) gets none; a sent request none.
    assert jobs.due_reminders(TODAY, {}) == []
    application.refresh_from_db()
    services.record_documents_sent(user=nurse, application=application,
                                   expected_version=application.version,
                                   request=application.document_requests.get(), sent_on=TODAY)
    assert [x.rule_key.split(":")[0] for x in jobs.due_reminders(TODAY, coordinators)] == [
        "coverage_renewal"]
