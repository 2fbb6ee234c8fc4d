"""A child's tier follows their diagnoses and screenings, with the history kept."""

import datetime

import pytest
from django.utils import timezone

from carecoord.acuity.models import CurrentAcuity, Stratification
from carecoord.acuity.services import stratify_child
from carecoord.families.models import Diagnosis

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def diagnose(child, code, days_ago=10):
    return Diagnosis.objects.create(child=child, code=code,
                                    recorded_on=TODAY() - datetime.timedelta(days=days_ago))


def test_a_new_diagnosis_re_stratifies_the_child_with_reasons(
        network, django_capture_on_commit_callbacks):
    child = network.child_nc
    with django_capture_on_commit_callbacks(execute=True):
        diagnose(child, "J45909")  # asthma: one body system, not complex
    first = CurrentAcuity.objects.get(child=child).stratification
    assert first.pmca_less == "non_complex_chronic" and first.trigger == "diagnosis"
    with django_capture_on_commit_callbacks(execute=True):
        diagnose(child, "G40909")  # epilepsy: a second body system
        diagnose(child, "Q213")  # tetralogy of Fallot: a CCC cardiovascular condition
    latest = CurrentAcuity.objects.get(child=child).stratification
    assert latest.pmca_less == "complex_chronic"
    assert "cvd" in latest.ccc_categories
    assert latest.tier > first.tier and latest.discipline == "nurse"
    assert any("complex chronic" in reason for reason in latest.reasons)
    assert Stratification.objects.filter(child=child).count() == 2  # history kept


def test_the_same_picture_is_not_stored_twice(network):
    child = network.child_nc
    first = stratify_child(child, trigger="manual")
    again = stratify_child(child, trigger="manual")
    assert first.pk == again.pk
