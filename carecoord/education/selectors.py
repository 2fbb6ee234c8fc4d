from django.db.models import Prefetch
from django.http import Http404

from carecoord.accounts import policy
from carecoord.families import selectors as family_selectors

from .models import SchoolMeeting, SchoolSupport


def school_supports_for_child(user, child_id: int):
    """(child, supports with their meetings), or 404 when out of scope. School records are
    the center's working record: providers do not see them."""
    child = family_selectors.child_record(user, child_id)
    if not policy.can_see_school_records(user):
        raise Http404
    supports = list(SchoolSupport.objects.filter(child=child).select_related(
        "need__domain").prefetch_related(Prefetch(
            "meetings", queryset=SchoolMeeting.objects.select_related("interpreter_language"))))
    return child, supports


def support_of(supports, support_id: int) -> SchoolSupport:
    support = next((s for s in supports if s.pk == support_id), None)
    if support is None:
        raise Http404
    return support
