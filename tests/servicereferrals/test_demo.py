"""The demo's referrals and unmet-needs register follow the rules their services enforce and
agree with what the care plans say of each need."""

from collections import Counter

import pytest

from carecoord.careplans.models import Need
from carecoord.servicereferrals import consent as consent_rules
from carecoord.servicereferrals import steps
from carecoord.servicereferrals.models import ServiceReferral, StatusChange
from carecoord.unmetneeds.models import UnmetNeed
from tests.demo.conftest import shared_network

pytestmark = pytest.mark.django_db

demo = shared_network(children=1500, seed=2026)


def test_referrals_come_in_every_status_and_are_valid(demo):
    referrals = list(ServiceReferral.objects.select_related("need__domain", "consent", "child",
                                                            "service__organization"))
    statuses = Counter(r.status for r in referrals)
    assert set(statuses) == set(steps.LABELS), statuses
    assert demo.counts["service_referrals"] == len(referrals)
    for referral in referrals:
        referral.full_clean()
        assert referral.need.plan.child_id == referral.child_id
        assert referral.service is not None and referral.service.status == "active"
        assert referral.service.center_id in (None, referral.child.center_id)
        assert referral.sent_on <= demo.as_of and (referral.closed_on or referral.sent_on) <= (
            demo.as_of)
        if referral.sent_how == "family":
            assert referral.consent is None and referral.consent_basis == "not_shared"
        else:
            assert not consent_rules.covers(
                referral.consent, recipients={referral.organization_name.lower()},
                scopes=consent_rules.scopes_for(referral.need.domain.code), on=referral.sent_on)


def test_each_referral_has_its_history_and_a_version_per_step(demo):
    history: dict[int, list[StatusChange]] = {}
    for change in StatusChange.objects.order_by("on", "recorded_at", "pk"):
        history.setdefault(change.referral_id, []).append(change)
    for referral in ServiceReferral.objects.all():
        changes = history[referral.pk]
        assert changes[0].status == steps.SENT and changes[-1].status == referral.status
        assert referral.version == len(changes)
        for before, after in zip(changes, changes[1:]):
            steps.check(before.status, after.status)
            assert before.on <= after.on


def test_referrals_agree_with_the_need_they_answer(demo):
    needs = {n.pk: n for n in Need.objects.filter(service_referrals__isnull=False)}
    by_need: dict[int, list[ServiceReferral]] = {}
    for referral in ServiceReferral.objects.order_by("sent_on", "pk"):
        by_need.setdefault(referral.need_id, []).append(referral)
    for need_id, referrals in by_need.items():
        need = needs[need_id]
        received = [r for r in referrals if r.status == steps.RECEIVED]
        if need.status == "met":
            assert received and received[-1].received_on == need.closed_on
        else:
            assert not received
        if need.status in ("unmet", "withdrawn"):
            assert not any(r.is_open for r in referrals)
            assert all(r.closed_on <= need.closed_on for r in referrals)
        if need.status == "open":
            raise AssertionError("a referral sent leaves no need open")


def test_every_unmet_need_is_in_the_register_housing_mostly_outside_control(demo):
    unmet = Need.objects.filter(status="unmet")
    entries = list(UnmetNeed.objects.select_related("need", "child__household__town", "domain")
                   .prefetch_related("referrals"))
    assert {e.need_id for e in entries} == set(unmet.values_list("pk", flat=True))
    assert len(entries) == demo.counts["unmet_needs"] > 20
    for e in entries:
        e.full_clean()
        assert e.recorded_on == e.need.closed_on and e.domain_id == e.need.domain_id
        assert e.town == e.child.household.town and e.region_id == e.town.region_id
        assert all(r.status in steps.FAILED and r.need_id == e.need_id
                   for r in e.referrals.all())
    housing = Counter(e.reason for e in entries if e.domain.code == "housing")
    assert housing and housing.most_common(1)[0][0] == "outside_control"
    assert any(e.referrals.all() for e in entries)


def test_agreed_versions_say_what_the_need_was_on_the_day(demo):
    from carecoord.careplans.models import CarePlanVersion

    closed = {n.pk: n for n in Need.objects.filter(status="unmet", domain__code="housing")}
    checked = 0
    for version in CarePlanVersion.objects.filter(plan__needs__in=closed.values()).distinct():
        for item in version.snapshot["needs"]:
            need = closed.get(item["id"])
            if need is not None and need.closed_on <= version.agreed_on:
                assert item["status"] == "unmet"
                checked += 1
    assert checked
