"""Re-stratify a child when something the tier depends on arrives: a diagnosis, a social needs
screening or protective factors assessment, an enrollment. After the commit, so a rolled-back
write leaves no result behind."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from carecoord.audit.context import current_actor
from carecoord.careplans.models import Assessment
from carecoord.families.models import Diagnosis, Enrollment

from .models import Stratification


def _later(child_id: int, trigger: str):
    actor = current_actor()

    def run():
        from carecoord.accounts.models import User
        from carecoord.families.models import Child

        from .services import stratify_child

        user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
        stratify_child(Child(pk=child_id), trigger=trigger, user=user)

    transaction.on_commit(run)


@receiver(post_save, sender=Diagnosis, dispatch_uid="acuity-diagnosis")
def diagnosis_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _later(instance.child_id, Stratification.Trigger.DIAGNOSIS)


@receiver(post_save, sender=Assessment, dispatch_uid="acuity-screening")
def screening_recorded(sender, instance, created, raw=False, **kwargs):
    from .services import SCREENINGS

    if created and not raw and instance.instrument_id in SCREENINGS:
        _later(instance.child_id, Stratification.Trigger.SCREENING)


@receiver(post_save, sender=Enrollment, dispatch_uid="acuity-intake")
def enrolled(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _later(instance.child_id, Stratification.Trigger.INTAKE)
