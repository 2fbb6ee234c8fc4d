"""The audit log: an append-only record of who read or changed what, when and from where."""

from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    VIEW = "view", "Viewed a record"
    LIST = "list", "Listed records"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    LOGIN_FAILED = "login_failed", "Failed sign-in"


class AppendOnly(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnly("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Plain ids, not foreign keys: the log outlives what it describes and is never rewritten.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150)
    action = models.CharField(max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    center_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit events cannot be deleted.")


class AuditedModel(models.Model):
    """A model whose every create, update and delete is written to the audit log (see
    signals.py). Subclasses say which child and center a row belongs to, when that is not the
    obvious `child_id` / `center_id`."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values))
        return instance

    def changed_fields(self) -> list[str]:
        loaded = getattr(self, "_loaded_values", None)
        if loaded is None:
            return []
        # auto_now timestamps change on every save and say nothing about what was edited.
        automatic = {f.attname for f in self._meta.concrete_fields if getattr(f, "auto_now", False)}
        return sorted(
            name for name, value in loaded.items()
            if name not in automatic and getattr(self, name, value) != value
        )

    @property
    def audit_child_id(self):
        if self._meta.model_name == "child":
            return self.pk
        return getattr(self, "child_id", None)

    @property
    def audit_center_id(self):
        return getattr(self, "center_id", None)
