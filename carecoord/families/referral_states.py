"""The life of a referral, as a small state machine: received → screening → accepted or
declined → (accepted only) enrolled. Pure Python so the rules read the same everywhere."""

RECEIVED = "received"
SCREENING = "screening"
ACCEPTED = "accepted"
DECLINED = "declined"
ENROLLED = "enrolled"

LABELS = {
    RECEIVED: "Received",
    SCREENING: "Screening",
    ACCEPTED: "Accepted",
    DECLINED: "Declined",
    ENROLLED: "Enrolled",
}

ALLOWED = {
    RECEIVED: {SCREENING},
    SCREENING: {ACCEPTED, DECLINED},
    ACCEPTED: {ENROLLED},
    DECLINED: set(),
    ENROLLED: set(),
}

OPEN = (RECEIVED, SCREENING, ACCEPTED)


class IllegalTransition(ValueError):
    pass


def check_transition(current: str, target: str) -> None:
    """Raise IllegalTransition, with a sentence a coordinator understands, unless a referral in
    state `current` may move to `target`."""
    if target not in LABELS:
        raise IllegalTransition(f"“{target}” is not a referral status.")
    if target in ALLOWED[current]:
        return
    now, then = LABELS[current].lower(), LABELS[target].lower()
    if current == target:
        raise IllegalTransition(f"This referral is already {now}.")
    if not ALLOWED[current]:
        raise IllegalTransition(
            f"This referral is {now}, which is final: it cannot become {then}."
            + (" Open a new referral instead." if current == DECLINED else "")
        )
    options = " or ".join(LABELS[s].lower() for s in sorted(ALLOWED[current]))
    reason = {
        (RECEIVED, ACCEPTED): "a referral is screened before it is accepted",
        (RECEIVED, DECLINED): "a referral is screened before it is declined",
        (RECEIVED, ENROLLED): "a referral is screened and accepted before the child is enrolled",
        (SCREENING, ENROLLED): "a referral is accepted before the child is enrolled",
        (ACCEPTED, DECLINED): "it was already accepted; discharge the enrollment instead",
    }.get((current, target), f"from {now} it can only become {options}")
    raise IllegalTransition(f"A {now} referral cannot become {then}: {reason}.")
