import pytest

from tests.factories import Network


@pytest.fixture
def network(db):
    return Network()


@pytest.fixture
def login(client):
    """Sign a user in through the real login page (so sign-in is audited as in life)."""
    from tests.factories import PASSWORD

    def sign_in(user):
        client.logout()
        response = client.post("/accounts/login/", {"username": user.username,
                                                    "password": PASSWORD})
        assert response.status_code == 302, "sign-in failed"
        return client

    return sign_in


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a user; tests make dozens of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
