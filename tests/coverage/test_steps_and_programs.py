"""The step order and the program catalog, as plain rules."""

import csv
import datetime
from pathlib import Path

import pytest

from carecoord.coverage import programs, steps

SHARED = Path(__file__).resolve().parents[3] / "shared" / "reference" / "connecticut"


def test_every_step_either_allows_an_action_or_says_which_field_comes_first():
    for action, allowed in steps.ALLOWED_FROM.items():
        for step in steps.LABELS:
            if step in allowed:
                steps.check(step, action)
                continue
            with pytest.raises(steps.StepRefused) as refused:
                steps.check(step, action)
            assert refused.value.field and str(refused.value)


def test_a_decision_before_the_submission_names_the_submission():
    with pytest.raises(steps.StepRefused) as refused:
        steps.check(steps.ELIGIBILITY_CHECKED, steps.DECIDE)
    assert refused.value.field == "submitted_on"
    assert "submitted" in str(refused.value)


def test_a_closed_application_takes_no_more_steps():
    assert steps.allowed_actions(steps.CLOSED) == []
    with pytest.raises(steps.StepRefused) as refused:
        steps.check(steps.CLOSED, steps.RENEW)
    assert refused.value.field == "closed_on"


def test_the_catalog_has_every_coverage_and_income_program_of_the_state_list():
    source = SHARED / "ct_programs.csv"
    if not source.exists():
        pytest.skip("the shared reference folder is not next to this checkout")
    with open(source, newline="", encoding="utf-8") as handle:
        wanted = {row["program_id"] for row in csv.DictReader(handle)
                  if row["category"] in ("health_coverage", "income_support")}
    cited = {p.source.split()[-1] for p in programs.catalog().values()
             if p.source.startswith("ct_programs.csv")}
    assert wanted <= cited


def test_each_program_says_who_administers_it_in_english_and_spanish():
    catalog = programs.catalog()
    assert {"husky-a", "husky-b", "ssi-child", "hospital-financial-assistance",
            "husky-renewal"} <= catalog.keys()
    for program in catalog.values():
        assert program.label and program.label_es and program.administered_by
        assert program.kind in programs.KINDS
    grouped = [code for _, options in programs.choices() for code, _ in options]
    assert sorted(grouped) == sorted(catalog)


def test_renewal_rules_husky_yearly_ssi_at_eighteen():
    born = datetime.date(2010, 5, 31)
    husky = programs.get("husky-a")
    assert programs.next_renewal(husky, benefit_starts_on=datetime.date(2026, 1, 31),
                                 date_of_birth=born) == datetime.date(2027, 1, 31)
    ssi = programs.get("ssi-child")
    assert programs.next_renewal(ssi, benefit_starts_on=datetime.date(2026, 3, 1),
                                 date_of_birth=born) == datetime.date(2028, 5, 31)
    assert ssi.renewal_rule == "decided again at age 18"
    # Already 18 when the benefit starts: the adult rules apply, no age-18 redetermination.
    assert programs.next_renewal(ssi, benefit_starts_on=datetime.date(2029, 1, 1),
                                 date_of_birth=born) is None
    bill = programs.get("hospital-financial-assistance")
    assert programs.next_renewal(bill, benefit_starts_on=datetime.date(2026, 1, 1),
                                 date_of_birth=born) is None
