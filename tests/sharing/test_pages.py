"""The sharing pages as a coordinator, an administrator, the fax operator and a provider use
them: what each sees, what is refused, what is audited."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from carecoord.audit.models import AuditEvent
from carecoord.contacts import services as contact_services
from carecoord.contacts.models import Contact
from carecoord.families.models import Consent
from carecoord.sharing.models import FaxQueueEntry, PlanShare, ProviderComment
from tests import factories

from .helpers import PRIORITY, TODAY, agreed_plan, recipient

pytestmark = pytest.mark.django_db


def share_url(network):
    return reverse("plan-share", args=[network.child_nc.pk])


@pytest.fixture
def team(network):
    """Sofia's agreed plan; her PCP takes email or fax; a cardiology practice has her consent
    but no route registered; her school's consent expired."""
    version = agreed_plan(network)
    pcp = recipient(network.practice_nc, secure_email="referrals@asylumhill.test",
                    fax_number="860-555-0177")
    cardiology = factories.practice("Hartford", "Hartford Cardiology (synthetic)")
    factories.consent(network.child_nc, cardiology)
    school = recipient(organization="Burns Elementary School", preferred="fax",
                       fax_number="860-555-0100")
    Consent.objects.create(child=network.child_nc, shared_with_other="Burns Elementary School",
                           scope="care_plan", given_on=datetime.date(2025, 3, 1),
                           expires_on=datetime.date(2026, 3, 1))
    return {"version": version, "pcp": pcp, "school": school, "cardiology": cardiology}


def test_the_share_page_offers_who_may_receive_it_and_says_why_the_others_may_not(
        network, team, login):
    page = login(network["nurse.nc"]).get(share_url(network)).content.decode()
    pcp = team["pcp"].pk
    assert f'value="{pcp}:email"' in page and f'value="{pcp}:fax"' in page
    assert "Secure email with the PDF (referrals@asylumhill.test) — preferred" in page
    assert "Send version 1" in page
    blocked = page[page.index('id="blocked"'):]
    assert ("<strong>Burns Elementary School</strong>: No current consent to share with Burns "
            "Elementary School (expired 2026-03-01)") in blocked
    assert ("<strong>Hartford Cardiology (synthetic)</strong>: No route registered for "
            "Hartford Cardiology (synthetic)") in blocked
    assert f'value="{team["school"].pk}:fax"' not in page
    assert "Nothing sent yet." in page


def test_sharing_from_the_page_records_it_in_the_history(network, team, login):
    client = login(network["nurse.nc"])
    pcp = team["pcp"].pk
    response = client.post(share_url(network), {"version": 1,
                                                 "recipients": [f"{pcp}:email", f"{pcp}:fax"]})
    assert response.status_code == 302 and response.url == share_url(network)
    page = client.get(response.url).content.decode()
    assert ("Version 1 shared. Asylum Hill Pediatrics (synthetic) by secure email: sent "
            "(Accepted by the mail server for referrals@asylumhill.test)") in page
    history = page[page.index('id="share-history"'):]
    consent = network.child_nc.consents.get(shared_with_practice=network.practice_nc)
    assert history.count("Asylum Hill Pediatrics (synthetic)") == 2
    assert "Accepted by the mail server for referrals@asylumhill.test" in history
    assert "Waiting in the center&#x27;s fax queue" in history
    assert f"#{consent.pk}, care plan and care coordination notes" in history
    assert "PDF in Spanish" in history and "Nurse NC" in history
    assert PlanShare.objects.count() == 2


def test_a_blocked_or_stale_choice_is_refused_on_the_page(network, team, login):
    client = login(network["nurse.nc"])
    school = team["school"].pk
    response = client.post(share_url(network), {"version": 1, "recipients": [f"{school}:fax"]})
    assert response.status_code == 400 and not PlanShare.objects.exists()
    assert response.content.decode().count("expired 2026-03-01") == 1  # the blocked list
    response = client.post(share_url(network), {"version": 1})
    assert response.status_code == 400
    assert "Choose at least one recipient." in response.content.decode()
    response = client.post(share_url(network), {
        "version": 3, "recipients": [f"{team['pcp'].pk}:email"]})
    assert response.status_code == 400
    assert "Not sent: Version 1 was agreed after you opened this page" in (
        response.content.decode())
    assert not PlanShare.objects.exists()


def test_a_consent_revoked_while_the_page_was_open_is_refused_with_the_reason(
        network, team, login):
    client = login(network["nurse.nc"])
    client.get(share_url(network))
    Consent.objects.filter(child=network.child_nc, shared_with_practice=network.practice_nc
                           ).update(revoked_on=TODAY)
    response = client.post(share_url(network), {
        "version": 1, "recipients": [f"{team['pcp'].pk}:email"]})
    assert response.status_code == 400 and not PlanShare.objects.exists()


def test_who_sees_the_share_page(network, team, login):
    page = login(network["admin.nc"]).get(share_url(network)).content.decode()
    assert "What was sent" in page and "Send version 1" not in page
    assert login(network["admin.nc"]).post(share_url(network), {
        "version": 1, "recipients": [f"{team['pcp'].pk}:email"]}).status_code == 404
    for user in ("provider.nc", "nurse.ea", "titlev.state"):
        assert login(network[user]).get(share_url(network)).status_code == 404


