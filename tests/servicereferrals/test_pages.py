"""The referral pages as a coordinator, a provider and staff of another region use them, with
plain forms (HTMX only swaps the steps in place)."""

import pytest
from django.test import Client
from django.urls import reverse

from carecoord.audit.models import AuditEvent
from carecoord.servicereferrals.models import ServiceReferral

from .helpers import TODAY, consent, days_ago, need, referred, service, step

pytestmark = pytest.mark.django_db


def new_url(child, need_, service_=None):
    url = reverse("service-referral-new", args=[child.pk, need_.pk])
    return f"{url}?service={service_.pk}" if service_ else url


def detail_url(referral):
    return reverse("service-referral-detail", args=[referral.child_id, referral.pk])


def step_url(referral, slug):
    return reverse("service-referral-step", args=[referral.child_id, referral.pk, slug])


def test_the_form_takes_the_service_picked_in_the_directory(network, login):
    child = network.child_nc
    food = need(child)
    pantry = service("Food pantry (synthetic)")
    other_domain = service("Legal clinic (synthetic)", domain="legal")
    consent(child)
    client = login(network["nurse.nc"])
    assert new_url(child, food, pantry) == (
        f"/children/{child.pk}/needs/{food.pk}/referrals/new/?service={pantry.pk}")
    page = client.get(new_url(child, food, pantry)).content.decode()
    assert '<label for="id_sent_how">Sent how *</label>' in page
    assert '<label for="id_service">Service *</label>' in page
    assert f'<option value="{pantry.pk}" selected>Food pantry (synthetic)' in page
    assert "Legal clinic" not in page  # only the need's domain, unless picked
    picked = client.get(new_url(child, food, other_domain)).content.decode()
    assert f'<option value="{other_domain.pk}" selected>' in picked
    response = client.post(new_url(child, food, pantry), {
        "service": pantry.pk, "sent_how": "warm_handoff", "sent_on": TODAY.isoformat(),
        "service_contact": "Intake line 860-555-0100"})
    referral = ServiceReferral.objects.get()
    assert response.status_code == 302 and response.url == detail_url(referral)
    page = client.get(response.url).content.decode()
    for button in ("Acknowledged</button>", "Close without the service</button>"):
        assert button in page
    assert '<label for="id_failed-reason">Reason *</label>' in page
    assert "Scheduled</button>" not in page  # not before the acknowledgement
    assert "Consent to share care plan and care coordination notes with Foodshare" in page


def test_a_service_out_of_scope_is_not_there(network, login):
    child = network.child_nc
    eastern = service(center=network.east)
    client = login(network["nurse.nc"])
    assert client.get(new_url(child, need(child), eastern)).status_code == 404
    assert client.get(new_url(child, need(child)) + "?service=no-such-id").status_code == 404


def test_a_missing_consent_is_refused_on_the_page_with_the_reason(network, login):
    child = network.child_nc
    food, pantry = need(child), service()
    response = login(network["nurse.nc"]).post(new_url(child, food), {
        "service": pantry.pk, "sent_how": "phone", "sent_on": TODAY.isoformat()})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_consent_error"' in page and "No current consent covers sharing" in page
    assert not ServiceReferral.objects.exists()


def test_every_step_form_records_its_step_and_a_failure_offers_what_next(network, login):
    client = login(network["nurse.nc"])
    referral = referred(network)
    for slug, fields in (("acknowledged", {"acknowledged_on": days_ago(10)}),
                         ("scheduled", {"scheduled_on": days_ago(8),
                                        "appointment_on": days_ago(1)}),
                         ("received", {"received_on": TODAY, "outcome": "WIC started",
                                       "need_met": "on"})):
        referral.refresh_from_db()
        response = client.post(step_url(referral, slug), {
            "version": referral.version, **{f"{slug}-{k}": v for k, v in fields.items()}})
        assert response.status_code == 302, response.content.decode()[-2000:]
    referral.refresh_from_db()
    assert referral.status == "service_received"
    page = client.get(detail_url(referral)).content.decode()
    assert "Record the next step" not in page and "WIC started" in page
    failing = referred(network, domain="housing")
    response = client.post(step_url(failing, "failed"), {
        "version": failing.version, "failed-reason": "no_capacity",
        "failed-closed_on": TODAY.isoformat(), "failed-details": "Waitlist closed"})
    assert response.status_code == 302
    page = client.get(detail_url(failing)).content.decode()
    assert "Try another service" in page and "Record the need as unmet" in page
    assert reverse("service-referral-new", args=[failing.child_id, failing.need_id]) in page
    assert (reverse("unmet-need-new", args=[failing.child_id, failing.need_id])
            + f"?referral={failing.pk}") in page


