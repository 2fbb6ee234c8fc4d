"""The pages as a coordinator or supervisor uses them: intake errors that name the field, the
caseload search and filters, the referral decisions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carecoord.accounts.models import Language, Town
from carecoord.families.models import Child, Referral
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def intake_data(**overrides):
    data = {
        "child-first_name": "Mateo", "child-last_name": "Santos",
        "child-date_of_birth": "2019-01-05", "child-sex": "M",
        "child-preferred_language": Language.objects.get(code="es").pk,
        "child-ethnicity": "hispanic", "child-insurance_type": "husky_a",
        "child-insurance_member_id": "HA77",
        "household-address_line1": "3 Elm St", "household-town": Town.objects.get(
            name="Hartford").pk, "household-zip_code": "06106",
        "guardian-first_name": "Lucia", "guardian-last_name": "Santos",
        "guardian-relationship": "mother", "guardian-phone": "860-555-0111",
        "guardian-preferred_channels": ["phone"],
        "referral-source_type": "pcp", "referral-referrer_name": "Dr Ruth Okafor",
        "referral-referrer_npi": "1234567893", "referral-received_on": TODAY.isoformat(),
        "referral-reason": "New seizures; family asks for help with school",
        "referral-urgency": "routine",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_intake_form_saves_and_opens_the_referral(network, login):
    client = login(network["nurse.nc"])
    response = client.post(reverse("referral-new"), intake_data())
    referral = Referral.objects.get(child__first_name="Mateo")
    assert response.status_code == 302 and response.url == reverse("referral-detail",
                                                                    args=[referral.pk])
    assert referral.referring_clinician.npi == "1234567893"


@pytest.mark.parametrize("field, value, message", [
    ("child-date_of_birth", (TODAY + datetime.timedelta(days=3)).isoformat(),
     "date of birth is in the future"),
    ("guardian-phone", "", "Give a phone number or an email address"),
    ("referral-referrer_npi", "1234567890", "check digit is wrong"),
    ("guardian-phone", "555-01", "10 digits"),
    ("child-insurance_member_id", "", "member ID"),
    ("household-town", "", "This field is required"),
])
def test_intake_errors_name_the_field_and_save_nothing(network, login, field, value, message):
    client = login(network["nurse.nc"])
    before = Child.objects.count()
    response = client.post(reverse("referral-new"), intake_data(**{field: value}))
    assert response.status_code == 400
    form_name = field.split("-")[0]
    form = response.context[f"{form_name}_form"]
    assert any(message in error for error in form.errors[field.split("-", 1)[1]])
    assert message in response.content.decode()  # shown to the user, beside the summary
    assert Child.objects.count() == before


def test_suspected_duplicate_is_shown_not_created(network, login):
    client = login(network["nurse.nc"])
    data = intake_data(**{"child-first_name": "Sofia", "child-last_name": "Rivera",
                          "child-date_of_birth": network.child_nc.date_of_birth.isoformat()})
    response = client.post(reverse("referral-new"), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "may already be on file" in page
    assert reverse("child-detail", args=[network.child_nc.pk]) in page
    assert Child.objects.filter(last_name="Rivera").count() == 1
    # Choosing the existing record adds the referral to it.
    client.post(reverse("referral-new"), {**data, "existing_child": network.child_nc.pk})
    assert network.child_nc.referrals.count() == 2
    # Or the coordinator confirms it is another child.
    client.post(reverse("referral-new"), {**data, "confirm_new_child": "yes"})
    assert Child.objects.filter(last_name="Rivera").count() == 2


def test_live_checks_warn_of_routing_and_duplicates(network, login):
    client = login(network["nurse.nc"])
    response = client.get(reverse("referral-check"), {
        "household-town": Town.objects.get(name="Norwich").pk,
        "child-first_name": "Sofia", "child-last_name": "Rivera",
        "child-date_of_birth": network.child_nc.date_of_birth.isoformat()},
        HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "sent to Center for Care Coordination – Eastern" in page
    assert "Possible duplicate" in page


def test_intake_for_another_region_says_where_it_went(network, login):
    client = login(network["nurse.nc"])
    response = client.post(reverse("referral-new"), intake_data(
        **{"household-town": Town.objects.get(name="Norwich").pk}), follow=True)
    assert "was sent to Center for Care Coordination – Eastern" in response.content.decode()


def test_caseload_searches_and_filters(network, login):
    hub = network.hub
    nurse = network["nurse.nc"]
    factories.enrolled(factories.child(hub, first="Ana", last="Zapata",
                                       town_name="New Britain"), nurse)
    factories.child(hub, first="Omar", last="Haddad", town_name="Hartford")  # not enrolled
    client = login(nurse)

    def names(**params):
        response = client.get(reverse("caseload"), params)
        return [c.last_name for c in response.context["page"].object_list]

    assert names() == ["Rivera", "Zapata"]  # my caseload
    assert names(scope="center") == ["Haddad", "Rivera", "Zapata"]
    assert names(scope="center", q="zap") == ["Zapata"]
    assert names(scope="center", town="New Britain") == ["Zapata"]
    assert names(scope="center", status="enrolled") == ["Rivera", "Zapata"]
    assert names(scope="center", status="closed") == ["Haddad"]


def test_caseload_answers_htmx_with_just_the_results(network, login):
    client = login(network["nurse.nc"])
    response = client.get(reverse("caseload"), {"q": "Riv"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Rivera" in page and "<html" not in page


def test_supervisor_moves_a_referral_through_the_pages(network, login):
    referral = factories.child(network.hub, first="Noah", last="Brown").referrals.create(
        center=network.hub, source_type="school", received_on=TODAY, reason="IEP support")
    client = login(network["supervisor.nc"])
    url = reverse("referral-detail", args=[referral.pk])
    # An illegal jump is refused with the reason, on the page.
    response = client.post(reverse("referral-accept", args=[referral.pk]), {})
    assert response.status_code == 400
    assert "screened before it is accepted" in response.content.decode()
    client.post(reverse("referral-screen", args=[referral.pk]),
                {"first_contact_on": TODAY.isoformat()})
    client.post(reverse("referral-accept", args=[referral.pk]), {"note": "Eligible"})
    response = client.post(reverse("referral-enroll", args=[referral.pk]), {
        "coordinator": network["social.nc"].pk, "start_date": TODAY.isoformat()})
    assert response.status_code == 302
    assert "Enrolled" in client.get(url).content.decode()
    referral.refresh_from_db()
    assert referral.enrollment.current_assignment.coordinator == network["social.nc"]


def test_center_view_shows_queue_and_caseloads(network, login):
    factories.child(network.hub, first="Noah", last="Brown").referrals.create(
        center=network.hub, source_type="school", received_on=TODAY, reason="IEP support",
        urgency="urgent")
    response = login(network["supervisor.nc"]).get(reverse("center"))
    page = response.content.decode()
    assert "Brown, Noah" in page and "Urgent" in page
    staff = {m.username: m.active_children for m in response.context["staff"]}
    assert staff == {"nurse.nc": 1, "social.nc": 0}


def test_network_view_counts_without_names(network, login):
    response = login(network["titlev.state"]).get(reverse("network"))
    rows = {r["center"].short_name: r for r in response.context["rows"]}
    assert rows["North Central"]["enrolled"] == 1 and rows["Eastern"]["children"] == 1
    assert rows["North Central"]["by_discipline"] == {"nurse": 1}
    assert "Rivera" not in response.content.decode()


def test_sibling_referral_needs_no_second_household(network, login):
    client = login(network["nurse.nc"])
    url = reverse("referral-new") + f"?sibling_of={network.child_nc.pk}"
    assert "sibling of Sofia Rivera" in client.get(url).content.decode()
    data = {k: v for k, v in intake_data(**{"child-first_name": "Diego",
                                             "child-last_name": "Rivera"}).items()
            if not k.startswith(("household-", "guardian-"))}
    response = client.post(url, data)
    assert response.status_code == 302
    diego = Child.objects.get(first_name="Diego")
    assert diego.household == network.child_nc.household


def test_sibling_of_a_child_out_of_scope_is_not_found(network, login):
    client = login(network["nurse.nc"])
    assert client.get(reverse("referral-new") + f"?sibling_of={network.child_ea.pk}"
                      ).status_code == 404
