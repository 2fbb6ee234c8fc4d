import pytest

from carecoord.families.npi import npi_problem, with_check_digit


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1003000126"])
def test_valid_npis_pass(npi):
    # 1234567893 is CMS's worked example; the others are published check-digit examples.
    assert npi_problem(npi) is None


@pytest.mark.parametrize("npi, message", [
    ("1234567890", "check digit"),
    ("123456789", "exactly 10 digits"),
    ("12345678AB", "exactly 10 digits"),
    ("3234567893", "starts with 1"),
])
def test_invalid_npis_say_why(npi, message):
    assert message in npi_problem(npi)


def test_every_single_digit_typo_is_caught():
    good = "1234567893"
    for position in range(10):
        for digit in "0123456789":
            typo = good[:position] + digit + good[position + 1:]
            if typo != good and typo[0] in "12":
                assert npi_problem(typo) is not None, typo


def test_with_check_digit_builds_valid_npis():
    assert with_check_digit("123456789") == "1234567893"
