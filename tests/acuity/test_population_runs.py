"""A claims file through `manage.py stratify`: the children CareCoord knows are re-stratified
from it, the others with a chronic condition make the outreach list, and the hub and the state
see the counts and download the files."""

import csv
import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from carecoord.acuity.models import CurrentAcuity, PopulationRun
from carecoord.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def claims(network, tmp_path):
    network.child_ea.insurance_member_id = "HB777001"
    network.child_ea.save()
    path = tmp_path / "claims.csv"
    rows = [
        # Sofia Rivera (member HA123456): heart and lungs, two claims each: complex chronic.
        ("HA123456", "2025-03-01", "Q21.3", "ICD-10-CM", "c1"),
        ("HA123456", "2025-09-01", "Q21.3", "ICD-10-CM", "c2"),
        ("HA123456", "2025-03-01", "J45.909", "ICD-10-CM", "c1"),
        ("HA123456", "2025-09-01", "J45.909", "ICD-10-CM", "c2"),
        # Not known to CareCoord: an outreach child, and one without a chronic condition.
        ("OUT00001", "2025-05-05", "G40.909", "ICD-10-CM", "c3"),
        ("OUT00002", "2025-05-05", "J06.9", "ICD-10-CM", "c4"),
        # Malformed rows are rejected, never fatal.
        ("OUT00003", "2025-05-05", "NOTACODE", "ICD-10-CM", "c5"),
        ("OUT00003", "2031-01-01", "G40.909", "ICD-10-CM", "c6"),
    ]
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["child_id", "service_date", "code", "code_system", "claim_id"])
        writer.writerows(rows)
    return path


def test_the_command_updates_known_children_and_lists_the_others(network, claims, tmp_path,
                                                                 capsys):
    out = tmp_path / "out"
    call_command("stratify", str(claims), "--out", str(out), "--as-of", AS_OF.isoformat())
    printed = capsys.readouterr()
    assert "8 rows, 2 rejected" in printed.out and "Known to CareCoord" in printed.out
    assert "done" in printed.err  # the progress bar
    run = PopulationRun.objects.get()
    assert (run.children, run.known, run.outreach) == (4, 1, 1)  # OUT00003: rows rejected
    acuity = CurrentAcuity.objects.get(child=network.child_nc).stratification
    assert acuity.trigger == "file" and acuity.pmca_less == "complex_chronic"
    assert "cvd" in acuity.ccc_categories
    with (out / "outreach.csv").open() as f:
        assert [row["child_id"] for row in csv.DictReader(f)] == ["OUT00001"]
    with (out / "rejects.csv").open() as f:
        assert {row["column"] for row in csv.DictReader(f)} == {"code", "service_date"}
    assert run.counts["region"] == {"North Central": 1}


def test_a_bad_file_is_refused_with_the_row_and_column(network, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("child_id,service_date,code\nA,2025-01-01,Q213\n")
    with pytest.raises(CommandError, match="code_system"):
        call_command("stratify", str(bad), "--out", str(tmp_path / "o"))
    assert not PopulationRun.objects.exists()


def test_the_hub_and_the_state_see_the_counts_and_download_the_files(
        network, claims, tmp_path, client, login):
    call_command("stratify", str(claims), "--out", str(tmp_path / "out"), "--as-of",
                 AS_OF.isoformat())
    run = PopulationRun.objects.get()
    login(network["titlev.state"])
    page = client.get(reverse("population")).content.decode()
    assert "claims.csv" in page and 'id="by-class"' in page and "North Central" in page
    response = client.get(reverse("population-file", args=[run.pk, "outreach.csv"]))
    assert b"OUT00001" in b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(action="export", object_type="acuity.populationrun").exists()
    assert client.get(reverse("population-file", args=[run.pk, "settings.py"])).status_code == 404
    login(network["supervisor.nc"])
    assert client.get(reverse("population")).status_code == 404
