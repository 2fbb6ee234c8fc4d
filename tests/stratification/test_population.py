"""The population engine: reference cases through files, equality with one child at a time,
rejected rows and unreadable files."""

import csv
import random
from collections import defaultdict
from datetime import date, timedelta

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from carecoord.stratification import ccc, child, population
from carecoord.stratification.pmca import Diagnosis
from carecoord.stratification.population import PopulationFileError, stratify_file

from .reference import CCC, PMCA, rows

# ibis 12 still calls DuckDB's older name for fetching Arrow results.
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")

AS_OF = date(2025, 12, 31)
TODAY = date(2026, 11, 25)


def write_csv(path, header, lines):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(lines)
    return path


def classification(out_dir):
    return {row["child_id"]: row for row in rows(out_dir / "classification.csv")}


def run(path, out_dir, **options):
    options.setdefault("today", TODAY)
    summary = stratify_file(path, out_dir, **options)
    return summary, classification(out_dir)


@pytest.mark.parametrize("sample_rows", [population.SAMPLE_ROWS, 0, 7])
def test_the_pmca_reference_children_through_a_file(tmp_path, sample_rows):
    summary, got = run(PMCA / "cases.csv", tmp_path, sample_rows=sample_rows)
    expected = rows(PMCA / "expected.csv")
    assert summary.children == len(got) == len(expected) == 68
    assert summary.rows == 138 and summary.rows_rejected == 0
    for row in expected:
        result = got[row["child_id"]]
        assert (result["pmca_less"], result["pmca_more"], result["pmca_systems_less"],
                result["pmca_systems_more"]) == (row["class_less"], row["class_more"],
                                                 row["systems_less"], row["systems_more"]), row
    assert got["P043"]["as_of"] == "2016-03-31" and got["P001"]["as_of"] == "2025-12-31"
    # P019, P020, P021, P022, P023, P024 and P050 each have a row outside the window (P019 two)
    assert summary.rows_outside_window == 8


def ccc_claims_file(path):
    lines = [(row["patient_id"], "2025-06-01", row["code"],
              "ICD-10-CM" if row["code_type"] == "dx" else "ICD-10-PCS")
             for row in rows(CCC / "cases_v2.csv")]
    return write_csv(path, ("child_id", "service_date", "code", "code_system"), lines)


@pytest.mark.parametrize("mode, expected_file", [
    ("published", "cases_v2_expected_published.csv"),
    ("pccc", "cases_v2_expected_normalized.csv"),
])
def test_the_ccc_reference_patients_through_a_file(tmp_path, mode, expected_file):
    path = ccc_claims_file(tmp_path / "claims.csv")
    summary, got = run(path, tmp_path / "out", as_of=AS_OF, mode=mode)
    expected = rows(CCC / expected_file)
    assert len(got) == len(expected) == 500
    for row in expected:
        assert {c: got[row["patient_id"]][c] for c in ccc.COLUMNS} == {
            c: row[c] for c in ccc.COLUMNS}, row["patient_id"]
    # The truncated procedure codes are rejected, and match nothing in pccc either.
    rejects = rows(tmp_path / "out" / "rejects.csv")
    assert summary.rows_rejected == len(rejects) == 25
    assert {r["reason"] for r in rejects} == {"not a valid ICD-10-PCS code"}
    claims = list(csv.reader(open(path)))
    for reject in rejects:
        line = claims[int(reject["row"]) - 1]
        assert (line[0], line[2]) == (reject["child_id"], reject["value"])


