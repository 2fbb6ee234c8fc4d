"""The social-needs part of a child's social complexity, from an AHC HRSN screen.

The stratification issue reads this: which of the five AHC core domains (living situation,
food, transportation, utilities, interpersonal safety) screened positive, and how many. A
positive domain means "possible unmet need, follow up" (CMS), not a diagnosis. Incomplete
domains are listed apart so a partial screen is not mistaken for a negative one.
"""

from dataclasses import dataclass

from .screening import DomainScreenResult


@dataclass(frozen=True)
class SocialNeedsSummary:
    instrument_id: str
    positive_domains: tuple[str, ...]
    incomplete_domains: tuple[str, ...]

    @property
    def positive_count(self) -> int:
        return len(self.positive_domains)

    @property
    def complete(self) -> bool:
        return not self.incomplete_domains


def social_needs_summary(result: DomainScreenResult) -> SocialNeedsSummary:
    return SocialNeedsSummary(result.instrument_id, result.positive_domains,
                              result.incomplete_domains)
