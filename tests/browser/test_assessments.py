"""The assessment pages in Debian's chromium: follow-up questions appear and disappear with the
answer they depend on (keeping the keyboard focus), and the pages pass axe's WCAG 2.1 AA
checks."""

import datetime

import pytest
from django.utils import timezone

from carecoord.careplans import assessments
from carecoord.careplans.assessment_results import PROTECTIVE_FACTORS_CHECKIN
from tests.browser.test_accessibility import sign_in_with_keyboard, violations
from tests.careplans.test_assessments_pages import examples_of
from tests.factories import Network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_ups_and_accessibility(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    network = Network()
    child = network.child_nc
    checkin = examples_of(PROTECTIVE_FACTORS_CHECKIN)
    today = timezone.localdate()
    for example, on, context in (("intake", today - datetime.timedelta(days=180), "intake"),
                                 ("six-month-review", today, "review")):
        assessments.administer(user=network["nurse.nc"], child=child,
                               instrument_id=PROTECTIVE_FACTORS_CHECKIN,
                               answers=checkin[example]["answers"], context=context,
                               administered_on=on, respondent=child.household.guardians.get())
    walk(page, live_server.url, child.pk)


def walk(page, base, child_pk):
    sign_in_with_keyboard(page, base, "nurse.nc")
    problems = {}

    page.goto(f"{base}/children/{child_pk}/assessments/cshcn-screener/new/?lang=en")
    problems["new"] = violations(page)
    follow_up = page.locator("#item-q1b_medication_condition")
    assert follow_up.is_visible()
    page.locator("#q1a_medication-2").check()  # No
    follow_up.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "q1a_medication-2"
    page.locator("#q1a_medication-1").check()  # Yes
    follow_up.wait_for(state="visible")
    page.locator("#q1b_medication_condition-1").check()
    page.locator("#item-q1c_medication_12mo").wait_for(state="visible")
    page.locator("#q1c_medication_12mo-1").check()
    for stem, follow_up_id in (("q2a_services", "q2b_services_condition"),
                               ("q3a_limitation", "q3b_limitation_condition"),
                               ("q4a_therapy", "q4b_therapy_condition"),
                               ("q5a_ebd", "q5b_ebd_12mo")):
        page.locator(f"#{stem}-2").check()
        page.locator(f"#item-{follow_up_id}").wait_for(state="hidden")
    page.get_by_role("button", name="Save and show the result").click()
    page.wait_for_url(lambda url: "/new/" not in url)
    assert "Meets the definition" in page.locator("#verdict").inner_text()
    problems["detail"] = violations(page)

    page.goto(f"{base}/children/{child_pk}/assessments/carecoord-protective-factors-checkin/"
              f"new/?lang=es")
    problems["new es"] = violations(page)
    page.goto(f"{base}/children/{child_pk}/assessments/")
    problems["list"] = violations(page)
    page.goto(f"{base}/children/{child_pk}/assessments/{PROTECTIVE_FACTORS_CHECKIN}/history/")
    problems["history"] = violations(page)
    assert page.locator("#change-social_connections").inner_text().count("+2.00") == 1
    assert {name: found for name, found in problems.items() if found} == {}
