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
    rows: int = 0  # data rows read
    lines: int = 0  # physical lines of the file after the header (0 when not a file)
    blank_lines: int = 0  # blank lines skipped
    continuation_lines: int = 0  # extra lines of accepted rows whose quoted fields hold line breaks
    inserted: int = 0  # new events
    updated: int = 0  # newer versions replacing stored events (old version kept in history)
    unchanged: int = 0  # identical to the stored event
    older_ignored: int = 0  # same id, different content, not newer: the stored version is kept
    merged: int = 0  # second rows of monadic events, folded into their event
    rejected: int = 0  # rows refused (see rejections)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    strict: bool = False
    aborted: bool = False  # strict import with rejections: nothing written
    import_id: int | None = None
    seconds: float = 0.0
    pending: list[Rejection] = field(default_factory=list, repr=False)  # not yet written to the store

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
        rows_ok = self.rows == self.accepted + self.rejected
        if not self.lines:
            return rows_ok
        return rows_ok and self.lines == self.rows + self.blank_lines + self.continuation_lines

    def grouped_warnings(self, first: int = 5) -> list[str]:
        """Warnings and rejections grouped by reason: one line per reason with a count and the
        first line numbers (``fatalities: not a whole number: 9 rows (lines 4, 7, 12, 15, 18, …)``)."""
        groups: dict[tuple[str, str], list[int]] = {}
        single: dict[tuple[str, str], Rejection] = {}
        for r in self.rejections:
            groups.setdefault((r.field, r.reason), []).append(r.line)
            single.setdefault((r.field, r.reason), r)
        out = []
        for (fld, why), lines in groups.items():
            if len(lines) == 1:  # one row: the row itself, with its value
                out.append(str(single[(fld, why)]))
                continue
            shown = ", ".join(str(n) for n in lines[:first]) + (", …" if len(lines) > first else "")
            n = len(lines)
            out.append(
                f"{self.file or self.dataset}: {fld}: {why}: {n} row{'s' if n != 1 else ''} "
                f"(line{'s' if n != 1 else ''} {shown})"
            )
        return out

    def summary(self) -> str:
        head = f"{self.file or self.dataset}: {self.rows} rows read"
        if self.lines:
            notes = []
            if self.continuation_lines:
                notes.append(f"{self.continuation_lines} more in quoted line breaks")
            if self.blank_lines:
                notes.append(f"{self.blank_lines} blank")
            head += f" from {self.lines} lines" + (f" ({', '.join(notes)})" if notes else "")
        parts = [f"{self.inserted} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.merged:
            parts.append(f"{self.merged} monadic rows merged")
        if self.older_ignored:
            parts.append(f"{self.older_ignored} older versions ignored")
        parts.append(f"{self.rejected} rejected")
        tail = " — aborted (--strict), nothing written" if self.aborted else ""
        return f"{head}: " + ", ".join(parts) + tail
