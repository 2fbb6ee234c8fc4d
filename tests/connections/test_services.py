"""Connecting a family to an organization, one step after the other."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carecoord.audit.models import AuditEvent
from carecoord.connections import services
from carecoord.connections.models import OrganizationConnection
from carecoord.families.services import EditConflict

from .helpers import TODAY, add, advance, days_ago, diagnosis, need

pytestmark = pytest.mark.django_db


def refusal(call, *args, **kwargs):
    with pytest.raises(ValidationError) as refused:
        call(*args, **kwargs)
    return refused.value.message_dict


def test_from_suggestion_to_connected(network):
    down = diagnosis(network.child_nc)
    connection = add(network, organization="ct-down-syndrome-congress", diagnosis=down,
                     need=need(network.child_nc))
    assert (connection.organization_name, connection.website, connection.level) == (
        "Connecticut Down Syndrome Congress", "ctdownsyndrome.org", "state")
    advance(network, connection, "information_shared", on=days_ago(20))
    advance(network, connection, "family_contacted", on=days_ago(10))
    errors = refusal(advance, network, connection, "connected")
    assert list(errors) == ["connected_how"]
    connection = advance(network, connection, "connected", connected_how="attended_event")
    assert connection.status == "connected" and connection.outcome_on == TODAY
    assert connection.version == 4
    errors = refusal(advance, network, connection, "declined")
    assert "closed" in errors["status"][0]


def test_skipping_a_step_names_the_step_that_comes_first(network):
    connection = add(network)
    errors = refusal(advance, network, connection, "family_contacted")
    assert errors["information_shared_on"] == [
        "Share the organization's information with the family first: “Family contacted the "
        "organization” comes after it."]
    errors = refusal(advance, network, connection, "connected", connected_how="joined")
    assert list(errors) == ["information_shared_on"]
    advance(network, connection, "information_shared")
    errors = refusal(advance, network, connection, "connected", connected_how="joined")
    assert list(errors) == ["family_contacted_on"]
    assert "already recorded" in refusal(advance, network, connection,
                                         "information_shared")["information_shared_on"][0]


def test_dates_go_forward_and_not_into_the_future(network):
    connection = add(network, suggested_on=days_ago(5))
    errors = refusal(advance, network, connection, "information_shared", on=days_ago(6))
    assert "comes before" in errors["information_shared_on"][0]
    errors = refusal(advance, network, connection, "information_shared",
                     on=TODAY + (TODAY - days_ago(1)))
    assert errors["information_shared_on"] == ["This date is in the future."]


def test_declining_is_the_family_s_choice_at_any_step_and_not_a_fit_says_why(network):
    declined = add(network)
    assert advance(network, declined, "declined").status == "declined"
    unfit = add(network, organization="cpac")
    advance(network, unfit, "information_shared")
    assert list(refusal(advance, network, unfit, "not_a_fit")) == ["outcome_note"]
    unfit = advance(network, unfit, "not_a_fit",
                    outcome_note="The family wants a Spanish-speaking group")
    assert unfit.outcome_note == "The family wants a Spanish-speaking group"


def test_a_catalog_organization_is_on_the_list_once(network):
    add(network)
    errors = refusal(add, network)
    assert "already on this child's list" in errors["organization"][0]
    add(network, child=network.child_ea, user=network["nurse.ea"])  # another child: fine


def test_an_organization_not_in_the_catalog_needs_a_name_and_level(network):
    errors = refusal(add, network, organization="", organization_name="Hartford Heart Moms")
    assert list(errors) == ["level"]
    errors = refusal(add, network, organization="", level="community")
    assert list(errors) == ["organization_name"]
    errors = refusal(add, network, organization="", organization_name="Hartford Heart Moms",
                     level="community", website="https://example.org/")
    assert errors["website"] == ["Give the domain only, e.g. example.org."]
    connection = add(network, organization="", organization_name="Hartford Heart Moms",
                     level="community", website="example.org")
    assert (connection.status, connection.catalog_entry) == ("suggested", None)
    errors = refusal(add, network, organization="", organization_name="hartford heart moms ",
                     level="community")
    assert "already on this child's list" in errors["organization_name"][0]


def test_diagnosis_and_need_belong_to_the_child(network):
    other = diagnosis(network.child_ea)
    assert list(refusal(add, network, diagnosis=other)) == ["diagnosis"]
    assert list(refusal(add, network, need=need(network.child_nc, domain="housing"))) == [
        "need"]


def test_only_editors_of_the_child_center_change_connections(network):
    for username in ("provider.nc", "admin.nc", "ta.hub", "nurse.ea"):
        with pytest.raises(PermissionDenied):
            add(network, user=network[username])
    connection = add(network)
    with pytest.raises(PermissionDenied):
        advance(network, connection, "information_shared", user=network["supervisor.ea"])


def test_a_change_from_an_older_page_is_refused(network):
    connection = add(network)
    stale = connection.version
    advance(network, connection, "information_shared", user=network["social.nc"])
    with pytest.raises(EditConflict):
        services.advance(user=network["nurse.nc"], connection=connection,
                         expected_version=stale, status="declined", on=TODAY)
    assert OrganizationConnection.objects.get().status == "information_shared"


def test_changes_are_audited_on_the_child(network):
    connection = add(network)
    advance(network, connection, "information_shared")
    writes = list(AuditEvent.objects.filter(object_type="connections.organizationconnection")
                  .order_by("pk").values_list("action", "child_id", "center_id"))
    assert writes == [("create", network.child_nc.pk, network.hub.pk),
                      ("update", network.child_nc.pk, network.hub.pk)]
