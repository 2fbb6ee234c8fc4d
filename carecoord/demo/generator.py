"""The synthetic demo network: Connecticut's five care coordination centers with their staff and
provider directory, and N children with households, guardians, referrals, enrollments,
coordinator assignments, consents and diagnoses, and the center's working year around them:
care plans with their agreed versions, and the contact log.

`generate_network` is the one entry point (the management command only parses arguments). It
writes with multi-row inserts (`bulk.py`) in batches of households inside one transaction, so
100,000 children take minutes and a failure leaves nothing behind. Bulk writes skip the per-row
audit signals; the load is recorded instead as one audit event, `create demo.network`, with its
counts and seed (and a replaced network as one `delete demo.network`)."""

import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from carecoord.accounts.models import Center, User
from carecoord.acuity.models import CurrentAcuity, Stratification
from carecoord.acuity.services import stratify_many
from carecoord.audit.models import Action
from carecoord.audit.services import record_event
from carecoord.careplans import models as careplans
from carecoord.connections.models import OrganizationConnection
from carecoord.contacts.models import Contact, Task
from carecoord.coverage.models import CoverageApplication, DocumentRequest
from carecoord.directory.models import HSDS_MODELS
from carecoord.education.models import SchoolMeeting, SchoolSupport
from carecoord.families.models import (
    Child,
    Clinician,
    Consent,
    CoordinatorAssignment,
    Diagnosis,
    Enrollment,
    Guardian,
    Household,
    Practice,
    RaceCategory,
    Referral,
    ReferralStatusChange,
)
from carecoord.peersupport.models import PeerMatch, SupportParent
from carecoord.servicereferrals.models import ServiceReferral, StatusChange
from carecoord.sharing.models import Recipient
from carecoord.transition.models import ElementCompletion, TransitionRecord
from carecoord.unmetneeds.models import UnmetNeed

from . import bulk, datafiles
from .benefits import BenefitFactory, write_benefits
from .chance import Weighted
from .contacts import ContactFactory, write_contacts
from .directory import (
    DEMO_EMAIL_DOMAIN,
    DirectoryBuilder,
    ReferenceData,
    create_centers,
    create_staff,
)
from .episodes import EpisodeFactory, Rows
from .families import CenterContext, FamilyFactory, HouseholdPlan
from .hsds_directory import build_demo_directory
from .plans import PlanFactory, episodes_of, write_plans
from .screenings import ScreeningFactory, write_screenings
from .service_referrals import ServiceReferralFactory, write_service_referrals
from .technical_assistance import TA_MODELS, build_technical_assistance
from .workflows import WorkflowFactory, write_workflows

AUDIT_OBJECT_TYPE = "demo.network"
BATCH_HOUSEHOLDS = 2000  # enough rows per batch for fast inserts, few enough to keep memory flat

# Every table the generator fills, in an order that deletes dependents first (the demo users
# go between the families and the directory they work in). A plan and its current version point
# at each other; foreign keys are checked at commit, when both are gone.
FAMILY_MODELS = (
    *TA_MODELS,
    UnmetNeed.referrals.through, UnmetNeed, StatusChange, ServiceReferral,
    Task, DocumentRequest, CoverageApplication, OrganizationConnection,
    CurrentAcuity, Stratification, careplans.Assessment, PeerMatch, SupportParent,
    SchoolMeeting, SchoolSupport, ElementCompletion, TransitionRecord,
    Contact.actions.through, Contact.goals.through, Contact,
    careplans.CarePlanVersion, careplans.Action, careplans.Goal, careplans.Need,
    careplans.Strength, careplans.FamilyPriority, careplans.CarePlan,
    ReferralStatusChange, CoordinatorAssignment, Consent, Diagnosis, Enrollment, Referral,
    Child.races.through, Child, Guardian.languages.through, Guardian, Household,
)
DIRECTORY_MODELS = (*reversed(HSDS_MODELS.values()), Recipient, Clinician, Practice, Center)
NETWORK_MODELS = FAMILY_MODELS + DIRECTORY_MODELS
# What hangs off a demo user and goes with it.
DEMO_USER_TABLES = (User.languages.through, User.groups.through, User.user_permissions.through,
                    LogEntry)


class DemoNetworkError(Exception):
    """The database is not in a state the generator may write into; the message says why."""


