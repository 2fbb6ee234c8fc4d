import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.families.models import Child, Consent
from carecoord.validation import save_checked

from .models import PeerMatch, SupportParent


def _require_editor(user, child):
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot arrange peer support for this family.")


@transaction.atomic
def register_supporter(*, user, child, supporter: SupportParent) -> SupportParent:
    """A parent of `child`'s household volunteers to support other families."""
    _require_editor(user, child)
    if supporter.guardian.household_id != child.household_id:
        raise ValidationError({"guardian": "Choose a parent of this child's household."})
    if SupportParent.objects.filter(guardian=supporter.guardian).exists():
        raise ValidationError({"guardian": f"{supporter.guardian} is already a support "
                                           "parent."})
    supporter.center_id, supporter.registered_by = child.center_id, user
    return save_checked(supporter)


@transaction.atomic
def propose_match(*, user, child, supporter: SupportParent, reason: str,
                  shared_experience: str = "") -> PeerMatch:
    _require_editor(user, child)
    supporter = SupportParent.objects.select_for_update().select_related("guardian").get(
        pk=supporter.pk)
    if not supporter.active or supporter.center_id != child.center_id:
        raise ValidationError({"supporter": "This support parent is not available."})
    if supporter.guardian.household_id == child.household_id:
        raise ValidationError({"supporter": "A family cannot be its own support parent."})
    if supporter.matches.filter(status__in=PeerMatch.OPEN).count() >= supporter.max_matches:
        raise ValidationError({"supporter": f"{supporter.guardian} already supports "
                                            f"{supporter.max_matches} families."})
    if supporter.matches.filter(child=child, status__in=PeerMatch.OPEN).exists():
        raise ValidationError({"supporter": "This match is already open."})
    return save_checked(PeerMatch(child=child, supporter=supporter, reason=reason.strip(),
                                  shared_experience=shared_experience.strip(),
                                  proposed_on=timezone.localdate(), proposed_by=user))


def _consented(children, on: datetime.date) -> bool:
    return Consent.objects.filter(Consent.current_q(on=on), child__in=children,
                                  scope=Consent.Scope.PEER_SUPPORT).exists()


@transaction.atomic
def introduce(*, user, match: PeerMatch, on: datetime.date) -> PeerMatch:
    """Share the two families' contact details with each other: only with both consents."""
    match = PeerMatch.objects.select_for_update().select_related(
        "child", "supporter__guardian").get(pk=match.pk)
    _require_editor(user, match.child)
    if match.status != PeerMatch.Status.PROPOSED:
        raise ValidationError("Only a proposed match is introduced.")
    if on > timezone.localdate() or on < match.proposed_on:
        raise ValidationError({"introduced_on": "The introduction is between the proposal "
                                                "and today."})
    missing = []
    if not _consented([match.child], on):
        missing.append(f"{match.child.full_name}'s family")
    supporter_children = Child.objects.filter(household_id=match.supporter.guardian.household_id)
    if not _consented(supporter_children, on):
        missing.append(f"the support parent {match.supporter.guardian}")
    if missing:
        raise ValidationError(f"Record the peer support consent of {' and of '.join(missing)} "
                              "before sharing contact details.")
    match.status, match.introduced_on = PeerMatch.Status.INTRODUCED, on
    return save_checked(match)


@transaction.atomic
def change_status(*, user, match: PeerMatch, status: str, outcome: str = "") -> PeerMatch:
    match = PeerMatch.objects.select_for_update().select_related("child").get(pk=match.pk)
    _require_editor(user, match.child)
    allowed = {PeerMatch.Status.PROPOSED: {PeerMatch.Status.DECLINED},
               PeerMatch.Status.INTRODUCED: {PeerMatch.Status.ACTIVE, PeerMatch.Status.CLOSED,
                                             PeerMatch.Status.DECLINED},
               PeerMatch.Status.ACTIVE: {PeerMatch.Status.CLOSED}}
    if status not in allowed.get(match.status, set()):
        now, then = match.get_status_display().lower(), PeerMatch.Status(status).label.lower()
        raise ValidationError({"status": f"A match that is {now} cannot become {then}."})
    if status in (PeerMatch.Status.CLOSED, PeerMatch.Status.DECLINED):
        if not outcome.strip():
            raise ValidationError({"outcome": "Say how it ended, in the family's words if "
                                              "possible."})
        match.closed_on = timezone.localdate()
    match.status, match.outcome = status, outcome.strip() or match.outcome
    return save_checked(match)
