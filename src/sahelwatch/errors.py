"""Errors for people: each says what was wrong and where (file:line, field)."""
from __future__ import annotations

from dataclasses import dataclass


class SahelwatchError(Exception):
    """Base class of the errors sahelwatch raises on purpose."""


class RowError(SahelwatchError):
    """One input row is wrong: raised by row mappers, caught and reported by importers."""

    def __init__(self, field: str, reason: str, value: object = None):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.value = value


class InputError(SahelwatchError):
    """A whole input (file, URL, option) cannot be used."""


@dataclass(slots=True)
class Rejection:
    """A row an import refused, with where and why."""

    file: str
    line: int
    field: str
    reason: str
    value: str | None = None

    def __str__(self) -> str:
        shown = "" if self.value in (None, "") else f" (value {self.value!r})"
        return f"{self.file}:{self.line}: {self.field}: {self.reason}{shown}"
