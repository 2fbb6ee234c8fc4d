from carecoord.contacts.rules import Attempt, suggest_another_channel

PHONE_MISSED = Attempt("phone", reached=False)


def test_three_unanswered_calls_suggest_the_next_preferred_channel():
    suggestion = suggest_another_channel([PHONE_MISSED] * 3, ["phone", "text", "email"])
    assert (suggestion.failed_channel, suggestion.attempts, suggestion.suggested_channel) == (
        "phone", 3, "text")


def test_no_preference_left_means_a_home_visit():
    assert suggest_another_channel([PHONE_MISSED] * 3, ["phone"]).suggested_channel == (
        "home_visit")
    missed_visits = [Attempt("home_visit", False)] * 3
    assert suggest_another_channel(missed_visits, []).suggested_channel == "phone"


def test_no_suggestion_after_a_success_fewer_attempts_or_mixed_channels():
    assert suggest_another_channel([PHONE_MISSED] * 2, ["text"]) is None
    assert suggest_another_channel([PHONE_MISSED, PHONE_MISSED, Attempt("phone", True)],
                                   ["text"]) is None
    assert suggest_another_channel([PHONE_MISSED, Attempt("text", False), PHONE_MISSED],
                                   ["email"]) is None
    # Only the latest three count: an old success does not hide three new failures.
    assert suggest_another_channel([PHONE_MISSED] * 3 + [Attempt("phone", True)],
                                   ["text"]) is not None
