"""The contact log of every enrollment, from its start to its discharge or the as-of date:
calls, texts, emails, video calls, home visits, school meetings, visits at a provider's office
or at the center, by the channels the family prefers, with the unanswered attempts (and the
runs of three on one channel that call for another way), the interpreter when the family needs
one and the coordinator does not speak their language, the provider, school and agency calls
around the family, and the plan's goals and actions that a contact moved forward.

About 18 to 24 contacts a child-year come out (two million for 100,000 children), so rows are
plain tuples written by `bulk.insert`; the links to goals and actions go to the many-to-many
tables once the contacts have their ids."""

import datetime
import random
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from carecoord.contacts.models import Contact, Participant
from carecoord.families.models import Guardian

from . import bulk, datafiles, mix
from .chance import Weighted, chance
from .directory import StaffDirectory
from .plans import Episode, PlanDraft

COLUMNS = ("child_id", "enrollment_id", "staff_id", "channel", "direction", "occurred_at",
           "reached", "duration_minutes", "guardian_id", "participants",
           "interpreter_language_id", "notes")
# Where talking needs an interpreter (a text or an email is written in the family's language).
SPOKEN = frozenset(("phone", "video", "home_visit", "school_meeting", "clinic_visit",
                    "in_center"))
AGREEMENT_CHANNEL = {"phone": "phone", "video": "video"}  # in person: a visit; portal: none
PARTICIPANT_ORDER = {value: index for index, value in enumerate(Participant.values)}
OUTBOUND, INBOUND = Contact.Direction.OUTBOUND.value, Contact.Direction.INBOUND.value
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class ContactRows:
    """A batch's contacts as rows of COLUMNS, their values ready for the database."""

    rows: list[tuple] = field(default_factory=list)
    goal_links: list[tuple[int, int]] = field(default_factory=list)  # (row index, goal id)
    action_links: list[tuple[int, int]] = field(default_factory=list)  # (row index, action id)


@dataclass(eq=False, slots=True)
class Touch:
    """One contact of an enrollment before it is a row (sorted by time first)."""

    at: datetime.datetime
    row: tuple
    goals: tuple[int, ...] = ()
    actions: tuple[int, ...] = ()


