"""Reads for the FHIR API. Each starts from the children a practice may see
(`policy.children_for_practice`) and loads what the mapping reads in a fixed number of
queries, whatever the number of results."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from carecoord.accounts import policy
from carecoord.accounts.models import Center
from carecoord.careplans.models import Action, CarePlan, Goal, Need
from carecoord.families.models import Child, Clinician, Diagnosis, Guardian, Practice


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
