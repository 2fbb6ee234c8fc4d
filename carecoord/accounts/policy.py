"""Who may see and do what: the one place access is decided. Every selector starts from these
querysets, so a record outside a user's scope simply does not exist for them (views answer 404,
not 403, so the existence of a child is not revealed). Anything not granted here is denied."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import CENTER_ROLES, Center, Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role)


# ---------------------------------------------------------------- children


def children_for(user) -> QuerySet:
    """The children whose records `user` may open."""
    from carecoord.families.models import Child

    if not _active(user):
        return Child.objects.none()
    if user.role in (Role.COORDINATOR, Role.SUPERVISOR, Role.HUB_TA, Role.CENTER_ADMIN):
        return Child.objects.filter(center_id=user.center_id)
    if user.role == Role.PROVIDER and user.practice_id:
        return children_for_practice(user.practice_id)
    return Child.objects.none()


def children_for_practice(practice_id: int | None) -> QuerySet:
    """The children a practice may see, through its providers' sign-ins or its registered
    systems (FHIR clients): those attributed to it with a current consent to share the care
    plan (or the full record) with it. A consent for something narrower (education, peer
    support contact details) opens nothing here."""
    from carecoord.families.models import Child, Consent

    if not practice_id:
        return Child.objects.none()
    consented = Consent.objects.filter(
        Consent.current_q(), child=OuterRef("pk"), shared_with_practice_id=practice_id,
        scope__in=(Consent.Scope.CARE_PLAN, Consent.Scope.FULL_RECORD),
    )
    return Child.objects.filter(Exists(consented), pcp_practice_id=practice_id)


def can_see_child_records(user) -> bool:
    return _active(user) and user.role in (
        Role.COORDINATOR, Role.SUPERVISOR, Role.HUB_TA, Role.CENTER_ADMIN, Role.PROVIDER
    )


def can_edit_child(user, child) -> bool:
    return (
        _active(user)
        and user.role in (Role.COORDINATOR, Role.SUPERVISOR)
        and child.center_id == user.center_id
    )


def can_see_contacts(user) -> bool:
    """The contact log is the center's working record, not part of the shared plan."""
    return _active(user) and user.role in CENTER_ROLES


def can_see_school_records(user) -> bool:
    """IEP/504 meetings and school contacts: the center's working record, not part of the
    plan shared with providers."""
    return _active(user) and user.role in CENTER_ROLES


def can_see_peer_support(user) -> bool:
    """Support parents and matches are known to the center's staff, never shown to providers."""
    return _active(user) and user.role in CENTER_ROLES


def can_assign_caseloads(user) -> bool:
    """The unassigned queue and rebalancing: supervisors, for their own center."""
    return _active(user) and user.role == Role.SUPERVISOR and bool(user.center_id)


def can_manage_enrollment(user, child) -> bool:
    """Reassign the coordinator, discharge: supervisors of the child's center."""
    return (_active(user) and user.role == Role.SUPERVISOR
            and child.center_id == user.center_id)


def can_export_children(user) -> bool:
    return _active(user) and user.role in CENTER_ROLES


def has_caseload(user) -> bool:
    return _active(user) and user.role in (Role.COORDINATOR, Role.SUPERVISOR)


def can_see_directory(user) -> bool:
    """The community resource directory is the centers' working tool."""
    return _active(user) and user.role in CENTER_ROLES and bool(user.center_id)


def directory_services_for(user) -> QuerySet:
    """Community resource directory entries `user` may open: the statewide ones (kept by the
    hub) and their own center's local ones. Another center's local entry does not exist for
    them."""
    from carecoord.directory.models import Service

    if not can_see_directory(user):
        return Service.objects.none()
    return Service.objects.filter(Q(center__isnull=True) | Q(center_id=user.center_id))


def can_edit_directory_service(user, service) -> bool:
    """Statewide entries: the hub's technical assistance, supervisors and administrators.
    A center's local entries: that center's staff."""
    if not can_see_directory(user):
        return False
    if service.center_id is None:
        return user.role in (Role.HUB_TA, Role.SUPERVISOR, Role.CENTER_ADMIN) and (
            user.center.is_hub)
    return service.center_id == user.center_id


# ---------------------------------------------------------------- service referrals


def service_referrals_for(user) -> QuerySet:
    """Referrals to community services `user` may open: those of the children they may open
    (a provider follows the loop for the children shared with their practice). Recording
    them is for those who may edit the child (can_edit_child)."""
    from carecoord.servicereferrals.models import ServiceReferral

    if not can_see_child_records(user):
        return ServiceReferral.objects.none()
    return ServiceReferral.objects.filter(child__in=children_for(user))


def unmet_needs_centers_for(user) -> QuerySet:
    """Centers whose unmet-needs counts `user` may see, by region, domain and town: hub
    technical assistance and the state's Title V analysts every center; a center's other staff
    their own. Counts only, never a child: providers see none."""
    if not _active(user):
        return Center.objects.none()
    if user.role in (Role.HUB_TA, Role.TITLE_V):
        return Center.objects.all()
    if user.role in (Role.COORDINATOR, Role.SUPERVISOR, Role.CENTER_ADMIN) and user.center_id:
        return Center.objects.filter(pk=user.center_id)
    return Center.objects.none()


