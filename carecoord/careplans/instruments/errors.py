"""The errors the instrument engine raises; each names the item or field at fault."""

from collections.abc import Sequence


class InstrumentError(Exception):
    """Base class for everything this package refuses."""


class DefinitionError(InstrumentError):
    """An instrument definition (a data file) is malformed or inconsistent."""

    def __init__(self, source: str, problems: Sequence[str]):
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


class AnswerError(InstrumentError):
    """A set of answers cannot be scored: unknown items, unknown codes, or missing answers."""

    def __init__(self, instrument_id: str, problems: Sequence[tuple[str, str]]):
        self.instrument_id = instrument_id
        self.problems = tuple(problems)
        self.item_ids = tuple(item_id for item_id, _ in self.problems)
        details = "; ".join(f"item {item_id}: {problem}" for item_id, problem in self.problems)
        super().__init__(f"{instrument_id}: {details}")
