"""In a real browser: a supervisor enters a referral, screens, accepts and enrolls it, and the
child appears on the chosen coordinator's caseload."""

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, Network

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_referral_to_enrollment_to_caseload(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    network = Network()
    base = live_server.url
    today = timezone.localdate().isoformat()

    sign_in(page, base, "supervisor.nc")
    page.get_by_role("link", name="New referral").click()
    page.get_by_label("First name").first.fill("Valentina")
    page.get_by_label("Last name").first.fill("Ortiz")
    page.get_by_label("Date of birth").fill("2018-06-15")
    page.locator("#id_child-sex").select_option("F")
    page.locator("#id_child-preferred_language").select_option(label="Spanish")
    page.locator("#id_child-insurance_type").select_option("husky_a")
    page.get_by_label("Member ID").fill("HA445566")
    page.get_by_label("Street address").fill("40 Park St")
    page.locator("#id_household-town").select_option(label="Hartford")
    page.get_by_text("your center serves this family").wait_for()  # HTMX routing check
    page.locator("#id_guardian-first_name").fill("Carmen")
    page.locator("#id_guardian-last_name").fill("Ortiz")
    page.locator("#id_guardian-relationship").select_option("mother")
    page.locator("#id_guardian-phone").fill("860-555-0177")
    page.locator("#id_referral-source_type").select_option("pcp")
    page.locator("#id_referral-referrer_name").fill("Dr. Helen Marsh")
    page.get_by_label("Referring provider NPI").fill("1234567893")
    page.get_by_label("Reason").fill("Feeding difficulties; family needs help with WIC")
    page.get_by_role("button", name="Save referral").click()

    page.get_by_role("heading", name="Referral for Valentina Ortiz").wait_for()
    assert page.locator("#referral-status").inner_text() == "Received"
    page.get_by_label("Date the family was first reached").fill(today)
    page.get_by_role("button", name="Start screening").click()
    page.get_by_role("button", name="Accept referral").click()
    assert page.locator("#referral-status").inner_text() == "Accepted"
    page.get_by_role("combobox", name="Coordinator").select_option(str(network["social.nc"].pk))
    page.get_by_role("button", name="Enroll").click()
    assert page.locator("#referral-status").inner_text() == "Enrolled"
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "social.nc")
    page.get_by_role("heading", name="My day").wait_for()  # a coordinator's start page
    page.get_by_role("link", name="My caseload").click()
    page.get_by_role("heading", name="My caseload").wait_for()
    row = page.get_by_role("row").filter(has_text="Ortiz, Valentina")
    assert row.count() == 1
    assert "Enrolled" in row.inner_text()
    # The live search narrows the list without a page load.
    page.get_by_label("Name").fill("Ort")
    page.wait_for_function("!document.body.innerText.includes('Rivera')")
    row.get_by_role("link").click()
    page.get_by_role("heading", name="Valentina Ortiz").wait_for()
    assert "Carmen Ortiz" in page.content()
