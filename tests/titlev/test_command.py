"""`manage.py titlev_export`: the files, their names, problems reported and not dropped,
--strict, byte-identical re-runs with the run time only in the manifest, and the same bytes as
the page's downloads."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from carecoord.audit.models import AuditEvent
from carecoord.titlev.models import ReportingSettings
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def run(tmp_path, folder, *args):
    out = tmp_path / folder
    call_command("titlev_export", "--year", "2026", "--out", str(out), *args)
    return out


def test_writes_the_export_and_reports_problems(network, year, tmp_path, capsys):
    out = run(tmp_path, "a")
    printed = capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == [
        "titlev-2026-all-centers-counts.csv", "titlev-2026-all-centers-manifest.json",
        "titlev-2026-all-centers-measures.csv", "titlev-2026-all-centers-problems.csv",
        "titlev-2026-all-centers.csv", "titlev-2026-all-centers.json",
        "titlev-dictionary.csv", "titlev-dictionary.json"]
    assert "8 children served, de-identified" in printed.out
    assert "3 validation problem(s)" in printed.out
    # De-identified: the record number (for the center to find the child), not the name.
    assert (f"north-central: child record {year.no_insurance.pk}" in printed.err
            and "insurance_type: No insurance type" in printed.err)
    assert "Sinseguro" not in printed.err
    assert len((out / "titlev-2026-all-centers.csv").read_text().splitlines()) == 9
    event = AuditEvent.objects.filter(action="export").latest("at")
    assert event.object_type == "titlev.export" and event.detail["count"] == 8
    assert event.path == "manage.py titlev_export"


def test_an_identified_center_s_problems_name_the_child(network, year, tmp_path, capsys):
    ReportingSettings.objects.create(center=network.hub, identified=True,
                                     identified_basis="Contract B")
    out = run(tmp_path, "a", "--center", "north-central", "--format", "csv")
    err = capsys.readouterr().err
    assert f"child {year.no_insurance.pk} (Lucas Sinseguro), insurance_type:" in err
    assert f"child {year.no_insurance.pk} (Lucas Sinseguro), zip_code:" in err
    assert "Sinseguro" in (out / "titlev-2026-north-central.csv").read_text()
    assert [p.name for p in out.glob("*.json")] == ["titlev-2026-north-central-manifest.json"]


def test_rerunning_writes_byte_identical_files_and_a_new_manifest(network, year, tmp_path):
    first, second = run(tmp_path, "a"), run(tmp_path, "b")
    data = sorted(p.name for p in first.iterdir() if "manifest" not in p.name)
    for name in data:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    manifest = json.loads((first / "titlev-2026-all-centers-manifest.json").read_text())
    assert manifest["generated_at"] and manifest["rows"] == 8 and manifest["problems"] == 3
    for entry in manifest["files"]:
        body = (first / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(body).hexdigest()
    assert "generated" not in (first / "titlev-2026-all-centers.json").read_text()


def test_strict_writes_nothing_when_there_is_a_problem(network, year, tmp_path):
    with pytest.raises(CommandError, match="3 validation problem"):
        run(tmp_path, "strict", "--strict")
    assert not (tmp_path / "strict").exists()


def test_the_page_downloads_the_command_s_bytes(network, year, tmp_path, client):
    out = run(tmp_path, "a", "--center", "eastern")
    client.login(username="titlev.state", password=PASSWORD)
    for name, file_name in (("export.csv", "titlev-2026-eastern.csv"),
                            ("export.json", "titlev-2026-eastern.json"),
                            ("problems.csv", "titlev-2026-eastern-problems.csv"),
                            ("dictionary.csv", "titlev-dictionary.csv")):
        page = client.get(reverse("titlev-file", args=[2026, "eastern", name])).content
        assert page == (out / file_name).read_bytes(), name


def test_refuses_an_unknown_center_and_a_year_not_begun(network, tmp_path):
    with pytest.raises(CommandError, match="No center 'nowhere'.*north-central"):
        run(tmp_path, "x", "--center", "nowhere")
    with pytest.raises(CommandError, match="has not started"):
        call_command("titlev_export", "--year", "2999", "--out", str(tmp_path))
