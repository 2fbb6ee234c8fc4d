import pytest

from carecoord.families import referral_states as rs

LEGAL = {(rs.RECEIVED, rs.SCREENING), (rs.SCREENING, rs.ACCEPTED), (rs.SCREENING, rs.DECLINED),
         (rs.ACCEPTED, rs.ENROLLED)}
STATES = [rs.RECEIVED, rs.SCREENING, rs.ACCEPTED, rs.DECLINED, rs.ENROLLED]


@pytest.mark.parametrize("current", STATES)
@pytest.mark.parametrize("target", STATES)
def test_only_the_published_path_is_allowed(current, target):
    if (current, target) in LEGAL:
        rs.check_transition(current, target)
    else:
        with pytest.raises(rs.IllegalTransition) as refused:
            rs.check_transition(current, target)
        assert str(refused.value).endswith(".")
        assert len(str(refused.value)) > 20  # a sentence, not a code


def test_messages_say_why():
    with pytest.raises(rs.IllegalTransition, match="screened before it is accepted"):
        rs.check_transition(rs.RECEIVED, rs.ACCEPTED)
    with pytest.raises(rs.IllegalTransition, match="accepted before the child is enrolled"):
        rs.check_transition(rs.SCREENING, rs.ENROLLED)
    with pytest.raises(rs.IllegalTransition, match="final.*Open a new referral"):
        rs.check_transition(rs.DECLINED, rs.SCREENING)
    with pytest.raises(rs.IllegalTransition, match="already screening"):
        rs.check_transition(rs.SCREENING, rs.SCREENING)
    with pytest.raises(rs.IllegalTransition, match="not a referral status"):
        rs.check_transition(rs.RECEIVED, "lost")
