"""What an import did, row by row accounted for: ImportReport and the Rejection of one row.

Core layer: the store writes these, the importers fill them, the shells print them; nothing here
imports any other sahelwatch module.
"""
from __future__ import annotations

from dataclasses import dataclass, field


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


MAX_KEPT_REJECTIONS = 1000  # in memory; every rejection is also written to the store's rejections table


@dataclass
class ImportReport:
    """Counts of an import. Every input row is in exactly one of the row counts:

    rows == inserted + updated + unchanged + older_ignored + merged + rejected
    """

    dataset: str
    file: str | None = None
    rows: int = 0                 # data rows read
    inserted: int = 0             # new events
    updated: int = 0              # newer versions replacing stored events (old version kept in history)
    unchanged: int = 0            # identical to the stored event
    older_ignored: int = 0        # same id, different content, not newer: the stored version is kept
    merged: int = 0               # second rows of monadic events, folded into their event
    rejected: int = 0             # rows refused (see rejections)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    strict: bool = False
    aborted: bool = False         # strict import with rejections: nothing written
    import_id: int | None = None
    seconds: float = 0.0
    pending: list[Rejection] = field(default_factory=list, repr=False)   # not yet written to the store

    @property
    def accepted(self) -> int:
        return self.inserted + self.updated + self.unchanged + self.older_ignored + self.merged

    @property
    def events_written(self) -> int:
        return self.inserted + self.updated

    def reject(self, rejection: Rejection, *, new_row: bool = True) -> None:
        if new_row:
            self.rejected += 1
        self.pending.append(rejection)
        if len(self.rejections) < MAX_KEPT_REJECTIONS:
            self.rejections.append(rejection)

    def balanced(self) -> bool:
        return self.rows == self.accepted + self.rejected

    def summary(self) -> str:
        head = f"{self.file or self.dataset}: {self.rows} rows read"
        parts = [f"{self.inserted} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.merged:
            parts.append(f"{self.merged} monadic rows merged")
        if self.older_ignored:
            parts.append(f"{self.older_ignored} older versions ignored")
        parts.append(f"{self.rejected} rejected")
        tail = " — aborted (--strict), nothing written" if self.aborted else ""
        return f"{head}: " + ", ".join(parts) + tail
