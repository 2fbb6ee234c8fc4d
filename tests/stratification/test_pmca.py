"""PMCA against the hand-checked reference children and the maintainers' code lists."""

from collections import defaultdict
from datetime import date

import pytest

from carecoord.stratification import pmca
from carecoord.stratification.pmca import Diagnosis

from .reference import PMCA, rows


def children():
    diagnoses, as_of = defaultdict(list), {}
    for row in rows(PMCA / "cases.csv"):
        diagnoses[row["child_id"]].append(Diagnosis(
            row["code"], row["code_system"], date.fromisoformat(row["service_date"]),
            row["claim_id"]))
        as_of[row["child_id"]] = date.fromisoformat(row["as_of"])
    return diagnoses, as_of


def test_every_reference_child():
    diagnoses, as_of = children()
    expected = rows(PMCA / "expected.csv")
    assert len(expected) == 68
    for row in expected:
        result = pmca.classify(diagnoses[row["child_id"]], as_of=as_of[row["child_id"]])
        got = {
            "class_less": result.class_less,
            "class_more": result.class_more,
            "systems_less": ";".join(result.body_systems("less")),
            "systems_more": ";".join(result.body_systems("more")),
            "progressive": str(int(result.progressive)),
            "malignancy": str(int(result.malignancy)),
        }
        assert got == {k: row[k] for k in got}, f"{row['child_id']}: {row['why']}"


def test_every_code_example():
    examples = rows(PMCA / "code_examples.csv")
    assert len(examples) == 2415
    for row in examples:
        flags = pmca.code_flags(row["code"], row["code_system"])
        systems = set(flags.body_systems) | ({pmca.MALIGNANCY} if flags.malignancy else set())
        assert systems == set(filter(None, row["body_systems"].split(";"))), row["code"]
        assert flags.progressive == (row["progressive"] == "1"), row["code"]
    wanted = [r for r in examples if r["source_file"] == "do_want.col"]
    unwanted = [r for r in examples if r["source_file"] == "dont_want.col"]
    assert all(pmca.code_flags(r["code"], r["code_system"]) for r in wanted)
    assert not any(pmca.code_flags(r["code"], r["code_system"]) for r in unwanted)


@pytest.mark.parametrize("as_of, first_day", [
    (date(2025, 12, 31), date(2023, 1, 1)),
    (date(2016, 3, 31), date(2013, 4, 1)),
    (date(2024, 2, 29), date(2021, 3, 1)),
])
def test_the_window_is_three_years_back(as_of, first_day):
    assert pmca.window_start(as_of) == first_day.fromordinal(first_day.toordinal() - 1)
    assert pmca.in_window(first_day, as_of) and pmca.in_window(as_of, as_of)
    assert not pmca.in_window(pmca.window_start(as_of), as_of)
    assert not pmca.in_window(date.fromordinal(as_of.toordinal() + 1), as_of)


def test_without_claim_ids_one_claim_per_service_date():
    day = date(2024, 5, 10)
    same_day = [Diagnosis("J45.909", "ICD-10-CM", day), Diagnosis("J47.9", "ICD-10-CM", day)]
    two_days = [Diagnosis("J45.909", "ICD-10-CM", day),
                Diagnosis("J45.909", "ICD-10-CM", date(2024, 6, 1))]
    assert pmca.classify(same_day, as_of=date(2025, 12, 31)).class_more == pmca.NON_CHRONIC
    assert (pmca.classify(two_days, as_of=date(2025, 12, 31)).class_more
            == pmca.NON_COMPLEX_CHRONIC)


def test_procedures_never_count():
    assert not pmca.code_flags("0DJ08ZZ", "ICD-10-PCS")
    assert not pmca.code_flags("E84.0", "ICD-10-PCS")


@pytest.mark.parametrize("systems, progressive, malignancy, expected", [
    (0, False, False, pmca.NON_CHRONIC),
    (1, False, False, pmca.NON_COMPLEX_CHRONIC),
    (2, False, False, pmca.COMPLEX_CHRONIC),
    (0, True, False, pmca.COMPLEX_CHRONIC),
    (0, False, True, pmca.COMPLEX_CHRONIC),
])
def test_pmca_class(systems, progressive, malignancy, expected):
    assert pmca.pmca_class(systems, progressive=progressive, malignancy=malignancy) == expected


def test_body_systems_are_listed_alphabetically():
    # `;`-joined body systems are written in this order.
    assert list(pmca.BODY_SYSTEMS) == sorted(pmca.BODY_SYSTEMS) and len(pmca.BODY_SYSTEMS) == 17
