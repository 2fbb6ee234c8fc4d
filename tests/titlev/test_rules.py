"""The pure rules: federal fiscal years, coverage categories, Safe Harbor ZIP3, the settings."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from carecoord.titlev import coverage
from carecoord.titlev.deidentify import person_pseudo_id, zip3
from carecoord.titlev.models import ReportingSettings
from carecoord.titlev.periods import FederalFiscalYear

D = datetime.date


def test_a_federal_fiscal_year_runs_october_to_september():
    ffy = FederalFiscalYear(2026)
    assert (ffy.start, ffy.end) == (D(2025, 10, 1), D(2026, 9, 30))
    assert FederalFiscalYear.containing(D(2025, 9, 30)).year == 2025
    assert FederalFiscalYear.containing(D(2025, 10, 1)).year == 2026
    assert D(2026, 9, 30) in ffy and D(2026, 10, 1) not in ffy
    assert str(ffy) == "FFY 2026 (Oct 1, 2025 – Sep 30, 2026)"


@pytest.mark.parametrize("insurance, program, category", [
    ("husky_a", "HUSKY_A", "title_xix"), ("husky_b", "HUSKY_B", "title_xxi"),
    ("husky_c", "HUSKY_C", "title_xix"), ("husky_d", "HUSKY_D", "title_xix"),
    ("commercial", "private", "private_other"), ("other", "other", "private_other"),
    ("uninsured", "none", "none"), ("", "unknown", "unknown"), ("bogus", "unknown", "unknown"),
])
def test_husky_a_c_d_are_title_xix_and_husky_b_title_xxi(insurance, program, category):
    assert (coverage.program(insurance), coverage.category(insurance)) == (program, category)
    assert program in coverage.PROGRAMS and category in coverage.CATEGORIES


@pytest.mark.parametrize("zip_code, expected", [
    ("06106", "061"), ("06106-1234", "061"), (" 06810 ", "068"),
    ("06320", "000"), ("03601", "000"), ("", None), ("6106", None), ("ABCDE", None),
])
def test_zip3_keeps_three_digits_and_suppresses_small_areas(zip_code, expected):
    assert zip3(zip_code) == expected


def test_a_deployment_needs_its_own_pseudonym_key(settings, monkeypatch):
    monkeypatch.delenv("TITLEV_PSEUDONYM_KEY", raising=False)
    settings.TITLEV_PSEUDONYM_KEY = ""
    development = person_pseudo_id(1)
    monkeypatch.setenv("SECRET_KEY", "a-deployment-secret")
    with pytest.raises(ImproperlyConfigured):
        person_pseudo_id(1)
    monkeypatch.setenv("TITLEV_PSEUDONYM_KEY", "from-the-environment")
    assert len(person_pseudo_id(1)) == 32 and person_pseudo_id(1) != development


@pytest.mark.django_db
def test_an_identified_export_names_its_agreement(network):
    settings = ReportingSettings(center=network.hub, identified=True)
    with pytest.raises(ValidationError) as refused:
        settings.full_clean()
    assert "identified_basis" in refused.value.message_dict
    settings.identified_basis = "DPH CMHI contract 2025-2030, data exhibit B"
    settings.full_clean()
