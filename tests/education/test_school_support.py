"""A coordinator supports a family through an IEP: the written request, the PPT meetings, the
plan the school agreed, and a referral for educational advocacy with the family's consent."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carecoord.audit.models import AuditEvent
from carecoord.contacts.jobs import create_due_tasks
from carecoord.contacts.models import Task
from carecoord.education.models import SchoolMeeting, SchoolSupport
from carecoord.families.models import Consent

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def nurse(network, login):
    login(network.users["nurse.nc"])
    return network.users["nurse.nc"]


def open_support(client, child, **extra):
    response = client.post(reverse("school-support-new", args=[child.pk]), {
        "school": "Fox Middle School", "district": "Hartford Public Schools",
        "plan_kind": "iep", "requested_on": (TODAY() - 30 * DAY).isoformat(), **extra})
    return response, SchoolSupport.objects.filter(child=child).first()


def test_the_whole_iep_path(network, nurse, client):
    child = network.child_nc
    assert reverse("school-supports", args=[child.pk]) in client.get(
        reverse("child-detail", args=[child.pk])).content.decode()
    response, support = open_support(client, child)
    assert response.status_code == 302 and support.stage == "requested"

    meeting_url = reverse("school-meeting-new", args=[child.pk, support.pk])
    client.post(meeting_url, {f"meeting-{support.pk}-kind": "iep_ppt",
                              f"meeting-{support.pk}-meets_on": (TODAY() - 2 * DAY).isoformat()})
    meeting = support.meetings.get()
    edit = reverse("school-support-edit", args=[child.pk, support.pk])
    fields = {"school": "Fox Middle School", "plan_kind": "iep", "stage": "in_place",
              "plan_started_on": TODAY().isoformat(),
              "services": "Speech therapy twice a week", "version": "1"}
    refused = client.post(edit, fields)
    assert refused.status_code == 400
    assert "record the meeting and its outcome first" in refused.content.decode()

    record = reverse("school-meeting-record", args=[child.pk, support.pk, meeting.pk])
    prefix = f"record-{meeting.pk}"
    held = {f"{prefix}-status": "held", f"{prefix}-meets_on": meeting.meets_on.isoformat(),
            f"{prefix}-family_attended": "on", f"{prefix}-coordinator_attended": "on"}
    no_outcome = client.post(record, held)
    assert no_outcome.status_code == 400
    assert "Write down what was decided" in no_outcome.content.decode()
    assert client.post(record, {**held, f"{prefix}-outcome": "Eligible: speech and language "
                                                             "impairment"}).status_code == 302
    support.refresh_from_db()
    assert support.annual_review_due_on == meeting.meets_on.replace(
        year=meeting.meets_on.year + 1)
    assert client.post(edit, {**fields, "version": str(support.version)}).status_code == 302
    page = client.get(reverse("school-supports", args=[child.pk])).content.decode()
    assert 'data-stage="in_place"' in page and "Speech therapy twice a week" in page
    assert "Eligible: speech and language impairment" in page
    assert AuditEvent.objects.filter(object_type="education.schoolmeeting", child_id=child.pk,
                                     action="update").exists()
    assert AuditEvent.objects.filter(object_type="education.schoolsupport", action="list",
                                     child_id=child.pk).exists()


def test_advocacy_referral_needs_the_familys_consent_to_share_with_that_organization(
        network, nurse, client):
    child = network.child_nc
    _, support = open_support(client, child)
    url = reverse("school-advocacy", args=[child.pk, support.pk])
    data = {f"advocacy-{support.pk}-organization": "Center for Children's Advocacy",
            f"advocacy-{support.pk}-reason": "The school refuses to evaluate",
            f"advocacy-{support.pk}-referred_on": TODAY().isoformat()}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert ("Record the family&#x27;s consent to share education information with Center for "
            "Children&#x27;s Advocacy first.") in refused.content.decode()
    Consent.objects.create(child=child, shared_with_other="Center for Children's Advocacy",
                           scope=Consent.Scope.EDUCATION, given_on=TODAY() - DAY,
                           expires_on=TODAY() + 365 * DAY)
    assert client.post(url, data).status_code == 302
    support.refresh_from_db()
    assert support.advocacy_organization == "Center for Children's Advocacy"


def test_meetings_and_reviews_make_reminders(network, nurse, client):
    child = network.child_nc
    _, support = open_support(client, child)
    SchoolMeeting.objects.create(support=support, kind="referral_ppt", meets_on=TODAY() + 5 * DAY,
                                 recorded_by=nurse)
    SchoolMeeting.objects.create(support=support, kind="eligibility_ppt",
                                 meets_on=TODAY() + 20 * DAY, recorded_by=nurse)
    create_due_tasks()
    titles = list(Task.objects.filter(child=child, kind="school").values_list("title",
                                                                              flat=True))
    assert titles == [f"Prepare the family for the PPT: referral (plan the evaluation) on "
                      f"{TODAY() + 5 * DAY:%b %-d}"]


def test_a_meeting_before_the_request_and_a_held_meeting_in_the_future_are_refused(
        network, nurse, client):
    child = network.child_nc
    _, support = open_support(client, child)
    early = client.post(reverse("school-meeting-new", args=[child.pk, support.pk]), {
        f"meeting-{support.pk}-kind": "referral_ppt",
        f"meeting-{support.pk}-meets_on": (TODAY() - 60 * DAY).isoformat()})
    assert early.status_code == 400
    assert "before the evaluation was requested" in early.content.decode()
    meeting = SchoolMeeting.objects.create(support=support, kind="referral_ppt",
                                           meets_on=TODAY() + 3 * DAY, recorded_by=nurse)
    prefix = f"record-{meeting.pk}"
    future = client.post(reverse("school-meeting-record", args=[child.pk, support.pk,
                                                               meeting.pk]),
                         {f"{prefix}-status": "held", f"{prefix}-outcome": "Agreed to test",
                          f"{prefix}-meets_on": meeting.meets_on.isoformat()})
    assert future.status_code == 400 and "The date is in the future." in future.content.decode()


def test_providers_do_not_see_school_records(network, client, login):
    login(network.users["provider.nc"])
    assert client.get(reverse("school-supports", args=[network.child_nc.pk])).status_code == 404
    assert "School (IEP/504)" not in client.get(
        reverse("child-detail", args=[network.child_nc.pk])).content.decode()