@dataclass
class Summary:
    seed: int
    as_of: datetime.date
    children_by_center: dict[str, int]
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        counts = self.counts
        per_center = ", ".join(f"{name} {count}" for name, count in
                               self.children_by_center.items())
        return [
            f"Demo network (seed {self.seed}, as of {self.as_of.isoformat()}):",
            f"  children: {counts['children']} ({per_center})",
            f"  households: {counts['households']}, of which "
            f"{counts['households_with_siblings']} with siblings; "
            f"guardians: {counts['guardians']}",
            f"  staff: {counts['staff']} at {counts['centers']} centers; other logins: "
            f"{counts['other_users']}",
            f"  practices: {counts['practices']}, clinicians: {counts['clinicians']}",
            f"  referrals: {counts['referrals']}, enrollments: {counts['enrollments']} "
            f"({counts['open_enrollments']} open), consents: {counts['consents']}, "
            f"diagnoses: {counts['diagnoses']}",
            f"  care plans: {counts['care_plans']} ({counts['care_plans_agreed']} agreed, "
            f"{counts['care_plans_draft']} draft, {counts['care_plans_in_review']} in review), "
            f"versions: {counts['care_plan_versions']}",
            f"  family priorities: {counts['family_priorities']}, strengths: "
            f"{counts['strengths']}, needs: {counts['needs']}, goals: {counts['goals']}, "
            f"actions: {counts['actions']}",
            f"  contacts: {counts['contacts']} ({counts['contact_attempts']} unanswered "
            f"attempts), linked to goals: {counts['contact_goal_links']}, to actions: "
            f"{counts['contact_action_links']}",
            f"  school supports: {counts['school_supports']} ({counts['school_meetings']} "
            f"meetings); transition records: {counts['transition_records']} "
            f"({counts['transition_elements_done']} core elements done); support parents: "
            f"{counts['support_parents']}, peer matches: {counts['peer_matches']}",
            f"  coverage applications: {counts['coverage_applications']} "
            f"({counts['coverage_approved']} approved, "
            f"{counts['coverage_document_requests']} document requests); organization "
            f"connections: {counts['organization_connections']} "
            f"({counts['organizations_connected']} connected)",
            f"  service referrals: {counts['service_referrals']} "
            f"({counts['service_referrals_received']} received, "
            f"{counts['service_referrals_failed']} failed); unmet needs in the register: "
            f"{counts['unmet_needs']}",
            f"  screenings: {counts['ahc_screenings']} AHC HRSN "
            f"({counts['ahc_positive']} with a positive domain), protective factors "
            f"check-ins: {counts['protective_factor_checkins']}",
            f"  stratified: {counts['stratified']} children",
            f"  took {self.seconds:.1f} s",
        ]

    def audit_detail(self) -> dict:
        return {"seed": self.seed, "as_of": self.as_of.isoformat(),
                "children_by_center": self.children_by_center, **dict(sorted(self.counts.items()))}


# ---------------------------------------------------------------- what is there already


def demo_users() -> QuerySet:
    return User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def network_exists() -> bool:
    """Whether there is a network to protect: centers, providers, children or demo users."""
    return any(model.objects.exists() for model in (Center, Child, Practice, Clinician)) or (
        demo_users().exists())


def _outside_references() -> list[str]:
    """Rows of tables the generator does not own that point into the network (a care plan, a
    user added by hand at a center). Deleting under them would break their foreign keys, so
    `--replace` refuses and names them instead."""
    owned = (*NETWORK_MODELS, *DEMO_USER_TABLES, User)
    targets = {model: model._default_manager.all() for model in NETWORK_MODELS
               if not model._meta.auto_created}
    targets[User] = demo_users()
    found = set()
    for target, rows in targets.items():
        # Reverse foreign keys, hidden ones included (related_name="+", many-to-many tables).
        for relation in target._meta.get_fields(include_hidden=True):
            if relation.concrete or not relation.is_relation or relation.many_to_many:
                continue
            source = relation.related_model
            if not source._meta.managed:
                continue  # a view of a table (the directory's full-text index), kept in step
            referring = source._default_manager.filter(**{f"{relation.field.name}__in": rows})
            if source is User:  # users added by hand, working at a demo center or practice
                referring = referring.exclude(pk__in=demo_users())
            elif source in owned:
                continue
            if count := referring.count():
                found.add(f"{source._meta.label} ({count} rows)")
    return sorted(found)