# ---------------------------------------------------------------- referrals and enrollment


def can_see_referrals(user) -> bool:
    return _active(user) and user.role in CENTER_ROLES


def referrals_for(user) -> QuerySet:
    """Referrals `user` may open: those of the children they may open, at their center."""
    from carecoord.families.models import Referral

    if not can_see_referrals(user):
        return Referral.objects.none()
    # Center roles see their center's children (children_for), so this is the same scope
    # written as a join the database plans well at any size.
    return Referral.objects.filter(center_id=user.center_id, child__center_id=user.center_id)


def can_take_referrals(user) -> bool:
    """Enter a new referral at intake."""
    return _active(user) and user.role in (Role.COORDINATOR, Role.SUPERVISOR, Role.CENTER_ADMIN)


def can_screen_referral(user, referral) -> bool:
    return (_active(user) and user.role in (Role.COORDINATOR, Role.SUPERVISOR)
            and referral.center_id == user.center_id)


def can_decide_referral(user, referral) -> bool:
    """Accept, decline and enroll (with the first coordinator assignment): supervisors."""
    return (_active(user) and user.role == Role.SUPERVISOR
            and referral.center_id == user.center_id)


def assignable_coordinators(user) -> QuerySet:
    from .models import User

    if not _active(user) or user.role != Role.SUPERVISOR:
        return User.objects.none()
    return User.objects.filter(center_id=user.center_id, role=Role.COORDINATOR, is_active=True)


# ---------------------------------------------------------------- centers and the network


def center_overview_for(user) -> QuerySet:
    """Centers whose named overview (children, referrals, caseloads) `user` may open."""
    if _active(user) and user.role in (Role.SUPERVISOR, Role.CENTER_ADMIN, Role.HUB_TA):
        return Center.objects.filter(pk=user.center_id)
    return Center.objects.none()


def network_aggregates_for(user) -> QuerySet:
    """Centers whose counts (never names) `user` may compare."""
    if _active(user) and user.role in (Role.HUB_TA, Role.TITLE_V):
        return Center.objects.all()
    return Center.objects.none()


def can_see_population_runs(user) -> bool:
    """Population file runs: the counts and, for the state's own claims identifiers, the
    result files. Hub technical assistance and the Title V program."""
    return _active(user) and user.role in (Role.HUB_TA, Role.TITLE_V)


# ---------------------------------------------------------------- the audit log


def can_read_audit(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (
        user.is_superuser or user.role == Role.CENTER_ADMIN))


def audit_events_for(user) -> QuerySet:
    from carecoord.audit.models import AuditEvent

    if user and user.is_authenticated and user.is_active and user.is_superuser:
        return AuditEvent.objects.all()
    if _active(user) and user.role == Role.CENTER_ADMIN:
        staff_ids = user.center.staff.values("pk")
        return AuditEvent.objects.filter(Q(center_id=user.center_id) | Q(actor_id__in=staff_ids))
    return AuditEvent.objects.none()


# ---------------------------------------------------------------- sharing the plan (sharing/)


def can_see_plan_shares(user, child) -> bool:
    """What was sent to whom, the recipients blocked and the providers' answers: the center's
    staff of the child's center (the child already in children_for)."""
    return _active(user) and user.role in CENTER_ROLES and child.center_id == user.center_id


def can_share_care_plan(user, child) -> bool:
    """Send an agreed version to the care team: whoever may edit the child's plan."""
    return can_edit_child(user, child)


def can_work_fax_queue(user) -> bool:
    """The center's outgoing faxes: its staff."""
    return _active(user) and user.role in CENTER_ROLES and bool(user.center_id)


def fax_entries_for(user) -> QuerySet:
    """Faxes `user` may see, download and mark: those their own center queued."""
    from carecoord.sharing.models import FaxQueueEntry

    if not can_work_fax_queue(user):
        return FaxQueueEntry.objects.none()
    return FaxQueueEntry.objects.filter(center_id=user.center_id)


def can_see_shared_plans(user) -> bool:
    """The provider view ("Shared care plans"): provider sign-ins tied to a practice."""
    return _active(user) and user.role == Role.PROVIDER and bool(user.practice_id)


def shared_children_for(user) -> QuerySet:
    """The provider view: the children of the provider's practice that it may see (attributed,
    with a current consent to share with it: children_for_practice). Nobody else."""
    from carecoord.families.models import Child

    if can_see_shared_plans(user):
        return children_for_practice(user.practice_id)
    return Child.objects.none()


def can_respond_to_plan(user, child) -> bool:
    """Acknowledge or comment on a child's agreed plan: a provider of the practice that may
    see the child."""
    return shared_children_for(user).filter(pk=child.pk).exists()


