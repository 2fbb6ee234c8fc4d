"""Reads for the FHIR API. Each starts from the children a practice may see
(`policy.children_for_practice`) and loads what the mapping reads in a fixed number of
queries, whatever the number of results."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from carecoord.accounts import policy
from carecoord.accounts.models import Center, User
from carecoord.careplans.models import Action, Assessment, CarePlan, Goal, Need
from carecoord.contacts.models import Contact, Task
from carecoord.families.models import (
    Child,
    Clinician,
    Consent,
    CoordinatorAssignment,
    Diagnosis,
    Guardian,
    Practice,
)
from carecoord.servicereferrals.models import ServiceReferral


def children(practice_id: int) -> QuerySet:
    return policy.children_for_practice(practice_id)


def patients(practice_id: int) -> QuerySet:
    return children(practice_id).select_related(
        "household__town", "preferred_language", "pcp", "pcp_practice", "center",
    ).prefetch_related("races").order_by("pk")


@dataclass(frozen=True)
class GuardianOf:
    """A guardian in relation to one child: one RelatedPerson."""

    guardian: Guardian
    child: Child


def guardian_pairs(practice_id: int, where: Q = Q()) -> QuerySet:
    """(guardian id, child id) of every guardian of a child in scope, in id order. `where`
    goes into the same filter() as the join to the guardians, so a condition on
    household__guardians__… is about the guardian of the row, not any guardian of the house."""
    return children(practice_id).filter(Q(household__guardians__isnull=False) & where
                                        ).values_list("household__guardians__pk", "pk").order_by(
        "household__guardians__pk", "pk")


def guardians_of(pairs: list[tuple[int, int]]) -> list[GuardianOf]:
    guardians = Guardian.objects.select_related("preferred_language").in_bulk(
        {g for g, _ in pairs})
    kids = Child.objects.in_bulk({c for _, c in pairs})
    return [GuardianOf(guardians[g], kids[c]) for g, c in pairs]


def clinicians(practice_id: int) -> QuerySet:
    """The practice's own clinicians and the PCPs of the children it may see."""
    return Clinician.objects.filter(
        Q(practice_id=practice_id) | Q(pk__in=children(practice_id).values("pcp_id"))
    ).order_by("pk")


def clinician_roles(practice_id: int) -> QuerySet:
    """The clinicians (as above), each in their practice."""
    return clinicians(practice_id).select_related("practice")


def staff(practice_id: int) -> QuerySet:
    """The centers' staff who work with the children the practice may see: each child's
    coordinators (current and past), and whoever logged a contact with the child, holds or set
    one of its tasks, or gave one of its screenings. Each appears in the resources the
    practice reads (as a performer, owner, author), so each can be looked up."""
    kids = children(practice_id)
    return User.objects.filter(
        Q(pk__in=CoordinatorAssignment.objects.filter(enrollment__child__in=kids)
          .values("coordinator_id"))
        | Q(pk__in=Contact.objects.filter(child__in=kids).values("staff_id"))
        | Q(pk__in=Task.objects.filter(child__in=kids).values("assigned_to_id"))
        | Q(pk__in=Task.objects.filter(child__in=kids, created_by__isnull=False)
            .values("created_by_id"))
        | Q(pk__in=Assessment.objects.filter(child__in=kids).values("administered_by_id"))
    ).select_related("center").order_by("pk")


def practices(practice_id: int) -> QuerySet:
    """The practice itself (its children in scope are attributed to it)."""
    return Practice.objects.filter(pk=practice_id).select_related("town").order_by("pk")


def centers(practice_id: int) -> QuerySet:
    """The centers serving the children the practice may see."""
    return Center.objects.filter(
        pk__in=children(practice_id).values("center_id")).select_related("town").order_by("pk")


