"""Each reminder rule on its own, from plain rows."""

import datetime

from carecoord.contacts import reminders as r

TODAY = datetime.date(2026, 11, 25)


def test_plan_review_reminds_two_weeks_ahead_and_when_overdue():
    plans = [r.PlanRow(1, 10, 5, TODAY + datetime.timedelta(days=14)),
             r.PlanRow(2, 11, 5, TODAY + datetime.timedelta(days=15)),
             r.PlanRow(3, 12, 5, TODAY - datetime.timedelta(days=40)),
             r.PlanRow(4, 13, 5, None)]
    due = r.plan_reviews(plans, TODAY)
    assert [(x.child_id, x.due_on) for x in due] == [
        (10, TODAY + datetime.timedelta(days=14)), (12, TODAY - datetime.timedelta(days=40))]
    assert due[0].rule_key == "plan_review:1:2026-12-09"


def test_overdue_actions_only_after_their_due_date():
    actions = [r.ActionRow(1, 10, 5, "Call the school", "family", TODAY),
               r.ActionRow(2, 10, 5, "Send the IEP letter", "coordinator",
                           TODAY - datetime.timedelta(days=1))]
    due = r.overdue_actions(actions, TODAY)
    assert [x.title for x in due] == ["Overdue (coordinator): Send the IEP letter"]


def test_an_old_backlog_of_overdue_actions_is_left_to_the_review():
    def action(pk, days_late):
        return r.ActionRow(pk, 10, 5, f"Action {pk}", "family",
                           TODAY - datetime.timedelta(days=days_late))

    due = r.overdue_actions([action(1, 30), action(2, 31), action(3, 200)], TODAY)
    assert [x.rule_key for x in due] == [
        f"action_overdue:1:{TODAY - datetime.timedelta(days=30)}"]


def test_transition_reminds_the_next_core_element_the_youth_needs():
    def child(born, enrolled=datetime.date(2020, 1, 1)):
        return r.ChildRow(10, 5, born, enrolled, None)

    def titles(born, done=None, **extra):
        rows = {10: r.TransitionRow(done or {}, **extra)}
        return [(x.title, x.due_on) for x in r.transition_milestones([child(born)], TODAY, rows)]

    assert titles(datetime.date(2015, 1, 1)) == []  # 11: nothing yet
    assert titles(datetime.date(2014, 11, 20)) == [
        ("Transition: Transition policy / guide (element 1)", datetime.date(2026, 11, 20))]
    # Policy shared at 12: at 14 tracking comes next; at 15 with tracking done, readiness.
    shared = {"transition_policy": datetime.date(2025, 1, 1)}
    assert titles(datetime.date(2012, 11, 20), shared)[0][0].startswith(
        "Transition: Tracking and monitoring")
    assert titles(datetime.date(2011, 6, 1), {
        **shared, "tracking_monitoring": datetime.date(2025, 7, 1)})[0][0].startswith(
        "Transition: Transition readiness")
    # Readiness comes round again a year after the last assessment.
    ready = {**shared, "tracking_monitoring": datetime.date(2025, 7, 1),
             "transition_planning": datetime.date(2025, 7, 1),
             "transition_readiness": datetime.date(2025, 10, 1)}
    again = r.transition_milestones([child(datetime.date(2010, 6, 1))], TODAY,
                                    {10: r.TransitionRow(ready)})
    assert again[0].rule_key == "transition:10:transition_readiness:2026-10-01"
    # At 22 without a transfer, the transfer is overdue; after it, completion at 3-6 months.
    assert titles(datetime.date(2004, 6, 1), ready)[0][0] == (
        "Transition (overdue): Transfer of care (element 5)")
    moved = {**ready, "transfer_of_care": datetime.date(2026, 7, 1)}
    assert titles(datetime.date(2006, 6, 1), moved) == [
        ("Transition: Transfer completion (element 6)", datetime.date(2026, 10, 1))]
    assert titles(datetime.date(2006, 6, 1), moved,
                  last_pediatric_visit_on=datetime.date(2026, 9, 1)) == []  # only 2 months


def test_transition_reminder_is_not_dated_before_the_enrollment():
    late = r.transition_milestones(
        [r.ChildRow(10, 5, datetime.date(2014, 2, 1), datetime.date(2026, 9, 1), None)], TODAY)
    assert late[0].due_on == datetime.date(2026, 9, 1)


def test_consent_renewal_within_thirty_days():
    consents = [r.ConsentRow(1, 10, 5, "Asylum Hill Pediatrics",
                             TODAY + datetime.timedelta(days=30)),
                r.ConsentRow(2, 10, 5, "School", TODAY + datetime.timedelta(days=31))]
    due = r.expiring_consents(consents, TODAY)
    assert [x.title for x in due] == ["Renew the consent to share with Asylum Hill Pediatrics"]
    assert due[0].due_on == TODAY


def test_no_recent_contact_counts_from_the_last_reached_contact_or_enrollment():
    rows = [r.ChildRow(10, 5, datetime.date(2015, 1, 1), datetime.date(2026, 1, 1),
                       TODAY - datetime.timedelta(days=30)),
            r.ChildRow(11, 5, datetime.date(2015, 1, 1), datetime.date(2026, 1, 1),
                       TODAY - datetime.timedelta(days=29)),
            r.ChildRow(12, 5, datetime.date(2015, 1, 1), TODAY - datetime.timedelta(days=45),
                       None)]
    due = r.no_recent_contact(rows, TODAY)
    assert [x.child_id for x in due] == [10, 12]
    assert due[1].rule_key == f"no_recent_contact:12:{TODAY - datetime.timedelta(days=45)}"


def test_no_recent_contact_is_for_high_tiers_and_children_not_stratified_yet():
    lapsed = TODAY - datetime.timedelta(days=40)
    rows = [r.ChildRow(n, 5, datetime.date(2015, 1, 1), datetime.date(2026, 1, 1), lapsed, tier)
            for n, tier in ((1, 1), (2, 2), (3, 3), (4, 4), (5, None))]
    assert [x.child_id for x in r.no_recent_contact(rows, TODAY)] == [3, 4, 5]
