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


def test_transition_milestone_comes_once_at_the_birthday_not_for_missed_years():
    def child(born, enrolled=datetime.date(2020, 1, 1)):
        return r.ChildRow(10, 5, born, enrolled, None)

    just_14 = r.transition_milestones([child(datetime.date(2012, 11, 20))], TODAY)
    assert [(x.title[:25], x.due_on, x.rule_key) for x in just_14] == [
        ("Transition (age 14): Star", datetime.date(2026, 11, 20), "transition:10:14")]
    assert r.transition_milestones([child(datetime.date(2015, 1, 1))], TODAY) == []  # 11
    # At 17 the age-16 step is still offered (a youth enrolled late catches up); at 20 the
    # age-18 step is more than a year old and the age-21 one not yet due: nothing.
    assert "(age 16)" in r.transition_milestones([child(datetime.date(2009, 5, 1))],
                                                 TODAY)[0].title
    assert r.transition_milestones([child(datetime.date(2006, 6, 1))], TODAY) == []
    # Enrolled after the birthday: due from the enrollment, not in the past.
    late = r.transition_milestones([child(datetime.date(2008, 6, 1),
                                          enrolled=datetime.date(2026, 9, 1))], TODAY)
    assert late[0].due_on == datetime.date(2026, 9, 1) and "(age 18)" in late[0].title
    leap = r.transition_milestones([child(datetime.date(2012, 2, 29))],
                                   datetime.date(2026, 3, 2))
    assert leap[0].due_on == datetime.date(2026, 3, 1)


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