def delete_network() -> dict[str, int]:
    """Delete the whole network and the demo users, table by table. A raw delete per table
    skips loading millions of rows and the per-row audit signal; the caller records the
    deletion as one audit event. Audit events themselves are never deleted."""
    blockers = _outside_references()
    if blockers:
        raise DemoNetworkError(
            "Other records point into the demo network, so it cannot be replaced: "
            + ", ".join(blockers) + ". Delete those first or start from a fresh database.")
    users = demo_users()
    deleted = {}
    for model in FAMILY_MODELS:
        deleted[model._meta.label_lower] = _raw_delete(model._default_manager.all())
    for table in DEMO_USER_TABLES:
        _raw_delete(table._default_manager.filter(user__in=users))
    deleted["accounts.user"] = _raw_delete(users)
    for model in DIRECTORY_MODELS:
        deleted[model._meta.label_lower] = _raw_delete(model._default_manager.all())
    return deleted


def _raw_delete(rows: QuerySet) -> int:
    """One DELETE statement, without the collector that would load every row and send the
    per-row signals (Django's own fast path for deletes, private but stable)."""
    return rows._raw_delete(rows.db)


# ---------------------------------------------------------------- generation


def allocate(total: int, percents: list[float]) -> list[int]:
    """Split `total` by `percents` into whole numbers that add up exactly (largest
    remainders get the leftover units)."""
    exact = [total * p / sum(percents) for p in percents]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def generate_network(*, children: int, seed: int, as_of: datetime.date | None = None,
                     replace: bool = False) -> Summary:
    """Load a demo network of `children` children. The same seed and as-of date give the same
    rows. Refuses when a network is already there, unless `replace` deletes it first."""
    started = time.perf_counter()
    today = timezone.localdate()
    as_of = as_of or today
    if as_of > today:
        raise DemoNetworkError(f"The as-of date {as_of} is in the future: referral and birth "
                               "dates would fail validation.")
    if children < 1:
        raise DemoNetworkError("Generate at least one child.")
    with transaction.atomic():
        if network_exists():
            if not replace:
                raise DemoNetworkError(
                    "This database already has a network (centers, providers, children or demo "
                    "users). Use --replace to delete it and load a new demo, or --if-empty to "
                    "leave it as it is.")
            deleted = delete_network()
            record_event(action=Action.DELETE, object_type=AUDIT_OBJECT_TYPE,
                         detail={"deleted": deleted})
        summary = _generate(children, seed, as_of)
        record_event(action=Action.CREATE, object_type=AUDIT_OBJECT_TYPE,
                     detail=summary.audit_detail())
    _refresh_planner_statistics()
    summary.seconds = time.perf_counter() - started
    return summary


