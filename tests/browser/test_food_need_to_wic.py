"""A coordinator closes the loop on a family's food need in the browser: from the care plan,
find WIC near the family's town where Spanish is spoken, refer, follow the referral to the
service received, and see the need closed."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carecoord.careplans import services as plans
from carecoord.careplans.models import CarePlan, Need, NeedDomain
from carecoord.families.models import Consent
from tests.directory.helpers import load, service_doc
from tests.factories import PASSWORD, Network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIC_ORG = {"id": "7a0c9f2e-4d1b-4f6a-9c3e-2b8d5e1f0a11",
           "name": "WIC Program, Hartford (synthetic)",
           "description": "Nutrition program for women, infants and children."}


def far_and_english_only(doc):
    doc["languages"] = [lang for lang in doc["languages"] if lang["code"] == "en"]
    doc["phones"][0]["languages"] = []
    site = doc["service_at_locations"][0]["location"]
    site["latitude"], site["longitude"] = 41.524, -72.076  # Norwich
    return doc


def test_food_need_to_wic_in_spanish_and_back(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    network = Network()
    child = network.child_nc  # a Spanish-speaking family in Hartford
    nurse = network["nurse.nc"]
    plan = CarePlan.objects.get(child=child)
    need = plans.add_item(user=nurse, plan=plan, expected_version=plan.version, item=Need(
        domain=NeedDomain.objects.get(code="food"), description="WIC lapsed after the move",
        raised_by="family", family_priority="high", reach="within_reach"))
    # WIC in Hartford with Spanish; WIC far away in English only.
    load(service_doc("WIC – Hartford office", organization=WIC_ORG, town="Hartford"))
    load(far_and_english_only(service_doc("WIC – Norwich office", town="Norwich")))
    Consent.objects.create(child=child, given_by=child.household.guardians.first(),
                           shared_with_other=WIC_ORG["name"], scope=Consent.Scope.CARE_PLAN,
                           given_on=timezone.localdate(),
                           expires_on=timezone.localdate() + datetime.timedelta(days=365))
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("nurse.nc")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/children/{child.pk}/plan/")
    page.locator(f"#need-{need.pk}").get_by_role("link", name="Find services").click()

    # The search comes filled in from the need and the family: food, Hartford, Spanish.
    page.wait_for_url(re.compile(r"/directory/search/"))
    assert page.get_by_label("Family's town").input_value() == "Hartford"
    language = page.get_by_label("Language the family speaks")
    assert language.locator("option:checked").inner_text().startswith("Spanish")
    page.get_by_label("Words to look for").fill("WIC")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#search-results")
    first = results.locator("h3").first
    first.wait_for()
    assert "WIC – Hartford office" in first.inner_text()
    assert "Spanish" in results.locator("ol.search-results > li").first.inner_text()

    page.get_by_role("link", name="Refer to WIC – Hartford office").click()
    page.get_by_label("Sent how").select_option("phone")
    page.get_by_role("button", name="Record the referral as sent").click()
    page.wait_for_url(re.compile(r"/referrals/\d+/"))
    page.get_by_role("button", name="Acknowledged").click()
    expect(page.get_by_role("button", name="Acknowledged")).to_have_count(0)
    page.get_by_role("button", name="Scheduled").click()
    expect(page.get_by_role("button", name="Scheduled")).to_have_count(0)
    page.get_by_label("What the family received").fill("WIC benefits restarted; card in hand")
    page.get_by_role("button", name="Service received").click()
    # The loop is closed: no step is left to record.
    expect(page.get_by_role("button", name="Service received")).to_have_count(0)
    expect(page.get_by_role("button", name="Close without the service")).to_have_count(0)

    need.refresh_from_db()
    assert need.status == Need.Status.MET and need.closed_on == timezone.localdate()
    assert "WIC benefits restarted" in need.outcome
    page.goto(f"{base}/children/{child.pk}/plan/")
    row = page.locator(f"#need-{need.pk}")
    assert row.get_by_label("Status of this need").locator(
        "option:checked").inner_text() == "Met"
    assert page.locator(f"#need-{need.pk}").get_by_role("link", name="Find services").count() \
        == 0
