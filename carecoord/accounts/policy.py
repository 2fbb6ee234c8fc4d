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
    systems (FHIR clients): those attributed to it with a current consent to share with it."""
    from carecoord.families.models import Child, Consent

    if not practice_id:
        return Child.objects.none()
    consented = Consent.objects.filter(
        Consent.current_q(), child=OuterRef("pk"), shared_with_practice_id=practice_id
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
