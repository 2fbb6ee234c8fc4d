import datetime

from django.utils import timezone

from carecoord.careplans.models import Need, NeedDomain
from carecoord.connections import services
from carecoord.connections.models import OrganizationConnection
from carecoord.families.models import Diagnosis

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def diagnosis(child, code="Q90.9", description="Down syndrome, unspecified"):
    return Diagnosis.objects.create(child=child, code=code, description=description,
                                    recorded_on=days_ago(100), source="Referral")


def add(network, *, organization="ndss", child=None, user=None, **fields):
    return services.add_connection(
        user=user or network["nurse.nc"], child=child or network.child_nc,
        connection=OrganizationConnection(organization=organization,
                                          suggested_on=fields.pop("suggested_on", days_ago(30)),
                                          **fields))


def advance(network, connection, status, *, on=None, user=None, **fields):
    connection.refresh_from_db()
    return services.advance(user=user or network["nurse.nc"], connection=connection,
                            expected_version=connection.version, status=status,
                            on=on or TODAY, **fields)


def need(child, domain="diagnosis_organization"):
    return Need.objects.create(
        plan=child.care_plans.get(), domain=NeedDomain.objects.get(code=domain),
        description="Meet other families who live with Down syndrome", raised_by="family",
        family_priority="medium", reach="within_reach", opened_on=TODAY)