def contact_summaries_for(user, child) -> QuerySet:
    """Contacts a provider may see on the provider view: the child's, as date, channel and
    whether the family was reached (the selector reads only those fields). The notes, which
    may hold behavioral health or family detail, stay the center's working record
    (can_see_contacts)."""
    from carecoord.contacts.models import Contact

    if not can_respond_to_plan(user, child):
        return Contact.objects.none()
    return Contact.objects.filter(child=child)


# ---------------------------------------------------------------- Title V reporting
# Title V analysts and hub technical assistance compare every center; a center's supervisors
# and administrators report on their own. Everyone else gets a 404.

# Staff of a center who may see its children's names in its export.
TITLE_V_CENTER_REPORTERS = (Role.SUPERVISOR, Role.CENTER_ADMIN, Role.HUB_TA)


def reporting_centers_for(user) -> QuerySet:
    return (network_aggregates_for(user) | center_overview_for(user)).distinct()


def may_receive_identified(user, center) -> bool:
    """An identified Title V export goes to the state (Title V analysts), for whom the
    center's setting is made, and to the center's own staff. Hub technical assistance compares
    other centers by their counts, so it gets their files de-identified."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.role == Role.TITLE_V or (user.role in TITLE_V_CENTER_REPORTERS
                                         and user.center_id == center.pk)


def identified_for(user, centers, identified_center_ids) -> bool:
    """A file names children only if every center in it is set to identified and the user may
    receive each center's names: a file mixing centers is otherwise de-identified throughout."""
    return bool(centers) and all(
        c.pk in identified_center_ids and may_receive_identified(user, c) for c in centers)


# ---------------------------------------------------------------- technical assistance
# The hub's technical assistance staff log and edit everything, for any center; a center's
# supervisors and administrators see their own center's history and comment on its open
# requests; coordinators see the shared library only. Never a child.


def can_give_technical_assistance(user) -> bool:
    return (_active(user) and user.role == Role.HUB_TA and bool(user.center_id)
            and user.center.is_hub)


def ta_centers_for(user) -> QuerySet:
    """Centers whose technical assistance history (requests, consultations, trainings) `user`
    may see."""
    if can_give_technical_assistance(user):
        return Center.objects.all()
    if _active(user) and user.role in (Role.SUPERVISOR, Role.CENTER_ADMIN) and user.center_id:
        return Center.objects.filter(pk=user.center_id)
    return Center.objects.none()


def ta_requests_for(user) -> QuerySet:
    from carecoord.technicalassistance.models import TARequest

    return TARequest.objects.filter(center__in=ta_centers_for(user))


def ta_consultations_for(user) -> QuerySet:
    """Consultations with one of the user's centers taking part (or on its request)."""
    from carecoord.technicalassistance.models import Consultation

    centers = ta_centers_for(user)
    took_part = Consultation.centers.through.objects.filter(consultation=OuterRef("pk"),
                                                           center__in=centers)
    return Consultation.objects.filter(Exists(took_part) | Q(request__center__in=centers))


def ta_trainings_for(user) -> QuerySet:
    from carecoord.technicalassistance.models import Training

    took_part = Training.centers.through.objects.filter(training=OuterRef("pk"),
                                                       center__in=ta_centers_for(user))
    return Training.objects.filter(Exists(took_part))


def can_comment_on_ta_request(user, request) -> bool:
    """The hub on any request; a center's supervisors and administrators on their center's
    requests that are not yet resolved (request already in ta_requests_for)."""
    return can_give_technical_assistance(user) or (
        ta_centers_for(user).filter(pk=request.center_id).exists()
        and request.status != "resolved")


def can_see_ta_library(user) -> bool:
    """The shared library of templates and materials: every center's staff."""
    return _active(user) and user.role in CENTER_ROLES and bool(user.center_id)


# ---------------------------------------------------------------- program measures (reporting/)
# A center's supervisors and administrators see their own center's measures, down to each
# coordinator; hub technical assistance and the Title V analysts compare every center, by
# center only. Coordinators and providers see none.


def program_measure_centers_for(user) -> QuerySet:
    if _active(user) and user.role in (Role.HUB_TA, Role.TITLE_V):
        return Center.objects.all()
    if _active(user) and user.role in (Role.SUPERVISOR, Role.CENTER_ADMIN) and user.center_id:
        return Center.objects.filter(pk=user.center_id)
    return Center.objects.none()


def program_measures_own_center_ids(user) -> set[int]:
    """Centers whose measures `user` reads unsuppressed: their own center's staff (hub
    technical assistance included, for the hub). Every other center's counts, and everything
    the Title V analysts read, go out with small counts suppressed."""
    if _active(user) and user.role in (Role.SUPERVISOR, Role.CENTER_ADMIN, Role.HUB_TA) and (
            user.center_id):
        return {user.center_id}
    return set()


def can_drill_down_to_coordinators(user) -> bool:
    """The measures by coordinator: a center's supervisors and administrators, their own."""
    return _active(user) and user.role in (Role.SUPERVISOR, Role.CENTER_ADMIN) and bool(
        user.center_id)
