"""A demo network with referrals and unmet needs is replaced whole: their rows go first."""

import pytest

from carecoord.demo.generator import generate_network
from carecoord.servicereferrals.models import ServiceReferral, StatusChange
from carecoord.unmetneeds.models import UnmetNeed
from tests.demo.conftest import AS_OF

pytestmark = pytest.mark.django_db


def test_replacing_the_demo_replaces_its_referrals_and_register():
    first = generate_network(children=200, seed=4, as_of=AS_OF)
    assert first.counts["service_referrals"] == ServiceReferral.objects.count() > 0
    assert "service referrals:" in "\n".join(first.lines())
    second = generate_network(children=60, seed=5, as_of=AS_OF, replace=True)
    assert ServiceReferral.objects.count() == second.counts["service_referrals"]
    assert UnmetNeed.objects.count() == second.counts["unmet_needs"]
    assert not StatusChange.objects.exclude(referral__in=ServiceReferral.objects.all()).exists()