class ContactFactory:
    def __init__(self, rng: random.Random, as_of: datetime.date, staff: StaffDirectory):
        self.rng = rng
        self.as_of = as_of
        # The log runs to the as-of date; when that is today, to yesterday (nothing logged in
        # the hours still to come).
        self.last_day = as_of if as_of < timezone.localdate() else as_of - ONE_DAY
        self.staff_languages = staff.languages
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.notes = datafiles.contact_notes()
        self.channel_mixes: dict[tuple, Weighted[str]] = {}
        # Values go into the rows ready for the database (see write_contacts): a time per row,
        # and each distinct participants list adapted once.
        self.db_time = bulk.adapter(Contact, "occurred_at")
        self.db_json = bulk.adapter(Contact, "participants")
        self.participant_lists: dict[tuple[str, ...], object] = {}

    def for_episodes(self, episodes: list[Episode], plans: list[PlanDraft]) -> ContactRows:
        out = ContactRows()
        plan_of = {id(plan.episode): plan for plan in plans}
        for episode in episodes:
            self._episode(out, episode, plan_of.get(id(episode)))
        return out

    # ------------------------------------------------------------ one enrollment's log

    def _episode(self, out: ContactRows, episode: Episode, plan: PlanDraft | None) -> None:
        start, end = episode.enrollment.start_date, min(episode.end, self.last_day)
        if end < start:
            return
        work = [(a.since, a.ended_on, a.id, a.goal.id) for a in plan.actions] if plan else []
        touches = self._planned(episode, plan, start, end, work)
        touches += self._routine(episode, start, end, work)
        touches.sort(key=lambda touch: touch.at)
        for touch in touches:
            index = len(out.rows)
            out.rows.append(touch.row)
            out.goal_links.extend((index, goal) for goal in touch.goals)
            out.action_links.extend((index, action) for action in touch.actions)

    def _planned(self, episode: Episode, plan: PlanDraft | None, start: datetime.date,
                 end: datetime.date, work) -> list[Touch]:
        """The intake contact on the first day, and the meeting or call where each version of
        the plan was agreed (nothing to log for an agreement in the family portal)."""
        rng = self.rng
        primary = episode.household.guardians[0]
        intake = rng.choice(("home_visit", "in_center", "phone") if primary.phone
                            else ("home_visit", "in_center"))
        touches = [self._family(episode, start, intake, reached=True, work=work)]
        for agreement in plan.agreements if plan else ():
            if agreement.how == "portal" or not start <= agreement.day <= end:
                continue
            channel = AGREEMENT_CHANNEL.get(agreement.how) or (
                "home_visit" if chance(rng, 0.7) else "in_center")
            goals = tuple(sorted(goal.id for goal in plan.goals if goal.since <= agreement.day
                                 and not (goal.finished_on
                                          and goal.finished_on < agreement.day)))[:2]
            touches.append(self._family(episode, agreement.day, channel, reached=True, work=(),
                                        goals=goals, guardian=agreement.guardian))
        return touches

    def _routine(self, episode: Episode, start: datetime.date, end: datetime.date,
                 work) -> list[Touch]:
        """Contacts at the child's own pace (faster in the first weeks), with retries after an
        unanswered attempt, runs of three unanswered attempts on one channel followed by
        another way, calls with the people around the family, and, for some families, only
        unanswered attempts since they stopped answering."""
        rng = self.rng
        touches: list[Touch] = []
        pace = mix.CONTACTS_PER_YEAR[episode.child_plan.profile] * rng.uniform(*mix.CONTACT_PACE)
        mean_gap = 365 / pace
        lapse = None
        if episode.enrollment.discharge_date is None and chance(rng, mix.LAPSED):
            lapse = self.as_of - datetime.timedelta(days=rng.randint(*mix.LAPSE_DAYS))
            if (lapse - start).days < 30:
                lapse = None
        primary = episode.household.guardians[0]
        day, guardian = start, primary
        retry = ""  # the channel of the next try, after an attempt that went unanswered
        answered = False  # …when that next try, on another channel, reaches the family
        while True:
            if retry:
                gap = rng.randint(*mix.RETRY_DAYS)
            elif lapse and day >= lapse:
                gap = rng.randint(*mix.LAPSED_ATTEMPT_GAP)
            else:
                gap = rng.gammavariate(mix.CONTACT_GAP_SHAPE, mean_gap / mix.CONTACT_GAP_SHAPE)
                if (day - start).days < mix.FIRST_WEEKS_DAYS:
                    gap *= mix.FIRST_WEEKS_GAP
                gap = max(1, round(gap))
            day = day + datetime.timedelta(days=gap)
            if day > end:
                return touches
            if lapse and day >= lapse:
                channel = self._channel(episode, primary)
                touches.append(self._family(episode, day, channel, reached=False, work=()))
                retry = ""
                continue
            if not retry:
                party = mix.OTHER_PARTY.pick(rng)
                if party:
                    touches.append(self._other_party(episode, day, party))
                    continue
                guardian = self._guardian(episode)  # a retry goes to the same guardian
            channel = retry or self._channel(episode, guardian)
            if not retry and channel in mix.RUN_CHANNELS and chance(rng, mix.UNANSWERED_RUN):
                for attempt in range(3):
                    if attempt:
                        day = day + datetime.timedelta(days=rng.randint(1, 3))
                    if day > end:
                        return touches
                    touches.append(self._family(episode, day, channel, reached=False, work=(),
                                                guardian=guardian))
                retry, answered = self._another_channel(episode, guardian, channel), True
                continue
            reached = answered or not chance(rng, mix.UNANSWERED[channel])
            touches.append(self._family(episode, day, channel, reached=reached, work=work,
                                        guardian=guardian))
            if reached:
                retry, answered = "", False
            elif chance(rng, mix.RETRY_OTHER_CHANNEL):
                retry = self._another_channel(episode, guardian, channel)
            else:
                retry = channel

    # ------------------------------------------------------------ who, how and when

    def _guardian(self, episode: Episode) -> Guardian:
        guardians = episode.household.guardians
        if len(guardians) > 1 and chance(self.rng, mix.SECOND_GUARDIAN_CONTACT):
            return guardians[1]
        return guardians[0]

    def _channels(self, episode: Episode, guardian: Guardian) -> Weighted[str]:
        """The channels this guardian can be reached by, weighted by the center's usual mix and
        the guardian's own order of preference."""
        in_school = bool(episode.child_plan.child.school_name)
        key = (tuple(guardian.preferred_channels), bool(guardian.phone), guardian.phone_can_text,
               bool(guardian.email), in_school)
        if key not in self.channel_mixes:
            usable = {"phone": bool(guardian.phone),
                      "text": bool(guardian.phone) and guardian.phone_can_text,
                      "email": bool(guardian.email), "school_meeting": in_school}
            weights = {channel: weight for channel, weight in mix.CHANNEL_BASE.items()
                       if usable.get(channel, True)}
            for rank, channel in enumerate(guardian.preferred_channels[:3]):
                if channel in weights:
                    weights[channel] *= mix.PREFERRED_BOOST[rank]
            self.channel_mixes[key] = Weighted(weights.items())
        return self.channel_mixes[key]

    def _channel(self, episode: Episode, guardian: Guardian) -> str:
        return self._channels(episode, guardian).pick(self.rng)

    def _another_channel(self, episode: Episode, guardian: Guardian, failed: str) -> str:
        """After attempts that went unanswered: the next channel the family prefers, else one
        drawn from their mix (a home visit when nothing else is left), as contacts/rules.py
        suggests."""
        for channel in guardian.preferred_channels:
            if channel != failed:
                return channel
        for _ in range(4):
            channel = self._channel(episode, guardian)
            if channel != failed:
                return channel
        return "home_visit" if failed != "home_visit" else "in_center"

    def _when(self, day: datetime.date, channel: str, guardian: Guardian | None,
              episode: Episode) -> datetime.datetime:
        """A weekday (a Saturday moves to a day of its week, a Sunday to one of the next, inside
        the enrollment) in office hours, or in the guardian's best hours for a call."""
        rng = self.rng
        weekday = day.weekday()
        if weekday >= 5:
            back = day - datetime.timedelta(days=weekday - rng.randint(0, 4))
            ahead = day + datetime.timedelta(days=7 - weekday + rng.randint(0, 4))
            late = weekday == 6 or back < episode.enrollment.start_date
            if late and ahead <= min(episode.end, self.last_day):
                day = ahead
            elif back >= episode.enrollment.start_date:
                day = back
        low, high = mix.OFFICE_HOURS
        if guardian is not None and guardian.best_time_from and channel in ("phone", "video",
                                                                           "text"):
            low, high = guardian.best_time_from.hour, guardian.best_time_to.hour
        return datetime.datetime(day.year, day.month, day.day, rng.randint(low, max(low, high - 1)),
                                 rng.randrange(60), tzinfo=self.zone)

    def _participants(self, names: list[str]):
        """The participants in the model's order, as the database takes them."""
        key = tuple(sorted(set(names), key=PARTICIPANT_ORDER.__getitem__))
        if key not in self.participant_lists:
            self.participant_lists[key] = self.db_json(list(key))
        return self.participant_lists[key]

    def _duration(self, channel: str) -> int:
        low, high, mode = mix.DURATION_MINUTES[channel]
        return round(self.rng.triangular(low, high, mode))

    # ------------------------------------------------------------ the rows

    def _family(self, episode: Episode, day: datetime.date, channel: str, *, reached: bool,
                work, guardian: Guardian | None = None, goals: tuple[int, ...] = ()) -> Touch:
        rng = self.rng
        child = episode.child_plan.child
        guardian = guardian or episode.household.guardians[0]
        age = (day - child.date_of_birth).days * 4 // 1461
        if age >= 18 and chance(rng, mix.YOUTH_ALONE):
            guardian = None
        at = self._when(day, channel, guardian, episode)
        day = at.date()
        staff = episode.coordinator_on(day)
        interpreter = None
        actions: tuple[int, ...] = ()
        if reached:
            names = ["child"] if guardian is None else ["guardian"]
            if guardian is not None:
                if chance(rng, mix.CHILD_PRESENT.get(channel, 0)) or (
                        age >= 14 and chance(rng, mix.TEEN_PRESENT.get(channel, 0))):
                    names.append("child")
                language = guardian.preferred_language
                if (guardian.interpreter_needed and channel in SPOKEN
                        and language.code not in self.staff_languages[staff.pk]):
                    names.append("interpreter")
                    interpreter = language.pk
            if channel == "school_meeting":
                names.append("school_staff")
            elif channel == "clinic_visit":
                names.append("specialist" if chance(rng, 0.4) else "pcp")
            elif channel == "home_visit" and (extra := mix.VISIT_EXTRA.pick(rng)):
                names.append(extra)
            direction = INBOUND if chance(rng, mix.INBOUND.get(channel, 0)) else OUTBOUND
            duration = self._duration(channel)
            participants = self._participants(names)
            if work and chance(rng, mix.ACTION_LINK):
                open_work = [(action, goal) for since, ended, action, goal in work
                             if since <= day and (ended is None or day <= ended)]
                if open_work:
                    action, goal = rng.choice(open_work)
                    actions, goals = (action,), tuple(sorted({*goals, goal}))
        else:
            direction, duration, participants = OUTBOUND, None, self._participants([])
        row = (child.pk, episode.enrollment.pk, staff.pk, channel, direction, self.db_time(at),
               reached, duration, guardian.pk if guardian else None, participants, interpreter,
               rng.choice(self.notes[(channel, reached)]))
        return Touch(at, row, goals if reached else (), actions)

    def _other_party(self, episode: Episode, day: datetime.date, party: str) -> Touch:
        """A call or email with the PCP's office, a specialist, the school or an agency about
        the child, without the family."""
        rng = self.rng
        child = episode.child_plan.child
        if party == "school_staff" and not child.school_name:
            party = "pcp"
        channel = mix.OTHER_PARTY_CHANNEL[party].pick(rng)
        reached = chance(rng, mix.OTHER_PARTY_REACHED)
        at = self._when(day, channel, None, episode)
        staff = episode.coordinator_on(at.date())
        if reached:
            direction = INBOUND if chance(rng, mix.OTHER_PARTY_INBOUND) else OUTBOUND
            duration, participants = self._duration(channel), self._participants([party])
        else:
            direction, duration, participants = OUTBOUND, None, self._participants([])
        row = (child.pk, episode.enrollment.pk, staff.pk, channel, direction, self.db_time(at),
               reached, duration, None, participants, None,
               rng.choice(self.notes[(party, reached)]))
        return Touch(at, row)


def write_contacts(contacts: ContactRows, counts: Counter) -> None:
    ids = bulk.insert(Contact, COLUMNS, contacts.rows, prepared=("occurred_at", "participants"))
    bulk.insert(Contact.goals.through, ("contact_id", "goal_id"),
                [(ids[index], goal) for index, goal in contacts.goal_links], returning=False)
    bulk.insert(Contact.actions.through, ("contact_id", "action_id"),
                [(ids[index], action) for index, action in contacts.action_links],
                returning=False)
    counts["contacts"] += len(contacts.rows)
    counts["contact_attempts"] += sum(1 for row in contacts.rows if not row[6])
    counts["contact_goal_links"] += len(contacts.goal_links)
    counts["contact_action_links"] += len(contacts.action_links)
