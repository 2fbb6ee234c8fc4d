import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carecoord.audit.models import AuditEvent
from carecoord.families.services import EditConflict
from carecoord.technicalassistance import services
from carecoord.technicalassistance.models import FollowUp, LibraryItem, TARequest
from carecoord.technicalassistance.uploads import MAX_BYTES

from .helpers import (
    consultation,
    days_ago,
    library_item,
    office_upload,
    pdf_upload,
    ta_request,
    training,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the request's life cycle


def test_a_request_goes_open_in_progress_resolved(network):
    hub = network["ta.hub"]
    request = ta_request(network)
    assert request.status == "open" and request.version == 1
    request = services.start_request(user=hub, request=request, expected_version=1,
                                     started_on=days_ago(20))
    assert request.status == "in_progress"
    request = services.resolve_request(user=hub, request=request, expected_version=2,
                                       resolved_on=days_ago(5),
                                       resolution="Shared the stratification worksheet.")
    request.refresh_from_db()
    assert (request.status, request.resolved_on, request.version) == ("resolved", days_ago(5), 3)


def test_out_of_order_steps_are_refused_naming_the_field(network):
    hub = network["ta.hub"]
    request = ta_request(network)
    with pytest.raises(ValidationError) as refused:
        services.resolve_request(user=hub, request=request, expected_version=1,
                                 resolved_on=days_ago(1), resolution="Done.")
    assert "started_on" in refused.value.message_dict
    services.start_request(user=hub, request=request, expected_version=1,
                           started_on=days_ago(20))
    with pytest.raises(ValidationError) as refused:
        services.start_request(user=hub, request=request, expected_version=2,
                               started_on=days_ago(20))
    assert "started_on" in refused.value.message_dict
    services.resolve_request(user=hub, request=request, expected_version=2,
                             resolved_on=days_ago(1), resolution="Done.")
    with pytest.raises(ValidationError) as refused:
        services.start_request(user=hub, request=request, expected_version=3,
                               started_on=days_ago(1))
    assert "resolved_on" in refused.value.message_dict


def test_dates_and_resolution_are_checked(network):
    hub = network["ta.hub"]
    request = ta_request(network)
    with pytest.raises(ValidationError) as refused:
        services.start_request(user=hub, request=request, expected_version=1,
                               started_on=days_ago(40))  # before the request
    assert "started_on" in refused.value.message_dict
    services.start_request(user=hub, request=request, expected_version=1,
                           started_on=days_ago(20))
    with pytest.raises(ValidationError) as refused:
        services.resolve_request(user=hub, request=request, expected_version=2,
                                 resolved_on=days_ago(1), resolution="  ")
    assert "resolution" in refused.value.message_dict


def test_a_step_from_an_old_page_is_refused(network):
    hub = network["ta.hub"]
    request = ta_request(network)
    services.start_request(user=hub, request=request, expected_version=1,
                           started_on=days_ago(20))
    with pytest.raises(EditConflict):
        services.resolve_request(user=hub, request=request, expected_version=1,
                                 resolved_on=days_ago(1), resolution="Done.")


def test_the_step_page_shows_the_refusal(network, login):
    request = ta_request(network)
    client = login(network["ta.hub"])
    url = reverse("ta-request-step", args=[request.pk, "resolve"])
    response = client.post(url, {"version": "1", "resolve-resolved_on": days_ago(1),
                                 "resolve-resolution": "Done."})
    assert response.status_code == 400
    assert "started working on the request first" in response.content.decode()
    response = client.post(reverse("ta-request-step", args=[request.pk, "start"]),
                           {"version": "1", "start-started_on": days_ago(2)})
    assert response.status_code == 302
    assert TARequest.objects.get(pk=request.pk).status == "in_progress"


def test_only_the_hub_logs_and_moves_requests(network):
    with pytest.raises(PermissionDenied):
        services.log_request(user=network["supervisor.ea"], request=TARequest(
            center=network.east, asked_by_name="x", topic="other", subject="x",
            description="x", requested_on=days_ago(1)))


def test_a_versioned_edit_from_an_old_page_shows_the_conflict(network, login):
    request = ta_request(network)
    services.update_record(user=network["ta.hub"], record=request,
                           changes={"urgency": "urgent"}, expected_version=1)
    client = login(network["ta.hub"])
    response = client.post(reverse("ta-request-edit", args=[request.pk]), {
        "version": "1", "asked_by_name": "Elizabeth Crane", "asked_by_role": "Supervisor",
        "topic": "caseload", "urgency": "routine", "subject": "Changed", "description": "x"})
    assert response.status_code == 409
    request.refresh_from_db()
    assert (request.urgency, request.version) == ("urgent", 2)


# ---------------------------------------------------------------- follow-ups


def test_follow_ups_overdue_show_on_the_hub_page(network, login):
    meeting = consultation(network, centers=[network.east])
    overdue = services.add_follow_up(user=network["ta.hub"], parent=meeting, follow_up=FollowUp(
        description="Send the worksheet", owner="Monique Harrington",
        owner_center=network.hub, due_on=days_ago(3)))
    later = services.add_follow_up(user=network["ta.hub"], parent=meeting, follow_up=FollowUp(
        description="Call back in a month", owner="Elizabeth Crane",
        owner_center=network.east, due_on=days_ago(-20)))
    assert overdue.is_overdue() and not later.is_overdue()
    client = login(network["ta.hub"])
    page = client.get(reverse("ta-home")).content.decode()
    assert "Send the worksheet" in page and "Call back in a month" not in page
    assert client.post(reverse("ta-follow-up-done", args=[overdue.pk]),
                       {"next": "home"}).status_code == 302
    overdue.refresh_from_db()
    assert overdue.done and not overdue.is_overdue()
    client.get(reverse("ta-home"))  # the "Done" message shown once
    assert "Nothing overdue." in client.get(reverse("ta-home")).content.decode()


# ---------------------------------------------------------------- who sees what


def _eastern_and_hub_records(network):
    east_request = ta_request(network)
    hub_request = ta_request(network, center=network.hub, subject="Hub own request")
    east_call = consultation(network, centers=[network.east], request=east_request,
                             attendees="Elizabeth Crane; supervisor")
    hub_call = consultation(network, centers=[network.hub], notes="Only the hub took part.")
    both = training(network, centers=[network.hub, network.east])
    return east_request, hub_request, east_call, hub_call, both


def test_each_center_sees_only_its_own_history(network, login):
    east_request, hub_request, east_call, hub_call, both = _eastern_and_hub_records(network)
    for username in ("supervisor.ea", "admin.ea"):
        client = login(network[username])
        assert client.get(reverse("ta-consultation-detail", args=[east_call.pk])
                          ).status_code == 200
        assert client.get(reverse("ta-consultation-detail", args=[hub_call.pk])
                          ).status_code == 404
        assert client.get(reverse("ta-request-detail", args=[hub_request.pk])
                          ).status_code == 404
        assert client.get(reverse("ta-training-detail", args=[both.pk])).status_code == 200
        page = client.get(reverse("ta-home")).content.decode()
        assert east_request.subject in page and "Hub own request" not in page
    client = login(network["supervisor.nc"])
    assert client.get(reverse("ta-consultation-detail", args=[east_call.pk])).status_code == 404
    assert client.get(reverse("ta-consultation-detail", args=[hub_call.pk])).status_code == 200


def test_the_hub_sees_all(network, login):
    east_request, hub_request, east_call, hub_call, both = _eastern_and_hub_records(network)
    client = login(network["ta.hub"])
    for url in (reverse("ta-request-detail", args=[east_request.pk]),
                reverse("ta-request-detail", args=[hub_request.pk]),
                reverse("ta-consultation-detail", args=[east_call.pk]),
                reverse("ta-consultation-detail", args=[hub_call.pk]),
                reverse("ta-training-detail", args=[both.pk])):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("ta-home")).content.decode()
    assert east_request.subject in page and "Hub own request" in page


