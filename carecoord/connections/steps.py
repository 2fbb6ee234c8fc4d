"""A family's connection to an organization, step by step:

    suggested → information shared with the family → family contacted the organization
              → connected (joined, attended an event, receiving support)

and at any step before it the family may decline, or the organization may turn out not to be
a fit. Pure Python: each refusal names the field (the step's date) that has to come first."""

SUGGESTED = "suggested"
SHARED = "information_shared"
CONTACTED = "family_contacted"
CONNECTED = "connected"
DECLINED = "declined"
NOT_A_FIT = "not_a_fit"

LABELS = {
    SUGGESTED: "Suggested",
    SHARED: "Information shared with the family",
    CONTACTED: "Family contacted the organization",
    CONNECTED: "Connected",
    DECLINED: "Declined by the family",
    NOT_A_FIT: "Not a fit",
}

OPEN = (SUGGESTED, SHARED, CONTACTED)
FINAL = (CONNECTED, DECLINED, NOT_A_FIT)

ALLOWED = {
    SUGGESTED: {SHARED, DECLINED, NOT_A_FIT},
    SHARED: {CONTACTED, DECLINED, NOT_A_FIT},
    CONTACTED: {CONNECTED, DECLINED, NOT_A_FIT},
    CONNECTED: set(),
    DECLINED: set(),
    NOT_A_FIT: set(),
}

# The date field each status records.
DATE_FIELD = {
    SUGGESTED: "suggested_on",
    SHARED: "information_shared_on",
    CONTACTED: "family_contacted_on",
    CONNECTED: "outcome_on",
    DECLINED: "outcome_on",
    NOT_A_FIT: "outcome_on",
}

_NOT_YET = {
    SHARED: ("information_shared_on", "Share the organization's information with the family "
                                      "first"),
    CONTACTED: ("family_contacted_on", "Record when the family contacted the organization "
                                       "first"),
}


class StepRefused(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def check(current: str, target: str) -> None:
    """Raise StepRefused unless a connection at `current` may move to `target`."""
    if target not in LABELS or target == SUGGESTED:
        raise StepRefused("status", "Choose the next step of the connection.")
    if target in ALLOWED[current]:
        return
    if current in FINAL:
        raise StepRefused("status", f"This connection is closed ({LABELS[current].lower()}): "
                                    "suggest the organization again to start over.")
    if target == current:
        raise StepRefused(DATE_FIELD[target], f"“{LABELS[target]}” is already recorded.")
    order = [SUGGESTED, SHARED, CONTACTED, CONNECTED]
    if order.index(target) < order.index(current):
        raise StepRefused(DATE_FIELD[target], f"“{LABELS[target]}” is already behind: the "
                                              f"connection is at “{LABELS[current]}”.")
    field, first = _NOT_YET[order[order.index(current) + 1]]
    raise StepRefused(field, f"{first}: “{LABELS[target]}” comes after it.")


def next_steps(current: str) -> list[str]:
    order = [SHARED, CONTACTED, CONNECTED, DECLINED, NOT_A_FIT]
    return [status for status in order if status in ALLOWED[current]]
