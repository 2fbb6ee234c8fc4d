"""Importing HSDS: every bad file gives a clear problem (file, record, field) and writes nothing;
a good one is first reported (add / change / remove) and written only with commit."""

import csv
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carecoord.audit.models import AuditEvent
from carecoord.directory import hsds, taxonomy
from carecoord.directory.models import HSDS_MODELS, Phone, Service, TaxonomyTerm

from .helpers import EXAMPLES, FOOD, example, load, new_id, service_doc, write

pytestmark = pytest.mark.django_db


def nothing_written():
    counts = {table: model.objects.count() for table, model in HSDS_MODELS.items()}
    assert not any(counts.values()), counts
    assert not AuditEvent.objects.filter(object_type=hsds.AUDIT_OBJECT_TYPE).exists()


def refused(path, **kwargs) -> list[hsds.Problem]:
    plan = hsds.import_hsds(path, commit=True, **kwargs)
    assert not plan.ok and not plan.committed
    assert plan.lines()[0].endswith("nothing written.")
    return plan.problems


@pytest.fixture
def reference(db):
    from tests.factories import ensure_reference_data

    ensure_reference_data()
    if not EXAMPLES.exists():
        pytest.skip("the shared reference folder is not next to this checkout")


# ---------------------------------------------------------------- the reference examples


def expected_errors():
    if not EXAMPLES.exists():
        return []
    with open(EXAMPLES / "expected_errors.csv", newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["expected_valid"] != "true"]


@pytest.mark.parametrize("row", expected_errors(), ids=lambda row: row["file"])
def test_each_invalid_reference_example_gives_the_expected_error(reference, row):
    (problem,) = refused(EXAMPLES / row["file"])
    assert problem.file == row["file"]
    assert problem.pointer == row["json_pointer"]
    assert problem.keyword == row["keyword"]
    assert problem.message == row["expected_message_jsonschema_4x"]
    document = example(row["file"])
    # The record is named by its id; the field is named too.
    assert problem.record.endswith(str(document["id"]) if row["json_pointer"].count("/") < 2
                                   else document["service_at_locations"][0]["location"]["id"])
    assert problem.field == row["json_pointer"].rsplit("/", 1)[-1] or (
        row["keyword"] == "required" and problem.field == "status")
    nothing_written()


def test_the_valid_reference_example_is_accepted(reference):
    plan = hsds.import_hsds(EXAMPLES / "valid_service.json")
    assert plan.ok and plan.counts()["add"]["service"] == 1
    nothing_written()  # a dry run


def test_the_error_sentence_names_file_record_field_and_place(reference):
    (problem,) = refused(EXAMPLES / "invalid_2_bad_location_type.json")
    assert str(problem) == (
        "invalid_2_bad_location_type.json, location f0bb3b4f-0b0e-4f10-b416-f42768d34b93, "
        "field location_type: 'clinic' is not one of ['physical', 'postal', 'virtual'] "
        "(at /service_at_locations/0/location/location_type)")


# ---------------------------------------------------------------- bad JSON files


def test_malformed_json_names_the_line_and_column(reference, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"id": "75236c11-0e67-45ee-a276-59dd6a0d88f2",\n "name": "x" "status"}]')
    (problem,) = refused(path)
    assert problem.file == "broken.json" and problem.keyword == "json"
    assert problem.record == "line 2, column 14"
    assert "not valid JSON: Expecting ',' delimiter" in problem.message
    nothing_written()


def test_not_a_number_is_malformed_json(reference, tmp_path):
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(service_doc()).replace('"maximum_age": 21', '"maximum_age": NaN'))
    (problem,) = refused(path)
    assert problem.keyword == "json" and "NaN is not a JSON number" in problem.message
    nothing_written()


def test_missing_required_fields_are_each_named(reference, tmp_path):
    doc = service_doc()
    del doc["name"]
    del doc["organization"]["description"]
    del doc["service_at_locations"][0]["location"]["addresses"][0]["city"]
    problems = refused(write(tmp_path / "missing.json", [doc]))
    found = {(p.record, p.field, p.pointer, p.message) for p in problems}
    location = doc["service_at_locations"][0]["location"]
    assert found == {
        (f"service {doc['id']}", "name", "/0", "'name' is a required property"),
        (f"organization {doc['organization']['id']}", "description", "/0/organization",
         "'description' is a required property"),
        (f"address {location['addresses'][0]['id']}", "city",
         "/0/service_at_locations/0/location/addresses/0", "'city' is a required property"),
    }
    nothing_written()


def test_a_service_must_name_its_organization(reference, tmp_path):
    doc = service_doc()
    del doc["organization"], doc["organization_id"]
    (problem,) = refused(write(tmp_path / "orphan.json", doc))
    assert problem.field == "organization_id" and problem.keyword == "tabular_required"
    nothing_written()


