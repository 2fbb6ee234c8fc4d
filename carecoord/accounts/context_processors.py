from . import policy


def navigation(request):
    """The menu shows only what the signed-in user may open."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {
        "nav": {
            "caseload": policy.can_see_child_records(user),
            "my_caseload": policy.has_caseload(user),
            "my_day": policy.has_caseload(user),
            "intake": policy.can_take_referrals(user),
            "center": policy.center_overview_for(user).exists(),
            "network": policy.network_aggregates_for(user).exists(),
            "audit": policy.can_read_audit(user),
            "referrals": policy.can_see_referrals(user),
            "directory": policy.can_see_directory(user),
            "shared_plans": policy.can_see_shared_plans(user),
            "unmet_needs": policy.unmet_needs_centers_for(user).exists(),
            "fax_queue": policy.can_work_fax_queue(user),
            "reports": policy.program_measure_centers_for(user).exists(),
            "technical_assistance": policy.can_see_ta_library(user),
        }
    }
