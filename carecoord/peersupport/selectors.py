from django.db.models import Count, Q
from django.http import Http404

from carecoord.accounts import policy
from carecoord.families import selectors as family_selectors

from . import matching
from .models import PeerMatch, SupportParent


def peer_support_for_child(user, child_id: int):
    """(child, the family's matches, suggested support parents, this household's support
    parents), or 404 when out of scope or not the center's staff."""
    child = family_selectors.child_record(user, child_id)
    if not policy.can_see_peer_support(user):
        raise Http404
    matches = list(PeerMatch.objects.filter(child=child).select_related(
        "supporter__guardian__household__town", "proposed_by"))
    own = list(SupportParent.objects.filter(guardian__household_id=child.household_id))
    return child, matches, suggestions_for(child, matches), own


def suggestions_for(child, matches, limit: int = 50):
    """[(support parent, suggestion with its score and reasons)], best first."""
    taken = {m.supporter_id for m in matches if m.is_open}
    supporters = (SupportParent.objects.filter(center_id=child.center_id, active=True)
                  .exclude(guardian__household_id=child.household_id).exclude(pk__in=taken)
                  .select_related("guardian__household__town__region")
                  .prefetch_related("guardian__languages")
                  .annotate(open_matches=Count("matches", filter=Q(
                      matches__status__in=PeerMatch.OPEN))))
    town = child.household.town
    languages = {child.preferred_language.code} | {
        language.code for guardian in child.household.guardians.all()
        for language in guardian.languages.all()}
    seeker = matching.Seeker(
        categories=frozenset(d.code.upper()[:3] for d in child.diagnoses.all()
                             if d.code_system == "icd10cm"),
        languages=frozenset(languages), town=town.name, region=town.region.name)
    candidates = {s.pk: s for s in supporters}
    ranked = matching.suggest(seeker, [matching.Candidate(
        s.pk, str(s.guardian), frozenset(s.categories),
        frozenset(x.code for x in s.guardian.languages.all()), s.guardian.household.town.name,
        s.guardian.household.town.region.name, s.open_matches, s.max_matches)
        for s in candidates.values()], limit)
    return [(candidates[s.candidate.supporter_id], s) for s in ranked]


def match_of(matches, match_id: int) -> PeerMatch:
    match = next((m for m in matches if m.pk == match_id), None)
    if match is None:
        raise Http404
    return match