def synthetic_claims(seed, *, claim_ids, as_of_column):
    """Children with codes from every list and reference file, written as sources write
    them, several claims each, over four years."""
    vocabulary = (
        [(r["code"], r["code_system"]) for r in rows(PMCA / "code_examples.csv")]
        + [(r["code"], r["code_system"]) for r in rows(PMCA / "cases.csv")]
        + [(r["code"], "ICD-10-CM" if r["code_type"] == "dx" else "ICD-10-PCS")
           for r in rows(CCC / "cases_v2.csv")]
        + [("G80.1", "ICD-10-CM"), ("G80.9", "icd-10-cm"), ("V42.0", "ICD-9-CM"),
           ("3895", "ICD-9-PCS"), ("996.81", "ICD-9-CM"), ("F43.0", "ICD10CM")]
    )
    rng = random.Random(seed)
    lines = []
    for number in range(400):
        child_id = f"S{number:04d}"
        as_of = rng.choice(["", "", "2024-06-30", "2025-02-28"]) if as_of_column else ""
        for claim in range(rng.randint(1, 6)):
            served = date(2021, 1, 1) + timedelta(days=rng.randint(0, 5 * 365))
            for _ in range(rng.randint(1, 4)):
                code, system = rng.choice(vocabulary)
                line = [child_id, served.isoformat(), code, system]
                if claim_ids:
                    line.append(f"{child_id}-{claim}")
                if as_of_column:
                    line.append(as_of)
                lines.append(line)
    rng.shuffle(lines)
    header = ["child_id", "service_date", "code", "code_system"]
    header += ["claim_id"] if claim_ids else []
    header += ["as_of"] if as_of_column else []
    return header, lines


@pytest.mark.parametrize("claim_ids, as_of_column", [(True, True), (False, False)])
@pytest.mark.parametrize("mode", ccc.MODES)
@pytest.mark.parametrize("sample_rows", [population.SAMPLE_ROWS, 100])
def test_the_engine_equals_one_child_at_a_time(tmp_path, claim_ids, as_of_column, mode,
                                               sample_rows):
    header, lines = synthetic_claims(7, claim_ids=claim_ids, as_of_column=as_of_column)
    path = write_csv(tmp_path / "claims.csv", header, lines)
    summary, got = run(path, tmp_path / "out", as_of=AS_OF, mode=mode,
                       sample_rows=sample_rows)

    diagnoses, child_as_of = defaultdict(list), {}
    for line in lines:
        row = dict(zip(header, line, strict=True))
        diagnoses[row["child_id"]].append(Diagnosis(
            row["code"], row["code_system"], date.fromisoformat(row["service_date"]),
            row.get("claim_id")))
        child_as_of[row["child_id"]] = date.fromisoformat(row["as_of"]) if row.get(
            "as_of") else AS_OF
    assert set(got) == set(diagnoses)
    for child_id, child_diagnoses in diagnoses.items():
        expected = child.classify_child(child_diagnoses, as_of=child_as_of[child_id],
                                        mode=mode).as_row()
        result = got[child_id]
        assert {k: str(v) for k, v in expected.items()} == {k: result[k] for k in expected}, (
            child_id)
        assert result["as_of"] == child_as_of[child_id].isoformat()
    classes = {value for row in got.values() for value in (row["pmca_less"], row["pmca_more"])}
    assert len(classes) == 3 and summary.children_with_ccc > 0
    assert summary.pmca_less == {c: sum(r["pmca_less"] == c for r in got.values())
                                 for c in summary.pmca_less}


def test_parquet_in_and_out(tmp_path):
    table = pa_csv.read_csv(PMCA / "cases.csv", convert_options=pa_csv.ConvertOptions(
        column_types={"service_date": pa.date32(), "as_of": pa.string()}))
    pq.write_table(table, tmp_path / "cases.parquet")
    summary, from_parquet = run(tmp_path / "cases.parquet", tmp_path / "parquet")
    _, from_csv = run(PMCA / "cases.csv", tmp_path / "csv")
    assert from_parquet == from_csv
    written = pq.read_table(tmp_path / "parquet" / "classification.parquet").to_pylist()
    assert [list(row) for row in written][0] == list(population.OUTPUT_COLUMNS)
    assert {row["child_id"]: {k: str(v) for k, v in row.items()} for row in written} == {
        child_id: {k: v for k, v in row.items()} for child_id, row in from_csv.items()}


