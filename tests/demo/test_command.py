"""The commands and the guarantees around a load: determinism, refusing to overwrite, replacing,
auditing, and what an empty database shows."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carecoord.accounts.models import Center, Role, User
from carecoord.audit.models import AuditEvent
from carecoord.careplans.models import (
    Action,
    CarePlan,
    CarePlanVersion,
    FamilyPriority,
    Goal,
    Need,
    Strength,
)
from carecoord.contacts.models import Contact
from carecoord.demo.directory import DEMO_PASSWORD
from carecoord.demo.generator import DemoNetworkError, generate_network
from carecoord.families.models import (
    Child,
    Consent,
    CoordinatorAssignment,
    Diagnosis,
    Enrollment,
    Guardian,
    Household,
    Referral,
    ReferralStatusChange,
)

from .conftest import AS_OF

pytestmark = pytest.mark.django_db

CHILD_KEY = ("first_name", "last_name", "date_of_birth")
ID_KEYS = ("id", "need_id", "goal_id")


def without_ids(snapshot: dict) -> dict:
    """A version's snapshot without the row ids it names (they grow with every load)."""
    return {section: [{k: v for k, v in item.items() if k not in ID_KEYS} for item in items]
            if isinstance(items, list) else items for section, items in snapshot.items()}


def network_digest() -> str:
    """A fingerprint of the generated rows by their content (never their ids, which grow with
    every load), in creation order."""
    def rows(model, *fields):
        return list(model.objects.order_by("pk").values_list(*fields))

    child = [f"child__{name}" for name in CHILD_KEY]
    content = [
        rows(User, "username", "role", "discipline", "center__short_name", "practice__npi",
             "fte", "caseload_capacity"),
        rows(Household, "address_line1", "address_line2", "town__name", "zip_code",
             "center__short_name"),
        rows(Guardian, "first_name", "last_name", "relationship", "preferred_language__code",
             "interpreter_needed", "phone", "phone_can_text", "email", "preferred_channels",
             "best_days", "best_time_from", "best_time_to"),
        rows(Child, *CHILD_KEY, "sex", "preferred_language__code", "ethnicity", "insurance_type",
             "insurance_member_id", "grade", "school_name", "pcp__npi", "household__zip_code"),
        rows(Child.races.through, "child__first_name", "racecategory__code"),
        rows(Diagnosis, *child, "code", "recorded_on", "source"),
        rows(Referral, *child, "center__short_name", "source_type", "referring_clinician__npi",
             "referrer_name", "received_on", "status", "urgency", "first_contact_on",
             "decided_on", "decline_reason"),
        rows(ReferralStatusChange, "referral__received_on", "to_status", "changed_at",
             "changed_by__username"),
        rows(Enrollment, *child, "start_date", "discharge_date", "discharge_reason"),
        rows(CoordinatorAssignment, "enrollment__start_date", "coordinator__username",
             "start_date", "end_date"),
        rows(Consent, *child, "given_by__first_name", "shared_with_practice__npi", "given_on",
             "expires_on", "revoked_on"),
        rows(CarePlan, *child, "enrollment__start_date", "language__code", "status",
             "review_due_on", "review_reason", "created_by__username", "version"),
        rows(FamilyPriority, "plan__child__first_name", "text", "language__code", "translation",
             "rank", "voiced_by__first_name"),
        rows(Strength, "plan__child__first_name", "text", "protective_factor"),
        rows(Need, "plan__child__first_name", "domain__code", "description", "raised_by",
             "family_priority", "provider_priority", "reach", "expectation", "status",
             "opened_on", "closed_on", "outcome"),
        rows(Goal, "need__description", "statement", "measure", "target_date", "status",
             "outcome"),
        rows(Action, "goal__statement", "description", "owner", "owner_name", "due_on",
             "status", "completed_on"),
        rows(CarePlanVersion, "plan__child__first_name", "number", "agreed_on", "agreed_by_name",
             "agreed_how", "recorded_by__username", "review_due_on"),
        [without_ids(snapshot) for snapshot in
         CarePlanVersion.objects.order_by("pk").values_list("snapshot", flat=True)],
        [(plan, version) for plan, version in CarePlan.objects.order_by("pk").values_list(
            "enrollment__start_date", "current_version__number")],
        rows(Contact, *child, "staff__username", "channel", "direction", "occurred_at",
             "reached", "duration_minutes", "guardian__first_name", "participants",
             "interpreter_language__code", "notes"),
        rows(Contact.goals.through, "contact__occurred_at", "goal__statement"),
        rows(Contact.actions.through, "contact__occurred_at", "action__description"),
    ]
    return hashlib.sha256(repr(content).encode()).hexdigest()


