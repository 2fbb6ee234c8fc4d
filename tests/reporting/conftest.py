"""A small network with a hand-countable history, for the program measures.

The Network (tests/factories.py) gives the North Central hub one child (Sofia Rivera, about 9,
PCP practice, nurse.nc) and Eastern one (Liam Kowalski, PCP practice, nurse.ea), each enrolled
30 days ago from a referral received 40 days ago, first contact 35 days ago (5 days), each with
a care plan. Added here, at the hub:

  teen   Ana Teen, 15, PCP practice, social.nc, enrolled 100 days ago (referral 110, contact 105)
  young  Ben Young, born 2018, no PCP, nurse.nc, enrolled 200 days ago (referral 210, first
         contact 201: 9 days)
  yara   Yara Adult, 19, no PCP, social.nc, enrolled 60 days ago (referral 70, contact 65)
  old    Olga Old, enrolled 800 days ago and discharged 500 days ago: outside the period

The period is the 365 days to today. Every expected figure is worked out in the tests."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from carecoord.accounts.models import Town
from carecoord.acuity.models import CurrentAcuity, Stratification
from carecoord.careplans.assessment_results import PROTECTIVE_FACTORS_CHECKIN
from carecoord.careplans.models import (
    Assessment,
    CarePlan,
    CarePlanVersion,
    FamilyPriority,
    Goal,
    Need,
    NeedDomain,
)
from carecoord.contacts.models import Contact
from carecoord.families.models import Child, Referral
from carecoord.servicereferrals.models import ServiceReferral
from carecoord.sharing.models import PlanShare, Recipient
from carecoord.transition.models import ElementCompletion, TransitionRecord
from carecoord.unmetneeds.models import UnmetNeed
from tests.factories import Network, child, consent, enrolled

TODAY = timezone.localdate()


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def years_ago(years: int, extra_days: int = 0) -> datetime.date:
    return TODAY.replace(year=TODAY.year - years, day=min(TODAY.day, 28)) - datetime.timedelta(
        days=extra_days)


def _stratify(kid: Child, tier: int, discipline: str):
    s = Stratification.objects.create(
        child=kid, as_of=TODAY, trigger="manual", pmca_less="non_chronic",
        pmca_more="non_chronic", medical_complexity="non_chronic", social_complexity="low",
        tier=tier, tier_label=f"Tier {tier}", discipline=discipline, discipline_reason="test")
    CurrentAcuity.objects.create(child=kid, stratification=s, tier=tier, discipline=discipline)


def _plan(kid: Child, user) -> CarePlan:
    return CarePlan.objects.filter(child=kid).first() or CarePlan.objects.create(
        enrollment=kid.enrollments.get(), child=kid, center=kid.center,
        language=kid.preferred_language, created_by=user)


def _version(plan: CarePlan, user, agreed_on) -> CarePlanVersion:
    return CarePlanVersion.objects.create(
        plan=plan, number=plan.versions.count() + 1, agreed_on=agreed_on,
        agreed_by_name="Maria", agreed_how="in_person", recorded_by=user,
        review_due_on=agreed_on + datetime.timedelta(days=182), snapshot={})


def _contact(kid, user, channel, reached, days):
    return Contact.objects.create(child=kid, staff=user, channel=channel, reached=reached,
                                  occurred_at=timezone.now() - datetime.timedelta(days=days))


def _checkin(kid, user, days, score, corrects=None):
    return Assessment.objects.create(
        child=kid, center=kid.center, instrument_id=PROTECTIVE_FACTORS_CHECKIN,
        instrument_title="Check-in", context="review", administered_on=ago(days),
        administered_by=user, respondent_name="Maria", language="en", answers={},
        result={"subscale_scores_exact": {"parental_resilience": score,
                                          "social_connections": score}},
        corrects=corrects)


class History:
    def __init__(self):
        n = self.network = Network()
        hub = n.hub
        nurse, social = n["nurse.nc"], n["social.nc"]
        social.fte = Decimal("0.50")
        social.save()
        self.teen = child(hub, first="Ana", last="Teen", dob=years_ago(15),
                          pcp_practice=n.practice_nc)
        self.young = child(hub, first="Ben", last="Young", dob=datetime.date(2018, 6, 1))
        self.yara = child(hub, first="Yara", last="Adult", dob=years_ago(19))
        self.old = child(hub, first="Olga", last="Old", dob=datetime.date(2015, 1, 1))
        enrolled(self.teen, social, start=ago(100))
        enrolled(self.young, nurse, start=ago(200))
        Referral.objects.filter(child=self.young).update(first_contact_on=ago(201))
        enrolled(self.yara, social, start=ago(60))
        old = enrolled(self.old, nurse, start=ago(800))
        old.assignments.update(end_date=ago(500))
        old.discharge_date, old.discharge_reason = ago(500), "goals_met"
        old.save()

        _stratify(n.child_nc, 2, "nurse")
        _stratify(self.teen, 3, "social_worker")

        # Contacts: hub phone 3 (2 reached) and a home visit (reached), one phone call
        # 400 days ago (outside); Eastern 2 texts, none reached.
        _contact(n.child_nc, nurse, "phone", True, 10)
        _contact(n.child_nc, nurse, "phone", True, 12)
        _contact(n.child_nc, nurse, "phone", False, 14)
        _contact(self.teen, social, "home_visit", True, 20)
        _contact(n.child_nc, nurse, "phone", True, 400)
        _contact(n.child_ea, n["nurse.ea"], "text", False, 3)
        _contact(n.child_ea, n["nurse.ea"], "text", False, 4)

        # Care plans: Sofia's agreed 20 days ago (current), Ana's 300 days ago (not current),
        # Ben's never agreed; Yara has none.
        self.plan_nc = _plan(n.child_nc, nurse)
        plan_teen = _plan(self.teen, social)
        _plan(self.young, nurse)
        self.version_nc = _version(self.plan_nc, nurse, ago(20))
        version_teen = _version(plan_teen, social, ago(300))
        es = n.child_nc.preferred_language
        FamilyPriority.objects.create(plan=self.plan_nc, text="Escuela", language=es)
        FamilyPriority.objects.create(plan=plan_teen, text="School", language=es)

        # Goals: Sofia's met (10 days ago), in progress (5), discontinued (20: left out),
        # due in 30 days (outside); Ana's met (50 days ago).
        for plan, days, status in ((self.plan_nc, 10, "met"), (self.plan_nc, 5, "in_progress"),
                                   (self.plan_nc, 20, "discontinued"),
                                   (self.plan_nc, -30, "met"), (plan_teen, 50, "met")):
            Goal.objects.create(plan=plan, statement="A goal", measure="done",
                                target_date=ago(days), status=status, outcome="done")

        # Service referrals of Sofia: received (sent 60 days ago, closed 30: 30 days), no
        # capacity (sent 40, closed 20: 20 days), open (sent 10), and one sent 500 days ago
        # and closed 400 days ago (outside both periods).
        housing = NeedDomain.objects.get(code="housing")
        food = NeedDomain.objects.get(code="food")
        need = Need.objects.create(plan=self.plan_nc, domain=housing, description="Housing",
                                   raised_by="family", family_priority="high",
                                   reach="outside_control", expectation="Waitlists are long.",
                                   opened_on=ago(100))
        for sent, status, closed, received in ((60, "service_received", 30, 30),
                                               (40, "no_capacity", 20, None),
                                               (10, "sent", None, None),
                                               (500, "no_capacity", 400, None)):
            ServiceReferral.objects.create(
                child=n.child_nc, need=need, service_name="Shelter", organization_name="Org",
                sent_how="family", sent_on=ago(sent), sent_by=nurse, consent_basis="not_shared",
                consent_checked="nothing shared", status=status,
                acknowledged_on=ago(received + 5) if received else None,
                scheduled_on=ago(received + 2) if received else None,
                received_on=ago(received) if received else None,
                closed_on=ago(closed) if closed else None)

        # Unmet needs: hub housing 2 and food 1 in Hartford; Eastern housing 1 in Norwich;
        # one at the hub 400 days ago (outside).
        hartford, norwich = Town.objects.get(name="Hartford"), Town.objects.get(name="Norwich")
        for kid, domain, town, days in ((n.child_nc, housing, hartford, 10),
                                        (self.teen, housing, hartford, 20),
                                        (self.teen, food, hartford, 30),
                                        (n.child_ea, housing, norwich, 5),
                                        (n.child_nc, food, hartford, 400)):
            UnmetNeed.objects.create(child=kid, need=need, reason="outside_control",
                                     details="none", recorded_on=ago(days), recorded_by=nurse,
                                     center=kid.center, region=kid.center.region, town=town,
                                     domain=domain)

        # Protective factors: Sofia 2 → 3 (improved); Ana 3 → 1 corrected to 3 (unchanged);
        # Ben one check-in only (left out); Liam 4 → 3 (declined, Eastern).
        _checkin(n.child_nc, nurse, 200, "2")
        _checkin(n.child_nc, nurse, 10, "3")
        _checkin(self.teen, social, 300, "3")
        wrong = _checkin(self.teen, social, 50, "1")
        _checkin(self.teen, social, 49, "3", corrects=wrong)
        _checkin(self.young, nurse, 30, "2")
        _checkin(n.child_ea, n["nurse.ea"], 100, "4")
        _checkin(n.child_ea, n["nurse.ea"], 50, "7/2")

        # Transition: Ana (15) has the planning element done 30 days ago; Yara (19) has none.
        record = TransitionRecord.objects.create(child=self.teen)
        ElementCompletion.objects.create(record=record, element="transition_planning",
                                         done_on=ago(30), recorded_by=social)

        # Plan shares: Sofia's plan delivered to her PCP practice 15 days ago; Ana's failed.
        recipient = Recipient.objects.create(practice=n.practice_nc, fax_number="860-555-0100",
                                             preferred_route="fax")
        teen_consent = consent(self.teen, n.practice_nc)
        for kid, version, status, cons in (
                (n.child_nc, self.version_nc, "delivered", n.child_nc.consents.get()),
                (self.teen, version_teen, "failed", teen_consent)):
            PlanShare.objects.create(
                version=version, child=kid, center=hub, recipient=recipient,
                recipient_name="Asylum Hill", route="fax", address="860-555-0100",
                consent=cons, consent_scope="care_plan",
                sent_at=timezone.now() - datetime.timedelta(days=15), sent_by=nurse,
                status=status)


@pytest.fixture
def history(db):
    return History()
