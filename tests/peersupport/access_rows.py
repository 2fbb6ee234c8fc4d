"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""


def rows(child, *, staff, editors, provider):
    return []
