"""WCAG 2.1 A/AA checks (axe-core in Debian's chromium) on the directory pages, as the hub's
technical assistance (who sees the edit and verify controls) and as a coordinator."""

import pytest

from tests.browser.test_accessibility import sign_in_with_keyboard, violations
from tests.factories import Network

from . import access_rows
from .access_rows import NC_LOCAL, STATEWIDE, entries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_directory_pages_pass_axe_wcag_21_aa(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    network = Network()
    entries(network)
    need = access_rows.rows(network.child_nc, staff=set(), editors=set(), provider="")[0][2]
    base = live_server.url
    problems = {}
    for username, paths in {
        "ta.hub": ["/directory/", "/directory/?kept_by=statewide&stale=on",
                   f"/directory/services/{STATEWIDE}/", f"/directory/services/{STATEWIDE}/edit/"],
        "nurse.nc": ["/directory/", f"/directory/services/{NC_LOCAL}/", "/directory/search/",
                     need, "/directory/search/?q=diapers&town=Hartford&miles=10&language=es",
                     "/directory/search/?town=Nowhere&miles=-1"],
    }.items():
        sign_in_with_keyboard(page, base, username)
        for path in paths:
            page.goto(base + path)
            problems[f"{username} {path}"] = violations(page)
        page.get_by_role("button", name="Sign out").click()
    sign_in_with_keyboard(page, base, "ta.hub")
    page.goto(f"{base}/directory/services/{STATEWIDE}/edit/")
    page.get_by_label("Name", exact=False).first.fill("")
    page.get_by_label("Maximum age (years)").fill("-1")
    page.get_by_role("button", name="Save the entry").click()
    page.locator(".errorlist").first.wait_for()
    problems["edit with errors"] = violations(page)
    page.goto(f"{base}/directory/services/{STATEWIDE}/")
    page.get_by_role("button", name="Mark verified today").click()
    page.get_by_text("verified today.").wait_for()
    problems["verified"] = violations(page)
    # The search updates its results in place (HTMX), errors included.
    page.goto(f"{base}/directory/search/")
    page.get_by_label("Family's town").fill("Hartfrod")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("There is no Connecticut town called").wait_for()
    problems["search errors in place"] = violations(page)
    page.get_by_label("Family's town").fill("Hartford")
    page.get_by_label("Words to look for").fill("diapers")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("service found").first.wait_for()
    assert "q=diapers" in page.url  # the address follows, for the back button and sharing
    problems["search results in place"] = violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