def test_htmx_swaps_the_steps_in_place_and_keeps_errors_there(network, login):
    client = login(network["nurse.nc"])
    referral = referred(network)
    response = client.post(step_url(referral, "acknowledged"), {
        "version": referral.version, "acknowledged-acknowledged_on": days_ago(30)},
        HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert text.startswith('<div id="referral-steps">')
    assert "This date comes before the referral was sent" in text
    response = client.post(step_url(referral, "acknowledged"), {
        "version": referral.version, "acknowledged-acknowledged_on": days_ago(5)},
        HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "Acknowledged: saved." in text and "Scheduled</button>" in text


def test_a_step_the_referral_is_not_ready_for_is_refused_on_top(network, login):
    referral = referred(network)
    response = login(network["nurse.nc"]).post(step_url(referral, "received"), {
        "version": referral.version, "received-received_on": TODAY.isoformat(),
        "received-outcome": "x", "received-need_met": "on"})
    assert response.status_code == 400
    assert ('id="step-refused"><p>Not saved: Record the acknowledgement and the appointment '
            'first') in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_step_from_a_stale_page_is_refused_and_the_other_change_shown(network, login):
    referral = referred(network)
    social = Client()
    social.force_login(network["social.nc"])
    assert social.post(step_url(referral, "acknowledged"), {
        "version": referral.version,
        "acknowledged-acknowledged_on": days_ago(3)}).status_code == 302
    response = login(network["nurse.nc"]).post(step_url(referral, "failed"), {
        "version": referral.version, "failed-reason": "declined",
        "failed-closed_on": TODAY.isoformat()})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Not saved: social.nc changed this referral" in page
    assert 'value="declined" selected' in page  # the entry is kept, to save again
    referral.refresh_from_db()
    assert referral.status == "acknowledged"


def test_the_contact_and_notes_are_edited_with_stale_saves_refused(network, login):
    referral = referred(network)
    url = reverse("service-referral-edit", args=[referral.child_id, referral.pk])
    client = login(network["nurse.nc"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"version": referral.version, "service_contact": "Ana at intake",
                             "notes": ""}).status_code == 302
    response = client.post(url, {"version": referral.version, "service_contact": "Bob",
                                 "notes": ""})
    assert response.status_code == 409
    assert "Ana at intake" in response.content.decode()
    referral.refresh_from_db()
    assert referral.service_contact == "Ana at intake" and referral.version == 2


def test_the_care_plan_need_row_shows_its_referrals(network, login):
    referral = referred(network)
    step(network, referral, "acknowledged", acknowledged_on=days_ago(2))
    client = login(network["nurse.nc"])
    page = client.get(reverse("care-plan", args=[network.child_nc.pk])).content.decode()
    assert f'id="need-{referral.need_id}-referrals"' in page
    assert detail_url(referral) in page and "Acknowledged</span>" in page
    assert reverse("service-referral-new", args=[network.child_nc.pk, referral.need_id]) in page
    listed = AuditEvent.objects.filter(action="list",
                                       object_type="servicereferrals.servicereferral").last()
    assert listed.detail == {"ids": [referral.pk], "page": "care-plan"}
    provider = login(network["provider.nc"]).get(
        reverse("care-plan", args=[network.child_nc.pk])).content.decode()
    assert detail_url(referral) in provider and "Refer to a service" not in provider


def test_the_provider_reads_and_other_regions_get_404(network, login):
    referral = referred(network)
    client = login(network["provider.nc"])
    page = client.get(detail_url(referral)).content.decode()
    assert referral.service_name in page and "Record the next step" not in page
    assert client.post(step_url(referral, "acknowledged"), {
        "version": referral.version,
        "acknowledged-acknowledged_on": TODAY.isoformat()}).status_code == 404
    client = login(network["nurse.ea"])
    for url in (detail_url(referral),
                reverse("service-referral-list", args=[network.child_nc.pk])):
        assert client.get(url).status_code == 404
    # Nor is a referral reached through another child's address.
    wrong = reverse("service-referral-detail", args=[network.child_ea.pk, referral.pk])
    assert client.get(wrong).status_code == 404


def test_reading_the_pages_is_audited(network, login):
    first = referred(network)
    second = referred(network, how="family")
    client = login(network["admin.nc"])
    client.get(reverse("service-referral-list", args=[network.child_nc.pk]))
    listed = AuditEvent.objects.get(action="list",
                                    object_type="servicereferrals.servicereferral")
    assert sorted(listed.detail["ids"]) == sorted([first.pk, second.pk])
    assert (listed.child_id, listed.center_id) == (network.child_nc.pk, network.hub.pk)
    client.get(detail_url(first))
    viewed = AuditEvent.objects.get(action="view",
                                    object_type="servicereferrals.servicereferral")
    assert (viewed.object_id, viewed.child_id, viewed.actor_username) == (
        str(first.pk), network.child_nc.pk, "admin.nc")
