import pytest

from carecoord.stratification import codes
from carecoord.stratification.codes import ICD9CM, ICD9PCS, ICD10CM, ICD10PCS, Pattern

from .reference import CCC, PMCA, rows


@pytest.mark.parametrize("written, cleaned", [
    ("e84.0", "E840"), ("E84.0", "E840"), (" E84.0 ", "E840"), ("E840", "E840"),
    ("t66.xxxs", "T66XXXS"), ("q 90.9", "Q909"), ("", ""),
])
def test_normalize(written, cleaned):
    assert codes.normalize(written) == cleaned


@pytest.mark.parametrize("name, system", [
    ("ICD-10-CM", ICD10CM), ("icd-10-cm", ICD10CM), ("ICD10CM", ICD10CM), (" ICD 10 PCS", ICD10PCS),
    ("ICD-9-CM", ICD9CM), ("icd9pcs", ICD9PCS), ("ICD-11", None), ("CPT", None), ("", None),
])
def test_code_system(name, system):
    assert codes.code_system(name) == system


@pytest.mark.parametrize("code, system, problem", [
    ("E840", ICD10CM, None), ("C4A0", ICD10CM, None), ("T66XXXS", ICD10CM, None),
    ("F32A", ICD10CM, None), ("XX9", ICD10CM, "not a valid ICD-10-CM code"),
    ("E8", ICD10CM, "not a valid ICD-10-CM code"),
    ("E1234567", ICD10CM, "not a valid ICD-10-CM code"),
    ("0DJ08ZZ", ICD10PCS, None), ("0DJ08Z", ICD10PCS, "not a valid ICD-10-PCS code"),
    ("0DJ08IZ", ICD10PCS, "not a valid ICD-10-PCS code"), ("49390", ICD9CM, None),
    ("V420", ICD9CM, None), ("E8801", ICD9CM, None), ("4939X", ICD9CM, "not a valid ICD-9-CM code"),
    ("3895", ICD9PCS, None), ("38951", ICD9PCS, "not a valid ICD-9-PCS code"),
    ("", ICD10CM, "code is empty"),
])
def test_problem(code, system, problem):
    assert codes.problem(code, system) == problem


def test_every_reference_diagnosis_code_has_a_valid_shape():
    for row in rows(PMCA / "cases.csv") + rows(PMCA / "code_examples.csv"):
        system = codes.code_system(row["code_system"])
        assert codes.problem(codes.normalize(row["code"]), system) is None, row


def test_every_code_of_the_pools_has_a_valid_shape():
    for name, system in (("code_pool_dx.txt", ICD10CM), ("code_pool_pc.txt", ICD10PCS)):
        for line in (CCC / name).read_text().split():
            assert codes.problem(codes.normalize(line), system) is None, line


def test_the_ccc_cases_truncated_procedure_codes_are_malformed():
    truncated = [row["code"] for row in rows(CCC / "cases_v2.csv")
                 if row["code_type"] == "pc" and codes.problem(codes.normalize(row["code"]),
                                                               ICD10PCS)]
    assert truncated and all(len(codes.normalize(code)) < 7 for code in truncated)


def test_pattern_matching():
    assert Pattern("G80", "exact").matches("G80")
    assert not Pattern("G80", "exact").matches("G800")
    assert Pattern("282", "prefix", ("2825",)).matches("2826")
    assert not Pattern("282", "prefix", ("2825",)).matches("2825")
    with pytest.raises(ValueError):
        Pattern("282", "starts")
