"""Consent to share decides what a provider sees: recorded and revoked by the coordinator."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_recorded_consent_opens_the_record_to_the_practice_and_revoking_closes_it(
        network, login, client):
    child = factories.child(network.hub, first="Mia", last="Nguyen",
                            pcp_practice=network.practice_nc)
    record_url = reverse("child-detail", args=[child.pk])
    provider = type(client)()
    provider.force_login(network["provider.nc"])
    assert provider.get(record_url).status_code == 404  # no consent yet

    nurse = login(network["nurse.nc"])
    response = nurse.post(reverse("consent-new", args=[child.pk]), {
        "given_by": child.household.guardians.get().pk,
        "shared_with_practice": network.practice_nc.pk, "scope": "care_plan",
        "given_on": TODAY.isoformat(),
        "expires_on": (TODAY + datetime.timedelta(days=365)).isoformat()})
    assert response.status_code == 302
    assert provider.get(record_url).status_code == 200

    consent = child.consents.get()
    nurse.post(reverse("consent-revoke", args=[child.pk, consent.pk]))
    consent.refresh_from_db()
    assert consent.revoked_on == TODAY
    assert provider.get(record_url).status_code == 404


@pytest.mark.parametrize("changes, message", [
    ({"expires_on": (TODAY - datetime.timedelta(days=1)).isoformat()},
     "expires after it is given"),
    ({"shared_with_practice": "", "shared_with_other": ""}, "one recipient"),
])
def test_consent_errors_are_explained(network, login, changes, message):
    nurse = login(network["nurse.nc"])
    data = {"shared_with_practice": network.practice_nc.pk, "scope": "care_plan",
            "given_on": TODAY.isoformat(),
            "expires_on": (TODAY + datetime.timedelta(days=30)).isoformat(), **changes}
    response = nurse.post(reverse("consent-new", args=[network.child_nc.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_guardian_of_another_household_cannot_give_consent(network, login):
    other = factories.child(network.hub, first="Eli", last="Stone")
    nurse = login(network["nurse.nc"])
    response = nurse.post(reverse("consent-new", args=[network.child_nc.pk]), {
        "given_by": other.household.guardians.get().pk, "scope": "care_plan",
        "shared_with_other": "Burr Elementary School", "given_on": TODAY.isoformat(),
        "expires_on": (TODAY + datetime.timedelta(days=30)).isoformat()})
    assert response.status_code == 400
    assert network.child_nc.consents.count() == 1
