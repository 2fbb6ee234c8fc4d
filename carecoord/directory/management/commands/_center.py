"""The `--center` option of the HSDS commands: a center by short name, full name or id."""

from django.core.management.base import CommandError
from django.db.models import Q

from carecoord.accounts.models import Center


def center_named(value: str | None) -> Center | None:
    if not value:
        return None
    query = Q(short_name__iexact=value) | Q(name__iexact=value)
    if value.isdigit():
        query |= Q(pk=int(value))
    center = Center.objects.filter(query).first()
    if center is None:
        known = ", ".join(Center.objects.values_list("short_name", flat=True)) or "none yet"
        raise CommandError(f"No center is called {value!r} (centers: {known}).")
    return center
