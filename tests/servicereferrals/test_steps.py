"""The referral loop's order, as plain rules: every allowed step and every refused one."""

import pytest

from carecoord.servicereferrals import steps

EVERY = [steps.SENT, *steps.OPEN[1:], *steps.CLOSED]
EXPECTED = {
    steps.SENT: {steps.ACKNOWLEDGED, *steps.FAILED},
    steps.ACKNOWLEDGED: {steps.SCHEDULED, *steps.FAILED},
    steps.SCHEDULED: {steps.RECEIVED, steps.INELIGIBLE, steps.FAMILY_DECLINED,
                      steps.UNABLE_TO_REACH},
    **{status: set() for status in steps.CLOSED},
}


@pytest.mark.parametrize("status", EVERY)
@pytest.mark.parametrize("to", EVERY)
def test_every_transition_is_allowed_or_refused_naming_a_field(status, to):
    if to in EXPECTED[status]:
        steps.check(status, to)
        return
    with pytest.raises(steps.StepRefused) as refused:
        steps.check(status, to)
    assert refused.value.field in {"sent_on", "acknowledged_on", "scheduled_on", "closed_on"}
    assert str(refused.value).endswith(".")


def test_the_refusals_name_the_step_that_comes_first():
    def field(status, to):
        with pytest.raises(steps.StepRefused) as refused:
            steps.check(status, to)
        return refused.value.field, str(refused.value)

    assert field(steps.SENT, steps.SCHEDULED)[0] == "acknowledged_on"
    assert field(steps.SENT, steps.RECEIVED)[0] == "acknowledged_on"
    assert field(steps.ACKNOWLEDGED, steps.RECEIVED)[0] == "scheduled_on"
    assert field(steps.SCHEDULED, steps.NO_CAPACITY) == (
        "scheduled_on", "The service already scheduled the family: it had room for them.")
    assert "Not eligible" in field(steps.SCHEDULED, steps.DECLINED)[1]
    assert field(steps.ACKNOWLEDGED, steps.ACKNOWLEDGED)[0] == "acknowledged_on"
    for closed in steps.CLOSED:
        name, message = field(closed, steps.ACKNOWLEDGED)
        assert name == "closed_on" and "make a new referral" in message


def test_the_next_steps_offered_follow_the_loop():
    assert steps.next_steps(steps.SENT) == [steps.ACKNOWLEDGED, *steps.FAILED]
    assert steps.next_steps(steps.SCHEDULED) == [steps.RECEIVED, steps.INELIGIBLE,
                                                 steps.FAMILY_DECLINED, steps.UNABLE_TO_REACH]
    assert all(steps.next_steps(s) == [] for s in steps.CLOSED)
    assert set(steps.DATE_FIELD) == set(steps.LABELS)
