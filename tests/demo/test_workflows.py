"""The demo's school supports, transition records and peer support follow the rules their
services enforce, so a coordinator opening any of them sees a possible history."""

import pytest

from carecoord.education.models import SchoolMeeting, SchoolSupport
from carecoord.families.models import Consent, Enrollment
from carecoord.peersupport.models import PeerMatch, SupportParent
from carecoord.transition.models import ElementCompletion, TransitionRecord
from carecoord.transition.progress import birthday, element_ids

pytestmark = pytest.mark.django_db


def test_school_supports_answer_education_needs_and_follow_the_meeting_rules(
        demo_network_1500):
    supports = list(SchoolSupport.objects.select_related("need__domain", "child"))
    assert len(supports) > 100
    assert {s.need.domain.code for s in supports} == {"education"}
    assert {s.need.plan.child_id == s.child_id for s in supports} == {True}
    held = set(SchoolMeeting.objects.filter(status="held").values_list("support_id", flat=True))
    in_place = [s for s in supports if s.stage == "in_place"]
    assert in_place and all(s.pk in held and s.plan_started_on for s in in_place)
    assert {s.plan_kind for s in in_place} <= {"iep", "504"}
    for meeting in SchoolMeeting.objects.select_related("support")[:300]:
        meeting.full_clean()
        assert meeting.meets_on >= meeting.support.requested_on
    scheduled = SchoolMeeting.objects.filter(status="scheduled")
    assert all(m.meets_on > demo_network_1500.as_of for m in scheduled)
    for support in SchoolSupport.objects.exclude(advocacy_referred_on=None):
        assert support.child.consents.filter(
            Consent.current_q(on=support.advocacy_referred_on), scope="education",
            shared_with_other=support.advocacy_organization).exists()


def test_transition_elements_fit_the_age_and_the_enrollment(demo_network_1500):
    records = TransitionRecord.objects.select_related("child")
    assert records.count() > 50
    enrollments = {}
    for e in Enrollment.objects.all():
        enrollments.setdefault(e.child_id, []).append(e)
    for completion in ElementCompletion.objects.select_related("record__child"):
        child = completion.record.child
        assert completion.element in element_ids()
        assert completion.done_on >= birthday(child.date_of_birth, 12)
        assert any(e.start_date <= completion.done_on <= (e.discharge_date or
                                                          demo_network_1500.as_of)
                   for e in enrollments[child.pk])
        if completion.element == "transfer_of_care":
            assert completion.record.adult_clinician
            assert completion.record.last_pediatric_visit_on == completion.done_on


def test_peer_matches_respect_capacity_and_both_consents(demo_network_1500):
    assert SupportParent.objects.count() > 5
    for supporter in SupportParent.objects.all():
        open_matches = supporter.matches.filter(status__in=PeerMatch.OPEN).count()
        assert open_matches <= supporter.max_matches
    introduced = PeerMatch.objects.exclude(introduced_on=None).select_related(
        "supporter__guardian")
    assert introduced.exists()
    for match in introduced:
        assert match.supporter.guardian.household_id != match.child.household_id
        for children in ([match.child], match.supporter.guardian.household.children.all()):
            assert Consent.objects.filter(Consent.current_q(on=match.introduced_on),
                                          child__in=children, scope="peer_support").exists()
