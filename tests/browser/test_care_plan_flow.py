"""In a real browser, a coordinator runs a piece of a family's year: the plan from their
priorities, a need outside the center's control, a goal and an action, a home visit, the
action done, the plan agreed twice and the two versions compared."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.test_referral_to_caseload import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_contact_and_versions(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    network = factories.Network()
    child = factories.child(network.hub, first="Camila", last="Reyes")
    factories.enrolled(child, network["nurse.nc"])
    in_a_month = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    base = live_server.url

    sign_in(page, base, "nurse.nc")
    page.goto(f"{base}/children/{child.pk}/")
    page.get_by_role("link", name="Care plan").first.click()
    page.get_by_role("button", name="Start the care plan").click()

    page.get_by_text("Add a family priority").click()
    page.get_by_label("In the family's words").fill("Que Camila duerma toda la noche")
    page.get_by_label("Translation").fill("That Camila sleeps through the night")
    page.get_by_role("button", name="Add priority").click()
    page.get_by_text("“Que Camila duerma toda la noche”").wait_for()

    page.get_by_text("Add a need").click()
    page.locator("#id_needs-domain").select_option(label="Housing")
    page.locator("#id_needs-description").fill("Mold in the apartment worsens her asthma")
    page.locator("#id_needs-raised_by").select_option("family")
    page.locator("#id_needs-family_priority").select_option("high")
    page.locator("#id_needs-provider_priority").select_option("low")
    page.locator("#id_needs-reach").select_option("outside_control")
    page.locator("#id_needs-expectation").fill(
        "We can write to the landlord and refer to legal aid; we cannot find a new apartment.")
    page.get_by_role("button", name="Add need").click()
    page.get_by_text("Priorities differ").wait_for()

    page.get_by_text("Add a goal").click()
    page.locator("#id_goals-statement").fill("Landlord fixes the mold")
    page.locator("#id_goals-measure").fill("Repair done and inspected")
    page.locator("#id_goals-target_date").fill(in_a_month)
    page.get_by_role("button", name="Add goal").click()
    page.get_by_text("Add an action").click()
    page.locator("#id_actions-description").fill("Send the landlord a letter with the PCP note")
    page.locator("#id_actions-owner").select_option("coordinator")
    page.locator("#id_actions-due_on").fill(in_a_month)
    page.get_by_role("button", name="Add action").click()
    page.get_by_role("cell", name="Send the landlord a letter with the PCP note").wait_for()

    page.locator("#id_agree-how").select_option("in_person")
    page.get_by_role("button", name="Agree this plan").click()
    page.get_by_text("Version 1: agreed").wait_for()

    page.get_by_role("link", name="Log a contact").first.click()
    page.locator("#id_channel").select_option("home_visit")
    page.get_by_label("Reached: the contact happened").check()
    page.get_by_label("Duration (minutes)").fill("45")
    page.get_by_label("Send the landlord a letter with the PCP note").check()
    page.get_by_role("button", name="Save contact").click()
    page.get_by_role("cell", name="Home visit (we reached out)").wait_for()

    page.get_by_role("link", name="Care plan").click()
    page.get_by_role("button", name="Mark done").click()
    # Progress does not reopen the agreed plan; the review takes it into version 2.
    assert "Agreed" in page.locator("#plan-status").inner_text()
    page.get_by_text("progress recorded since then goes into the next version").wait_for()
    page.get_by_role("button", name="Reviewed with the family").click()
    page.locator("#id_agree-how").select_option("phone")
    page.get_by_role("button", name="Agree this plan").click()
    page.get_by_text("Version 2: agreed").wait_for()

    page.get_by_role("link", name="Compare versions side by side").click()
    page.get_by_role("heading", name="version 1 and version 2").wait_for()
    changed = page.locator("tr.diff-changed")
    assert changed.count() == 1
    assert "status: to_do" in changed.inner_text() and "status: done" in changed.inner_text()
