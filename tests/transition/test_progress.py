"""A youth's Six Core Elements by age and by what is recorded."""

import datetime

from carecoord.transition.progress import progress

TODAY = datetime.date(2026, 11, 25)


def states(born, done=None, visit=None):
    return {s.element.id: s.state for s in progress(born, TODAY, done or {}, visit)}


def test_nothing_is_due_before_twelve():
    assert set(states(datetime.date(2015, 6, 1)).values()) == {"upcoming"}


def test_policy_from_twelve_planning_elements_from_fourteen():
    assert states(datetime.date(2014, 6, 1))["transition_policy"] == "due"
    assert states(datetime.date(2014, 6, 1))["tracking_monitoring"] == "upcoming"
    fourteen = states(datetime.date(2012, 6, 1))
    assert [fourteen[e] for e in ("tracking_monitoring", "transition_readiness",
                                  "transition_planning", "transfer_of_care")] == [
        "due", "due", "due", "upcoming"]


def test_transfer_is_overdue_from_twenty_two_and_completion_waits_for_its_window():
    assert states(datetime.date(2004, 6, 1))["transfer_of_care"] == "overdue"
    moved = {"transfer_of_care": datetime.date(2026, 10, 1)}
    assert states(datetime.date(2005, 6, 1), moved)["transfer_completion"] == "waiting"
    after = states(datetime.date(2005, 6, 1), {"transfer_of_care": datetime.date(2026, 7, 1)})
    assert after["transfer_completion"] == "due"
    # Elements never recorded before the transfer are shown as such, not as "not yet".
    assert after["transition_planning"] == "not_recorded"


def test_readiness_is_due_again_a_year_after_the_last_assessment():
    born = datetime.date(2011, 1, 1)
    recent = states(born, {"transition_readiness": datetime.date(2026, 1, 5)})
    old = progress(born, TODAY, {"transition_readiness": datetime.date(2025, 11, 1)})
    assert recent["transition_readiness"] == "done"
    readiness = next(s for s in old if s.element.id == "transition_readiness")
    assert (readiness.state, readiness.due_from) == ("due_again", datetime.date(2026, 11, 1))
