"""Children and youth with special health care needs, their households and guardians, the
providers around them, and how they come to the center: referral, then enrollment."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.module_loading import import_string

from carecoord.accounts.models import Center, Language, Town
from carecoord.audit.models import AuditedModel

from . import referral_states
from .npi import npi_problem


def validate_npi(value):
    problem = npi_problem(value)
    if problem:
        raise ValidationError(problem, code="npi")


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    VIDEO = "video", "Video call"
    HOME_VISIT = "home_visit", "Home visit"
    SCHOOL_MEETING = "school_meeting", "Meeting at school"
    CLINIC_VISIT = "clinic_visit", "Meeting at a clinic visit"


class Weekday(models.TextChoices):
    MON = "mon", "Monday"
    TUE = "tue", "Tuesday"
    WED = "wed", "Wednesday"
    THU = "thu", "Thursday"
    FRI = "fri", "Friday"
    SAT = "sat", "Saturday"
    SUN = "sun", "Sunday"


@deconstructible
class ChoiceListValidator:
    """A JSON list whose items are distinct values of a TextChoices class."""

    def __init__(self, choices_path: str):
        self.choices_path = choices_path

    def __call__(self, values):
        allowed = set(import_string(self.choices_path).values)
        if not isinstance(values, list):
            raise ValidationError("Expected a list.")
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise ValidationError(f"Not a valid choice: {', '.join(map(str, unknown))}.")
        if len(set(values)) != len(values):
            raise ValidationError("A choice is listed twice.")

    def __eq__(self, other):
        return isinstance(other, ChoiceListValidator) and other.choices_path == self.choices_path


# ---------------------------------------------------------------- provider directory


class Practice(AuditedModel):
    """A primary care or specialty practice, hospital or clinic that refers or shares care."""

    class Kind(models.TextChoices):
        PRIMARY_CARE = "primary_care", "Primary care (pediatric medical home)"
        SPECIALTY = "specialty", "Specialty clinic"
        HOSPITAL = "hospital", "Hospital"
        FQHC = "fqhc", "Federally qualified health center"
        BEHAVIORAL = "behavioral", "Behavioral health"

    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    npi = models.CharField(
        "organization NPI", max_length=10, blank=True, validators=[validate_npi]
    )
    address = models.CharField(max_length=200, blank=True)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="practices")
    phone = models.CharField(max_length=20, blank=True)
    fax = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["npi"], condition=~Q(npi=""),
                                    name="practice_npi_unique")
        ]

    def __str__(self):
        return self.name


class Clinician(AuditedModel):
    """A physician, APRN, PA or other clinician: a child's PCP or a referring provider."""

    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    credentials = models.CharField(max_length=30, blank=True, help_text="MD, DO, APRN, PA-C…")
    npi = models.CharField("NPI", max_length=10, unique=True, validators=[validate_npi])
    specialty = models.CharField(max_length=80)
    is_pcp = models.BooleanField("primary care provider", default=False)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="clinicians"
    )
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        name = f"{self.first_name} {self.last_name}"
        return f"{name}, {self.credentials}" if self.credentials else name


# ---------------------------------------------------------------- households and children


