"""Reads for the directory pages. Each starts from the access policy (an entry another center
keeps locally is a 404) and fetches what its page shows in a fixed number of queries."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from carecoord.accounts import policy

from . import taxonomy
from .models import Attribute, Contact, Language, Phone, Service, ServiceArea, ServiceAtLocation

PAGE_SIZE = 50
KEPT_BY = {"": "Everything I can see", "statewide": "Statewide entries (kept by the hub)",
           "local": "My center's local entries"}


def directory_page(user, *, kept_by: str = "", stale: bool = False, page=1) -> Page:
    """One page of the entries `user` may open, by name."""
    services = policy.directory_services_for(user).select_related("organization", "center")
    if kept_by == "statewide":
        services = services.filter(center__isnull=True)
    elif kept_by == "local":
        services = services.filter(center_id=user.center_id)
    if stale:
        services = services.stale()
    return Paginator(services.order_by("name", "id"), PAGE_SIZE).get_page(page)


@dataclass
class ServiceTerms:
    need_domains: list[Attribute]
    insurance: list[Attribute]
    other: list[Attribute]


def service_in_scope(user, service_id: str) -> Service:
    return get_object_or_404(policy.directory_services_for(user).select_related("center"),
                             pk=service_id)


def service_detail(user, service_id: str) -> tuple[Service, ServiceTerms]:
    """The service with everything HSDS says about it, and its taxonomy terms by meaning."""
    site_related = ("location__addresses__town", "location__phones__languages",
                    "location__schedules", "location__accessibility", "location__languages",
                    "phones__languages", "schedules", "contacts__phones")
    services = policy.directory_services_for(user).select_related(
        "organization", "program", "center", "verified_by",
    ).prefetch_related(
        Prefetch("phones", queryset=Phone.objects.filter(
            service_at_location__isnull=True, contact__isnull=True).prefetch_related(
                "languages").order_by("id")),
        Prefetch("schedules", queryset=_by_id("schedules", service_at_location__isnull=True)),
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related(
            "town", "region").order_by("name", "id")),
        Prefetch("languages", queryset=Language.objects.order_by("name", "code", "id")),
        Prefetch("cost_options", queryset=_by_id("cost_options")),
        Prefetch("required_documents", queryset=_by_id("required_documents")),
        Prefetch("funding", queryset=_by_id("funding")),
        Prefetch("contacts", queryset=Contact.objects.filter(
            service_at_location__isnull=True).prefetch_related("phones").order_by("id")),
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related(
            "location").prefetch_related(*site_related).order_by("id")),
    )
    service = get_object_or_404(services, pk=service_id)
    attributes = list(Attribute.objects.filter(link_entity="service", link_id=service.pk)
                      .select_related("taxonomy_term__need_domain",
                                      "taxonomy_term__taxonomy_detail")
                      .order_by("taxonomy_term__name", "id"))
    terms = ServiceTerms(need_domains=[], insurance=[], other=[])
    for attribute in attributes:
        term = attribute.taxonomy_term
        if term.need_domain_id:
            terms.need_domains.append(attribute)
        elif term.insurance or attribute.link_type == taxonomy.INSURANCE_ACCEPTED:
            terms.insurance.append(attribute)
        else:
            terms.other.append(attribute)
    return service, terms


def _by_id(relation: str, **filters):
    model = Service._meta.get_field(relation).related_model
    return model.objects.filter(**filters).order_by("id")


def need_for_search(user, need_id):
    """A care plan need the search starts from, with the child the filters come from; 404
    unless `user` may open the directory and that child's record."""
    from carecoord.careplans.models import Need

    if not policy.can_see_directory(user) or not str(need_id).isdigit():
        raise Http404
    needs = Need.objects.filter(plan__child__in=policy.children_for(user)).select_related(
        "domain", "plan__child__household__town__region", "plan__child__preferred_language")
    return get_object_or_404(needs, pk=need_id)


def need_filters(need) -> dict:
    """The search form's values for a need: its domain, and the child's town, language, age
    and insurance."""
    child = need.plan.child
    return {"need": need.pk, "domain": need.domain.code, "town": child.household.town.name,
            "language": child.preferred_language.code, "age": child.age,
            "insurance": child.insurance_type if child.insurance_type != "other" else ""}