def care_plans(practice_id: int) -> QuerySet:
    goals = Goal.objects.select_related("need__domain").order_by("target_date", "pk")
    return CarePlan.objects.filter(child__in=children(practice_id)).select_related(
        "child", "enrollment", "center", "current_version",
    ).prefetch_related(
        "priorities__voiced_by", "strengths", "child__diagnoses",
        Prefetch("needs", queryset=Need.objects.select_related("domain")),
        Prefetch("goals", queryset=goals),
        Prefetch("actions", queryset=Action.objects.order_by("due_on", "pk")),
    ).order_by("pk")


def goals(practice_id: int) -> QuerySet:
    return Goal.objects.filter(plan__child__in=children(practice_id)).select_related(
        "plan__child", "need__domain").order_by("pk")


def diagnoses(practice_id: int) -> QuerySet:
    return Diagnosis.objects.filter(child__in=children(practice_id)).select_related(
        "child").order_by("pk")


def social_needs(practice_id: int) -> QuerySet:
    """Needs of a social (SDOH) domain: the ones that are Conditions."""
    return Need.objects.filter(plan__child__in=children(practice_id)).exclude(
        domain__sdoh_category="").select_related("plan__child", "domain").order_by("pk")


def tasks(practice_id: int) -> QuerySet:
    return Task.objects.filter(child__in=children(practice_id)).select_related(
        "child__center", "assigned_to", "created_by",
    ).annotate(last_updated=Coalesce("closed_at", "created_at")).order_by("pk")


def contacts(practice_id: int) -> QuerySet:
    """Contacts and attempts, with `ended_at`: when a contact that happened ended (its start
    plus its duration; its start when no duration was recorded or nobody was reached)."""
    minutes = ExpressionWrapper(F("duration_minutes"), output_field=IntegerField())
    lasted = ExpressionWrapper(minutes * Value(datetime.timedelta(minutes=1)),
                               output_field=DurationField())
    ended = Case(When(reached=True, duration_minutes__isnull=False,
                      then=ExpressionWrapper(F("occurred_at") + lasted,
                                             output_field=DateTimeField())),
                 default=F("occurred_at"))
    return Contact.objects.filter(child__in=children(practice_id)).select_related(
        "child__center", "staff", "guardian", "interpreter_language", "enrollment__center",
    ).annotate(ended_at=ended).order_by("pk")


def consents(practice_id: int) -> QuerySet:
    """The consents that are the practice's own business: those given to share with it (a
    consent to share with a school or another practice is not)."""
    return Consent.objects.filter(
        child__in=children(practice_id), shared_with_practice_id=practice_id,
    ).select_related("child__center", "given_by", "shared_with_practice").order_by("pk")


def assessments(practice_id: int) -> QuerySet:
    """Administered screenings and assessments of the children in scope, with `superseded`
    (a later administration corrected it) and `last_updated` (its own time, or its
    correction's)."""
    return assessment_rows().filter(child__in=children(practice_id))


def assessment_rows() -> QuerySet:
    """`assessments` without the scope: for loading by id rows a scoped search found (the
    scope's subquery would be planned again for every page of a bulk export)."""
    corrections = Assessment.objects.filter(corrects=OuterRef("pk"))
    return Assessment.objects.select_related(
        "child", "administered_by", "respondent",
    ).prefetch_related(
        Prefetch("corrections", queryset=Assessment.objects.order_by("-created_at", "-pk")),
    ).annotate(
        superseded=Exists(corrections),
        # Max rather than ORDER BY … LIMIT 1: SQLite then keeps to the corrects_id index
        # instead of scanning every administration for each row.
        last_updated=Coalesce(Subquery(corrections.values("corrects").annotate(
            latest=Max("created_at")).values("latest")), F("created_at")),
    ).order_by("pk")


def service_referrals(practice_id: int) -> QuerySet:
    return ServiceReferral.objects.filter(child__in=children(practice_id)).select_related(
        "child__center", "need__domain", "sent_by",
    ).prefetch_related(
        Prefetch("need__goals", queryset=Goal.objects.order_by("target_date", "pk")),
    ).order_by("pk")
