import datetime

from django.utils import timezone

from carecoord.careplans.models import Need, NeedDomain
from carecoord.coverage import services
from carecoord.coverage.models import CoverageApplication

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def start(network, *, program="husky-a", child=None, user=None, checked=None, need=None,
          finding="likely_eligible"):
    return services.start_application(
        user=user or network["nurse.nc"], child=child or network.child_nc,
        application=CoverageApplication(program=program, eligibility_checked_on=checked
                                        or days_ago(30), eligibility_finding=finding,
                                        need=need))


def submitted(network, application, *, on=None, user=None):
    return services.record_submission(
        user=user or network["nurse.nc"], application=application,
        expected_version=application.version, submitted_on=on or days_ago(25),
        submitted_how="online", helped_by="coordinator")


def need(child, domain="financial"):
    return Need.objects.create(
        plan=child.care_plans.get(), domain=NeedDomain.objects.get(code=domain),
        description="Coverage lapsed after the move; bills from the ER visit",
        raised_by="family", family_priority="high", reach="within_reach", opened_on=TODAY)