BAD_ROWS = [
    ("K1", "2024-01-05", "E10.9", "ICD-10-CM", "a"),
    ("K1", "2024-02-30", "E10.9", "ICD-10-CM", "b"),
    ("K1", "2024-03-05", "E10.9", "ICD-11", "c"),
    ("K1", "2024-03-06", "XX.9", "ICD-10-CM", "d"),
    ("", "2024-03-06", "E10.9", "ICD-10-CM", "e"),
    ("K2", "2030-01-01", "E84.0", "ICD-10-CM", "f"),
    ("K2", "03/04/2024", "E84.0", "ICD-10-CM", "g"),
    ("K2", "2024-03-04", "E84.0", "ICD-10-CM", ""),
    ("K2", "", "", "", "h"),
    ("K3", "1850-01-01", "E84.0", "icd10cm", "i"),
    ("K3", "2024-05-05", "E84.0", "icd10cm", "i"),
    ("K3", "2019-05-05", "E84.0", "ICD-10-CM", "j"),
]


@pytest.mark.parametrize("sample_rows", [population.SAMPLE_ROWS, 0])
def test_bad_rows_are_rejected_with_their_row_and_column(tmp_path, sample_rows):
    path = write_csv(tmp_path / "claims.csv",
                     ("child_id", "service_date", "code", "code_system", "claim_id"), BAD_ROWS)
    summary, got = run(path, tmp_path / "out", as_of=AS_OF, sample_rows=sample_rows)
    rejects = [(int(r["row"]), r["column"], r["reason"], r["value"], r["child_id"])
               for r in rows(tmp_path / "out" / "rejects.csv")]
    system_names = "expected ICD-10-CM, ICD-10-PCS, ICD-9-CM, ICD-9-PCS"
    assert rejects == [
        (3, "service_date", "service_date is an impossible date", "2024-02-30", "K1"),
        (4, "code_system", f"unknown code system 'ICD-11' ({system_names})", "ICD-11", "K1"),
        (5, "code", "not a valid ICD-10-CM code", "XX.9", "K1"),
        (6, "child_id", "child_id is empty", "", ""),
        (7, "service_date", "service_date is in the future (after 2026-11-25)", "2030-01-01",
         "K2"),
        (8, "service_date", "service_date is not a date (write it as YYYY-MM-DD)",
         "03/04/2024", "K2"),
        (9, "claim_id", "claim_id is empty", "", "K2"),
        (10, "service_date", "service_date is empty", "", "K2"),
        (10, "code_system", "code_system is empty", "", "K2"),
        (11, "service_date", "service_date is before 1900-01-01", "1850-01-01", "K3"),
    ]
    assert summary.rows == 12 and summary.rows_rejected == 9
    assert summary.rows_outside_window == 1
    assert sum(summary.rejects.values()) == 10
    # The good rows still count, and every child keeps its row.
    assert set(got) == {"K1", "K2", "K3"}
    assert got["K1"]["pmca_systems_less"] == "endocrinological"
    assert got["K2"]["pmca_less"] == "non_chronic"
    assert got["K3"]["pmca_less"] == "complex_chronic" and got["K3"]["respiratory"] == "1"


def test_a_clean_file_has_an_empty_rejects_file(tmp_path):
    run(PMCA / "cases.csv", tmp_path)
    assert (tmp_path / "rejects.csv").read_text() == "row,column,reason,value,child_id\n"


def test_the_as_of_column_overrides_the_argument(tmp_path):
    path = write_csv(tmp_path / "claims.csv",
                     ("child_id", "service_date", "code", "code_system", "as_of"), [
                         ("A", "2025-06-01", "E84.0", "ICD-10-CM", "2025-01-01"),
                         ("B", "2025-06-01", "E84.0", "ICD-10-CM", ""),
                     ])
    summary, got = run(path, tmp_path / "out", as_of=AS_OF)
    assert got["A"]["pmca_less"] == "non_chronic" and got["A"]["as_of"] == "2025-01-01"
    assert got["B"]["pmca_less"] == "complex_chronic" and got["B"]["as_of"] == "2025-12-31"
    assert summary.rows_outside_window == 1


def test_child_ids_are_written_as_valid_csv(tmp_path):
    odd = 'Smith, "Jr"'
    path = write_csv(tmp_path / "claims.csv", ("child_id", "service_date", "code", "code_system"),
                     [(odd, "2025-06-01", "E84.0", "ICD-10-CM")])
    _, got = run(path, tmp_path / "out", as_of=AS_OF)
    assert got[odd]["respiratory"] == "1"


