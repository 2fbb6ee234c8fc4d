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


def my_day(user, today):
    """The signed-in coordinator's open tasks due within a week, overdue first: each with the
    child, the household's guardians and how they like to be reached (a fixed number of
    queries whatever the caseload)."""
    from django.db.models import Prefetch

    from carecoord.families.models import Guardian

    from .models import Task

    tasks = (Task.objects.filter(assigned_to=user, status=Task.Status.OPEN,
                                 due_on__lte=today + timezone.timedelta(days=MY_DAY_AHEAD_DAYS),
                                 child__in=policy.children_for(user))
             .select_related("child__household__town", "child__preferred_language")
             .prefetch_related(Prefetch("child__household__guardians",
                                        queryset=Guardian.objects.select_related(
                                            "preferred_language")))
             .order_by("due_on", "kind", "pk"))
    overdue, due_today, coming = [], [], []
    for task in tasks[:500]:
        (overdue if task.due_on < today else due_today if task.due_on == today
         else coming).append(task)
    return {"overdue": overdue, "today": due_today, "coming": coming}
