from django.core.paginator import Paginator
from django.utils import timezone

from carecoord.accounts import policy

from .models import Contact
from .rules import UNANSWERED_IN_A_ROW, Attempt, suggest_another_channel


def contacts_of(child, page: int = 1, per_page: int = 25):
    contacts = (Contact.objects.filter(child=child)
                .select_related("staff", "guardian", "interpreter_language")
                .prefetch_related("actions", "goals"))
    return Paginator(contacts, per_page).get_page(page)


def channel_suggestion(child, guardians):
    """Whether to try another channel, from the latest attempts and the family's preferences
    (the primary contact's, else the first guardian's)."""
    latest = Contact.objects.filter(child=child).order_by("-occurred_at", "-pk").values_list(
        "channel", "reached")[:UNANSWERED_IN_A_ROW]
    primary = next((g for g in guardians if g.is_primary_contact), guardians[0] if guardians
                   else None)
    preferred = list(primary.preferred_channels) if primary else []
    return suggest_another_channel([Attempt(c, r) for c, r in latest], preferred)


MY_DAY_AHEAD_DAYS = 7
MY_DAY_PAGE = 25
MY_DAY_GROUPS = ("overdue", "today", "coming")


def _my_open_tasks(user, today):
    from .models import Task

    return Task.objects.filter(
        assigned_to=user, status=Task.Status.OPEN,
        due_on__lte=today + timezone.timedelta(days=MY_DAY_AHEAD_DAYS),
        child__in=policy.children_for(user))


def _group_of(today):
    from django.db.models import Case, Value, When

    return Case(When(due_on__lt=today, then=Value("overdue")),
                When(due_on=today, then=Value("today")), default=Value("coming"))


def _tier_first():
    from django.db.models import F

    return F("child__acuity__tier").desc(nulls_last=True)


def _with_family(tasks):
    """Each task with the child, the household's guardians and how they like to be reached."""
    from django.db.models import Prefetch

    from carecoord.families.models import Guardian

    return (tasks.select_related("child__household__town", "child__preferred_language",
                                 "child__acuity")
            .prefetch_related(Prefetch("child__household__guardians",
                                       queryset=Guardian.objects.select_related(
                                           "preferred_language"))))


def my_day_tasks(user, today, group: str, offset: int = 0, limit: int = MY_DAY_PAGE):
    """One more page of a group of the day (overdue, today, coming), highest tier first, then
    by due date."""
    tasks = (_my_open_tasks(user, today).annotate(group=_group_of(today)).filter(group=group)
             .order_by(_tier_first(), "due_on", "kind", "pk"))
    return list(_with_family(tasks)[offset:offset + limit])


def my_day(user, today):
    """The signed-in coordinator's open tasks due within a week: how many in each group and the
    first page of each, highest tier first, then by due date. Three queries whatever the
    caseload: the counts, the first pages (a window function numbers each group's tasks), the
    guardians."""
    from django.db.models import Count, F, Q, Window
    from django.db.models.functions import RowNumber

    counts = _my_open_tasks(user, today).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)), today=Count("pk", filter=Q(
            due_on=today)), coming=Count("pk", filter=Q(due_on__gt=today)))
    first_pages = (_my_open_tasks(user, today).annotate(group=_group_of(today))
                   .annotate(place=Window(RowNumber(), partition_by=[F("group")],
                                          order_by=[_tier_first(), F("due_on"), F("kind"),
                                                    F("pk")]))
                   .filter(place__lte=MY_DAY_PAGE).order_by("place"))
    day = {group: {"tasks": [], "count": counts[group]} for group in MY_DAY_GROUPS}
    for task in _with_family(first_pages):
        day[task.group]["tasks"].append(task)
    for group in day.values():
        group["has_more"] = group["count"] > len(group["tasks"])
    return day
