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


def _in_group(tasks, group: str, today):
    return {"overdue": tasks.filter(due_on__lt=today), "today": tasks.filter(due_on=today),
            "coming": tasks.filter(due_on__gt=today)}[group]


def my_day_tasks(user, today, group: str, offset: int = 0, limit: int = MY_DAY_PAGE):
    """One page of a group of the day (overdue, today, coming), highest tier first, then by due
    date; each task with the child, the household's guardians and how they like to be
    reached: a fixed number of queries."""
    from django.db.models import F, Prefetch

    from carecoord.families.models import Guardian

    tasks = (_in_group(_my_open_tasks(user, today), group, today)
             .select_related("child__household__town", "child__preferred_language",
                             "child__acuity")
             .prefetch_related(Prefetch("child__household__guardians",
                                        queryset=Guardian.objects.select_related(
                                            "preferred_language")))
             .order_by(F("child__acuity__tier").desc(nulls_last=True), "due_on", "kind", "pk"))
    return list(tasks[offset:offset + limit])


def my_day(user, today):
    """The signed-in coordinator's open tasks due within a week: how many in each group, and
    the first page of each, oldest first."""
    from django.db.models import Count, Q

    counts = _my_open_tasks(user, today).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)), today=Count("pk", filter=Q(
            due_on=today)), coming=Count("pk", filter=Q(due_on__gt=today)))
    day = {}
    for group in MY_DAY_GROUPS:
        tasks = my_day_tasks(user, today, group) if counts[group] else []
        day[group] = {"tasks": tasks, "count": counts[group],
                      "has_more": counts[group] > len(tasks)}
    return day
