"""Writes and sign-ins become audit events here, so no code path can skip them."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Action, AuditedModel
from .services import client_ip, record_event


def _record_write(instance, action, **detail):
    record_event(
        action=action,
        object_type=instance._meta.label_lower,
        object_id=instance.pk,
        child_id=instance.audit_child_id,
        center_id=instance.audit_center_id,
        detail=detail,
    )


@receiver(post_save)
def audit_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, AuditedModel):
        return
    if created:
        _record_write(instance, Action.CREATE)
    else:
        _record_write(instance, Action.UPDATE, fields=instance.changed_fields())
    # What is saved now is the new baseline for the next change.
    instance._loaded_values = {f.attname: getattr(instance, f.attname)
                               for f in instance._meta.concrete_fields}


@receiver(post_delete)
def audit_delete(sender, instance, **kwargs):
    if isinstance(instance, AuditedModel):
        _record_write(instance, Action.DELETE)


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record_event(action=Action.LOGIN, user=user, ip_address=client_ip(request),
                 path=request.path, center_id=user.center_id)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(action=Action.LOGOUT, user=user, ip_address=client_ip(request),
                     path=request.path, center_id=user.center_id)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # The password never reaches the log; the username tried does.
    record_event(
        action=Action.LOGIN_FAILED,
        username=str(credentials.get("username", ""))[:150],
        ip_address=client_ip(request) if request else None,
        path=request.path if request else "",
    )
