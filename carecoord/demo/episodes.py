"""How each synthetic child came to the center and what happened since: referrals with their
status history, enrollments with coordinator assignments, consents to share with the medical
home, and the diagnosis codes on file. The dates follow the services' rules (first contact on or
after receipt, decisions after screening, one open enrollment, one current assignment)."""

import datetime
import random
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings

from carecoord.accounts.models import Center, User
from carecoord.families import referral_states as states
from carecoord.families.models import (
    Consent,
    CoordinatorAssignment,
    Diagnosis,
    Enrollment,
    Referral,
    ReferralStatusChange,
)

from . import datafiles, mix, people
from .chance import add_years, chance, day_between, days_after
from .directory import RegionDirectory, StaffDirectory
from .families import ChildPlan, HouseholdPlan

OPEN_REFERRAL_AGE_DAYS = {states.RECEIVED: (0, 10), states.SCREENING: (3, 24),
                          states.ACCEPTED: (10, 40)}
SERVICE_HOURS = (9, 11, 13, 15)  # the steps of one referral on one day, in order


@dataclass
class Rows:
    """Everything a batch of households produces after the families themselves."""

    referrals: list[Referral] = field(default_factory=list)
    history: list[ReferralStatusChange] = field(default_factory=list)
    enrollments: list[Enrollment] = field(default_factory=list)
    assignments: list[CoordinatorAssignment] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)


class CaseloadBalancer:
    """Picks the coordinator for a new enrollment: a discipline that fits the child, at the
    child's center, the least loaded relative to caseload capacity, and someone who speaks the
    family's language when that costs little balance. Loads therefore grow in proportion to
    capacity, whatever the number of children generated."""

    LANGUAGE_SLACK = 1.3

    def __init__(self, staff: StaffDirectory):
        self.staff = staff
        self.load = {user.pk: 0 for user in staff.users}

    def ratio(self, user: User) -> float:
        return (self.load[user.pk] + 1) / user.caseload_capacity

    def choose(self, center_id: int, disciplines: tuple[str, ...], language_code: str) -> User:
        team = [user for discipline in disciplines
                for user in self.staff.teams[(center_id, discipline)]]
        best = min(team, key=lambda u: (self.ratio(u), u.username))
        if language_code != "en" and language_code not in self.staff.languages[best.pk]:
            speakers = [u for u in team if language_code in self.staff.languages[u.pk]]
            if speakers:
                speaker = min(speakers, key=lambda u: (self.ratio(u), u.username))
                if self.ratio(speaker) <= self.ratio(best) * self.LANGUAGE_SLACK:
                    best = speaker
        return best

    def take(self, user: User) -> None:
        self.load[user.pk] += 1


