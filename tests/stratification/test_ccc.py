"""CCC v2 against pccc 1.0.6's own answers on the 500 reference patients, every cell."""

from collections import defaultdict

import pytest

from carecoord.stratification import ccc, codes

from .reference import CCC, rows

SYSTEMS = {"dx": "ICD-10-CM", "pc": "ICD-10-PCS"}


def patients():
    coded = defaultdict(list)
    for row in rows(CCC / "cases_v2.csv"):
        coded[row["patient_id"]].append((row["code"], SYSTEMS[row["code_type"]]))
    return coded


def assert_every_cell(expected_file, **options):
    coded = patients()
    expected = rows(CCC / expected_file)
    assert len(expected) == 500
    for row in expected:
        got = ccc.classify(coded[row["patient_id"]], **options).as_row()
        assert list(got) == list(row)[1:] == list(ccc.COLUMNS)
        assert got == {column: int(value) for column, value in row.items()
                       if column != "patient_id"}, row["patient_id"]


def test_published_mode_equals_the_published_answers():
    assert_every_cell("cases_v2_expected_published.csv")
    assert_every_cell("cases_v2_expected_published.csv", mode="published")


def test_pccc_mode_equals_pccc_on_cleaned_codes():
    assert_every_cell("cases_v2_expected_normalized.csv", mode="pccc")


def test_pccc_mode_on_codes_as_written_equals_pccc_itself():
    assert_every_cell("cases_v2_expected.csv", mode="pccc", normalize=False)


def test_the_modes_differ_only_on_cerebral_palsy():
    coded = patients()
    differ = [p for p, c in coded.items()
              if ccc.classify(c).as_row() != ccc.classify(c, mode="pccc").as_row()]
    assert len(differ) == 27
    for patient in differ:
        assert any(codes.normalize(code).startswith(("G801", "G802", "G809"))
                   for code, _ in coded[patient])


@pytest.mark.parametrize("code, published, pccc", [
    ("G80", {"neuromusc"}, {"neuromusc"}),
    ("G80.0", {"neuromusc"}, {"neuromusc"}),
    ("G80.1", {"neuromusc"}, set()),
    ("G80.2", {"neuromusc"}, set()),
    ("G80.9", {"neuromusc"}, set()),
])
def test_cerebral_palsy(code, published, pccc):
    assert ccc.code_categories(code, "ICD-10-CM") == published
    assert ccc.code_categories(code, "ICD-10-CM", mode="pccc") == pccc


@pytest.mark.parametrize("code, system, categories", [
    ("T8509XA", "ICD-10-CM", {"neuromusc", "tech_dep"}),
    ("T8509XD", "ICD-10-CM", set()),
    ("T8509X", "ICD-10-CM", set()),
    ("Y831", "ICD-10-CM", {"tech_dep"}),
    ("T865", "ICD-10-CM", {"tech_dep", "transplant"}),
    ("Z94.0", "ICD-10-CM", {"renal", "tech_dep", "transplant"}),
    ("Z94.1", "ICD-10-CM", {"cvd"}),
    ("c50.9", "ICD-10-CM", {"malignancy"}),
    ("E84.0", "ICD-10-PCS", set()),
    ("0DJ08ZZ", "ICD-10-CM", set()),
    ("359", "ICD-9-CM", {"neuromusc"}),
    ("3590", "ICD-9-CM", {"neuromusc"}),
    ("624", "ICD-9-PCS", {"metabolic"}),
    ("6241", "ICD-9-PCS", {"metabolic"}),
    ("E840", "ICD-11", set()),
])
def test_code_categories(code, system, categories):
    assert ccc.code_categories(code, system) == categories


def test_a_technology_or_transplant_code_alone_sets_ccc_flag():
    result = ccc.classify([("Y83.1", "ICD-10-CM")])
    assert result.ccc_flag and result.as_row()["ccc_flag"] == 1
    assert not ccc.classify([("J06.9", "ICD-10-CM")]).ccc_flag


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown CCC mode"):
        ccc.classify([("G80.1", "ICD-10-CM")], mode="sas")
