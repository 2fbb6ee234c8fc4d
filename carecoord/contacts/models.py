"""The contact log: every time the center reached, or tried to reach, a family or someone
working with them, by whatever channel worked."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from carecoord.accounts.models import Language
from carecoord.audit.models import AuditedModel
from carecoord.careplans.models import Action, Goal
from carecoord.families.models import (
    Child,
    ChoiceListValidator,
    ContactChannel,
    Enrollment,
    Guardian,
)


class Channel(models.TextChoices):
    PHONE = ContactChannel.PHONE.value, "Phone call"
    TEXT = ContactChannel.TEXT.value, "Text message"
    EMAIL = ContactChannel.EMAIL.value, "Email"
    VIDEO = ContactChannel.VIDEO.value, "Video call"
    HOME_VISIT = ContactChannel.HOME_VISIT.value, "Home visit"
    SCHOOL_MEETING = ContactChannel.SCHOOL_MEETING.value, "School meeting"
    CLINIC_VISIT = ContactChannel.CLINIC_VISIT.value, "At a provider appointment"
    IN_CENTER = "in_center", "At the center"


class Participant(models.TextChoices):
    GUARDIAN = "guardian", "Parent or guardian"
    CHILD = "child", "Child or youth"
    PCP = "pcp", "Primary care provider"
    SPECIALIST = "specialist", "Specialist"
    SCHOOL = "school_staff", "School staff"
    INTERPRETER = "interpreter", "Interpreter"
    AGENCY = "agency_staff", "Agency staff"
    PEER_FAMILY = "peer_family", "Peer support family"


class Contact(AuditedModel):
    class Direction(models.TextChoices):
        OUTBOUND = "outbound", "We reached out"
        INBOUND = "inbound", "They reached us"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="contacts")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="contacts")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="contacts")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    direction = models.CharField(max_length=8, choices=Direction.choices,
                                 default=Direction.OUTBOUND)
    occurred_at = models.DateTimeField(default=timezone.now)
    reached = models.BooleanField(
        help_text="Did the contact happen? An unanswered call or a missed visit is an attempt.")
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    guardian = models.ForeignKey(Guardian, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="contacts", verbose_name="with guardian")
    participants = models.JSONField(
        default=list, blank=True,
        validators=[ChoiceListValidator("carecoord.contacts.models.Participant")])
    interpreter_language = models.ForeignKey(Language, on_delete=models.PROTECT, null=True,
                                             blank=True, related_name="+")
    notes = models.TextField(blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="contacts",
                                   verbose_name="goals advanced")
    actions = models.ManyToManyField(Action, blank=True, related_name="contacts",
                                     verbose_name="actions advanced")

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["child", "-occurred_at"]),
                   models.Index(fields=["staff", "-occurred_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def participant_labels(self):
        return [Participant(p).label for p in self.participants]


class Task(AuditedModel):
    """Something a coordinator must do for a child by a date: made by hand, after a contact,
    or by the reminder rules (contacts/reminders.py), which give it a rule_key so a rule never
    makes the same task twice."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", "Follow up"
        PLAN_REVIEW = "plan_review", "Care plan review"
        ACTION_OVERDUE = "action_overdue", "Overdue action"
        TRANSITION = "transition", "Transition milestone"
        SCHOOL = "school", "School (IEP/504)"
        PEER_SUPPORT = "peer_support", "Peer support"
        COVERAGE = "coverage", "Coverage and benefits"
        SERVICE_REFERRAL = "service_referral", "Service referral follow-up"
        CONSENT_EXPIRING = "consent_expiring", "Consent expiring"
        NO_RECENT_CONTACT = "no_recent_contact", "No recent contact"
        PROVIDER_COMMENT = "provider_comment", "Provider's answer on the care plan"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DISMISSED = "dismissed", "Dismissed"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="tasks")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="tasks")
    kind = models.CharField(max_length=18, choices=Kind.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_note = models.CharField(max_length=200, blank=True)
    rule_key = models.CharField(max_length=80, blank=True, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="follow_ups")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["assigned_to", "status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["rule_key"], condition=~models.Q(rule_key=""),
                                    name="task_rule_key_unique"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self):
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()