def test_progress_reports_every_step(tmp_path):
    seen = []
    run(PMCA / "cases.csv", tmp_path, progress=lambda step, done, total: seen.append(
        (step, done, total)))
    total = len(population.STEPS)
    assert seen == [(step, i, total) for i, step in enumerate(population.STEPS)] + [
        ("done", total, total)]


HEADER = b"child_id,service_date,code,code_system\n"
GOOD = b"K1,2024-01-01,E10.9,ICD-10-CM\n"


@pytest.mark.parametrize("content, message", [
    (b"", r"empty \(row 1, the header, is missing\)"),
    (b"\n\n", r"empty \(row 1"),
    (HEADER, r"no data \(row 2 is empty\)"),
    (b"child_id,service_date,code\n" + b"K1,2024-01-01,E10.9\n",
     r"row 1 \(the header\) has no column code_system"),
    (b"child_id;service_date;code;code_system\nK1;2024-01-01;E10.9;ICD-10-CM\n",
     r"row 1 \(the header\) is separated by semicolons"),
    (b"child_id\tservice_date\tcode\tcode_system\nK1\t2024-01-01\tE10.9\tICD-10-CM\n",
     r"row 1 \(the header\) is separated by tabs"),
    (b"child_id,service_date,c\xf3de,code_system\n" + GOOD,
     r"row 1 \(the header\), column 3: not UTF-8"),
    (HEADER + GOOD + b"K\xe9,2024-01-01,E10.9,ICD-10-CM\n",
     r"row 3, column child_id: not UTF-8 text \(byte 0xe9\)"),
    (HEADER + GOOD + GOOD + b"K2,2024-01-01,E10.\xff,ICD-10-CM\n",
     r"row 4, column code: not UTF-8 text \(byte 0xff\)"),
    (HEADER + GOOD + b"K2,2024-01-01,E10.9,ICD-10-CM,extra\n",
     r"row 3, column 5 \(after the last column\): the row has 5 fields, the header has 4"),
    (HEADER + GOOD + b"K2,2024-01-01,E10.9\n",
     r"row 3, column code_system: the row has 3 fields, the header has 4"),
    (HEADER + GOOD + b'K2,"2024-01-01,E10.9,ICD-10-CM\n' + GOOD,
     r"row 3, column code: the row has 2 fields, .*a quote opened here is not closed"),
])
def test_an_unreadable_file_names_the_row_and_column(tmp_path, content, message):
    path = tmp_path / "claims.csv"
    path.write_bytes(content)
    with pytest.raises(PopulationFileError, match=message):
        stratify_file(path, tmp_path / "out", as_of=AS_OF)


def test_unreadable_parquet_files(tmp_path):
    empty = pa.table({"child_id": pa.array([], pa.string()), "service_date": pa.array(
        [], pa.date32()), "code": pa.array([], pa.string()), "code_system": pa.array(
        [], pa.string())})
    pq.write_table(empty, tmp_path / "empty.parquet")
    with pytest.raises(PopulationFileError, match=r"no rows \(row 2 is missing\)"):
        stratify_file(tmp_path / "empty.parquet", tmp_path / "out")
    pq.write_table(empty.drop_columns(["code"]), tmp_path / "missing.parquet")
    with pytest.raises(PopulationFileError, match="has no column code;"):
        stratify_file(tmp_path / "missing.parquet", tmp_path / "out")
    (tmp_path / "text.parquet").write_text("child_id,service_date\n")
    with pytest.raises(PopulationFileError, match="not a readable Parquet file"):
        stratify_file(tmp_path / "text.parquet", tmp_path / "out")


def test_a_missing_file_and_an_unknown_mode(tmp_path):
    with pytest.raises(PopulationFileError, match="no such file"):
        stratify_file(tmp_path / "nothing.csv", tmp_path / "out")
    with pytest.raises(ValueError, match="unknown CCC mode"):
        stratify_file(PMCA / "cases.csv", tmp_path / "out", mode="sas")
