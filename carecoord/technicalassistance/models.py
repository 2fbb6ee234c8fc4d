"""The hub's technical assistance to the regional centers: requests from a center and their
resolution, consultations (a call or meeting, on a request or on their own), trainings given to
several centers, the follow-ups both leave, and the shared library of templates and materials.
No child's data is ever here."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from carecoord.accounts.models import Center
from carecoord.audit.models import AuditedModel
from carecoord.directory.models import Service
from carecoord.families.models import Versioned

from . import steps, topics
from .storage import library_storage


class Mode(models.TextChoices):
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    ON_SITE = "on_site", "On site"


def _no_future(instance, *names) -> dict:
    today = timezone.localdate()
    return {name: "This date is in the future." for name in names
            if getattr(instance, name) and getattr(instance, name) > today}


class TARequest(Versioned, AuditedModel):
    class Status(models.TextChoices):
        OPEN = steps.OPEN, steps.LABELS[steps.OPEN]
        IN_PROGRESS = steps.IN_PROGRESS, steps.LABELS[steps.IN_PROGRESS]
        RESOLVED = steps.RESOLVED, steps.LABELS[steps.RESOLVED]

    class Urgency(models.TextChoices):
        ROUTINE = "routine", "Routine"
        SOON = "soon", "Within two weeks"
        URGENT = "urgent", "Urgent"

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="ta_requests",
                               help_text="The center asking for help.")
    asked_by_name = models.CharField("who asked", max_length=120)
    asked_by_role = models.CharField("their role", max_length=80, blank=True)
    topic = models.CharField(max_length=40, choices=topics.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    subject = models.CharField(max_length=160)
    description = models.TextField()
    requested_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    started_on = models.DateField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = "technical assistance request"
        indexes = [models.Index(fields=["center", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="resolved") & Q(resolved_on__isnull=False)
                           & ~Q(resolution=""))
                | (~Q(status="resolved") & Q(resolved_on__isnull=True)),
                name="tarequest_resolved_has_date_and_resolution"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(started_on__isnull=False),
                name="tarequest_started_has_date"),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(started_on__gte=F("requested_on")),
                name="tarequest_started_after_request"),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("started_on")),
                name="tarequest_resolved_after_start"),
        ]

    def __str__(self):
        return f"{self.subject} ({self.center})"

    @property
    def topic_label(self) -> str:
        return topics.label(self.topic)

    def next_actions(self) -> list[str]:
        return steps.allowed_actions(self.status)

    def clean(self):
        super().clean()
        errors = _no_future(self, "requested_on", "started_on", "resolved_on")
        if self.topic and self.topic not in topics.catalog():
            errors["topic"] = "Choose a topic from the list."
        if self.requested_on and self.started_on and self.started_on < self.requested_on:
            errors.setdefault("started_on", f"The work starts after the request "
                                            f"({self.requested_on:%b %-d, %Y}).")
        if self.started_on and self.resolved_on and self.resolved_on < self.started_on:
            errors.setdefault("resolved_on", f"The request is resolved after the work started "
                                             f"({self.started_on:%b %-d, %Y}).")
        if self.status == self.Status.RESOLVED and not self.resolution.strip():
            errors["resolution"] = "Say how the request was resolved."
        if errors:
            raise ValidationError(errors)


class RequestComment(AuditedModel):
    """A note on a request from the hub or the asking center's supervisors and administrators."""

    request = models.ForeignKey(TARequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField("comment", max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on {self.request_id}"

    @property
    def audit_center_id(self):
        return self.request.center_id


class Consultation(Versioned, AuditedModel):
    """A call or meeting with one or more centers, on a request or on its own."""

    request = models.ForeignKey(TARequest, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="consultations")
    centers = models.ManyToManyField(Center, related_name="ta_consultations",
                                     help_text="The centers taking part.")
    held_on = models.DateField("date")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    topic = models.CharField(max_length=40, choices=topics.choices)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_mode_display()} consultation on {self.held_on:%b %-d, %Y}"

    @property
    def topic_label(self) -> str:
        return topics.label(self.topic)

    @property
    def audit_center_id(self):
        return self.request.center_id if self.request_id else None

    def clean(self):
        super().clean()
        errors = _no_future(self, "held_on")
        if self.topic and self.topic not in topics.catalog():
            errors["topic"] = "Choose a topic from the list."
        if errors:
            raise ValidationError(errors)


class LibraryItem(Versioned, AuditedModel):
    """A template or material the hub shares with every center (a PDF, DOCX, XLSX or PPTX,
    checked by its content), with links to statewide directory entries."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"
        XLSX = "xlsx", "Excel workbook"
        PPTX = "pptx", "PowerPoint presentation"

    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    topic = models.CharField(max_length=40, choices=topics.choices)
    file = models.FileField(storage=library_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    size = models.PositiveIntegerField()
    services = models.ManyToManyField(
        Service, blank=True, related_name="ta_library_items",
        limit_choices_to={"center__isnull": True}, verbose_name="statewide directory entries")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = "library item"

    def __str__(self):
        return self.title

    @property
    def topic_label(self) -> str:
        return topics.label(self.topic)


class Training(Versioned, AuditedModel):
    """A training the hub gave (a Strengthening Families training), to staff of several
    centers."""

    title = models.CharField(max_length=160)
    held_on = models.DateField("date")
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    trainer = models.CharField(max_length=120)
    topic = models.CharField(max_length=40, choices=topics.choices)
    description = models.TextField(blank=True)
    centers = models.ManyToManyField(Center, related_name="ta_trainings",
                                     help_text="The centers whose staff attend.")
    materials = models.ManyToManyField(LibraryItem, blank=True, related_name="trainings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0),
                                              name="training_hours_positive")]

    def __str__(self):
        return f"{self.title} ({self.held_on:%b %-d, %Y})"

    @property
    def topic_label(self) -> str:
        return topics.label(self.topic)

    @property
    def audit_center_id(self):
        return None  # given to several centers

    def clean(self):
        super().clean()
        errors = {}
        if self.topic and self.topic not in topics.catalog():
            errors["topic"] = "Choose a topic from the list."
        if self.hours is not None and self.hours <= 0:
            errors["hours"] = "Give the length of the training in hours."
        if errors:
            raise ValidationError(errors)


class _OfConsultationOrTraining(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="%(class)ss")
    training = models.ForeignKey(Training, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="%(class)ss")

    class Meta:
        abstract = True

    @property
    def parent(self):
        return self.consultation or self.training


class Attendee(_OfConsultationOrTraining, AuditedModel):
    """Someone from a center at a consultation or a training, by name and role (staff of the
    other centers do not all sign in here)."""

    name = models.CharField(max_length=120)
    role = models.CharField(max_length=80, blank=True)
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["center__name", "name", "pk"]
        constraints = [models.CheckConstraint(
            condition=Q(consultation__isnull=True) ^ Q(training__isnull=True),
            name="attendee_of_consultation_or_training")]

    def __str__(self):
        return f"{self.name}, {self.role}" if self.role else self.name


class FollowUp(_OfConsultationOrTraining, AuditedModel):
    """Something to do after a consultation or a training, by whom and by when."""

    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=120, help_text="Who does it.")
    owner_center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="owner's center")
    due_on = models.DateField("due by")
    done = models.BooleanField(default=False)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["done", "due_on", "pk"]
        verbose_name = "follow-up"
        indexes = [models.Index(fields=["done", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation__isnull=True) ^ Q(training__isnull=True),
                name="followup_of_consultation_or_training"),
            models.CheckConstraint(
                condition=(Q(done=True) & Q(done_on__isnull=False))
                | (Q(done=False) & Q(done_on__isnull=True)),
                name="followup_done_has_date"),
        ]

    def __str__(self):
        return f"{self.description[:60]} ({self.owner}, by {self.due_on})"

    @property
    def audit_center_id(self):
        return self.owner_center_id

    def is_overdue(self, today=None) -> bool:
        return not self.done and self.due_on < (today or timezone.localdate())