def test_the_care_plan_page_links_to_sharing_with_the_answers_to_read(network, team, login):
    plan_url = reverse("care-plan", args=[network.child_nc.pk])
    page = login(network["nurse.nc"]).get(plan_url).content.decode()
    assert f'<a href="{share_url(network)}">Share with the care team</a>' in page
    assert "to read" not in page
    login(network["provider.nc"]).post(reverse("provider-respond", args=[network.child_nc.pk]),
                                       {"kind": "comment", "version": 1, "text": "Thanks"})
    page = login(network["nurse.nc"]).get(plan_url).content.decode()
    assert "1 provider answer to read" in page
    assert "Share with the care team" not in login(network["provider.nc"]).get(
        plan_url).content.decode()


# ---------------------------------------------------------------- the fax operator


def test_the_fax_operator_downloads_and_marks_a_fax(network, team, login):
    client = login(network["nurse.nc"])
    client.post(share_url(network), {"version": 1, "recipients": [f"{team['pcp'].pk}:fax"]})
    entry = FaxQueueEntry.objects.get()
    client = login(network["admin.nc"])
    page = client.get(reverse("fax-queue")).content.decode()
    assert "Rivera, Sofia" in page and "860-555-0177" in page and "plan-de-cuidado-SR-v1.pdf" in (
        page)
    pdf = client.get(reverse("fax-document", args=[entry.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Plan de cuidado de Sofia Rivera" in text
    assert AuditEvent.objects.filter(action="export", object_type="sharing.faxqueueentry",
                                     child_id=network.child_nc.pk).count() == 1
    refused = client.post(reverse("fax-mark", args=[entry.pk]), {"status": "failed"})
    assert refused.status_code == 400
    assert "Say why the fax could not be sent." in refused.content.decode()
    done = client.post(reverse("fax-mark", args=[entry.pk]),
                       {"status": "sent", "note": "OK, 5 pages"})
    assert done.status_code == 302
    history = login(network["nurse.nc"]).get(share_url(network)).content.decode()
    assert "Faxed by Admin NC: OK, 5 pages" in history
    # Another center's staff neither see nor mark it.
    other = login(network["admin.ea"])
    assert "Rivera" not in other.get(reverse("fax-queue")).content.decode()
    assert other.get(reverse("fax-document", args=[entry.pk])).status_code == 404
    assert other.post(reverse("fax-mark", args=[entry.pk]), {"status": "sent"}).status_code == 404


# ---------------------------------------------------------------- the provider view


def test_the_provider_start_page_lists_only_attributed_consented_children(network, team, login):
    unconsented = factories.child(network.hub, first="Mateo", last="Alvarez",
                                  pcp_practice=network.practice_nc)
    login(network["nurse.nc"]).post(share_url(network), {
        "version": 1, "recipients": [f"{team['pcp'].pk}:email"]})
    client = login(network["provider.nc"])
    page = client.get(reverse("shared-plans")).content.decode()
    row = page[page.index(f'id="child-{network.child_nc.pk}"'):]
    assert "Rivera, Sofia" in page and "Version 1, agreed" in row and "(sent)" in row
    assert "Not yet" in row
    assert "Alvarez" not in page and "Kowalski" not in page
    listed = AuditEvent.objects.filter(action="list", object_type="families.child",
                                       detail__page="shared_plans").get()
    assert listed.detail["ids"] == [network.child_nc.pk]
    for child in (unconsented, network.child_ea):
        assert client.get(reverse("provider-child", args=[child.pk])).status_code == 404
        assert client.post(reverse("provider-respond", args=[child.pk]), {
            "kind": "comment", "version": 1, "text": "x"}).status_code == 404
    assert '<a href="/shared/" aria-current="page">Shared care plans</a>' in page
    assert "Shared care plans" not in login(network["nurse.nc"]).get(
        reverse("my-day")).content.decode()


def test_the_provider_view_shows_the_plan_contacts_and_open_needs_but_no_notes(
        network, team, login):
    contact_services.log_contact(
        user=network["nurse.nc"], child=network.child_nc,
        contact=Contact(channel="home_visit", reached=True,
                        occurred_at=timezone.now() - datetime.timedelta(days=3),
                        notes="Mother described her own depression in detail"))
    contact_services.log_contact(
        user=network["nurse.nc"], child=network.child_nc,
        contact=Contact(channel="phone", reached=False, notes="Voicemail full"))
    page = login(network["provider.nc"]).get(
        reverse("provider-child", args=[network.child_nc.pk])).content.decode()
    assert PRIORITY in page and "Sofia has an IEP with speech therapy" in page
    assert "Primary care provider: Dr. Pediatra" in page and "School: Burns Elementary" in page
    needs = page[page.index('id="open-needs"'):]
    assert "Education: IEP and 504 plans</strong>: Evaluación para un IEP" in needs
    contacts = page[page.index('id="recent-contacts"'):]
    assert "Home visit" in contacts and "The center reached the family" in contacts
    assert "Attempt, not reached" in contacts
    assert "depression" not in page and "Voicemail" not in page
    assert "Acknowledge version 1" in page
    viewed = AuditEvent.objects.filter(action="view", actor_username="provider.nc")
    assert [(e.object_type, e.child_id) for e in viewed] == [
        ("families.child", network.child_nc.pk)]


def test_an_acknowledgment_and_a_comment_reach_the_coordinator(network, team, login):
    login(network["nurse.nc"]).post(share_url(network), {
        "version": 1, "recipients": [f"{team['pcp'].pk}:email"]})
    client = login(network["provider.nc"])
    respond = reverse("provider-respond", args=[network.child_nc.pk])
    assert client.post(respond, {"kind": "acknowledge", "version": 1}).status_code == 302
    refused = client.post(respond, {"kind": "comment", "version": 1, "text": " "})
    assert refused.status_code == 400
    assert "Write the comment for the coordinator." in refused.content.decode()
    assert client.post(respond, {"kind": "comment", "version": 1,
                                 "text": "Neurology follow-up moved to March."}
                       ).status_code == 302
    page = client.get(reverse("provider-child", args=[network.child_nc.pk])).content.decode()
    assert "You acknowledged version 1" in page and "Acknowledge version 1" not in page
    assert "Neurology follow-up moved to March." in page

    coordinator = login(network["nurse.nc"])
    day = coordinator.get(reverse("my-day")).content.decode()
    assert ("Provider NC (Asylum Hill Pediatrics (synthetic)) acknowledged care plan "
            "version 1") in day
    assert "commented on care plan version 1" in day
    assert "Neurology follow-up moved to March." in day
    shares = coordinator.get(share_url(network)).content.decode()
    answers = shares[shares.index('id="provider-answers"'):]
    assert "Acknowledged the plan" in answers and "Neurology follow-up moved to March." in answers
    assert "On Nurse NC's day" in answers
    history = shares[shares.index('id="share-history"'):]
    assert "Acknowledged by Provider NC" in history
    assert PlanShare.objects.get().status == "acknowledged"
    assert ProviderComment.objects.count() == 2


def test_the_provider_view_before_any_agreement(network, login):
    client = login(network["provider.nc"])
    page = client.get(reverse("provider-child", args=[network.child_nc.pk])).content.decode()
    assert "No care plan has been agreed with the family yet." in page
    refused = client.post(reverse("provider-respond", args=[network.child_nc.pk]),
                          {"kind": "acknowledge", "version": 1})
    assert refused.status_code == 400
    assert "There is no agreed care plan to answer on yet." in refused.content.decode()


def test_the_pages_cost_the_same_queries_whatever_the_number_of_children(network, team, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    provider = login(network["provider.nc"])

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert provider.get(url).status_code == 200
        return len(captured)

    one = queries(reverse("shared-plans"))
    for n in range(3):
        kid = factories.child(network.hub, first=f"Kid{n}", last="Moreno",
                              pcp_practice=network.practice_nc)
        factories.consent(kid, network.practice_nc)
    assert queries(reverse("shared-plans")) == one
    coordinator = login(network["nurse.nc"])
    with CaptureQueriesContext(connection) as first:
        coordinator.get(share_url(network))
    coordinator.post(share_url(network), {"version": 1,
                                          "recipients": [f"{team['pcp'].pk}:email"]})
    coordinator.post(share_url(network), {"version": 1,
                                          "recipients": [f"{team['pcp'].pk}:email"]})
    coordinator.get(share_url(network))  # shows the "shared" messages once
    with CaptureQueriesContext(connection) as later:
        coordinator.get(share_url(network))
    assert len(later) == len(first)


def test_the_provider_view_shows_open_referrals_to_community_services(network, team, login):
    from carecoord.careplans.models import Need
    from carecoord.servicereferrals.models import ServiceReferral

    need = Need.objects.get(plan__child=network.child_nc)
    consent = network.child_nc.consents.filter(shared_with_practice=network.practice_nc).get()
    common = {"child": network.child_nc, "need": need, "sent_how": "phone",
              "sent_by": network["nurse.nc"], "consent_basis": "consent", "consent": consent,
              "consent_checked": "Care plan consent to the practice", "notes": "Private note"}
    ServiceReferral.objects.create(service_name="Birth to Three evaluation",
                                   organization_name="CT Birth to Three (synthetic)",
                                   sent_on=TODAY, status="scheduled", scheduled_on=TODAY,
                                   appointment_on=TODAY + datetime.timedelta(days=9), **common)
    ServiceReferral.objects.create(service_name="Closed food pantry referral",
                                   organization_name="Foodshare (synthetic)", sent_on=TODAY,
                                   status="service_received", received_on=TODAY, closed_on=TODAY,
                                   **common)
    page = login(network["provider.nc"]).get(
        reverse("provider-child", args=[network.child_nc.pk])).content.decode()
    referrals = page[page.index('id="open-referrals"'):]
    assert "Birth to Three evaluation" in referrals and "Scheduled, appointment" in referrals
    assert "Education: IEP and 504 plans" in referrals
    assert "Closed food pantry referral" not in page and "Private note" not in page
