"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages.

The app has no session pages. Its FHIR API (carecoord/interop/urls.py) is mounted as an
include(), like the admin, and so stays out of that matrix on purpose: the matrix checks that a
signed-out visitor is sent to the sign-in page and that a signed-in user outside a page's scope
gets 404, and neither holds for an API that trusts bearer tokens only. There every caller
without a token, signed in or not, gets 401 (so a row of "everyone: 401" would say nothing the
matrix can tell apart, and would break its signed-out check). tests/interop/test_fhir_access.py
is the FHIR API's own matrix: each route × no token, every role's session, this practice's
token, another practice's token; it fails when a route is added without a row."""


def rows(child, *, staff, editors, provider):
    return []


def center_rows(network):
    """Pages not about one child: (url name, method, url, users who may, status)."""
    return []
