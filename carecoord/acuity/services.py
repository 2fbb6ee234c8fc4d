"""Stratify children: gather what CareCoord knows of a child (diagnoses, the latest social
needs screening and protective factors, coverage, language, household), ask the engine in
carecoord/stratification/ for the complexity, tier and discipline, and keep the result when it
differs from the last one."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from carecoord.careplans.models import Assessment
from carecoord.families.models import Child, Guardian
from carecoord.stratification import codes
from carecoord.stratification.child import ChildClassification, classify_child
from carecoord.stratification.pmca import LESS
from carecoord.stratification.pmca import Diagnosis as CodedDiagnosis
from carecoord.stratification.social import SocialComplexity, SocialFacts, social_complexity
from carecoord.stratification.tiers import AcuityTier, MedicalFacts, acuity_tier

from .models import CurrentAcuity, Stratification

AHC = "ahc-hrsn-core"
PROTECTIVE_FACTORS = ("carecoord-protective-factors-checkin",
                      "strengthening-families-protective-factors")
SCREENINGS = (AHC, *PROTECTIVE_FACTORS)
NOT_ORGAN_SYSTEMS = ("tech_dep", "transplant")


def medical_facts(classification: ChildClassification) -> MedicalFacts:
    """The engine's classification as the tier matrix reads it. The less conservative PMCA
    variant is used: a center's diagnosis list has one row per condition, not the repeated
    claims the more conservative variant counts."""
    categories = classification.ccc.categories
    return MedicalFacts(
        pmca_class=classification.pmca.class_less,
        body_systems=frozenset(classification.pmca.body_systems(LESS)),
        ccc_categories=frozenset(categories) - set(NOT_ORGAN_SYSTEMS),
        technology_dependence="tech_dep" in categories, transplant="transplant" in categories,
        behavioral_health=classification.behavioral_health)


def social_facts(child: Child, screenings: Iterable[Assessment]) -> SocialFacts:
    """`screenings`: the child's assessments of SCREENINGS, newest first, corrections
    already taking the place of what they correct."""
    latest = {}
    for assessment in screenings:
        kind = AHC if assessment.instrument_id == AHC else "protective_factors"
        latest.setdefault(kind, assessment)
    ahc, factors = latest.get(AHC), latest.get("protective_factors")
    guardians = list(child.household.guardians.all())
    primary = next((g for g in guardians if g.is_primary_contact), guardians[0] if guardians
                   else None)
    return SocialFacts(
        hrsn_screened=ahc is not None,
        hrsn_positive_domains=frozenset(ahc.result.get("positive_domains", ())) if ahc else (),
        hrsn_incomplete_domains=frozenset(ahc.result.get("incomplete_domains", ()))
        if ahc else (),
        protective_factors_assessed=factors is not None,
        low_protective_factors=frozenset(factors.result.get("low_subscales", ()))
        if factors else (),
        uninsured=child.insurance_type == Child.Insurance.UNINSURED,
        interpreter_needed=any(g.interpreter_needed for g in guardians),
        limited_english=bool(primary and primary.preferred_language
                             and primary.preferred_language.code != "en"),
        single_caregiver=len(guardians) == 1,
        foster_care=bool(primary and primary.relationship == Guardian.Relationship.FOSTER),
        children_with_special_needs=max(1, len(child.household.children.all())),
    )


def assess(child: Child, as_of: datetime.date, screenings
           ) -> tuple[ChildClassification, SocialComplexity, AcuityTier]:
    coded = [CodedDiagnosis(code=d.code, code_system=codes.code_system(d.code_system) or "",
                            service_date=d.recorded_on) for d in child.diagnoses.all()]
    classification = classify_child(coded, as_of=as_of)
    social = social_complexity(social_facts(child, screenings))
    return classification, social, acuity_tier(medical_facts(classification), social)


def _result(child, as_of, trigger, user, assessed) -> Stratification:
    classification, social, tier = assessed
    return Stratification(
        child=child, as_of=as_of, trigger=trigger, computed_by=user,
        ccc_categories=sorted(classification.ccc.categories),
        pmca_less=classification.pmca.class_less, pmca_more=classification.pmca.class_more,
        body_systems=list(classification.pmca.body_systems(LESS)),
        behavioral_health=classification.behavioral_health,
        medical_complexity=tier.medical_complexity,
        social_complexity=str(tier.social_complexity),
        social_points=social.points, tier=tier.tier.number,
        tier_label=tier.tier.label, discipline=tier.discipline,
        discipline_reason=tier.discipline_reason, reasons=list(tier.reasons),
        missing=list(tier.missing))


def children_with_facts(children):
    """The children with everything stratification reads, in a fixed number of queries."""
    guardians = Guardian.objects.select_related("preferred_language")
    screenings = Assessment.objects.filter(instrument_id__in=SCREENINGS,
                                           corrections__isnull=True)
    return children.select_related("household").prefetch_related(
        "diagnoses", "household__children", Prefetch("household__guardians", guardians),
        Prefetch("assessments", screenings, to_attr="screenings"))


@transaction.atomic
def stratify_child(child: Child, *, trigger: str, user=None,
                   as_of: datetime.date | None = None) -> Stratification:
    """Stratify one child now; a result equal to the current one is not stored again."""
    as_of = as_of or timezone.localdate()
    child = children_with_facts(Child.objects.filter(pk=child.pk)).get()
    result = _result(child, as_of, trigger, user, assess(child, as_of, child.screenings))
    current = Stratification.objects.filter(child=child).first()
    if result.same_result(current):
        return current
    result.save()
    CurrentAcuity.objects.update_or_create(child=child, defaults={
        "stratification": result, "tier": result.tier, "discipline": result.discipline})
    return result


def stratify_many(children, *, trigger: str, as_of: datetime.date | None = None,
                  batch: int = 2000) -> int:
    """Stratify many children (a rules change, the demo load) in batches; returns how many
    results changed. Written with bulk inserts, recorded in the audit log as one event by
    the caller."""
    as_of = as_of or timezone.localdate()
    ids = list(children.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), batch):
        chunk = children_with_facts(Child.objects.filter(pk__in=ids[start:start + batch]))
        currents = {s.child_id: s for s in Stratification.objects.filter(
            pk__in=CurrentAcuity.objects.filter(child_id__in=ids[start:start + batch])
            .values("stratification_id"))}
        new = []
        for child in chunk:
            result = _result(child, as_of, trigger, None,
                             assess(child, as_of, child.screenings))
            if not result.same_result(currents.get(child.pk)):
                new.append(result)
        with transaction.atomic():
            Stratification.objects.bulk_create(new, batch_size=1000)
            CurrentAcuity.objects.bulk_create(
                [CurrentAcuity(child_id=s.child_id, stratification=s, tier=s.tier,
                               discipline=s.discipline) for s in new],
                update_conflicts=True, unique_fields=["child"],
                update_fields=["stratification", "tier", "discipline"], batch_size=1000)
        changed += len(new)
    return changed



@transaction.atomic
def assign_from_queue(*, user, child: Child, referral, enrollment, coordinator,
                      suggested_id: int | None, on: datetime.date, reason: str = ""):
    """Give a waiting child a coordinator: enroll an accepted referral, or staff an open
    enrollment whose coordinator left. Choosing someone other than the engine's first
    suggestion needs the supervisor's reason, kept on the assignment."""
    from carecoord.families import services as family_services

    reason = reason.strip()
    if coordinator.pk != suggested_id and not reason:
        raise ValidationError({"reason": "Say why you chose someone other than the first "
                                         "suggestion."})
    why = (f"Override of the suggestion: {reason}" if coordinator.pk != suggested_id
           else "The first suggestion (acuity-weighted load, language, travel)"
           + (f": {reason}" if reason else ""))
    if referral is not None:
        return family_services.enroll(user=user, referral=referral, coordinator=coordinator,
                                      start_date=on, reason=why[:200])
    return family_services.reassign(user=user, enrollment=enrollment, coordinator=coordinator,
                                    on=on, reason=why[:200])


@transaction.atomic
def apply_rebalance(*, user, leaving, moves, on: datetime.date) -> int:
    """Move each (enrollment, coordinator) of a leaving coordinator's caseload."""
    from carecoord.families import services as family_services

    for enrollment, coordinator in moves:
        family_services.reassign(user=user, enrollment=enrollment, coordinator=coordinator,
                                 on=on, reason=f"Rebalanced: {leaving.get_full_name()} leaves "
                                               "the caseload")
    return len(moves)