class Versioned(models.Model):
    """A record edited on screens: the version a user loaded travels with their form, and a save
    from an older version is refused (see services.update_record) instead of overwriting."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Household(Versioned, AuditedModel):
    """Where a child lives and who cares for them. Siblings share one household."""

    address_line1 = models.CharField("street address", max_length=120, blank=True)
    address_line2 = models.CharField("apartment, unit", max_length=60, blank=True)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="households")
    zip_code = models.CharField("ZIP code", max_length=10, blank=True)
    notes = models.TextField(blank=True)
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="households")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Household {self.pk} ({self.town})"

    @property
    def address(self):
        street = ", ".join(p for p in (self.address_line1, self.address_line2) if p)
        return ", ".join(p for p in (street, f"{self.town} CT {self.zip_code}".strip()) if p)


class Guardian(Versioned, AuditedModel):
    """A parent or other caregiver in a household, with how and when to reach them."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEPPARENT = "stepparent", "Stepparent"
        GRANDPARENT = "grandparent", "Grandparent"
        AUNT_UNCLE = "aunt_uncle", "Aunt or uncle"
        SIBLING = "sibling", "Adult sibling"
        FOSTER = "foster", "Foster parent"
        LEGAL_GUARDIAN = "legal_guardian", "Legal guardian"
        OTHER = "other", "Other caregiver"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="guardians")
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    is_legal_guardian = models.BooleanField(default=True)
    is_primary_contact = models.BooleanField(default=False)
    languages = models.ManyToManyField(Language, blank=True, related_name="guardians")
    preferred_language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    interpreter_needed = models.BooleanField(default=False)
    phone = models.CharField(max_length=20, blank=True)
    phone_can_text = models.BooleanField("phone can receive texts", default=False)
    email = models.EmailField(blank=True)
    address = models.CharField(
        max_length=200, blank=True, help_text="Only when different from the household address."
    )
    preferred_channels = models.JSONField(
        default=list, blank=True,
        validators=[ChoiceListValidator("carecoord.families.models.ContactChannel")],
        help_text="In the family's order of preference.",
    )
    best_days = models.JSONField(
        default=list, blank=True,
        validators=[ChoiceListValidator("carecoord.families.models.Weekday")],
    )
    best_time_from = models.TimeField(null=True, blank=True)
    best_time_to = models.TimeField(null=True, blank=True)
    contact_notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-is_primary_contact", "last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(best_time_from__isnull=True)
                | Q(best_time_to__isnull=True)
                | Q(best_time_from__lt=F("best_time_to")),
                name="guardian_best_time_window",
            )
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def preferred_channel_labels(self):
        return [ContactChannel(c).label for c in self.preferred_channels]

    @property
    def best_day_labels(self):
        return [Weekday(d).label for d in self.best_days]

    def clean(self):
        super().clean()
        if not (self.phone or self.email or self.address):
            raise ValidationError({"phone": "Give a phone number or an email address so the "
                                   "center can reach the family."})
        if ContactChannel.TEXT in self.preferred_channels and not (self.phone and
                                                                   self.phone_can_text):
            raise ValidationError({"preferred_channels": "Text is preferred, but there is no "
                                   "phone number that can receive texts."})
        if ContactChannel.EMAIL in self.preferred_channels and not self.email:
            raise ValidationError({"preferred_channels": "Email is preferred, but there is no "
                                   "email address."})
        if self.best_time_from and self.best_time_to and self.best_time_from >= self.best_time_to:
            raise ValidationError({"best_time_to": "The end of the best time comes after its "
                                   "start."})


class RaceCategory(models.Model):
    """OMB race categories (as US Core uses them), plus "asked but declined"."""

    DECLINED = "ASKU"

    code = models.CharField(max_length=8, unique=True, help_text="CDC Race & Ethnicity code")
    label = models.CharField(max_length=60)
    label_es = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "race categories"

    def __str__(self):
        return self.label


