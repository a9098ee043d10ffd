"""Errors for people: each says what was wrong and where (file:line, field)."""

from __future__ import annotations

# Rejection lives with ImportReport in sahelwatch.reports; re-exported here for existing imports.
from .reports import Rejection


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


__all__ = ["SahelwatchError", "RowError", "InputError", "Rejection"]
