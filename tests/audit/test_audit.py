"""The audit log answers "who saw or changed this child's record, when, from where" and cannot
be rewritten."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from carecoord.audit.models import AppendOnly, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("pk"))


def test_every_view_of_a_child_writes_exactly_one_row(network, login):
    client = login(network["nurse.nc"])
    url = reverse("child-detail", args=[network.child_nc.pk])
    for expected in (1, 2, 3):
        client.get(url, REMOTE_ADDR="10.1.2.3")
        views = events(action="view", object_type="families.child")
        assert len(views) == expected
    view = views[-1]
    assert (view.actor_username, view.child_id, view.center_id, view.ip_address, view.path) == (
        "nurse.nc", network.child_nc.pk, network.hub.pk, "10.1.2.3", url)


def test_a_refused_view_writes_no_view_row(network, login):
    client = login(network["nurse.ea"])
    client.get(reverse("child-detail", args=[network.child_nc.pk]))
    assert events(action="view") == []


def test_lists_record_which_children_were_shown(network, login):
    client = login(network["supervisor.nc"])
    client.get(reverse("caseload") + "?scope=center&q=Riv")
    listed = events(action="list", object_type="families.child")[-1]
    assert listed.detail["ids"] == [network.child_nc.pk]
    assert listed.detail["filters"]["q"] == "Riv"


def test_create_update_delete_are_recorded_with_who_and_which_fields(network, client):
    from carecoord.audit.context import Actor, acting_as
    child = network.child_nc
    with acting_as(Actor(user_id=network["nurse.nc"].pk, username="nurse.nc",
                         ip_address="192.0.2.9")):
        child.school_name = "Burr Elementary School"
        child.grade = "3"
        child.save()
        diagnosis = child.diagnoses.create(code="G40909", recorded_on=child.date_of_birth)
        diagnosis.delete()
    update = events(action="update", object_type="families.child")[-1]
    assert update.detail["fields"] == ["grade", "school_name"]
    assert (update.actor_username, update.ip_address, update.child_id) == (
        "nurse.nc", "192.0.2.9", child.pk)
    assert [e.action for e in events(object_type="families.diagnosis")] == ["create", "delete"]
    assert all(e.child_id == child.pk for e in events(object_type="families.diagnosis"))


def test_writes_through_a_page_are_attributed_to_the_signed_in_user(network, login):
    client = login(network["supervisor.nc"])
    enrollment = network.child_nc.enrollments.get()
    response = client.post(reverse("child-reassign", args=[network.child_nc.pk]), {
        "coordinator": network["social.nc"].pk, "start_date": enrollment.start_date.isoformat(),
        "reason": "Behavioral health needs lead now"}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302
    created = events(action="create", object_type="families.coordinatorassignment")[-1]
    assert (created.actor_username, created.ip_address) == ("supervisor.nc", "10.9.9.9")


def test_login_logout_and_failed_login_are_recorded(network, client):
    client.post("/accounts/login/", {"username": "nurse.nc", "password": "wrong"},
                REMOTE_ADDR="10.0.0.7")
    client.post("/accounts/login/", {"username": "nurse.nc", "password": PASSWORD},
                REMOTE_ADDR="10.0.0.7")
    client.post("/accounts/logout/", REMOTE_ADDR="10.0.0.7")
    rows = [(e.action, e.actor_username, e.ip_address)
            for e in events(action__in=["login", "logout", "login_failed"])]
    assert rows == [("login_failed", "nurse.nc", "10.0.0.7"), ("login", "nurse.nc", "10.0.0.7"),
                    ("logout", "nurse.nc", "10.0.0.7")]
    assert "wrong" not in str(AuditEvent.objects.values_list("detail", flat=True))


def test_the_log_cannot_be_edited_or_deleted(network):
    event = AuditEvent.objects.first()
    event.actor_username = "someone else"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.update(actor_username="x")
    # Even a raw UPDATE that bypasses the application is refused by the database.
    from django.db import connection
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_username = 'x'")


def test_the_admin_shows_the_log_read_only(network, client):
    from carecoord.accounts.models import User
    User.objects.create_superuser("root", password=PASSWORD)
    client.login(username="root", password=PASSWORD)
    event = AuditEvent.objects.first()
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"actor_username": "x"})
    event.refresh_from_db()
    assert event.actor_username != "x"


def test_center_admin_filters_the_log_of_their_center(network, login):
    login(network["nurse.ea"]).get(reverse("child-detail", args=[network.child_ea.pk]))
    login(network["nurse.nc"]).get(reverse("child-detail", args=[network.child_nc.pk]))
    client = login(network["admin.nc"])
    page = client.get(reverse("audit-log") + "?action=view").content.decode()
    assert "nurse.nc" in page and "nurse.ea" not in page
    page = client.get(reverse("audit-log") + f"?child_id={network.child_nc.pk}&actor=nurse"
                      ).content.decode()
    assert "Viewed a record" in page


def test_an_export_is_recorded_with_its_size_and_filters(network, login):
    client = login(network["supervisor.nc"])
    response = client.get(reverse("caseload-export") + "?scope=center&status=enrolled")
    rows = response.content.decode().strip().splitlines()
    assert rows[0].startswith("record,last_name") and "Rivera" in rows[1] and len(rows) == 2
    export = events(action="export")[-1]
    assert export.detail["count"] == 1 and export.detail["filters"]["status"] == "enrolled"
    assert export.actor_username == "supervisor.nc"
