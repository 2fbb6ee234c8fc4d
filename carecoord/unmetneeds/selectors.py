"""Reads for the unmet-needs pages. The report counts register rows in SQL, grouped by region,
domain and town, one query a table: it never fetches a row about a child, so no child can appear
in it or in its download, whoever reads it."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from carecoord.accounts import policy
from carecoord.accounts.models import Region
from carecoord.careplans.models import Need, NeedDomain
from carecoord.servicereferrals import steps
from carecoord.servicereferrals.models import ServiceReferral

from .models import UnmetNeed

REASONS = UnmetNeed.Reason


def child_in_scope(user, child_id: int):
    return get_object_or_404(policy.children_for(user).select_related("center",
                                                                      "household__town__region"),
                             pk=child_id)


def need_of(child, need_id: int) -> Need:
    return get_object_or_404(Need.objects.select_related("domain", "plan"), pk=need_id,
                             plan__child=child)


def failed_referrals(need: Need) -> QuerySet:
    return (ServiceReferral.objects.filter(need=need, status__in=steps.FAILED)
            .order_by("sent_on", "pk"))


def open_referrals(need: Need) -> list[ServiceReferral]:
    return list(ServiceReferral.objects.filter(need=need, status__in=steps.OPEN)
                .order_by("sent_on", "pk"))


def entries_of(child) -> list[UnmetNeed]:
    return list(UnmetNeed.objects.filter(child=child).select_related("domain", "recorded_by"))


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class Filters:
    since: datetime.date
    until: datetime.date
    region: Region | None = None
    domain: NeedDomain | None = None


def report_centers(user) -> QuerySet:
    return policy.unmet_needs_centers_for(user)


def regions_for(user) -> QuerySet:
    """The regions a user may filter by: those of the entries they may count."""
    centers = report_centers(user)
    if centers.count() == 1:
        return Region.objects.filter(pk__in=centers.values("region_id"))
    return Region.objects.all()


def _entries(user, filters: Filters) -> QuerySet:
    rows = UnmetNeed.objects.filter(center__in=report_centers(user),
                                    recorded_on__gte=filters.since,
                                    recorded_on__lte=filters.until)
    if filters.region is not None:
        rows = rows.filter(region=filters.region)
    if filters.domain is not None:
        rows = rows.filter(domain=filters.domain)
    return rows


def _by_reason() -> dict:
    return {reason: Count("pk", filter=Q(reason=reason)) for reason in REASONS.values}


def _table(rows: QuerySet, label: str, *group: str, order: tuple[str, ...]) -> list[dict]:
    """One row a group: its label, the total and the count for each reason."""
    return [{"label": row[label], "total": row["total"], **{name: row[name] for name in group},
             "reasons": [row[reason] for reason in REASONS.values]}
            for row in rows.values(label, *group).annotate(total=Count("pk"), **_by_reason())
            .order_by(*order)]


@dataclass
class Report:
    total: int
    by_region: list[dict]
    by_domain: list[dict]
    by_town: list[dict]


def report(user, filters: Filters) -> Report:
    rows = _entries(user, filters)
    by_region = _table(rows, "region__name", order=("region__name",))
    return Report(
        total=sum(row["total"] for row in by_region),
        by_region=by_region,
        by_domain=_table(rows, "domain__label", "domain__order",
                         order=("domain__order", "domain__label")),
        by_town=_table(rows, "town__name", "region__name",
                       order=("-total", "region__name", "town__name")),
    )


def download_rows(user, filters: Filters) -> list[tuple]:
    """(region, town, domain, reason, count): the finest grain of the counts."""
    return list(_entries(user, filters)
                .values_list("region__name", "town__name", "domain__label", "reason")
                .annotate(count=Count("pk"))
                .order_by("region__name", "town__name", "domain__order", "reason"))
