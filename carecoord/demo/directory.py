"""The fixed part of the demo network: the five centers, the provider directory (practices and
clinicians with valid NPIs) and the people who sign in. Small and built once per load, so every
row here goes through `full_clean()` before it is written."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from carecoord.accounts.models import Center, Language, Region, Role, Town, User
from carecoord.families.models import Clinician, Practice
from carecoord.families.npi import with_check_digit
from carecoord.sharing.models import Recipient, Route

from . import datafiles, mix, people
from .chance import Weighted, chance

DEMO_PASSWORD = "carecoord-demo-2026"
# Every demo user's email is at this domain (a subdomain of the reserved example.org): it is how
# `demo_logins` and `--replace` tell the generator's users from people an administrator added.
DEMO_EMAIL_DOMAIN = "demo.carecoord.example.org"

ORGANIZATION_NPI, INDIVIDUAL_NPI = "2", "1"
PRIMARY_CARE_KINDS = (Practice.Kind.PRIMARY_CARE, Practice.Kind.FQHC)
# Specialty care sits where the hospitals are: the center's own town or the region's largest.
SPECIALTY_TOWNS = 4


@dataclass
class ReferenceData:
    """The rows migrations load (regions, towns, languages), looked up once by name or code."""

    regions: dict[str, Region]
    towns: dict[str, Town]
    languages: dict[str, Language]

    @classmethod
    def load(cls) -> "ReferenceData":
        return cls(
            regions={r.name: r for r in Region.objects.order_by("name")},
            towns={t.name: t for t in Town.objects.order_by("name")},
            languages={lang.code: lang for lang in Language.objects.order_by("code")},
        )

    def towns_of(self, region: Region) -> list[Town]:
        return [town for town in self.towns.values() if town.region_id == region.pk]


@dataclass
class RegionDirectory:
    """What one region's families and referrals draw from."""

    center: Center
    practices: list[Practice] = field(default_factory=list)
    pcps_by_kind: dict[str, list[Clinician]] = field(default_factory=dict)
    specialists: dict[str, list[Clinician]] = field(default_factory=dict)

    @property
    def hospital(self) -> Practice:
        return next(p for p in self.practices if p.kind == Practice.Kind.HOSPITAL)


def create_centers(reference: ReferenceData) -> list[Center]:
    """The five centers in the order of data/centers.csv (the hub first)."""
    centers = []
    for row in datafiles.centers():
        center = Center(
            name=row.name, short_name=row.short_name, region=reference.regions[row.region],
            is_hub=row.is_hub, town=reference.towns[row.town], address=row.address,
            phone=row.phone,
        )
        center.full_clean()
        centers.append(center)
    return Center.objects.bulk_create(centers)


