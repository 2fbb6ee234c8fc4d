"""The consent check in words, on consents built in memory (no database)."""

import datetime

from carecoord.families.models import Consent
from carecoord.sharing.consent import consent_to_share

ON = datetime.date(2026, 11, 25)
HARTFORD = 7


def consent(pk, *, scope="care_plan", given=datetime.date(2025, 3, 1),
            expires=datetime.date(2026, 3, 1), revoked=None, practice=HARTFORD, other=""):
    return Consent(pk=pk, scope=scope, given_on=given, expires_on=expires, revoked_on=revoked,
                   shared_with_practice_id=practice if not other else None,
                   shared_with_other=other)


def check(consents, **recipient):
    recipient.setdefault("practice_id", HARTFORD)
    return consent_to_share(consents, name="Hartford Pediatrics", on=ON, **recipient)


def test_an_expired_consent_blocks_with_its_date():
    assert check([consent(1)]) == (
        None, "No current consent to share with Hartford Pediatrics (expired 2026-03-01)")


def test_a_revoked_consent_blocks_with_the_day_it_was_revoked():
    revoked = consent(1, expires=datetime.date(2027, 3, 1), revoked=datetime.date(2026, 6, 2))
    assert check([revoked])[1] == ("No current consent to share with Hartford Pediatrics "
                                   "(revoked 2026-06-02)")


def test_no_consent_at_all_and_a_consent_for_something_else():
    assert check([])[1] == "No consent on file to share with Hartford Pediatrics"
    other_practice = consent(1, practice=99, expires=datetime.date(2027, 1, 1))
    assert check([other_practice])[1] == "No consent on file to share with Hartford Pediatrics"
    school = consent(2, scope="education", expires=datetime.date(2027, 1, 1))
    assert check([school])[1] == (
        "No consent to share the care plan with Hartford Pediatrics (the consent on file "
        "covers Education (IEP/504) information only)")


def test_a_consent_not_yet_started():
    later = consent(1, given=datetime.date(2026, 12, 1), expires=datetime.date(2027, 12, 1))
    assert check([later])[1] == ("No current consent to share with Hartford Pediatrics "
                                 "(it starts 2026-12-01)")


def test_the_current_consent_that_lasts_longest_is_the_one_recorded():
    old = consent(1)
    short = consent(2, given=datetime.date(2026, 1, 1), expires=datetime.date(2026, 12, 31))
    full = consent(3, scope="full_record", given=datetime.date(2026, 2, 1),
                   expires=datetime.date(2027, 2, 1))
    assert check([old, short, full]) == (full, "")
    # The day a consent expires it no longer covers anything.
    assert check([consent(4, expires=ON)])[0] is None


def test_an_organization_outside_the_directory_is_matched_by_name():
    clinic = consent(1, other="  Hartford Pediatrics ", expires=datetime.date(2027, 1, 1))
    assert check([clinic], practice_id=None, organization="hartford pediatrics") == (clinic, "")
    assert check([clinic], practice_id=HARTFORD)[0] is None