def test_coordinators_title_v_and_providers(network, login):
    east_request, _, east_call, _, _ = _eastern_and_hub_records(network)
    item = library_item(network)
    client = login(network["nurse.ea"])
    assert client.get(reverse("ta-library")).status_code == 200
    assert client.get(reverse("ta-library-download", args=[item.pk])).status_code == 200
    assert client.get(reverse("ta-request-detail", args=[east_request.pk])).status_code == 404
    assert client.get(reverse("ta-consultation-detail", args=[east_call.pk])).status_code == 404
    assert east_request.subject not in client.get(reverse("ta-home")).content.decode()
    for username in ("titlev.state", "provider.nc"):
        client = login(network[username])
        for url in (reverse("ta-home"), reverse("ta-library"),
                    reverse("ta-library-download", args=[item.pk])):
            assert client.get(url).status_code == 404, (username, url)


def test_a_center_comments_on_its_open_request_only(network, login):
    request = ta_request(network)
    client = login(network["supervisor.ea"])
    url = reverse("ta-request-comment", args=[request.pk])
    assert client.post(url, {"body": "We tried the worksheet."}).status_code == 302
    assert request.comments.get().author == network["supervisor.ea"]
    hub = network["ta.hub"]
    services.start_request(user=hub, request=request, expected_version=1,
                           started_on=days_ago(20))
    services.resolve_request(user=hub, request=request, expected_version=2,
                             resolved_on=days_ago(1), resolution="Done.")
    assert client.post(url, {"body": "Another"}).status_code == 404
    assert client.post(reverse("ta-request-step", args=[request.pk, "start"]),
                       {"version": "3"}).status_code == 404