def test_same_seed_and_date_give_the_same_network():
    generate_network(children=150, seed=11, as_of=AS_OF)
    first = network_digest()
    generate_network(children=150, seed=11, as_of=AS_OF, replace=True)
    assert network_digest() == first
    generate_network(children=150, seed=12, as_of=AS_OF, replace=True)
    assert network_digest() != first


def test_command_loads_refuses_skips_and_replaces():
    out = StringIO()
    call_command("demo_network", "--children", "60", "--seed", "3", "--as-of", "2026-06-30",
                 stdout=out)
    assert "children: 60" in out.getvalue() and "with siblings" in out.getvalue()
    for label in ("care plans:", "versions:", "needs:", "goals:", "actions:", "contacts:"):
        assert label in out.getvalue()
    assert Child.objects.count() == 60
    with pytest.raises(CommandError, match="--replace"):
        call_command("demo_network", "--children", "60", "--seed", "3", stdout=StringIO())
    out = StringIO()
    call_command("demo_network", "--children", "90", "--seed", "3", "--if-empty", stdout=out)
    assert "not loaded" in out.getvalue()
    assert Child.objects.count() == 60
    call_command("demo_network", "--children", "40", "--seed", "4", "--as-of", "2026-06-30",
                 "--replace", stdout=StringIO())
    assert Child.objects.count() == 40
    children = Child.objects.all()
    assert CarePlan.objects.exists() and Contact.objects.exists()
    assert not CarePlan.objects.exclude(child__in=children).exists()
    assert not Contact.objects.exclude(child__in=children).exists()
    assert not CarePlanVersion.objects.exclude(plan__child__in=children).exists()
    assert Center.objects.count() == 5
    assert User.objects.filter(username="nurse.nc").count() == 1


def test_each_load_and_replacement_is_one_audit_event():
    before = AuditEvent.objects.count()
    generate_network(children=30, seed=5, as_of=AS_OF)
    generate_network(children=30, seed=6, as_of=AS_OF, replace=True)
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "demo.network"), ("delete", "demo.network"), ("create", "demo.network")]
    assert events[0].detail["seed"] == 5 and events[0].detail["children"] == 30
    assert events[1].detail["deleted"]["families.child"] == 30
    assert events[1].detail["deleted"]["contacts.contact"] == events[0].detail["contacts"]
    assert (events[1].detail["deleted"]["careplans.careplan"]
            == events[0].detail["care_plans"] > 0)


def test_if_empty_loads_into_an_empty_database_and_the_demo_password_works(client):
    call_command("demo_network", "--children", "20", "--seed", "1", "--if-empty",
                 "--as-of", "2026-06-30", stdout=StringIO())
    assert Child.objects.count() == 20
    assert User.objects.get(username="nurse.nc").check_password(DEMO_PASSWORD)
    assert client.login(username="supervisor.nc", password=DEMO_PASSWORD)


def test_replace_refuses_when_other_records_point_into_the_network():
    generate_network(children=20, seed=1, as_of=AS_OF)
    User.objects.create(username="jane", role=Role.COORDINATOR, discipline="nurse",
                        caseload_capacity=50, center=Center.objects.get(is_hub=True))
    with pytest.raises(DemoNetworkError, match="accounts.User"):
        generate_network(children=20, seed=1, as_of=AS_OF, replace=True)
    assert Child.objects.count() == 20


def test_refuses_a_username_taken_by_someone_else_and_a_future_date():
    User.objects.create(username="admin", email="someone@example.org")
    with pytest.raises(DemoNetworkError, match="admin"):
        generate_network(children=20, seed=1, as_of=AS_OF)
    with pytest.raises(DemoNetworkError, match="future"):
        generate_network(children=20, seed=1, as_of=datetime.date.today()
                         + datetime.timedelta(days=400))


def test_demo_logins_says_nothing_without_a_demo():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert out.getvalue() == ""