def test_a_field_hsds_does_not_define_is_refused_not_dropped(reference, tmp_path):
    doc = service_doc(insurance="HUSKY")
    (problem,) = refused(write(tmp_path / "extra.json", doc))
    assert problem.keyword == "additionalProperties"
    assert "'insurance' was unexpected" in problem.message
    nothing_written()


def test_an_unknown_taxonomy_term_is_refused(reference, tmp_path):
    doc = service_doc()
    doc["attributes"] = [{"id": new_id(), "link_type": "service_category",
                          "taxonomy_term_id": new_id()}]
    (problem,) = refused(write(tmp_path / "unknown-term.json", doc))
    assert problem.keyword == "taxonomy" and problem.field == "taxonomy_term_id"
    assert problem.record == f"attribute {doc['attributes'][0]['id']}"
    assert problem.pointer == "/attributes/0"
    assert "is not a known taxonomy term" in problem.message
    nothing_written()


def test_a_term_claiming_the_carecoord_taxonomy_must_be_one_of_its_terms(reference, tmp_path):
    doc = service_doc()
    doc["attributes"] = [{"id": new_id(), "link_type": "service_category", "taxonomy_term": {
        "id": new_id(), "code": "pony-rides", "name": "Pony rides", "description": "Ponies.",
        "taxonomy": "CareCoord", "taxonomy_id": taxonomy.TAXONOMY_ID}}]
    (problem,) = refused(write(tmp_path / "made-up-term.json", doc))
    assert problem.keyword == "taxonomy" and "has no term 'pony-rides'" in problem.message
    nothing_written()


def test_a_carecoord_term_cannot_be_renamed_by_an_import(reference, tmp_path):
    doc = service_doc(term=None)
    doc["attributes"] = [{"id": new_id(), "taxonomy_term": {**FOOD.hsds(), "name": "Snacks"}}]
    (problem,) = refused(write(tmp_path / "renamed.json", doc))
    assert problem.keyword == "taxonomy" and problem.field == "name"
    nothing_written()


def test_duplicate_ids_are_refused(reference, tmp_path):
    first, second = service_doc("First"), service_doc("Second")
    second["id"] = first["id"]
    problems = refused(write(tmp_path / "twice.json", [first, second]))
    assert [p.keyword for p in problems] == ["duplicate_id"]
    assert (problems[0].record, problems[0].pointer) == (f"service {first['id']}", "/1")
    assert problems[0].message == (f"duplicate id: twice.json service {first['id']} at /0 is "
                                   "another service with the same id")
    nothing_written()


def test_one_id_for_two_different_records_is_a_duplicate(reference, tmp_path):
    first, second = service_doc("First"), service_doc("Second")
    second["phones"][0]["id"] = first["phones"][0]["id"]
    (problem,) = refused(write(tmp_path / "phones.json", [first, second]))
    assert problem.keyword == "duplicate_id" and problem.field == "id"
    assert "they differ in number" not in problem.message  # same number, other service
    assert "service_id" in problem.message
    nothing_written()


def test_an_organization_embedded_in_each_of_its_services_is_one_record(reference, tmp_path):
    organization = {"id": new_id(), "name": "Shared", "description": "One organization."}
    plan = hsds.import_hsds(write(tmp_path / "shared.json", [
        service_doc("A", organization=organization), service_doc("B", organization=organization)]))
    assert plan.ok and plan.counts()["add"]["organization"] == 1


def test_a_nested_link_that_contradicts_its_nesting_is_refused(reference, tmp_path):
    doc = service_doc()
    doc["schedules"][0]["service_id"] = new_id()
    (problem,) = refused(write(tmp_path / "contradiction.json", doc))
    assert problem.field == "service_id" and problem.keyword == "link"
    nothing_written()


def test_a_link_to_nothing_is_refused(reference, tmp_path):
    doc = service_doc()
    doc["program_id"] = new_id()
    (problem,) = refused(write(tmp_path / "dangling.json", doc))
    assert problem.keyword == "reference" and problem.field == "program_id"
    assert problem.message.endswith("is not a program of this file or of the directory")
    nothing_written()


def test_dates_must_be_iso_dates_and_ages_in_order(reference, tmp_path):
    problems = refused(write(tmp_path / "dates.json", service_doc(
        assured_date="15/01/2026", minimum_age=18, maximum_age=3)))
    assert {(p.field, p.keyword) for p in problems} == {("assured_date", "format")}
    problems = refused(write(tmp_path / "ages.json", service_doc(minimum_age=18, maximum_age=3)))
    assert {(p.field, p.keyword) for p in problems} == {("maximum_age", "range")}
    nothing_written()


