"""The organizations page: suggestions from the child's diagnoses, adding one, moving it on in
place (HTMX), and who may see or change what."""

import pytest
from django.urls import reverse

from carecoord.audit.models import AuditEvent
from carecoord.connections.models import OrganizationConnection

from .helpers import TODAY, add, advance, diagnosis

pytestmark = pytest.mark.django_db


def list_url(network, child=None):
    return reverse("organization-list", args=[(child or network.child_nc).pk])


def advance_url(network, connection):
    return reverse("organization-advance", args=[network.child_nc.pk, connection.pk])


def test_diagnoses_on_file_suggest_organizations_and_one_click_adds_it(network, login):
    down = diagnosis(network.child_nc)
    client = login(network["nurse.nc"])
    page = client.get(list_url(network)).content.decode()
    assert "National Down Syndrome Society" in page and "Q909 Down syndrome" in page
    assert "PATH Parent to Parent / Family Voices of Connecticut" in page
    response = client.post(reverse("organization-new", args=[network.child_nc.pk]),
                           {"organization": "ndss", "diagnosis": down.pk})
    connection = OrganizationConnection.objects.get()
    assert response.status_code == 302
    assert response.url == list_url(network) + f"#connection-{connection.pk}"
    assert (connection.diagnosis, connection.status, connection.suggested_on) == (
        down, "suggested", TODAY)
    page = client.get(list_url(network)).content.decode()
    # On the list now, so no longer among the suggestions (its add button is gone).
    assert f'id="connection-{connection.pk}"' in page
    assert 'name="organization" value="ndss"' not in page


def test_without_diagnoses_the_page_offers_the_groups_for_every_family(network, login):
    page = login(network["nurse.nc"]).get(list_url(network)).content.decode()
    assert "Connecticut Parent Advocacy Center (CPAC)" in page
    assert "National Down Syndrome Society" not in page


def test_adding_by_name_needs_a_name_or_a_catalog_choice(network, login):
    client = login(network["nurse.nc"])
    url = reverse("organization-new", args=[network.child_nc.pk])
    response = client.post(url, {"organization_name": "", "level": "community"})
    assert response.status_code == 400
    assert "Choose an organization from the catalog or name one." in response.content.decode()
    response = client.post(url, {"organization_name": "Hartford Sibshops",
                                 "level": "community", "website": "example.org"})
    assert response.status_code == 302
    assert OrganizationConnection.objects.get().organization_name == "Hartford Sibshops"


def test_the_next_step_is_recorded_in_place_with_htmx(network, login):
    connection = add(network)
    client = login(network["nurse.nc"])
    response = client.post(advance_url(network, connection), {
        "version": connection.version, f"c{connection.pk}-status": "information_shared",
        f"c{connection.pk}-on": TODAY.isoformat()}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and text.lstrip().startswith(
        f'<tr id="connection-{connection.pk}">')
    assert "Saved: information shared with the family." in text
    connection.refresh_from_db()
    assert connection.status == "information_shared"


def test_a_skipped_step_comes_back_in_the_row_with_the_reason(network, login):
    connection = add(network)
    client = login(network["nurse.nc"])
    data = {"version": connection.version, f"c{connection.pk}-status": "declined",
            f"c{connection.pk}-on": TODAY.isoformat()}
    advance(network, connection, "information_shared")  # someone else, meanwhile
    response = client.post(advance_url(network, connection), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Not saved: someone else changed this connection" in response.content.decode()
    connection.refresh_from_db()
    data = {"version": connection.version, f"c{connection.pk}-status": "connected",
            f"c{connection.pk}-on": TODAY.isoformat(),
            f"c{connection.pk}-connected_how": "joined"}
    response = client.post(advance_url(network, connection), data)
    assert response.status_code == 400  # without HTMX: the whole page, with the reason
    assert ("Record when the family contacted the organization first"
            in response.content.decode())
    connection.refresh_from_db()
    assert connection.status == "information_shared"


def test_other_regions_get_404_and_the_provider_only_reads(network, login):
    connection = add(network)
    client = login(network["nurse.ea"])
    assert client.get(list_url(network)).status_code == 404
    assert client.get(reverse("organization-new", args=[network.child_nc.pk])).status_code == 404
    data = {"version": connection.version, f"c{connection.pk}-status": "declined",
            f"c{connection.pk}-on": TODAY.isoformat()}
    assert client.post(advance_url(network, connection), data).status_code == 404
    client = login(network["provider.nc"])
    page = client.get(list_url(network)).content.decode()
    assert "National Down Syndrome Society" in page
    assert "Record the next step" not in page and "Suggested from" not in page
    assert client.post(advance_url(network, connection), data).status_code == 404
    # Nor through another child's address.
    other = add(network, child=network.child_ea, user=network["nurse.ea"])
    client = login(network["nurse.nc"])
    wrong = reverse("organization-advance", args=[network.child_nc.pk, other.pk])
    assert client.post(wrong, data).status_code == 404
    connection.refresh_from_db()
    assert connection.status == "suggested"


def test_the_list_is_audited_with_what_it_showed(network, login):
    first, second = add(network), add(network, organization="cpac")
    login(network["social.nc"]).get(list_url(network))
    listed = AuditEvent.objects.get(action="list",
                                    object_type="connections.organizationconnection")
    assert sorted(listed.detail["ids"]) == sorted([first.pk, second.pk])
    assert (listed.child_id, listed.center_id, listed.actor_username) == (
        network.child_nc.pk, network.hub.pk, "social.nc")
