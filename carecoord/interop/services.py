"""Writes that arrive through the FHIR API."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from carecoord.families import services as families

from . import intake
from .models import BackendClient, ReceivedReferral


@dataclass
class ReferralReceipt:
    referral_id: int
    child_id: int
    created: bool  # False: this identifier was received before; nothing was written


def receive_referral_bundle(client: BackendClient, bundle) -> ReferralReceipt:
    """Create the referral in `bundle` in the intake queue of the family's center, once per
    ServiceRequest identifier. Raises intake.BadBundle (nothing written) when it cannot."""
    received = intake.read_bundle(bundle, sender_name=client.practice.name)
    earlier = _earlier(client, received)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            result = families.receive_electronic_referral(sent=received.sent)
            ReceivedReferral.objects.create(
                client=client, identifier_system=received.identifier_system,
                identifier_value=received.identifier_value, referral=result.referral)
    except IntegrityError:
        # The same Bundle sent twice at once: the other request wrote it.
        earlier = _earlier(client, received)
        if earlier is None:
            raise
        return earlier
    return ReferralReceipt(result.referral.pk, result.referral.child_id, created=True)


def _earlier(client, received) -> ReferralReceipt | None:
    row = (ReceivedReferral.objects.filter(
        client=client, identifier_system=received.identifier_system,
        identifier_value=received.identifier_value).select_related("referral").first())
    if row is None:
        return None
    return ReferralReceipt(row.referral_id, row.referral.child_id, created=False)