def test_a_multi_page_api_response_is_refused(reference, tmp_path):
    page = {"total_items": 40, "total_pages": 2, "page_number": 1, "size": 20,
            "first_page": True, "last_page": False, "empty": False,
            "contents": [service_doc()]}
    (problem,) = refused(write(tmp_path / "page.json", page))
    assert problem.keyword == "page" and "page 1 of 2" in problem.message
    nothing_written()


def test_an_api_page_with_every_service_is_imported(reference, tmp_path):
    page = {"total_items": 2, "total_pages": 1, "page_number": 1, "size": 2,
            "first_page": True, "last_page": True, "empty": False,
            "contents": [service_doc("A"), service_doc("B")]}
    plan = hsds.import_hsds(write(tmp_path / "page.json", page), commit=True)
    assert plan.committed and Service.objects.count() == 2


# ---------------------------------------------------------------- bad CSV packages


def csv_package(tmp_path, documents):
    """The CSV form of `documents`, through a real import and export."""
    load(documents)
    folder = tmp_path / "package"
    hsds.export_csv(folder)
    for model in reversed(HSDS_MODELS.values()):
        model.objects.all().delete()
    return folder


def rewrite(path, change):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def test_csv_problems_name_the_file_the_row_and_the_field(reference, tmp_path):
    folder = csv_package(tmp_path, [service_doc("A"), service_doc("B")])
    rewrite(folder / "services.csv", lambda rows: rows[2].__setitem__(
        rows[0].index("maximum_age"), "twenty"))
    rewrite(folder / "phones.csv", lambda rows: rows.append(rows[1]))
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    problems = hsds.import_hsds(folder, commit=True).problems
    service_id = _cell(folder / "services.csv", 2, "id")
    phone_id = _cell(folder / "phones.csv", 1, "id")
    found = {(p.file, p.record, p.field, p.keyword, p.message) for p in problems}
    assert found == {
        ("package/notes.csv", "the whole file", "", "csv",
         "not a table of HSDS 3.0 (see datapackage.json for the file names)"),
        ("package/services.csv", f"row 3 (id {service_id})", "maximum_age", "type",
         "'twenty' is not of type 'number'"),
        ("package/phones.csv", f"row {_rows(folder / 'phones.csv')} (id {phone_id})", "id",
         "duplicate_id", f"duplicate id: package/phones.csv row 2 (id {phone_id}) is another "
         "phone with the same id"),
    }
    assert not Service.objects.exists()


def test_csv_unknown_columns_and_missing_foreign_keys(reference, tmp_path):
    folder = csv_package(tmp_path, [service_doc()])
    rewrite(folder / "languages.csv", lambda rows: rows[0].__setitem__(
        rows[0].index("note"), "dialect"))
    rewrite(folder / "cost_options.csv", lambda rows: rows[1].__setitem__(
        rows[0].index("service_id"), ""))
    problems = hsds.import_hsds(folder).problems
    assert {(p.file, p.field, p.keyword) for p in problems} == {
        ("package/languages.csv", "dialect", "additionalProperties")}
    rewrite(folder / "languages.csv", lambda rows: rows[0].__setitem__(
        rows[0].index("dialect"), "note"))
    (problem,) = hsds.import_hsds(folder).problems
    assert (problem.file, problem.field, problem.keyword) == (
        "package/cost_options.csv", "service_id", "tabular_required")


def _cell(path, row, column):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[row][rows[0].index(column)]


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return len(list(csv.reader(handle)))


# ---------------------------------------------------------------- the report and the commit


def test_a_dry_run_reports_and_writes_nothing_then_commit_writes_it_all(reference, tmp_path):
    path = write(tmp_path / "one.json", [service_doc("Pantry")])
    plan = hsds.import_hsds(path)
    assert plan.ok and not plan.committed
    assert plan.counts()["add"] == {
        "organization": 1, "service": 1, "attribute": 1, "service_at_location": 1,
        "location": 1, "phone": 1, "address": 1, "schedule": 1, "service_area": 1,
        "language": 3, "cost_option": 1, "taxonomy_term": 1, "taxonomy": 1}
    lines = plan.lines()
    assert lines[0].endswith("(dry run, nothing written):")
    assert any(line.strip().startswith("Pantry [") for line in lines)
    assert lines[-1] == "Run again with --commit to apply it."
    nothing_written()
    plan = hsds.import_hsds(path, commit=True)
    assert plan.committed and Service.objects.get().name == "Pantry"
    assert TaxonomyTerm.objects.get().need_domain.code == "food"
    event = AuditEvent.objects.get(object_type=hsds.AUDIT_OBJECT_TYPE)
    assert event.detail["add"]["service"] == 1 and event.detail["source"] == "one.json"


