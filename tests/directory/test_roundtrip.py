"""Export round-trips: import A, export B, and A and B are the same data (the same records with
the same fields); exporting again what was imported from an export gives the same file."""

import datetime
import random

import pytest
from django.core.management import call_command

from carecoord.audit.models import AuditEvent
from carecoord.demo.hsds_directory import build_demo_directory
from carecoord.directory import hsds
from carecoord.directory.models import HSDS_MODELS, Service

from .helpers import EXAMPLES, example, load, service_doc, write

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 6, 30)


def wipe():
    for model in reversed(HSDS_MODELS.values()):
        model.objects.all().delete()


def data(path):
    dataset = hsds.read(path)
    assert not dataset.problems, dataset.problems
    return dataset.as_data()


@pytest.fixture
def demo(network):
    return build_demo_directory(rng=random.Random(2026), as_of=AS_OF,
                                centers=[network.hub, network.east])


def test_the_valid_reference_example_round_trips_as_json_and_csv(network, tmp_path):
    if not EXAMPLES.exists():
        pytest.skip("the shared reference folder is not next to this checkout")
    source = EXAMPLES / "valid_service.json"
    assert hsds.import_hsds(source, commit=True).committed
    hsds.export_json(tmp_path / "b.json")
    hsds.export_csv(tmp_path / "b-csv")
    assert data(tmp_path / "b.json") == data(source)
    assert data(tmp_path / "b-csv") == data(source)
    # The exported document is the example itself, with the links its nesting implies
    # written out.
    (exported,) = hsds.read_json(tmp_path / "b.json").records["service"].values()
    original = example("valid_service.json")
    assert {k: v for k, v in original.items() if not isinstance(v, (list, dict))} == {
        k: v for k, v in exported.fields.items()}


def test_an_export_imported_again_exports_the_same_file(network, tmp_path):
    load([service_doc("A"), service_doc("B", town="Norwich")])
    hsds.export_json(tmp_path / "b.json")
    hsds.export_csv(tmp_path / "b-csv")
    wipe()
    assert hsds.import_hsds(tmp_path / "b.json", commit=True).committed
    hsds.export_json(tmp_path / "c.json")
    assert (tmp_path / "c.json").read_text() == (tmp_path / "b.json").read_text()
    wipe()
    assert hsds.import_hsds(tmp_path / "b-csv", commit=True).committed
    hsds.export_csv(tmp_path / "c-csv")
    for path in sorted((tmp_path / "b-csv").iterdir()):
        assert (tmp_path / "c-csv" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_list_an_api_page_and_a_single_document_are_the_same_data(network, tmp_path):
    doc = service_doc()
    page = {"total_items": 1, "total_pages": 1, "contents": [doc]}
    assert data(write(tmp_path / "one.json", doc)) == data(write(tmp_path / "list.json", [doc]))
    assert data(write(tmp_path / "page.json", page)) == data(tmp_path / "one.json")


def test_the_demo_directory_round_trips_as_json(demo, tmp_path):
    hsds.export_json(tmp_path / "a.json")
    before = data(tmp_path / "a.json")
    assert len(before["service"]) == demo["directory_services_statewide"]
    wipe()
    plan = hsds.import_hsds(tmp_path / "a.json", commit=True)
    assert plan.committed and plan.counts()["add"]["service"] == len(before["service"])
    hsds.export_json(tmp_path / "b.json")
    assert data(tmp_path / "b.json") == before
    assert (tmp_path / "b.json").read_text() == (tmp_path / "a.json").read_text()


def test_the_demo_directory_round_trips_as_csv_and_says_what_json_says(demo, tmp_path):
    hsds.export_csv(tmp_path / "a")
    hsds.export_json(tmp_path / "a.json")
    before = data(tmp_path / "a")
    assert before == data(tmp_path / "a.json")
    wipe()
    assert hsds.import_hsds(tmp_path / "a", commit=True).committed
    hsds.export_csv(tmp_path / "b")
    assert data(tmp_path / "b") == before


def test_a_centers_local_entries_round_trip(demo, network, tmp_path):
    hsds.export_json(tmp_path / "east.json", center=network.east)
    before = data(tmp_path / "east.json")
    assert {rec["name"] for rec in before["service"].values()} == set(
        Service.objects.filter(center=network.east).values_list("name", flat=True))
    wipe()
    assert hsds.import_hsds(tmp_path / "east.json", center=network.east, commit=True).committed
    assert not Service.objects.exclude(center=network.east).exists()
    hsds.export_json(tmp_path / "east-again.json", center=network.east)
    assert data(tmp_path / "east-again.json") == before


def test_a_local_export_carries_the_statewide_records_it_points_at(network, tmp_path):
    statewide = service_doc("Statewide")
    load(statewide)
    local = service_doc("Local", organization=statewide["organization"])
    load(local, center=network.east)
    hsds.export_csv(tmp_path / "east", center=network.east)
    exported = data(tmp_path / "east")
    assert set(exported["service"]) == {local["id"]}
    assert set(exported["organization"]) == {statewide["organization"]["id"]}
    plan = hsds.import_hsds(tmp_path / "east", center=network.east)
    assert plan.ok and plan.counts() == {"add": {}, "change": {}, "remove": {}}
    assert plan.shared  # the statewide organization, left as the hub keeps it


def test_the_export_command_writes_json_or_csv_and_is_audited(network, tmp_path, capsys):
    load([service_doc("A")])
    call_command("export_hsds", str(tmp_path / "out.json"))
    assert "1 service of the statewide directory (kept by the hub) written" in (
        capsys.readouterr().out)
    call_command("export_hsds", str(tmp_path / "csv"), "--format", "csv", "--center", "Eastern")
    assert (tmp_path / "csv" / "datapackage.json").exists()
    assert (tmp_path / "csv" / "services.csv").read_text().count("\n") == 1  # header only
    events = AuditEvent.objects.filter(action="export", object_type="directory.service")
    assert [event.detail["count"] for event in events.order_by("pk")] == [1, 0]
