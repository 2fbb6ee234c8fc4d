"""The same population expression on PySpark (local mode: Java 17 is on the machine): the
reference cases and a file with bad rows give the files DuckDB gives, cell for cell."""

import pytest

from carecoord.stratification.population import stratify_file

from .reference import PMCA, rows
from .test_population import AS_OF, BAD_ROWS, TODAY, ccc_claims_file, synthetic_claims, write_csv

pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


def both(path, tmp_path, **options):
    """Each backend's classification (sorted) and rejects files, and its summary."""
    found = {}
    for backend in ("duckdb", "spark"):
        out = tmp_path / backend
        summary = stratify_file(path, out, today=TODAY, backend=backend, **options)
        classification = sorted(rows(out / "classification.csv"), key=lambda r: r["child_id"])
        rejects = (out / "rejects.csv").read_text(encoding="utf-8")
        found[backend] = (classification, rejects, summary)
    return found["duckdb"], found["spark"]


def same_summary(a, b):
    fields = ("rows", "rows_rejected", "rows_outside_window", "children", "children_with_ccc",
              "children_with_behavioral_health", "pmca_less", "pmca_more", "rejects")
    return {f: getattr(a, f) for f in fields} == {f: getattr(b, f) for f in fields}


def test_pmca_reference_cases_on_spark_equal_duckdb(tmp_path):
    duckdb, spark = both(PMCA / "cases.csv", tmp_path)
    assert spark[0] == duckdb[0] and len(spark[0]) == 68
    assert same_summary(duckdb[2], spark[2])
    expected = {r["child_id"]: r for r in rows(PMCA / "expected.csv")}
    for row in spark[0]:
        assert (row["pmca_less"], row["pmca_more"]) == (
            expected[row["child_id"]]["class_less"], expected[row["child_id"]]["class_more"])


@pytest.mark.parametrize("mode", ["published", "pccc"])
def test_ccc_reference_cases_on_spark_equal_duckdb(tmp_path, mode):
    path = ccc_claims_file(tmp_path / "claims.csv")
    duckdb, spark = both(path, tmp_path, as_of=AS_OF, mode=mode)
    assert spark[0] == duckdb[0] and len(spark[0]) == 500
    # The rejected rows (truncated procedure codes) are numbered as in the file on both.
    assert spark[1] == duckdb[1] and spark[1].count("\n") == 26
    assert same_summary(duckdb[2], spark[2])


def test_claims_with_ids_and_as_of_dates_and_a_poor_sample_on_spark(tmp_path):
    header, lines = synthetic_claims(7, claim_ids=True, as_of_column=True)
    claims = write_csv(tmp_path / "claims.csv", header, lines)
    duckdb, spark = both(claims, tmp_path, as_of=AS_OF, sample_rows=3)
    assert spark[0] == duckdb[0] and spark[1] == duckdb[1]
    assert same_summary(duckdb[2], spark[2])


def test_bad_rows_on_spark_are_rejected_as_on_duckdb(tmp_path):
    path = write_csv(tmp_path / "claims.csv",
                     ("child_id", "service_date", "code", "code_system", "claim_id"), BAD_ROWS)
    duckdb, spark = both(path, tmp_path, as_of=AS_OF)
    assert spark[1] == duckdb[1] and spark[1].count("\n") == 11
    assert spark[0] == duckdb[0]
