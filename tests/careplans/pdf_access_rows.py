"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for the care plan PDF."""


def rows(child, *, staff, editors, provider):
    return []
