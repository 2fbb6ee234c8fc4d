"""Who may use the Title V page, for which centers, and who may receive names. Built on the
network-wide policy (carecoord/accounts/policy.py): Title V analysts and hub technical
assistance compare every center; a center's supervisors and administrators report on their
own. Everyone else gets a 404."""

from django.db.models import QuerySet

from carecoord.accounts import policy
from carecoord.accounts.models import Role

# Staff of a center who may see its children's names in its export.
CENTER_REPORTERS = (Role.SUPERVISOR, Role.CENTER_ADMIN, Role.HUB_TA)


def reporting_centers_for(user) -> QuerySet:
    return (policy.network_aggregates_for(user) | policy.center_overview_for(user)).distinct()


def may_receive_identified(user, center) -> bool:
    """An identified export goes to the state (Title V analysts), for whom the center's setting
    is made, and to the center's own staff. Hub technical assistance compares other centers by
    their counts, so it gets their files de-identified."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.role == Role.TITLE_V or (user.role in CENTER_REPORTERS
                                         and user.center_id == center.pk)


def identified_for(user, centers, identified_center_ids) -> bool:
    """A file names children only if every center in it is set to identified and the user may
    receive each center's names: a file mixing centers is otherwise de-identified throughout."""
    return bool(centers) and all(
        c.pk in identified_center_ids and may_receive_identified(user, c) for c in centers)
