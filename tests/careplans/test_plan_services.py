"""The care plan's life: started for an enrollment, written from the family's priorities,
agreed in versions, reviewed on schedule or after a big event, never silently overwritten."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecoord.careplans import services
from carecoord.careplans.models import (
    Action,
    CarePlan,
    CarePlanVersion,
    FamilyPriority,
    Goal,
    Need,
    NeedDomain,
    Strength,
)
from carecoord.careplans.versions import add_months, compare

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def plan(network):
    return CarePlan.objects.get(child=network.child_nc)


def add(network, plan, item, user="nurse.nc"):
    plan.refresh_from_db()
    return services.add_item(user=network[user], plan=plan, expected_version=plan.version,
                             item=item)


def written_plan(network, plan):
    """A plan with a priority, an outside-control need, a goal and an action."""
    add(network, plan, FamilyPriority(text="Que Sofía pueda ir a la escuela sin convulsiones",
                                      translation="That Sofia can go to school without seizures",
                                      language=plan.language))
    need = add(network, plan, Need(
        domain=NeedDomain.objects.get(code="housing"), description="Apartment on 3rd floor, "
        "no elevator; wheelchair coming", raised_by="family", family_priority="high",
        provider_priority="low", reach="outside_control",
        expectation="We can help apply for housing lists; we cannot find an apartment."))
    goal = add(network, plan, Goal(need=need, statement="Apply for accessible housing",
                                   measure="Applications submitted to 2 housing authorities",
                                   target_date=TODAY + datetime.timedelta(days=60)))
    action = add(network, plan, Action(goal=goal, description="Fill in the housing forms",
                                       owner="family", due_on=TODAY + datetime.timedelta(days=14)))
    return need, goal, action


def agree(network, plan, **kwargs):
    plan.refresh_from_db()
    return services.agree(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                          agreed_on=kwargs.get("on", TODAY), how="in_person",
                          guardian=network.child_nc.household.guardians.first())


def test_a_plan_belongs_to_one_open_enrollment_in_the_family_language(network):
    from carecoord.accounts.models import Language
    from tests import factories
    child = factories.child(network.hub, first="Ana", last="Nowak", language_code="en")
    guardian = child.household.guardians.get()
    guardian.preferred_language = Language.objects.get(code="pl")
    guardian.save()
    enrollment = factories.enrolled(child, network["nurse.nc"])
    started = services.start_plan(user=network["nurse.nc"], enrollment=enrollment)
    assert started.status == "draft" and started.language.code == "pl"  # the parent's
    with pytest.raises(ValidationError, match="already has a care plan"):
        services.start_plan(user=network["nurse.nc"], enrollment=enrollment)


def test_only_the_center_coordinators_write_it(network, plan):
    for username in ("nurse.ea", "provider.nc", "ta.hub", "admin.nc"):
        with pytest.raises(PermissionDenied):
            add(network, plan, Strength(text="Close to grandmother"), user=username)


def test_a_need_outside_the_center_control_needs_the_expectation_set(network, plan):
    with pytest.raises(ValidationError) as refused:
        add(network, plan, Need(domain=NeedDomain.objects.get(code="housing"),
                                description="Affordable apartment", raised_by="family",
                                family_priority="high", reach="outside_control"))
    assert "expectation" in refused.value.message_dict
    assert not Need.objects.exists()


def test_provider_and_family_priorities_that_differ_are_flagged(network, plan):
    need = add(network, plan, Need(domain=NeedDomain.objects.get(code="early_intervention"),
                                   description="Birth to Three evaluation", raised_by="pcp",
                                   family_priority="low", provider_priority="high",
                                   reach="within_reach"))
    food = add(network, plan, Need(domain=NeedDomain.objects.get(code="food"),
                                   description="WIC", raised_by="family", family_priority="high",
                                   reach="within_reach"))
    assert need.priorities_differ and not food.priorities_differ


def test_agreement_freezes_a_version_and_sets_the_review(network, plan):
    written_plan(network, plan)
    version = agree(network, plan, on=datetime.date(2026, 8, 31))
    plan.refresh_from_db()
    assert plan.status == "agreed" and plan.current_version == version
    assert version.number == 1 and version.review_due_on == datetime.date(2027, 2, 28)
    assert version.snapshot["needs"][0]["reach"] == "outside_control"
    with pytest.raises(ValidationError):
        version.save()


def test_review_interval_is_configurable(network, plan, settings):
    settings.CAREPLAN_REVIEW_MONTHS = 3
    written_plan(network, plan)
    assert agree(network, plan, on=datetime.date(2026, 1, 15)).review_due_on == datetime.date(
        2026, 4, 15)


def test_no_agreement_without_priorities_and_goals_or_without_who(network, plan):
    with pytest.raises(ValidationError, match="family priority"):
        agree(network, plan)
    written_plan(network, plan)
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="who agreed"):
        services.agree(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                       agreed_on=TODAY, how="phone")


def test_progress_keeps_the_agreed_version_current_and_goes_into_version_two(network, plan):
    need, goal, action = written_plan(network, plan)
    agree(network, plan)
    plan.refresh_from_db()
    services.update_item(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                         item=action, status="done")
    plan.refresh_from_db()
    assert plan.status == "agreed" and plan.current_version.number == 1
    assert plan.version > plan.current_version.plan_version  # progress since the agreement
    action.refresh_from_db()
    assert action.completed_on == TODAY
    second = agree(network, plan)
    first = plan.versions.get(number=1)
    sections = {s.section: s for s in compare(first.snapshot, second.snapshot)}
    changed = [i for i in sections["actions"].items if i.kind == "changed"]
    assert [(c.field, c.before, c.after) for c in changed[0].changes] == [
        ("completed_on", None, TODAY.isoformat()), ("status", "to_do", "done")]
    assert not sections["needs"].changed


def test_a_change_of_content_after_agreement_is_the_draft_of_the_next_version(network, plan):
    need, goal, action = written_plan(network, plan)
    agree(network, plan)
    plan.refresh_from_db()
    services.update_item(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                         item=action, description="Send the letter and call the landlord")
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.current_version.number == 1


def test_a_stale_change_is_refused_not_applied(network, plan):
    stale = plan.version
    add(network, plan, Strength(text="Big family network"), user="social.nc")
    with pytest.raises(services.PlanChanged):
        services.add_item(user=network["nurse.nc"], plan=plan, expected_version=stale,
                          item=Strength(text="Loves music"))
    assert list(Strength.objects.values_list("text", flat=True)) == ["Big family network"]


def test_a_big_event_makes_a_review_due_now(network, plan):
    written_plan(network, plan)
    agree(network, plan)
    plan.refresh_from_db()
    with pytest.raises(ValidationError):
        services.call_review(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                             reason=" ")
    services.call_review(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                         reason="Hospital stay for status epilepticus")
    plan.refresh_from_db()
    assert plan.review_due_on == TODAY and "Hospital" in plan.review_reason


def test_closing_a_goal_needs_an_outcome_and_an_action_done_has_a_date(network, plan):
    need, goal, action = written_plan(network, plan)
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="outcome"):
        services.update_item(user=network["nurse.nc"], plan=plan,
                             expected_version=plan.version, item=goal, status="met")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status="done")


def test_a_met_need_gets_its_closing_date(network, plan):
    need, _, _ = written_plan(network, plan)
    plan.refresh_from_db()
    services.update_item(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                         item=need, status="unmet", outcome="No accessible units on the list")
    need.refresh_from_db()
    assert need.closed_on == TODAY


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 11, 15), 6) == datetime.date(2027, 5, 15)


def test_plan_writes_are_audited_under_the_child(network, plan):
    from carecoord.audit.models import AuditEvent
    add(network, plan, Strength(text="Big family network"))
    event = AuditEvent.objects.filter(object_type="careplans.strength").get()
    assert event.child_id == network.child_nc.pk and event.action == "create"
    assert CarePlanVersion.objects.count() == 0  # nothing agreed yet