def test_the_report_lists_what_changes_and_what_goes(reference, tmp_path):
    keep, change, drop = service_doc("Keep"), service_doc("Change"), service_doc("Drop")
    load([keep, change, drop], keep_others=False)
    change["name"] = "Changed"
    del change["phones"]
    plan = hsds.import_hsds(write(tmp_path / "next.json", [keep, change]))
    counts = plan.counts()
    assert counts["change"] == {"service": 1}
    assert counts["remove"]["service"] == 1 and counts["remove"]["phone"] == 2
    assert counts["remove"]["organization"] == 1  # Drop's own organization, used by nothing
    assert counts["add"] == {}
    text = "\n".join(plan.lines())
    assert f"Changed [{change['id']}]: name" in text and f"Drop [{drop['id']}]" in text
    assert Service.objects.count() == 3  # still a dry run
    hsds.import_hsds(write(tmp_path / "next.json", [keep, change]), commit=True)
    assert set(Service.objects.values_list("name", flat=True)) == {"Keep", "Changed"}
    assert not Phone.objects.filter(service_id=change["id"]).exists()


def test_keep_others_removes_only_what_the_file_no_longer_lists(reference, tmp_path):
    first, second = service_doc("First"), service_doc("Second")
    load([first, second])
    del first["languages"][1]
    plan = hsds.import_hsds(write(tmp_path / "first.json", first), keep_others=True)
    assert plan.counts()["remove"] == {"language": 1}
    assert plan.counts()["change"] == {}


def test_what_another_keeper_still_uses_is_not_removed(reference, network, tmp_path):
    statewide = service_doc("Statewide")
    load(statewide, keep_others=False)
    site = statewide["service_at_locations"][0]["location"]
    local = service_doc("Local at the statewide site")
    local["service_at_locations"] = [{"id": new_id(), "location_id": site["id"],
                                      "location": site}]
    local["organization"] = statewide["organization"]
    local["organization_id"] = statewide["organization"]["id"]
    load(local, center=network.east)
    plan = hsds.import_hsds(write(tmp_path / "empty.json", []), commit=True)
    assert plan.counts()["remove"]["service"] == 1
    assert plan.kept["location"] == [site["id"]]
    assert plan.kept["organization"] == [statewide["organization"]["id"]]
    assert Service.objects.get().name == "Local at the statewide site"


def test_a_center_import_cannot_change_a_statewide_record(reference, network, tmp_path):
    statewide = service_doc("Statewide")
    load(statewide)
    local = service_doc("Local", organization={**statewide["organization"], "name": "Renamed"})
    (problem,) = refused(write(tmp_path / "local.json", local), center=network.east)
    assert problem.keyword == "keeper" and problem.field == "name"
    assert problem.message.startswith("is kept by the hub (statewide): an import into Eastern's "
                                      "local entries cannot change it (it differs in name)")


def test_a_center_cannot_hang_its_records_under_a_statewide_service(reference, network,
                                                                    tmp_path):
    statewide = service_doc("Statewide")
    load(statewide)
    statewide["phones"].append({"id": new_id(), "number": "860-555-0199"})
    (problem,) = refused(write(tmp_path / "sneaky.json", statewide), center=network.east)
    assert problem.keyword == "keeper" and problem.field == "service_id"
    assert f"hangs under service {statewide['id']}, which the hub (statewide) keeps" in (
        problem.message)


def test_a_statewide_entry_cannot_use_a_local_one(reference, network, tmp_path):
    local = service_doc("Local")
    load(local, center=network.east)
    statewide = service_doc("Statewide", organization=local["organization"])
    problems = refused(write(tmp_path / "statewide.json", statewide))
    assert {(p.record.split()[0], p.field) for p in problems} == {
        ("service", "organization_id"), ("location", "organization_id")}
    assert all(p.keyword == "keeper" and "a local entry of Eastern: only Eastern's own" in p.message
               for p in problems)


def test_the_import_command_dry_run_commit_and_refusal(reference, network, tmp_path, capsys):
    path = write(tmp_path / "one.json", service_doc("Pantry"))
    call_command("import_hsds", str(path), "--center", "eastern")
    assert "would add" in capsys.readouterr().out and not Service.objects.exists()
    call_command("import_hsds", str(path), "--center", "Eastern", "--commit")
    assert Service.objects.get().center == network.east
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_hsds", str(EXAMPLES / "invalid_3_age_as_string.json"))
    assert "field maximum_age" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No center is called 'Atlantis'"):
        call_command("import_hsds", str(path), "--center", "Atlantis")


def test_a_missing_file_is_a_problem_not_a_crash(reference, tmp_path):
    (problem,) = refused(tmp_path / "nowhere.json")
    assert problem.message == "no such file or folder"
