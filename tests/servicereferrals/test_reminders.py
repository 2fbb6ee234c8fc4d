"""A referral that sits without an answer gives the coordinator a task, closed by itself when
the referral moves on."""

import datetime

import pytest

from carecoord.contacts.jobs import create_due_tasks
from carecoord.contacts.models import Task
from carecoord.servicereferrals import jobs
from carecoord.servicereferrals import reminders as r

from .helpers import TODAY, days_ago, referred, step

DAY = datetime.date(2026, 11, 25)


def row(status, since_days, appointment=None):
    return r.ReferralRow(1, 10, 5, "Food pantry", status,
                         DAY - datetime.timedelta(days=since_days), appointment)


def test_the_waits_before_a_follow_up_are_data():
    assert r.WAIT_DAYS == {"sent": 7, "acknowledged": 14, "scheduled": 30}
    due = r.waiting([row("sent", 6), row("sent", 7), row("acknowledged", 13),
                     row("acknowledged", 14), row("scheduled", 29), row("scheduled", 30)], DAY)
    assert [(x.rule_key, x.due_on) for x in due] == [
        ("service_referral:1:sent:2026-11-18", DAY),
        ("service_referral:1:acknowledged:2026-11-11", DAY),
        ("service_referral:1:scheduled:2026-10-26", DAY)]
    assert due[0].title == ("Referral to Food pantry: no acknowledgement since it was sent "
                            "Nov 18: call to check it arrived")
    assert {x.kind for x in due} == {"service_referral"}


def test_a_scheduled_referral_is_followed_up_after_its_appointment():
    on = DAY - datetime.timedelta(days=3)
    due = r.waiting([row("scheduled", 5, appointment=on),
                     row("scheduled", 5, appointment=on + datetime.timedelta(days=1))], DAY)
    assert len(due) == 1 and due[0].due_on == DAY
    assert "appointment on Nov 22, 2026" in due[0].title
    assert r.waiting([row("service_received", 90), row("no_capacity", 90)], DAY) == []


@pytest.mark.django_db
def test_the_task_is_raised_for_the_coordinator_and_closed_when_the_referral_moves_on(network):
    nurse = network["nurse.nc"]
    referral = referred(network, on=days_ago(8))
    assert [x.rule_key for x in jobs.due_reminders(TODAY, {network.child_nc.pk: nurse.pk})] == [
        f"service_referral:{referral.pk}:sent:{days_ago(8).isoformat()}"]
    assert jobs.due_reminders(TODAY, {}) == []  # no current coordinator: no task
    assert create_due_tasks(TODAY)["service_referral"] == 1
    assert create_due_tasks(TODAY)["service_referral"] == 0  # never twice
    task = Task.objects.get(kind="service_referral")
    assert (task.assigned_to, task.child, task.status, task.due_on) == (
        nurse, network.child_nc, "open", days_ago(1))
    task.full_clean()
    step(network, referral, "acknowledged", acknowledged_on=days_ago(2))
    task.refresh_from_db()
    assert task.status == "done" and task.closed_note == ("The referral moved on: "
                                                          "acknowledged.")
    # Acknowledged two days ago: the next follow-up comes after 14 days, not now.
    assert create_due_tasks(TODAY)["service_referral"] == 0
    later = TODAY + datetime.timedelta(days=12)
    assert create_due_tasks(later)["service_referral"] == 1
    step(network, referral, "failed", reason="unable_to_reach", closed_on=TODAY)
    assert not Task.objects.filter(kind="service_referral", status="open").exists()
    assert create_due_tasks(later)["service_referral"] == 0
