from datetime import date

import pytest

from carecoord.stratification import behavioral_health, codes, pmca
from carecoord.stratification.pmca import Diagnosis

from .reference import PMCA, rows


def test_every_pmca_mental_health_code_example_is_behavioral_health():
    examples = [r for r in rows(PMCA / "code_examples.csv")
                if "mental_health" in r["body_systems"].split(";")]
    assert examples
    for row in examples:
        assert behavioral_health.is_behavioral_health(row["code"], row["code_system"]), row


@pytest.mark.parametrize("code, system, expected", [
    ("F90.0", "ICD-10-CM", True),     # ADHD: PMCA mental health
    ("F84.0", "ICD-10-CM", True),     # autism: PMCA mental health
    ("F43.11", "ICD-10-CM", True),    # acute PTSD: not PMCA, on CareCoord's list
    ("F43.0", "ICD-10-CM", True),     # acute stress reaction
    ("F10.10", "ICD-10-CM", True),    # alcohol abuse
    ("F50.00", "ICD-10-CM", True),    # anorexia: PMCA metabolic, behavioral health here
    ("F91.0", "ICD-10-CM", True),
    ("F94.1", "ICD-10-CM", True),
    ("F17.210", "ICD-10-CM", False),  # nicotine dependence
    ("F70", "ICD-10-CM", False),      # intellectual disability: neurological
    ("F02.80", "ICD-10-CM", False),
    ("F80.1", "ICD-10-CM", False),
    ("E10.9", "ICD-10-CM", False),
    ("296.20", "ICD-9-CM", True),     # ICD-9 depression: PMCA mental health
    ("F32.9", "ICD-9-CM", False),
    ("F32.9", "ICD-10-PCS", False),
])
def test_is_behavioral_health(code, system, expected):
    assert behavioral_health.is_behavioral_health(code, system) is expected


def test_the_list_holds_only_icd10cm_f_codes():
    for row in codes.read_rows(behavioral_health.LIST_FILE):
        assert row["code"].startswith("F") and row["match"] == "prefix" and row["title"]


def test_the_flag_uses_the_window():
    diagnoses = [Diagnosis("F41.1", "ICD-10-CM", date(2022, 6, 1))]
    assert not behavioral_health.behavioral_health(diagnoses, as_of=date(2025, 12, 31))
    assert behavioral_health.behavioral_health(diagnoses, as_of=date(2024, 12, 31))
    assert pmca.in_window(date(2022, 6, 1), date(2024, 12, 31))