def _refresh_planner_statistics():
    """A bulk load leaves the query planner guessing (PostgreSQL plans a caseload page from
    empty-table estimates until autovacuum catches up): measure the new tables now."""
    if not connection.in_atomic_block:  # ANALYZE in a test's transaction is pointless
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _generate(children: int, seed: int, as_of: datetime.date) -> Summary:
    taken = sorted(User.objects.filter(username__in=[row.username for row in datafiles.staff()])
                   .values_list("username", flat=True))
    if taken:
        raise DemoNetworkError("These demo usernames belong to existing users: "
                               + ", ".join(taken) + ". Rename them before loading the demo.")
    rng = random.Random(seed)
    reference = ReferenceData.load()
    races = {race.code: race for race in RaceCategory.objects.order_by("code")}
    centers = create_centers(reference)
    directories = DirectoryBuilder(rng, reference).build(centers)
    staff = create_staff(centers, directories, reference)
    families = FamilyFactory(rng, as_of, reference, races)
    episodes = EpisodeFactory(rng, as_of, staff, directories, centers)
    # Plans and contacts draw from their own streams, so adding them left the families of a
    # given seed as they were.
    planner = PlanFactory(random.Random(f"{seed}:care-plans"), as_of, directories,
                          reference.languages)
    contact_log = ContactFactory(random.Random(f"{seed}:contacts"), as_of, staff)
    workflows = WorkflowFactory(random.Random(f"{seed}:workflows"), as_of)
    benefits = BenefitFactory(random.Random(f"{seed}:benefits"), as_of)
    screenings = ScreeningFactory(random.Random(f"{seed}:screenings"), as_of)
    service_referrals = ServiceReferralFactory(random.Random(f"{seed}:service-referrals"), as_of)
    weights = datafiles.town_weights()
    rows_by_center = {row.short_name: row for row in datafiles.centers()}
    targets = allocate(children, [row.child_percent for row in datafiles.centers()])
    summary = Summary(seed=seed, as_of=as_of, children_by_center={})
    counts = summary.counts
    counts.update(build_demo_directory(rng=random.Random(f"{seed}:hsds-directory"), as_of=as_of,
                                       centers=centers))
    for center, target in zip(centers, targets, strict=True):
        context = CenterContext(
            directory=directories[center.region_id],
            towns=Weighted((town, weights.get(town.name, 1))
                           for town in reference.towns_of(center.region)),
            area_codes=rows_by_center[center.short_name].area_codes,
        )
        remaining = target
        while remaining:
            batch: list[HouseholdPlan] = []
            while remaining and len(batch) < BATCH_HOUSEHOLDS:
                plan = families.household(context, remaining)
                remaining -= len(plan.children)
                batch.append(plan)
            _write_families(batch, counts)
            rows = episodes.for_households(batch)
            _write_episodes(rows, counts)
            enrolled = episodes_of(batch, rows, as_of)
            plans = planner.for_episodes(enrolled)
            write_plans(plans, counts)
            write_workflows(workflows.for_plans(plans), counts)
            write_benefits(benefits.for_plans(plans, rows.diagnoses), counts)
            write_service_referrals(service_referrals.for_plans(plans), counts)
            write_screenings(screenings.for_episodes(enrolled, plans), counts)
            write_contacts(contact_log.for_episodes(enrolled, plans), counts)
        summary.children_by_center[center.short_name] = target
    # Every child's tier, as the daily work and the supervisor's queue read it.
    counts.update(build_technical_assistance(
        rng=random.Random(f"{seed}:technical-assistance"), as_of=as_of, centers=centers,
        staff=staff))
    counts["stratified"] = stratify_many(Child.objects.filter(center__in=centers),
                                         trigger=Stratification.Trigger.BULK, as_of=as_of)
    counts["centers"] = len(centers)
    counts["staff"] = sum(1 for user in staff.users if user.center_id)
    counts["other_users"] = len(staff.users) - counts["staff"]
    counts["practices"] = sum(len(d.practices) for d in directories.values())
    counts["clinicians"] = sum(
        len(team) for d in directories.values()
        for team in (*d.pcps_by_kind.values(), *d.specialists.values()))
    return summary


def _write_families(batch: list[HouseholdPlan], counts: Counter) -> None:
    bulk.save_new([plan.household for plan in batch])
    guardians = [guardian for plan in batch for guardian in plan.guardians]
    bulk.save_new(guardians)
    bulk.insert(Guardian.languages.through, ("guardian_id", "language_id"), [
        (guardian.pk, language.pk) for plan in batch for guardian, language in
        plan.guardian_languages
    ], returning=False)
    children = [child for plan in batch for child in plan.children]
    bulk.save_new([plan.child for plan in children])
    bulk.insert(Child.races.through, ("child_id", "racecategory_id"), [
        (plan.child.pk, race.pk) for plan in children for race in plan.races
    ], returning=False)
    counts["households"] += len(batch)
    counts["households_with_siblings"] += sum(1 for plan in batch if len(plan.children) > 1)
    counts["guardians"] += len(guardians)
    counts["children"] += len(children)


def _write_episodes(rows: Rows, counts: Counter) -> None:
    for objs in (rows.referrals, rows.history, rows.enrollments, rows.assignments,
                 rows.consents, rows.diagnoses):
        bulk.save_new(objs)
    counts["referrals"] += len(rows.referrals)
    counts["enrollments"] += len(rows.enrollments)
    counts["open_enrollments"] += sum(1 for e in rows.enrollments if e.discharge_date is None)
    counts["consents"] += len(rows.consents)
    counts["diagnoses"] += len(rows.diagnoses)
