"""Synthetic families: a household in a real town of the center's region, one or two guardians
who speak the family's language and say how to reach them, and the children with their
coverage, medical home, school and diagnoses. Values are made valid by construction (the models'
`clean()` rules) because rows are bulk-created without `full_clean()`."""

import datetime
import random
from dataclasses import dataclass, field

from carecoord.accounts.models import Discipline, Language, Town
from carecoord.families.models import (
    Child,
    Clinician,
    ContactChannel,
    Guardian,
    Household,
    Practice,
    RaceCategory,
)

from . import datafiles, mix, people
from .chance import Weighted, add_years, chance
from .directory import ReferenceData, RegionDirectory

MEDICAID = ("husky_a", "husky_b", "husky_c", "husky_d")
# Profile → the disciplines that fit it, as the center profile staffs them: nurses for complex
# medical needs, social workers for behavioral health, community coordinators for social
# determinants. A mixed child fits two, and goes to whichever team has more room.
DISCIPLINES = {
    "medically_complex": (Discipline.NURSE,),
    "behavioral": (Discipline.SOCIAL_WORKER,),
    "social_needs": (Discipline.COMMUNITY,),
    "mixed_complex": (Discipline.NURSE, Discipline.SOCIAL_WORKER),
    "mixed": (Discipline.COMMUNITY, Discipline.SOCIAL_WORKER),
}


@dataclass
class ChildPlan:
    """A child about to be written, with what the referral and enrollment steps need."""

    child: Child
    races: list[RaceCategory]
    profile: str
    disciplines: tuple[str, ...]
    codes: list[datafiles.DiagnosisRow]
    age: int
    primary_guardian: Guardian


@dataclass
class HouseholdPlan:
    household: Household
    language: Language
    guardians: list[Guardian] = field(default_factory=list)
    guardian_languages: list[tuple[Guardian, Language]] = field(default_factory=list)
    children: list[ChildPlan] = field(default_factory=list)


@dataclass
class CenterContext:
    """One center's catchment: its towns weighted by families served, and its directory."""

    directory: RegionDirectory
    towns: Weighted[Town]
    area_codes: tuple[str, ...]

    @property
    def center(self):
        return self.directory.center


class DiagnosisPicker:
    """Codes of one group of data/diagnoses.csv, drawn by weight among those that fit the
    child's age."""

    def __init__(self, rows: tuple[datafiles.DiagnosisRow, ...]):
        self.by_group: dict[str, list[datafiles.DiagnosisRow]] = {}
        for row in rows:
            self.by_group.setdefault(row.group, []).append(row)
        self.cache: dict[tuple[str, int], Weighted] = {}

    def pick(self, rng: random.Random, group: str, age: int, taken) -> datafiles.DiagnosisRow:
        key = (group, age)
        if key not in self.cache:
            self.cache[key] = Weighted((row, row.weight) for row in self.by_group[group]
                                       if row.fits_age(age))
        for _ in range(8):  # a handful of tries for a code the child does not have yet
            row = self.cache[key].pick(rng)
            if row not in taken:
                return row
        return row


