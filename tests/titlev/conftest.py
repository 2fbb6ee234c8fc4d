"""Federal fiscal year 2026 (October 1, 2025 – September 30, 2026) at the two test centers:
children served in every way the export has to tell apart, and some who were not served."""

import datetime
from types import SimpleNamespace

import pytest

from carecoord.accounts.models import Town
from carecoord.families.models import Child, Enrollment, Household, RaceCategory
from carecoord.titlev.periods import FederalFiscalYear
from carecoord.transition.models import ElementCompletion, TransitionRecord
from tests.factories import child, enrolled

FFY = FederalFiscalYear(2026)
D = datetime.date


def discharge(enrollment, on, reason=Enrollment.DischargeReason.GOALS_MET):
    enrollment.discharge_date, enrollment.discharge_reason = on, reason
    enrollment.save()


@pytest.fixture(autouse=True)
def pseudonym_key(settings):
    settings.TITLEV_PSEUDONYM_KEY = "test-titlev-key"


@pytest.fixture
def year(network):
    """The children of FFY 2026, by what they test. Network's own two children were enrolled
    30 days ago, so not in FFY 2026."""
    hub, east = network.hub, network.east
    nurse_nc, nurse_ea = network["nurse.nc"], network["nurse.ea"]
    kids = SimpleNamespace()

    kids.infant = child(hub, first="Ana", last="Bebé", dob=D(2025, 6, 1))
    enrolled(kids.infant, nurse_nc, start=D(2025, 11, 1))
    kids.infant.races.set(RaceCategory.objects.filter(code__in=["2106-3", "2054-5"]))
    Household.objects.filter(pk=kids.infant.household_id).update(zip_code="06360")

    # Enrolled before the year and still enrolled: first served in the year on October 1.
    kids.continuing = child(hub, first="Mateo", last="Ortiz", dob=D(2016, 10, 2))
    kids.continuing.insurance_type, kids.continuing.insurance_member_id = "husky_b", "HB1"
    kids.continuing.ethnicity = Child.Ethnicity.HISPANIC
    kids.continuing.pcp_practice = network.practice_nc
    kids.continuing.save()
    enrolled(kids.continuing, nurse_nc, start=D(2024, 5, 1))

    # Discharged the day before the year began: not served.
    kids.before = child(hub, first="Noah", last="Antes", dob=D(2012, 1, 1))
    discharge(enrolled(kids.before, nurse_nc, start=D(2024, 1, 1)), D(2025, 9, 30))

    # A young adult of 23: served, but an "other", not CYSHCN.
    kids.adult = child(hub, first="Elena", last="Mayor", dob=D(2002, 3, 1))
    kids.adult.insurance_type, kids.adult.insurance_member_id = "commercial", "AET9"
    kids.adult.save()
    enrolled(kids.adult, nurse_nc, start=D(2026, 1, 10))

    # A youth of 16, uninsured, with transition planning recorded; re-enrolled in the year.
    kids.youth = child(hub, first="Kai", last="Joven", dob=D(2009, 8, 15))
    kids.youth.insurance_type, kids.youth.insurance_member_id = "uninsured", ""
    kids.youth.save()
    discharge(enrolled(kids.youth, nurse_nc, start=D(2025, 10, 20)), D(2025, 12, 1))
    Enrollment.objects.create(child=kids.youth, center=hub, start_date=D(2026, 3, 1))
    record = TransitionRecord.objects.create(child=kids.youth)
    ElementCompletion.objects.create(record=record, element="transition_planning",
                                     done_on=D(2026, 2, 1), recorded_by=nurse_nc)

    # Data problems: no insurance type (a bulk load), no ZIP code.
    kids.no_insurance = child(hub, first="Lucas", last="Sinseguro", dob=D(2014, 2, 2))
    Child.objects.filter(pk=kids.no_insurance.pk).update(insurance_type="")
    Household.objects.filter(pk=kids.no_insurance.household_id).update(zip_code="")
    enrolled(kids.no_insurance, nurse_nc, start=D(2026, 9, 30))

    # Moved from Eastern to North Central in January: served by both.
    kids.moved = child(east, first="Olivia", last="Traslado", dob=D(2019, 7, 7),
                       town_name="New London")
    Household.objects.filter(pk=kids.moved.household_id).update(zip_code="06320")
    kids.moved.insurance_type, kids.moved.insurance_member_id = "husky_c", "HC5"
    kids.moved.save()
    discharge(enrolled(kids.moved, nurse_ea, start=D(2025, 10, 15)), D(2026, 1, 15),
              Enrollment.DischargeReason.TRANSFERRED)
    Child.objects.filter(pk=kids.moved.pk).update(center=hub)
    kids.moved.refresh_from_db()
    enrolled(kids.moved, nurse_nc, start=D(2026, 1, 20))
    Household.objects.filter(pk=kids.moved.household_id).update(
        town=Town.objects.get(name="Hartford"), zip_code="06106")

    # Eastern serves a family whose town is in the North Central region.
    kids.out_of_region = child(east, first="Emma", last="Fuera", dob=D(2013, 5, 5),
                               town_name="Hartford")
    enrolled(kids.out_of_region, nurse_ea, start=D(2026, 4, 1))

    # Enrolled after the year: not served.
    kids.after = child(east, first="Liam", last="Despues", dob=D(2015, 1, 1))
    enrolled(kids.after, nurse_ea, start=D(2026, 10, 1))
    for kid in vars(kids).values():
        kid.refresh_from_db()
    return kids
