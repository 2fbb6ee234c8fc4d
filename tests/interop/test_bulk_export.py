"""Bulk Data $export: kick-off, status, NDJSON files, `_type`, `_since`, Group, cancel, once."""

import datetime
import json

import pytest
from django.utils import timezone

from carecoord.audit.models import AuditEvent
from carecoord.interop import bulk, validation
from carecoord.interop.models import BulkExport
from tests.interop.conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.FHIR_EXPORT_DIR = tmp_path / "exports"
    return settings.FHIR_EXPORT_DIR


def kick_off(fhir, url):
    return fhir(url, HTTP_PREFER="respond-async", HTTP_ACCEPT="application/fhir+json")


def export_id(response) -> str:
    assert response.status_code == 202, response.content
    return response["Content-Location"].rstrip("/").rsplit("/", 1)[1]


def finished(fhir, response) -> dict:
    """Run the job as the worker does, then read the manifest."""
    location = response["Content-Location"]
    waiting = fhir(location)
    assert waiting.status_code == 202 and waiting["X-Progress"]
    assert bulk.run(export_id(response)) == BulkExport.Status.COMPLETE
    done = fhir(location)
    assert done.status_code == 200, done.content
    return done.json()


def download(fhir, manifest) -> dict[str, list[dict]]:
    files = {}
    for item in manifest["output"]:
        response = fhir(item["url"])
        assert response.status_code == 200
        assert response["Content-Type"] == "application/fhir+ndjson"
        lines = b"".join(response.streaming_content).decode().splitlines()
        assert len(lines) == item["count"]
        files[item["type"]] = [json.loads(line) for line in lines]
    return files


def test_a_system_export_writes_one_valid_ndjson_file_per_type(network, sofia, fhir):
    manifest = finished(fhir, kick_off(fhir, "/fhir/$export"))
    assert manifest["requiresAccessToken"] is True and manifest["error"] == []
    assert manifest["request"].endswith("/fhir/$export")
    files = download(fhir, manifest)
    assert {"Patient", "RelatedPerson", "CarePlan", "Goal", "Condition", "Practitioner",
            "Organization", "Encounter", "Observation"} <= set(files)
    for resource_type, resources in files.items():
        for resource in resources:
            assert resource["resourceType"] == resource_type
            assert validation.problems(resource) == [], resource_type
    # Only the practice's consented child: Sofia, never the Eastern child.
    assert [p["id"] for p in files["Patient"]] == [str(sofia["child"].pk)]
    assert {g["subject"]["reference"] for g in files["Goal"]} == {
        f"Patient/{sofia['child'].pk}"}


def test_the_export_is_audited_as_the_client(network, sofia, fhir, emr):
    finished(fhir, kick_off(fhir, "/fhir/Patient/$export"))
    event = AuditEvent.objects.get(action="export", actor_username=emr.registration.audit_name)
    assert event.detail["ids"] == [sofia["child"].pk] and event.child_id == sofia["child"].pk


def test_type_and_since_narrow_the_export(network, sofia, fhir):
    manifest = finished(fhir, kick_off(fhir, "/fhir/Patient/$export?_type=Patient,Goal"))
    assert [item["type"] for item in manifest["output"]] == ["Patient", "Goal"]
    child = sofia["child"]
    type(child).objects.filter(pk=child.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=2))

    def since(days):
        moment = timezone.now() - datetime.timedelta(days=days)
        return moment.isoformat().replace("+00:00", "Z")

    manifest = finished(fhir, kick_off(fhir, f"/fhir/$export?_type=Patient&_since={since(1)}"))
    assert manifest["output"] == []  # not changed since yesterday
    manifest = finished(fhir, kick_off(fhir, f"/fhir/$export?_type=Patient&_since={since(3)}"))
    assert [item["count"] for item in manifest["output"]] == [1]
    assert kick_off(fhir, f"/fhir/$export?_since={since(-1)}").status_code == 400  # future


def test_a_group_export_holds_the_centers_enrolled_children(network, sofia, fhir):
    manifest = finished(fhir, kick_off(
        fhir, f"/fhir/Group/center-{network.hub.pk}/$export?_type=Patient"))
    assert [p["id"] for p in download(fhir, manifest)["Patient"]] == [str(sofia["child"].pk)]
    other = finished(fhir, kick_off(
        fhir, f"/fhir/Group/center-{network.east.pk}/$export?_type=Patient"))
    assert other["output"] == []
    assert kick_off(fhir, "/fhir/Group/center-999999/$export").status_code == 404