class EpisodeFactory:
    def __init__(self, rng: random.Random, as_of: datetime.date, staff: StaffDirectory,
                 directories: dict[int, RegionDirectory], centers: list[Center]):
        self.rng = rng
        self.as_of = as_of
        self.staff = staff
        self.directories = directories
        self.centers = centers
        self.balancer = CaseloadBalancer(staff)
        self.names = people.NamePool()
        self.history_start = add_years(as_of, -mix.HISTORY_YEARS)
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        texts = datafiles.phrases()
        self.reasons = {key: values for (kind, key), values in texts.items()
                        if kind == "referral_reason"}
        self.state_programs = texts[("state_program", "")]
        self.reassignment_reasons = texts[("reassignment", "")]

    def for_households(self, households: list[HouseholdPlan]) -> Rows:
        rows = Rows()
        for household in households:
            for plan in household.children:
                self._child(rows, household, plan)
        return rows

    # ------------------------------------------------------------ one child's story

    def _child(self, rows: Rows, household: HouseholdPlan, plan: ChildPlan) -> None:
        rng, child = self.rng, plan.child
        status = mix.STATUS.pick(rng)
        earliest = days_after(child.date_of_birth, 14)
        center = child.center
        if status in OPEN_REFERRAL_AGE_DAYS:
            low, high = OPEN_REFERRAL_AGE_DAYS[status]
            received = max(days_after(self.as_of, -rng.randint(low, high)), earliest)
            self._referral(rows, household, plan, center, received, status)
            first_referral = received
        elif status == states.DECLINED:
            received = day_between(rng, max(self.history_start, earliest),
                                   days_after(self.as_of, -5))
            self._referral(rows, household, plan, center, received, states.DECLINED)
            first_referral = received
        else:
            discharged = status == "discharged"
            last_day = days_after(self.as_of, -120 if discharged else -30)
            first_day = max(self.history_start, earliest)
            if discharged and first_day > last_day:
                discharged, last_day = False, days_after(self.as_of, -30)
            received = day_between(rng, first_day, max(first_day, last_day))
            first_referral = received
            if not discharged and chance(rng, mix.RETURNING):
                first_referral = self._earlier_episode(rows, household, plan, received) or received
            referral, start = self._referral(rows, household, plan, center, received,
                                             states.ENROLLED)
            self._enrollment(rows, household, plan, center, referral, start, discharged)
        for code in plan.codes:
            rows.diagnoses.append(Diagnosis(
                child=child, code=code.code, description=code.description,
                recorded_on=max(child.date_of_birth, days_after(first_referral,
                                                                -rng.randint(0, 120))),
                source=mix.DIAGNOSIS_SOURCE.pick(rng),
            ))

    def _earlier_episode(self, rows: Rows, household: HouseholdPlan, plan: ChildPlan,
                         received_now: datetime.date) -> datetime.date | None:
        """A returning family: an earlier enrollment, discharged, at this center or (after a
        move within Connecticut) at another center that transferred them here. Returns when
        that earlier referral was received (None when the child is too young for one)."""
        rng, child = self.rng, plan.child
        first_day = max(add_years(self.as_of, -mix.HISTORY_YEARS - 2),
                        days_after(child.date_of_birth, 14))
        last_day = days_after(received_now, -180)
        if first_day > last_day:
            return None
        center = child.center
        transferred = chance(rng, mix.RETURNING_TRANSFERRED)
        if transferred:
            center = rng.choice([c for c in self.centers if c.pk != child.center_id])
        received = day_between(rng, first_day, last_day)
        referral, start = self._referral(rows, household, plan, center, received,
                                         states.ENROLLED)
        discharge_on = day_between(rng, days_after(start, 30), days_after(received_now, -14))
        reason = ("transferred" if transferred
                  else rng.choice(("goals_met", "family_declined", "unable_to_contact")))
        self._enrollment(rows, household, plan, center, referral, start, discharged=True,
                         discharge=(discharge_on, reason))
        return received

    # ------------------------------------------------------------ referral

    def _referral(self, rows: Rows, household: HouseholdPlan, plan: ChildPlan, center: Center,
                  received: datetime.date, outcome: str) -> tuple[Referral, datetime.date | None]:
        """A referral that went as far as `outcome`, with its status history; returns it and,
        when enrolled, the enrollment start date."""
        rng, child = self.rng, plan.child
        urgency = mix.URGENCY["medically_complex" if plan.profile == "medically_complex"
                              else "other"].pick(rng)
        referral = Referral(
            child=child, center=center, received_on=received, urgency=urgency,
            reason=self._reason(household, plan), status=outcome,
            created_by=self.staff.intake[center.pk],
        )
        self._source(referral, household, plan, received)
        steps = [("", states.RECEIVED, received, self.staff.intake[center.pk])]
        start = None
        if outcome != states.RECEIVED:
            low, high = mix.DAYS_TO_FIRST_CONTACT[urgency]
            referral.first_contact_on = min(days_after(received, rng.randint(low, high)),
                                            self.as_of)
            screener = self.balancer.choose(center.pk, plan.disciplines, household.language.code)
            steps.append((states.RECEIVED, states.SCREENING, referral.first_contact_on,
                          screener))
        supervisor = self.staff.supervisors[center.pk]
        if outcome in (states.ACCEPTED, states.DECLINED, states.ENROLLED):
            referral.decided_on = min(days_after(referral.first_contact_on,
                                                 rng.randint(*mix.DAYS_TO_DECISION)), self.as_of)
            decision = states.DECLINED if outcome == states.DECLINED else states.ACCEPTED
            steps.append((states.SCREENING, decision, referral.decided_on, supervisor))
        if outcome == states.DECLINED:
            referral.decline_reason = mix.DECLINE_REASON.pick(rng)
            referral.decline_note = rng.choice(datafiles.phrases()[("decline_note",
                                                                    referral.decline_reason)])
        if outcome == states.ENROLLED:
            start = min(days_after(referral.decided_on, rng.randint(*mix.DAYS_TO_ENROLLMENT)),
                        self.as_of)
            steps.append((states.ACCEPTED, states.ENROLLED, start, supervisor))
        rows.referrals.append(referral)
        for position, (before, after, day, user) in enumerate(steps):
            note = (referral.decline_note if after == states.DECLINED
                    else datafiles.phrase("history_note", after))
            rows.history.append(ReferralStatusChange(
                referral=referral, from_status=before, to_status=after, changed_by=user,
                changed_at=datetime.datetime.combine(
                    day, datetime.time(SERVICE_HOURS[position], rng.randrange(60)),
                    tzinfo=self.zone),
                note=note,
            ))
        return referral, start

    def _reason(self, household: HouseholdPlan, plan: ChildPlan) -> str:
        text = self.rng.choice(self.reasons[plan.profile]).format(
            diagnosis=plan.codes[0].description)
        if household.language.code != "en":
            text += " " + datafiles.phrase("language_note").format(
                language=household.language.name)
        return text

    def _source(self, referral: Referral, household: HouseholdPlan, plan: ChildPlan,
                received: datetime.date) -> None:
        """Who referred: a clinician from the directory for PCP and specialist referrals,
        otherwise a named person at a hospital, school, state program or the family."""
        rng, child = self.rng, plan.child
        directory = self.directories[referral.center.region_id]
        source = mix.SOURCE[plan.profile].pick(rng)
        age_then = (received - child.date_of_birth).days // 365
        if source == "early_intervention" and age_then >= 3:
            source = "pcp"
        specialists = next((directory.specialists[code.specialty] for code in plan.codes
                            if code.specialty in directory.specialists), None)
        if source == "specialist" and not specialists:
            source = "pcp"
        referral.source_type = source
        if source in ("pcp", "specialist"):
            if source == "specialist":
                clinician = rng.choice(specialists)
            elif child.pcp is not None and child.center_id == referral.center_id:
                clinician = child.pcp
            else:
                clinician = rng.choice(directory.pcps_by_kind["primary_care"])
            referral.referring_clinician = clinician
            referral.referrer_name = str(clinician)
            referral.referrer_organization = clinician.practice.name
            referral.referrer_phone = clinician.phone
            return
        if source == "family":
            guardian = plan.primary_guardian
            referral.referrer_name = f"{guardian.first_name} {guardian.last_name}"
            referral.referrer_phone = guardian.phone
            referral.referrer_email = guardian.email
            return
        first, last = self.names.person(rng, rng.choice(("us", "hispanic")))
        if source == "hospital":
            role = rng.choice(datafiles.phrases()[("hospital_role", "")])
            organization = directory.hospital.name
        elif source == "school":
            role = rng.choice(datafiles.phrases()[("school_role", "")])
            organization = f"{household.household.town.name} Public Schools"
        elif source == "state_program":
            role, organization = "", rng.choice(self.state_programs)
        else:
            role, organization = "", datafiles.phrase("early_intervention")
        referral.referrer_name = f"{first} {last}, {role}" if role else f"{first} {last}"
        referral.referrer_organization = organization
        referral.referrer_phone = people.phone(rng, ("860", "203"))
        referral.referrer_email = people.email(rng, first, last)

    # ------------------------------------------------------------ enrollment and consent

    def _enrollment(self, rows: Rows, household: HouseholdPlan, plan: ChildPlan, center: Center,
                    referral: Referral, start: datetime.date, discharged: bool,
                    discharge: tuple[datetime.date, str] | None = None) -> None:
        rng = self.rng
        enrollment = Enrollment(child=plan.child, center=center, referral=referral,
                                start_date=start)
        if discharged:
            if discharge is None:
                discharge_on = day_between(rng, days_after(start, 45),
                                           min(days_after(start, 720), self.as_of))
                reason = mix.DISCHARGE_REASON.pick(rng)
                if reason == "aged_out" and plan.age < 18:
                    reason = "goals_met"
                discharge = (max(discharge_on, start), reason)
            self._discharge(enrollment, *discharge)
        rows.enrollments.append(enrollment)
        coordinator = self.balancer.choose(center.pk, plan.disciplines, household.language.code)
        supervisor = self.staff.supervisors[center.pk]
        first_reason = datafiles.phrase("first_assignment")
        switch_on = None
        if (not discharged and chance(rng, mix.REASSIGNED)
                and start <= days_after(self.as_of, -60)):
            switch_on = day_between(rng, days_after(start, 14), days_after(self.as_of, -7))
            earlier = rng.choice([u for u in self.staff.coordinators_of(center.pk)
                                  if u.pk != coordinator.pk])
            rows.assignments.append(CoordinatorAssignment(
                enrollment=enrollment, coordinator=earlier, start_date=start, end_date=switch_on,
                reason=first_reason, assigned_by=supervisor))
        rows.assignments.append(CoordinatorAssignment(
            enrollment=enrollment, coordinator=coordinator, start_date=switch_on or start,
            end_date=enrollment.discharge_date,
            reason=(self._reassignment_reason(household, coordinator) if switch_on
                    else first_reason),
            assigned_by=supervisor))
        if not discharged:
            self.balancer.take(coordinator)
        self._consents(rows, plan, enrollment)

    def _discharge(self, enrollment: Enrollment, on: datetime.date, reason: str) -> None:
        enrollment.discharge_date, enrollment.discharge_reason = on, reason
        if reason == "transferred":
            enrollment.transferred_to = enrollment.child.center
            enrollment.discharge_note = datafiles.phrase("discharge_note", reason).format(
                center=enrollment.child.center.short_name)
        elif reason == "other" or chance(self.rng, mix.DISCHARGE_NOTE):
            enrollment.discharge_note = datafiles.phrase("discharge_note", reason)

    def _reassignment_reason(self, household: HouseholdPlan, coordinator: User) -> str:
        language = household.language
        if language.code != "en" and language.code in self.staff.languages[coordinator.pk]:
            return datafiles.phrase("reassignment_language").format(language=language.name)
        return self.rng.choice(self.reassignment_reasons)

    def _consents(self, rows: Rows, plan: ChildPlan, enrollment: Enrollment) -> None:
        """Consent to share the care plan with the medical home, renewed yearly while the
        family stays enrolled; a youth of 18 or more gives it themselves."""
        rng, child = self.rng, plan.child
        if child.pcp_practice is None or not chance(rng, mix.CONSENT):
            return
        last_day = enrollment.discharge_date or self.as_of
        given = min(days_after(enrollment.start_date, rng.randint(0, 10)), self.as_of)
        while True:
            adult = add_years(child.date_of_birth, 18) <= given
            consent = Consent(
                child=child, given_by=None if adult else plan.primary_guardian,
                shared_with_practice=child.pcp_practice, scope=Consent.Scope.CARE_PLAN,
                given_on=given, expires_on=add_years(given, 1),
            )
            rows.consents.append(consent)
            if given < self.as_of and chance(rng, mix.CONSENT_REVOKED):
                consent.revoked_on = day_between(
                    rng, days_after(given, 1), min(days_after(consent.expires_on, -1), self.as_of))
                return
            if consent.expires_on > last_day or not chance(rng, mix.CONSENT_RENEWED):
                return
            given = days_after(consent.expires_on, -rng.randint(0, 14))