class Child(Versioned, AuditedModel):
    """A child or youth with special health care needs (or at risk of delays), the center's
    client. Address and town come from the household; the serving center from the town's
    region at intake, or a transfer."""

    class Sex(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"
        UNKNOWN = "UNK", "Unknown"

    class Ethnicity(models.TextChoices):
        HISPANIC = "hispanic", "Hispanic or Latino"
        NOT_HISPANIC = "not_hispanic", "Not Hispanic or Latino"
        DECLINED = "declined", "Declined to answer"
        UNKNOWN = "unknown", "Unknown"

    class Insurance(models.TextChoices):
        HUSKY_A = "husky_a", "HUSKY A (Medicaid)"
        HUSKY_B = "husky_b", "HUSKY B (CHIP)"
        HUSKY_C = "husky_c", "HUSKY C (Medicaid, aged/blind/disabled)"
        HUSKY_D = "husky_d", "HUSKY D (Medicaid expansion)"
        COMMERCIAL = "commercial", "Commercial"
        UNINSURED = "uninsured", "Uninsured"
        OTHER = "other", "Other"

    class Grade(models.TextChoices):
        NOT_IN_SCHOOL = "none", "Not in school"
        EARLY = "early", "Early childhood / daycare"
        PREK = "prek", "Pre-K"
        K = "K", "Kindergarten"
        G1 = "1", "Grade 1"
        G2 = "2", "Grade 2"
        G3 = "3", "Grade 3"
        G4 = "4", "Grade 4"
        G5 = "5", "Grade 5"
        G6 = "6", "Grade 6"
        G7 = "7", "Grade 7"
        G8 = "8", "Grade 8"
        G9 = "9", "Grade 9"
        G10 = "10", "Grade 10"
        G11 = "11", "Grade 11"
        G12 = "12", "Grade 12"
        TRANSITION = "transition", "Transition program (18–21)"
        POSTSECONDARY = "post", "College or work"

    first_name = models.CharField(max_length=60)
    middle_name = models.CharField(max_length=60, blank=True)
    last_name = models.CharField(max_length=60)
    preferred_name = models.CharField(max_length=60, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=3, choices=Sex.choices)
    preferred_language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    races = models.ManyToManyField(RaceCategory, blank=True, related_name="children")
    ethnicity = models.CharField(max_length=16, choices=Ethnicity.choices,
                                 default=Ethnicity.UNKNOWN)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="children")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="children")
    insurance_type = models.CharField(max_length=12, choices=Insurance.choices)
    insurance_member_id = models.CharField("member ID", max_length=30, blank=True)
    school_name = models.CharField(max_length=120, blank=True)
    grade = models.CharField(max_length=12, choices=Grade.choices, blank=True)
    pcp = models.ForeignKey(
        Clinician, on_delete=models.PROTECT, null=True, blank=True, related_name="pcp_children",
        verbose_name="PCP",
    )
    pcp_practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name="PCP practice", help_text="The medical home the child is attributed to.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["center", "last_name", "first_name"]),
            models.Index(fields=["last_name", "first_name", "date_of_birth"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: datetime.date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def clean(self):
        super().clean()
        errors = {}
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = "The date of birth is in the future."
        elif self.date_of_birth and self.age_on(timezone.localdate()) > 26:
            errors["date_of_birth"] = "The center serves children and youth up to age 26."
        needs_id = self.insurance_type not in (self.Insurance.UNINSURED, self.Insurance.OTHER, "")
        if needs_id and not self.insurance_member_id:
            errors["insurance_member_id"] = "Give the member ID for this insurance."
        if self.insurance_type == self.Insurance.UNINSURED and self.insurance_member_id:
            errors["insurance_member_id"] = "An uninsured child has no member ID."
        if self.pcp_id and self.pcp_practice_id and self.pcp.practice_id not in (
            None, self.pcp_practice_id
        ):
            errors["pcp_practice"] = "The PCP works at a different practice."
        if errors:
            raise ValidationError(errors)


class Consent(AuditedModel):
    """A guardian's (or youth's) consent to share the child's information with someone."""

    class Scope(models.TextChoices):
        CARE_PLAN = "care_plan", "Care plan and care coordination notes"
        FULL_RECORD = "full_record", "Full care coordination record"
        EDUCATION = "education", "Education (IEP/504) information"
        BEHAVIORAL = "behavioral", "Behavioral health information"
        PEER_SUPPORT = "peer_support", "Contact details shared with a peer support family"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consents")
    given_by = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, null=True, blank=True, related_name="consents_given",
        help_text="Empty when the youth gave consent themselves.",
    )
    shared_with_practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="consents"
    )
    shared_with_other = models.CharField(
        max_length=160, blank=True, help_text="A school, agency or person outside the directory."
    )
    scope = models.CharField(max_length=16, choices=Scope.choices)
    given_on = models.DateField()
    expires_on = models.DateField()
    revoked_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gt=F("given_on")),
                                   name="consent_expires_after_given"),
            models.CheckConstraint(
                condition=(Q(shared_with_practice__isnull=False) & Q(shared_with_other=""))
                | (Q(shared_with_practice__isnull=True) & ~Q(shared_with_other="")),
                name="consent_one_recipient",
            ),
        ]

    def __str__(self):
        return f"Consent to share with {self.recipient}"

    @property
    def recipient(self):
        return self.shared_with_practice or self.shared_with_other

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.given_on <= on < self.expires_on and (
            self.revoked_on is None or self.revoked_on > on
        )

    @classmethod
    def current_q(cls, prefix: str = "", on: datetime.date | None = None) -> Q:
        on = on or timezone.localdate()
        return Q(**{f"{prefix}given_on__lte": on, f"{prefix}expires_on__gt": on}) & (
            Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": on})
        )

    def clean(self):
        super().clean()
        if bool(self.shared_with_practice_id) == bool(self.shared_with_other):
            raise ValidationError("Name one recipient: a practice from the directory or someone "
                                  "else.")
        if self.given_on and self.expires_on and self.expires_on <= self.given_on:
            raise ValidationError({"expires_on": "A consent expires after it is given."})


class Diagnosis(AuditedModel):
    """A diagnosis code on file for the child, kept for stratification."""

    class CodeSystem(models.TextChoices):
        ICD10CM = "icd10cm", "ICD-10-CM"
        ICD9CM = "icd9cm", "ICD-9-CM"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="diagnoses")
    code_system = models.CharField(max_length=8, choices=CodeSystem.choices,
                                   default=CodeSystem.ICD10CM)
    code = models.CharField(max_length=10, help_text="Upper case, no dot (e.g. G8090).")
    description = models.CharField(max_length=200, blank=True)
    recorded_on = models.DateField()
    source = models.CharField(max_length=40, blank=True, help_text="Referral, PCP, claims…")

    class Meta:
        ordering = ["-recorded_on", "code"]
        verbose_name_plural = "diagnoses"

    def save(self, *args, **kwargs):
        self.code = self.code.upper().replace(".", "").replace(" ", "")
        super().save(*args, **kwargs)

    def __str__(self):
        return self.code


# ---------------------------------------------------------------- referral and enrollment


