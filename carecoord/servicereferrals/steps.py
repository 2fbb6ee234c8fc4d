"""A referral of a family to a community service, step by step, until the loop is closed:

    sent → acknowledged by the service → appointment scheduled → service received

or it ends without the service: the service declined it, found the child not eligible, had no
capacity, the family declined, or nobody could reach the family. Which endings may follow which
step is below (a service that already scheduled the family had room, so "no capacity" no longer
applies). Pure Python: each refusal names the field (the step's date) that has to come first or
is already recorded, in words a coordinator understands."""

SENT = "sent"
ACKNOWLEDGED = "acknowledged"
SCHEDULED = "scheduled"
RECEIVED = "service_received"
DECLINED = "declined"
INELIGIBLE = "ineligible"
NO_CAPACITY = "no_capacity"
FAMILY_DECLINED = "family_declined"
UNABLE_TO_REACH = "unable_to_reach"

LABELS = {
    SENT: "Sent",
    ACKNOWLEDGED: "Acknowledged",
    SCHEDULED: "Scheduled",
    RECEIVED: "Service received",
    DECLINED: "Declined by the service",
    INELIGIBLE: "Not eligible",
    NO_CAPACITY: "No capacity (full or waitlist)",
    FAMILY_DECLINED: "Family declined",
    UNABLE_TO_REACH: "Unable to reach the family",
}

OPEN = (SENT, ACKNOWLEDGED, SCHEDULED)
FAILED = (DECLINED, INELIGIBLE, NO_CAPACITY, FAMILY_DECLINED, UNABLE_TO_REACH)
CLOSED = (RECEIVED, *FAILED)

# What may follow each open status.
ALLOWED = {
    SENT: {ACKNOWLEDGED, DECLINED, INELIGIBLE, NO_CAPACITY, FAMILY_DECLINED, UNABLE_TO_REACH},
    ACKNOWLEDGED: {SCHEDULED, DECLINED, INELIGIBLE, NO_CAPACITY, FAMILY_DECLINED,
                   UNABLE_TO_REACH},
    SCHEDULED: {RECEIVED, INELIGIBLE, FAMILY_DECLINED, UNABLE_TO_REACH},
    **{status: set() for status in CLOSED},
}

# The date field each status records (an ending also closes the loop: closed_on).
DATE_FIELD = {
    SENT: "sent_on",
    ACKNOWLEDGED: "acknowledged_on",
    SCHEDULED: "scheduled_on",
    RECEIVED: "received_on",
    **{status: "closed_on" for status in FAILED},
}

_ACK_FIRST = ("acknowledged_on", "Record when the service acknowledged the referral first: "
                                 "an appointment follows the acknowledgement.")
_SCHEDULE_FIRST = ("scheduled_on", "Record when the appointment was scheduled first: the "
                                   "service is received at a scheduled appointment.")
_HAD_ROOM = "The service already scheduled the family"

# (the status tried, the status the referral is at) → (field, why not).
REASONS = {
    (ACKNOWLEDGED, ACKNOWLEDGED): ("acknowledged_on", "The acknowledgement is already "
                                                      "recorded."),
    (ACKNOWLEDGED, SCHEDULED): ("acknowledged_on", "The acknowledgement is already recorded: "
                                                   "the appointment is scheduled."),
    (SCHEDULED, SENT): _ACK_FIRST,
    (SCHEDULED, SCHEDULED): ("scheduled_on", "The appointment is already scheduled."),
    (RECEIVED, SENT): ("acknowledged_on", "Record the acknowledgement and the appointment "
                                          "first: the service is received at a scheduled "
                                          "appointment."),
    (RECEIVED, ACKNOWLEDGED): _SCHEDULE_FIRST,
    (DECLINED, SCHEDULED): ("scheduled_on", f"{_HAD_ROOM}: if it turned them away at the "
                                            "appointment, record “Not eligible”."),
    (NO_CAPACITY, SCHEDULED): ("scheduled_on", f"{_HAD_ROOM}: it had room for them."),
    (SENT, SENT): ("sent_on", "The referral is already sent."),
    (SENT, ACKNOWLEDGED): ("sent_on", "The referral is already sent."),
    (SENT, SCHEDULED): ("sent_on", "The referral is already sent."),
}


class StepRefused(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def check(status: str, to: str) -> None:
    """Raise StepRefused unless a referral at `status` may move to `to`."""
    if to in ALLOWED[status]:
        return
    if status in CLOSED:
        raise StepRefused("closed_on", f"This referral is closed ({LABELS[status].lower()}): "
                                       "make a new referral to try again.")
    field, message = REASONS[(to, status)]
    raise StepRefused(field, message)


def is_open(status: str) -> bool:
    return status in OPEN


def next_steps(status: str) -> list[str]:
    """The statuses a user may record next, in the order of the loop."""
    return [s for s in (ACKNOWLEDGED, SCHEDULED, RECEIVED, *FAILED) if s in ALLOWED[status]]
