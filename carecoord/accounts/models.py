"""The network: Connecticut's five DPH regions, the care coordination center of each, the towns
that route a family to a region, and the people who sign in (staff, providers, state analysts)."""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Region(models.Model):
    """A DPH care coordination region (North Central, Northwest, Eastern, South Central,
    Southwest)."""

    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Town(models.Model):
    """One of Connecticut's 169 towns. Its region decides which center a referral goes to; an
    administrator can correct it (the reference table is partly derived) and routing follows."""

    class RegionBasis(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed by the regional center's published list"
        DERIVED = "derived_approximation", "Derived approximation (needs DPH confirmation)"

    name = models.CharField(max_length=60, unique=True)
    fips_2022 = models.CharField("2022 Census town code", max_length=10, unique=True)
    county = models.CharField("legacy county", max_length=40)
    planning_region = models.CharField(max_length=80)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="towns")
    region_basis = models.CharField(max_length=24, choices=RegionBasis.choices)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Center(models.Model):
    """The care coordination center serving one region. Exactly one is the hub, which gives
    technical assistance to the other four."""

    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="center")
    is_hub = models.BooleanField(default=False)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+")
    address = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-is_hub", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_hub"], condition=Q(is_hub=True), name="center_single_hub"
            )
        ]

    def __str__(self):
        return self.short_name


class Language(models.Model):
    """A language a family or staff member speaks (BCP 47 code, as FHIR's `communication`
    uses)."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=60)
    name_es = models.CharField("name in Spanish", max_length=60, blank=True)
    native_name = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Care coordinator"
    SUPERVISOR = "supervisor", "Supervisor"
    HUB_TA = "hub_ta", "Hub technical assistance"
    CENTER_ADMIN = "center_admin", "Center administrator"
    PROVIDER = "provider", "Provider (read-only)"
    TITLE_V = "title_v", "State Title V analyst"


class Discipline(models.TextChoices):
    NURSE = "nurse", "Pediatric nurse"
    SOCIAL_WORKER = "social_worker", "Clinical social worker"
    COMMUNITY = "community", "Community care coordinator"


# Roles that work inside one center and must name it.
CENTER_ROLES = {Role.COORDINATOR, Role.SUPERVISOR, Role.HUB_TA, Role.CENTER_ADMIN}


class User(AbstractUser):
    """Everyone who signs in. A user with no role sees nothing (deny by default)."""

    role = models.CharField(max_length=16, choices=Role.choices, blank=True)
    discipline = models.CharField(max_length=16, choices=Discipline.choices, blank=True)
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    practice = models.ForeignKey(
        "families.Practice", on_delete=models.PROTECT, null=True, blank=True,
        related_name="users", help_text="Providers only: the practice whose children they see.",
    )
    languages = models.ManyToManyField(Language, blank=True, related_name="staff")
    fte = models.DecimalField(
        "FTE", max_digits=3, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
    )
    caseload_capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Children this coordinator can carry at full acuity mix."
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        errors = {}
        if self.role in CENTER_ROLES and not self.center_id:
            errors["center"] = f"A {self.get_role_display().lower()} works at a center."
        if self.role == Role.COORDINATOR and not self.discipline:
            errors["discipline"] = "A care coordinator has a discipline."
        if self.role == Role.COORDINATOR and not self.caseload_capacity:
            errors["caseload_capacity"] = "A care coordinator has a caseload capacity."
        if self.role == Role.HUB_TA and self.center_id and not self.center.is_hub:
            errors["center"] = "Hub technical-assistance staff work at the hub center."
        if self.role == Role.PROVIDER and not self.practice_id:
            errors["practice"] = "A provider user is tied to a practice."
        if self.role != Role.PROVIDER and self.practice_id:
            errors["practice"] = "Only provider users are tied to a practice."
        if self.role in (Role.PROVIDER, Role.TITLE_V) and self.center_id:
            errors["center"] = "Providers and Title V analysts do not belong to a center."
        if errors:
            raise ValidationError(errors)
