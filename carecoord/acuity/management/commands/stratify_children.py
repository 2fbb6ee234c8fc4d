"""Re-stratify every enrolled child (or all children), e.g. after an administrator edited the
tier matrix or the social scoring (carecoord/stratification/data/). Only changed results are
stored; the run is one audit event."""

from django.core.management.base import BaseCommand

from carecoord.acuity.models import Stratification
from carecoord.acuity.services import stratify_many
from carecoord.audit.models import Action
from carecoord.audit.services import record_event
from carecoord.families.models import Child


class Command(BaseCommand):
    help = "Re-stratify children after the scoring rules changed."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true",
                            help="Every child on file, not only those enrolled now.")

    def handle(self, *args, **options):
        children = (Child.objects.all() if options["all"] else
                    Child.objects.filter(enrollments__discharge_date__isnull=True).distinct())
        changed = stratify_many(children, trigger=Stratification.Trigger.RULES)
        record_event(action=Action.UPDATE, object_type="acuity.stratification",
                     detail={"changed": changed, "all": options["all"]})
        self.stdout.write(f"{changed} children have a new result.")
