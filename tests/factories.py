"""Small builders for test data: a two-center network with a user of every role, and children
built through the real services where the rules matter."""

import datetime
import itertools

from django.utils import timezone

from carecoord.accounts.models import Center, Discipline, Language, Region, Role, Town, User
from carecoord.careplans.models import CarePlan
from carecoord.families.models import (
    Child,
    Clinician,
    Consent,
    CoordinatorAssignment,
    Enrollment,
    Guardian,
    Household,
    Practice,
    Referral,
)
from carecoord.families.npi import with_check_digit

PASSWORD = "test-password-123"
_serial = itertools.count(1)
TODAY = timezone.localdate


def npi(kind="1"):
    return with_check_digit(f"{kind}{next(_serial):08d}")


def center(region_name: str, town_name: str, *, hub=False) -> Center:
    region = Region.objects.get(name=region_name)
    return Center.objects.create(
        name=f"Center for Care Coordination – {region_name}", short_name=region_name,
        region=region, is_hub=hub, town=Town.objects.get(name=town_name),
    )


def user(username, role, *, center=None, discipline="", practice=None, **extra) -> User:
    u = User(username=username, role=role, center=center, discipline=discipline,
             practice=practice, first_name=username.split(".")[0].title(),
             last_name=username.split(".")[-1].upper(), **extra)
    if role == Role.COORDINATOR:
        u.caseload_capacity = extra.get("caseload_capacity", 60)
    u.set_password(PASSWORD)
    u.full_clean()
    u.save()
    return u


def practice(town_name="Hartford", name=None) -> Practice:
    return Practice.objects.create(
        name=name or f"Pediatric Practice {next(_serial)}", kind=Practice.Kind.PRIMARY_CARE,
        town=Town.objects.get(name=town_name), npi=npi("2"),
    )


def clinician(practice=None, **extra) -> Clinician:
    return Clinician.objects.create(first_name="Ana", last_name=f"Pediatra{next(_serial)}",
                                    credentials="MD", npi=npi(), specialty="Pediatrics",
                                    is_pcp=True, practice=practice, **extra)


def child(center: Center, *, town_name=None, first="Sofia", last="Rivera", dob=None,
          pcp_practice=None, household=None, language_code="es") -> Child:
    town = Town.objects.get(name=town_name) if town_name else center.town
    if household is None:
        household = Household.objects.create(town=town, center=center,
                                             address_line1="12 Fictional St", zip_code="06106")
        Guardian.objects.create(household=household, first_name="Maria", last_name=last,
                                relationship=Guardian.Relationship.MOTHER, phone="860-555-0142",
                                is_primary_contact=True)
    return Child.objects.create(
        first_name=first, last_name=last, date_of_birth=dob or datetime.date(2016, 4, 2),
        sex=Child.Sex.FEMALE, preferred_language=Language.objects.get(code=language_code),
        household=household, center=center, insurance_type=Child.Insurance.HUSKY_A,
        insurance_member_id="HA123456", pcp_practice=pcp_practice,
    )


def enrolled(child: Child, coordinator: User, start=None) -> Enrollment:
    start = start or TODAY() - datetime.timedelta(days=30)
    referral = Referral.objects.create(
        child=child, center=child.center, source_type=Referral.SourceType.SCHOOL,
        received_on=start - datetime.timedelta(days=10), reason="Needs help with IEP",
        status=Referral.Status.ENROLLED, first_contact_on=start - datetime.timedelta(days=5),
    )
    enrollment = Enrollment.objects.create(child=child, center=child.center, referral=referral,
                                           start_date=start)
    CoordinatorAssignment.objects.create(enrollment=enrollment, coordinator=coordinator,
                                         start_date=start)
    return enrollment


def consent(child: Child, practice: Practice, *, given=None, expires=None, revoked=None):
    given = given or TODAY() - datetime.timedelta(days=10)
    return Consent.objects.create(
        child=child, shared_with_practice=practice, scope=Consent.Scope.CARE_PLAN,
        given_on=given, expires_on=expires or given + datetime.timedelta(days=365),
        revoked_on=revoked,
    )


def ensure_reference_data():
    """Regions, towns, languages and race categories, as the data migrations load them. A
    transactional (browser) test flushes the database when it ends, so the next one reloads."""
    import importlib

    from django.apps import apps

    if Region.objects.exists():
        return
    for module in ("carecoord.accounts.migrations.0003_reference_data",
                   "carecoord.families.migrations.0002_race_categories",
                   "carecoord.careplans.migrations.0002_need_domains"):
        importlib.import_module(module).load(apps, None)


class Network:
    """Two centers (the North Central hub and Eastern) with one user of every role each, a
    provider practice in each, and one child per center."""

    def __init__(self):
        ensure_reference_data()
        self.hub = center("North Central", "Hartford", hub=True)
        self.east = center("Eastern", "Norwich")
        self.users = {}
        for c, tag in ((self.hub, "nc"), (self.east, "ea")):
            self.users[f"nurse.{tag}"] = user(f"nurse.{tag}", Role.COORDINATOR, center=c,
                                              discipline=Discipline.NURSE)
            self.users[f"social.{tag}"] = user(f"social.{tag}", Role.COORDINATOR, center=c,
                                               discipline=Discipline.SOCIAL_WORKER)
            self.users[f"supervisor.{tag}"] = user(f"supervisor.{tag}", Role.SUPERVISOR,
                                                   center=c)
            self.users[f"admin.{tag}"] = user(f"admin.{tag}", Role.CENTER_ADMIN, center=c)
        self.users["ta.hub"] = user("ta.hub", Role.HUB_TA, center=self.hub)
        self.users["titlev.state"] = user("titlev.state", Role.TITLE_V)
        self.practice_nc = practice("Hartford", "Asylum Hill Pediatrics (synthetic)")
        self.practice_ea = practice("Norwich", "Norwich Family Pediatrics (synthetic)")
        self.users["provider.nc"] = user("provider.nc", Role.PROVIDER, practice=self.practice_nc)
        self.users["provider.ea"] = user("provider.ea", Role.PROVIDER, practice=self.practice_ea)
        self.users["norole"] = user("norole", "")
        self.child_nc = child(self.hub, first="Sofia", last="Rivera",
                              pcp_practice=self.practice_nc)
        self.child_ea = child(self.east, first="Liam", last="Kowalski",
                              pcp_practice=self.practice_ea, language_code="pl")
        enrolled(self.child_nc, self.users["nurse.nc"])
        enrolled(self.child_ea, self.users["nurse.ea"])
        consent(self.child_nc, self.practice_nc)
        consent(self.child_ea, self.practice_ea)
        for kid, nurse in ((self.child_nc, "nurse.nc"), (self.child_ea, "nurse.ea")):
            CarePlan.objects.create(enrollment=kid.enrollments.get(), child=kid,
                                    center=kid.center, language=kid.preferred_language,
                                    created_by=self.users[nurse])

    def __getitem__(self, username):
        return self.users[username]
