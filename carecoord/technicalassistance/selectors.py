"""Reads for the technical assistance pages: each starts from the access policy, so a record
outside the user's scope is a 404."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carecoord.accounts import policy

from .models import Attendee, Consultation, FollowUp, LibraryItem, RequestComment

OPEN_STATUSES = ("open", "in_progress")


def _requests(user):
    return policy.ta_requests_for(user).select_related("center", "created_by")


def request_of(user, request_id: int):
    return get_object_or_404(_requests(user).prefetch_related(
        Prefetch("comments", queryset=RequestComment.objects.select_related("author")),
        Prefetch("consultations", queryset=Consultation.objects.order_by("-held_on", "-pk"))),
        pk=request_id)


def _consultations(user):
    return policy.ta_consultations_for(user).select_related("request__center", "created_by")


def consultation_of(user, consultation_id: int):
    return get_object_or_404(_consultations(user).prefetch_related(
        "centers", Prefetch("attendees", queryset=Attendee.objects.select_related("center")),
        Prefetch("followups", queryset=FollowUp.objects.select_related("owner_center"))),
        pk=consultation_id)


def _trainings(user):
    return policy.ta_trainings_for(user).select_related("created_by")


def training_of(user, training_id: int):
    return get_object_or_404(_trainings(user).prefetch_related(
        "centers", "materials",
        Prefetch("attendees", queryset=Attendee.objects.select_related("center")),
        Prefetch("followups", queryset=FollowUp.objects.select_related("owner_center"))),
        pk=training_id)


def follow_ups_for(user):
    """Follow-ups of the consultations and trainings the user may see."""
    return FollowUp.objects.filter(
        Q(consultation__in=policy.ta_consultations_for(user))
        | Q(training__in=policy.ta_trainings_for(user))
    ).select_related("owner_center", "consultation", "training")


def hub_overview(user) -> dict:
    """The hub's page: open requests by center, upcoming trainings, overdue follow-ups."""
    today = timezone.localdate()
    by_center = {}
    for request in _requests(user).filter(status__in=OPEN_STATUSES).order_by(
            "center__name", "requested_on", "pk"):
        by_center.setdefault(request.center, []).append(request)
    return {
        "open_by_center": list(by_center.items()),
        "upcoming_trainings": list(_trainings(user).filter(held_on__gte=today)
                                   .prefetch_related("centers").order_by("held_on", "pk")),
        "overdue": list(follow_ups_for(user).filter(done=False, due_on__lt=today)
                        .order_by("due_on", "pk")),
        "recent_consultations": list(_consultations(user).prefetch_related("centers")[:10]),
        "recent_requests": list(_requests(user).filter(status="resolved")[:10]),
    }


def center_history(user) -> dict:
    """A center's page: its requests (open first), consultations and trainings."""
    today = timezone.localdate()
    requests = list(_requests(user))
    return {
        "open_requests": [r for r in requests if r.status in OPEN_STATUSES],
        "resolved_requests": [r for r in requests if r.status not in OPEN_STATUSES],
        "consultations": list(_consultations(user).prefetch_related("centers")),
        "trainings": list(_trainings(user).prefetch_related("centers")),
        "open_follow_ups": list(follow_ups_for(user).filter(done=False).order_by("due_on",
                                                                                 "pk")),
        "today": today,
    }


def library(user, topic: str = ""):
    if not policy.can_see_ta_library(user):
        return LibraryItem.objects.none()
    items = LibraryItem.objects.select_related("uploaded_by").prefetch_related("services")
    return items.filter(topic=topic) if topic else items


def library_item_of(user, item_id: int):
    return get_object_or_404(library(user), pk=item_id)
