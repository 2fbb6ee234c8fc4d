"""A technical assistance request's steps, in order:

    open → in progress → resolved (with the resolution)

Pure Python: each refusal names the field (the step) that is missing or already recorded."""

OPEN = "open"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"

LABELS = {OPEN: "Open", IN_PROGRESS: "In progress", RESOLVED: "Resolved"}

START = "start"
RESOLVE = "resolve"

ALLOWED_FROM = {START: {OPEN}, RESOLVE: {IN_PROGRESS}}

REASONS = {
    (START, IN_PROGRESS): ("started_on", "The work on this request has already started."),
    (RESOLVE, OPEN): ("started_on", "Record when the hub started working on the request "
                                    "first: a request is resolved after it is in progress."),
}


class StepRefused(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def check(status: str, action: str) -> None:
    """Raise StepRefused unless a request at `status` may take `action`."""
    if status in ALLOWED_FROM[action]:
        return
    if status == RESOLVED:
        raise StepRefused("resolved_on", "This request is resolved: log a new request for "
                                         "further help.")
    field, message = REASONS[(action, status)]
    raise StepRefused(field, message)


def allowed_actions(status: str) -> list[str]:
    return [action for action, statuses in ALLOWED_FROM.items() if status in statuses]
