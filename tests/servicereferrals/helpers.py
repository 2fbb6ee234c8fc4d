"""Builders for the service referral tests: directory services made straight in the tables (a
service, its organization and its CareCoord need domain term), care plan needs, consents naming
an organization, and referrals sent through the service."""

import datetime
import itertools
import uuid

from django.utils import timezone

from carecoord.careplans.models import Need, NeedDomain
from carecoord.directory import taxonomy
from carecoord.directory.models import Attribute, Organization, Service, Taxonomy, TaxonomyTerm
from carecoord.families.models import Consent
from carecoord.servicereferrals import services

TODAY = timezone.localdate()
_serial = itertools.count(1)


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def _term(domain_code: str) -> TaxonomyTerm:
    carecoord, _ = Taxonomy.objects.get_or_create(
        id=taxonomy.TAXONOMY_ID, defaults={"name": "CareCoord", "description": "Test"})
    term, _ = TaxonomyTerm.objects.get_or_create(
        code=f"test-{domain_code}", defaults={
            "id": str(uuid.uuid4()), "name": domain_code, "description": domain_code,
            "taxonomy_detail": carecoord,
            "need_domain": NeedDomain.objects.get(code=domain_code)})
    return term


def service(name=None, *, domain="food", organization="Foodshare (synthetic)", center=None,
            status="active") -> Service:
    org, _ = Organization.objects.get_or_create(
        name=organization, defaults={"id": str(uuid.uuid4()), "description": "Synthetic"})
    entry = Service.objects.create(id=str(uuid.uuid4()), organization=org, center=center,
                                   name=name or f"Service {next(_serial)} (synthetic)",
                                   status=status)
    Attribute.objects.create(id=str(uuid.uuid4()), link_id=entry.pk, link_entity="service",
                             taxonomy_term=_term(domain), link_type="service_category")
    return entry


def need(child, domain="food", description=None) -> Need:
    code_reach = NeedDomain.objects.get(code=domain).usual_reach
    return Need.objects.create(
        plan=child.care_plans.get(), domain=NeedDomain.objects.get(code=domain),
        description=description or f"A {domain} need (synthetic)", raised_by="family",
        family_priority="high", reach=code_reach,
        expectation="" if code_reach == "within_reach" else "Set with the family.",
        opened_on=days_ago(60))


def consent(child, organization="Foodshare (synthetic)", *, scope="care_plan", given=None,
            expires=None, revoked=None) -> Consent:
    given = given or days_ago(30)
    return Consent.objects.create(
        child=child, given_by=child.household.guardians.first(),
        shared_with_other=organization, scope=scope, given_on=given,
        expires_on=expires or given + datetime.timedelta(days=365), revoked_on=revoked)


def send(network, need_, service_, *, how="phone", on=None, user=None, child=None, **extra):
    return services.send_referral(user=user or network["nurse.nc"],
                                  child=child or network.child_nc, need=need_, service=service_,
                                  sent_how=how, sent_on=on or days_ago(20), **extra)


def referred(network, *, domain="food", how="phone", on=None):
    """A need, a service for it, the consent that covers it, and the referral sent."""
    child = network.child_nc
    need_ = need(child, domain)
    service_ = service(domain=domain)
    if how != "family":
        consent(child, service_.organization.name)
    return send(network, need_, service_, how=how, on=on)


def step(network, referral, kind, *, user=None, **fields):
    """Record a step with the referral's current version."""
    referral.refresh_from_db()
    call = {"acknowledged": services.record_acknowledged, "scheduled": services.record_scheduled,
            "received": services.record_received, "failed": services.record_failure}[kind]
    return call(user=user or network["nurse.nc"], referral=referral,
                expected_version=referral.version, **fields)