def test_a_consultation_on_a_request_includes_its_center_and_attendees(network):
    request = ta_request(network)
    meeting = consultation(network, centers=[], request=request,
                           attendees="Elizabeth Crane; supervisor\nDana Lee; nurse; Eastern")
    assert list(meeting.centers.all()) == [network.east]
    assert [a.name for a in meeting.attendees.all()] == ["Dana Lee", "Elizabeth Crane"]
    with pytest.raises(ValidationError) as refused:
        consultation(network, centers=[network.east], attendees="Someone; role; Atlantis")
    assert "attendees" in refused.value.message_dict


# ---------------------------------------------------------------- the library


def test_a_real_pdf_and_office_files_are_accepted(network):
    assert library_item(network).kind == "pdf"
    for name, part in (("plan.docx", "word/document.xml"), ("counts.xlsx", "xl/workbook.xml"),
                       ("slides.pptx", "ppt/presentation.xml")):
        item = services.add_library_item(user=network["ta.hub"], upload=office_upload(name, part),
                                         item=LibraryItem(title=name, topic="other"))
        assert item.kind == name.rsplit(".", 1)[1]
        assert item.file.name.endswith(item.kind) and item.file.storage.exists(item.file.name)


def test_a_file_stored_under_media_root_ta_library(network, media_root):
    item = library_item(network)
    assert (media_root / "ta-library" / item.file.name).exists()


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("renamed.pdf", b"GIF89a not a pdf at all"),
    SimpleUploadedFile("renamed.docx", b"%PDF-1.4 a pdf named docx"),
    office_upload("book.docx", "xl/workbook.xml"),  # a workbook named .docx
    SimpleUploadedFile("script.exe", b"%PDF-1.4"),
])
def test_a_file_whose_content_is_not_its_kind_is_refused(network, upload):
    with pytest.raises(ValidationError) as refused:
        services.add_library_item(user=network["ta.hub"], upload=upload,
                                  item=LibraryItem(title="x", topic="other"))
    assert "file" in refused.value.message_dict
    assert not LibraryItem.objects.exists()


def test_a_file_too_large_is_refused(network, login):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_BYTES)
    client = login(network["ta.hub"])
    response = client.post(reverse("ta-library-upload"), {
        "title": "Big", "topic": "other", "file": big})
    assert response.status_code == 400
    assert "up to 10 MB" in response.content.decode()
    assert not LibraryItem.objects.exists()


def test_the_upload_page_adds_a_file_linked_to_statewide_entries(network, login):
    client = login(network["ta.hub"])
    response = client.post(reverse("ta-library-upload"), {
        "title": "Guide", "topic": "care_plan", "file": pdf_upload("Guide.pdf")})
    assert response.status_code == 302
    assert LibraryItem.objects.get().original_name == "Guide.pdf"
    for name in ("renamed.pdf",):
        response = client.post(reverse("ta-library-upload"), {
            "title": "Fake", "topic": "other",
            "file": SimpleUploadedFile(name, b"MZ\x90\x00 an executable")})
        assert response.status_code == 400
        assert "not a real .pdf file" in response.content.decode()


def test_a_library_download_is_audited(network, login):
    item = library_item(network)
    client = login(network["nurse.ea"])
    response = client.get(reverse("ta-library-download", args=[item.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert 'filename="guide.pdf"' in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="export",
                                   object_type="technicalassistance.libraryitem")
    assert event.actor_username == "nurse.ea" and event.detail["item"] == item.pk
    assert event.center_id == network.east.pk
