"""A demo network generated once per test module and rolled back after it: generating takes a
second or two, so the tests of a module share one network instead of paying for it each."""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings

from carecoord.demo.generator import generate_network

AS_OF = datetime.date(2026, 6, 30)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py does


def shared_network(children: int, seed: int):
    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with (django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER),
              transaction.atomic()):
            yield generate_network(children=children, seed=seed, as_of=AS_OF)
            transaction.set_rollback(True)

    return fixture


demo_network = shared_network(children=300, seed=7)
demo_network_1500 = shared_network(children=1500, seed=2026)
