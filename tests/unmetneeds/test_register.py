"""Recording a need nobody could meet: the register row with its place and domain as they were,
and the care plan need closed as unmet, only once the referrals' loop is closed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carecoord.accounts.models import Town
from carecoord.unmetneeds import services
from carecoord.unmetneeds.models import UnmetNeed
from tests.servicereferrals.helpers import TODAY, days_ago, need, referred, step

pytestmark = pytest.mark.django_db


def record(network, need_, *, child=None, user=None, **fields):
    return services.record_unmet_need(
        user=user or network["nurse.nc"], child=child or network.child_nc, need=need_,
        **{"reason": "outside_control", "details": "No affordable accessible unit in Hartford",
           "recorded_on": days_ago(1), **fields})


def test_recording_closes_the_need_as_unmet_and_keeps_the_place_as_it_was(network):
    failed = step(network, referred(network, domain="housing"), "failed",
                  reason="no_capacity", closed_on=days_ago(5), details="Waitlist closed")
    entry = record(network, failed.need, referrals_tried=[failed])
    assert (entry.town.name, entry.region.name, entry.domain.code, entry.center) == (
        "Hartford", "North Central", "housing", network.hub)
    assert list(entry.referrals.all()) == [failed]
    failed.need.refresh_from_db()
    assert (failed.need.status, failed.need.closed_on, failed.need.outcome) == (
        "unmet", days_ago(1),
        "Outside the center's control (supply, e.g. housing): No affordable accessible unit "
        "in Hartford")
    # The family moves: the register still counts the need where it was recorded.
    household = network.child_nc.household
    household.town = Town.objects.get(name="Norwich")
    household.save()
    entry.refresh_from_db()
    assert entry.town.name == "Hartford" and entry.region.name == "North Central"


def test_a_need_without_any_referral_may_be_recorded(network):
    respite = need(network.child_nc, "respite")
    entry = record(network, respite, reason="no_provider", details="No respite provider")
    assert entry.referrals.count() == 0
    respite.refresh_from_db()
    assert respite.status == "unmet"


def test_not_while_a_referral_is_open_nor_for_a_closed_need(network):
    referral = referred(network, domain="housing")
    with pytest.raises(ValidationError) as refused:
        record(network, referral.need)
    assert refused.value.messages == [
        f"The referral to {referral.service_name} is still open (sent): record how it ended "
        "first."]
    referral.need.refresh_from_db()
    assert referral.need.status == "in_progress" and not UnmetNeed.objects.exists()
    step(network, referral, "acknowledged", acknowledged_on=days_ago(10))
    step(network, referral, "scheduled", scheduled_on=days_ago(8))
    step(network, referral, "received", received_on=days_ago(2), outcome="Housed")
    with pytest.raises(ValidationError) as refused:
        record(network, referral.need)
    assert "This need is closed (met)" in refused.value.message_dict["need"][0]


def test_only_failed_referrals_of_the_need_are_linked(network):
    failed = step(network, referred(network), "failed", reason="ineligible",
                  closed_on=days_ago(4))
    other = step(network, referred(network), "failed", reason="declined", closed_on=days_ago(4))
    with pytest.raises(ValidationError) as refused:
        record(network, failed.need, referrals_tried=[failed, other])
    assert "referrals" in refused.value.message_dict


def test_details_and_dates_are_checked_and_only_editors_record(network):
    food = need(network.child_nc)
    with pytest.raises(ValidationError) as refused:
        record(network, food, details="  ")
    assert "details" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(network, food, recorded_on=TODAY.replace(year=TODAY.year + 1))
    assert "recorded_on" in refused.value.message_dict
    for username in ("admin.nc", "ta.hub", "provider.nc", "nurse.ea"):
        with pytest.raises(PermissionDenied):
            record(network, food, user=network[username])


def test_the_page_suggests_the_reason_from_the_failed_referral(network, login):
    failed = step(network, referred(network, domain="child_care"), "failed",
                  reason="no_capacity", closed_on=days_ago(2), details="Full until fall")
    client = login(network["nurse.nc"])
    url = reverse("unmet-need-new", args=[network.child_nc.pk, failed.need_id])
    page = client.get(f"{url}?referral={failed.pk}").content.decode()
    assert '<option value="waitlist" selected>' in page and "Full until fall" in page
    assert f'value="{failed.pk}"' in page and "checked" in page
    response = client.post(url, {"reason": "waitlist", "details": "Full until fall",
                                 "recorded_on": TODAY.isoformat(),
                                 "referrals_tried": [failed.pk]})
    assert response.status_code == 302
    assert response.url == reverse("care-plan", args=[network.child_nc.pk]) + (
        f"#need-{failed.need_id}")
    entry = UnmetNeed.objects.get()
    assert entry.reason == "waitlist" and list(entry.referrals.all()) == [failed]
    plan = client.get(response.url).content.decode()
    assert "Could not be met: Waitlist: no opening: Full until fall" in plan


def test_the_page_says_when_a_referral_is_still_open(network, login):
    referral = referred(network)
    url = reverse("unmet-need-new", args=[network.child_nc.pk, referral.need_id])
    client = login(network["nurse.nc"])
    page = client.get(url).content.decode()
    assert "A referral for this need is still open" in page
    assert "Record in the unmet-needs register</button>" not in page
    response = client.post(url, {"reason": "cost", "details": "x",
                                 "recorded_on": TODAY.isoformat()})
    assert response.status_code == 400 and not UnmetNeed.objects.exists()