class DirectoryBuilder:
    """Practices and clinicians for every region, with NPIs that pass the check digit and are
    never repeated."""

    def __init__(self, rng: random.Random, reference: ReferenceData):
        self.rng = rng
        self.reference = reference
        self.names = people.NamePool()
        self.used_npis: set[str] = set()
        self.words = iter(rng.sample(datafiles.place_words(), len(datafiles.place_words())))

    def npi(self, leading: str) -> str:
        while True:
            candidate = with_check_digit(leading + f"{self.rng.randrange(10**8):08d}")
            if candidate not in self.used_npis:
                self.used_npis.add(candidate)
                return candidate

    def build(self, centers: list[Center]) -> dict[int, RegionDirectory]:
        """Region id → its directory, practices and clinicians saved."""
        area_codes = {row.short_name: row.area_codes for row in datafiles.centers()}
        weights = datafiles.town_weights()
        directories, clinicians = {}, []
        for center in centers:
            towns = self.reference.towns_of(center.region)
            everywhere = Weighted((town, weights.get(town.name, 1)) for town in towns)
            largest = sorted(towns, key=lambda t: (-weights.get(t.name, 1), t.name))
            specialty_towns = [center.town] + [t for t in largest[:SPECIALTY_TOWNS]
                                               if t != center.town]
            directory = RegionDirectory(center=center)
            for template in datafiles.practice_templates():
                town = (everywhere.pick(self.rng) if template.kind in PRIMARY_CARE_KINDS
                        else self.rng.choice(specialty_towns))
                practice = self._practice(template, town, area_codes[center.short_name])
                directory.practices.append(practice)
                clinicians.extend(self._clinicians(template, practice))
            directories[center.region_id] = directory
        for directory in directories.values():
            Practice.objects.bulk_create(directory.practices)
        Recipient.objects.bulk_create([self._recipient(practice) for d in directories.values()
                                       for practice in d.practices])
        for clinician in clinicians:
            clinician.full_clean()
        Clinician.objects.bulk_create(clinicians)
        self._index(directories, clinicians)
        return directories

    def _practice(self, template, town: Town, area_codes) -> Practice:
        practice = Practice(
            name=template.name.format(word=next(self.words)), kind=template.kind,
            npi=self.npi(ORGANIZATION_NPI),
            address=f"{people.street_address(self.rng)}, Suite {self.rng.randint(1, 4)}"
                    f"{self.rng.randint(0, 3)}0",
            town=town, phone=people.phone(self.rng, area_codes),
            fax=people.phone(self.rng, area_codes),
        )
        practice.full_clean()
        return practice

    @staticmethod
    def _recipient(practice: Practice) -> Recipient:
        """How the practice takes care plans: most by secure (Direct) email, the rest by fax.
        Its own random stream, so adding it left the rest of the demo as it was."""
        rng = random.Random(practice.npi)
        email = ""
        if chance(rng, 0.7):
            email = f"careplans@{people.ascii_word(practice.name)[:20]}.direct.example.org"
        return Recipient(practice=practice, secure_email=email, fax_number=practice.fax,
                         preferred_route=Route.EMAIL if email else Route.FAX,
                         contact=f"Referral coordinator, {practice.phone}")

    def _clinicians(self, template, practice: Practice) -> list[Clinician]:
        specialties = datafiles.specialties()
        made = []
        for specialty_name, count in template.clinicians:
            specialty = specialties[specialty_name]
            credentials = Weighted(specialty.credentials)
            for _ in range(count):
                group = mix.CLINICIAN_NAME_GROUP.pick(self.rng)
                first, last = self.names.person(self.rng, group)
                made.append(Clinician(
                    first_name=first, last_name=last, credentials=credentials.pick(self.rng),
                    npi=self.npi(INDIVIDUAL_NPI), specialty=specialty.name,
                    is_pcp=specialty.is_pcp and practice.kind in PRIMARY_CARE_KINDS,
                    practice=practice, phone=practice.phone,
                    email=(f"{people.ascii_word(first)[:1]}{people.ascii_word(last)}"
                           f"@example.org" if chance(self.rng, mix.CLINICIAN_HAS_EMAIL) else ""),
                ))
        return made

    @staticmethod
    def _index(directories: dict[int, RegionDirectory], clinicians: list[Clinician]) -> None:
        region_of_practice = {p.pk: region_id for region_id, d in directories.items()
                              for p in d.practices}
        for clinician in clinicians:
            directory = directories[region_of_practice[clinician.practice_id]]
            if clinician.is_pcp:
                directory.pcps_by_kind.setdefault(clinician.practice.kind, []).append(clinician)
            else:
                directory.specialists.setdefault(clinician.specialty, []).append(clinician)


@dataclass
class StaffDirectory:
    """The people who sign in, as the generator needs them: each center's supervisor and intake
    person, and its coordinators by discipline."""

    users: list[User]
    supervisors: dict[int, User]
    intake: dict[int, User]
    teams: dict[tuple[int, str], list[User]]
    languages: dict[int, frozenset[str]]

    def coordinators_of(self, center_id: int) -> list[User]:
        return sorted((u for (c, _), team in self.teams.items() if c == center_id for u in team),
                      key=lambda u: u.username)


def create_staff(centers: list[Center], directories: dict[int, RegionDirectory],
                 reference: ReferenceData) -> StaffDirectory:
    """The demo logins of data/staff.csv. One password hash serves them all: it is the same
    public demo password, and hashing it once spares a deliberately slow PBKDF2 per user."""
    rows = datafiles.centers()
    by_code = {row.code: center for row, center in zip(rows, centers, strict=True)}
    hub = next(center for center in centers if center.is_hub)
    hub_practices = [p for p in directories[hub.region_id].practices
                     if p.kind == Practice.Kind.PRIMARY_CARE]
    password = make_password(DEMO_PASSWORD)
    users, languages = [], {}
    for row in datafiles.staff():
        user = User(
            username=row.username, first_name=row.first_name, last_name=row.last_name,
            email=f"{row.username}@{DEMO_EMAIL_DOMAIN}", password=password, role=row.role,
            discipline=row.discipline, center=by_code.get(row.center_code),
            practice=hub_practices[row.practice_rank - 1] if row.practice_rank else None,
            fte=row.fte, caseload_capacity=row.caseload_capacity,
            is_superuser=row.superuser, is_staff=row.superuser,
        )
        user.full_clean()
        users.append(user)
        languages[row.username] = row.languages
    User.objects.bulk_create(users)
    User.languages.through.objects.bulk_create([
        User.languages.through(user_id=user.pk, language_id=reference.languages[code].pk)
        for user in users for code in languages[user.username]
    ])
    teams: dict[tuple[int, str], list[User]] = {}
    for user in users:
        if user.role == Role.COORDINATOR:
            teams.setdefault((user.center_id, user.discipline), []).append(user)
    supervisors = {u.center_id: u for u in users if u.role == Role.SUPERVISOR}
    admins = {u.center_id: u for u in users if u.role == Role.CENTER_ADMIN}
    return StaffDirectory(
        users=users,
        supervisors=supervisors,
        # Referrals are entered by the center administrator where there is one.
        intake={center_id: admins.get(center_id, boss) for center_id, boss in supervisors.items()},
        teams=teams,
        languages={u.pk: frozenset(languages[u.username]) for u in users},
    )
