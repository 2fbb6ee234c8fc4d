"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""


def rows(child, *, staff, editors, provider):
    return []


def center_rows(network):
    """Pages not about one child: (url name, method, url, users who may, status)."""
    return []