class Referral(AuditedModel):
    """How a child came to the center, and what the center decided."""

    class SourceType(models.TextChoices):
        PCP = "pcp", "Primary care provider"
        SPECIALIST = "specialist", "Specialist"
        HOSPITAL = "hospital", "Hospital"
        SCHOOL = "school", "School"
        FAMILY = "family", "Family self-referral"
        STATE_PROGRAM = "state_program", "State program"
        EARLY_INTERVENTION = "early_intervention", "Early intervention (Birth to Three)"

    class Urgency(models.TextChoices):
        ROUTINE = "routine", "Routine"
        PRIORITY = "priority", "Priority (within a week)"
        URGENT = "urgent", "Urgent (within two days)"

    class Status(models.TextChoices):
        RECEIVED = referral_states.RECEIVED, "Received"
        SCREENING = referral_states.SCREENING, "Screening"
        ACCEPTED = referral_states.ACCEPTED, "Accepted"
        DECLINED = referral_states.DECLINED, "Declined"
        ENROLLED = referral_states.ENROLLED, "Enrolled"

    class DeclineReason(models.TextChoices):
        NOT_ELIGIBLE = "not_eligible", "Not eligible (no special health care need)"
        OUT_OF_REGION = "out_of_region", "Lives outside the region (redirected)"
        FAMILY_DECLINED = "family_declined", "Family declined services"
        UNABLE_TO_REACH = "unable_to_reach", "Unable to reach the family"
        DUPLICATE = "duplicate", "Duplicate referral"
        SERVED_ELSEWHERE = "served_elsewhere", "Already served by another program"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="referrals")
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    referring_clinician = models.ForeignKey(
        Clinician, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    referrer_name = models.CharField(max_length=120, blank=True)
    referrer_organization = models.CharField(max_length=160, blank=True)
    referrer_phone = models.CharField(max_length=20, blank=True)
    referrer_email = models.EmailField(blank=True)
    received_on = models.DateField()
    reason = models.TextField()
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    first_contact_on = models.DateField(
        null=True, blank=True, help_text="First time the center reached the family."
    )
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decline_note = models.CharField(max_length=300, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["center", "status", "received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=referral_states.DECLINED) | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(first_contact_on__isnull=True)
                | Q(first_contact_on__gte=F("received_on")),
                name="referral_first_contact_after_received",
            ),
        ]

    def __str__(self):
        return f"Referral {self.pk} ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status in referral_states.OPEN

    @property
    def days_waiting(self) -> int:
        return (timezone.localdate() - self.received_on).days

    @property
    def days_to_first_contact(self) -> int | None:
        if self.first_contact_on is None:
            return None
        return (self.first_contact_on - self.received_on).days

    def clean(self):
        super().clean()
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError({"received_on": "The referral date is in the future."})
        if self.source_type in (self.SourceType.PCP, self.SourceType.SPECIALIST) and not (
            self.referring_clinician_id or self.referrer_name
        ):
            raise ValidationError({"referrer_name": "Name the referring provider."})


class ReferralStatusChange(models.Model):
    """Each move of a referral through its states, who made it and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]


class Enrollment(AuditedModel):
    """An episode of service: from enrollment to discharge."""

    class DischargeReason(models.TextChoices):
        GOALS_MET = "goals_met", "Goals met"
        FAMILY_DECLINED = "family_declined", "Family declined further services"
        MOVED = "moved", "Moved out of state"
        AGED_OUT = "aged_out", "Aged out"
        UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact"
        TRANSFERRED = "transferred", "Transferred to another region"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="enrollments")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="enrollments")
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="enrollment"
    )
    start_date = models.DateField()
    discharge_date = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=20, choices=DischargeReason.choices,
                                        blank=True)
    discharge_note = models.CharField(max_length=300, blank=True)
    transferred_to = models.ForeignKey(
        Center, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["center", "discharge_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(discharge_date__isnull=True),
                name="enrollment_one_open_per_child",
            ),
            models.CheckConstraint(
                condition=(Q(discharge_date__isnull=True) & Q(discharge_reason=""))
                | (Q(discharge_date__isnull=False) & ~Q(discharge_reason="")),
                name="enrollment_discharge_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(discharge_date__isnull=True) | Q(discharge_date__gte=F("start_date")),
                name="enrollment_discharge_after_start",
            ),
        ]

    def __str__(self):
        return f"Enrollment {self.pk} from {self.start_date}"

    @property
    def is_open(self):
        return self.discharge_date is None

    @property
    def current_assignment(self):
        # Uses the prefetched assignments when a selector loaded them.
        return next((a for a in self.assignments.all() if a.end_date is None), None)


class CoordinatorAssignment(AuditedModel):
    """Who coordinated care for the enrollment, and when: the assignment history."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE,
                                   related_name="assignments")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["coordinator", "end_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"], condition=Q(end_date__isnull=True),
                name="assignment_one_current_per_enrollment",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assignment_end_after_start",
            ),
        ]
