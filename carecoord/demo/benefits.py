"""Coverage applications for the demo's financial help needs and connections to
diagnosis-specific organizations for the needs of that domain, each taken step by step by dates
as far as the enrollment reached (its discharge, else the as-of date).

Applications follow coverage/steps.py and the checks of coverage/services.py: eligibility
checked, then submitted (never after a "not eligible" finding), documents requested only
between the submission and the decision (and sent before it), a decision with its start date
and the program's renewal rule (`programs.next_renewal`, as the service fills it in), an appeal
only of a denial and within 60 days, renewals of an approved benefit, and closing with a reason
that fits. One application per program and child. Connections follow connections/steps.py,
suggesting what `catalog.suggest` offers for the child's diagnoses (the diagnosis the need
names first), once per organization and child. Every row's `version` counts the steps recorded,
as the services move it on."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from carecoord.careplans.models import Need
from carecoord.connections import catalog
from carecoord.connections import services as connection_services
from carecoord.connections import steps as connection_steps
from carecoord.connections.models import OrganizationConnection
from carecoord.coverage import programs
from carecoord.coverage import services as coverage_services
from carecoord.coverage.models import CoverageApplication, DocumentRequest
from carecoord.families.models import Diagnosis

from . import bulk, datafiles, mix
from .chance import Weighted, chance, days_after
from .plans import NeedDraft, PlanDraft, years_old

Step = CoverageApplication.Step
# When an approved benefit starts, by program: HUSKY and hospital assistance cover the month
# applied in, SSI starts the month after filing, the others the month after the notice, and a
# bill or claim is settled on the day of the decision.
BENEFIT_STARTS = {
    "husky-a": "submission_month", "husky-b": "submission_month", "husky-c": "submission_month",
    "husky-d": "submission_month", "hospital-financial-assistance": "submission_month",
    "ssi-child": "month_after_submission", "husky-renewal": "month_after_decision",
    "katie-beckett": "month_after_decision", "access-health-ct": "month_after_decision",
    "cmhi-respite-funds": "month_after_decision", "medical-bill-plan": "decision",
    "health-plan-appeal": "decision",
}
DISABLING_GROUPS = frozenset(("complex", "tech"))
FINAL_STATUSES = (OrganizationConnection.Status.CONNECTED,
                  OrganizationConnection.Status.DECLINED, OrganizationConnection.Status.NOT_A_FIT)


@dataclass
class BenefitRows:
    applications: list[CoverageApplication] = field(default_factory=list)
    document_requests: list[DocumentRequest] = field(default_factory=list)
    connections: list[OrganizationConnection] = field(default_factory=list)


def benefit_texts() -> dict[tuple[str, str], tuple[str, ...]]:
    """(kind, program or step or "*") → texts of data/benefit_texts.csv."""
    texts: dict[tuple[str, str], list[str]] = {}
    for row in datafiles._rows("benefit_texts.csv"):
        texts.setdefault((row["kind"], row["key"]), []).append(row["text"])
    return {key: tuple(values) for key, values in texts.items()}


def first_of_next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


class _Application:
    """One application while it is drafted: the row, its document requests, the steps
    recorded (its version) and the last day anything happened."""

    def __init__(self, row: CoverageApplication):
        self.row = row
        self.requests: list[DocumentRequest] = []
        self.last = row.eligibility_checked_on

    def step(self, day: datetime.date) -> None:
        self.row.version += 1
        self.last = max(self.last, day)


class BenefitFactory:
    def __init__(self, rng: random.Random, as_of: datetime.date):
        self.rng, self.as_of = rng, as_of
        self.programs = programs.catalog()
        self.texts = benefit_texts()
        # A denial by DSS is appealed with a fair hearing, whose date is set when it is filed.
        self.fair_hearing = {code for code, info in self.programs.items()
                             if "(DSS)" in info.administered_by}

    def for_plans(self, plans: list[PlanDraft], diagnoses: list[Diagnosis]) -> BenefitRows:
        """`diagnoses`: the batch's saved Diagnosis rows (episodes.Rows.diagnoses)."""
        rows = BenefitRows()
        by_child: dict[int, list[Diagnosis]] = {}
        for diagnosis in diagnoses:
            by_child.setdefault(diagnosis.child_id, []).append(diagnosis)
        # A child's earlier enrollment is in the same batch: what it started counts.
        applied: dict[int, set[str]] = {}
        suggested: dict[int, set[str]] = {}
        for plan in plans:
            child_id = plan.episode.child_plan.child.pk
            for need in plan.needs:
                if need.domain.code == coverage_services.NEED_DOMAIN:
                    self._applications(plan, need, applied.setdefault(child_id, set()), rows)
                elif need.domain.code == connection_services.NEED_DOMAIN:
                    self._connections(plan, need, by_child.get(child_id, []),
                                      suggested.setdefault(child_id, set()), rows)
        return rows

    def _text(self, kind: str, key: str) -> str:
        return self.rng.choice(self.texts.get((kind, key)) or self.texts[(kind, "*")])

    # ------------------------------------------------------------ coverage applications

    def _applications(self, plan: PlanDraft, need: NeedDraft, applied: set[str],
                      rows: BenefitRows) -> None:
        rng, episode = self.rng, plan.episode
        day = days_after(need.since, rng.randint(*mix.DAYS_TO_ELIGIBILITY_CHECK))
        for number in range(mix.APPLICATIONS_PER_NEED.pick(rng)):
            if number:
                day = days_after(day, rng.randint(*mix.SECOND_APPLICATION_DAYS))
            if day > episode.end:
                return
            program = self._program(plan, need, day, applied)
            if program is None:
                return
            applied.add(program)
            application = self._application(plan, need, program, day)
            rows.applications.append(application.row)
            rows.document_requests.extend(application.requests)

    def _program(self, plan: PlanDraft, need: NeedDraft, day: datetime.date,
                 applied: set[str]) -> str | None:
        """A program that fits the child's coverage, age and conditions, weighted toward what
        the need's own words name."""
        child_plan = plan.episode.child_plan
        child = child_plan.child
        group = mix.COVERAGE_GROUP.get(child.insurance_type, "other")
        age = years_old(child.date_of_birth, day)
        disabling = any(code.group in DISABLING_GROUPS for code in child_plan.codes)
        weights = Counter(mix.PROGRAMS[group])
        if disabling:
            weights.update(mix.DISABILITY_PROGRAMS[group])
            if group == "husky" and age >= 18 and child.insurance_type != "husky_c":
                weights.update(mix.YOUNG_ADULT_HUSKY)
        if age >= 19 and group in ("uninsured", "other"):  # HUSKY A and B end at 19
            for program in ("husky-a", "husky-b"):
                weights.pop(program, None)
            weights.update(mix.YOUNG_ADULT_UNINSURED)
        if age >= 18:
            for program in ("ssi-child", "katie-beckett"):
                weights.pop(program, None)
        words = need.description.lower()
        boosted = {kind for word, kinds in mix.NEED_WORDS_KIND.items() if word in words
                   for kind in kinds}
        pairs = [(program, weight * (mix.NEED_WORDS_BOOST
                                     if self.programs[program].kind in boosted else 1))
                 for program, weight in sorted(weights.items()) if program not in applied]
        if not pairs:
            return None
        return Weighted(pairs).pick(self.rng)

    def _application(self, plan: PlanDraft, need: NeedDraft, program: str,
                     checked: datetime.date) -> _Application:
        rng, episode = self.rng, plan.episode
        end = episode.end
        finding = mix.ELIGIBILITY_FINDING.pick(rng)
        application = _Application(CoverageApplication(
            child=episode.child_plan.child, program=program, need_id=need.id,
            step=Step.ELIGIBILITY_CHECKED, eligibility_checked_on=checked,
            eligibility_finding=finding, eligibility_note=self._text("eligibility_note", program),
            created_by=episode.coordinator_on(checked),
        ))
        row = application.row
        if finding == CoverageApplication.Finding.NOT_ELIGIBLE:
            self._close(application, days_after(checked, rng.randint(*mix.NOT_ELIGIBLE_DAYS)),
                        CoverageApplication.ClosedReason.NOT_ELIGIBLE, end)
        elif chance(rng, mix.STOPPED_BEFORE_SUBMITTING):
            self._close(application, days_after(checked, rng.randint(*mix.STOPPED_DAYS)),
                        CoverageApplication.ClosedReason.FAMILY_STOPPED, end)
        else:
            self._course(plan, need, application)
        if row.step != Step.CLOSED:
            self._wrap_up(plan, need, application)
        return application

    def _course(self, plan: PlanDraft, need: NeedDraft, application: _Application) -> None:
        """Submission, documents, decision, appeal and renewals, while they fall by the end of
        the enrollment."""
        rng, episode = self.rng, plan.episode
        end = episode.end
        row = application.row
        info = self.programs[row.program]
        submitted = days_after(row.eligibility_checked_on,
                               rng.randint(*mix.DAYS_TO_SUBMISSION))
        if submitted > end:
            return
        helped_by = mix.HELPED_BY[info.kind].pick(rng)
        row.submitted_on, row.submitted_how = submitted, mix.SUBMITTED_HOW[info.kind].pick(rng)
        row.helped_by = helped_by
        if helped_by not in ("coordinator", "family"):
            row.helper_name = self._text("helper", helped_by)
        if chance(rng, mix.CONFIRMATION_NUMBER):
            row.confirmation_number = str(rng.randrange(10**7, 10**8))
        row.step = Step.SUBMITTED
        application.step(submitted)
        decision_on = days_after(submitted, rng.randint(*mix.DAYS_TO_NOTICE[row.program]))
        missing_documents = False
        if chance(rng, mix.DOCUMENTS_REQUESTED[info.kind]):
            decision_on, missing_documents = self._documents(application, decision_on, end)
        if decision_on > end:
            return
        self._decide(plan, need, application, decision_on, missing_documents)

    def _documents(self, application: _Application, decision_on: datetime.date,
                   end: datetime.date) -> tuple[datetime.date, bool]:
        """Document requests before the decision, and the decision day they leave: after the
        documents came in, or after the due date when they never did."""
        rng, row = self.rng, application.row
        asked = row.submitted_on
        for number in range(2):
            if number and not chance(rng, mix.SECOND_DOCUMENT_REQUEST):
                break
            asked = days_after(asked, rng.randint(*mix.DAYS_TO_DOCUMENT_REQUEST))
            if asked > end or (number and asked >= decision_on):
                break
            request = DocumentRequest(
                application=row, requested_on=asked,
                documents=self._text("documents", row.program),
                due_on=days_after(asked, rng.randint(*mix.DOCUMENTS_DUE_DAYS)))
            application.requests.append(request)
            row.step = Step.DOCUMENTS_REQUESTED
            application.step(asked)
            if not chance(rng, mix.DOCUMENTS_SENT):
                return (max(decision_on, days_after(
                    request.due_on, rng.randint(*mix.DAYS_TO_NOTICE_AFTER_DUE))), True)
            sent = days_after(asked, rng.randint(*mix.DAYS_TO_SEND))
            if sent > end:
                return max(decision_on, days_after(sent, 1)), False
            request.sent_on = sent
            application.step(sent)
            decision_on = max(decision_on, days_after(
                sent, rng.randint(*mix.DAYS_TO_NOTICE_AFTER_DOCUMENTS)))
            asked = sent
        return decision_on, False

    def _decide(self, plan: PlanDraft, need: NeedDraft, application: _Application,
                decision_on: datetime.date, missing_documents: bool) -> None:
        rng, row = self.rng, application.row
        end = plan.episode.end
        p = mix.APPROVED[row.program]
        if need.final_status == Need.Status.MET:
            p = max(p, mix.APPROVED_IF_NEED_MET)
        elif need.final_status == Need.Status.UNMET:
            p *= mix.APPROVED_IF_NEED_UNMET
        row.decision_on, row.step = decision_on, Step.DECIDED
        application.step(decision_on)
        if not missing_documents and chance(rng, p):
            row.decision = CoverageApplication.Decision.APPROVED
            self._approve(application, decision_on)
            self._after_approval(application, end)
            return
        row.decision = CoverageApplication.Decision.DENIED
        row.denial_reason = (self.texts[("denial", "*")][0] if missing_documents
                             else self._text("denial", row.program))
        if chance(rng, mix.APPEALED[row.program]):
            filed = days_after(decision_on, rng.randint(*mix.DAYS_TO_APPEAL))
            if filed <= end:
                self._appeal(application, filed, end)
                return
        closed = days_after(decision_on, rng.randint(*mix.DENIAL_CLOSED_DAYS))
        if chance(rng, mix.DENIAL_CLOSED):
            self._close(application, closed, CoverageApplication.ClosedReason.DENIED, end)

    def _approve(self, application: _Application, decided: datetime.date) -> None:
        """The benefit's start and the renewal date the service fills in from the program's
        rule (the reversed appeal too)."""
        row = application.row
        rule = BENEFIT_STARTS[row.program]
        row.benefit_starts_on = (
            row.submitted_on.replace(day=1) if rule == "submission_month" else
            first_of_next_month(row.submitted_on) if rule == "month_after_submission" else
            first_of_next_month(decided) if rule == "month_after_decision" else decided)
        row.renewal_due_on = programs.next_renewal(
            self.programs[row.program], benefit_starts_on=row.benefit_starts_on,
            date_of_birth=row.child.date_of_birth)

    def _after_approval(self, application: _Application, end: datetime.date) -> None:
        """A bill settled is closed as help given; coverage is renewed when due, unless the
        family let a renewal pass and the coverage ended."""
        rng, row = self.rng, application.row
        info = self.programs[row.program]
        if info.kind == "bill_help":
            self._close(application, days_after(application.last,
                                                rng.randint(*mix.BILL_SETTLED_DAYS)),
                        CoverageApplication.ClosedReason.HELP_GIVEN, end)
            return
        earliest = -mix.RENEWED_DAYS[0]  # renewals are sent in up to this many days early
        while row.renewal_due_on and row.renewal_due_on <= days_after(end, earliest):
            due = row.renewal_due_on
            if chance(rng, mix.RENEWAL_MISSED):
                lapsed = days_after(due, rng.randint(*mix.LAPSED_CLOSED_DAYS))
                self._close(application, lapsed, CoverageApplication.ClosedReason.ENDED, end,
                            note=self._text("closed_note", "lapsed"))
                return
            renewed = max(days_after(due, rng.randint(*mix.RENEWED_DAYS)), row.benefit_starts_on,
                          application.last)
            if renewed > end:
                return
            following = None
            if info.renewal_months:
                following = programs.next_renewal(info, benefit_starts_on=renewed,
                                                  date_of_birth=row.child.date_of_birth)
            row.last_renewed_on, row.renewal_due_on = renewed, following
            application.step(renewed)

    def _appeal(self, application: _Application, filed: datetime.date,
                end: datetime.date) -> None:
        rng, row = self.rng, application.row
        row.appeal_filed_on, row.step = filed, Step.APPEALED
        if row.program in self.fair_hearing:
            row.hearing_on = days_after(filed, rng.randint(*mix.HEARING_DAYS))
        application.step(filed)
        outcome = mix.APPEAL_OUTCOME.pick(rng)
        if outcome == CoverageApplication.AppealOutcome.WITHDRAWN:
            decided = days_after(filed, rng.randint(*mix.DAYS_TO_WITHDRAW_APPEAL))
        elif row.hearing_on:
            decided = days_after(row.hearing_on, rng.randint(*mix.DAYS_FROM_HEARING))
        else:
            decided = days_after(filed, rng.randint(*mix.DAYS_TO_APPEAL_OUTCOME))
        if decided > end:
            return
        row.appeal_outcome, row.appeal_decided_on = outcome, decided
        application.step(decided)
        if outcome == CoverageApplication.AppealOutcome.REVERSED:
            self._approve(application, decided)
            self._after_approval(application, end)
        elif chance(rng, mix.DENIAL_CLOSED):
            self._close(application, days_after(decided, rng.randint(*mix.APPEAL_CLOSED_DAYS)),
                        CoverageApplication.ClosedReason.DENIED, end)

    def _wrap_up(self, plan: PlanDraft, need: NeedDraft, application: _Application) -> None:
        """A family that no longer needed the help stopped; a discharge closes what was left."""
        row = application.row
        episode = plan.episode
        if need.final_status == Need.Status.WITHDRAWN and need.closed_on and not row.decision:
            self._close(application, need.closed_on,
                        CoverageApplication.ClosedReason.FAMILY_STOPPED, episode.end)
        discharged = episode.enrollment.discharge_date
        if discharged and row.step != Step.CLOSED:
            if row.is_approved:
                self._close(application, discharged,
                            CoverageApplication.ClosedReason.HELP_GIVEN, discharged)
            else:
                self._close(application, discharged, CoverageApplication.ClosedReason.OTHER,
                            discharged, note=self._text("closed_note", "discharged"))

    def _close(self, application: _Application, day: datetime.date, reason: str,
               end: datetime.date, note: str = "") -> None:
        """Close on `day`, or on the last step when that came later; not after `end`."""
        day = max(day, application.last)
        if day > end:
            return
        row = application.row
        row.closed_on, row.closed_reason, row.closed_note = day, reason, note
        row.step = Step.CLOSED
        application.step(day)

    # ------------------------------------------------------------ organizations

    def _connections(self, plan: PlanDraft, need: NeedDraft, diagnoses: list[Diagnosis],
                     suggested: set[str], rows: BenefitRows) -> None:
        rng, episode = self.rng, plan.episode
        named = next((code.code for code in episode.child_plan.codes
                      if code.group != "social"), None)
        ordered = sorted(diagnoses, key=lambda d: (d.code != named, d.pk))
        offers = catalog.suggest([(d.pk, d.code, d.description) for d in ordered], suggested)
        # The organizations for the diagnosis first (state and community before national, as
        # the catalog orders them), then those for every family.
        offers.sort(key=lambda offer: offer.diagnosis_id is None)
        day = days_after(need.since, rng.randint(*mix.DAYS_TO_SUGGESTION))
        for offer in offers[:mix.CONNECTIONS_PER_NEED.pick(rng)]:
            if day > episode.end:
                return
            suggested.add(offer.organization.code)
            rows.connections.append(self._connection(plan, need, offer, day))
            day = days_after(day, rng.randint(*mix.NEXT_ORGANIZATION_DAYS))

    def _connection(self, plan: PlanDraft, need: NeedDraft, offer: catalog.Suggestion,
                    suggested_on: datetime.date) -> OrganizationConnection:
        rng, episode = self.rng, plan.episode
        entry = offer.organization
        row = OrganizationConnection(
            child=episode.child_plan.child, diagnosis_id=offer.diagnosis_id,
            organization=entry.code, organization_name=entry.name, website=entry.website,
            level=entry.level, need_id=need.id, status=OrganizationConnection.Status.SUGGESTED,
            suggested_on=suggested_on, created_by=episode.coordinator_on(suggested_on))
        day = suggested_on
        while row.status not in FINAL_STATUSES:
            following = mix.CONNECTION_NEXT[row.status].pick(rng)
            if need.final_status == Need.Status.MET and following in ("declined", "not_a_fit"):
                following = ""  # the family got what it asked for: no decline on the way
            if need.final_status == Need.Status.WITHDRAWN and following == "connected":
                following = "declined"
            if not following:
                break
            if following == "information_shared" and chance(rng, mix.SHARED_THE_SAME_DAY):
                on = day
            else:
                on = days_after(day, rng.randint(*mix.CONNECTION_DAYS[following]))
            if on > episode.end:
                break
            setattr(row, connection_steps.DATE_FIELD[following], on)
            row.status, day = following, on
            row.version += 1
        if row.status == OrganizationConnection.Status.CONNECTED:
            row.connected_how = mix.CONNECTED_HOW.pick(rng)
        if row.status in FINAL_STATUSES and (
                row.status == OrganizationConnection.Status.NOT_A_FIT
                or chance(rng, mix.OUTCOME_NOTE)):
            row.outcome_note = self._text("connection_note", row.status)
        return row


def write_benefits(rows: BenefitRows, counts: Counter) -> None:
    for objs in (rows.applications, rows.document_requests, rows.connections):
        bulk.save_new(objs)
    counts["coverage_applications"] += len(rows.applications)
    counts["coverage_approved"] += sum(1 for a in rows.applications if a.is_approved)
    counts["coverage_document_requests"] += len(rows.document_requests)
    counts["organization_connections"] += len(rows.connections)
    counts["organizations_connected"] += sum(
        1 for c in rows.connections if c.status == OrganizationConnection.Status.CONNECTED)
