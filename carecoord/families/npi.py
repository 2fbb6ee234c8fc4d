"""National Provider Identifier check digit (CMS, "NPI Check Digit" rule): the Luhn formula over
the constant prefix 80840 followed by the first nine digits of the NPI."""

NPI_PREFIX = "80840"


def luhn_check_digit(digits: str) -> int:
    total = 0
    # Double every second digit counting from the right of the payload (the check digit is
    # appended after it, so the rightmost payload digit is doubled).
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def npi_problem(npi: str) -> str | None:
    """Why `npi` is not a valid NPI, or None when it is."""
    if len(npi) != 10 or not npi.isdigit():
        return "An NPI is exactly 10 digits."
    if npi[0] not in "12":
        return "An NPI starts with 1 (individual) or 2 (organization)."
    if luhn_check_digit(NPI_PREFIX + npi[:9]) != int(npi[9]):
        return "This NPI's check digit is wrong: please check it for a typo."
    return None


def with_check_digit(first_nine: str) -> str:
    """The full NPI for nine leading digits (used to make synthetic providers)."""
    return first_nine + str(luhn_check_digit(NPI_PREFIX + first_nine))
