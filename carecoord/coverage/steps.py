"""The steps staff follow to help a family with coverage or a bill, in order:

    eligibility checked → submitted → (documents requested) → decision → (appeal) → closed

Documents are requested only between the submission and the decision; an appeal follows a
denial; an approved benefit is renewed while the application stays open; any step may end in
closing the application (not eligible, the family stopped, the help was given). Pure Python:
each refusal names the field (the step) that is missing or already recorded, in words a
coordinator understands."""

ELIGIBILITY_CHECKED = "eligibility_checked"
SUBMITTED = "submitted"
DOCUMENTS_REQUESTED = "documents_requested"
DECIDED = "decided"
APPEALED = "appealed"
CLOSED = "closed"

LABELS = {
    ELIGIBILITY_CHECKED: "Eligibility checked",
    SUBMITTED: "Application submitted",
    DOCUMENTS_REQUESTED: "Documents requested",
    DECIDED: "Decision received",
    APPEALED: "Appeal filed",
    CLOSED: "Closed",
}

# What a user may do next (the step forms), and from which steps.
SUBMIT = "submit"
REQUEST_DOCUMENTS = "request_documents"
DOCUMENTS_SENT = "documents_sent"
DECIDE = "decide"
APPEAL = "appeal"
APPEAL_OUTCOME = "appeal_outcome"
RENEW = "renew"
CLOSE = "close"

ALLOWED_FROM = {
    SUBMIT: {ELIGIBILITY_CHECKED},
    REQUEST_DOCUMENTS: {SUBMITTED, DOCUMENTS_REQUESTED},
    DOCUMENTS_SENT: {DOCUMENTS_REQUESTED},
    DECIDE: {SUBMITTED, DOCUMENTS_REQUESTED},
    APPEAL: {DECIDED},
    APPEAL_OUTCOME: {APPEALED},
    RENEW: {DECIDED, APPEALED},
    CLOSE: {ELIGIBILITY_CHECKED, SUBMITTED, DOCUMENTS_REQUESTED, DECIDED, APPEALED},
}

# (what the user tried, the step the application is at) → (field, why not). The field is the
# step that has to come first, or the one already recorded.
_NOT_YET = "Record when the application was submitted first"
REASONS = {
    (SUBMIT, SUBMITTED): ("submitted_on", "The submission is already recorded."),
    (SUBMIT, DOCUMENTS_REQUESTED): ("submitted_on", "The submission is already recorded."),
    (SUBMIT, DECIDED): ("decision", "The decision is already recorded: nothing to submit."),
    (SUBMIT, APPEALED): ("decision", "The decision is already recorded: nothing to submit."),
    (REQUEST_DOCUMENTS, ELIGIBILITY_CHECKED): (
        "submitted_on", f"{_NOT_YET}: documents are requested for a submitted application."),
    (REQUEST_DOCUMENTS, DECIDED): (
        "decision", "The decision is recorded: documents are no longer being requested."),
    (REQUEST_DOCUMENTS, APPEALED): (
        "decision", "The decision is recorded: documents for the appeal go in its notes."),
    (DOCUMENTS_SENT, ELIGIBILITY_CHECKED): (
        "documents", "No documents have been requested for this application."),
    (DOCUMENTS_SENT, SUBMITTED): (
        "documents", "No documents have been requested for this application."),
    (DOCUMENTS_SENT, DECIDED): ("decision", "The decision is already recorded."),
    (DOCUMENTS_SENT, APPEALED): ("decision", "The decision is already recorded."),
    (DECIDE, ELIGIBILITY_CHECKED): (
        "submitted_on", f"{_NOT_YET}: a decision comes after the submission."),
    (DECIDE, DECIDED): (
        "decision", "The decision is already recorded: a denial is challenged with an appeal."),
    (DECIDE, APPEALED): (
        "decision", "The decision is already recorded: record the appeal's outcome instead."),
    (APPEAL, ELIGIBILITY_CHECKED): ("decision", "An appeal follows a denial: record the "
                                                "submission and the decision first."),
    (APPEAL, SUBMITTED): ("decision", "An appeal follows a denial: record the decision first."),
    (APPEAL, DOCUMENTS_REQUESTED): (
        "decision", "An appeal follows a denial: record the decision first."),
    (APPEAL, APPEALED): ("appeal_filed_on", "The appeal is already filed."),
    (APPEAL_OUTCOME, ELIGIBILITY_CHECKED): (
        "appeal_filed_on", "Record when the appeal was filed before its outcome."),
    (APPEAL_OUTCOME, SUBMITTED): (
        "appeal_filed_on", "Record when the appeal was filed before its outcome."),
    (APPEAL_OUTCOME, DOCUMENTS_REQUESTED): (
        "appeal_filed_on", "Record when the appeal was filed before its outcome."),
    (APPEAL_OUTCOME, DECIDED): (
        "appeal_filed_on", "Record when the appeal was filed before its outcome."),
    (RENEW, ELIGIBILITY_CHECKED): (
        "decision", "A renewal is recorded for an approved benefit: record the decision first."),
    (RENEW, SUBMITTED): (
        "decision", "A renewal is recorded for an approved benefit: record the decision first."),
    (RENEW, DOCUMENTS_REQUESTED): (
        "decision", "A renewal is recorded for an approved benefit: record the decision first."),
}


class StepRefused(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def check(step: str, action: str) -> None:
    """Raise StepRefused unless an application at `step` may take `action`."""
    if step in ALLOWED_FROM[action]:
        return
    if step == CLOSED:
        raise StepRefused("closed_on", "This application is closed: start a new one to help "
                                       "the family again.")
    field, message = REASONS[(action, step)]
    raise StepRefused(field, message)


def allowed_actions(step: str) -> list[str]:
    """The step forms to offer for an application at `step`, in the order staff use them."""
    return [action for action, steps in ALLOWED_FROM.items() if step in steps]