@pytest.mark.parametrize("url, headers, status, element", [
    ("/fhir/$export", {}, 400, "Prefer"),
    ("/fhir/$export?_type=Claim", {"HTTP_PREFER": "respond-async"}, 400, "_type"),
    ("/fhir/Patient/$export?_type=Practitioner", {"HTTP_PREFER": "respond-async"}, 400,
     "_type"),
    ("/fhir/$export?_since=yesterday", {"HTTP_PREFER": "respond-async"}, 400, "_since"),
    ("/fhir/$export?_since=2026-01-01", {"HTTP_PREFER": "respond-async"}, 400, "_since"),
    ("/fhir/$export?_outputFormat=text/csv", {"HTTP_PREFER": "respond-async"}, 400,
     "_outputFormat"),
    ("/fhir/$export?_typeFilter=Patient%3Factive%3Dtrue", {"HTTP_PREFER": "respond-async"},
     400, "_typeFilter"),
])
def test_a_bad_kick_off_is_refused_naming_the_parameter(network, fhir, url, headers, status,
                                                        element):
    response = fhir(url, **headers)
    assert response.status_code == status
    assert response.json()["issue"][0]["expression"] == [element]
    assert not BulkExport.objects.exists()


def test_scopes_limit_what_is_exported(network, sofia, client, rsa_key):
    emr = register(network.practice_nc, rsa_key, scopes="system/Patient.read", name="Narrow")
    token = emr.token(client, scope="system/Patient.read")

    def fhir(url, **extra):
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", **extra)

    assert kick_off(fhir, "/fhir/$export?_type=CarePlan").status_code == 403
    manifest = finished(fhir, kick_off(fhir, "/fhir/$export"))
    assert [item["type"] for item in manifest["output"]] == ["Patient"]


def test_another_client_cannot_see_or_fetch_an_export(network, sofia, fhir, client, rsa_key):
    response = kick_off(fhir, "/fhir/Patient/$export?_type=Patient")
    manifest = finished(fhir, response)
    other = register(network.practice_ea, rsa_key, name="Eastern EMR").token(client)
    for url in (response["Content-Location"], manifest["output"][0]["url"]):
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
        assert client.get(url).status_code == 401


def test_cancelling_removes_the_files_and_a_job_runs_once(network, sofia, fhir, export_dir,
                                                          client):
    response = kick_off(fhir, "/fhir/$export")
    identifier = export_id(response)
    assert bulk.run(identifier) == BulkExport.Status.COMPLETE
    files = sorted(p.name for p in (export_dir / identifier).iterdir())
    audited = AuditEvent.objects.filter(action="export").count()
    assert bulk.run(identifier) == BulkExport.Status.COMPLETE  # a second worker does nothing
    assert sorted(p.name for p in (export_dir / identifier).iterdir()) == files
    assert not any(name.endswith(".part") for name in files)
    assert AuditEvent.objects.filter(action="export").count() == audited
    deleted = client.delete(response["Content-Location"],
                            HTTP_AUTHORIZATION=f"Bearer {fhir.token}")
    assert deleted.status_code == 202
    assert not (export_dir / identifier).exists()
    assert fhir(response["Content-Location"]).status_code == 404


def test_a_cancelled_export_stops_before_writing(network, sofia, fhir, export_dir):
    identifier = export_id(kick_off(fhir, "/fhir/$export"))
    BulkExport.objects.filter(pk=identifier).update(status=BulkExport.Status.CANCELLED)
    assert bulk.run(identifier) == BulkExport.Status.CANCELLED
    assert not (export_dir / identifier).exists()


@pytest.mark.django_db(transaction=True)  # the worker runs outside any test transaction
def test_the_export_runs_through_the_queue(network, sofia, fhir, tmp_path, monkeypatch):
    """The kick-off enqueues the job when its transaction commits; a worker runs it."""
    from huey import SqliteHuey

    from carecoord.interop import tasks
    from carecoord.interop.api import bulk as bulk_api

    queue = SqliteHuey("carecoord-export-test", filename=str(tmp_path / "jobs.sqlite3"))
    write_export = queue.task()(tasks.write_export.func)
    monkeypatch.setattr(bulk_api, "_enqueue", lambda pk: write_export(str(pk)))
    try:
        identifier = export_id(kick_off(fhir, "/fhir/Patient/$export?_type=Patient"))
        assert queue.pending_count() == 1
        assert queue.execute(queue.dequeue()) == BulkExport.Status.COMPLETE
        assert BulkExport.objects.get(pk=identifier).output[0]["count"] == 1
    finally:
        queue.flush()


def test_finished_exports_expire(network, sofia, fhir, export_dir, settings):
    identifier = export_id(kick_off(fhir, "/fhir/$export?_type=Patient"))
    bulk.run(identifier)
    assert bulk.remove_expired() == 0
    later = timezone.now() + datetime.timedelta(hours=settings.FHIR_EXPORT_KEEP_HOURS + 1)
    assert bulk.remove_expired(later) == 1
    assert not (export_dir / identifier).exists()
