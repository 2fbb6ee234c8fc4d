"""When to try another way of reaching a family. Pure Python: the rule reads the same on a
page, in a reminder job and in a test.

The center meets families "through any method that works best for families" (center profile):
after three attempts in a row on one channel that did not reach the family, suggest the next
channel the family prefers, else a home visit."""

from dataclasses import dataclass

UNANSWERED_IN_A_ROW = 3
FALLBACK = "home_visit"


@dataclass(frozen=True)
class Attempt:
    channel: str
    reached: bool


@dataclass(frozen=True)
class ChannelSuggestion:
    failed_channel: str
    attempts: int
    suggested_channel: str


def suggest_another_channel(attempts_newest_first: list[Attempt],
                            preferred_channels: list[str]) -> ChannelSuggestion | None:
    """A suggestion when the latest attempts all failed on the same channel, else None."""
    recent = attempts_newest_first[:UNANSWERED_IN_A_ROW]
    if len(recent) < UNANSWERED_IN_A_ROW or any(a.reached for a in recent):
        return None
    channel = recent[0].channel
    if any(a.channel != channel for a in recent):
        return None
    others = [c for c in preferred_channels if c != channel]
    suggestion = others[0] if others else (FALLBACK if channel != FALLBACK else "phone")
    return ChannelSuggestion(channel, len(recent), suggestion)
