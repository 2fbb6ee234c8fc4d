"""Matching a family with a support parent; contact details pass only with both consents."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carecoord.families.models import Consent, Diagnosis
from carecoord.peersupport.models import PeerMatch, SupportParent
from tests.factories import child as make_child

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def peer_consent(child):
    return Consent.objects.create(child=child, shared_with_other="A peer support family",
                                  scope=Consent.Scope.PEER_SUPPORT, given_on=TODAY() - DAY,
                                  expires_on=TODAY() + 365 * DAY)


@pytest.fixture
def families(network, client, login):
    """The Rivera family (Down syndrome) asks for support; the Ortiz family volunteers."""
    seeking = network.child_nc
    Diagnosis.objects.create(child=seeking, code="Q909", recorded_on=TODAY())
    veteran = make_child(network.hub, first="Mateo", last="Ortiz", town_name="New Britain")
    Diagnosis.objects.create(child=veteran, code="Q900", recorded_on=TODAY())
    login(network.users["nurse.nc"])
    guardian = veteran.household.guardians.get()
    response = client.post(reverse("peer-support-volunteer", args=[veteran.pk]), {
        "guardian": guardian.pk, "experience": "My son Mateo has Down syndrome; he is 15 now.",
        "diagnosis_codes": "Q90", "max_matches": "2"})
    assert response.status_code == 302
    return seeking, veteran, SupportParent.objects.get(guardian=guardian)


def test_a_support_parent_is_suggested_with_reasons_and_proposed(network, families, client):
    seeking, _, supporter = families
    page = client.get(reverse("peer-support", args=[seeking.pk])).content.decode()
    assert "Maria Ortiz" in page and "same condition category (Q90)" in page
    response = client.post(reverse("peer-support-propose", args=[seeking.pk]), {
        "supporter": supporter.pk, "reason": "Talk to a mother who has been through the IEP"})
    assert response.status_code == 302
    match = PeerMatch.objects.get(child=seeking)
    assert match.status == "proposed"
    # Proposed, not introduced: the support parent's phone is not on the page yet.
    page = client.get(reverse("peer-support", args=[seeking.pk])).content.decode()
    assert "860-555-0142" not in page.split('id="matches"')[1].split('id="suggested"')[0]


def test_introduction_needs_both_families_consent(network, families, client):
    seeking, veteran, supporter = families
    client.post(reverse("peer-support-propose", args=[seeking.pk]), {
        "supporter": supporter.pk, "reason": "Someone who knows the waiver"})
    match = PeerMatch.objects.get(child=seeking)
    url = reverse("peer-support-introduce", args=[seeking.pk, match.pk])
    data = {f"introduce-{match.pk}-introduced_on": TODAY().isoformat()}
    refused = client.post(url, data)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Sofia Rivera&#x27;s family and of the support parent Maria Ortiz" in text
    peer_consent(seeking)
    refused = client.post(url, data)
    assert "of the support parent Maria Ortiz before" in refused.content.decode()
    assert "Rivera&#x27;s family" not in refused.content.decode()
    peer_consent(veteran)
    assert client.post(url, data).status_code == 302
    match.refresh_from_db()
    assert (match.status, match.introduced_on) == ("introduced", TODAY())


def test_a_full_support_parent_is_refused_and_closing_needs_an_outcome(
        network, families, client):
    seeking, _, supporter = families
    supporter.max_matches = 1
    supporter.save()
    other = make_child(network.hub, first="Ana", last="Soto")
    PeerMatch.objects.create(child=other, supporter=supporter, reason="x", proposed_on=TODAY(),
                             proposed_by=network.users["nurse.nc"])
    page = client.get(reverse("peer-support", args=[seeking.pk])).content.decode()
    assert "No support parent of the center has room now." in page
    refused = client.post(reverse("peer-support-propose", args=[seeking.pk]), {
        "supporter": supporter.pk, "reason": "Talk"})
    assert refused.status_code == 400
    match = PeerMatch.objects.get(child=other)
    close = client.post(reverse("peer-support-status", args=[other.pk, match.pk]), {
        f"status-{match.pk}-status": "declined"})
    assert "Say how it ended" in close.content.decode()


def test_staff_of_another_center_and_providers_cannot_reach_it(network, families, client,
                                                               login):
    seeking, *_ = families
    for username in ("nurse.ea", "provider.nc"):
        login(network.users[username])
        assert client.get(reverse("peer-support", args=[seeking.pk])).status_code == 404