class FamilyFactory:
    def __init__(self, rng: random.Random, as_of: datetime.date, reference: ReferenceData,
                 races: dict[str, RaceCategory]):
        self.rng = rng
        self.as_of = as_of
        self.reference = reference
        self.races = races
        self.names = people.NamePool()
        self.diagnoses = DiagnosisPicker(datafiles.diagnoses())
        self.name_groups = {code: Weighted(pairs)
                            for code, pairs in datafiles.language_name_groups().items()}
        self.race_mix = {group: Weighted(((codes, ethnicity), weight)
                                         for codes, ethnicity, weight in rows)
                         for group, rows in datafiles.race_ethnicity().items()}
        self.language_by_town: dict[str, Weighted[str]] = {}
        self.school_year_start = datetime.date(
            as_of.year if as_of.month >= 8 else as_of.year - 1, 9, 1)

    # ------------------------------------------------------------ household and guardians

    def household(self, context: CenterContext, max_children: int) -> HouseholdPlan:
        rng = self.rng
        town = context.towns.pick(rng)
        language = self.reference.languages[self._language_for(town.name).pick(rng)]
        group = self.name_groups[language.code].pick(rng)
        family_name = self.names.surname(rng, group)
        zips = datafiles.zip_codes().get(town.name, ())
        plan = HouseholdPlan(
            household=Household(
                address_line1=people.street_address(rng), address_line2=people.apartment(rng),
                town=town, zip_code=rng.choice(zips) if zips else "", center=context.center,
            ),
            language=language,
        )
        primary = self._guardians(plan, context, group, family_name)
        count = min(mix.CHILDREN_PER_HOUSEHOLD.pick(rng), max_children)
        coverage = mix.HOUSEHOLD_COVERAGE.pick(rng)
        family_race = self.race_mix[group].pick(rng)
        foster = primary.relationship == Guardian.Relationship.FOSTER
        medical_home: tuple[Clinician | None, Practice | None] | None = None
        for _ in range(count):
            # Foster children come from different families; siblings share a name and a race.
            child_group = self.name_groups[language.code].pick(rng) if foster else group
            child_name = self.names.surname(rng, child_group) if foster else family_name
            race = self.race_mix[child_group].pick(rng) if foster else family_race
            child = self._child(plan, context, primary, child_group, child_name, race, coverage,
                                medical_home)
            plan.children.append(child)
            medical_home = (child.child.pcp, child.child.pcp_practice)
        return plan

    def _language_for(self, town_name: str) -> Weighted[str]:
        if town_name not in self.language_by_town:
            mixes = datafiles.town_languages()
            percents = dict(mixes["*"]) | mixes.get(town_name, {})
            percents["en"] = 100 - sum(percents.values())
            self.language_by_town[town_name] = Weighted(sorted(percents.items()))
        return self.language_by_town[town_name]

    def _guardians(self, plan: HouseholdPlan, context: CenterContext, group: str,
                   family_name: str) -> Guardian:
        rng = self.rng
        relationship = mix.PRIMARY_GUARDIAN.pick(rng)
        relationships = [relationship]
        if chance(rng, mix.SECOND_GUARDIAN_RATE[relationship]):
            relationships.append(mix.SECOND_GUARDIAN[relationship].pick(rng))
        for position, relationship in enumerate(relationships):
            sex = "F" if chance(rng, mix.FEMALE_SHARE[relationship]) else "M"
            last_name = (family_name if chance(rng, mix.KEEPS_FAMILY_NAME[relationship])
                         else self.names.surname(rng, group))
            guardian = Guardian(
                household=plan.household, first_name=self.names.given(rng, group, sex),
                last_name=last_name, relationship=relationship,
                is_legal_guardian=chance(rng, mix.LEGAL_GUARDIAN_SHARE[relationship]),
                is_primary_contact=position == 0, preferred_language=plan.language,
            )
            self._languages(plan, guardian, group)
            self._contact(guardian, context, plan.language)
            plan.guardians.append(guardian)
        return plan.guardians[0]

    def _languages(self, plan: HouseholdPlan, guardian: Guardian, group: str) -> None:
        rng, language = self.rng, plan.language
        spoken = [language]
        if language.code == "ase":
            guardian.interpreter_needed = True
            spoken.append(self.reference.languages["en"])
        elif language.code != "en":
            speaks_english = chance(rng, mix.SPEAKS_ENGLISH_TOO)
            if speaks_english:
                spoken.append(self.reference.languages["en"])
            guardian.interpreter_needed = not speaks_english or chance(rng,
                                                                        mix.INTERPRETER_ANYWAY)
        elif group == "hispanic" and chance(rng, mix.SPEAKS_SPANISH_TOO):
            spoken.append(self.reference.languages["es"])
        plan.guardian_languages.extend((guardian, spoken_language) for spoken_language in spoken)

    def _contact(self, guardian: Guardian, context: CenterContext, language: Language) -> None:
        """Phone, email and preferences that satisfy Guardian.clean(): text only with a phone
        that takes texts, email only with an address, and at least one way to reach them."""
        rng = self.rng
        has_phone = chance(rng, mix.HAS_PHONE)
        email_rate = mix.HAS_EMAIL["en" if language.code == "en" else "other"]
        has_email = chance(rng, email_rate) or not has_phone
        if has_phone:
            guardian.phone = people.phone(rng, context.area_codes)
            guardian.phone_can_text = chance(rng, mix.PHONE_CAN_TEXT)
        if has_email:
            guardian.email = people.email(rng, guardian.first_name, guardian.last_name)
        reachable = {
            ContactChannel.PHONE: has_phone, ContactChannel.TEXT: guardian.phone_can_text,
            ContactChannel.EMAIL: has_email,
        }
        channels: list[str] = []
        for _ in range(mix.CHANNEL_COUNT.pick(rng)):
            channel = mix.CHANNELS.pick(rng)
            if reachable.get(channel, True) and channel not in channels:
                channels.append(channel)
        guardian.preferred_channels = channels
        days = rng.sample(mix.WEEKDAYS, mix.BEST_DAY_COUNT.pick(rng))
        if days and chance(rng, mix.SATURDAY_TOO):
            days.append("sat")
        guardian.best_days = [day for day in (*mix.WEEKDAYS, "sat") if day in days]
        window = mix.BEST_TIME.pick(rng)
        if window:
            guardian.best_time_from = datetime.time(window[0])
            guardian.best_time_to = datetime.time(window[1])

    # ------------------------------------------------------------ children

    def _child(self, plan: HouseholdPlan, context: CenterContext, primary: Guardian,
               group: str, last_name: str, race, coverage: str, medical_home) -> ChildPlan:
        rng = self.rng
        date_of_birth = self._date_of_birth(plan)
        age = self._age(date_of_birth, self.as_of)
        sex = mix.SEX.pick(rng)
        first_name = self.names.given(rng, group, sex)
        profile = (mix.PROFILE_UNDER_3 if age < 3 else mix.PROFILE).pick(rng)
        codes = self._codes(profile, age)
        complex_needs = any(code.group == "complex" for code in codes)
        insurance = self._insurance(coverage, age, complex_needs)
        grade, school = self._school(date_of_birth, plan.household.town.name)
        race_codes, ethnicity = race
        child = Child(
            first_name=first_name, middle_name=self.names.middle(rng, group, sex, first_name),
            last_name=last_name, date_of_birth=date_of_birth, sex=sex,
            preferred_language=plan.language, ethnicity=ethnicity, household=plan.household,
            center=context.center, insurance_type=insurance,
            insurance_member_id=self._member_id(insurance), school_name=school, grade=grade,
        )
        child.pcp, child.pcp_practice = self._medical_home(context, insurance, medical_home)
        fit = "mixed_complex" if profile == "mixed" and complex_needs else profile
        return ChildPlan(
            child=child, races=[self.races[code] for code in race_codes], profile=profile,
            disciplines=DISCIPLINES[fit], codes=codes, age=age, primary_guardian=primary,
        )

    @staticmethod
    def _age(date_of_birth: datetime.date, on: datetime.date) -> int:
        return on.year - date_of_birth.year - (
            (on.month, on.day) < (date_of_birth.month, date_of_birth.day))

    def _date_of_birth(self, plan: HouseholdPlan) -> datetime.date:
        rng = self.rng
        siblings = [c.child.date_of_birth for c in plan.children]
        if siblings and chance(rng, mix.TWINS):
            return siblings[0]
        youngest = self.as_of - datetime.timedelta(days=mix.YOUNGEST_DAYS)
        for _ in range(10):  # siblings at least ten months apart
            born = add_years(self.as_of, -mix.AGE_YEARS.pick(rng)) - datetime.timedelta(
                days=rng.randint(0, 364))
            born = min(born, youngest)
            if all(abs((born - other).days) >= 300 for other in siblings):
                return born
        return born

    def _codes(self, profile: str, age: int) -> list[datafiles.DiagnosisRow]:
        """1 to 5 codes shaped like the profile: complex conditions with their technology and
        chronic companions, behavioral diagnoses, or few codes for social needs."""
        rng = self.rng
        plan: list[str]
        if profile == "medically_complex":
            plan = ["complex"] * (2 if chance(rng, 0.3) else 1)
            plan += [group for group, rate in (("tech", 0.35), ("chronic", 0.4),
                                               ("developmental", 0.25)) if chance(rng, rate)]
        elif profile == "behavioral":
            plan = ["behavioral"] * mix.BEHAVIORAL_CODES.pick(rng)
            plan += [group for group, rate in (("developmental", 0.25), ("social", 0.2))
                     if chance(rng, rate)]
        elif profile == "social_needs":
            plan = ["social"]
            if chance(rng, 0.6):
                plan.append("developmental" if age < 6 or chance(rng, 0.4) else "chronic")
        else:
            plan = ["complex" if chance(rng, mix.MIXED_WITH_COMPLEX) else "chronic"]
            plan.append("behavioral" if age >= 3 else "developmental")
            plan.append("social" if plan[0] == "chronic" else
                        rng.choice(("developmental", "social")))
        codes: list[datafiles.DiagnosisRow] = []
        for group in plan[:5]:
            row = self.diagnoses.pick(rng, group, age, codes)
            if row not in codes:
                codes.append(row)
        return codes

    def _insurance(self, coverage: str, age: int, complex_needs: bool) -> str:
        """HUSKY B is for children under 19; at 19 Medicaid coverage becomes HUSKY D, or HUSKY C
        for a disability."""
        if coverage in ("husky_a", "husky_b"):
            if complex_needs and chance(self.rng, mix.HUSKY_C_IF_COMPLEX):
                return "husky_c"
            if age >= 19:
                return "husky_d"
        return coverage

    def _member_id(self, insurance: str) -> str:
        rng = self.rng
        if insurance in MEDICAID:
            return f"{rng.randrange(10**8, 10**9)}"
        if insurance == "commercial":
            letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
            return f"{letters}{rng.randrange(10**8, 10**9)}"
        if insurance == "other" and chance(rng, mix.OTHER_HAS_MEMBER_ID):
            return f"OT{rng.randrange(10**7, 10**8)}"
        return ""

    def _medical_home(self, context: CenterContext, insurance: str, sibling_home):
        """A PCP and their practice; siblings usually share one. FQHCs see more children
        covered by Medicaid or uninsured."""
        rng = self.rng
        if sibling_home is not None and chance(rng, mix.SIBLING_SAME_PCP):
            return sibling_home
        if not chance(rng, mix.HAS_PCP):
            return None, None
        fqhc_share = mix.FQHC_SHARE["commercial" if insurance == "commercial" else "medicaid"]
        kind = Practice.Kind.FQHC if chance(rng, fqhc_share) else Practice.Kind.PRIMARY_CARE
        pcp = rng.choice(context.directory.pcps_by_kind[kind])
        return pcp, pcp.practice

    def _school(self, date_of_birth: datetime.date, town: str) -> tuple[str, str]:
        """Grade from the age on 1 September of this school year (kindergarten at 5)."""
        rng = self.rng
        age = self._age(date_of_birth, self.school_year_start)
        if age <= 2:
            if chance(rng, 0.4):
                return Child.Grade.EARLY, (f"{town} Early Learning Center"
                                           if chance(rng, 0.5) else "")
            return Child.Grade.NOT_IN_SCHOOL, ""
        if age <= 4:
            if age == 4 or chance(rng, 0.5):
                return Child.Grade.PREK, f"{town} Preschool"
            return Child.Grade.EARLY, f"{town} Early Learning Center"
        if age <= 17:
            grade_number = max(0, age - 5 - (1 if chance(rng, 0.08) else 0))
            grade = Child.Grade.K if grade_number == 0 else str(grade_number)
            level = ("Elementary School" if grade_number <= 5 else
                     "Middle School" if grade_number <= 8 else "High School")
            return grade, f"{town} {level}"
        if age == 18 and chance(rng, 0.4):
            return "12", f"{town} High School"
        if chance(rng, 0.5):
            return Child.Grade.TRANSITION, f"{town} Transition Academy"
        return (Child.Grade.POSTSECONDARY if chance(rng, 0.6) else Child.Grade.NOT_IN_SCHOOL), ""
