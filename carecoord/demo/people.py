"""Synthetic people and contact details. Names are drawn first and last separately from common
name lists, so a combination names nobody in particular; phone numbers are in the 555-0100 to
555-0199 range that North American numbering reserves for fiction; email addresses use the
example.org/.com/.net domains reserved for documentation; street numbers are invented."""

import random
import unicodedata

from . import datafiles, mix
from .chance import chance


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits only, for email local parts ("Peña" → "pena")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in folded.lower() if char.isalnum())


def phone(rng: random.Random, area_codes: tuple[str, ...]) -> str:
    return f"{rng.choice(area_codes)}-555-01{rng.randrange(100):02d}"


def email(rng: random.Random, first_name: str, last_name: str) -> str:
    local = f"{ascii_word(first_name)}.{ascii_word(last_name)}{rng.randrange(1, 100)}"
    return f"{local}@{rng.choice(mix.EMAIL_DOMAINS)}"


def street_address(rng: random.Random) -> str:
    return f"{rng.randint(2, 1999)} {rng.choice(datafiles.streets())}"


def apartment(rng: random.Random) -> str:
    if not chance(rng, mix.APARTMENT):
        return ""
    return f"Apt {rng.randint(1, 6)}{rng.choice('ABCDEF')}"


class NamePool:
    """First names and surnames by name group (see data/names.csv)."""

    def __init__(self):
        self.pools = datafiles.names()

    def surname(self, rng: random.Random, group: str) -> str:
        return rng.choice(self.pools[group]["surname"])

    def given(self, rng: random.Random, group: str, sex: str) -> str:
        kind = {"F": "female", "M": "male"}.get(sex) or rng.choice(("female", "male"))
        return rng.choice(self.pools[group][kind])

    def middle(self, rng: random.Random, group: str, sex: str, first_name: str) -> str:
        if not chance(rng, mix.MIDDLE_NAME):
            return ""
        name = self.given(rng, group, sex)
        return "" if name == first_name else name

    def person(self, rng: random.Random, group: str) -> tuple[str, str]:
        """First and last name of an adult of either sex (referrers, school staff)."""
        return self.given(rng, group, rng.choice("FM")), self.surname(rng, group)
