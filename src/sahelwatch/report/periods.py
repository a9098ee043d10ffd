"""Periods of a brief: ISO weeks, months and quarters (``2019-W14``, ``2019-04``, ``2019-Q2``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..errors import InputError


class BriefError(InputError):
    """A brief that cannot be made as asked (unknown country or period, nothing in the store): says why."""


# ------------------------------------------------------------------------------------------ period
@dataclass(frozen=True)
class Period:
    label: str
    kind: str  # week | month | quarter
    start: pd.Timestamp
    end: pd.Timestamp  # inclusive (last day)

    def shift(self, n: int) -> "Period":
        """The period ``n`` steps later (negative: earlier) of the same kind."""
        if self.kind == "week":
            s = self.start + pd.Timedelta(weeks=n)
            y, w, _ = s.isocalendar()
            return Period(f"{y}-W{w:02d}", "week", s, s + pd.Timedelta(days=6))
        if self.kind == "month":
            p = self.start.to_period("M") + n
            return Period(str(p), "month", p.start_time, p.end_time.normalize())
        p = self.start.to_period("Q") + n
        return Period(f"{p.year}-Q{p.quarter}", "quarter", p.start_time, p.end_time.normalize())

    def year_before(self) -> "Period":
        return self.shift({"week": -52, "month": -12, "quarter": -4}[self.kind])

    @property
    def months(self) -> list[str]:
        return [str(p) for p in pd.period_range(self.start, self.end, freq="M")]


def parse_period(text: str) -> Period:
    """``2019-W14`` (ISO week, Monday to Sunday), ``2019-04`` (month) or ``2019-Q2`` (quarter)."""
    t = str(text).strip().upper()
    if m := re.fullmatch(r"(\d{4})-W(\d{1,2})", t):
        y, w = int(m[1]), int(m[2])
        try:
            start = pd.Timestamp.fromisocalendar(y, w, 1)
        except ValueError:
            raise BriefError(f"--period {text!r}: {y} has no ISO week {w}") from None
        return Period(f"{y}-W{w:02d}", "week", start, start + pd.Timedelta(days=6))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
        if not 1 <= int(m[2]) <= 12:
            raise BriefError(f"--period {text!r}: month {int(m[2])} does not exist")
        p = pd.Period(f"{m[1]}-{int(m[2]):02d}", "M")
        return Period(str(p), "month", p.start_time, p.end_time.normalize())
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", t):
        p = pd.Period(f"{m[1]}Q{m[2]}", "Q")
        return Period(f"{m[1]}-Q{m[2]}", "quarter", p.start_time, p.end_time.normalize())
    raise BriefError(f"--period {text!r}: expected a week 2019-W14, a month 2019-04 or a quarter 2019-Q2")
