"""Tasks from the rules and by hand, the daily job on a real queue, and "My day"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carecoord.contacts import jobs, services
from carecoord.contacts.models import Contact, Task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_job_makes_each_reminder_once(network):
    plan = network.child_nc.care_plans.get()
    plan.review_due_on = TODAY + datetime.timedelta(days=3)
    plan.save()
    made = jobs.create_due_tasks(TODAY)
    assert made["plan_review"] == 1 and made["no_recent_contact"] == 2  # both children
    assert sum(jobs.create_due_tasks(TODAY).values()) == 0  # nothing twice
    task = Task.objects.get(kind="plan_review")
    assert task.assigned_to == network["nurse.nc"] and task.child == network.child_nc
    # Closing it does not bring it back; a new review date does.
    services.close_task(user=network["nurse.nc"], task=task, status="done")
    assert jobs.create_due_tasks(TODAY)["plan_review"] == 0
    plan.review_due_on = TODAY + datetime.timedelta(days=10)
    plan.save()
    assert jobs.create_due_tasks(TODAY)["plan_review"] == 1


def test_a_reached_contact_clears_the_lapse(network):
    Contact.objects.create(child=network.child_nc, staff=network["nurse.nc"], channel="phone",
                           reached=True, occurred_at=timezone.now())
    made = jobs.create_due_tasks(TODAY)
    assert made["no_recent_contact"] == 1
    assert Task.objects.get(kind="no_recent_contact").child == network.child_ea


def test_a_discharged_child_gets_no_reminders(network):
    enrollment = network.child_ea.enrollments.get()
    enrollment.discharge_date, enrollment.discharge_reason = TODAY, "goals_met"
    enrollment.save()
    jobs.create_due_tasks(TODAY)
    assert not Task.objects.filter(child=network.child_ea).exists()


@pytest.mark.django_db(transaction=True)  # a worker runs outside any test transaction
@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_the_daily_job_runs_through_the_queue(network, tmp_path, backend):
    """Enqueue the job on a real queue (SQLite file, or the local Redis) and run it as the
    worker does (the task wrapper closes stale database connections first): the tasks
    appear."""
    from huey import RedisHuey, SqliteHuey

    from carecoord.contacts import tasks as jobs_module
    from carecoord.families.models import Diagnosis

    for kid in (network.child_nc, network.child_ea):  # complex chronic: a high tier
        for code in ("Q213", "G40909"):
            Diagnosis.objects.create(child=kid, code=code, recorded_on=TODAY)
    queue = (SqliteHuey("carecoord-test", filename=str(tmp_path / "jobs.sqlite3"))
             if backend == "sqlite" else
             RedisHuey(f"carecoord-test-{tmp_path.name}", url="redis://127.0.0.1:6379/15"))
    try:
        task = queue.task()(jobs_module.reminders_now.func)
        task()
        assert queue.pending_count() == 1
        message = queue.dequeue()
        result = queue.execute(message)
        assert result["no_recent_contact"] == 2
        assert Task.objects.filter(kind="no_recent_contact").count() == 2
    finally:
        queue.flush()


def test_follow_up_after_a_contact_lands_on_my_day(network, login):
    client = login(network["nurse.nc"])
    response = client.post(reverse("contact-new", args=[network.child_nc.pk]), {
        "channel": "phone", "direction": "outbound",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "reached": "True",
        "follow_up_on": TODAY.isoformat(), "follow_up": "Call back with the WIC appointment"})
    assert response.status_code == 302
    page = client.get(reverse("my-day")).content.decode()
    assert "Call back with the WIC appointment" in page and "Rivera, Sofia" in page
    assert "860-555-0142" in page  # how to reach them, on the same screen


def test_my_day_orders_overdue_first_and_shows_only_my_tasks(network, login):
    nurse = network["nurse.nc"]
    services.add_task(user=nurse, child=network.child_nc, title="Send letter",
                      due_on=TODAY + datetime.timedelta(days=2))
    overdue = services.add_task(user=nurse, child=network.child_nc, title="Call PCP",
                                due_on=TODAY)
    Task.objects.filter(pk=overdue.pk).update(due_on=TODAY - datetime.timedelta(days=3))
    services.add_task(user=network["social.nc"], child=network.child_nc,
                      title="Not mine", due_on=TODAY)
    services.add_task(user=nurse, child=network.child_nc, title="Far away",
                      due_on=TODAY + datetime.timedelta(days=30))
    response = login(nurse).get(reverse("my-day"))
    day = response.context["day"]
    assert [t.title for t in day["overdue"]["tasks"]] == ["Call PCP"]
    assert [t.title for t in day["coming"]["tasks"]] == ["Send letter"]
    assert "Not mine" not in response.content.decode()


def test_my_day_puts_the_highest_tier_first_then_the_due_date(network, login):
    from carecoord.acuity.models import CurrentAcuity, Stratification
    from tests.factories import child as make_child
    from tests.factories import enrolled

    nurse = network["nurse.nc"]
    other = make_child(network.hub, first="Ana", last="Lopez")
    enrolled(other, nurse)
    for kid, tier in ((network.child_nc, 1), (other, 4)):
        result = Stratification.objects.create(
            child=kid, as_of=TODAY, trigger="manual", pmca_less="non_chronic",
            pmca_more="non_chronic", medical_complexity="non_chronic", social_complexity="low",
            tier=tier, tier_label=f"Tier {tier}", discipline="nurse", discipline_reason="")
        CurrentAcuity.objects.create(child=kid, stratification=result, tier=tier,
                                     discipline="nurse")
    services.add_task(user=nurse, child=network.child_nc, title="Early, low tier",
                      due_on=TODAY)
    services.add_task(user=nurse, child=other, title="Same day, tier 4", due_on=TODAY)
    day = login(nurse).get(reverse("my-day")).context["day"]
    assert [t.title for t in day["today"]["tasks"]] == ["Same day, tier 4", "Early, low tier"]


def test_my_day_shows_a_page_of_each_group_and_the_rest_on_demand(network, login):
    from carecoord.contacts.selectors import MY_DAY_PAGE

    nurse = network["nurse.nc"]
    for n in range(MY_DAY_PAGE + 3):
        services.add_task(user=nurse, child=network.child_nc, title=f"Call {n:02d}",
                          due_on=TODAY)
    client = login(nurse)
    page = client.get(reverse("my-day")).content.decode()
    assert f"{MY_DAY_PAGE + 3} due today" in page
    assert page.count('id="task-') == MY_DAY_PAGE and "Show more" in page
    more = client.get(reverse("my-day") + f"?group=today&offset={MY_DAY_PAGE}",
                      HTTP_HX_REQUEST="true").content.decode()
    assert more.count('id="task-') == 3 and "Show more" not in more
    assert f"Call {MY_DAY_PAGE + 2:02d}" in more


def test_marking_an_action_done_answers_its_overdue_reminder(network, login):
    from carecoord.careplans import services as plans
    from carecoord.careplans.models import Action, Goal
    from carecoord.contacts.jobs import create_due_tasks

    plan = network.child_nc.care_plans.get()
    goal = Goal.objects.create(plan=plan, statement="Stable housing", measure="Lease signed",
                               target_date=TODAY + datetime.timedelta(days=90))
    action = Action.objects.create(plan=plan, goal=goal, description="Call the landlord",
                                   owner="coordinator", due_on=TODAY - datetime.timedelta(days=2))
    create_due_tasks()
    reminder = Task.objects.get(child=network.child_nc, kind="action_overdue")
    plan.refresh_from_db()
    plans.update_item(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                      item=action, status="done")
    reminder.refresh_from_db()
    assert reminder.status == "done" and "done on the plan" in reminder.closed_note


def test_closing_a_task_from_my_day(network, login):
    task = services.add_task(user=network["nurse.nc"], child=network.child_nc,
                             title="Call PCP", due_on=TODAY)
    client = login(network["nurse.nc"])
    response = client.post(reverse("task-close", args=[task.pk]), {"status": "done"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    task.refresh_from_db()
    assert task.status == "done" and task.closed_at is not None
    with pytest.raises(Exception, match="Say why"):
        other = services.add_task(user=network["nurse.nc"], child=network.child_nc,
                                  title="x", due_on=TODAY)
        services.close_task(user=network["nurse.nc"], task=other, status="dismissed")


def test_a_task_of_another_center_cannot_be_closed(network, login):
    task = services.add_task(user=network["nurse.ea"], child=network.child_ea, title="x",
                             due_on=TODAY)
    response = login(network["nurse.nc"]).post(reverse("task-close", args=[task.pk]),
                                               {"status": "done"})
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == "open"


def test_a_task_can_only_go_to_someone_at_the_child_center(network):
    with pytest.raises(Exception, match="child's center"):
        services.add_task(user=network["nurse.nc"], child=network.child_nc, title="x",
                          due_on=TODAY, assigned_to=network["nurse.ea"])
