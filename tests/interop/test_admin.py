"""A superuser registers a practice's EMR in the admin: the public key set and the scopes are
checked there, and the client id cannot be changed once given out."""

import json

import jwt
import pytest
from django.urls import reverse

from carecoord.interop.models import BackendClient
from tests.interop.conftest import public_jwk

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org",
                                                           "root-password-123")
    client.force_login(superuser)
    return client


def form(network, jwks, scopes="system/CarePlan.read system/Goal.read"):
    return {"client_id": "asylum-hill-epic", "name": "Asylum Hill EMR",
            "practice": network.practice_nc.pk, "jwks": json.dumps(jwks), "scopes": scopes,
            "active": "on", "contact": "EMR team, 860-555-0111",
            "access_tokens-TOTAL_FORMS": "0", "access_tokens-INITIAL_FORMS": "0"}


def test_registering_an_emr(admin_client, network, rsa_key):
    add = reverse("admin:interop_backendclient_add")
    assert admin_client.get(add).status_code == 200
    response = admin_client.post(add, form(network, {"keys": [public_jwk(rsa_key, "k1",
                                                                         "RS384")]}))
    assert response.status_code == 302, response.content.decode()[:2000]
    registered = BackendClient.objects.get()
    assert registered.client_id == "asylum-hill-epic" and registered.active
    change = admin_client.get(reverse("admin:interop_backendclient_change",
                                      args=[registered.pk]))
    assert 'name="client_id"' not in change.content.decode()  # read-only once given out


def test_a_private_key_or_a_write_scope_is_refused(admin_client, network, rsa_key):
    add = reverse("admin:interop_backendclient_add")
    private = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key, as_dict=True) | {"kid": "k1"}
    response = admin_client.post(add, form(network, {"keys": [private]},
                                           scopes="system/Patient.write"))
    page = response.content.decode()
    assert response.status_code == 200 and not BackendClient.objects.exists()
    assert "holds private key material" in page and "system/Patient.write" in page
