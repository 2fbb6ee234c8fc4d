"""WCAG 2.1 A/AA checks with axe-core (from npm) in Debian's chromium, on every page staff
use, as the roles that use them; plus keyboard use of the sign-in and the caseload search."""

from pathlib import Path

import pytest

from tests.factories import PASSWORD, Network

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           TAGS)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['html'][:120]})"
            for v in result["violations"]]


def sign_in_with_keyboard(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_pages_pass_axe_wcag_21_aa(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    network = Network()
    base = live_server.url
    referral = network.child_nc.referrals.get()
    page.goto(f"{base}/accounts/login/")
    problems = {"login": violations(page)}
    for username, paths in {
        "supervisor.nc": ["/center/", "/children/?scope=center",
                          f"/children/{network.child_nc.pk}/",
                          f"/children/{network.child_nc.pk}/plan/",
                          f"/children/{network.child_nc.pk}/contacts/",
                          f"/children/{network.child_nc.pk}/contacts/new/",
                          "/referrals/", "/referrals/new/", f"/referrals/{referral.pk}/",
                          "/center/assign/",
                          f"/center/rebalance/{network.users['nurse.nc'].pk}/"],
        "ta.hub": ["/network/"],
        "admin.nc": ["/audit/"],
        "nurse.nc": ["/today/"] + [f"/children/{network.child_nc.pk}/{page}/" for page in (
            "school", "school/new", "transition", "peer-support", "coverage", "coverage/new",
            "organizations", "organizations/new", "complexity")],
    }.items():
        sign_in_with_keyboard(page, base, username)
        for path in paths:
            page.goto(base + path)
            problems[f"{username} {path}"] = violations(page)
        page.get_by_role("button", name="Sign out").click()
    # The intake form with its errors shown is a page users see often.
    sign_in_with_keyboard(page, base, "nurse.nc")
    page.goto(f"{base}/referrals/new/")
    page.get_by_role("button", name="Save referral").click()
    page.locator("#form-errors").wait_for()
    problems["intake with errors"] = violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_caseload_search_works_from_the_keyboard(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Network()
    sign_in_with_keyboard(page, live_server.url, "nurse.nc")
    page.goto(f"{live_server.url}/children/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.get_by_label("Name").focus()
    page.keyboard.type("zzz")
    page.get_by_text("No children match").wait_for()
    page.keyboard.press("Control+A")
    page.keyboard.type("Riv")
    page.get_by_role("link", name="Rivera, Sofia").wait_for()
