"""Title V reports by federal fiscal year: FFY 2026 runs from October 1, 2025 to September 30,
2026. Pure Python."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class FederalFiscalYear:
    year: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year - 1, 10, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 9, 30)

    @classmethod
    def containing(cls, day: datetime.date) -> "FederalFiscalYear":
        return cls(day.year + 1 if day.month >= 10 else day.year)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self):
        return f"FFY {self.year} ({self.start:%b} {self.start.day}, {self.start.year} – " \
               f"{self.end:%b} {self.end.day}, {self.end.year})"
